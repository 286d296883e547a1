#pragma once
// Helpers shared by the kinds in group B (operators, operator classes and
// families, access methods, text search objects, transforms, foreign-data
// wrappers, servers, user mappings, publications, subscriptions, extended
// statistics, default privileges).
#include <optional>
#include <string>

#include "dump/objects/kinds_a_common.hpp"

namespace pgarc::dump {

// The definition entry with no explicit dependencies: the archive's
// dependency list is then derived from the object's, through objects without
// entries, as pg_dump's buildArchiveDependencies does.
EntrySpec plainDefinitionEntry(const DumpableObject& obj, std::string tag, std::string desc, std::string defn,
                               std::string dropStmt, bool withNamespace = true, bool withOwner = true);

// pg_dump's selectDumpableAccessMethod / the built-in cutoff used by several
// kinds: extension members as usual, built-in objects never, others when
// everything is dumped.
void selectDumpableBuiltinCutoff(CatalogContext& ctx, DumpableObject& obj);

// "a 'x', b 'y'" from pg_options_to_table rows already formatted by SQL, or
// as pg_dump formats OPTIONS lists: name quoted by quote_ident, value literal.
// (The catalog queries produce the text; this only wraps it.)
std::string optionsClause(const std::string& options);  // " OPTIONS (\n    ...\n)" or ""

}  // namespace pgarc::dump
