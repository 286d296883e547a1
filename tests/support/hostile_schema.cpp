#include "tests/support/hostile_schema.hpp"

#include <memory>
#include <optional>

namespace pgarc::test::hostile {

namespace {

using rc::Gen;
namespace gen = rc::gen;

// Pieces of identifiers: characters that need quoting or escaping somewhere,
// comment and dollar-quote openers, multibyte, combining, right-to-left and
// invisible characters, mixed case, digits.
const std::vector<std::string> kNamePieces = {
    "'", "\"", " ", "\\", "\n", "\t", "\r", "$", "$$", "$1", "$_$", "--", "/*", "*/", ";", ".", ",", "(", ")",
    "%", "%s", ":", ":x", "?", "*", "=", "e\xcc\x81" /* e + combining acute */, "\xc3\xa9" /* é */,
    "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d" /* Hebrew */, "\xe2\x80\x8f" /* RLM */, "\xe2\x80\xae" /* RLO */,
    "\xf0\x9f\x8e\x89" /* emoji */, "\xc3\x9f", "\xc4\xb0", "\xe6\x97\xa5\xe6\x9c\xac", "\xc2\xa0" /* nbsp */,
    "\xe2\x80\x8d" /* ZWJ */, "A", "Mixed", "x", "_", "1", "0x1F", "1e5", "123", "NaN", "a b", "tbl",
};

// Keywords of every category of PostgreSQL 15's keyword list.
const std::vector<std::string> kKeywords = {
    // reserved
    "select", "from", "where", "all", "analyse", "and", "any", "array", "asc", "check", "collate", "column",
    "constraint", "current_user", "default", "do", "end", "false", "grant", "limit", "null", "only", "order",
    "primary", "table", "true", "union", "user", "using", "window", "with",
    // type or function names
    "authorization", "binary", "collation", "concurrently", "cross", "freeze", "ilike", "is", "join", "left",
    "natural", "overlaps", "similar", "tablesample", "verbose",
    // column names
    "between", "bigint", "bit", "boolean", "char", "coalesce", "dec", "exists", "float", "int", "interval",
    "national", "none", "nullif", "numeric", "out", "position", "precision", "real", "row", "setof", "time",
    "timestamp", "values", "varchar", "xmlattributes",
    // unreserved (pg_dump leaves these unquoted)
    "abort", "absolute", "access", "action", "always", "attach", "by", "cache", "comment", "cost", "data",
    "domain", "enum", "event", "function", "generated", "index", "key", "label", "large", "name", "new", "old",
    "owner", "parser", "policy", "procedure", "publication", "range", "sequence", "type", "version", "view",
    // not keywords but look like them
    "public", "pg_catalog", "text", "integer_", "selects",
};

const std::vector<std::string> kWords = {"a", "b1", "abc_def", "t$x", "_x", "z9", "order_items", "id"};

// Extra pieces for literals, comments and data: COPY's escapes and
// end-of-data marker, the NULL marker, quotes, control characters.
const std::vector<std::string> kTextPieces = {
    "''", "\\.", "\n\\.\n", "\\N", "\\\\", "\r\n", "$a$", "$function$", "$body$", "E'", "\\x00", "{", "}",
    "\"\"", "NULL", "null", "\x01", "\x7f", "\f", "\v", "\b", "\\t", "\\n", "\\r", "-- c", "/* c */",
    "\\'", "U&'", "%I", "\\\\.", ",", "\"{}\"", "[1:2]", "a,b", "\\u0000", "\\u00e9",
};

Gen<std::string> oneString(const std::vector<std::string>& list) { return gen::elementOf(list); }

Gen<std::string> joinedPieces(Gen<std::string> piece, int minCount, int maxCount) {
  return gen::exec([piece, minCount, maxCount] {
    int n = *gen::inRange(minCount, maxCount + 1);
    std::string out;
    for (int i = 0; i < n; ++i) out += *piece;
    return out;
  });
}

// A name that crosses the 63-byte limit, often in the middle of a multibyte
// character, so that truncation must be multibyte-aware.
Gen<std::string> longName() {
  return gen::exec([] {
    std::string unit = *gen::elementOf(std::vector<std::string>{"a", "\xc3\xa9", "\xf0\x9f\x8e\x89", "Ab ", "x'"});
    size_t target = static_cast<size_t>(*gen::inRange(58, 80));
    std::string out = *gen::elementOf(std::vector<std::string>{"", "a", "ab", "abc"});
    while (out.size() < target) out += unit;
    return out;
  });
}

Gen<std::string> numberLike() {
  return gen::elementOf(std::vector<std::string>{"123", "1e5", "0", "-1", "1.5", "00", "0x10", "1_000", "9" "99"});
}

Gen<std::string> pieceOrWord() {
  return gen::oneOf(oneString(kNamePieces), oneString(kWords), oneString(kKeywords));
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

std::string pick(const std::vector<std::string>& list) { return *gen::elementOf(list); }

// ---- typed values, as SQL expressions ----

struct ColumnType {
  std::string sql;
  std::function<std::string()> value;  // called inside gen::exec
};

std::string textValue() {
  switch (*gen::inRange(0, 10)) {
    case 0: return "NULL";
    case 1: return "''";
    case 2: return literal("\\N");
    case 3: return "repeat(" + literal(*hostileText()) + ", " + std::to_string(*gen::inRange(100, 3000)) + ")";
    default: return literal(*hostileText());
  }
}

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

std::string role() { return ident(pick(roleNames())); }

// A comment on some objects only (an absent comment and an empty one are
// the same to PostgreSQL).
std::optional<std::string> maybeComment() {
  if (*gen::inRange(0, 3) == 0) return std::nullopt;
  return *hostileText();
}

std::string commentOn(const std::string& target, const std::optional<std::string>& text) {
  return text ? "COMMENT ON " + target + " IS " + literal(*text) + ";\n" : "";
}

// A CHECK or filter expression that holds for every generated value but
// carries a hostile literal through the server's deparser.
std::string harmlessCondition(const std::string& column, const std::string& text) {
  return "(" + column + " IS NULL OR " + column + " <> " + literal(text) + " OR octet_length(" + column + ") >= 0)";
}

// ---- fragments ----

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

Fragment functionFragment() {
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string fnName = *hostileName(), argName = *hostileName();
  const std::string bodyText = *hostileText(), defaultArg = *hostileText();
  const auto comment = maybeComment();
  const std::string setting = *hostileText(), pathElement = *hostileName();
  const int variant = *gen::inRange(0, 6);
  const bool grant = *gen::inRange(0, 2) == 0;
  const std::string grantee = role();
  return {"function", [=](NameBook& nb) {
            const std::string schema = nb.schema(schemaIndex);
            const std::string fn = schema + "." + nb.fresh(fnName);
            const std::string arg = nb.fresh(argName);
            std::string sql, signature;
            switch (variant) {
              case 0:  // SQL body as a string: its text holds the hostile literal
                signature = fn + "(text)";
                sql = "CREATE FUNCTION " + fn + "(" + arg + " text DEFAULT " + literal(defaultArg) +
                      ") RETURNS text LANGUAGE sql IMMUTABLE AS " +
                      literal("SELECT " + literal(bodyText) + " || coalesce($1, '')\n") +
                      ";\n";
                break;
              case 1:  // PL/pgSQL with a body that contains dollar quotes
                signature = fn + "(text)";
                sql = "CREATE FUNCTION " + fn + "(" + arg + " text) RETURNS text LANGUAGE plpgsql AS " +
                      literal("BEGIN\n  RETURN " + literal(bodyText) + " || $q$ $$ $_$ $q$ || " + arg + ";\nEND\n") +
                      " SET search_path = " + schema + ", " + ident(pathElement) + ", \"$user\" SET application_name = " + literal(setting) + ";\n";
                break;
              case 2:  // SQL-standard body, deparsed by the server
                signature = fn + "(text)";
                sql = "CREATE FUNCTION " + fn + "(" + arg + " text) RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT " +
                      literal(bodyText) + " || " + arg + "; END;\n";
                break;
              case 3:
                signature = fn + "(text)";
                sql = "CREATE PROCEDURE " + fn + "(INOUT " + arg + " text DEFAULT " + literal(defaultArg) +
                      ") LANGUAGE plpgsql AS " + literal("BEGIN " + arg + " := " + literal(bodyText) + "; END") + ";\n";
                break;
              case 4:
                signature = fn + "(text)";
                sql = "CREATE AGGREGATE " + fn + "(text) (sfunc = textcat, stype = text, initcond = " +
                      literal(bodyText) + ");\n";
                break;
              default:
                signature = fn + "(text)";
                sql = "CREATE FUNCTION " + fn + "(" + arg + " text) RETURNS text LANGUAGE sql STABLE RETURN " +
                      literal(bodyText) + " || " + arg + ";\n";
            }
            const std::string kind = variant == 3 ? "PROCEDURE " : variant == 4 ? "AGGREGATE " : "FUNCTION ";
            sql += commentOn(kind + signature, comment);
            if (grant && variant != 4)
              sql += "REVOKE ALL ON " + kind + signature + " FROM PUBLIC;\nGRANT EXECUTE ON " + kind + signature +
                     " TO " + grantee + ";\n";
            return sql;
          }};
}

Fragment viewFragment() {
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string baseName = *hostileName(), columnName = *hostileName(), viewName = *hostileName(),
                    aliasName = *hostileName(), mvName = *hostileName();
  const std::string literalText = *hostileText(), filter = *hostileText(), value = *hostileText();
  const auto comment = maybeComment();
  const bool withData = *gen::inRange(0, 3) != 0;
  const bool checkOption = *gen::inRange(0, 3) == 0;
  return {"view", [=](NameBook& nb) {
            const std::string schema = nb.schema(schemaIndex);
            const std::string base = schema + "." + nb.fresh(baseName), column = nb.fresh(columnName);
            const std::string view = schema + "." + nb.fresh(viewName), alias = nb.fresh(aliasName);
            const std::string mv = schema + "." + nb.fresh(mvName), lit = nb.fresh("lit"), l2 = nb.fresh("l2");
            std::string sql = "CREATE TABLE " + base + " (" + column + " text);\n";
            sql += "INSERT INTO " + base + " VALUES (" + literal(value) + ");\n";
            sql += "CREATE VIEW " + view + " AS SELECT " + column + " AS " + alias + ", " + literal(literalText) +
                   "::text AS " + lit + " FROM " + base + " WHERE " + column + " IS DISTINCT FROM " + literal(filter) +
                   (checkOption ? " WITH LOCAL CHECK OPTION" : "") + ";\n";
            sql += commentOn("COLUMN " + view + "." + alias, comment);
            sql += "CREATE MATERIALIZED VIEW " + mv + " AS SELECT " + alias + ", " + lit + " || " + literal(filter) + " AS " + l2 + " FROM " +
                   view + (withData ? "" : " WITH NO DATA") + ";\n";
            return sql;
          }};
}

Fragment sequenceFragment() {
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string name = *hostileName();
  const auto comment = maybeComment();
  const bool descending = *gen::arbitrary<bool>();
  const int64_t step = *gen::inRange<int64_t>(1, 1000);
  const int64_t a = *gen::inRange<int64_t>(-1000000, 1000000), b = *gen::inRange<int64_t>(-1000000, 1000000);
  const bool cycle = *gen::arbitrary<bool>(), called = *gen::arbitrary<bool>();
  const int cache = *gen::inRange(1, 20);
  const bool bigBounds = *gen::inRange(0, 4) == 0;
  return {"sequence", [=](NameBook& nb) {
            const std::string seq = nb.schema(schemaIndex) + "." + nb.fresh(name);
            const int64_t lo = std::min(a, b), hi = std::max(a, b) + 1;
            std::string sql = "CREATE SEQUENCE " + seq + " INCREMENT " + std::to_string(descending ? -step : step);
            if (bigBounds)
              sql += " MINVALUE -9223372036854775808 MAXVALUE 9223372036854775807";
            else
              sql += " MINVALUE " + std::to_string(lo) + " MAXVALUE " + std::to_string(hi);
            sql += " START " + std::to_string(descending ? hi : lo) + " CACHE " + std::to_string(cache) +
                   (cycle ? " CYCLE" : "") + ";\n";
            sql += "SELECT setval(" + literal(seq) + ", " + std::to_string(lo + (hi - lo) / 2) + ", " +
                   (called ? "true" : "false") + ");\n";
            sql += commentOn("SEQUENCE " + seq, comment);
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

Fragment largeObjectFragment() {
  const std::string data = *hostileText();
  const auto comment = maybeComment();
  const bool grant = *gen::arbitrary<bool>(), owner = *gen::arbitrary<bool>();
  const std::string grantee = pick(roleNames()), newOwner = pick(roleNames());
  return {"large object", [=](NameBook&) {
            std::string body = "DECLARE o oid := lo_from_bytea(0, convert_to(" + literal(data) + ", 'UTF8'));\nBEGIN\n";
            if (comment) body += "  EXECUTE format('COMMENT ON LARGE OBJECT %s IS %L', o, " + literal(*comment) + ");\n";
            if (grant) body += "  EXECUTE format('GRANT SELECT, UPDATE ON LARGE OBJECT %s TO %I', o, " + literal(grantee) + ");\n";
            if (owner) body += "  EXECUTE format('ALTER LARGE OBJECT %s OWNER TO %I', o, " + literal(newOwner) + ");\n";
            body += "END";
            return "DO " + literal(body) + ";\n";
          }};
}

Fragment privilegesFragment() {
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string forRole = role(), grantee = role(), schemaOwner = role();
  const std::string objects = pick({"TABLES", "SEQUENCES", "FUNCTIONS", "TYPES", "SCHEMAS"});
  const int variant = *gen::inRange(0, 4);
  const std::string setting = *hostileText(), roleSetting = *hostileText();
  const auto comment = maybeComment(), databaseComment = maybeComment();
  const auto path = *gen::container<std::vector<std::string>>(*gen::inRange(1, 4), hostileName());
  const std::string settingRole = pick(roleNames());
  return {"privileges", [=](NameBook& nb) {
            const std::string schema = nb.schema(schemaIndex);
            std::string sql;
            const bool inSchema = objects != "SCHEMAS" && variant != 0;
            sql += "ALTER DEFAULT PRIVILEGES FOR ROLE " + forRole + (inSchema ? " IN SCHEMA " + schema : "") +
                   (variant == 3 && !inSchema ? " REVOKE ALL ON " + objects + " FROM PUBLIC;\n"
                                               : " GRANT ALL ON " + objects + " TO " + grantee + ";\n");
            if (schema != "public") {
              sql += "GRANT USAGE ON SCHEMA " + schema + " TO " + grantee + " WITH GRANT OPTION;\n";
              sql += commentOn("SCHEMA " + schema, comment);
              if (variant == 2) sql += "ALTER SCHEMA " + schema + " OWNER TO " + schemaOwner + ";\n";
            }
            std::vector<std::string> pathIdents;
            for (const auto& p : path) pathIdents.push_back(ident(p));
            std::string body = "BEGIN\n  EXECUTE format('ALTER DATABASE %I SET application_name = %L', current_database(), " +
                               literal(setting) + ");\n";
            body += "  EXECUTE format('ALTER DATABASE %I SET search_path = %s', current_database(), " +
                    literal(join(pathIdents, ", ")) + ");\n";
            body += "  EXECUTE format('ALTER ROLE %I IN DATABASE %I SET application_name = %L', " + literal(settingRole) +
                    ", current_database(), " + literal(roleSetting) + ");\n";
            if (databaseComment)
              body += "  EXECUTE format('COMMENT ON DATABASE %I IS %L', current_database(), " + literal(*databaseComment) + ");\n";
            sql += "DO " + literal(body + "END") + ";\n";
            return sql;
          }};
}

Fragment foreignDataFragment() {
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string wrapperName = *hostileName(), serverName = *hostileName(), tableName = *hostileName(),
                    columnName = *hostileName();
  const auto optionNames = *gen::container<std::vector<std::string>>(4, hostileName());
  const auto optionValues = *gen::container<std::vector<std::string>>(5, hostileText());
  const std::string mappedRole = pick(roleNames());
  const auto comment = maybeComment();
  return {"foreign data", [=](NameBook& nb) {
            auto option = [&](size_t i) {
              std::string name;
              for (char c : optionNames[i])
                if (c != '=') name += c;
              return nb.fresh(name.empty() ? "opt" : name) + " " + literal(optionValues[i]);
            };
            const std::string wrapper = nb.fresh(wrapperName), server = nb.fresh(serverName);
            std::string sql = "CREATE FOREIGN DATA WRAPPER " + wrapper + " OPTIONS (" + option(0) + ");\n";
            sql += "CREATE SERVER " + server + " TYPE " + literal(optionValues[4]) + " VERSION " + literal(optionValues[1]) +
                   " FOREIGN DATA WRAPPER " + wrapper + " OPTIONS (" + option(1) + ");\n";
            sql += "CREATE USER MAPPING FOR " + ident(mappedRole) + " SERVER " + server + " OPTIONS (" + option(2) + ");\n";
            sql += "CREATE FOREIGN TABLE " + nb.schema(schemaIndex) + "." + nb.fresh(tableName) + " (" +
                   nb.fresh(columnName) + " text OPTIONS (" + option(3) + ") NOT NULL) SERVER " + server + ";\n";
            sql += "GRANT USAGE ON FOREIGN SERVER " + server + " TO " + ident(mappedRole) + ";\n";
            sql += commentOn("SERVER " + server, comment);
            return sql;
          }};
}

}  // namespace

const std::vector<std::string>& roleNames() {
  static const std::vector<std::string> roles = {
      "r'o\"le $$ -- /*", "\xc3\x9cn\xc3\xaf R\xc3\xb6le \xf0\x9f\x8e\x89", "select", "123", "tab\trole",
      "user", "back\\slash", "Mixed Case", "r1234567890123456789012345678901234567890123456789012345678901"};
  return roles;
}

std::string createRolesSql() {
  std::string sql;
  for (const auto& r : roleNames()) sql += "CREATE ROLE " + ident(r) + ";\n";
  return sql;
}

std::string ident(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string clipUtf8(const std::string& name, size_t maxBytes) {
  if (name.size() <= maxBytes) return name;
  size_t cut = maxBytes;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  return name.substr(0, cut);
}

std::string NameBook::fresh(const std::string& wanted) {
  std::string name = clipUtf8(wanted);
  for (int n = 1; !used_.insert(name).second; ++n) name = clipUtf8(std::to_string(n) + "_" + wanted);
  return ident(name);
}

std::string NameBook::schema(size_t index) const {
  size_t i = index % (schemas_.size() + 1);
  return i == schemas_.size() ? "public" : ident(schemas_[i]);
}

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

rc::Gen<std::string> hostileName() {
  return gen::weightedOneOf<std::string>({
      {3, oneString(kKeywords)},
      {2, oneString(kWords)},
      {6, joinedPieces(pieceOrWord(), 1, 4)},
      {1, longName()},
      {1, numberLike()},
  });
}

rc::Gen<std::string> hostileText() {
  return gen::weightedOneOf<std::string>({
      {1, gen::just(std::string())},
      {8, joinedPieces(gen::oneOf(oneString(kNamePieces), oneString(kTextPieces), oneString(kWords)), 1, 6)},
      {1, longName()},
  });
}

rc::Gen<Database> database() {
  return gen::exec([] {
    Database db;
    db.schemas = *gen::container<std::vector<std::string>>(*gen::inRange(0, 4), hostileName());
    const std::vector<Gen<Fragment>> kinds = {
        gen::exec(tableFragment), gen::exec(enumFragment), gen::exec(domainFragment),
        gen::exec(compositeAndRangeFragment), gen::exec(functionFragment), gen::exec(viewFragment),
        gen::exec(sequenceFragment), gen::exec(collationAndTextSearchFragment), gen::exec(largeObjectFragment),
        gen::exec(privilegesFragment), gen::exec(foreignDataFragment),
    };
    db.fragments = *gen::container<std::vector<Fragment>>(
        *gen::inRange(2, 11), gen::weightedOneOf<Fragment>({{6, kinds[0]}, {2, kinds[1]}, {2, kinds[2]}, {2, kinds[3]},
                                                            {3, kinds[4]}, {2, kinds[5]}, {1, kinds[6]}, {1, kinds[7]},
                                                            {1, kinds[8]}, {2, kinds[9]}, {1, kinds[10]}}));
    return db;
  });
}

}  // namespace pgarc::test::hostile
