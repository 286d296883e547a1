// getFuncs / dumpFunc: functions and procedures as pg_dump 15 dumps them.
#include "dump/objects/function.hpp"
#include "dump/binary_upgrade.hpp"

#include <map>
#include <set>

#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_a_common.hpp"

namespace pgarc::dump {

int FuncInfo::sortTieBreak(const DumpableObject& o) const {
  const auto& other = static_cast<const FuncInfo&>(o);
  if (argtypes.size() != other.argtypes.size())
    return static_cast<int>(argtypes.size()) - static_cast<int>(other.argtypes.size());
  for (size_t i = 0; i < argTypeKeys.size() && i < other.argTypeKeys.size(); i++) {
    const auto& a = argTypeKeys[i];
    const auto& b = other.argTypeKeys[i];
    if (a.second.empty() || b.second.empty()) continue;  // type not found
    if (int c = a.first.compare(b.first)) return c;
    if (int c = a.second.compare(b.second)) return c;
  }
  return 0;
}

std::string functionSignature(const FuncInfo& f, bool quoteName, const Quoter& q) {
  std::string s = (quoteName ? q.id(f.name) : f.name) + "(";
  for (size_t i = 0; i < f.argTypeNames.size(); i++) {
    if (i) s += ", ";
    s += f.argTypeNames[i];
  }
  return s + ")";
}

namespace {

std::vector<std::string> arrayOrEmpty(const std::string& text) {
  if (text.empty()) return {};
  auto v = parsePgArray(text);
  return v ? *v : std::vector<std::string>{};
}

std::vector<uint32_t> parseOidVector(std::string_view s) {
  std::vector<uint32_t> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') i++;
    if (i >= s.size()) break;
    uint32_t v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') v = v * 10 + static_cast<uint32_t>(s[i++] - '0');
    out.push_back(v);
    while (i < s.size() && s[i] != ' ') i++;
  }
  return out;
}

// The columns of pg_dump 15's dumpFunc query, for all dumpable functions at once.
Status loadFuncDetails(CatalogContext& ctx, const std::vector<FuncInfo*>& funcs) {
  if (funcs.empty()) return {};
  std::vector<uint32_t> oids;
  std::map<uint32_t, FuncInfo*> byOid;
  for (FuncInfo* f : funcs) {
    oids.push_back(f->catId.oid);
    byOid[f->catId.oid] = f;
  }
  std::string sql =
      "SELECT p.oid, proretset, prosrc, probin, provolatile, proisstrict, prosecdef, lanname, proconfig, "
      "procost, prorows, pg_catalog.pg_get_function_arguments(p.oid) AS funcargs, "
      "pg_catalog.pg_get_function_identity_arguments(p.oid) AS funciargs, "
      "pg_catalog.pg_get_function_result(p.oid) AS funcresult, proleakproof, "
      "array_to_string(protrftypes, ' ') AS protrftypes, proparallel, prokind, prosupport, ";
  sql += ctx.serverVersion >= 140000 ? "pg_get_function_sqlbody(p.oid) AS prosqlbody, "
                                     : "NULL AS prosqlbody, ";
  sql +=
      "ARRAY(SELECT pg_catalog.format_type(t, NULL) FROM unnest(p.protrftypes) WITH ORDINALITY AS x(t, n) "
      "ORDER BY n) AS trfnames "
      "FROM pg_catalog.pg_proc p, pg_catalog.pg_language l "
      "WHERE p.oid = ANY(" + oidArrayLiteral(oids) + ") AND l.oid = p.prolang";
  PGARC_ASSIGN(QueryResult r, ctx.conn.query(sql));
  for (int i = 0; i < r.rows(); i++) {
    auto it = byOid.find(r.oid(i, 0));
    if (it == byOid.end()) continue;
    FuncInfo& f = *it->second;
    f.detailsLoaded = true;
    f.proretset = r.boolean(i, 1);
    f.prosrc = r.str(i, 2);
    f.probin = r.str(i, 3);
    f.provolatile = r.ch(i, 4);
    f.proisstrict = r.boolean(i, 5);
    f.prosecdef = r.boolean(i, 6);
    f.lanname = r.str(i, 7);
    f.proconfig = r.str(i, 8);
    f.procost = r.str(i, 9);
    f.prorows = r.str(i, 10);
    f.funcargs = r.str(i, 11);
    f.funciargs = r.str(i, 12);
    f.funcresultNull = r.isNull(i, 13);
    f.funcresult = r.str(i, 13);
    f.proleakproof = r.boolean(i, 14);
    f.protrftypes = r.str(i, 15);
    f.proparallel = r.ch(i, 16);
    f.prokind = r.ch(i, 17);
    f.prosupport = r.str(i, 18);
    f.prosqlbodyNull = r.isNull(i, 19);
    f.prosqlbody = r.str(i, 19);
    f.trfTypeNames = arrayOrEmpty(r.str(i, 20));
  }
  return {};
}

// Argument type names (format_type) and sort keys (schema, type name) of every
// function read, from one query over the distinct argument types. Kept out of
// the main query: per-row ARRAY subqueries there raise its estimated cost over
// the JIT threshold, and JIT compiling it costs seconds.
Status loadArgTypeNames(CatalogContext& ctx, const std::vector<FuncInfo*>& funcs) {
  std::set<uint32_t> distinct;
  for (const FuncInfo* f : funcs) distinct.insert(f->argtypes.begin(), f->argtypes.end());
  if (distinct.empty()) return {};
  struct TypeNames {
    std::string formatted, nsp, typname;
  };
  std::map<uint32_t, TypeNames> names;
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT u.t, pg_catalog.format_type(u.t, NULL), coalesce(tn.nspname, ''), "
                              "coalesce(ty.typname, '') "
                              "FROM unnest(" + oidArrayLiteral(std::vector<uint32_t>(distinct.begin(), distinct.end())) +
                              ") AS u(t) "
                              "LEFT JOIN pg_catalog.pg_type ty ON ty.oid = u.t "
                              "LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = ty.typnamespace"));
  for (int i = 0; i < r.rows(); i++) names[r.oid(i, 0)] = TypeNames{r.str(i, 1), r.str(i, 2), r.str(i, 3)};
  for (FuncInfo* f : funcs) {
    for (uint32_t t : f->argtypes) {
      const TypeNames& n = names[t];
      f->argTypeNames.push_back(n.formatted);
      f->argTypeKeys.emplace_back(n.nsp, n.typname);
    }
  }
  return {};
}

}  // namespace

