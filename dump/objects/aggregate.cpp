// getAggregates / dumpAgg: aggregates as pg_dump 15 dumps them. Aggregates
// share FuncInfo's shape (pg_dump's AggInfo embeds a FuncInfo).
#include "dump/objects/function.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_a_common.hpp"

namespace pgarc::dump {

namespace {

struct AggDetails {
  std::string transfn, finalfn, transtype, initval, funcargs, funciargs, mtransfn, minvtransfn, mfinalfn, mtranstype,
      transspace, mtransspace, minitval, combinefn, serialfn, deserialfn, sortopNsp, sortopName;
  bool initvalNull = true, minitvalNull = true, finalextra = false, mfinalextra = false, hasSortop = false;
  char kind = 'n', proparallel = 'u', finalmodify = '0', mfinalmodify = '0';
};

struct AggInfo : FuncInfo {
  AggInfo() : FuncInfo(ObjectType::Agg) {}
  AggDetails agg;
};

std::vector<std::string> arrayOrEmpty(const std::string& text) {
  if (text.empty()) return {};
  auto v = parsePgArray(text);
  return v ? *v : std::vector<std::string>{};
}

const char* modifyClause(char m) {
  switch (m) {
    case 'r': return "READ_ONLY";
    case 's': return "SHAREABLE";
    case 'w': return "READ_WRITE";
    default: return nullptr;
  }
}

Status loadAggDetails(CatalogContext& ctx, std::map<uint32_t, AggInfo*>& aggs) {
  std::vector<uint32_t> oids;
  for (auto& [oid, a] : aggs) oids.push_back(oid);
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT p.oid, aggtransfn, aggfinalfn, aggtranstype::pg_catalog.regtype, agginitval, "
                              "pg_catalog.pg_get_function_arguments(p.oid) AS funcargs, "
                              "pg_catalog.pg_get_function_identity_arguments(p.oid) AS funciargs, aggkind, aggmtransfn, "
                              "aggminvtransfn, aggmfinalfn, aggmtranstype::pg_catalog.regtype, aggfinalextra, "
                              "aggmfinalextra, aggtransspace, aggmtransspace, aggminitval, aggcombinefn, aggserialfn, "
                              "aggdeserialfn, proparallel, aggfinalmodify, aggmfinalmodify, "
                              "(SELECT n.nspname FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON "
                              "n.oid = o.oprnamespace WHERE o.oid = a.aggsortop), "
                              "(SELECT o.oprname FROM pg_catalog.pg_operator o WHERE o.oid = a.aggsortop) "
                              "FROM pg_catalog.pg_aggregate a, pg_catalog.pg_proc p WHERE a.aggfnoid = p.oid AND "
                              "p.oid = ANY(" + oidArrayLiteral(oids) + ")"));
  for (int i = 0; i < r.rows(); i++) {
    auto it = aggs.find(r.oid(i, 0));
    if (it == aggs.end()) continue;
    AggInfo& a = *it->second;
    AggDetails& d = a.agg;
    a.detailsLoaded = true;
    d.transfn = r.str(i, 1);
    d.finalfn = r.str(i, 2);
    d.transtype = r.str(i, 3);
    d.initvalNull = r.isNull(i, 4);
    d.initval = r.str(i, 4);
    d.funcargs = r.str(i, 5);
    d.funciargs = r.str(i, 6);
    d.kind = r.ch(i, 7);
    d.mtransfn = r.str(i, 8);
    d.minvtransfn = r.str(i, 9);
    d.mfinalfn = r.str(i, 10);
    d.mtranstype = r.str(i, 11);
    d.finalextra = r.boolean(i, 12);
    d.mfinalextra = r.boolean(i, 13);
    d.transspace = r.str(i, 14);
    d.mtransspace = r.str(i, 15);
    d.minitvalNull = r.isNull(i, 16);
    d.minitval = r.str(i, 16);
    d.combinefn = r.str(i, 17);
    d.serialfn = r.str(i, 18);
    d.deserialfn = r.str(i, 19);
    d.proparallel = r.ch(i, 20);
    d.finalmodify = r.ch(i, 21);
    d.mfinalmodify = r.ch(i, 22);
    d.hasSortop = !r.isNull(i, 24);
    d.sortopNsp = r.str(i, 23);
    d.sortopName = r.str(i, 24);
  }
  return {};
}

}  // namespace

