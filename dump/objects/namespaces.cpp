// Schemas: getNamespaces / dumpNamespace.
#include <cctype>

#include "dump/acl.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/comments.hpp"
#include "dump/objects/kinds.hpp"

namespace pgarc::dump {

namespace {
constexpr uint32_t kPgDatabaseOwner = 6171;  // ROLE_PG_DATABASE_OWNER

void selectDumpableNamespace(NamespaceInfo& ns, const Selection& sel) {
  Components c;
  if (sel.anyTableInclude) {
    c = kCompNone;
  } else if (sel.anySchemaInclude) {
    c = sel.schemaInclude.count(ns.catId.oid) ? kCompAll : kCompNone;
  } else if (ns.name == "pg_catalog") {
    // Only ACLs changed from initdb's are of interest there.
    c = kCompAcl;
  } else if (ns.name.rfind("pg_", 0) == 0 || ns.name == "information_schema") {
    c = kCompNone;
  } else if (ns.name == "public") {
    ns.create = false;
    ns.dump = kCompAll;
    if (ns.nspowner == kPgDatabaseOwner) ns.dump &= ~kCompDefinition;
    ns.dumpContains = kCompAll;
    ns.components |= kCompComment;  // so that a missing comment is noticed
    if (sel.schemaExclude.count(ns.catId.oid)) ns.dump = ns.dumpContains = kCompNone;
    return;
  } else {
    c = kCompAll;
  }
  ns.dump = ns.dumpContains = c;
  if (ns.dumpContains && sel.schemaExclude.count(ns.catId.oid)) ns.dump = ns.dumpContains = kCompNone;
}
// A role name as it appears inside an aclitem (dumputils' quoteAclUserName).
std::string aclUserName(const std::string& role) {
  bool safe = true;
  for (unsigned char c : role)
    if (!std::isalnum(c) && c != '_') safe = false;
  std::string out = safe ? "" : "\"";
  for (char c : role) {
    if (c == '"') out += '"';
    out += c;
  }
  if (!safe) out += '"';
  return out;
}

// One element of a text[] literal, quoted when the array parser needs it.
std::string arrayElement(const std::string& v) {
  bool quote = v.empty() || (v.size() == 4 && (v[0] | 0x20) == 'n' && (v[1] | 0x20) == 'u' &&
                               (v[2] | 0x20) == 'l' && (v[3] | 0x20) == 'l');
  for (char c : v)
    if (c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' || c == ' ' || c == '\t' || c == '\n' ||
        c == '\r' || c == '\v' || c == '\f')
      quote = true;
  if (!quote) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}
}  // namespace

Status getNamespaces(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT n.tableoid, n.oid, n.nspname, n.nspowner, n.nspacl, "
                              "pg_catalog.acldefault('n', n.nspowner) AS acldefault "
                              "FROM pg_catalog.pg_namespace n"));
  ctx.store.catalogOids["pg_namespace"] = r.rows() > 0 ? r.oid(0, 0) : 2615;
  for (int i = 0; i < r.rows(); i++) {
    auto ns = std::make_unique<NamespaceInfo>();
    ns->catId = {r.oid(i, 0), r.oid(i, 1)};
    ns->name = r.str(i, 2);
    ns->nspowner = r.oid(i, 3);
    ns->owner = ctx.roleName(ns->nspowner);
    ns->dacl = {r.str(i, 4), r.str(i, 5), "", ""};
    if (!r.isNull(i, 4)) ns->components |= kCompAcl;
    selectDumpableNamespace(*ns, ctx.selection);
    if (ns->name == "public") {
      // pg_dump 15 ignores pg_init_privs for public and compares with the
      // v15 default as it will be after ALTER SCHEMA OWNER: {owner=UC/owner,=U/owner}.
      const std::string owner = aclUserName(ns->owner);
      ns->dacl.privtype = "i";
      ns->dacl.initprivs = "{" + arrayElement(owner + "=UC/" + owner) + "," + arrayElement("=U/" + owner) + "}";
      ns->components |= kCompAcl;
    }
    ctx.store.add(std::move(ns));
  }
  return {};
}

Status dumpNamespace(EmitContext& ctx, DumpableObject& obj) {
  auto& ns = static_cast<NamespaceInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const std::string q = ctx.quote.id(ns.name);
  const bool create = ns.create;
  if (ns.dump & kCompDefinition) {
    EntrySpec e;
    e.dumpId = ns.dumpId;
    e.catId = ns.catId;
    e.tag = ns.name;
    e.owner = ns.owner;
    e.desc = "SCHEMA";
    e.section = Section::PreData;
    if (create) {
      e.defn = "CREATE SCHEMA " + q + ";\n";
      e.dropStmt = "DROP SCHEMA " + q + ";\n";
    } else {
      e.defn = "-- *not* creating schema, since initdb creates it\n";
      e.dropStmt = "-- *not* dropping schema, since initdb creates it\n";
    }
    PGARC_TRY(appendExtensionMember(ctx, *e.defn, ns, "SCHEMA", q));
    ctx.add(std::move(e));
  }
  CommentTarget t{"SCHEMA", q, "", ns.owner, ns.catId, 0, ns.dumpId};
  if (ns.dump & kCompComment) dumpComment(ctx, t, (!create && q == "public") ? "standard public schema" : nullptr);
  if (ns.dump & kCompSecLabel) dumpSecLabel(ctx, t);
  if (ns.dump & kCompAcl) {
    PGARC_ASSIGN(DumpId ignored, dumpAcl(ctx, ns.dumpId, 0, "SCHEMA", q, "", "", ns.owner, ns.dacl));
    (void)ignored;
  }
  return {};
}

}  // namespace pgarc::dump
