// getRules / dumpRule: rewrite rules as pg_dump 15 dumps them. A view's ON
// SELECT rule is part of CREATE VIEW unless the dependency sort split it out
// (then it becomes CREATE OR REPLACE VIEW, dropped back to a dummy view).
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_a_common.hpp"
#include "dump/objects/rule.hpp"

namespace pgarc::dump {

Status getRules(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r, ctx.conn.query("SELECT tableoid, oid, rulename, ev_class AS ruletable, ev_type, "
                                             "is_instead, ev_enabled FROM pg_rewrite ORDER BY oid"));
  std::map<uint32_t, RuleInfo*> needDef;
  for (int i = 0; i < r.rows(); i++) {
    TableInfo* tbl = ctx.store.findTable(r.oid(i, 3));
    if (!tbl)
      return makeError("failed sanity check, parent table with OID " + r.str(i, 3) + " of pg_rewrite entry with OID " +
                       r.str(i, 1) + " not found");
    auto ru = std::make_unique<RuleInfo>();
    ru->catId = {r.oid(i, 0), r.oid(i, 1)};
    ru->name = r.str(i, 2);
    ru->table = tbl;
    ru->ns = tbl->ns;
    ru->owner = tbl->owner;
    ru->dump = tbl->dump;
    ru->ev_type = r.ch(i, 4);
    ru->is_instead = r.boolean(i, 5);
    ru->ev_enabled = r.ch(i, 6);
    RuleInfo* rule = ctx.store.add(std::move(ru));
    if ((tbl->relkind == 'v' || tbl->relkind == 'm') && rule->ev_type == '1' && rule->is_instead) {
      addDependency(*tbl, rule->dumpId);
      rule->separate = false;
    } else {
      addDependency(*rule, tbl->dumpId);
      rule->separate = true;
      if (rule->dump & kCompDefinition) needDef[rule->catId.oid] = rule;
    }
  }
  if (!needDef.empty()) {
    std::vector<uint32_t> oids;
    for (auto& [oid, ru] : needDef) oids.push_back(oid);
    PGARC_ASSIGN(QueryResult d, ctx.conn.query("SELECT oid, pg_catalog.pg_get_ruledef(oid) FROM pg_catalog.pg_rewrite "
                                               "WHERE oid = ANY(" + oidArrayLiteral(oids) + ")"));
    for (int i = 0; i < d.rows(); i++)
      if (auto it = needDef.find(d.oid(i, 0)); it != needDef.end()) {
        it->second->ruledef = d.str(i, 1);
        it->second->ruledefLoaded = true;
      }
  }
  return {};
}

namespace {

std::string viewAsClause(const TableInfo& t) {
  std::string def = t.rare().viewdef;
  if (!def.empty() && def.back() == ';') def.pop_back();
  return def;
}

}  // namespace

std::string dummyViewAsClause(const Quoter& q, const TableInfo& t) {
  std::string s = "SELECT";
  bool first = true;
  for (const auto& a : t.attrs) {
    if (!first) s += ",";
    first = false;
    s += "\n    NULL::" + a.typname;
    if (!a.rare().collation.empty()) s += " COLLATE " + a.rare().collation;
    s += " AS " + q.id(a.name);
  }
  return s;
}

Status dumpRule(EmitContext& ctx, DumpableObject& obj) {
  auto& ru = static_cast<RuleInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  if (!ru.separate) return {};
  const Quoter& q = ctx.quote;
  const TableInfo& tbl = *ru.table;
  const std::string nsp = schemaName(tbl);
  const std::string qualtab = q.qualified(nsp, tbl.name);
  const bool isView = ru.ev_type == '1' && ru.is_instead;
  std::string cmd, drop;
  if (isView) {
    cmd = "CREATE OR REPLACE VIEW " + qualtab;
    if (!tbl.rare().reloptions.empty()) cmd += " WITH (" + tbl.rare().reloptions + ")";
    cmd += " AS\n" + viewAsClause(tbl);
    if (!tbl.rare().checkoption.empty()) cmd += "\n  WITH " + tbl.rare().checkoption + " CHECK OPTION";
    cmd += ";\n";
  } else {
    if (!ru.ruledefLoaded) return makeError("query to get rule \"" + ru.name + "\" for table \"" + tbl.name + "\" failed");
    cmd = ru.ruledef + "\n";
  }
  if (ru.ev_enabled != 'O') {
    cmd += "ALTER TABLE " + qualtab + " ";
    switch (ru.ev_enabled) {
      case 'A': cmd += "ENABLE ALWAYS RULE " + q.id(ru.name) + ";\n"; break;
      case 'R': cmd += "ENABLE REPLICA RULE " + q.id(ru.name) + ";\n"; break;
      case 'D': cmd += "DISABLE RULE " + q.id(ru.name) + ";\n"; break;
      default: break;
    }
  }
  if (isView)
    drop = "CREATE OR REPLACE VIEW " + qualtab + " AS\n" + dummyViewAsClause(q, tbl) + ";\n";
  else
    drop = "DROP RULE " + q.id(ru.name) + " ON " + qualtab + ";\n";
  if (ru.dump & kCompDefinition) {
    EntrySpec e = definitionEntry(ru, tbl.name + " " + ru.name, "RULE", Section::PostData, cmd, drop);
    e.owner = tbl.owner;
    ctx.add(std::move(e));
  }
  if (ru.dump & kCompComment) {
    CommentTarget t{"RULE " + q.id(ru.name) + " ON", q.id(tbl.name), nsp, tbl.owner, ru.catId, 0, ru.dumpId};
    dumpComment(ctx, t);
  }
  return {};
}

}  // namespace pgarc::dump
