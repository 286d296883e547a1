// Routines, views, sequences, large objects, privileges and foreign data.
#include "tests/support/hostile_fragments.hpp"

#include <algorithm>

namespace pgarc::test::hostile {

namespace gen = rc::gen;

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
  const auto optionNames = *gen::container<std::vector<std::string>>(7, hostileName());
  const auto optionValues = *gen::container<std::vector<std::string>>(7, hostileText());
  const std::string secondColumn = *hostileName();
  const bool alterOptions = *gen::arbitrary<bool>();
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
            const std::string table = nb.schema(schemaIndex) + "." + nb.fresh(tableName), second = nb.fresh(secondColumn);
            sql += "CREATE FOREIGN TABLE " + table + " (" + nb.fresh(columnName) + " text OPTIONS (" + option(3) +
                   ") NOT NULL, " + second + " int) SERVER " + server + " OPTIONS (" + option(4) + ", " + option(5) +
                   ");\n";
            if (alterOptions)
              sql += "ALTER FOREIGN TABLE " + table + " OPTIONS (ADD " + option(6) + "), ALTER COLUMN " + second +
                     " OPTIONS (ADD " + option(0) + ");\n";
            sql += "GRANT USAGE ON FOREIGN SERVER " + server + " TO " + ident(mappedRole) + ";\n";
            sql += commentOn("SERVER " + server, comment);
            return sql;
          }};
}

}  // namespace pgarc::test::hostile
