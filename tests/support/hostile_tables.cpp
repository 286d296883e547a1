// Tables: columns of many types with hostile values, partitions, inheritance,
// and the objects hung on a table (indexes, triggers, rules, policies, ...).
#include "tests/support/hostile_fragments.hpp"

#include <functional>
#include <set>

namespace pgarc::test::hostile {

namespace gen = rc::gen;

std::string textValue() {
  switch (*gen::inRange(0, 10)) {
    case 0: return "NULL";
    case 1: return "''";
    case 2: return literal("\\N");
    case 3: return "repeat(" + literal(*hostileText()) + ", " + std::to_string(*gen::inRange(100, 3000)) + ")";
    default: return literal(*hostileText());
  }
}

namespace {

// ---- typed values, as SQL expressions ----

struct ColumnType {
  std::string sql;
  std::function<std::string()> value;  // called inside gen::exec
};

std::string typed(const std::vector<std::string>& values, const std::string& type) {
  if (*gen::inRange(0, 8) == 0) return "NULL";
  return literal(pick(values)) + "::" + type;
}

std::string byteaValue() {
  auto bytes = *gen::container<std::vector<unsigned char>>(gen::arbitrary<unsigned char>());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : bytes) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  return "'\\x" + hex + "'::bytea";
}

std::string textArrayValue() {
  if (*gen::inRange(0, 4) == 0)
    return pick({"'{}'::text[]", "'[0:1]={a,b}'::text[]", "'{{\"\",NULL},{\"NULL\",\"\\\\\"}}'::text[]"});
  int n = *gen::inRange(0, 4);
  std::vector<std::string> elems;
  for (int i = 0; i < n; ++i) elems.push_back(*gen::inRange(0, 5) == 0 ? "NULL" : literal(*hostileText()));
  return "ARRAY[" + join(elems, ", ") + "]::text[]";
}

std::string jsonValue(const std::string& type) {
  switch (*gen::inRange(0, 4)) {
    case 0: return type + "_build_object(" + literal(*hostileText()) + "::text, " + literal(*hostileText()) + "::text)";
    case 1: return "to_" + type + "(" + literal(*hostileText()) + "::text)";
    case 2: return "NULL";
    default:
      if (type == "json")
        return literal(pick({"{ \"k\" : 1 , \"k\": [true, null] }", "\"\\u0000\"", "[1e400, -0, 1.0]", "{}"})) + "::json";
      return literal(pick({"{\"a\": 1e400, \"b\": [null, -0.0]}", "\"\\u00e9\\n\\\\\"", "[]", "null"})) + "::jsonb";
  }
}

const std::vector<ColumnType>& columnTypes() {
  static const std::vector<ColumnType> types = {
      {"text", textValue},
      {"varchar(70)", [] { return "left(" + textValue() + ", 70)"; }},
      {"int4", [] { return typed({"0", "-2147483648", "2147483647", "42"}, "int4"); }},
      {"int8", [] { return typed({"-9223372036854775808", "9223372036854775807", "0"}, "int8"); }},
      {"numeric", [] {
         return typed({"NaN", "Infinity", "-Infinity", "0", "-0.000000000001", "1e100",
                       "123456789012345678901234567890.123456789012345678901234567890"}, "numeric");
       }},
      {"float8", [] {
         return typed({"Infinity", "-Infinity", "NaN", "-0", "1e-308", "1.7976931348623157e308", "4.9e-324", "0.1"},
                      "float8");
       }},
      {"float4", [] { return typed({"3.4e38", "1.4e-45", "NaN", "-Infinity", "0.1"}, "float4"); }},
      {"bool", [] { return typed({"t", "f"}, "bool"); }},
      {"date", [] { return typed({"infinity", "-infinity", "4713-01-01 BC", "5874897-12-31", "2000-02-29"}, "date"); }},
      {"timestamp", [] {
         return typed({"infinity", "-infinity", "294276-12-31 23:59:59.999999", "4713-01-01 00:00:00 BC",
                       "2000-01-01 00:00:00.5"}, "timestamp");
       }},
      {"timestamptz", [] {
         return typed({"infinity", "-infinity", "2000-01-01 00:00:00+14", "1900-01-01 00:00:00-12:34:56",
                       "294276-12-31 23:59:59.999999+00"}, "timestamptz");
       }},
      {"interval", [] {
         return typed({"-178956970 years -8 mons -2147483648 days", "-2562047788:00:54.775807",
                       "178956970 years 7 mons 2147483647 days 2562047788:00:54.775807",
                       "1 mon -1 day 00:00:00.000001", "0"}, "interval");
       }},
      {"timetz", [] { return typed({"24:00:00+15:59", "00:00:00-15:59", "12:34:56.789+01"}, "timetz"); }},
      {"bytea", byteaValue},
      {"text[]", textArrayValue},
      {"int4[]", [] { return typed({"{{1,2},{3,4}}", "{}", "[-3:-2]={5,6}", "{NULL,1}"}, "int4[]"); }},
      {"jsonb", [] { return jsonValue("jsonb"); }},
      {"json", [] { return jsonValue("json"); }},
      {"uuid", [] { return typed({"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "00000000-0000-0000-0000-000000000000"}, "uuid"); }},
      {"inet", [] { return typed({"::ffff:1.2.3.4/100", "10.1.2.3/8", "0.0.0.0/0"}, "inet"); }},
      {"\"char\"", [] { return typed({"\\", "", "a", "\xc3\xa9", "\""}, "\"char\""); }},
  };
  return types;
}

}  // namespace

Fragment tableFragment() {
  struct Column {
    std::string name;
    size_t type;
    std::string defaultExpr;
  };
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string tableName = *hostileName();
  const std::string textColumn = *hostileName();
  std::vector<Column> columns;
  const int extra = *gen::inRange(0, 5);
  for (int i = 0; i < extra; ++i) {
    size_t type = *gen::inRange<size_t>(0, columnTypes().size());
    std::string def = *gen::inRange(0, 4) == 0 ? columnTypes()[type].value() : "";
    columns.push_back({*hostileName(), type, def});
  }
  const std::string textDefault = *gen::inRange(0, 3) == 0 ? literal(*hostileText()) : "";
  const std::string checkExprSeed = *gen::inRange(0, 2) == 0 ? "check" : "";
  const int layout = *gen::inRange(0, 5);  // 0: partitioned by list, 1: inheritance child, else plain
  const bool identity = layout > 1 && *gen::inRange(0, 3) == 0;
  const bool generated = *gen::inRange(0, 3) == 0;
  const std::string generatedName = *hostileName(), generatedSuffix = *hostileText();
  const int rowCount = *gen::inRange(0, 6);
  std::vector<std::vector<std::string>> rows;
  for (int r = 0; r < rowCount; ++r) {
    std::vector<std::string> row = {textValue()};
    for (const auto& c : columns) row.push_back(columnTypes()[c.type].value());
    rows.push_back(row);
  }
  std::vector<std::string> partitionNames, partitionValues;
  if (layout == 0) {
    int n = *gen::inRange(1, 3);
    for (int i = 0; i < n; ++i) {
      partitionNames.push_back(*hostileName());
      partitionValues.push_back(*hostileText());
    }
    partitionNames.push_back(*hostileName());  // DEFAULT partition
  }
  const std::string childName = *hostileName(), childColumn = *hostileName();
  const std::string tableComment = *gen::inRange(0, 2) ? *hostileText() : "";
  const std::string columnComment = *gen::inRange(0, 2) ? *hostileText() : "";
  const bool index = *gen::inRange(0, 2) == 0;
  const std::string indexName = *hostileName(), indexLiteral = *hostileText();
  const bool trigger = *gen::inRange(0, 3) == 0;
  const std::string triggerName = *hostileName(), triggerFn = *hostileName();
  const auto triggerArgs = *gen::container<std::vector<std::string>>(*gen::inRange(0, 4), hostileText());
  const bool rule = layout != 0 && *gen::inRange(0, 4) == 0;
  const std::string ruleName = *hostileName();
  const bool policy = *gen::inRange(0, 3) == 0;
  const std::string policyName = *hostileName(), policyRole = role();
  const bool stats = *gen::inRange(0, 4) == 0;
  const std::string statsName = *hostileName();
  const bool publication = layout != 0 && *gen::inRange(0, 4) == 0;
  const std::string publicationName = *hostileName();
  const int grants = *gen::inRange(0, 3);
  std::vector<std::string> grantRoles;
  for (int i = 0; i < grants; ++i) grantRoles.push_back(role());
  const bool changeOwner = *gen::inRange(0, 4) == 0;
  const bool columnOptions = *gen::inRange(0, 3) == 0;
  const bool triggerWhen = *gen::arbitrary<bool>();
  const std::string owner = role();
  const auto conditionTexts = *gen::container<std::vector<std::string>>(4, hostileText());

  return {"table", [=](NameBook& nb) {
            const std::string schema = nb.schema(schemaIndex);
            const std::string table = schema + "." + nb.fresh(tableName);
            const std::string text = nb.fresh(textColumn);
            auto condition = [&](size_t i, const std::string& prefix = "") {
              return harmlessCondition(prefix + text, conditionTexts[i]);
            };
            std::vector<std::string> names = {text};
            std::string sql = "CREATE TABLE " + table + " (\n  " + text + " text";
            if (!textDefault.empty()) sql += " DEFAULT " + textDefault;
            if (!checkExprSeed.empty()) sql += " CHECK " + condition(0);
            for (const auto& c : columns) {
              names.push_back(nb.fresh(c.name));
              sql += ",\n  " + names.back() + " " + columnTypes()[c.type].sql;
              if (!c.defaultExpr.empty()) sql += " DEFAULT " + c.defaultExpr;
            }
            if (identity) sql += ",\n  " + nb.fresh("id " + tableName) + " bigint GENERATED BY DEFAULT AS IDENTITY";
            if (generated)
              sql += ",\n  " + nb.fresh(generatedName) + " text GENERATED ALWAYS AS (" + text + " || " +
                     literal(generatedSuffix) + ") STORED";
            sql += "\n)";
            if (layout == 0) sql += " PARTITION BY LIST (" + text + ")";
            sql += ";\n";
            if (layout == 0) {
              std::set<std::string> seen;
              for (size_t i = 0; i + 1 < partitionNames.size(); ++i) {
                if (!seen.insert(partitionValues[i]).second) continue;
                sql += "CREATE TABLE " + schema + "." + nb.fresh(partitionNames[i]) + " PARTITION OF " + table +
                       " FOR VALUES IN (" + literal(partitionValues[i]) + ");\n";
              }
              sql += "CREATE TABLE " + schema + "." + nb.fresh(partitionNames.back()) + " PARTITION OF " + table +
                     " DEFAULT;\n";
            }
            for (const auto& row : rows)
              sql += "INSERT INTO " + table + " (" + join(names, ", ") + ") VALUES (" + join(row, ", ") + ");\n";
            if (layout == 1) {
              const std::string child = schema + "." + nb.fresh(childName);
              sql += "CREATE TABLE " + child + " (" + nb.fresh(childColumn) + " text) INHERITS (" + table + ");\n";
              for (const auto& row : rows)
                sql += "INSERT INTO " + child + " (" + join(names, ", ") + ") VALUES (" + join(row, ", ") + ");\n";
            }
            if (!tableComment.empty()) sql += "COMMENT ON TABLE " + table + " IS " + literal(tableComment) + ";\n";
            if (!columnComment.empty())
              sql += "COMMENT ON COLUMN " + table + "." + text + " IS " + literal(columnComment) + ";\n";
            if (index)
              sql += "CREATE INDEX " + nb.fresh(indexName) + " ON " + table + " (left(lower(" + text + "), 200) COLLATE \"C\" DESC, (left(" +
                     text + ", 100) || " + literal(indexLiteral) + ")) WHERE " + condition(1) + ";\n";
            if (trigger) {
              const std::string fn = schema + "." + nb.fresh(triggerFn);
              sql += "CREATE FUNCTION " + fn + "() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';\n";
              std::vector<std::string> args;
              for (const auto& a : triggerArgs) args.push_back(literal(a));
              sql += "CREATE TRIGGER " + nb.fresh(triggerName) + " BEFORE INSERT OR UPDATE ON " + table +
                     " FOR EACH ROW" + (triggerWhen ? " WHEN " + condition(1, "NEW.") : "") + " EXECUTE FUNCTION " + fn + "(" +
                     join(args, ", ") + ");\n";
            }
            if (rule)
              sql += "CREATE RULE " + nb.fresh(ruleName) + " AS ON DELETE TO " + table + " WHERE " +
                     condition(3, "old.") +
                     " DO INSTEAD NOTHING;\n";
            if (policy)
              sql += "ALTER TABLE " + table + " ENABLE ROW LEVEL SECURITY;\nCREATE POLICY " + nb.fresh(policyName) +
                     " ON " + table + " AS RESTRICTIVE FOR SELECT TO " + policyRole + " USING " + condition(2) +
                     ";\n";
            if (stats)
              sql += "CREATE STATISTICS " + schema + "." + nb.fresh(statsName) + " ON (lower(" + text + ")) FROM " +
                     table + ";\n";
            if (publication)
              sql += "CREATE PUBLICATION " + nb.fresh(publicationName) + " FOR TABLE " + table + " WHERE " +
                     condition(2) + ";\n";
            for (size_t i = 0; i < grantRoles.size(); ++i)
              sql += i % 2 ? "GRANT SELECT (" + text + "), UPDATE (" + text + ") ON " + table + " TO " + grantRoles[i] + ";\n"
                           : "GRANT SELECT, INSERT ON " + table + " TO " + grantRoles[i] + " WITH GRANT OPTION;\n";
            if (columnOptions)
              sql += "ALTER TABLE " + table + " ALTER COLUMN " + text + " SET STATISTICS 321, ALTER COLUMN " + text +
                     " SET (n_distinct = -0.5), ALTER COLUMN " + text + " SET STORAGE EXTERNAL;\n";
            if (changeOwner) sql += "ALTER TABLE " + table + " OWNER TO " + owner + ";\n";
            return sql;
          }};
}

}  // namespace pgarc::test::hostile
