// getSubscriptions / dumpSubscription: subscriptions as pg_dump 15 dumps them
// (always WITH (connect = false)).
#include <cstdio>

#include "dump/acl.hpp"
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_b_common.hpp"

namespace pgarc::dump {

namespace {
struct SubscriptionInfo : DumpableObject {
  SubscriptionInfo() : DumpableObject(ObjectType::Subscription) {}
  std::string conninfo, synccommit, publications, binary, stream, twophasestate, disableonerr;
  std::optional<std::string> slotname;
};
}  // namespace

Status getSubscriptions(CatalogContext& ctx) {
  if (ctx.options.noSubscriptions || ctx.serverVersion < 100000) return {};
  if (ctx.conn.parameter("is_superuser") != "on") {
    PGARC_ASSIGN(QueryResult n, ctx.conn.query("SELECT count(*) FROM pg_subscription WHERE subdbid = (SELECT oid FROM "
                                               "pg_database WHERE datname = current_database())"));
    // A warning, which pg_dump prints with or without -v.
    if (n.rows() == 1 && n.integer(0, 0) > 0)
      std::fprintf(stderr, "pgarc dump: warning: subscriptions not dumped because current user is not a superuser\n");
    return {};
  }
  const bool v14 = ctx.serverVersion >= 140000, v15 = ctx.serverVersion >= 150000;
  std::string sql = "SELECT s.tableoid, s.oid, s.subname,\n s.subowner,\n s.subconninfo, s.subslotname, "
                    "s.subsynccommit,\n s.subpublications,\n";
  sql += v14 ? " s.subbinary,\n" : " false AS subbinary,\n";
  sql += v14 ? " s.substream,\n" : " false AS substream,\n";
  sql += v15 ? " s.subtwophasestate,\n" : " 'd' AS subtwophasestate,\n";
  sql += v15 ? " s.subdisableonerr\n" : " false AS subdisableonerr\n";
  sql += "FROM pg_subscription s\nWHERE s.subdbid = (SELECT d.oid FROM pg_database d\n"
         "                   WHERE d.datname = current_database())";
  PGARC_ASSIGN(QueryResult r, ctx.conn.query(sql));
  for (int i = 0; i < r.rows(); i++) {
    auto s = std::make_unique<SubscriptionInfo>();
    s->catId = {r.oid(i, 0), r.oid(i, 1)};
    s->name = r.str(i, 2);
    s->owner = ctx.roleName(r.oid(i, 3));
    s->conninfo = r.str(i, 4);
    if (!r.isNull(i, 5)) s->slotname = r.str(i, 5);
    s->synccommit = r.str(i, 6);
    s->publications = r.str(i, 7);
    s->binary = r.str(i, 8);
    s->stream = r.str(i, 9);
    s->twophasestate = r.str(i, 10);
    s->disableonerr = r.str(i, 11);
    selectDumpableObject(ctx, *ctx.store.add(std::move(s)));
  }
  return {};
}

Status dumpSubscription(EmitContext& ctx, DumpableObject& obj) {
  auto& s = static_cast<SubscriptionInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const Quoter& q = ctx.quote;
  const std::string qname = q.id(s.name);
  auto pubnames = parsePgArray(s.publications);
  if (!pubnames) return makeError("could not parse subpublications array");
  std::string pubs;
  for (size_t i = 0; i < pubnames->size(); i++) pubs += (i ? ", " : "") + q.id((*pubnames)[i]);
  std::string sql = "CREATE SUBSCRIPTION " + qname + " CONNECTION " + q.literal(s.conninfo) + " PUBLICATION " + pubs +
                    " WITH (connect = false, slot_name = " + (s.slotname ? q.literal(*s.slotname) : "NONE");
  if (s.binary == "t") sql += ", binary = true";
  if (s.stream != "f") sql += ", streaming = on";
  if (s.twophasestate != "d") sql += ", two_phase = on";
  if (s.disableonerr == "t") sql += ", disable_on_error = true";
  if (s.synccommit != "off") sql += ", synchronous_commit = " + q.id(s.synccommit);
  sql += ");\n";
  if (s.dump & kCompDefinition) {
    EntrySpec e = plainDefinitionEntry(s, s.name, "SUBSCRIPTION", sql, "DROP SUBSCRIPTION " + qname + ";\n", false);
    e.section = Section::PostData;
    ctx.add(std::move(e));
  }
  return dumpCommentSecLabelAcl(ctx, s, "SUBSCRIPTION", qname, "", nullptr);
}

}  // namespace pgarc::dump
