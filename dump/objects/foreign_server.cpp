// getForeignServers / dumpForeignServer / dumpUserMappings: foreign servers
// and their user mappings as pg_dump 15 dumps them. The step also reads, in
// one query, the server name and OPTIONS of every dumped foreign table (pg_dump
// reads them per table in dumpTableSchema).
#include "dump/objects/kinds.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds_b_common.hpp"

namespace pgarc::dump {

namespace {
struct ForeignServerInfo : DumpableObject {
  ForeignServerInfo() : DumpableObject(ObjectType::ForeignServer) {}
  AclInfo dacl;
  AclInfo* aclInfo() override { return &dacl; }
  uint32_t fdw = 0;
  std::optional<std::string> type, version;
  std::string options;
  struct UserMapping {
    std::string user, options;
  };
  std::vector<UserMapping> mappings;  // ordered by user name
};

Status readForeignTableOptions(CatalogContext& ctx) {
  std::vector<uint32_t> oids;
  for (const auto& o : ctx.store.all()) {
    if (o->type != ObjectType::Table) continue;
    auto& t = static_cast<const TableInfo&>(*o);
    if (t.relkind == 'f' && (t.dump & kCompDefinition)) oids.push_back(t.catId.oid);
  }
  if (oids.empty()) return {};
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT ft.ftrelid, fs.srvname, pg_catalog.array_to_string(ARRAY("
                              "SELECT pg_catalog.quote_ident(option_name) || ' ' || "
                              "pg_catalog.quote_literal(option_value) "
                              "FROM pg_catalog.pg_options_to_table(ftoptions) ORDER BY option_name), E',\\n    ') "
                              "FROM pg_catalog.pg_foreign_table ft JOIN pg_catalog.pg_foreign_server fs "
                              "ON (fs.oid = ft.ftserver) WHERE ft.ftrelid = ANY(" + oidArrayLiteral(oids) + ")"));
  for (int i = 0; i < r.rows(); i++) {
    TableInfo* t = ctx.store.findTable(r.oid(i, 0));
    if (!t) continue;
    t->editRare().ftserver = r.str(i, 1);
    t->editRare().ftoptions = r.str(i, 2);
  }
  return {};
}
}  // namespace

Status getForeignServers(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT tableoid, oid, srvname, srvowner, srvfdw, srvtype, srvversion, srvacl, "
                              "acldefault('S', srvowner) AS acldefault, "
                              "array_to_string(ARRAY(SELECT quote_ident(option_name) || ' ' || "
                              "quote_literal(option_value) FROM pg_options_to_table(srvoptions) "
                              "ORDER BY option_name), E',\\n    ') AS srvoptions "
                              "FROM pg_foreign_server"));
  std::map<uint32_t, ForeignServerInfo*> withMappings;
  std::vector<uint32_t> oids;
  for (int i = 0; i < r.rows(); i++) {
    auto s = std::make_unique<ForeignServerInfo>();
    s->catId = {r.oid(i, 0), r.oid(i, 1)};
    s->name = r.str(i, 2);
    s->owner = ctx.roleName(r.oid(i, 3));
    s->fdw = r.oid(i, 4);
    if (!r.isNull(i, 5)) s->type = r.str(i, 5);
    if (!r.isNull(i, 6)) s->version = r.str(i, 6);
    s->dacl.acl = r.str(i, 7);
    s->dacl.acldefault = r.str(i, 8);
    s->options = r.str(i, 9);
    s->components |= kCompUserMap;
    ForeignServerInfo* srv = ctx.store.add(std::move(s));
    selectDumpableObject(ctx, *srv);
    if (!r.isNull(i, 7)) srv->components |= kCompAcl;
    if (srv->dump & kCompUserMap) {
      withMappings[srv->catId.oid] = srv;
      oids.push_back(srv->catId.oid);
    }
  }
  if (!oids.empty()) {
    // pg_user_mappings, the public view, as pg_dump reads it (umoptions is
    // NULL there when the user may not see them).
    PGARC_ASSIGN(QueryResult m,
                 ctx.conn.query("SELECT srvid, usename, array_to_string(ARRAY(SELECT quote_ident(option_name) || "
                                "' ' || quote_literal(option_value) FROM pg_options_to_table(umoptions) "
                                "ORDER BY option_name), E',\\n    ') AS umoptions FROM pg_user_mappings "
                                "WHERE srvid = ANY(" + oidArrayLiteral(oids) + ") ORDER BY srvid, usename"));
    for (int i = 0; i < m.rows(); i++) {
      auto it = withMappings.find(m.oid(i, 0));
      if (it != withMappings.end()) it->second->mappings.push_back({m.str(i, 1), m.str(i, 2)});
    }
  }
  return readForeignTableOptions(ctx);
}

Status dumpForeignServer(EmitContext& ctx, DumpableObject& obj) {
  auto& s = static_cast<ForeignServerInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const Quoter& q = ctx.quote;
  const std::string qname = q.id(s.name);
  const DumpableObject* fdw = ctx.store.findByOid("pg_foreign_data_wrapper", s.fdw);
  std::string sql = "CREATE SERVER " + qname;
  if (s.type && !s.type->empty()) sql += " TYPE " + q.literal(*s.type);
  if (s.version && !s.version->empty()) sql += " VERSION " + q.literal(*s.version);
  sql += " FOREIGN DATA WRAPPER " + (fdw ? q.id(fdw->name) : std::string("NULL"));
  sql += optionsClause(s.options) + ";\n";
  PGARC_TRY(appendExtensionMember(ctx, sql, s, "SERVER", qname));
  if (s.dump & kCompDefinition)
    ctx.add(plainDefinitionEntry(s, s.name, "SERVER", sql, "DROP SERVER " + qname + ";\n", false));
  PGARC_TRY(dumpCommentSecLabelAcl(ctx, s, "SERVER", qname, "", &s.dacl, "FOREIGN SERVER"));
  if (!(s.dump & kCompUserMap)) return {};
  for (const auto& m : s.mappings) {
    EntrySpec e;
    e.dumpId = ctx.store.newDumpId();
    e.tag = "USER MAPPING " + m.user + " SERVER " + s.name;
    e.desc = "USER MAPPING";
    e.section = Section::PreData;
    e.defn = "CREATE USER MAPPING FOR " + q.id(m.user) + " SERVER " + qname + optionsClause(m.options) + ";\n";
    e.dropStmt = "DROP USER MAPPING FOR " + q.id(m.user) + " SERVER " + qname + ";\n";
    e.owner = s.owner;
    // No dependencies: pg_dump 15 passes none and the fresh dumpId has no
    // object behind it for the archive dependency pass to follow.
    ctx.add(std::move(e));
  }
  return {};
}

}  // namespace pgarc::dump
