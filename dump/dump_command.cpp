// `pgarc dump`: parse pg_dump's command line, connect, take the snapshot,
// read the catalog, sort, emit, write.
#include "dump/dump_command.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "dump/catalog.hpp"
#include "dump/connection.hpp"
#include "dump/options.hpp"
#include "dump/output.hpp"
#include "dump/side_queries.hpp"
#include "dump/snapshot.hpp"

namespace pgarc {

namespace {

// Connections besides the main one for catalog reads (dump/side_queries.hpp):
// 2, or PGARC_SIDE_CONNECTIONS (0 reads everything on the main connection).
int sideConnectionCount() {
  const char* v = std::getenv("PGARC_SIDE_CONNECTIONS");
  if (!v || !*v) return 2;
  return std::clamp(std::atoi(v), 0, 8);
}

}  // namespace

Result<int> runDump(const std::vector<std::string>& args) {
  using namespace pgarc::dump;
  PGARC_ASSIGN(ParsedCommandLine cmd, parseDumpCommandLine(args));
  if (cmd.action == ParsedCommandLine::Action::Help) {
    std::fputs(dumpHelpText().c_str(), stdout);
    return 0;
  }
  if (cmd.action == ParsedCommandLine::Action::Version) {
    std::puts("pgarc dump (compatible with pg_dump (PostgreSQL) 15)");
    return 0;
  }
  DumpOptions& o = cmd.options;
  InfoLog info;
  if (o.verbose) info = [](const std::string& m) { std::fprintf(stderr, "pgarc dump: %s\n", m.c_str()); };

  // The archive's creation time is the start of the dump, in local time.
  std::time_t start = std::time(nullptr);
  std::tm created{};
  localtime_r(&start, &created);

  ConnectParams params;
  params.dbname = o.dbname;
  params.host = o.host;
  params.port = o.port;
  params.username = o.username;
  params.noPassword = o.noPassword;
  params.forcePassword = o.forcePassword;
  PGARC_ASSIGN(auto conn, Connection::open(params));
  if (std::string pw = conn->password(); !pw.empty()) params.password = pw;
  // A hot standby cannot read unlogged tables: pg_dump leaves their data out there.
  PGARC_ASSIGN(QueryResult recovery, conn->query("SELECT pg_catalog.pg_is_in_recovery()"));
  if (recovery.boolean(0, 0)) o.noUnloggedTableData = true;
  PGARC_TRY(setupSession(*conn, o));
  Quoter quote(o.quoteAllIdentifiers, conn->parameter("standard_conforming_strings") == "on");
  ObjectStore store;
  // The dump's snapshot for side connections and -j workers: --snapshot, or
  // exported once by the main connection.
  std::string snapshotId = o.snapshot.value_or("");
  auto exportSnapshot = [&]() -> Status {
    if (!snapshotId.empty()) return {};
    PGARC_ASSIGN(QueryResult r, conn->query("SELECT pg_catalog.pg_export_snapshot()"));
    snapshotId = std::string(r.get(0, 0));
    return {};
  };
  std::unique_ptr<SideQueries> side;
  if (int count = sideConnectionCount(); count > 0 && conn->serverVersion() >= 100000) {
    PGARC_TRY(exportSnapshot());
    side = std::make_unique<SideQueries>(params, o, snapshotId, count);
  }
  PGARC_ASSIGN(DumpPlan plan, buildDumpPlan(*conn, o, quote, store, info, side.get()));
  side.reset();
  if (o.jobs > 1 && (o.format == ArchiveKind::Directory || o.format == ArchiveKind::Custom)) {
    // Workers read in the leader's snapshot, as pg_dump's do.
    PGARC_TRY(exportSnapshot());
    ConnectionFactory workers = [&params, &o, snapshotId]() -> Result<std::unique_ptr<Connection>> {
      PGARC_ASSIGN(auto c, Connection::open(params));
      DumpOptions wo = o;
      wo.snapshot = snapshotId;
      PGARC_TRY(setupSession(*c, wo));
      return c;
    };
    PGARC_TRY(writeOutput(std::move(plan), o, store, created, info, &workers));
  } else {
    PGARC_TRY(writeOutput(std::move(plan), o, store, created, info));
  }
  (void)conn->exec("COMMIT");
  return 0;
}

}  // namespace pgarc
