// getOpfamilies / dumpOpfamily: operator families as pg_dump 15 dumps them
// (CREATE OPERATOR FAMILY plus ALTER ... ADD for members that belong to no
// operator class).
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_b_common.hpp"
#include "dump/objects/opfamily_members.hpp"

namespace pgarc::dump {

namespace {
struct OpfamilyInfo : DumpableObject {
  OpfamilyInfo() : DumpableObject(ObjectType::Opfamily) {}
  bool detailsLoaded = false;
  std::string amname;
  OpfamilyMembers members;
  std::string methodName;  // access method, for sorting ("" when unknown)
  int sortTieBreak(const DumpableObject& other) const override {
    const auto& o = static_cast<const OpfamilyInfo&>(other);
    return methodName.empty() || o.methodName.empty() ? 0 : methodName.compare(o.methodName);
  }
};
}  // namespace

Status getOpfamilies(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r, ctx.conn.query("SELECT tableoid, oid, opfname, opfnamespace, opfowner, opfmethod "
                                             "FROM pg_catalog.pg_opfamily"));
  std::map<uint32_t, OpfamilyInfo*> dumpable;
  for (int i = 0; i < r.rows(); i++) {
    auto o = std::make_unique<OpfamilyInfo>();
    o->catId = {r.oid(i, 0), r.oid(i, 1)};
    o->name = r.str(i, 2);
    o->ns = ctx.store.findNamespace(r.oid(i, 3));
    o->owner = ctx.roleName(r.oid(i, 4));
    if (DumpableObject* am = ctx.store.findByOid("pg_am", r.oid(i, 5)); am && am->type == ObjectType::AccessMethod)
      o->methodName = am->name;
    OpfamilyInfo* opf = ctx.store.add(std::move(o));
    selectDumpableObject(ctx, *opf);
    if (opf->dump != kCompNone) dumpable[opf->catId.oid] = opf;
  }
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
    it->second->amname = d.str(i, 1);
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
    for (const auto& op : o.members.ops) {
      if (needComma) sql += " ,\n    ";
      sql += "OPERATOR " + op.strategy + " " + op.opr;
      if (!op.sortFamily.empty()) sql += " FOR ORDER BY " + q.id(op.sortFamilyNsp) + "." + q.id(op.sortFamily);
      needComma = true;
    }
    for (const auto& pr : o.members.procs) {
      if (needComma) sql += " ,\n    ";
      sql += "FUNCTION " + pr.procnum + " (" + pr.lefttype + ", " + pr.righttype + ") " + pr.proc;
      needComma = true;
    }
    sql += ";\n";
  }
  if (o.dump & kCompDefinition) ctx.add(plainDefinitionEntry(o, o.name, "OPERATOR FAMILY", sql, del));
  return dumpCommentSecLabelAcl(ctx, o, "OPERATOR FAMILY", q.id(o.name) + using_, nsp, nullptr);
}

}  // namespace pgarc::dump
