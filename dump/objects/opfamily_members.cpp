#include "dump/objects/opfamily_members.hpp"

namespace pgarc::dump {

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
