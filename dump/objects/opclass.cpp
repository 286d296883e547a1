// getOpclasses / dumpOpclass: operator classes as pg_dump 15 dumps them.
// pg_dump reads each class's operators and support functions with one query
// per class; here one query per kind covers all dumpable classes, running
// pg_dump's per-class query laterally so that rows keep its order.
#include "dump/objects/kinds.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds_b_common.hpp"
#include "dump/objects/opfamily_members.hpp"

namespace pgarc::dump {

namespace {
struct OpclassInfo : AmMemberOwnerInfo {
  OpclassInfo() : AmMemberOwnerInfo(ObjectType::Opclass) {}
  std::string intype, keytype, familyName, familyNsp, amname;
  bool isDefault = false;
};
}  // namespace

Status getOpclasses(CatalogContext& ctx) {
  PGARC_ASSIGN(auto dumpable,
               readAmMemberOwners(ctx,
                                  "SELECT tableoid, oid, opcname, opcnamespace, opcowner, opcmethod "
                                  "FROM pg_catalog.pg_opclass",
                                  [] { return std::make_unique<OpclassInfo>(); }));
  if (dumpable.empty()) return {};
  std::vector<uint32_t> oids;
  for (auto& [oid, o] : dumpable) oids.push_back(oid);
  const std::string arr = oidArrayLiteral(oids);
  PGARC_ASSIGN(QueryResult d,
               ctx.conn.query("SELECT c.oid, opcintype::pg_catalog.regtype, opckeytype::pg_catalog.regtype, "
                              "opcdefault, opfname AS opcfamilyname, nspname AS opcfamilynsp, "
                              "(SELECT amname FROM pg_catalog.pg_am WHERE oid = opcmethod) AS amname "
                              "FROM pg_catalog.pg_opclass c LEFT JOIN pg_catalog.pg_opfamily f ON f.oid = opcfamily "
                              "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = opfnamespace "
                              "WHERE c.oid = ANY(" + arr + ")"));
  for (int i = 0; i < d.rows(); i++) {
    auto it = dumpable.find(d.oid(i, 0));
    if (it == dumpable.end()) continue;
    auto& o = static_cast<OpclassInfo&>(*it->second);
    o.detailsLoaded = true;
    o.intype = d.str(i, 1);
    o.keytype = d.str(i, 2);
    o.isDefault = d.boolean(i, 3);
    o.familyName = d.str(i, 4);
    o.familyNsp = d.str(i, 5);
    o.amname = d.str(i, 6);
  }
  std::map<uint32_t, OpfamilyMembers*> members;
  for (auto& [oid, o] : dumpable) members[oid] = &o->members;
  return readOpfamilyMembers(ctx, "pg_opclass", arr, members);
}

Status dumpOpclass(EmitContext& ctx, DumpableObject& obj) {
  auto& o = static_cast<OpclassInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  if (!o.detailsLoaded) return makeError("operator class \"" + o.name + "\" vanished during the dump");
  const Quoter& q = ctx.quote;
  const std::string nsp = schemaName(o);
  const std::string qualified = q.qualified(nsp, o.name);
  const std::string del = "DROP OPERATOR CLASS " + qualified + " USING " + q.id(o.amname) + ";\n";
  std::string sql = "CREATE OPERATOR CLASS " + qualified + "\n    ";
  if (o.isDefault) sql += "DEFAULT ";
  sql += "FOR TYPE " + o.intype + " USING " + q.id(o.amname);
  if (!o.familyName.empty()) sql += " FAMILY " + q.id(o.familyNsp) + "." + q.id(o.familyName);
  sql += " AS\n    ";
  bool needComma = false;
  if (o.keytype != "-") {
    sql += "STORAGE " + o.keytype;
    needComma = true;
  }
  appendAmMembers(sql, q, o.members, false, needComma);
  if (!needComma) sql += "STORAGE " + o.intype;
  sql += ";\n";
  PGARC_TRY(appendExtensionMember(ctx, sql, o, "OPERATOR CLASS", q.id(o.name) + " USING " + q.id(o.amname), nsp));
  if (o.dump & kCompDefinition) ctx.add(plainDefinitionEntry(o, o.name, "OPERATOR CLASS", sql, del));
  return dumpCommentSecLabelAcl(ctx, o, "OPERATOR CLASS", q.id(o.name) + " USING " + q.id(o.amname), nsp, nullptr);
}

}  // namespace pgarc::dump
