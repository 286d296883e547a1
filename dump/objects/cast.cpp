// getCasts / dumpCast: casts as pg_dump 15 dumps them.
#include "dump/objects/function.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_a_common.hpp"

namespace pgarc::dump {

namespace {
constexpr uint32_t kLastBuiltinOid = 16383;

struct CastInfo : DumpableObject {
  CastInfo() : DumpableObject(ObjectType::Cast) {}
  uint32_t castfunc = 0;
  char castcontext = 'e';
  char castmethod = 'f';
  std::string sourceType, targetType;  // format_type(..., NULL); "NONE" for 0
  uint32_t castsource = 0, casttarget = 0;
  std::string loopDescription() const override {
    return "CAST " + std::to_string(castsource) + " to " + std::to_string(casttarget) + "  (ID " +
           std::to_string(dumpId) + " OID " + std::to_string(catId.oid) + ")";
  }
};
}  // namespace

Status getCasts(CatalogContext& ctx) {
  const bool multirange = ctx.serverVersion >= 140000;
  std::string sql =
      "SELECT tableoid, oid, castsource, casttarget, castfunc, castcontext, castmethod, "
      "coalesce((SELECT typname FROM pg_catalog.pg_type WHERE oid = castsource), ''), "
      "coalesce((SELECT typname FROM pg_catalog.pg_type WHERE oid = casttarget), ''), "
      "CASE WHEN castsource = 0 THEN 'NONE' ELSE pg_catalog.format_type(castsource, NULL) END, "
      "CASE WHEN casttarget = 0 THEN 'NONE' ELSE pg_catalog.format_type(casttarget, NULL) END "
      "FROM pg_cast c ";
  if (multirange)
    sql += "WHERE NOT EXISTS ( SELECT 1 FROM pg_range r WHERE c.castsource = r.rngtypid AND c.casttarget = "
           "r.rngmultitypid ) ";
  sql += "ORDER BY 3,4";
  PGARC_ASSIGN(QueryResult r, ctx.conn.query(sql));
  for (int i = 0; i < r.rows(); i++) {
    auto c = std::make_unique<CastInfo>();
    c->catId = {r.oid(i, 0), r.oid(i, 1)};
    c->castsource = r.oid(i, 2);
    c->casttarget = r.oid(i, 3);
    c->castfunc = r.oid(i, 4);
    c->castcontext = r.ch(i, 5);
    c->castmethod = r.ch(i, 6);
    // Name used only for sorting: "source target" type names, or "" when unknown.
    if (!r.get(i, 7).empty() && !r.get(i, 8).empty()) c->name = r.str(i, 7) + " " + r.str(i, 8);
    c->sourceType = r.str(i, 9);
    c->targetType = r.str(i, 10);
    CastInfo* cast = ctx.store.add(std::move(c));
    // pg_dump's selectDumpableCast.
    if (checkExtensionMembership(ctx, *cast)) continue;
    if (cast->catId.oid <= kLastBuiltinOid)
      cast->dump = kCompNone;
    else
      cast->dump = includeEverything(ctx) ? kCompAll : kCompNone;
  }
  return {};
}

Status dumpCast(EmitContext& ctx, DumpableObject& obj) {
  auto& c = static_cast<CastInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const FuncInfo* func = nullptr;
  if (c.castfunc != 0) {
    DumpableObject* f = ctx.store.findByOid("pg_proc", c.castfunc);
    if (!f || f->type != ObjectType::Func)
      return makeError("could not find function definition for function with OID " + std::to_string(c.castfunc));
    func = static_cast<const FuncInfo*>(f);
  }
  const std::string castargs = "(" + c.sourceType + " AS " + c.targetType + ")";
  std::string sql = "CREATE CAST " + castargs + " ";
  switch (c.castmethod) {
    case 'b': sql += "WITHOUT FUNCTION"; break;
    case 'i': sql += "WITH INOUT"; break;
    case 'f':
      if (func) sql += "WITH FUNCTION " + ctx.quote.id(schemaName(*func)) + "." + functionSignature(*func, true, ctx.quote);
      break;
    default: break;
  }
  if (c.castcontext == 'a')
    sql += " AS ASSIGNMENT";
  else if (c.castcontext == 'i')
    sql += " AS IMPLICIT";
  sql += ";\n";
  PGARC_TRY(appendExtensionMember(ctx, sql, c, "CAST", castargs));
  if (c.dump & kCompDefinition) {
    EntrySpec e = definitionEntry(c, "CAST " + castargs, "CAST", Section::PreData, sql,
                                  "DROP CAST " + castargs + ";\n", false);
    e.owner.reset();
    ctx.add(std::move(e));
  }
  if (c.dump & kCompComment) {
    CommentTarget t;
    t.type = "CAST";
    t.name = castargs;
    t.catId = c.catId;
    t.dumpId = c.dumpId;
    dumpComment(ctx, t);
  }
  return {};
}

}  // namespace pgarc::dump
