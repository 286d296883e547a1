#include "dump/selection.hpp"

#include <cctype>
#include <cstring>

namespace pgarc::dump {

NamePattern parseNamePattern(const std::string& pattern) {
  NamePattern p;
  std::string cur;
  bool inQuotes = false;
  for (size_t i = 0; i < pattern.size(); i++) {
    char ch = pattern[i];
    if (ch == '"') {
      if (inQuotes && i + 1 < pattern.size() && pattern[i + 1] == '"') {
        cur.push_back('"');
        i++;
      } else {
        inQuotes = !inQuotes;
      }
    } else if (!inQuotes && std::isupper(static_cast<unsigned char>(ch))) {
      cur.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    } else if (!inQuotes && ch == '*') {
      cur += ".*";
    } else if (!inQuotes && ch == '?') {
      cur.push_back('.');
    } else if (!inQuotes && ch == '.') {
      p.parts.push_back("^(" + cur + ")$");
      cur.clear();
    } else if (ch == '$') {
      cur += "\\$";
    } else {
      if (inQuotes && std::strchr("|*+?()[]{}.^$\\", ch))
        cur.push_back('\\');
      else if (ch == '[' && i + 1 < pattern.size() && pattern[i + 1] == ']')
        cur.push_back('\\');
      cur.push_back(ch);
    }
  }
  p.parts.push_back("^(" + cur + ")$");
  return p;
}

namespace {

std::string regexCondition(Connection& conn, const std::string& column, const std::string& regex) {
  if (regex == "^(.*)$") return "";
  return " AND " + column + " OPERATOR(pg_catalog.~) " + conn.literal(regex) + " COLLATE pg_catalog.default";
}

Status checkDatabasePart(Connection& conn, const NamePattern& p, const std::string& pattern, size_t maxParts,
                         const char* what) {
  if (p.parts.size() > maxParts) return makeError(std::string("improper ") + what + " name (too many dotted names): " + pattern);
  if (p.parts.size() == maxParts && maxParts >= 2) {
    const std::string& db = p.parts[0];
    PGARC_ASSIGN(QueryResult r, conn.query("SELECT pg_catalog.current_database() OPERATOR(pg_catalog.~) " +
                                           conn.literal(db) + " COLLATE pg_catalog.default"));
    if (r.rows() == 0 || !r.boolean(0, 0))
      return makeError("cross-database references are not implemented: " + pattern);
  }
  return {};
}

Result<std::vector<uint32_t>> schemaOids(Connection& conn, const std::string& pattern) {
  NamePattern p = parseNamePattern(pattern);
  PGARC_TRY(checkDatabasePart(conn, p, pattern, 2, "qualified"));
  std::string sql = "SELECT oid FROM pg_catalog.pg_namespace n WHERE true" +
                    regexCondition(conn, "n.nspname", p.parts.back());
  PGARC_ASSIGN(QueryResult r, conn.query(sql));
  std::vector<uint32_t> out;
  for (int i = 0; i < r.rows(); i++) out.push_back(r.oid(i, 0));
  return out;
}

Result<std::vector<uint32_t>> tableOids(Connection& conn, const std::string& pattern) {
  NamePattern p = parseNamePattern(pattern);
  PGARC_TRY(checkDatabasePart(conn, p, pattern, 3, "relation"));
  std::string sql =
      "SELECT c.oid FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n "
      "ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
      "WHERE c.relkind OPERATOR(pg_catalog.=) ANY (array['r', 'S', 'v', 'm', 'f', 'p'])";
  sql += regexCondition(conn, "c.relname", p.parts.back());
  if (p.parts.size() >= 2)
    sql += regexCondition(conn, "n.nspname", p.parts[p.parts.size() - 2]);
  else
    sql += " AND pg_catalog.pg_table_is_visible(c.oid)";
  // Unqualified names are resolved against the user's search_path, as pg_dump does.
  PGARC_TRY(conn.exec("RESET search_path"));
  auto r = conn.query(sql);
  PGARC_TRY(conn.exec("SELECT pg_catalog.set_config('search_path', '', false)"));
  if (!r.ok()) return std::move(r).error();
  std::vector<uint32_t> out;
  for (int i = 0; i < r->rows(); i++) out.push_back(r->oid(i, 0));
  return out;
}

// Foreign servers and extensions are not schema-qualified: one name part only.
Result<std::vector<uint32_t>> unqualifiedOids(Connection& conn, const std::string& pattern, const char* catalog,
                                              const std::string& nameColumn) {
  NamePattern p = parseNamePattern(pattern);
  PGARC_TRY(checkDatabasePart(conn, p, pattern, 1, "qualified"));
  std::string sql = std::string("SELECT oid FROM pg_catalog.") + catalog + " WHERE true" +
                    regexCondition(conn, nameColumn, p.parts.back());
  PGARC_ASSIGN(QueryResult r, conn.query(sql));
  std::vector<uint32_t> out;
  for (int i = 0; i < r.rows(); i++) out.push_back(r.oid(i, 0));
  return out;
}

}  // namespace

Result<Selection> resolveSelection(Connection& conn, const DumpOptions& o) {
  Selection s;
  for (const auto& pat : o.schemaPatterns) {
    PGARC_ASSIGN(auto oids, schemaOids(conn, pat));
    if (o.strictNames && oids.empty()) return makeError("no matching schemas were found for pattern \"" + pat + "\"");
    s.schemaInclude.insert(oids.begin(), oids.end());
  }
  if (!o.schemaPatterns.empty()) {
    s.anySchemaInclude = true;
    if (s.schemaInclude.empty()) return makeError("no matching schemas were found");
  }
  for (const auto& pat : o.excludeSchemaPatterns) {
    PGARC_ASSIGN(auto oids, schemaOids(conn, pat));
    s.schemaExclude.insert(oids.begin(), oids.end());
  }
  for (const auto& pat : o.tablePatterns) {
    PGARC_ASSIGN(auto oids, tableOids(conn, pat));
    if (o.strictNames && oids.empty()) return makeError("no matching tables were found for pattern \"" + pat + "\"");
    s.tableInclude.insert(oids.begin(), oids.end());
  }
  if (!o.tablePatterns.empty()) {
    s.anyTableInclude = true;
    if (s.tableInclude.empty()) return makeError("no matching tables were found");
  }
  for (const auto& pat : o.excludeTablePatterns) {
    PGARC_ASSIGN(auto oids, tableOids(conn, pat));
    s.tableExclude.insert(oids.begin(), oids.end());
  }
  for (const auto& pat : o.excludeTableDataPatterns) {
    PGARC_ASSIGN(auto oids, tableOids(conn, pat));
    s.tableDataExclude.insert(oids.begin(), oids.end());
  }
  // --include-foreign-data: every pattern must match, --strict-names or not.
  for (const auto& pat : o.includeForeignDataPatterns) {
    PGARC_ASSIGN(auto oids, unqualifiedOids(conn, pat, "pg_foreign_server", "srvname"));
    if (oids.empty()) return makeError("no matching foreign servers were found for pattern \"" + pat + "\"");
    s.foreignServerInclude.insert(oids.begin(), oids.end());
  }
  for (const auto& pat : o.extensionPatterns) {
    PGARC_ASSIGN(auto oids, unqualifiedOids(conn, pat, "pg_extension", "extname"));
    if (o.strictNames && oids.empty())
      return makeError("no matching extensions were found for pattern \"" + pat + "\"");
    s.extensionInclude.insert(oids.begin(), oids.end());
  }
  if (!o.extensionPatterns.empty()) {
    s.anyExtensionInclude = true;
    if (s.extensionInclude.empty()) return makeError("no matching extensions were found");
  }
  return s;
}

}  // namespace pgarc::dump
