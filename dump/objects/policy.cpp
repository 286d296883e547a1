// getPolicies / dumpPolicy: ROW SECURITY entries (RLS enabled on a table) and
// POLICY entries as pg_dump 15 dumps them.
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_a_common.hpp"

namespace pgarc::dump {

namespace {
struct PolicyInfo : DumpableObject {
  PolicyInfo() : DumpableObject(ObjectType::Policy) {}
  TableInfo* table = nullptr;
  bool isRowSecurity = false;  // pg_dump's polname == NULL
  char polcmd = '*';
  bool polpermissive = true;
  std::optional<std::string> polroles, polqual, polwithcheck;
  // Same-named policies in one schema sort by table name (DOTypeNameCompare).
  int sortTieBreak(const DumpableObject& o) const override {
    return table->name.compare(static_cast<const PolicyInfo&>(o).table->name);
  }
};

std::optional<std::string> optional(const QueryResult& r, int row, int col) {
  if (r.isNull(row, col)) return std::nullopt;
  return r.str(row, col);
}
}  // namespace

Status getPolicies(CatalogContext& ctx) {
  if (ctx.info) ctx.info("reading row-level security policies");
  std::vector<uint32_t> oids;
  for (const auto& o : ctx.store.all()) {
    if (o->type != ObjectType::Table) continue;
    auto& t = static_cast<TableInfo&>(*o);
    if (!(t.dump & kCompPolicy)) continue;
    if (t.relkind != 'r' && t.relkind != 'p') continue;
    oids.push_back(t.catId.oid);
    if (t.rowsec) {
      t.components |= kCompPolicy;
      auto p = std::make_unique<PolicyInfo>();
      p->catId = {0, t.catId.oid};
      p->ns = t.ns;
      p->name = t.name;
      p->owner = t.owner;
      p->table = &t;
      p->isRowSecurity = true;
      p->dump = kCompAll;
      p->components |= kCompPolicy;
      ctx.store.add(std::move(p));
    }
  }
  const std::string permissive = ctx.serverVersion >= 100000 ? "pol.polpermissive, " : "'t' as polpermissive, ";
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT pol.oid, pol.tableoid, pol.polrelid, pol.polname, pol.polcmd, " + permissive +
                              "CASE WHEN pol.polroles = '{0}' THEN NULL ELSE    "
                              "pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(rolname) from "
                              "pg_catalog.pg_roles WHERE oid = ANY(pol.polroles)), ', ') END AS polroles, "
                              "pg_catalog.pg_get_expr(pol.polqual, pol.polrelid) AS polqual, "
                              "pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid) AS polwithcheck FROM unnest(" +
                              oidArrayLiteral(oids) + ") AS src(tbloid)\nJOIN pg_catalog.pg_policy pol ON "
                              "(src.tbloid = pol.polrelid)"));
  for (int i = 0; i < r.rows(); i++) {
    TableInfo* tbl = ctx.store.findTable(r.oid(i, 2));
    if (!tbl) continue;
    tbl->components |= kCompPolicy;
    auto p = std::make_unique<PolicyInfo>();
    p->catId = {r.oid(i, 1), r.oid(i, 0)};
    p->ns = tbl->ns;
    p->name = r.str(i, 3);
    p->owner = tbl->owner;
    p->table = tbl;
    p->polcmd = r.ch(i, 4);
    p->polpermissive = r.boolean(i, 5);
    p->polroles = optional(r, i, 6);
    p->polqual = optional(r, i, 7);
    p->polwithcheck = optional(r, i, 8);
    p->dump = kCompAll;
    p->components |= kCompPolicy;
    ctx.store.add(std::move(p));
  }
  return {};
}

Status dumpPolicy(EmitContext& ctx, DumpableObject& obj) {
  auto& p = static_cast<PolicyInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const Quoter& q = ctx.quote;
  const TableInfo& tbl = *p.table;
  const std::string nsp = schemaName(tbl);
  const std::string qualtab = q.qualified(nsp, tbl.name);
  if (p.isRowSecurity) {
    if (p.dump & kCompPolicy) {
      EntrySpec e = definitionEntry(p, p.name, "ROW SECURITY", Section::PostData,
                                    "ALTER TABLE " + qualtab + " ENABLE ROW LEVEL SECURITY;", std::nullopt);
      e.deps = {tbl.dumpId};
      ctx.add(std::move(e));
    }
    return {};
  }
  const char* cmd;
  switch (p.polcmd) {
    case '*': cmd = ""; break;
    case 'r': cmd = " FOR SELECT"; break;
    case 'a': cmd = " FOR INSERT"; break;
    case 'w': cmd = " FOR UPDATE"; break;
    case 'd': cmd = " FOR DELETE"; break;
    default: return makeError("unexpected policy command type: " + std::string(1, p.polcmd));
  }
  std::string sql = "CREATE POLICY " + q.id(p.name) + " ON " + qualtab + (p.polpermissive ? "" : " AS RESTRICTIVE") + cmd;
  if (p.polroles) sql += " TO " + *p.polroles;
  if (p.polqual) sql += " USING (" + *p.polqual + ")";
  if (p.polwithcheck) sql += " WITH CHECK (" + *p.polwithcheck + ")";
  sql += ";\n";
  if (p.dump & kCompPolicy)
    ctx.add(definitionEntry(p, tbl.name + " " + p.name, "POLICY", Section::PostData, sql,
                            "DROP POLICY " + q.id(p.name) + " ON " + qualtab + ";\n"));
  if (p.dump & kCompComment) {
    CommentTarget t{"POLICY " + q.id(p.name) + " ON", q.id(tbl.name), nsp, tbl.owner, p.catId, 0, p.dumpId};
    dumpComment(ctx, t);
  }
  return {};
}

}  // namespace pgarc::dump
