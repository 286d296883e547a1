#pragma once
// Identifier and literal quoting exactly as pg_dump 15 writes them.
#include <string>
#include <string_view>
#include <vector>

namespace pgarc::dump {

// PostgreSQL 15's keywords whose category is not unreserved (sorted).
const std::vector<std::string_view>& reservedKeywords();
bool isQuotingKeyword(std::string_view word);

class Quoter {
 public:
  explicit Quoter(bool quoteAll = false, bool stdStrings = true) : quoteAll_(quoteAll), stdStrings_(stdStrings) {}
  // pg_dump's fmtId: quoted unless a lowercase identifier that is not a keyword.
  std::string id(std::string_view ident) const;
  // schema.name, each part through id(); schema omitted when empty.
  std::string qualified(std::string_view schema, std::string_view name) const;
  // '...' as appendStringLiteralAH: backslashes doubled when
  // standard_conforming_strings is off, but never an E prefix (the script
  // sets standard_conforming_strings itself, so plain '' reads back right).
  std::string literal(std::string_view s) const;
  // As appendStringLiteralConn, which pg_dump uses for ALTER DATABASE/ROLE
  // ... SET values: any value with a backslash becomes E'...' with doubled
  // backslashes, whatever standard_conforming_strings says.
  std::string connectionLiteral(std::string_view s) const;
  bool quoteAll() const { return quoteAll_; }

 private:
  bool quoteAll_;
  bool stdStrings_;
};

// Dollar-quoted literal: $<prefix>$ extended with _XXXXXXX characters until
// the tag does not occur in `s` (appendStringLiteralDQ).
std::string dollarQuote(std::string_view s, std::string_view prefix = {});

}  // namespace pgarc::dump
