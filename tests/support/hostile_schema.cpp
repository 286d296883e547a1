// A generated database: schemas and fragments, rendered into one script.
#include "tests/support/hostile_fragments.hpp"

#include <set>

namespace pgarc::test::hostile {

namespace gen = rc::gen;

std::string renderSql(const Database& db) {
  std::vector<std::string> schemas;
  std::set<std::string> seen = {"public"};
  for (const auto& s : db.schemas) {
    std::string name = clipUtf8(s);
    if (name.rfind("pg_", 0) == 0) name = "x" + name;
    if (seen.insert(name).second) schemas.push_back(name);
  }
  NameBook names(schemas);
  std::string sql;
  for (const auto& s : schemas) sql += "CREATE SCHEMA " + ident(s) + ";\n";
  for (const auto& f : db.fragments) sql += "-- " + f.kind + "\n" + f.render(names);
  return sql;
}

rc::Gen<Database> database() {
  return gen::exec([] {
    Database db;
    db.encoding = *gen::weightedElement<std::string>({{4, "UTF8"}, {1, "LATIN1"}, {1, "SQL_ASCII"}});
    db.schemas = *gen::container<std::vector<std::string>>(*gen::inRange(0, 4), hostileName());
    // Relative weights: tables carry the most hostile data and objects.
    std::vector<std::pair<size_t, Fragment (*)()>> kinds = {
        {6, tableFragment},    {2, enumFragment},     {2, domainFragment},
        {2, compositeAndRangeFragment}, {3, functionFragment}, {2, viewFragment},
        {1, sequenceFragment}, {1, collationAndTextSearchFragment}, {1, largeObjectFragment},
        {2, privilegesFragment}, {1, foreignDataFragment},
        {1, castFragment}, {2, operatorClassFragment}, {1, conversionFragment},
        {1, transformFragment}, {1, accessMethodFragment},
        {2, triggerFragment}, {2, ruleFragment}, {1, eventTriggerFragment}, {1, subscriptionFragment},
    };
    // ICU does not support SQL_ASCII databases.
    for (auto& kind : kinds)
      if (kind.second == collationAndTextSearchFragment && db.encoding == "SQL_ASCII") kind.first = 0;
    size_t total = 0;
    for (const auto& kind : kinds) total += kind.first;
    const auto fragment = gen::exec([kinds, total] {
      size_t draw = *gen::inRange<size_t>(0, total);
      size_t k = 0;
      while (draw >= kinds[k].first) draw -= kinds[k++].first;
      return kinds[k].second();
    });
    db.fragments = *gen::container<std::vector<Fragment>>(*gen::inRange(2, 11), fragment);
    return db;
  });
}

}  // namespace pgarc::test::hostile
