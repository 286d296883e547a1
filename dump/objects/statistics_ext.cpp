// getExtendedStatistics / dumpStatisticsExt: extended statistics objects as
// pg_dump 15 dumps them.
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_b_common.hpp"

namespace pgarc::dump {

namespace {
struct StatsExtInfo : DumpableObject {
  StatsExtInfo() : DumpableObject(ObjectType::StatsExt) {}
  int stattarget = -1;
  bool detailsLoaded = false;
  std::string def;  // pg_get_statisticsobjdef
};
}  // namespace

Status getExtendedStatistics(CatalogContext& ctx) {
  if (ctx.serverVersion < 100000) return {};
  const std::string target = ctx.serverVersion >= 130000 ? "stxstattarget" : "(-1) AS stxstattarget";
  PGARC_ASSIGN(QueryResult r, ctx.conn.query("SELECT tableoid, oid, stxname, stxnamespace, stxowner, stxrelid, " + target +
                                             " FROM pg_catalog.pg_statistic_ext"));
  std::map<uint32_t, StatsExtInfo*> dumpable;
  std::vector<uint32_t> oids;
  for (int i = 0; i < r.rows(); i++) {
    auto s = std::make_unique<StatsExtInfo>();
    s->catId = {r.oid(i, 0), r.oid(i, 1)};
    s->name = r.str(i, 2);
    s->ns = ctx.store.findNamespace(r.oid(i, 3));
    s->owner = ctx.roleName(r.oid(i, 4));
    const TableInfo* table = ctx.store.findTable(r.oid(i, 5));
    s->stattarget = static_cast<int>(r.integer(i, 6));
    StatsExtInfo* st = ctx.store.add(std::move(s));
    // pg_dump 15's selectDumpableStatisticsObject: the schema decides, but
    // only when the table's definition is dumped too.
    if (!checkExtensionMembership(ctx, *st)) {
      st->dump = st->ns ? st->ns->dumpContains : kCompNone;
      if (!table || !(table->dump & kCompDefinition)) st->dump = kCompNone;
    }
    if (st->dump != kCompNone) {
      dumpable[st->catId.oid] = st;
      oids.push_back(st->catId.oid);
    }
  }
  if (oids.empty()) return {};
  PGARC_ASSIGN(QueryResult d, ctx.conn.query("SELECT x.oid, pg_catalog.pg_get_statisticsobjdef(x.oid) FROM unnest(" +
                                             oidArrayLiteral(oids) + ") AS x(oid)"));
  for (int i = 0; i < d.rows(); i++) {
    auto it = dumpable.find(d.oid(i, 0));
    if (it == dumpable.end() || d.isNull(i, 1)) continue;
    it->second->detailsLoaded = true;
    it->second->def = d.str(i, 1);
  }
  return {};
}

Status dumpStatisticsExt(EmitContext& ctx, DumpableObject& obj) {
  auto& s = static_cast<StatsExtInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  if (!s.detailsLoaded) return makeError("statistics object \"" + s.name + "\" vanished during the dump");
  const std::string nsp = schemaName(s);
  const std::string qualified = ctx.quote.qualified(nsp, s.name);
  std::string sql = s.def + ";\n";
  if (s.stattarget >= 0)
    sql += "ALTER STATISTICS " + qualified + " SET STATISTICS " + std::to_string(s.stattarget) + ";\n";
  if (s.dump & kCompDefinition) {
    EntrySpec e = plainDefinitionEntry(s, s.name, "STATISTICS", sql, "DROP STATISTICS " + qualified + ";\n");
    e.section = Section::PostData;
    ctx.add(std::move(e));
  }
  return dumpCommentSecLabelAcl(ctx, s, "STATISTICS", ctx.quote.id(s.name), nsp, nullptr);
}

}  // namespace pgarc::dump
