// Hostile identifiers and text, quoting, and the per-database name book.
#include "tests/support/hostile_fragments.hpp"

#include <set>

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

}  // namespace

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

std::string pick(const std::vector<std::string>& list) { return *gen::elementOf(list); }

std::string role() { return ident(pick(roleNames())); }

std::optional<std::string> maybeComment() {
  if (*gen::inRange(0, 3) == 0) return std::nullopt;
  return *hostileText();
}

std::string commentOn(const std::string& target, const std::optional<std::string>& text) {
  return text ? "COMMENT ON " + target + " IS " + literal(*text) + ";\n" : "";
}

std::string harmlessCondition(const std::string& column, const std::string& text) {
  return "(" + column + " IS NULL OR " + column + " <> " + literal(text) + " OR octet_length(" + column + ") >= 0)";
}

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

std::string conninfoValue(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
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

}  // namespace pgarc::test::hostile