Status getAggregates(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query(
                   "SELECT p.tableoid, p.oid, p.proname AS aggname, p.pronamespace AS aggnamespace, p.pronargs, "
                   "p.proargtypes, pg_catalog.pg_get_userbyid(p.proowner), p.proacl AS aggacl, acldefault('f', "
                   "p.proowner) AS acldefault, pip.privtype, pip.initprivs, "
                   "ARRAY(SELECT pg_catalog.format_type(a.t, NULL) FROM unnest(p.proargtypes) WITH ORDINALITY AS "
                   "a(t, n) ORDER BY a.n), "
                   "ARRAY(SELECT coalesce((SELECT tn.nspname FROM pg_catalog.pg_type ty JOIN pg_catalog.pg_namespace "
                   "tn ON tn.oid = ty.typnamespace WHERE ty.oid = a.t), '') FROM unnest(p.proargtypes) WITH "
                   "ORDINALITY AS a(t, n) ORDER BY a.n), "
                   "ARRAY(SELECT coalesce((SELECT ty.typname FROM pg_catalog.pg_type ty WHERE ty.oid = a.t), '') "
                   "FROM unnest(p.proargtypes) WITH ORDINALITY AS a(t, n) ORDER BY a.n) "
                   "FROM pg_proc p LEFT JOIN pg_init_privs pip ON (p.oid = pip.objoid AND pip.classoid = "
                   "'pg_proc'::regclass AND pip.objsubid = 0) WHERE p.prokind = 'a' AND (p.pronamespace != (SELECT "
                   "oid FROM pg_namespace WHERE nspname = 'pg_catalog') OR p.proacl IS DISTINCT FROM pip.initprivs" +
                   std::string(ctx.options.binaryUpgrade
                                   ? " OR EXISTS(SELECT 1 FROM pg_depend WHERE classid = 'pg_proc'::regclass AND "
                                     "objid = p.oid AND refclassid = 'pg_extension'::regclass AND deptype = 'e')"
                                   : "") +
                   ")"));
  std::map<uint32_t, AggInfo*> dumpable;
  for (int i = 0; i < r.rows(); i++) {
    auto a = std::make_unique<AggInfo>();
    a->catId = {r.oid(i, 0), r.oid(i, 1)};
    a->name = r.str(i, 2);
    a->ns = ctx.store.findNamespace(r.oid(i, 3));
    a->owner = r.str(i, 6);
    a->dacl.acl = r.str(i, 7);
    a->dacl.acldefault = r.str(i, 8);
    a->dacl.privtype = r.str(i, 9);
    a->dacl.initprivs = r.str(i, 10);
    a->argTypeNames = arrayOrEmpty(r.str(i, 11));
    auto nsps = arrayOrEmpty(r.str(i, 12));
    auto typs = arrayOrEmpty(r.str(i, 13));
    for (size_t k = 0; k < nsps.size() && k < typs.size(); k++) a->argTypeKeys.emplace_back(nsps[k], typs[k]);
    a->argtypes.resize(a->argTypeNames.size());
    AggInfo* agg = ctx.store.add(std::move(a));
    selectDumpableObject(ctx, *agg);
    if (!r.isNull(i, 7)) agg->components |= kCompAcl;
    if (agg->dump != kCompNone) dumpable[agg->catId.oid] = agg;
  }
  if (dumpable.empty()) return {};
  return loadAggDetails(ctx, dumpable);
}