Status getFuncs(CatalogContext& ctx) {
  // pg_dump 15's selection: everything outside pg_catalog, plus pg_catalog
  // functions used by user casts/transforms or with changed privileges;
  // aggregates and internal (e.g. range constructor) functions excluded.
  std::string sql =
      "SELECT p.tableoid, p.oid, p.proname, p.prolang, p.pronargs, p.proargtypes, p.prorettype, p.proacl, "
      "acldefault('f', p.proowner) AS acldefault, p.pronamespace, pg_catalog.pg_get_userbyid(p.proowner), "
      "pip.privtype, pip.initprivs "
      "FROM pg_proc p LEFT JOIN pg_init_privs pip ON (p.oid = pip.objoid AND pip.classoid = "
      "'pg_proc'::regclass AND pip.objsubid = 0) WHERE p.prokind <> 'a'\n"
      "  AND NOT EXISTS (SELECT 1 FROM pg_depend WHERE classid = 'pg_proc'::regclass AND objid = p.oid "
      "AND deptype = 'i')\n"
      "  AND (\n"
      "  pronamespace != (SELECT oid FROM pg_namespace WHERE nspname = 'pg_catalog')\n"
      "  OR EXISTS (SELECT 1 FROM pg_cast\n  WHERE pg_cast.oid > 16383 \n  AND p.oid = pg_cast.castfunc)\n"
      "  OR EXISTS (SELECT 1 FROM pg_transform\n  WHERE pg_transform.oid > 16383 AND \n"
      "  (p.oid = pg_transform.trffromsql\n  OR p.oid = pg_transform.trftosql))";
  // A binary upgrade dumps extension members (pg_catalog ones too) in full.
  if (ctx.options.binaryUpgrade)
    sql += "\n  OR EXISTS(SELECT 1 FROM pg_depend WHERE classid = 'pg_proc'::regclass AND objid = p.oid AND "
           "refclassid = 'pg_extension'::regclass AND deptype = 'e')";
  sql += "\n  OR p.proacl IS DISTINCT FROM pip.initprivs)";
  PGARC_ASSIGN(QueryResult r, ctx.conn.query(sql));
  std::vector<FuncInfo*> dumpable;
  std::vector<FuncInfo*> all;
  for (int i = 0; i < r.rows(); i++) {
    auto f = std::make_unique<FuncInfo>();
    f->catId = {r.oid(i, 0), r.oid(i, 1)};
    f->name = r.str(i, 2);
    f->lang = r.oid(i, 3);
    f->argtypes = parseOidVector(r.get(i, 5));
    f->rettype = r.oid(i, 6);
    f->dacl.acl = r.str(i, 7);
    f->dacl.acldefault = r.str(i, 8);
    f->ns = ctx.store.findNamespace(r.oid(i, 9));
    f->owner = r.str(i, 10);
    f->dacl.privtype = r.str(i, 11);
    f->dacl.initprivs = r.str(i, 12);
    FuncInfo* raw = ctx.store.add(std::move(f));
    all.push_back(raw);
    selectDumpableObject(ctx, *raw);
    if (!r.isNull(i, 7)) raw->components |= kCompAcl;
    if (raw->dump != kCompNone) dumpable.push_back(raw);
  }
  PGARC_TRY(loadArgTypeNames(ctx, all));
  PGARC_TRY(loadFuncDetails(ctx, dumpable));
  PGARC_ASSIGN(auto extDeps, extensionDependencies(ctx, "pg_catalog.pg_proc"));
  for (FuncInfo* f : dumpable)
    if (auto it = extDeps.find(f->catId.oid); it != extDeps.end()) f->dependsOnExtensions = it->second;
  return {};
}

