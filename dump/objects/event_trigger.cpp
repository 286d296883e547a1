// getEventTriggers / dumpEventTrigger: event triggers as pg_dump 15 dumps them.
#include "dump/objects/kinds.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds_a_common.hpp"

namespace pgarc::dump {

namespace {
struct EventTriggerInfo : DumpableObject {
  EventTriggerInfo() : DumpableObject(ObjectType::EventTrigger) {}
  std::string evtevent, evttags, evtfname;
  char evtenabled = 'O';
};
}  // namespace

Status getEventTriggers(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT e.tableoid, e.oid, evtname, evtenabled, evtevent, "
                              "pg_catalog.pg_get_userbyid(evtowner), array_to_string(array(select quote_literal(x)  "
                              "from unnest(evttags) as t(x)), ', ') as evttags, e.evtfoid::regproc as evtfname "
                              "FROM pg_event_trigger e ORDER BY e.oid"));
  for (int i = 0; i < r.rows(); i++) {
    auto e = std::make_unique<EventTriggerInfo>();
    e->catId = {r.oid(i, 0), r.oid(i, 1)};
    e->name = r.str(i, 2);
    e->evtenabled = r.ch(i, 3);
    e->evtevent = r.str(i, 4);
    e->owner = r.str(i, 5);
    e->evttags = r.str(i, 6);
    e->evtfname = r.str(i, 7);
    EventTriggerInfo* evt = ctx.store.add(std::move(e));
    selectDumpableObject(ctx, *evt);
  }
  return {};
}

Status dumpEventTrigger(EmitContext& ctx, DumpableObject& obj) {
  auto& e = static_cast<EventTriggerInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const std::string qevtname = ctx.quote.id(e.name);
  std::string sql = "CREATE EVENT TRIGGER " + qevtname + " ON " + ctx.quote.id(e.evtevent);
  if (!e.evttags.empty()) sql += "\n         WHEN TAG IN (" + e.evttags + ")";
  sql += "\n   EXECUTE FUNCTION " + e.evtfname + "();\n";
  if (e.evtenabled != 'O') {
    sql += "\nALTER EVENT TRIGGER " + qevtname + " ";
    switch (e.evtenabled) {
      case 'D': sql += "DISABLE"; break;
      case 'A': sql += "ENABLE ALWAYS"; break;
      case 'R': sql += "ENABLE REPLICA"; break;
      default: sql += "ENABLE"; break;
    }
    sql += ";\n";
  }
  PGARC_TRY(appendExtensionMember(ctx, sql, e, "EVENT TRIGGER", qevtname));
  if (e.dump & kCompDefinition)
    ctx.add(definitionEntry(e, e.name, "EVENT TRIGGER", Section::PostData, sql,
                            "DROP EVENT TRIGGER " + qevtname + ";\n", false));
  return dumpCommentSecLabelAcl(ctx, e, "EVENT TRIGGER", qevtname, "", nullptr);
}

}  // namespace pgarc::dump
