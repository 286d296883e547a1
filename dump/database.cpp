#include "dump/database.hpp"

#include <libpq-fe.h>

#include "dump/acl.hpp"
#include "dump/comments.hpp"

namespace pgarc::dump {

namespace {

EntrySpec special(EmitContext& ctx, const char* desc, std::string defn) {
  EntrySpec e;
  e.dumpId = ctx.store.newDumpId();
  e.tag = desc;
  e.desc = desc;
  e.section = Section::PreData;
  e.defn = std::move(defn);
  return e;
}

bool isListQuoteVariable(const std::string& name) {
  static const char* kNames[] = {"local_preload_libraries", "search_path", "session_preload_libraries",
                                 "shared_preload_libraries", "temp_tablespaces", "unix_socket_directories"};
  for (const char* n : kNames)
    if (name == n) return true;
  return false;
}

// makeAlterConfigCommand: "name=value" from setconfig as ALTER ... SET.
std::string alterConfig(const Quoter& q, const std::string& config, const std::string& type, const std::string& name,
                        const std::string& role) {
  size_t eq = config.find('=');
  if (eq == std::string::npos) return {};
  std::string var = config.substr(0, eq);
  std::string value = config.substr(eq + 1);
  std::string out;
  if (!role.empty())
    out = "ALTER ROLE " + q.id(role) + " IN " + type + " " + q.id(name) + " ";
  else
    out = "ALTER " + type + " " + q.id(name) + " ";
  out += "SET " + q.id(var) + " TO ";
  std::string lower;
  for (char c : var) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (isListQuoteVariable(lower)) {
    // Elements are separated by ", " and may be double-quoted.
    std::vector<std::string> items;
    std::string cur;
    bool inq = false;
    for (size_t i = 0; i < value.size(); i++) {
      char c = value[i];
      if (c == '"') {
        if (inq && i + 1 < value.size() && value[i + 1] == '"') {
          cur.push_back('"');
          i++;
        } else {
          inq = !inq;
        }
      } else if (c == ',' && !inq) {
        items.push_back(cur);
        cur.clear();
        while (i + 1 < value.size() && value[i + 1] == ' ') i++;
      } else {
        cur.push_back(c);
      }
    }
    items.push_back(cur);
    for (size_t i = 0; i < items.size(); i++) {
      if (i) out += ", ";
      out += q.connectionLiteral(items[i]);
    }
  } else {
    out += q.connectionLiteral(value);
  }
  return out + ";\n";
}

// pg_upgrade copies pg_largeobject's files as they are: the new cluster must
// use their relfilenodes and keep the table's freeze horizons.
Status emitLargeObjectTableState(EmitContext& ctx, Connection& conn) {
  constexpr uint32_t kLargeObjectRelationId = 2613, kLargeObjectLOidPNIndexId = 2683;
  PGARC_ASSIGN(QueryResult r, conn.query("SELECT relfrozenxid, relminmxid, relfilenode, oid\nFROM pg_catalog.pg_class\n"
                                         "WHERE oid IN (" + std::to_string(kLargeObjectRelationId) + ", " +
                                         std::to_string(kLargeObjectLOidPNIndexId) + ");\n"));
  std::string horizons = "\n-- For binary upgrade, set pg_largeobject relfrozenxid and relminmxid\n";
  std::string out = "\n-- For binary upgrade, preserve pg_largeobject and index relfilenodes\n";
  for (int i = 0; i < r.rows(); i++) {
    const uint32_t oid = r.oid(i, 3);
    horizons += "UPDATE pg_catalog.pg_class\nSET relfrozenxid = '" + std::to_string(r.oid(i, 0)) + "', relminmxid = '" +
                std::to_string(r.oid(i, 1)) + "'\nWHERE oid = " + std::to_string(oid) + ";\n";
    const std::string filenode = "('" + std::to_string(r.oid(i, 2)) + "'::pg_catalog.oid);\n";
    if (oid == kLargeObjectRelationId)
      out += "SELECT pg_catalog.binary_upgrade_set_next_heap_relfilenode" + filenode;
    else if (oid == kLargeObjectLOidPNIndexId)
      out += "SELECT pg_catalog.binary_upgrade_set_next_index_relfilenode" + filenode;
  }
  out += "TRUNCATE pg_catalog.pg_largeobject;\n" + horizons;
  EntrySpec e;
  e.dumpId = ctx.store.newDumpId();
  e.tag = "pg_largeobject";
  e.desc = "pg_largeobject";
  e.section = Section::PreData;
  e.defn = out;
  ctx.add(std::move(e));
  return {};
}

}  // namespace

Status emitSpecialEntries(EmitContext& ctx, Connection& conn) {
  const char* enc = pg_encoding_to_char(conn.clientEncoding());
  if (ctx.info) ctx.info(std::string("saving encoding = ") + enc);
  ctx.add(special(ctx, "ENCODING", "SET client_encoding = " + ctx.quote.literal(enc) + ";\n"));
  std::string std = conn.parameter("standard_conforming_strings") == "on" ? "on" : "off";
  if (ctx.info) ctx.info("saving standard_conforming_strings = " + std);
  ctx.add(special(ctx, "STDSTRINGS", "SET standard_conforming_strings = '" + std + "';\n"));
  PGARC_ASSIGN(QueryResult r, conn.query("SELECT pg_catalog.current_schemas(false)"));
  std::string path;
  auto names = parsePgArrayText(r.str(0, 0));
  for (size_t i = 0; i < names.size(); i++) {
    if (i) path += ", ";
    path += ctx.quote.id(names[i]);
  }
  if (ctx.info) ctx.info("saving search_path = " + path);
  ctx.add(special(ctx, "SEARCHPATH",
                  "SELECT pg_catalog.set_config('search_path', " + ctx.quote.literal(path) + ", false);\n"));
  return {};
}

Status emitDatabase(EmitContext& ctx, Connection& conn) {
  if (ctx.info) ctx.info("saving database definition");
  PGARC_ASSIGN(QueryResult r,
               conn.query("SELECT tableoid, oid, datname, pg_catalog.pg_get_userbyid(datdba) AS dba, "
                          "pg_catalog.pg_encoding_to_char(encoding) AS encoding, datcollate, datctype, "
                          "datacl, pg_catalog.acldefault('d', datdba) AS acldefault, datistemplate, datconnlimit, "
                          "daticulocale, datlocprovider, "
                          "(SELECT spcname FROM pg_catalog.pg_tablespace t WHERE t.oid = dattablespace) AS tablespace, "
                          "pg_catalog.shobj_description(oid, 'pg_database') AS description, "
                          "datfrozenxid, datminmxid, datcollversion "
                          "FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()"));
  if (r.rows() != 1) return makeError("could not read the current database's pg_database row");
  const std::string datname = r.str(0, 2);
  const std::string dba = r.str(0, 3);
  const std::string encoding = r.str(0, 4);
  const std::string collate = r.str(0, 5);
  const std::string ctype = r.str(0, 6);
  const std::string qdat = ctx.quote.id(datname);
  const bool binaryUpgrade = ctx.options.binaryUpgrade;
  std::string crea = "CREATE DATABASE " + qdat + " WITH TEMPLATE = template0";
  if (binaryUpgrade) crea += " OID = " + std::to_string(r.oid(0, 1));
  if (!encoding.empty()) crea += " ENCODING = " + ctx.quote.literal(encoding);
  crea += " LOCALE_PROVIDER = ";
  char prov = r.ch(0, 12);
  crea += prov == 'i' ? "icu" : "libc";
  if (!collate.empty() && collate == ctype) {
    crea += " LOCALE = " + ctx.quote.literal(collate);
  } else {
    if (!collate.empty()) crea += " LC_COLLATE = " + ctx.quote.literal(collate);
    if (!ctype.empty()) crea += " LC_CTYPE = " + ctx.quote.literal(ctype);
  }
  if (!r.isNull(0, 11)) crea += " ICU_LOCALE = " + ctx.quote.literal(r.str(0, 11));
  // A binary upgrade keeps the collation version; a plain restore computes it anew.
  if (binaryUpgrade && !r.isNull(0, 17)) crea += " COLLATION_VERSION = " + ctx.quote.literal(r.str(0, 17));
  const std::string tablespace = r.str(0, 13);
  if (!ctx.options.noTablespaces && !tablespace.empty() && tablespace != "pg_default")
    crea += " TABLESPACE = " + ctx.quote.id(tablespace);
  crea += ";\n";
  EntrySpec e;
  e.dumpId = ctx.store.newDumpId();
  e.catId = {r.oid(0, 0), r.oid(0, 1)};
  e.tag = datname;
  e.owner = dba;
  e.desc = "DATABASE";
  e.section = Section::PreData;
  e.defn = crea;
  e.dropStmt = "DROP DATABASE " + qdat + ";\n";
  const DumpId dbId = e.dumpId;
  ctx.add(std::move(e));
  ctx.dbOwner = dba;

  const std::string comment = r.str(0, 14);
  if (!comment.empty() && !ctx.options.noComments) {
    addObjectNoteEntry(ctx, "COMMENT", "DATABASE " + qdat, "", dba,
                       "COMMENT ON DATABASE " + qdat + " IS " + ctx.quote.literal(comment) + ";\n", dbId);
  }
  if (!ctx.options.noSecurityLabels) {
    PGARC_ASSIGN(QueryResult labels, conn.query("SELECT provider, label FROM pg_catalog.pg_shseclabel WHERE classoid = "
                                                "'pg_catalog.pg_database'::pg_catalog.regclass AND objoid = '" +
                                                std::to_string(r.oid(0, 1)) + "'"));
    std::string sql;
    for (int i = 0; i < labels.rows(); i++)
      sql += "SECURITY LABEL FOR " + ctx.quote.id(labels.str(i, 0)) + " ON DATABASE " + qdat + " IS " +
             ctx.quote.literal(labels.str(i, 1)) + ";\n";
    if (!sql.empty()) addObjectNoteEntry(ctx, "SECURITY LABEL", "DATABASE " + qdat, "", dba, std::move(sql), dbId);
  }
  AclInfo acl{r.str(0, 7), r.str(0, 8), "", ""};
  PGARC_ASSIGN(DumpId ignored, dumpAcl(ctx, dbId, 0, "DATABASE", qdat, "", "", dba, acl));
  (void)ignored;

  std::string props, drop;
  const std::string connlimit = r.str(0, 10);
  if (!connlimit.empty() && connlimit != "-1")
    props += "ALTER DATABASE " + qdat + " CONNECTION LIMIT = " + connlimit + ";\n";
  if (r.boolean(0, 9)) {
    props += "ALTER DATABASE " + qdat + " IS_TEMPLATE = true;\n";
    drop += "UPDATE pg_catalog.pg_database SET datistemplate = false WHERE datname = " + ctx.quote.literal(datname) + ";\n";
  }
  PGARC_ASSIGN(QueryResult cfg, conn.query("SELECT unnest(setconfig) FROM pg_catalog.pg_db_role_setting "
                                           "WHERE setrole = 0 AND setdatabase = '" + std::to_string(r.oid(0, 1)) +
                                           "'::pg_catalog.oid"));
  for (int i = 0; i < cfg.rows(); i++) props += alterConfig(ctx.quote, cfg.str(i, 0), "DATABASE", datname, "");
  PGARC_ASSIGN(QueryResult rcfg, conn.query("SELECT rolname, unnest(setconfig) FROM pg_catalog.pg_db_role_setting s, "
                                            "pg_catalog.pg_roles r WHERE setrole = r.oid AND setdatabase = '" +
                                            std::to_string(r.oid(0, 1)) + "'::pg_catalog.oid"));
  for (int i = 0; i < rcfg.rows(); i++)
    props += alterConfig(ctx.quote, rcfg.str(i, 1), "DATABASE", datname, rcfg.str(i, 0));
  if (binaryUpgrade)
    props += "\n-- For binary upgrade, set datfrozenxid and datminmxid.\nUPDATE pg_catalog.pg_database\nSET datfrozenxid = '" +
             std::to_string(r.oid(0, 15)) + "', datminmxid = '" + std::to_string(r.oid(0, 16)) +
             "'\nWHERE datname = " + ctx.quote.literal(datname) + ";\n";
  if (!props.empty()) {
    EntrySpec p;
    p.dumpId = ctx.store.newDumpId();
    p.tag = datname;
    p.owner = dba;
    p.desc = "DATABASE PROPERTIES";
    p.section = Section::PreData;
    p.defn = props;
    p.dropStmt = drop;  // pg_dump names the database as a dependency but with a count of 0
    ctx.add(std::move(p));
  }
  if (binaryUpgrade) PGARC_TRY(emitLargeObjectTableState(ctx, conn));
  return {};
}

}  // namespace pgarc::dump
