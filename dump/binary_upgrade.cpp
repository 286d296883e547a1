#include "dump/binary_upgrade.hpp"

namespace pgarc::dump {

namespace {
constexpr uint32_t kFirstNormalObjectId = 16384;

std::string oidCall(const char* function, uint32_t oid) {
  return std::string("SELECT pg_catalog.") + function + "('" + std::to_string(oid) + "'::pg_catalog.oid);\n";
}
}  // namespace

Result<BinaryUpgradeOids> BinaryUpgradeOids::read(Connection& conn) {
  BinaryUpgradeOids out;
  const std::string firstUser = std::to_string(kFirstNormalObjectId);
  // pg_dump joins the TOAST table's valid index; a relation has at most one.
  PGARC_ASSIGN(QueryResult rels,
               conn.query("SELECT c.oid, c.relkind, c.relfilenode, c.reltoastrelid, ct.relfilenode, i.indexrelid, "
                          "cti.relfilenode FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_index i ON "
                          "(c.reltoastrelid = i.indrelid AND i.indisvalid) LEFT JOIN pg_catalog.pg_class ct ON "
                          "(c.reltoastrelid = ct.oid) LEFT JOIN pg_catalog.pg_class AS cti ON (i.indexrelid = cti.oid) "
                          "WHERE c.oid >= '" + firstUser + "'::pg_catalog.oid"));
  for (int i = 0; i < rels.rows(); i++) {
    Relation r;
    r.relkind = rels.ch(i, 1);
    r.relfilenode = rels.oid(i, 2);
    r.toastOid = rels.oid(i, 3);
    r.toastRelfilenode = rels.oid(i, 4);
    r.toastIndexOid = rels.oid(i, 5);
    r.toastIndexRelfilenode = rels.oid(i, 6);
    out.relations_[rels.oid(i, 0)] = r;
  }
  PGARC_ASSIGN(QueryResult types, conn.query("SELECT oid, typarray FROM pg_catalog.pg_type WHERE oid >= '" + firstUser +
                                             "'::pg_catalog.oid"));
  for (int i = 0; i < types.rows(); i++) out.arrayTypes_[types.oid(i, 0)] = types.oid(i, 1);
  if (conn.serverVersion() >= 140000) {
    PGARC_ASSIGN(QueryResult ranges,
                 conn.query("SELECT r.rngtypid, t.oid, t.typarray FROM pg_catalog.pg_type t JOIN pg_catalog.pg_range r "
                            "ON t.oid = r.rngmultitypid WHERE r.rngtypid >= '" + firstUser + "'::pg_catalog.oid"));
    for (int i = 0; i < ranges.rows(); i++) out.multiranges_[ranges.oid(i, 0)] = {ranges.oid(i, 1), ranges.oid(i, 2)};
  }
  return out;
}

Result<std::string> BinaryUpgradeOids::setTypeOids(uint32_t typeOid, bool forceArrayType, bool includeMultirange) const {
  std::string s = "\n-- For binary upgrade, must preserve pg_type oid\n" +
                  oidCall("binary_upgrade_set_next_pg_type_oid", typeOid) + "\n";
  auto arr = arrayTypes_.find(typeOid);
  if (arr == arrayTypes_.end()) return makeError("binary upgrade: type with OID " + std::to_string(typeOid) + " not found");
  // Only servers older than 11 have domains without array types; pg_dump
  // would pick an unused oid for the array then.
  if (arr->second == 0 && forceArrayType)
    return makeError("binary upgrade: domain with OID " + std::to_string(typeOid) +
                     " has no array type (server older than 11), which pgarc does not support");
  if (arr->second != 0)
    s += "\n-- For binary upgrade, must preserve pg_type array oid\n" +
         oidCall("binary_upgrade_set_next_array_pg_type_oid", arr->second) + "\n";
  if (includeMultirange) {
    auto m = multiranges_.find(typeOid);
    if (m == multiranges_.end())
      return makeError("binary upgrade: no multirange type for range type with OID " + std::to_string(typeOid) +
                       " (server older than 14), which pgarc does not support");
    s += "\n-- For binary upgrade, must preserve multirange pg_type oid\n" +
         oidCall("binary_upgrade_set_next_multirange_pg_type_oid", m->second.oid) + "\n";
    s += "\n-- For binary upgrade, must preserve multirange pg_type array oid\n" +
         oidCall("binary_upgrade_set_next_multirange_array_pg_type_oid", m->second.arrayOid) + "\n";
  }
  return s;
}

Result<std::string> BinaryUpgradeOids::setTypeOidsByRel(const TableInfo& t) const {
  if (t.reltype == 0) return std::string();
  return setTypeOids(t.reltype, false, false);
}

Result<std::string> BinaryUpgradeOids::setPgClassOids(uint32_t classOid, bool isIndex) const {
  auto it = relations_.find(classOid);
  if (it == relations_.end())
    return makeError("binary upgrade: relation with OID " + std::to_string(classOid) + " not found");
  const Relation& r = it->second;
  std::string s = "\n-- For binary upgrade, must preserve pg_class oids and relfilenodes\n";
  if (isIndex) {
    s += oidCall("binary_upgrade_set_next_index_pg_class_oid", classOid);
    s += oidCall("binary_upgrade_set_next_index_relfilenode", r.relfilenode);
    return s + "\n";
  }
  s += oidCall("binary_upgrade_set_next_heap_pg_class_oid", classOid);
  // Partitioned tables of servers before 12 have a relfilenode and maybe a
  // TOAST table that must not be carried over.
  if (r.relfilenode != 0 && r.relkind != 'p') s += oidCall("binary_upgrade_set_next_heap_relfilenode", r.relfilenode);
  if (r.toastOid != 0 && r.relkind != 'p') {
    s += oidCall("binary_upgrade_set_next_toast_pg_class_oid", r.toastOid);
    s += oidCall("binary_upgrade_set_next_toast_relfilenode", r.toastRelfilenode);
    s += oidCall("binary_upgrade_set_next_index_pg_class_oid", r.toastIndexOid);
    s += oidCall("binary_upgrade_set_next_index_relfilenode", r.toastIndexRelfilenode);
  }
  return s + "\n";
}

Result<std::string> extensionMemberClause(const ObjectStore& store, const Quoter& q, const DumpableObject& obj,
                                          const std::string& objtype, const std::string& name,
                                          const std::string& nsname) {
  if (!obj.ext_member) return std::string();
  // A member depends directly on its own extension only.
  const DumpableObject* ext = nullptr;
  for (DumpId d : obj.dependencies) {
    const DumpableObject* o = store.byDumpId(d);
    if (o && o->type == ObjectType::Extension) {
      ext = o;
      break;
    }
  }
  if (!ext) return makeError("could not find parent extension for " + objtype + " " + name);
  std::string s = "\n-- For binary upgrade, handle extension membership the hard way\n";
  s += "ALTER EXTENSION " + q.id(ext->name) + " ADD " + objtype + " ";
  if (!nsname.empty()) s += q.id(nsname) + ".";
  return s + name + ";\n";
}

Status appendExtensionMember(const EmitContext& ctx, std::string& sql, const DumpableObject& obj,
                             const std::string& objtype, const std::string& name, const std::string& nsname) {
  if (!ctx.binaryUpgrade) return {};
  PGARC_ASSIGN(std::string clause, extensionMemberClause(ctx.store, ctx.quote, obj, objtype, name, nsname));
  sql += clause;
  return {};
}

}  // namespace pgarc::dump
