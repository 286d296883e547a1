// getTSDictionaries / dumpTSDictionary: text search dictionaries as pg_dump 15
// dumps them.
#include "dump/objects/kinds.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds_b_common.hpp"

namespace pgarc::dump {

namespace {
struct TSDictInfo : DumpableObject {
  TSDictInfo() : DumpableObject(ObjectType::TSDict) {}
  std::optional<std::string> initoption;
  std::string templateNsp, templateName;
};
}  // namespace

Status getTSDictionaries(CatalogContext& ctx) {
  // The template's schema and name (pg_dump reads them per dictionary) come
  // along in the same query.
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT tableoid, oid, dictname, dictnamespace, dictowner, dicttemplate, "
                              "dictinitoption, (SELECT n.nspname FROM pg_catalog.pg_ts_template p "
                              "JOIN pg_catalog.pg_namespace n ON n.oid = p.tmplnamespace WHERE p.oid = dicttemplate), "
                              "(SELECT tmplname FROM pg_catalog.pg_ts_template p WHERE p.oid = dicttemplate) "
                              "FROM pg_catalog.pg_ts_dict"));
  for (int i = 0; i < r.rows(); i++) {
    auto d = std::make_unique<TSDictInfo>();
    d->catId = {r.oid(i, 0), r.oid(i, 1)};
    d->name = r.str(i, 2);
    d->ns = ctx.store.findNamespace(r.oid(i, 3));
    d->owner = ctx.roleName(r.oid(i, 4));
    if (!r.isNull(i, 6)) d->initoption = r.str(i, 6);
    d->templateNsp = r.str(i, 7);
    d->templateName = r.str(i, 8);
    selectDumpableObject(ctx, *ctx.store.add(std::move(d)));
  }
  return {};
}

Status dumpTSDictionary(EmitContext& ctx, DumpableObject& obj) {
  auto& d = static_cast<TSDictInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const Quoter& q = ctx.quote;
  const std::string nsp = schemaName(d);
  const std::string qualified = q.qualified(nsp, d.name);
  std::string sql = "CREATE TEXT SEARCH DICTIONARY " + qualified + " (\n    TEMPLATE = " + q.id(d.templateNsp) +
                    "." + q.id(d.templateName);
  if (d.initoption) sql += ",\n    " + *d.initoption;
  sql += " );\n";
  PGARC_TRY(appendExtensionMember(ctx, sql, d, "TEXT SEARCH DICTIONARY", q.id(d.name), nsp));
  if (d.dump & kCompDefinition)
    ctx.add(plainDefinitionEntry(d, d.name, "TEXT SEARCH DICTIONARY", sql,
                                 "DROP TEXT SEARCH DICTIONARY " + qualified + ";\n"));
  return dumpCommentSecLabelAcl(ctx, d, "TEXT SEARCH DICTIONARY", q.id(d.name), nsp, nullptr);
}

}  // namespace pgarc::dump
