// getTSParsers / dumpTSParser: text search parsers as pg_dump 15 dumps them.
#include "dump/objects/kinds.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds_b_common.hpp"

namespace pgarc::dump {

namespace {
struct TSParserInfo : DumpableObject {
  TSParserInfo() : DumpableObject(ObjectType::TSParser) {}
  // Support functions as regproc text (pg_dump's convertTSFunction);
  // headline is "" when the parser has none.
  std::string start, token, end, headline, lextype;
};
}  // namespace

Status getTSParsers(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT tableoid, oid, prsname, prsnamespace, prsstart::pg_catalog.regproc, "
                              "prstoken::pg_catalog.regproc, prsend::pg_catalog.regproc, "
                              "CASE WHEN prsheadline = 0 THEN '' ELSE prsheadline::pg_catalog.regproc::text END, "
                              "prslextype::pg_catalog.regproc FROM pg_catalog.pg_ts_parser"));
  for (int i = 0; i < r.rows(); i++) {
    auto p = std::make_unique<TSParserInfo>();
    p->catId = {r.oid(i, 0), r.oid(i, 1)};
    p->name = r.str(i, 2);
    p->ns = ctx.store.findNamespace(r.oid(i, 3));
    p->start = r.str(i, 4);
    p->token = r.str(i, 5);
    p->end = r.str(i, 6);
    p->headline = r.str(i, 7);
    p->lextype = r.str(i, 8);
    selectDumpableObject(ctx, *ctx.store.add(std::move(p)));
  }
  return {};
}

Status dumpTSParser(EmitContext& ctx, DumpableObject& obj) {
  auto& p = static_cast<TSParserInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const std::string nsp = schemaName(p);
  const std::string qualified = ctx.quote.qualified(nsp, p.name);
  std::string sql = "CREATE TEXT SEARCH PARSER " + qualified + " (\n";
  sql += "    START = " + p.start + ",\n";
  sql += "    GETTOKEN = " + p.token + ",\n";
  sql += "    END = " + p.end + ",\n";
  if (!p.headline.empty()) sql += "    HEADLINE = " + p.headline + ",\n";
  sql += "    LEXTYPES = " + p.lextype + " );\n";
  PGARC_TRY(appendExtensionMember(ctx, sql, p, "TEXT SEARCH PARSER", ctx.quote.id(p.name), nsp));
  if (p.dump & kCompDefinition)
    ctx.add(plainDefinitionEntry(p, p.name, "TEXT SEARCH PARSER", sql,
                                 "DROP TEXT SEARCH PARSER " + qualified + ";\n", true, false));
  return dumpCommentSecLabelAcl(ctx, p, "TEXT SEARCH PARSER", ctx.quote.id(p.name), nsp, nullptr);
}

}  // namespace pgarc::dump
