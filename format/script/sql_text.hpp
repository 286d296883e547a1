#pragma once
// SQL and comment text helpers with pg_restore 15's exact spelling rules.
#include <optional>
#include <string>
#include <string_view>

namespace pgarc::script {

// An identifier as PostgreSQL 15 prints it: bare when it is lowercase
// letters, digits and underscores, starts with a letter or underscore and is
// not a reserved, column-name or type-function keyword; double-quoted otherwise
// (always, with pg_dump's --quote-all-identifiers).
std::string quoteIdent(std::string_view name, bool quoteAll = false);
// "schema.name" with each part quoted as needed; the schema is left out when
// it is empty.
std::string quoteQualified(std::string_view schema, std::string_view name);
// A single-quoted literal; backslashes are doubled when standard strings are off.
std::string quoteLiteral(std::string_view text, bool standardStrings);
// Large-object bytes as a bytea hex literal: '\x..' or E'\\x..'.
std::string byteaHexLiteral(std::string_view bytes, bool standardStrings);
// The psql meta-command that connects to `dbname` (with trailing newline);
// a plain name is quoted too with --quote-all-identifiers.
std::string psqlConnectCommand(std::string_view dbname, bool quoteAll = false);
// Newlines and carriage returns become spaces so a name stays on one comment
// line; an absent value prints as "-" or "" depending on `hyphenIfAbsent`.
std::string sanitizeLine(const std::optional<std::string>& text, bool hyphenIfAbsent);

bool startsWith(std::string_view text, std::string_view prefix);
// A catalog ID stored as decimal text, printed as pg_restore prints it after
// reading it with sscanf("%u"): unsigned, "0" when unreadable.
std::string catalogNumber(const std::string& text);

}  // namespace pgarc::script
