#include "dump/objects/kinds_a_common.hpp"

#include <strings.h>

#include "dump/pg_dump_version.hpp"

namespace pgarc::dump {

std::string oidArrayLiteral(const std::vector<uint32_t>& oids) {
  std::string s = "'{";
  for (size_t i = 0; i < oids.size(); i++) {
    if (i) s += ",";
    s += std::to_string(oids[i]);
  }
  return s + "}'::pg_catalog.oid[]";
}

bool includeEverything(const CatalogContext& ctx) {
  return !ctx.selection.anySchemaInclude && !ctx.selection.anyTableInclude && !ctx.selection.anyExtensionInclude;
}

bool checkExtensionMembership(CatalogContext& ctx, DumpableObject& obj) {
  auto it = ctx.extensionMembers.find(obj.catId);
  if (it == ctx.extensionMembers.end()) return false;
  DumpableObject* ext = it->second;
  obj.ext_member = true;
  addDependency(obj, ext->dumpId);
  if (ctx.options.binaryUpgrade)
    obj.dump = ext->dump;
  else
    obj.dump = ext->dumpContains & (kExtensionMembersDumpOnlyAcls ? kCompAcl : kCompAcl | kCompSecLabel | kCompPolicy);
  return true;
}

void selectDumpableObject(CatalogContext& ctx, DumpableObject& obj) {
  if (checkExtensionMembership(ctx, obj)) return;
  if (obj.ns)
    obj.dump = obj.ns->dumpContains;
  else
    obj.dump = includeEverything(ctx) ? kCompAll : kCompNone;
}

std::string schemaName(const DumpableObject& obj) { return obj.ns ? obj.ns->name : std::string(); }

EntrySpec definitionEntry(const DumpableObject& obj, std::string tag, std::string desc, Section section,
                          std::string defn, std::optional<std::string> dropStmt, bool withNamespace) {
  EntrySpec e;
  e.dumpId = obj.dumpId;
  e.catId = obj.catId;
  e.tag = std::move(tag);
  e.desc = std::move(desc);
  e.section = section;
  e.defn = std::move(defn);
  e.dropStmt = std::move(dropStmt);
  if (withNamespace && obj.ns) e.namespace_ = obj.ns->name;
  e.owner = obj.owner;
  // No explicit deps: the archive pass (output.cpp) derives them from
  // obj.dependencies, looking through objects that get no TOC entry, as
  // pg_dump's BuildArchiveDependencies does for entries without special deps.
  return e;
}

Status dumpCommentSecLabelAcl(EmitContext& ctx, const DumpableObject& obj, const std::string& type,
                              const std::string& name, const std::string& nspname, const AclInfo* acl,
                              const std::string& aclType) {
  CommentTarget t;
  t.type = type;
  t.name = name;
  t.nspname = nspname;
  t.owner = obj.owner;
  t.catId = obj.catId;
  t.dumpId = obj.dumpId;
  if (obj.dump & kCompComment) dumpComment(ctx, t);
  if (obj.dump & kCompSecLabel) dumpSecLabel(ctx, t);
  if (acl && (obj.dump & kCompAcl)) {
    PGARC_TRY(dumpAcl(ctx, obj.dumpId, 0, aclType.empty() ? type : aclType, name, "", nspname, obj.owner, *acl));
  }
  return {};
}

namespace {
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
}  // namespace

std::optional<std::vector<std::string>> splitGucList(const std::string& value) {
  std::vector<std::string> out;
  size_t p = 0;
  const size_t n = value.size();
  while (p < n && isSpace(value[p])) p++;
  if (p == n) return out;
  for (;;) {
    std::string name;
    if (value[p] == '"') {
      p++;
      for (;;) {
        if (p >= n) return std::nullopt;
        if (value[p] == '"') {
          if (p + 1 < n && value[p + 1] == '"') {
            name.push_back('"');
            p += 2;
            continue;
          }
          p++;
          break;
        }
        name.push_back(value[p++]);
      }
    } else {
      size_t start = p;
      while (p < n && value[p] != ',' && !isSpace(value[p])) p++;
      if (p == start) return std::nullopt;
      name = value.substr(start, p - start);
    }
    while (p < n && isSpace(value[p])) p++;
    out.push_back(std::move(name));
    if (p < n && value[p] == ',') {
      p++;
      while (p < n && isSpace(value[p])) p++;
      continue;
    }
    if (p != n) return std::nullopt;
    return out;
  }
}

bool isGucListQuote(const std::string& name) {
  static const char* const kNames[] = {"local_preload_libraries",  "search_path",
                                       "session_preload_libraries", "shared_preload_libraries",
                                       "temp_tablespaces",          "unix_socket_directories"};
  for (const char* k : kNames)
    if (strcasecmp(name.c_str(), k) == 0) return true;
  return false;
}

std::string formatSetClauses(const Quoter& q, const std::vector<std::string>& configItems) {
  std::string out;
  for (const auto& item : configItems) {
    size_t eq = item.find('=');
    if (eq == std::string::npos) continue;
    std::string name = item.substr(0, eq);
    std::string value = item.substr(eq + 1);
    out += "\n    SET " + q.id(name) + " TO ";
    if (isGucListQuote(name)) {
      if (auto parts = splitGucList(value)) {
        for (size_t i = 0; i < parts->size(); i++) {
          if (i) out += ", ";
          out += q.literal((*parts)[i]);
        }
      }
    } else {
      out += q.literal(value);
    }
  }
  return out;
}

Result<std::map<uint32_t, std::vector<std::string>>> extensionDependencies(CatalogContext& ctx,
                                                                           const std::string& catalog) {
  std::map<uint32_t, std::vector<std::string>> out;
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT d.objid, e.extname FROM pg_catalog.pg_depend d, pg_catalog.pg_extension e "
                              "WHERE d.refobjid = e.oid AND d.classid = '" + catalog +
                              "'::pg_catalog.regclass AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass "
                              "AND d.objid IN (SELECT x.objid FROM pg_catalog.pg_depend x WHERE x.deptype = 'x' AND "
                              "x.classid = '" + catalog + "'::pg_catalog.regclass AND x.refclassid = "
                              "'pg_catalog.pg_extension'::pg_catalog.regclass)"));
  for (int i = 0; i < r.rows(); i++) out[r.oid(i, 0)].push_back(r.str(i, 1));
  return out;
}

std::string dependsOnExtensionClauses(const Quoter& q, const std::vector<std::string>& extnames,
                                      const std::string& keyword, const std::string& name) {
  std::string s;
  for (const auto& e : extnames) s += "ALTER " + keyword + " " + name + " DEPENDS ON EXTENSION " + q.id(e) + ";\n";
  return s;
}

}  // namespace pgarc::dump