Status dumpAgg(EmitContext& ctx, DumpableObject& obj) {
  auto& a = static_cast<AggInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  if (!a.detailsLoaded) return makeError("aggregate \"" + a.name + "\" vanished during the dump");
  const Quoter& q = ctx.quote;
  const AggDetails& d = a.agg;
  const std::string nsp = schemaName(a);
  const bool noArgs = a.argTypeNames.empty();
  const std::string aggfullsig = q.id(a.name) + "(" + (noArgs ? std::string("*") : d.funcargs) + ")";
  const std::string aggsig = q.id(a.name) + "(" + (noArgs ? std::string("*") : d.funciargs) + ")";
  std::string tag = a.name + "(";
  if (noArgs) tag += "*";
  for (size_t i = 0; i < a.argTypeNames.size(); i++) tag += (i ? ", " : "") + a.argTypeNames[i];
  tag += ")";

  const char defaultModify = d.kind == 'n' ? 'r' : 'w';
  const char finalmodify = d.finalmodify == '0' ? defaultModify : d.finalmodify;
  const char mfinalmodify = d.mfinalmodify == '0' ? defaultModify : d.mfinalmodify;

  std::string details = "    SFUNC = " + d.transfn + ",\n    STYPE = " + d.transtype;
  if (d.transspace != "0") details += ",\n    SSPACE = " + d.transspace;
  if (!d.initvalNull) details += ",\n    INITCOND = " + q.literal(d.initval);
  if (d.finalfn != "-") {
    details += ",\n    FINALFUNC = " + d.finalfn;
    if (d.finalextra) details += ",\n    FINALFUNC_EXTRA";
    if (finalmodify != defaultModify) {
      const char* m = modifyClause(finalmodify);
      if (!m) return makeError("unrecognized aggfinalmodify value for aggregate \"" + a.name + "\"");
      details += std::string(",\n    FINALFUNC_MODIFY = ") + m;
    }
  }
  if (d.combinefn != "-") details += ",\n    COMBINEFUNC = " + d.combinefn;
  if (d.serialfn != "-") details += ",\n    SERIALFUNC = " + d.serialfn;
  if (d.deserialfn != "-") details += ",\n    DESERIALFUNC = " + d.deserialfn;
  if (d.mtransfn != "-")
    details += ",\n    MSFUNC = " + d.mtransfn + ",\n    MINVFUNC = " + d.minvtransfn + ",\n    MSTYPE = " + d.mtranstype;
  if (d.mtransspace != "0") details += ",\n    MSSPACE = " + d.mtransspace;
  if (!d.minitvalNull) details += ",\n    MINITCOND = " + q.literal(d.minitval);
  if (d.mfinalfn != "-") {
    details += ",\n    MFINALFUNC = " + d.mfinalfn;
    if (d.mfinalextra) details += ",\n    MFINALFUNC_EXTRA";
    if (mfinalmodify != defaultModify) {
      const char* m = modifyClause(mfinalmodify);
      if (!m) return makeError("unrecognized aggmfinalmodify value for aggregate \"" + a.name + "\"");
      details += std::string(",\n    MFINALFUNC_MODIFY = ") + m;
    }
  }
  if (d.hasSortop) details += ",\n    SORTOP = OPERATOR(" + q.id(d.sortopNsp) + "." + d.sortopName + ")";
  if (d.kind == 'h') details += ",\n    HYPOTHETICAL";
  if (d.proparallel == 's')
    details += ",\n    PARALLEL = safe";
  else if (d.proparallel == 'r')
    details += ",\n    PARALLEL = restricted";
  else if (d.proparallel != 'u')
    return makeError("unrecognized proparallel value for function \"" + a.name + "\"");

  std::string sql = "CREATE AGGREGATE " + q.id(nsp) + "." + aggfullsig + " (\n" + details + "\n);\n";
  PGARC_TRY(appendExtensionMember(ctx, sql, a, "AGGREGATE", aggsig, nsp));
  if (a.dump & kCompDefinition)
    ctx.add(definitionEntry(a, tag, "AGGREGATE", Section::PreData, sql,
                            "DROP AGGREGATE " + q.id(nsp) + "." + aggsig + ";\n"));
  PGARC_TRY(dumpCommentSecLabelAcl(ctx, a, "AGGREGATE", aggsig, nsp, nullptr));
  // There is no GRANT ON AGGREGATE: the ACL looks like a function's.
  if (a.dump & kCompAcl)
    PGARC_TRY(dumpAcl(ctx, a.dumpId, 0, "FUNCTION", functionSignature(a, true, q), "", nsp, a.owner, a.dacl));
  return {};
}

}  // namespace pgarc::dump
