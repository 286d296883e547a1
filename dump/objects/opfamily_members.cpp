#include "dump/objects/opfamily_members.hpp"

#include "dump/objects/kinds_a_common.hpp"

namespace pgarc::dump {

int AmMemberOwnerInfo::sortTieBreak(const DumpableObject& other) const {
  const auto& o = static_cast<const AmMemberOwnerInfo&>(other);
  return methodName.empty() || o.methodName.empty() ? 0 : methodName.compare(o.methodName);
}

Result<std::map<uint32_t, AmMemberOwnerInfo*>> readAmMemberOwners(
    CatalogContext& ctx, const std::string& listQuery, const std::function<std::unique_ptr<AmMemberOwnerInfo>()>& make) {
  PGARC_ASSIGN(QueryResult r, ctx.conn.query(listQuery));
  std::map<uint32_t, AmMemberOwnerInfo*> dumpable;
  for (int i = 0; i < r.rows(); i++) {
    std::unique_ptr<AmMemberOwnerInfo> o = make();
    o->catId = {r.oid(i, 0), r.oid(i, 1)};
    o->name = r.str(i, 2);
    o->ns = ctx.store.findNamespace(r.oid(i, 3));
    o->owner = ctx.roleName(r.oid(i, 4));
    if (DumpableObject* am = ctx.store.findByOid("pg_am", r.oid(i, 5)); am && am->type == ObjectType::AccessMethod)
      o->methodName = am->name;
    AmMemberOwnerInfo* added = ctx.store.add(std::move(o));
    selectDumpableObject(ctx, *added);
    if (added->dump != kCompNone) dumpable[added->catId.oid] = added;
  }
  return dumpable;
}

void appendAmMembers(std::string& sql, const Quoter& q, const OpfamilyMembers& m, bool procTypesAlways,
                     bool& needComma) {
  for (const auto& op : m.ops) {
    if (needComma) sql += " ,\n    ";
    sql += "OPERATOR " + op.strategy + " " + op.opr;
    if (!op.sortFamily.empty()) sql += " FOR ORDER BY " + q.id(op.sortFamilyNsp) + "." + q.id(op.sortFamily);
    needComma = true;
  }
  for (const auto& pr : m.procs) {
    if (needComma) sql += " ,\n    ";
    sql += "FUNCTION " + pr.procnum;
    if (procTypesAlways || (!pr.lefttype.empty() && !pr.righttype.empty()))
      sql += " (" + pr.lefttype + ", " + pr.righttype + ")";
    sql += " " + pr.proc;
    needComma = true;
  }
}

Status readOpfamilyMembers(CatalogContext& ctx, const std::string& refCatalog, const std::string& oidArray,
                           const std::map<uint32_t, OpfamilyMembers*>& members) {
  // An operator class's operators are those of its family that depend on it;
  // a family's are those that depend on the family itself ("loose" members).
  const std::string familyOf = refCatalog == "pg_opclass"
                                   ? "(SELECT opcfamily FROM pg_catalog.pg_opclass WHERE oid = x.oid)"
                                   : "x.oid";
  PGARC_ASSIGN(QueryResult ops,
               ctx.conn.query("SELECT x.oid, s.* FROM unnest(" + oidArray + ") AS x(oid) "
                              "CROSS JOIN LATERAL (SELECT amopstrategy, amopopr::pg_catalog.regoperator, "
                              "opfname AS sortfamily, nspname AS sortfamilynsp "
                              "FROM pg_catalog.pg_amop ao JOIN pg_catalog.pg_depend ON "
                              "(classid = 'pg_catalog.pg_amop'::pg_catalog.regclass AND objid = ao.oid) "
                              "LEFT JOIN pg_catalog.pg_opfamily f ON f.oid = amopsortfamily "
                              "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = opfnamespace "
                              "WHERE refclassid = 'pg_catalog." + refCatalog + "'::pg_catalog.regclass "
                              "AND refobjid = x.oid AND amopfamily = " + familyOf + " "
                              "ORDER BY amopstrategy) s"));
  for (int i = 0; i < ops.rows(); i++) {
    auto it = members.find(ops.oid(i, 0));
    if (it == members.end()) continue;
    it->second->ops.push_back({ops.str(i, 1), ops.str(i, 2), ops.str(i, 3), ops.str(i, 4)});
  }
  PGARC_ASSIGN(QueryResult procs,
               ctx.conn.query("SELECT x.oid, s.* FROM unnest(" + oidArray + ") AS x(oid) "
                              "CROSS JOIN LATERAL (SELECT amprocnum, amproc::pg_catalog.regprocedure, "
                              "amproclefttype::pg_catalog.regtype, amprocrighttype::pg_catalog.regtype "
                              "FROM pg_catalog.pg_amproc ap, pg_catalog.pg_depend "
                              "WHERE refclassid = 'pg_catalog." + refCatalog + "'::pg_catalog.regclass "
                              "AND refobjid = x.oid "
                              "AND classid = 'pg_catalog.pg_amproc'::pg_catalog.regclass "
                              "AND objid = ap.oid ORDER BY amprocnum) s"));
  for (int i = 0; i < procs.rows(); i++) {
    auto it = members.find(procs.oid(i, 0));
    if (it == members.end()) continue;
    it->second->procs.push_back({procs.str(i, 1), procs.str(i, 2), procs.str(i, 3), procs.str(i, 4)});
  }
  return {};
}

}  // namespace pgarc::dump
