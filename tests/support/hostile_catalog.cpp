// Catalog plumbing: casts, operators, operator classes and families,
// conversions, transforms and access methods, on hostile types and names.
#include "tests/support/hostile_fragments.hpp"

#include <algorithm>

namespace pgarc::test::hostile {

namespace gen = rc::gen;

namespace {

// Operator names may only use +-*/<>=~!@#%^&|`? and must not hold -- or /*;
// each suffix gives a family of five comparison operators.
const std::vector<std::string> kOperatorSuffixes = {"~", "@", "#", "&", "?", "|", "!", "%", "^", "`", "@#"};

std::string sqlFunction(const std::string& name, const std::string& args, const std::string& returns,
                        const std::string& body) {
  return "CREATE FUNCTION " + name + "(" + args + ") RETURNS " + returns + " LANGUAGE sql IMMUTABLE STRICT AS " +
         literal(body) + ";\n";
}

std::string castOption() { return pick({"", " AS ASSIGNMENT", " AS IMPLICIT"}); }

}  // namespace

// Casts on a base type built from int4's I/O functions, so that a cast
// WITHOUT FUNCTION (binary coercion) is allowed.
Fragment castFragment() {
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string typeName = *hostileName(), inName = *hostileName(), outName = *hostileName(),
                    fnName = *hostileName();
  const bool withFunction = *gen::arbitrary<bool>(), binary = *gen::arbitrary<bool>(), inout = *gen::arbitrary<bool>();
  const bool overloaded = *gen::arbitrary<bool>();  // input and output function share a name
  const std::string options[3] = {castOption(), castOption(), castOption()};
  const auto comment = maybeComment(), typeComment = maybeComment();
  const auto values = *gen::container<std::vector<int>>(*gen::inRange(0, 3), gen::arbitrary<int>());
  const std::string tableName = *hostileName();
  return {"cast", [=](NameBook& nb) {
            const std::string schema = nb.schema(schemaIndex);
            const std::string type = schema + "." + nb.fresh(typeName);
            const std::string in = schema + "." + nb.fresh(inName);
            const std::string out = overloaded ? in : schema + "." + nb.fresh(outName);
            std::string sql = "CREATE TYPE " + type + ";\n";
            sql += "CREATE FUNCTION " + in + "(cstring) RETURNS " + type + " LANGUAGE internal IMMUTABLE STRICT AS 'int4in';\n";
            sql += "CREATE FUNCTION " + out + "(" + type + ") RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'int4out';\n";
            sql += "CREATE TYPE " + type + " (INPUT = " + in + ", OUTPUT = " + out + ", LIKE = int4, CATEGORY = 'N');\n";
            sql += commentOn("TYPE " + type, typeComment);
            std::string commented = "(" + type + " AS text)";
            if (binary || withFunction)  // the function below needs int4 -> type
              sql += "CREATE CAST (int4 AS " + type + ") WITHOUT FUNCTION" + options[1] + ";\n";
            if (withFunction) {
              const std::string fn = schema + "." + nb.fresh(fnName);
              sql += sqlFunction(fn, "text", type, "SELECT CAST(CAST($1 AS int4) AS " + type + ")");
              sql += "CREATE CAST (text AS " + type + ") WITH FUNCTION " + fn + "(text)" + options[0] + ";\n";
              commented = "(text AS " + type + ")";
            }
            if (inout || !withFunction) sql += "CREATE CAST (" + type + " AS text) WITH INOUT" + options[2] + ";\n";
            sql += commentOn("CAST " + commented, comment);
            if (!values.empty()) {
              const std::string table = schema + "." + nb.fresh(tableName);
              sql += "CREATE TABLE " + table + " (v " + type + ");\n";
              for (int v : values) sql += "INSERT INTO " + table + " VALUES ('" + std::to_string(v) + "');\n";
            }
            return sql;
          }};
}

Fragment operatorClassFragment() {
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string typeName = *hostileName(), fieldName = *hostileName();
  const auto fnNames = *gen::container<std::vector<std::string>>(9, hostileName());
  const std::string suffix = pick(kOperatorSuffixes);
  const std::string familyName = *hostileName(), btreeName = *hostileName(), hashName = *hostileName();
  const bool explicitFamily = *gen::arbitrary<bool>(), isDefault = *gen::arbitrary<bool>();
  const bool hash = *gen::arbitrary<bool>(), looseMembers = *gen::arbitrary<bool>();
  const bool mergesHashes = *gen::arbitrary<bool>();
  const bool sharedClassName = *gen::arbitrary<bool>();  // classes of different methods may share a name
  const auto comment = maybeComment(), classComment = maybeComment(), familyComment = maybeComment();
  const std::string owner = role();
  const bool changeOwner = *gen::inRange(0, 3) == 0;
  // Classes and families may live in another schema than their operators,
  // and a table indexes the type through them.
  const size_t classSchemaIndex = *gen::arbitrary<size_t>();
  const std::string tableName = *hostileName(), indexName = *hostileName(), predicate = *hostileText();
  const auto values = *gen::container<std::vector<std::string>>(*gen::inRange(0, 4), hostileText());
  return {"operator class", [=](NameBook& nb) {
            const std::string schema = nb.schema(schemaIndex), classSchema = nb.schema(classSchemaIndex);
            const std::string type = schema + "." + nb.fresh(typeName), field = nb.fresh(fieldName);
            std::string sql = "CREATE TYPE " + type + " AS (" + field + " text);\n";
            std::vector<std::string> fns;
            for (const auto& f : fnNames) fns.push_back(schema + "." + nb.fresh(f));
            // lt, le, eq, ge, gt: function, operator name, comparison.
            const std::string names[5] = {"<" + suffix, "<=" + suffix, "==" + suffix, ">=" + suffix, ">" + suffix};
            const std::string tests[5] = {"<", "<=", "=", ">=", ">"};
            const int negators[5] = {3, 4, 2, 0, 1};
            const std::string a = "($1)." + field, b = "($2)." + field;
            for (int i = 0; i < 5; ++i) {
              sql += sqlFunction(fns[i], type + ", " + type, "bool", "SELECT " + a + " " + tests[i] + " " + b);
              sql += "CREATE OPERATOR " + schema + "." + names[i] + " (LEFTARG = " + type + ", RIGHTARG = " + type +
                     ", FUNCTION = " + fns[i];
              if (i == 2)
                sql += ", COMMUTATOR = OPERATOR(" + schema + "." + names[2] + "), RESTRICT = eqsel, JOIN = eqjoinsel" +
                       (mergesHashes ? ", HASHES, MERGES" : "");
              else
                sql += ", NEGATOR = OPERATOR(" + schema + "." + names[negators[i]] +
                       "), RESTRICT = scalarltsel";
              sql += ");\n";
            }
            sql += sqlFunction(fns[5], type + ", " + type, "int4", "SELECT bttextcmp(" + a + ", " + b + ")");
            sql += commentOn("OPERATOR " + schema + "." + names[2] + " (" + type + ", " + type + ")", comment);
            const std::string family = classSchema + "." + nb.fresh(familyName);
            if (explicitFamily) sql += "CREATE OPERATOR FAMILY " + family + " USING btree;\n";
            const std::string btree = classSchema + "." + nb.fresh(btreeName);
            sql += "CREATE OPERATOR CLASS " + btree + (isDefault ? " DEFAULT" : "") + " FOR TYPE " + type +
                   " USING btree" + (explicitFamily ? " FAMILY " + family : "") + " AS\n";
            for (int i = 0; i < 5; ++i) sql += "  OPERATOR " + std::to_string(i + 1) + " " + schema + "." + names[i] + ",\n";
            sql += "  FUNCTION 1 " + fns[5] + "(" + type + ", " + type + ");\n";
            sql += commentOn("OPERATOR CLASS " + btree + " USING btree", classComment);
            if (explicitFamily) {
              sql += commentOn("OPERATOR FAMILY " + family + " USING btree", familyComment);
              if (looseMembers) {
                // Cross-type members that belong to the family but to no class.
                sql += sqlFunction(fns[6], type + ", text", "bool", "SELECT " + a + " < $2");
                sql += "CREATE OPERATOR " + schema + "." + names[0] + " (LEFTARG = " + type +
                       ", RIGHTARG = text, FUNCTION = " + fns[6] + ");\n";
                sql += sqlFunction(fns[7], type + ", text", "int4", "SELECT bttextcmp(" + a + ", $2)");
                sql += "ALTER OPERATOR FAMILY " + family + " USING btree ADD OPERATOR 1 " + schema + "." + names[0] +
                       " (" + type + ", text), FUNCTION 1 (" + type + ", text) " + fns[7] + "(" + type + ", text);\n";
              }
              if (changeOwner) sql += "ALTER OPERATOR FAMILY " + family + " USING btree OWNER TO " + owner + ";\n";
            }
            const std::string hashClass = sharedClassName ? btree : classSchema + "." + nb.fresh(hashName);
            if (hash) {
              sql += sqlFunction(fns[8], type, "int4", "SELECT hashtext(" + a + ")");
              sql += "CREATE OPERATOR CLASS " + hashClass + (isDefault ? " DEFAULT" : "") +
                     " FOR TYPE " + type + " USING hash AS OPERATOR 1 " + schema + "." + names[2] + ", FUNCTION 1 " +
                     fns[8] + "(" + type + ");\n";
            }
            if (changeOwner) sql += "ALTER OPERATOR CLASS " + btree + " USING btree OWNER TO " + owner + ";\n";
            const std::string table = classSchema + "." + nb.fresh(tableName);
            sql += "CREATE TABLE " + table + " (c " + type + ");\n";
            std::vector<std::string> distinct;
            for (const auto& v : values)
              if (std::find(distinct.begin(), distinct.end(), v) == distinct.end()) distinct.push_back(v);
            for (const auto& v : distinct) sql += "INSERT INTO " + table + " VALUES (ROW(" + literal(v) + "));\n";
            sql += "CREATE INDEX " + nb.fresh(indexName) + " ON " + table + " (c " + btree + " DESC) WHERE c OPERATOR(" +
                   schema + "." + names[3] + ") ROW(" + literal(predicate) + ")::" + type + ";\n";
            if (hash) sql += "ALTER TABLE " + table + " ADD EXCLUDE USING hash (c " + hashClass + " WITH OPERATOR(" + schema + "." + names[2] + "));\n";
            return sql;
          }};
}

Fragment conversionFragment() {
  struct Pair {
    std::string from, to, function;
  };
  const std::vector<Pair> pairs = {{"LATIN1", "UTF8", "iso8859_1_to_utf8"},
                                   {"UTF8", "LATIN1", "utf8_to_iso8859_1"},
                                   {"WIN1252", "UTF8", "win_to_utf8"},
                                   {"EUC_JP", "UTF8", "euc_jp_to_utf8"},
                                   {"UTF8", "SJIS", "utf8_to_sjis"}};
  const Pair pair = pairs[*gen::inRange<size_t>(0, pairs.size())];
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string name = *hostileName(), owner = role();
  const bool changeOwner = *gen::arbitrary<bool>();
  const auto comment = maybeComment();
  return {"conversion", [=](NameBook& nb) {
            const std::string conversion = nb.schema(schemaIndex) + "." + nb.fresh(name);
            std::string sql = "CREATE CONVERSION " + conversion + " FOR " + literal(pair.from) + " TO " +
                              literal(pair.to) + " FROM " + pair.function + ";\n";
            sql += commentOn("CONVERSION " + conversion, comment);
            if (changeOwner) sql += "ALTER CONVERSION " + conversion + " OWNER TO " + owner + ";\n";
            return sql;
          }};
}

Fragment transformFragment() {
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string typeName = *hostileName(), fromName = *hostileName(), toName = *hostileName();
  const std::string language = pick({"plpgsql", "sql"});
  const int directions = *gen::inRange(1, 4);  // bit 1: FROM SQL, bit 2: TO SQL
  const auto comment = maybeComment();
  return {"transform", [=](NameBook& nb) {
            const std::string schema = nb.schema(schemaIndex);
            const std::string type = schema + "." + nb.fresh(typeName);
            const std::string from = schema + "." + nb.fresh(fromName), to = schema + "." + nb.fresh(toName);
            // Never called: a transform only needs functions of the right signature.
            std::string sql = "CREATE TYPE " + type + " AS (a text, b int);\n";
            sql += "CREATE FUNCTION " + from + "(internal) RETURNS internal LANGUAGE internal IMMUTABLE STRICT AS 'int4recv';\n";
            sql += "CREATE FUNCTION " + to + "(internal) RETURNS " + type + " LANGUAGE internal IMMUTABLE STRICT AS 'int4recv';\n";
            std::vector<std::string> parts;
            if (directions & 1) parts.push_back("FROM SQL WITH FUNCTION " + from + "(internal)");
            if (directions & 2) parts.push_back("TO SQL WITH FUNCTION " + to + "(internal)");
            sql += "CREATE TRANSFORM FOR " + type + " LANGUAGE " + language + " (" + join(parts, ", ") + ");\n";
            sql += commentOn("TRANSFORM FOR " + type + " LANGUAGE " + language, comment);
            return sql;
          }};
}

Fragment accessMethodFragment() {
  const size_t schemaIndex = *gen::arbitrary<size_t>();
  const std::string tableAmName = *hostileName(), indexAmName = *hostileName(), tableName = *hostileName(),
                    viewName = *hostileName(), className = *hostileName();
  const auto values = *gen::container<std::vector<std::string>>(*gen::inRange(0, 4), hostileText());
  const bool indexAm = *gen::arbitrary<bool>(), matview = *gen::arbitrary<bool>();
  const auto comment = maybeComment();
  return {"access method", [=](NameBook& nb) {
            const std::string schema = nb.schema(schemaIndex);
            const std::string tableAm = nb.fresh(tableAmName);
            std::string sql = "CREATE ACCESS METHOD " + tableAm + " TYPE TABLE HANDLER heap_tableam_handler;\n";
            sql += commentOn("ACCESS METHOD " + tableAm, comment);
            const std::string table = schema + "." + nb.fresh(tableName);
            sql += "CREATE TABLE " + table + " (v text) USING " + tableAm + ";\n";
            for (const auto& v : values) sql += "INSERT INTO " + table + " VALUES (" + literal(v) + ");\n";
            if (matview)
              sql += "CREATE MATERIALIZED VIEW " + schema + "." + nb.fresh(viewName) + " USING " + tableAm +
                     " AS SELECT v FROM " + table + ";\n";
            if (indexAm) {
              const std::string am = nb.fresh(indexAmName);
              sql += "CREATE ACCESS METHOD " + am + " TYPE INDEX HANDLER bthandler;\n";
              sql += "CREATE OPERATOR CLASS " + schema + "." + nb.fresh(className) + " DEFAULT FOR TYPE text USING " +
                     am +
                     " AS OPERATOR 1 pg_catalog.<, OPERATOR 2 pg_catalog.<=, OPERATOR 3 pg_catalog.=, "
                     "OPERATOR 4 pg_catalog.>=, OPERATOR 5 pg_catalog.>, FUNCTION 1 pg_catalog.bttextcmp(text, text);\n";
            }
            return sql;
          }};
}

}  // namespace pgarc::test::hostile
