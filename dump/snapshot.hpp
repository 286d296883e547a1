#pragma once
// pg_dump's session setup and the one consistent snapshot of the dump.
#include "dump/connection.hpp"
#include "dump/options.hpp"

namespace pgarc::dump {

// Encoding, role, the SETs pg_dump issues, then BEGIN with REPEATABLE READ
// READ ONLY (SERIALIZABLE READ ONLY DEFERRABLE with --serializable-deferrable)
// and SET TRANSACTION SNAPSHOT for --snapshot.
Status setupSession(Connection& conn, const DumpOptions& options);

// restrict_nonsystem_relation_kind (servers since 15.8; a no-op on older ones):
// the session may not expand non-system views nor read foreign tables, but
// for the data of a foreign table --include-foreign-data asks for.
inline constexpr const char* kRestrictedKinds = "view, foreign-table";
inline constexpr const char* kRestrictedKindsForForeignData = "view";
Status restrictRelationKinds(Connection& conn, const char* kinds);

}  // namespace pgarc::dump
