// getPublications / dumpPublication: publications as pg_dump 15 dumps them.
#include "dump/objects/publication.hpp"

#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_b_common.hpp"

namespace pgarc::dump {

Status getPublications(CatalogContext& ctx) {
  if (ctx.options.noPublications || ctx.serverVersion < 100000) return {};
  const std::string truncate = ctx.serverVersion >= 110000 ? "p.pubtruncate" : "false AS pubtruncate";
  const std::string viaroot = ctx.serverVersion >= 130000 ? "p.pubviaroot" : "false AS pubviaroot";
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT p.tableoid, p.oid, p.pubname, p.pubowner, p.puballtables, p.pubinsert, "
                              "p.pubupdate, p.pubdelete, " + truncate + ", " + viaroot + " FROM pg_publication p"));
  for (int i = 0; i < r.rows(); i++) {
    auto p = std::make_unique<PublicationInfo>();
    p->catId = {r.oid(i, 0), r.oid(i, 1)};
    p->name = r.str(i, 2);
    p->owner = ctx.roleName(r.oid(i, 3));
    p->alltables = r.boolean(i, 4);
    p->pubinsert = r.boolean(i, 5);
    p->pubupdate = r.boolean(i, 6);
    p->pubdelete = r.boolean(i, 7);
    p->pubtruncate = r.boolean(i, 8);
    p->pubviaroot = r.boolean(i, 9);
    selectDumpableObject(ctx, *ctx.store.add(std::move(p)));
  }
  return {};
}

Status dumpPublication(EmitContext& ctx, DumpableObject& obj) {
  auto& p = static_cast<PublicationInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const std::string qname = ctx.quote.id(p.name);
  std::string sql = "CREATE PUBLICATION " + qname;
  if (p.alltables) sql += " FOR ALL TABLES";
  sql += " WITH (publish = '";
  bool first = true;
  auto add = [&](bool on, const char* what) {
    if (!on) return;
    if (!first) sql += ", ";
    sql += what;
    first = false;
  };
  add(p.pubinsert, "insert");
  add(p.pubupdate, "update");
  add(p.pubdelete, "delete");
  add(p.pubtruncate, "truncate");
  sql += "'";
  if (p.pubviaroot) sql += ", publish_via_partition_root = true";
  sql += ");\n";
  if (p.dump & kCompDefinition) {
    EntrySpec e = plainDefinitionEntry(p, p.name, "PUBLICATION", sql, "DROP PUBLICATION " + qname + ";\n", false);
    e.section = Section::PostData;
    ctx.add(std::move(e));
  }
  return dumpCommentSecLabelAcl(ctx, p, "PUBLICATION", qname, "", nullptr);
}

}  // namespace pgarc::dump
