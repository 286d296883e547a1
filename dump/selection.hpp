#pragma once
// -n/-N/-t/-T/--exclude-table-data/-e patterns resolved to oids on the
// server, with pg_dump's pattern syntax (processSQLNamePattern).
#include <string>
#include <vector>

#include "dump/connection.hpp"
#include "dump/object_kind.hpp"
#include "dump/options.hpp"

namespace pgarc::dump {

// A pattern split at unquoted dots into anchored regexes ("^(...)$"), as
// patternToSQLRegex does: unquoted text is lowercased, * and ? are wildcards,
// quoted text is literal ("" is a quote), $ is always literal.
struct NamePattern {
  std::vector<std::string> parts;  // 1..3 parts: [db.][schema.]name
};
NamePattern parseNamePattern(const std::string& pattern);

Result<Selection> resolveSelection(Connection& conn, const DumpOptions& options);

}  // namespace pgarc::dump
