#include "format/script/sql_text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>

namespace pgarc::script {
namespace {

// PostgreSQL 15 keywords whose category is not "unreserved"
// (pg_get_keywords() catcode R, C or T); such identifiers need quotes.
constexpr std::array<std::string_view, 151> kQuotedKeywords = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
    "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character",
    "check", "coalesce", "collate", "collation", "column", "concurrently", "constraint", "create",
    "cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
    "current_timestamp", "current_user", "dec", "decimal", "default", "deferrable", "desc",
    "distinct", "do", "else", "end", "except", "exists", "extract", "false", "fetch", "float", "for",
    "foreign", "freeze", "from", "full", "grant", "greatest", "group", "grouping", "having", "ilike",
    "in", "initially", "inner", "inout", "int", "integer", "intersect", "interval", "into", "is",
    "isnull", "join", "lateral", "leading", "least", "left", "like", "limit", "localtime",
    "localtimestamp", "national", "natural", "nchar", "none", "normalize", "not", "notnull", "null",
    "nullif", "numeric", "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay",
    "placing", "position", "precision", "primary", "real", "references", "returning", "right", "row",
    "select", "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric",
    "table", "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim", "true",
    "union", "unique", "user", "using", "values", "varchar", "variadic", "verbose", "when", "where",
    "window", "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest",
    "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable"};

bool isQuotedKeyword(std::string_view word) {
  return std::binary_search(kQuotedKeywords.begin(), kQuotedKeywords.end(), word);
}

bool isPlainConnChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

// A libpq connection-string value: bare when simple, else single-quoted with
// backslash escapes.
std::string connStringValue(std::string_view value) {
  bool plain = !value.empty() && std::all_of(value.begin(), value.end(), isPlainConnChar);
  if (plain) return std::string(value);
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

}  // namespace

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string catalogNumber(const std::string& text) {
  char* end = nullptr;
  unsigned long v = std::strtoul(text.c_str(), &end, 10);
  if (end == text.c_str()) return "0";
  return std::to_string(static_cast<uint32_t>(v));
}

std::string quoteIdent(std::string_view name, bool quoteAll) {
  bool safe = !quoteAll && !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      safe = false;
      break;
    }
  }
  if (safe && !isQuotedKeyword(name)) return std::string(name);
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string quoteQualified(std::string_view schema, std::string_view name) {
  if (schema.empty()) return quoteIdent(name);
  return quoteIdent(schema) + "." + quoteIdent(name);
}

std::string quoteLiteral(std::string_view text, bool standardStrings) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || (c == '\\' && !standardStrings)) out += c;
    out += c;
  }
  out += '\'';
  return out;
}

std::string byteaHexLiteral(std::string_view bytes, bool standardStrings) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2 + 8);
  out += standardStrings ? "'\\x" : "'\\\\x";
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  out += '\'';
  return out;
}

std::string psqlConnectCommand(std::string_view dbname, bool quoteAll) {
  bool plain = std::all_of(dbname.begin(), dbname.end(), isPlainConnChar);
  std::string out = "\\connect ";
  if (plain) {
    out += quoteIdent(dbname, quoteAll);
  } else {
    // psql must not reinterpret the name's bytes in another client encoding.
    out = "\\encoding SQL_ASCII\n" + out + "-reuse-previous=on ";
    out += quoteIdent("dbname=" + connStringValue(dbname));
  }
  out += '\n';
  return out;
}

std::string sanitizeLine(const std::optional<std::string>& text, bool hyphenIfAbsent) {
  if (!text) return hyphenIfAbsent ? "-" : "";
  std::string out = *text;
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}

}  // namespace pgarc::script
