// getTSConfigurations / dumpTSConfig: text search configurations as pg_dump 15
// dumps them (CREATE plus one ALTER ... ADD MAPPING per token type).
#include "dump/objects/kinds.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds_b_common.hpp"

namespace pgarc::dump {

namespace {
struct TSConfigInfo : DumpableObject {
  TSConfigInfo() : DumpableObject(ObjectType::TSConfig) {}
  std::string parserNsp, parserName;
  struct Mapping {
    std::string token, dict;  // token alias; regdictionary text
  };
  std::vector<Mapping> mappings;
};
}  // namespace

Status getTSConfigurations(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT tableoid, oid, cfgname, cfgnamespace, cfgowner, cfgparser, "
                              "(SELECT n.nspname FROM pg_catalog.pg_ts_parser p JOIN pg_catalog.pg_namespace n "
                              "ON n.oid = p.prsnamespace WHERE p.oid = cfgparser), "
                              "(SELECT prsname FROM pg_catalog.pg_ts_parser p WHERE p.oid = cfgparser) "
                              "FROM pg_catalog.pg_ts_config"));
  std::map<uint32_t, TSConfigInfo*> dumpable;
  std::vector<uint32_t> oids;
  for (int i = 0; i < r.rows(); i++) {
    auto c = std::make_unique<TSConfigInfo>();
    c->catId = {r.oid(i, 0), r.oid(i, 1)};
    c->name = r.str(i, 2);
    c->ns = ctx.store.findNamespace(r.oid(i, 3));
    c->owner = ctx.roleName(r.oid(i, 4));
    c->parserNsp = r.str(i, 6);
    c->parserName = r.str(i, 7);
    TSConfigInfo* cfg = ctx.store.add(std::move(c));
    selectDumpableObject(ctx, *cfg);
    // No privileges on text search configurations: an ACL-only request
    // (pg_catalog's) is never emitted and needs no mappings.
    if (cfg->dump & ~kCompAcl) {
      dumpable[cfg->catId.oid] = cfg;
      oids.push_back(cfg->catId.oid);
    }
  }
  if (dumpable.empty()) return {};
  PGARC_ASSIGN(QueryResult m,
               ctx.conn.query("SELECT c.oid, (SELECT alias FROM pg_catalog.ts_token_type(c.cfgparser) AS t "
                              "WHERE t.tokid = m.maptokentype) AS tokenname, "
                              "m.mapdict::pg_catalog.regdictionary AS dictname "
                              "FROM pg_catalog.pg_ts_config c JOIN pg_catalog.pg_ts_config_map m ON m.mapcfg = c.oid "
                              "WHERE c.oid = ANY(" + oidArrayLiteral(oids) + ") "
                              "ORDER BY m.mapcfg, m.maptokentype, m.mapseqno"));
  for (int i = 0; i < m.rows(); i++) {
    auto it = dumpable.find(m.oid(i, 0));
    if (it != dumpable.end()) it->second->mappings.push_back({m.str(i, 1), m.str(i, 2)});
  }
  return {};
}

Status dumpTSConfig(EmitContext& ctx, DumpableObject& obj) {
  auto& c = static_cast<TSConfigInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const Quoter& q = ctx.quote;
  const std::string nsp = schemaName(c);
  const std::string qualified = q.qualified(nsp, c.name);
  std::string sql = "CREATE TEXT SEARCH CONFIGURATION " + qualified + " (\n    PARSER = " + q.id(c.parserNsp) +
                    "." + q.id(c.parserName) + " );\n";
  for (size_t i = 0; i < c.mappings.size(); i++) {
    const auto& m = c.mappings[i];
    if (i == 0 || m.token != c.mappings[i - 1].token) {
      if (i > 0) sql += ";\n";
      sql += "\nALTER TEXT SEARCH CONFIGURATION " + qualified + "\n    ADD MAPPING FOR " + q.id(m.token) + " WITH " +
             m.dict;
    } else {
      sql += ", " + m.dict;
    }
  }
  if (!c.mappings.empty()) sql += ";\n";
  PGARC_TRY(appendExtensionMember(ctx, sql, c, "TEXT SEARCH CONFIGURATION", q.id(c.name), nsp));
  if (c.dump & kCompDefinition)
    ctx.add(plainDefinitionEntry(c, c.name, "TEXT SEARCH CONFIGURATION", sql,
                                 "DROP TEXT SEARCH CONFIGURATION " + qualified + ";\n"));
  return dumpCommentSecLabelAcl(ctx, c, "TEXT SEARCH CONFIGURATION", q.id(c.name), nsp, nullptr);
}

}  // namespace pgarc::dump
