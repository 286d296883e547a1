// getConversions / dumpConversion: encoding conversions as pg_dump 15 dumps them.
#include "dump/objects/kinds.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds_a_common.hpp"

namespace pgarc::dump {

namespace {
struct ConvInfo : DumpableObject {
  ConvInfo() : DumpableObject(ObjectType::Conversion) {}
  bool detailsLoaded = false;
  std::string forEncoding, toEncoding, proc;
  bool isDefault = false;
};
}  // namespace

Status getConversions(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT tableoid, oid, conname, connamespace, pg_catalog.pg_get_userbyid(conowner), "
                              "pg_catalog.pg_encoding_to_char(conforencoding), "
                              "pg_catalog.pg_encoding_to_char(contoencoding), conproc, condefault FROM pg_conversion"));
  for (int i = 0; i < r.rows(); i++) {
    auto c = std::make_unique<ConvInfo>();
    c->catId = {r.oid(i, 0), r.oid(i, 1)};
    c->name = r.str(i, 2);
    c->ns = ctx.store.findNamespace(r.oid(i, 3));
    c->owner = r.str(i, 4);
    c->forEncoding = r.str(i, 5);
    c->toEncoding = r.str(i, 6);
    c->proc = r.str(i, 7);
    c->isDefault = r.boolean(i, 8);
    c->detailsLoaded = true;
    ConvInfo* conv = ctx.store.add(std::move(c));
    selectDumpableObject(ctx, *conv);
  }
  return {};
}

Status dumpConversion(EmitContext& ctx, DumpableObject& obj) {
  auto& c = static_cast<ConvInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const Quoter& q = ctx.quote;
  const std::string nsp = schemaName(c);
  const std::string qualified = q.qualified(nsp, c.name);
  std::string sql = std::string("CREATE ") + (c.isDefault ? "DEFAULT " : "") + "CONVERSION " + qualified + " FOR " +
                    q.literal(c.forEncoding) + " TO " + q.literal(c.toEncoding) + " FROM " + c.proc + ";\n";
  PGARC_TRY(appendExtensionMember(ctx, sql, c, "CONVERSION", q.id(c.name), nsp));
  if (c.dump & kCompDefinition)
    ctx.add(definitionEntry(c, c.name, "CONVERSION", Section::PreData, sql, "DROP CONVERSION " + qualified + ";\n"));
  return dumpCommentSecLabelAcl(ctx, c, "CONVERSION", q.id(c.name), nsp, nullptr);
}

}  // namespace pgarc::dump
