// Types: enums, domains, composites, ranges, collations and text search.
#include "tests/support/hostile_fragments.hpp"

#include <set>

namespace pgarc::test::hostile {

namespace gen = rc::gen;

Fragment enumFragment() {
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string typeName = *hostileName(), tableName = *hostileName(), columnName = *hostileName();
  const auto labels = *gen::container<std::vector<std::string>>(*gen::inRange(1, 6), hostileText());
  const std::string added = *hostileText();
  const int rows = *gen::inRange(0, 4);
  const auto comment = maybeComment();
  return {"enum", [=](NameBook& nb) {
            const std::string schema = nb.schema(schemaIndex);
            const std::string type = schema + "." + nb.fresh(typeName);
            std::vector<std::string> unique;
            std::set<std::string> seen;
            for (const auto& l : labels)
              if (seen.insert(clipUtf8(l)).second) unique.push_back(literal(clipUtf8(l)));
            std::string sql = "CREATE TYPE " + type + " AS ENUM (" + join(unique, ", ") + ");\n";
            if (!seen.count(clipUtf8(added)))
              sql += "ALTER TYPE " + type + " ADD VALUE " + literal(clipUtf8(added)) + " BEFORE " + unique[0] + ";\n";
            sql += commentOn("TYPE " + type, comment);
            const std::string table = schema + "." + nb.fresh(tableName);
            sql += "CREATE TABLE " + table + " (" + nb.fresh(columnName) + " " + type + " DEFAULT " + unique.back() + ");\n";
            for (int r = 0; r < rows; ++r)
              sql += "INSERT INTO " + table + " VALUES (" + unique[static_cast<size_t>(r) % unique.size()] + ");\n";
            return sql;
          }};
}

Fragment domainFragment() {
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string domainName = *hostileName(), constraintName = *hostileName(), tableName = *hostileName();
  const std::string def = *hostileText(), condition = harmlessCondition("VALUE", *hostileText());
  const auto comment = maybeComment(), constraintComment = maybeComment();
  const bool notNull = *gen::inRange(0, 3) == 0;
  const auto values = *gen::container<std::vector<std::string>>(*gen::inRange(0, 4), hostileText());
  return {"domain", [=](NameBook& nb) {
            const std::string schema = nb.schema(schemaIndex);
            const std::string domain = schema + "." + nb.fresh(domainName);
            const std::string constraint = nb.fresh(constraintName);
            std::string sql = "CREATE DOMAIN " + domain + " AS text DEFAULT " + literal(def) + " CONSTRAINT " +
                              constraint + " CHECK " + condition + (notNull ? " NOT NULL" : "") + ";\n";
            sql += commentOn("DOMAIN " + domain, comment);
            sql += commentOn("CONSTRAINT " + constraint + " ON DOMAIN " + domain, constraintComment);
            const std::string table = schema + "." + nb.fresh(tableName);
            sql += "CREATE TABLE " + table + " (v " + domain + ");\n";
            for (const auto& v : values) sql += "INSERT INTO " + table + " VALUES (" + literal(v) + ");\n";
            return sql;
          }};
}

Fragment compositeAndRangeFragment() {
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string typeName = *hostileName(), rangeName = *hostileName(), tableName = *hostileName();
  const auto attributes = *gen::container<std::vector<std::string>>(*gen::inRange(1, 4), hostileName());
  const std::string a = *hostileText(), b = *hostileText();
  const bool withRow = *gen::inRange(0, 2) == 0;
  return {"composite and range", [=](NameBook& nb) {
            const std::string schema = nb.schema(schemaIndex);
            const std::string type = schema + "." + nb.fresh(typeName);
            const std::string range = schema + "." + nb.fresh(rangeName);
            std::vector<std::string> attrs;
            for (const auto& at : attributes) attrs.push_back(nb.fresh(at) + " text");
            std::string sql = "CREATE TYPE " + type + " AS (" + join(attrs, ", ") + ");\n";
            sql += "CREATE TYPE " + range + " AS RANGE (subtype = text, collation = \"C\");\n";
            const std::string table = schema + "." + nb.fresh(tableName);
            sql += "CREATE TABLE " + table + " (c " + type + ", r " + range + ");\n";
            if (withRow) {
              std::vector<std::string> fields(attributes.size(), literal(a));
              const std::string lo = a < b ? a : b, hi = a < b ? b : a;
              sql += "INSERT INTO " + table + " VALUES (ROW(" + join(fields, ", ") + "), " + range + "(" + literal(lo) +
                     ", " + literal(hi) + ", '[]'));\n";
            }
            return sql;
          }};
}

Fragment collationAndTextSearchFragment() {
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string collName = *hostileName(), configName = *hostileName(), dictName = *hostileName(),
                    tableName = *hostileName();
  const std::string locale = pick({"und-u-ks-level2", "de-u-co-phonebk", "C", "en-US"});
  const bool icu = locale != "C";
  const std::string value = *hostileText();
  const auto comment = maybeComment();
  return {"collation and text search", [=](NameBook& nb) {
            const std::string schema = nb.schema(schemaIndex);
            const std::string coll = schema + "." + nb.fresh(collName);
            std::string sql = "CREATE COLLATION " + coll + " (provider = " + (icu ? "icu" : "libc") +
                              ", locale = " + literal(locale) + (icu && locale[0] == 'u' ? ", deterministic = false" : "") +
                              ");\n";
            sql += commentOn("COLLATION " + coll, comment);
            const std::string table = schema + "." + nb.fresh(tableName);
            sql += "CREATE TABLE " + table + " (t text COLLATE " + coll + ");\n";
            sql += "INSERT INTO " + table + " VALUES (" + literal(value) + ");\n";
            const std::string dict = schema + "." + nb.fresh(dictName);
            sql += "CREATE TEXT SEARCH DICTIONARY " + dict + " (TEMPLATE = simple, ACCEPT = false);\n";
            const std::string config = schema + "." + nb.fresh(configName);
            sql += "CREATE TEXT SEARCH CONFIGURATION " + config + " (COPY = pg_catalog.english);\n";
            sql += "ALTER TEXT SEARCH CONFIGURATION " + config + " ALTER MAPPING FOR asciiword WITH " + dict + ", simple;\n";
            sql += commentOn("TEXT SEARCH CONFIGURATION " + config, comment);
            return sql;
          }};
}

}  // namespace pgarc::test::hostile
