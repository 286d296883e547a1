#pragma once
// pg_dump's session setup and the one consistent snapshot of the dump.
#include "dump/connection.hpp"
#include "dump/options.hpp"

namespace pgarc::dump {

// Encoding, role, the SETs pg_dump issues, then BEGIN with REPEATABLE READ
// READ ONLY (SERIALIZABLE READ ONLY DEFERRABLE with --serializable-deferrable)
// and SET TRANSACTION SNAPSHOT for --snapshot.
Status setupSession(Connection& conn, const DumpOptions& options);

}  // namespace pgarc::dump
