#pragma once
// Catalog reads on extra connections that share the dump's snapshot, so the
// server works on several catalog queries at once (pg_dump reads them one
// after another on one connection).
//
// Each side connection is opened by its own thread, adopts the exported
// snapshot (SET TRANSACTION SNAPSHOT) and runs the queries queued on it in
// order. Results are picked up by the catalog pass in pg_dump's order, so
// what it builds (and every dumpId) does not depend on which connection ran a
// query or when. When a side connection cannot be opened (connection limit,
// password needed, ...) its queries are run on the main connection at pick-up.
//
// Only queries whose result is the same on any connection in the snapshot
// belong here. Queries calling ruleutils functions (pg_get_indexdef, ...) read
// the current catalog, not the snapshot: queue them only for relations the
// main connection has already locked.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "dump/connection.hpp"
#include "dump/options.hpp"

namespace pgarc::dump {

class SideQueries {
 public:
  // Starts `count` threads, each opening one connection with `params`, the
  // session settings of `options` and the snapshot `snapshotId`. Never prompts
  // for a password.
  SideQueries(const ConnectParams& params, const DumpOptions& options, std::string snapshotId, int count);
  ~SideQueries();
  SideQueries(const SideQueries&) = delete;
  SideQueries& operator=(const SideQueries&) = delete;

  using Ticket = size_t;
  // Queues `sql` on the side connection with the least queued work.
  Ticket submit(std::string sql);
  // The result of a submitted query; waits for it. When its side connection
  // was not available, or has not started it yet, the query runs on `main`.
  Result<QueryResult> take(Ticket ticket, Connection& main);

  // submit() keyed by the SQL text, for a later query() of the same text.
  void prefetch(const std::string& sql);
  // The prefetched result of `sql` when there is one, else `sql` run on `main`.
  // A prefetched query no side connection has started yet runs on `main`.
  Result<QueryResult> query(Connection& main, const std::string& sql);
  // Whether a side connection has started (or finished) the prefetched `sql`;
  // true when it is not prefetched.
  bool started(const std::string& sql) const;

  size_t connections() const;

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
};

// `sql` through `side` when there is one (a prefetched result), else on `main`.
Result<QueryResult> catalogQuery(Connection& main, SideQueries* side, const std::string& sql);

// A per-object read (one query for a set of oids) split over the side
// connections ahead of the catalog step that needs it.
using OidQuery = std::function<std::string(const std::vector<uint32_t>&)>;

// Prefetches `query` for runs of `oids` (in their order), `piecesPerConnection`
// runs a side connection; returns the runs, or nothing when `side` is null or
// there are fewer than 100 oids.
std::vector<std::vector<uint32_t>> prefetchInPieces(SideQueries* side, const std::vector<uint32_t>& oids,
                                                    size_t piecesPerConnection, const OidQuery& query);

// The results of the prefetched `runs`, then of one read on `main` for the
// oids of `wanted` in none of them. Rows may be for oids no longer wanted.
Result<std::vector<QueryResult>> takePieces(Connection& main, SideQueries* side,
                                            const std::vector<std::vector<uint32_t>>& runs,
                                            const std::set<uint32_t>& wanted, const OidQuery& query);

}  // namespace pgarc::dump
