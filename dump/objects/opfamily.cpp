// getOpfamilies / dumpOpfamily: operator families as pg_dump 15 dumps them
// (CREATE OPERATOR FAMILY plus ALTER ... ADD for members that belong to no
// operator class).
#include "dump/objects/kinds.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds_b_common.hpp"
#include "dump/objects/opfamily_members.hpp"

namespace pgarc::dump {

namespace {
struct OpfamilyInfo : AmMemberOwnerInfo {
  OpfamilyInfo() : AmMemberOwnerInfo(ObjectType::Opfamily) {}
  std::string amname;
};
}  // namespace

Status getOpfamilies(CatalogContext& ctx) {
  PGARC_ASSIGN(auto dumpable,
               readAmMemberOwners(ctx,
                                  "SELECT tableoid, oid, opfname, opfnamespace, opfowner, opfmethod "
                                  "FROM pg_catalog.pg_opfamily",
                                  [] { return std::make_unique<OpfamilyInfo>(); }));
  if (dumpable.empty()) return {};
  std::vector<uint32_t> oids;
  for (auto& [oid, o] : dumpable) oids.push_back(oid);
  const std::string arr = oidArrayLiteral(oids);
  PGARC_ASSIGN(QueryResult d,
               ctx.conn.query("SELECT oid, (SELECT amname FROM pg_catalog.pg_am WHERE oid = opfmethod) AS amname "
                              "FROM pg_catalog.pg_opfamily WHERE oid = ANY(" + arr + ")"));
  for (int i = 0; i < d.rows(); i++) {
    auto it = dumpable.find(d.oid(i, 0));
    if (it == dumpable.end()) continue;
    it->second->detailsLoaded = true;
    static_cast<OpfamilyInfo&>(*it->second).amname = d.str(i, 1);
  }
  std::map<uint32_t, OpfamilyMembers*> members;
  for (auto& [oid, o] : dumpable) members[oid] = &o->members;
  return readOpfamilyMembers(ctx, "pg_opfamily", arr, members);
}

Status dumpOpfamily(EmitContext& ctx, DumpableObject& obj) {
  auto& o = static_cast<OpfamilyInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  if (!o.detailsLoaded) return makeError("operator family \"" + o.name + "\" vanished during the dump");
  const Quoter& q = ctx.quote;
  const std::string nsp = schemaName(o);
  const std::string qualified = q.qualified(nsp, o.name);
  const std::string using_ = " USING " + q.id(o.amname);
  const std::string del = "DROP OPERATOR FAMILY " + qualified + using_ + ";\n";
  std::string sql = "CREATE OPERATOR FAMILY " + qualified + using_ + ";\n";
  if (!o.members.ops.empty() || !o.members.procs.empty()) {
    sql += "ALTER OPERATOR FAMILY " + qualified + using_ + " ADD\n    ";
    bool needComma = false;
    appendAmMembers(sql, q, o.members, true, needComma);
    sql += ";\n";
  }
  PGARC_TRY(appendExtensionMember(ctx, sql, o, "OPERATOR FAMILY", q.id(o.name) + using_, nsp));
  if (o.dump & kCompDefinition) ctx.add(plainDefinitionEntry(o, o.name, "OPERATOR FAMILY", sql, del));
  return dumpCommentSecLabelAcl(ctx, o, "OPERATOR FAMILY", q.id(o.name) + using_, nsp, nullptr);
}

}  // namespace pgarc::dump
