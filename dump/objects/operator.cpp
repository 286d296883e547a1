// getOperators / dumpOpr: operators as pg_dump 15 dumps them.
#include "dump/objects/operator.hpp"
#include "dump/binary_upgrade.hpp"

#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_b_common.hpp"

namespace pgarc::dump {

namespace {
int typeNameCompare(const std::pair<std::string, std::string>& a, const std::pair<std::string, std::string>& b) {
  if (a.first.empty() || b.first.empty()) return 0;
  if (int c = a.first.compare(b.first)) return c;
  return a.second.compare(b.second);
}

std::pair<std::string, std::string> typeKey(const CatalogContext& ctx, uint32_t oid) {
  DumpableObject* t = ctx.store.findByOid("pg_type", oid);
  // Array and table row types are dummy types; pg_dump compares their names too.
  if (!t || (t->type != ObjectType::Type && t->type != ObjectType::DummyType) || !t->ns) return {};
  return {t->ns->name, t->name};
}
}  // namespace

int OprInfo::sortTieBreak(const DumpableObject& other) const {
  const auto& o = static_cast<const OprInfo&>(other);
  if (int c = o.oprkind - oprkind) return c;
  if (int c = typeNameCompare(leftKey, o.leftKey)) return c;
  return typeNameCompare(rightKey, o.rightKey);
}

std::string regProcReference(const std::string& proc) {
  if (proc == "-") return {};
  bool inquote = false;
  for (size_t i = 0; i < proc.size(); i++) {
    if (proc[i] == '(' && !inquote) return proc.substr(0, i);
    if (proc[i] == '"') inquote = !inquote;
  }
  return proc;
}

std::string formattedOperatorName(const ObjectStore& store, const Quoter& q, uint32_t oid) {
  if (oid == 0) return {};
  DumpableObject* o = store.findByOid("pg_operator", oid);
  if (!o || o->type != ObjectType::Operator) return {};
  return "OPERATOR(" + q.id(schemaName(*o)) + "." + o->name + ")";
}

Status getOperators(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r, ctx.conn.query("SELECT tableoid, oid, oprname, oprnamespace, oprowner, oprkind, "
                                             "oprcode::oid AS oprcode, oprleft, oprright FROM pg_catalog.pg_operator"));
  std::map<uint32_t, OprInfo*> dumpable;
  for (int i = 0; i < r.rows(); i++) {
    auto o = std::make_unique<OprInfo>();
    o->catId = {r.oid(i, 0), r.oid(i, 1)};
    o->name = r.str(i, 2);
    o->ns = ctx.store.findNamespace(r.oid(i, 3));
    o->owner = ctx.roleName(r.oid(i, 4));
    o->oprkind = r.ch(i, 5);
    o->oprcode = r.oid(i, 6);
    o->leftKey = typeKey(ctx, r.oid(i, 7));
    o->rightKey = typeKey(ctx, r.oid(i, 8));
    OprInfo* opr = ctx.store.add(std::move(o));
    selectDumpableObject(ctx, *opr);
    // Operators have no privileges: one whose only dump request is the ACL
    // (pg_catalog's, ~800) is never emitted and needs no details.
    if (opr->dump & ~kCompAcl) dumpable[opr->catId.oid] = opr;
  }
  if (dumpable.empty()) return {};
  std::vector<uint32_t> oids;
  for (auto& [oid, o] : dumpable) oids.push_back(oid);
  PGARC_ASSIGN(QueryResult d,
               ctx.conn.query("SELECT oid, oprcode::pg_catalog.regprocedure, oprleft::pg_catalog.regtype, "
                              "oprright::pg_catalog.regtype, oprcom, oprnegate, oprrest::pg_catalog.regprocedure, "
                              "oprjoin::pg_catalog.regprocedure, oprcanmerge, oprcanhash "
                              "FROM pg_catalog.pg_operator WHERE oid = ANY(" + oidArrayLiteral(oids) + ")"));
  for (int i = 0; i < d.rows(); i++) {
    auto it = dumpable.find(d.oid(i, 0));
    if (it == dumpable.end()) continue;
    OprInfo& o = *it->second;
    o.detailsLoaded = true;
    o.code = d.str(i, 1);
    o.left = d.str(i, 2);
    o.right = d.str(i, 3);
    o.com = d.oid(i, 4);
    o.negate = d.oid(i, 5);
    o.rest = d.str(i, 6);
    o.join = d.str(i, 7);
    o.canmerge = d.boolean(i, 8);
    o.canhash = d.boolean(i, 9);
  }
  return {};
}

Status dumpOpr(EmitContext& ctx, DumpableObject& obj) {
  auto& o = static_cast<OprInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  if (o.oprcode == 0) return {};  // shell operator: created implicitly by its users
  if (!o.detailsLoaded) return makeError("operator \"" + o.name + "\" vanished during the dump");
  const Quoter& q = ctx.quote;
  std::string details;
  std::string ref = regProcReference(o.code);
  if (!ref.empty()) details += "    FUNCTION = " + ref;
  std::string oprid = o.name + " (";
  if (o.oprkind == 'r' || o.oprkind == 'b') {
    details += ",\n    LEFTARG = " + o.left;
    oprid += o.left;
  } else {
    oprid += "NONE";
  }
  if (o.oprkind == 'l' || o.oprkind == 'b') {
    details += ",\n    RIGHTARG = " + o.right;
    oprid += ", " + o.right + ")";
  } else {
    oprid += ", NONE)";
  }
  std::string name = formattedOperatorName(ctx.store, q, o.com);
  if (!name.empty()) details += ",\n    COMMUTATOR = " + name;
  name = formattedOperatorName(ctx.store, q, o.negate);
  if (!name.empty()) details += ",\n    NEGATOR = " + name;
  if (o.canmerge) details += ",\n    MERGES";
  if (o.canhash) details += ",\n    HASHES";
  ref = regProcReference(o.rest);
  if (!ref.empty()) details += ",\n    RESTRICT = " + ref;
  ref = regProcReference(o.join);
  if (!ref.empty()) details += ",\n    JOIN = " + ref;

  const std::string nsp = schemaName(o);
  std::string sql = "CREATE OPERATOR " + q.id(nsp) + "." + o.name + " (\n" + details + "\n);\n";
  const std::string del = "DROP OPERATOR " + q.id(nsp) + "." + oprid + ";\n";
  PGARC_TRY(appendExtensionMember(ctx, sql, o, "OPERATOR", oprid, nsp));
  if (o.dump & kCompDefinition) {
    ctx.add(plainDefinitionEntry(o, o.name, "OPERATOR", sql, del));
  }
  return dumpCommentSecLabelAcl(ctx, o, "OPERATOR", oprid, nsp, nullptr);
}

}  // namespace pgarc::dump
