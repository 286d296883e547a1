#pragma once
// The catalog pass and what follows it in pg_dump's main(): table data
// objects, large objects, dependencies, comments, boundaries, the sort, and
// the emission of TOC entries in sorted order.
#include <functional>
#include <string>
#include <vector>

#include "dump/object_kind.hpp"

namespace pgarc::dump {

struct DumpPlan {
  std::vector<TocEntry> entries;         // archive order, all that was emitted
  std::vector<const EntrySpec*> specs;   // parallel to entries (EmitContext::specs)
  std::deque<EntrySpec> producers;       // what `specs` point to
  std::vector<ArchiveToc::Run> runs;     // generated entries (EmitContext::runs): `at` is their marker's index
  std::string dbname;
  std::string serverVersion;        // server_version parameter
};

using InfoLog = std::function<void(const std::string&)>;

// Everything from getSchemaData to the last ArchiveEntry call. `conn` must be
// inside the dump's transaction (setupSession). `side`, when given, runs some
// catalog reads on extra connections in the same snapshot.
Result<DumpPlan> buildDumpPlan(Connection& conn, const DumpOptions& options, const Quoter& quote, ObjectStore& store,
                               const InfoLog& info, SideQueries* side = nullptr);

// Reads for the end of the catalog pass that need nothing from it (column
// privileges), queued on `side` behind the per-table reads: getTables calls
// it once the tables are locked.
void prefetchLateCatalogReads(SideQueries& side, const DumpOptions& options);

}  // namespace pgarc::dump
