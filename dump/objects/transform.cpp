// getTransforms / dumpTransform: transforms as pg_dump 15 dumps them.
#include "dump/objects/function.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_b_common.hpp"

namespace pgarc::dump {

namespace {
struct TransformInfo : DumpableObject {
  TransformInfo() : DumpableObject(ObjectType::Transform) {}
  uint32_t fromsql = 0, tosql = 0;
  std::string typeName;  // format_type(trftype, NULL)
  std::string lanname;
  uint32_t trftype = 0, trflang = 0;
  std::string loopDescription() const override {
    return "TRANSFORM " + std::to_string(trftype) + " lang " + std::to_string(trflang) + "  (ID " +
           std::to_string(dumpId) + " OID " + std::to_string(catId.oid) + ")";
  }
};

const FuncInfo* findFunc(const EmitContext& ctx, uint32_t oid) {
  DumpableObject* o = ctx.store.findByOid("pg_proc", oid);
  return o && o->type == ObjectType::Func ? static_cast<const FuncInfo*>(o) : nullptr;
}
}  // namespace

Status getTransforms(CatalogContext& ctx) {
  if (ctx.serverVersion < 90500) return {};
  // pg_dump looks up the language name and the formatted type name per
  // transform; they come along here.
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT tableoid, oid, trftype, trflang, trffromsql::oid, trftosql::oid, "
                              "(SELECT lanname FROM pg_catalog.pg_language WHERE oid = trflang), "
                              "pg_catalog.format_type(trftype, NULL) FROM pg_transform ORDER BY 3,4"));
  for (int i = 0; i < r.rows(); i++) {
    auto t = std::make_unique<TransformInfo>();
    t->catId = {r.oid(i, 0), r.oid(i, 1)};
    t->trftype = r.oid(i, 2);
    t->trflang = r.oid(i, 3);
    t->fromsql = r.oid(i, 4);
    t->tosql = r.oid(i, 5);
    t->lanname = r.str(i, 6);
    t->typeName = r.str(i, 7);
    // Named "<type> <language>" for sorting only; "" when either is unknown.
    DumpableObject* type = ctx.store.findByOid("pg_type", r.oid(i, 2));
    if (type && type->type == ObjectType::Type && !r.isNull(i, 6)) t->name = type->name + " " + t->lanname;
    selectDumpableObject(ctx, *ctx.store.add(std::move(t)));
  }
  return {};
}

Status dumpTransform(EmitContext& ctx, DumpableObject& obj) {
  auto& t = static_cast<TransformInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const FuncInfo* from = nullptr;
  const FuncInfo* to = nullptr;
  if (t.fromsql != 0 && !(from = findFunc(ctx, t.fromsql)))
    return makeError("could not find function definition for function with OID " + std::to_string(t.fromsql));
  if (t.tosql != 0 && !(to = findFunc(ctx, t.tosql)))
    return makeError("could not find function definition for function with OID " + std::to_string(t.tosql));
  const Quoter& q = ctx.quote;
  const std::string args = "FOR " + t.typeName + " LANGUAGE " + q.id(t.lanname);
  std::string sql = "CREATE TRANSFORM " + args + " (";
  if (from) sql += "FROM SQL WITH FUNCTION " + q.id(schemaName(*from)) + "." + functionSignature(*from, true, q);
  if (t.tosql != 0) {
    if (t.fromsql != 0) sql += ", ";
    sql += "TO SQL WITH FUNCTION " + q.id(schemaName(*to)) + "." + functionSignature(*to, true, q);
  }
  sql += ");\n";
  PGARC_TRY(appendExtensionMember(ctx, sql, t, "TRANSFORM", args));
  if (t.dump & kCompDefinition) {
    EntrySpec e = definitionEntry(t, "TRANSFORM " + args, "TRANSFORM", Section::PreData, sql,
                                  "DROP TRANSFORM " + args + ";\n", false);
    e.owner.reset();
    // pg_dump passes the transform's own dependencies explicitly, so they
    // are not looked through: the language stays listed even when it gets no
    // entry of its own (plpgsql).
    e.deps = t.dependencies;
    ctx.add(std::move(e));
  }
  if (t.dump & kCompComment) {
    CommentTarget c;
    c.type = "TRANSFORM";
    c.name = args;
    c.catId = t.catId;
    c.dumpId = t.dumpId;
    dumpComment(ctx, c);
  }
  return {};
}

}  // namespace pgarc::dump
