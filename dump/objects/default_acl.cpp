// getDefaultACLs / dumpDefaultACL: ALTER DEFAULT PRIVILEGES entries as pg_dump
// 15 writes them.
#include "dump/acl.hpp"
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_b_common.hpp"

namespace pgarc::dump {

namespace {
struct DefaultAclInfo : DumpableObject {
  DefaultAclInfo() : DumpableObject(ObjectType::DefaultAcl) {}
  AclInfo dacl;
  std::string defaclrole;
  char objtype = 'r';
  // Same schema and object type: by role name (the catalog's unique key).
  int sortTieBreak(const DumpableObject& other) const override {
    return defaclrole.compare(static_cast<const DefaultAclInfo&>(other).defaclrole);
  }
};
}  // namespace

Status getDefaultACLs(CatalogContext& ctx) {
  // Global entries (no schema) are deltas from the built-in default; entries
  // for a schema can only add privileges, so their base is empty.
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT oid, tableoid, defaclrole, defaclnamespace, defaclobjtype, defaclacl, "
                              "CASE WHEN defaclnamespace = 0 THEN acldefault(CASE WHEN defaclobjtype = 'S' "
                              "THEN 's'::\"char\" ELSE defaclobjtype END, defaclrole) ELSE '{}' END AS acldefault "
                              "FROM pg_default_acl"));
  for (int i = 0; i < r.rows(); i++) {
    auto d = std::make_unique<DefaultAclInfo>();
    d->catId = {r.oid(i, 1), r.oid(i, 0)};
    d->name = r.str(i, 4);  // pg_dump names it by the object type letter (used for sorting)
    const uint32_t nspid = r.oid(i, 3);
    if (nspid != 0) d->ns = ctx.store.findNamespace(nspid);
    d->dacl.acl = r.str(i, 5);
    d->dacl.acldefault = r.str(i, 6);
    d->defaclrole = ctx.roleName(r.oid(i, 2));
    d->owner = d->defaclrole;
    d->objtype = r.ch(i, 4);
    d->components |= kCompAcl;
    DefaultAclInfo* dacl = ctx.store.add(std::move(d));
    // pg_dump's selectDumpableDefaultACL: part of the schema, never of an extension.
    if (dacl->ns)
      dacl->dump = dacl->ns->dumpContains;
    else
      dacl->dump = includeEverything(ctx) ? kCompAll : kCompNone;
  }
  return {};
}

Status dumpDefaultACL(EmitContext& ctx, DumpableObject& obj) {
  auto& d = static_cast<DefaultAclInfo&>(obj);
  if (ctx.options.dataOnly || ctx.options.noPrivileges) return {};
  std::string type;
  switch (d.objtype) {
    case 'r': type = "TABLES"; break;
    case 'S': type = "SEQUENCES"; break;
    case 'f': type = "FUNCTIONS"; break;
    case 'T': type = "TYPES"; break;
    case 'n': type = "SCHEMAS"; break;
    default: return makeError("unrecognized object type in default privileges: " + std::string(1, d.objtype));
  }
  const Quoter& q = ctx.quote;
  std::string prefix = "ALTER DEFAULT PRIVILEGES FOR ROLE " + q.id(d.defaclrole) + " ";
  if (d.ns) prefix += "IN SCHEMA " + q.id(d.ns->name) + " ";
  auto sql = buildAclCommands(q, "", "", "", type, d.dacl.acl, d.dacl.acldefault, d.defaclrole, prefix);
  if (!sql) return makeError("could not parse default ACL list (" + d.dacl.acl + ")");
  if (d.dump & kCompAcl) {
    EntrySpec e;
    e.dumpId = d.dumpId;
    e.catId = d.catId;
    e.tag = "DEFAULT PRIVILEGES FOR " + type;
    if (d.ns) e.namespace_ = d.ns->name;
    e.owner = d.defaclrole;
    e.desc = "DEFAULT ACL";
    e.section = Section::PostData;
    e.defn = *sql;
    ctx.add(std::move(e));
  }
  return {};
}

}  // namespace pgarc::dump
