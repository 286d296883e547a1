// getTriggers / dumpTrigger: table triggers as pg_dump 15 dumps them
// (pg_get_triggerdef, then ALTER TABLE ... ENABLE/DISABLE TRIGGER when the
// firing state is not the default; partition clones only for that ALTER).
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_a_common.hpp"

namespace pgarc::dump {

namespace {
struct TriggerInfo : DumpableObject {
  TriggerInfo() : DumpableObject(ObjectType::Trigger) {}
  TableInfo* table = nullptr;
  std::string tgfname, tgdef;
  char tgenabled = 'O';
  bool tgispartition = false;
  std::vector<std::string> dependsOnExtensions;
  // Same-named triggers in one schema sort by table name (DOTypeNameCompare).
  int sortTieBreak(const DumpableObject& o) const override {
    return table->name.compare(static_cast<const TriggerInfo&>(o).table->name);
  }
};

const char* enableKeyword(char tgenabled) {
  switch (tgenabled) {
    case 'f': case 'D': return "DISABLE";
    case 'A': return "ENABLE ALWAYS";
    case 'R': return "ENABLE REPLICA";
    default: return "ENABLE";
  }
}
}  // namespace

Status getTriggers(CatalogContext& ctx) {
  std::vector<uint32_t> oids;
  for (const auto& o : ctx.store.all()) {
    if (o->type != ObjectType::Table) continue;
    auto& t = static_cast<const TableInfo&>(*o);
    if (t.hastriggers && (t.dump & kCompDefinition)) oids.push_back(t.catId.oid);
  }
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT t.tgrelid, t.tgname, t.tgfoid::pg_catalog.regproc AS tgfname, "
                              "pg_catalog.pg_get_triggerdef(t.oid, false) AS tgdef, t.tgenabled, t.tableoid, t.oid, "
                              "t.tgparentid <> 0 AS tgispartition\nFROM unnest(" + oidArrayLiteral(oids) +
                              ") AS src(tbloid)\nJOIN pg_catalog.pg_trigger t ON (src.tbloid = t.tgrelid) LEFT JOIN "
                              "pg_catalog.pg_trigger u ON (u.oid = t.tgparentid) WHERE ((NOT t.tgisinternal AND "
                              "t.tgparentid = 0) OR t.tgenabled != u.tgenabled) ORDER BY t.tgrelid, t.tgname"));
  for (int i = 0; i < r.rows(); i++) {
    TableInfo* tbl = ctx.store.findTable(r.oid(i, 0));
    if (!tbl) return makeError("could not find table with OID " + r.str(i, 0) + " of trigger " + r.str(i, 1));
    auto tg = std::make_unique<TriggerInfo>();
    tg->catId = {r.oid(i, 5), r.oid(i, 6)};
    tg->name = r.str(i, 1);
    tg->ns = tbl->ns;
    tg->owner = tbl->owner;
    tg->table = tbl;
    tg->tgfname = r.str(i, 2);
    tg->tgdef = r.str(i, 3);
    tg->tgenabled = r.ch(i, 4);
    tg->tgispartition = r.boolean(i, 7);
    tg->dump = kCompAll;
    ctx.store.add(std::move(tg));
  }
  if (r.rows() == 0) return {};
  PGARC_ASSIGN(auto extDeps, extensionDependencies(ctx, "pg_catalog.pg_trigger"));
  for (const auto& [oid, names] : extDeps)
    if (DumpableObject* o = ctx.store.findByOid("pg_trigger", oid); o && o->type == ObjectType::Trigger)
      static_cast<TriggerInfo*>(o)->dependsOnExtensions = names;
  return {};
}

Status dumpTrigger(EmitContext& ctx, DumpableObject& obj) {
  auto& tg = static_cast<TriggerInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const Quoter& q = ctx.quote;
  const TableInfo& tbl = *tg.table;
  const std::string nsp = schemaName(tbl);
  const std::string qualtab = q.qualified(nsp, tbl.name);
  const std::string identity = q.id(tg.name) + " ON " + qualtab;
  const std::string alterTable = std::string("\nALTER ") + (tbl.relkind == 'f' ? "FOREIGN " : "") + "TABLE " + qualtab + " ";
  std::string sql = tg.tgdef + ";\n";
  std::string drop = "DROP TRIGGER " + identity + ";\n";
  sql += dependsOnExtensionClauses(q, tg.dependsOnExtensions, "TRIGGER", identity);
  if (tg.tgispartition) {
    // Clones on partitions exist already; only their firing state differs.
    sql = alterTable + enableKeyword(tg.tgenabled) + " TRIGGER " + q.id(tg.name) + ";\n";
    drop.clear();
  } else if (tg.tgenabled != 't' && tg.tgenabled != 'O') {
    sql += alterTable + enableKeyword(tg.tgenabled) + " TRIGGER " + q.id(tg.name) + ";\n";
  }
  if (tg.dump & kCompDefinition) {
    EntrySpec e = definitionEntry(tg, tbl.name + " " + tg.name, "TRIGGER", Section::PostData, sql, drop);
    e.owner = tbl.owner;
    ctx.add(std::move(e));
  }
  if (tg.dump & kCompComment) {
    CommentTarget t{"TRIGGER " + q.id(tg.name) + " ON", q.id(tbl.name), nsp, tbl.owner, tg.catId, 0, tg.dumpId};
    dumpComment(ctx, t);
  }
  return {};
}

}  // namespace pgarc::dump