Status dumpFunc(EmitContext& ctx, DumpableObject& obj) {
  auto& f = static_cast<FuncInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  if (!f.detailsLoaded) return makeError("function \"" + f.name + "\" vanished during the dump");
  const Quoter& q = ctx.quote;

  std::string asPart;
  if (!f.prosqlbodyNull) {
    asPart = f.prosqlbody;
  } else if (!f.probin.empty()) {
    asPart = "AS " + q.literal(f.probin);
    if (!f.prosrc.empty()) {
      asPart += ", ";
      if (ctx.options.disableDollarQuoting ||
          (f.prosrc.find('\'') == std::string::npos && f.prosrc.find('\\') == std::string::npos))
        asPart += q.literal(f.prosrc);
      else
        asPart += dollarQuote(f.prosrc);
    }
  } else {
    asPart = "AS ";
    asPart += ctx.options.disableDollarQuoting ? q.literal(f.prosrc) : dollarQuote(f.prosrc);
  }

  const std::string nsp = schemaName(f);
  const std::string funcfullsig = q.id(f.name) + "(" + f.funcargs + ")";
  const std::string funcsig = q.id(f.name) + "(" + f.funciargs + ")";
  const std::string tag = functionSignature(f, false, q);
  const char* keyword = f.prokind == 'p' ? "PROCEDURE" : "FUNCTION";

  std::string drop = std::string("DROP ") + keyword + " " + q.id(nsp) + "." + funcsig + ";\n";
  std::string sql = std::string("CREATE ") + keyword + " " + q.id(nsp) + "." + funcfullsig;
  if (f.prokind == 'p') {
    // procedures have no result
  } else if (!f.funcresultNull) {
    sql += " RETURNS " + f.funcresult;
  }
  sql += "\n    LANGUAGE " + q.id(f.lanname);
  if (!f.protrftypes.empty()) {
    sql += "\n    TRANSFORM ";
    for (size_t i = 0; i < f.trfTypeNames.size(); i++) {
      if (i) sql += ", ";
      sql += "FOR TYPE " + f.trfTypeNames[i];
    }
  }
  if (f.prokind == 'w') sql += " WINDOW";
  if (f.provolatile == 'i')
    sql += " IMMUTABLE";
  else if (f.provolatile == 's')
    sql += " STABLE";
  else if (f.provolatile != 'v')
    return makeError("unrecognized provolatile value for function \"" + f.name + "\"");
  if (f.proisstrict) sql += " STRICT";
  if (f.prosecdef) sql += " SECURITY DEFINER";
  if (f.proleakproof) sql += " LEAKPROOF";
  if (f.procost != "0") {
    const bool cheapLang = f.lanname == "internal" || f.lanname == "c";
    if (f.procost != (cheapLang ? "1" : "100")) sql += " COST " + f.procost;
  }
  if (f.proretset && f.prorows != "0" && f.prorows != "1000") sql += " ROWS " + f.prorows;
  if (f.prosupport != "-" && !f.prosupport.empty()) sql += " SUPPORT " + f.prosupport;
  if (f.proparallel == 's')
    sql += " PARALLEL SAFE";
  else if (f.proparallel == 'r')
    sql += " PARALLEL RESTRICTED";
  else if (f.proparallel != 'u')
    return makeError("unrecognized proparallel value for function \"" + f.name + "\"");
  if (!f.proconfig.empty()) {
    auto items = parsePgArray(f.proconfig);
    if (!items) return makeError("could not parse proconfig array of function \"" + f.name + "\"");
    sql += formatSetClauses(q, *items);
  }
  sql += "\n    " + asPart + ";\n";
  sql += dependsOnExtensionClauses(q, f.dependsOnExtensions, keyword, q.id(nsp) + "." + funcsig);
  PGARC_TRY(appendExtensionMember(ctx, sql, f, keyword, funcsig, nsp));

  if (f.dump & kCompDefinition)
    ctx.add(definitionEntry(f, tag, keyword, f.postponed_def ? Section::PostData : Section::PreData, sql, drop));
  return dumpCommentSecLabelAcl(ctx, f, keyword, funcsig, nsp, &f.dacl);
}

}  // namespace pgarc::dump
