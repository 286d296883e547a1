// getTSTemplates / dumpTSTemplate: text search templates as pg_dump 15 dumps them.
#include "dump/objects/kinds.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds_b_common.hpp"

namespace pgarc::dump {

namespace {
struct TSTemplateInfo : DumpableObject {
  TSTemplateInfo() : DumpableObject(ObjectType::TSTemplate) {}
  std::string init;    // regproc text, "" when none
  std::string lexize;
};
}  // namespace

Status getTSTemplates(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT tableoid, oid, tmplname, tmplnamespace, "
                              "CASE WHEN tmplinit = 0 THEN '' ELSE tmplinit::pg_catalog.regproc::text END, "
                              "tmpllexize::pg_catalog.regproc FROM pg_catalog.pg_ts_template"));
  for (int i = 0; i < r.rows(); i++) {
    auto t = std::make_unique<TSTemplateInfo>();
    t->catId = {r.oid(i, 0), r.oid(i, 1)};
    t->name = r.str(i, 2);
    t->ns = ctx.store.findNamespace(r.oid(i, 3));
    t->init = r.str(i, 4);
    t->lexize = r.str(i, 5);
    selectDumpableObject(ctx, *ctx.store.add(std::move(t)));
  }
  return {};
}

Status dumpTSTemplate(EmitContext& ctx, DumpableObject& obj) {
  auto& t = static_cast<TSTemplateInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const std::string nsp = schemaName(t);
  const std::string qualified = ctx.quote.qualified(nsp, t.name);
  std::string sql = "CREATE TEXT SEARCH TEMPLATE " + qualified + " (\n";
  if (!t.init.empty()) sql += "    INIT = " + t.init + ",\n";
  sql += "    LEXIZE = " + t.lexize + " );\n";
  PGARC_TRY(appendExtensionMember(ctx, sql, t, "TEXT SEARCH TEMPLATE", ctx.quote.id(t.name), nsp));
  if (t.dump & kCompDefinition)
    ctx.add(plainDefinitionEntry(t, t.name, "TEXT SEARCH TEMPLATE", sql,
                                 "DROP TEXT SEARCH TEMPLATE " + qualified + ";\n", true, false));
  return dumpCommentSecLabelAcl(ctx, t, "TEXT SEARCH TEMPLATE", ctx.quote.id(t.name), nsp, nullptr);
}

}  // namespace pgarc::dump
