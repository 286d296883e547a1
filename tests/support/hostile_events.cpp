// Things that react to events: triggers (WHEN, column lists, transition
// tables, constraint triggers, enable states), rules on tables and views,
// event triggers, and subscriptions.
#include "tests/support/hostile_fragments.hpp"

#include <algorithm>

namespace pgarc::test::hostile {

namespace gen = rc::gen;

namespace {

std::string enableState() { return pick({"DISABLE", "ENABLE", "ENABLE REPLICA", "ENABLE ALWAYS"}); }

}  // namespace

Fragment triggerFragment() {
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string tableName = *hostileName(), viewName = *hostileName(), fnName = *hostileName(),
                    twinName = *hostileName();
  const bool twin = *gen::arbitrary<bool>();  // a second table with triggers of the same names
  const auto columnNames = *gen::container<std::vector<std::string>>(3, hostileName());
  const auto triggerNames = *gen::container<std::vector<std::string>>(6, hostileName());
  const auto texts = *gen::container<std::vector<std::string>>(4, hostileText());
  const std::string oldTable = *hostileName(), newTable = *hostileName();
  const auto args = *gen::container<std::vector<std::string>>(*gen::inRange(0, 3), hostileText());
  const int updateOf = *gen::inRange(0, 4);  // how many columns in UPDATE OF
  const bool when = *gen::arbitrary<bool>(), transition = *gen::arbitrary<bool>(),
             constraint = *gen::arbitrary<bool>(), deferred = *gen::arbitrary<bool>(),
             truncate = *gen::arbitrary<bool>(), insteadOf = *gen::arbitrary<bool>();
  const std::string states[3] = {enableState(), enableState(), enableState()};
  const auto comment = maybeComment();
  const auto values = *gen::container<std::vector<std::string>>(*gen::inRange(0, 3), hostileText());
  return {"trigger", [=](NameBook& nb) {
            const std::string schema = nb.schema(schemaIndex);
            const std::string table = schema + "." + nb.fresh(tableName), fn = schema + "." + nb.fresh(fnName);
            std::vector<std::string> cols;
            for (const auto& c : columnNames) cols.push_back(nb.fresh(c));
            std::vector<std::string> triggers;
            for (const auto& t : triggerNames) triggers.push_back(nb.fresh(t));
            std::string sql = "CREATE TABLE " + table + " (" + cols[0] + " text, " + cols[1] + " text, " + cols[2] +
                              " int);\n";
            for (const auto& v : values)
              sql += "INSERT INTO " + table + " VALUES (" + literal(v) + ", " + literal(v) + ", 1);\n";
            sql += "CREATE FUNCTION " + fn + "() RETURNS trigger LANGUAGE plpgsql AS " +
                   literal("BEGIN RETURN NEW; END") + ";\n";
            std::vector<std::string> quotedArgs;
            for (const auto& a : args) quotedArgs.push_back(literal(a));
            const std::string call = " EXECUTE FUNCTION " + fn + "(" + join(quotedArgs, ", ") + ");\n";
            std::vector<std::string> updateColumns(cols.begin(), cols.begin() + updateOf);
            sql += "CREATE TRIGGER " + triggers[0] + " BEFORE UPDATE" +
                   (updateColumns.empty() ? "" : " OF " + join(updateColumns, ", ")) + " ON " + table +
                   " FOR EACH ROW" +
                   (when ? " WHEN (OLD." + cols[0] + " IS DISTINCT FROM NEW." + cols[0] + " AND NEW." + cols[1] +
                               " <> " + literal(texts[0]) + ")"
                         : "") +
                   call;
            sql += "CREATE TRIGGER " + triggers[5] + " BEFORE INSERT OR DELETE ON " + table + " FOR EACH ROW" + call;
            if (transition)
              sql += "CREATE TRIGGER " + triggers[1] + " AFTER UPDATE ON " + table + " REFERENCING OLD TABLE AS " +
                     nb.fresh(oldTable) + " NEW TABLE AS " + nb.fresh(newTable) + " FOR EACH STATEMENT" + call;
            else
              sql += "CREATE TRIGGER " + triggers[1] + " AFTER INSERT ON " + table + " REFERENCING NEW TABLE AS " +
                     nb.fresh(newTable) + " FOR EACH ROW" + call;
            if (constraint)
              sql += "CREATE CONSTRAINT TRIGGER " + triggers[2] + " AFTER INSERT OR UPDATE OF " + cols[2] + " ON " +
                     table + (deferred ? " DEFERRABLE INITIALLY DEFERRED" : " NOT DEFERRABLE") + " FOR EACH ROW" +
                     (when ? " WHEN (NEW." + cols[1] + " IS NOT NULL OR NEW." + cols[0] + " = " + literal(texts[1]) + ")"
                           : "") +
                     call;
            if (truncate) sql += "CREATE TRIGGER " + triggers[3] + " AFTER TRUNCATE ON " + table + " FOR EACH STATEMENT" + call;
            if (insteadOf) {
              const std::string view = schema + "." + nb.fresh(viewName);
              sql += "CREATE VIEW " + view + " AS SELECT " + cols[0] + ", " + literal(texts[2]) + "::text AS " +
                     nb.fresh("lit") + " FROM " + table + ";\n";
              sql += "CREATE TRIGGER " + triggers[4] + " INSTEAD OF INSERT OR DELETE ON " + view + " FOR EACH ROW" + call;
            }
            sql += "ALTER TABLE " + table + " " + states[0] + " TRIGGER " + triggers[0] + ";\n";
            sql += "ALTER TABLE " + table + " " + states[1] + " TRIGGER " + triggers[1] + ";\n";
            if (constraint) sql += "ALTER TABLE " + table + " " + states[2] + " TRIGGER " + triggers[2] + ";\n";
            sql += commentOn("TRIGGER " + triggers[0] + " ON " + table, comment);
            if (twin) {
              const std::string other = schema + "." + nb.fresh(twinName);
              sql += "CREATE TABLE " + other + " (" + cols[0] + " text);\n";
              sql += "CREATE TRIGGER " + triggers[0] + " BEFORE INSERT ON " + other + " FOR EACH ROW" + call;
              sql += "CREATE TRIGGER " + triggers[1] + " AFTER DELETE ON " + other + " FOR EACH STATEMENT" + call;
              sql += commentOn("TRIGGER " + triggers[0] + " ON " + other, comment);
            }
            return sql;
          }};
}

Fragment ruleFragment() {
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string baseName = *hostileName(), viewName = *hostileName(), columnName = *hostileName(),
                    aliasName = *hostileName(), channel = *hostileName();
  const auto ruleNames = *gen::container<std::vector<std::string>>(4, hostileName());
  const auto texts = *gen::container<std::vector<std::string>>(4, hostileText());
  const bool updateRule = *gen::arbitrary<bool>(), multiAction = *gen::arbitrary<bool>(),
             conditional = *gen::arbitrary<bool>();
  const bool sharedName = *gen::arbitrary<bool>();  // rules on different relations may share a name
  const std::string states[2] = {enableState(), enableState()};
  const auto comment = maybeComment();
  return {"rule", [=](NameBook& nb) {
            const std::string schema = nb.schema(schemaIndex);
            const std::string base = schema + "." + nb.fresh(baseName), view = schema + "." + nb.fresh(viewName);
            const std::string column = nb.fresh(columnName), alias = nb.fresh(aliasName);
            std::vector<std::string> rules;
            for (const auto& r : ruleNames) rules.push_back(nb.fresh(r));
            if (sharedName) rules[3] = rules[0];
            std::string sql = "CREATE TABLE " + base + " (" + column + " text);\n";
            const std::string log = schema + "." + nb.fresh(baseName + " log");
            sql += "CREATE TABLE " + log + " (" + column + " text, at text);\n";
            sql += "CREATE VIEW " + view + " AS SELECT " + column + " AS " + alias + " FROM " + base + ";\n";
            sql += "CREATE RULE " + rules[0] + " AS ON INSERT TO " + view + " DO INSTEAD INSERT INTO " + base +
                   " VALUES (NEW." + alias + " || " + literal(texts[0]) + ");\n";
            if (updateRule)
              sql += "CREATE RULE " + rules[1] + " AS ON UPDATE TO " + view + " WHERE OLD." + alias + " <> " +
                     literal(texts[1]) + " DO INSTEAD UPDATE " + base + " SET " + column + " = NEW." + alias +
                     " WHERE " + column + " = OLD." + alias + ";\n";
            if (multiAction)
              sql += "CREATE RULE " + rules[2] + " AS ON DELETE TO " + base + " DO ALSO (INSERT INTO " + log +
                     " VALUES (OLD." + column + ", " + literal(texts[2]) + "); NOTIFY " + nb.fresh(channel) + ");\n";
            sql += "CREATE RULE " + rules[3] + " AS ON UPDATE TO " + base +
                   (conditional ? " WHERE NEW." + column + " = " + literal(texts[3]) : "") + " DO ALSO INSERT INTO " +
                   log + " SELECT NEW." + column + ", " + literal(texts[3]) + ";\n";
            sql += "ALTER TABLE " + base + " " + states[0] + " RULE " + rules[3] + ";\n";
            if (multiAction) sql += "ALTER TABLE " + base + " " + states[1] + " RULE " + rules[2] + ";\n";
            sql += commentOn("RULE " + rules[0] + " ON " + view, comment);
            return sql;
          }};
}

Fragment eventTriggerFragment() {
  struct Event {
    std::string name;
    std::vector<std::string> tags;
  };
  const std::vector<Event> events = {
      {"ddl_command_start", {"CREATE TABLE", "alter table", "DROP FUNCTION", "COMMENT", "GRANT", "CREATE INDEX"}},
      {"ddl_command_end", {"CREATE VIEW", "ALTER TYPE", "create schema", "SECURITY LABEL", "REFRESH MATERIALIZED VIEW"}},
      {"sql_drop", {"DROP TABLE", "ALTER TABLE", "drop view"}},
      {"table_rewrite", {"ALTER TABLE", "ALTER TYPE"}},
  };
  const Event event = events[*gen::inRange<size_t>(0, events.size())];
  const int tagCount = *gen::inRange(0, 4);
  std::vector<std::string> tags;
  for (int i = 0; i < tagCount; ++i) {
    std::string tag = pick(event.tags);
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
  }
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string name = *hostileName(), fnName = *hostileName(), state = enableState(), notice = *hostileText();
  const auto comment = maybeComment();
  return {"event trigger", [=](NameBook& nb) {
            const std::string fn = nb.schema(schemaIndex) + "." + nb.fresh(fnName), trigger = nb.fresh(name);
            std::string sql = "CREATE FUNCTION " + fn + "() RETURNS event_trigger LANGUAGE plpgsql AS " +
                              literal("BEGIN PERFORM " + literal(notice) + "; END") + ";\n";
            std::vector<std::string> quoted;
            for (const auto& t : tags) quoted.push_back(literal(t));
            sql += "CREATE EVENT TRIGGER " + trigger + " ON " + event.name +
                   (quoted.empty() ? "" : " WHEN TAG IN (" + join(quoted, ", ") + ")") + " EXECUTE FUNCTION " + fn +
                   "();\n";
            if (state != "ENABLE") sql += "ALTER EVENT TRIGGER " + trigger + " " + state + ";\n";
            sql += commentOn("EVENT TRIGGER " + trigger, comment);
            return sql;
          }};
}

Fragment subscriptionFragment() {
  const std::string name = *hostileName(), host = *hostileText(), database = *hostileText(),
                    application = *hostileText();
  const auto publications = *gen::container<std::vector<std::string>>(*gen::inRange(1, 4), hostileName());
  const bool binary = *gen::arbitrary<bool>(), streaming = *gen::arbitrary<bool>(),
             twoPhase = *gen::arbitrary<bool>(), disableOnError = *gen::arbitrary<bool>();
  const std::string synchronousCommit = pick({"", "off", "local", "remote_apply"});
  const std::string slot = pick({"NONE", "'hostile_slot'"});
  const auto comment = maybeComment();
  return {"subscription", [=](NameBook& nb) {
            const std::string subscription = nb.fresh(name);
            std::vector<std::string> pubs;
            for (const auto& p : publications) pubs.push_back(nb.fresh(p));
            const std::string conninfo = "host=" + conninfoValue(host) + " dbname=" + conninfoValue(database) +
                                         " application_name=" + conninfoValue(application) + " connect_timeout=1";
            std::string options = "connect = false, enabled = false, create_slot = false, slot_name = " + slot;
            if (binary) options += ", binary = true";
            if (streaming) options += ", streaming = on";
            if (twoPhase) options += ", two_phase = true";
            if (disableOnError) options += ", disable_on_error = true";
            if (!synchronousCommit.empty()) options += ", synchronous_commit = " + literal(synchronousCommit);
            std::string sql = "CREATE SUBSCRIPTION " + subscription + " CONNECTION " + literal(conninfo) +
                              " PUBLICATION " + join(pubs, ", ") + " WITH (" + options + ");\n";
            sql += commentOn("SUBSCRIPTION " + subscription, comment);
            return sql;
          }};
}

}  // namespace pgarc::test::hostile
