#pragma once
// A throwaway PostgreSQL server for integration tests: initdb into a temp
// dir, the socket in that dir, run as the `postgres` user when we are root,
// stopped and removed in the destructor (also when the test fails).
#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace pgarc::test {

// Runs a server binary as the `postgres` user when we are root.
CommandResult runAsServerUser(std::vector<std::string> argv);

class PgServer {
 public:
  // binDir: server binaries (initdb, pg_ctl, postgres). Empty = pgBinDir().
  // start = false: initdb only (e.g. the new cluster of a pg_upgrade).
  explicit PgServer(std::string binDir = {}, bool start = true);
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  bool started() const { return started_; }
  const std::string& startupError() const { return error_; }
  const std::string& socketDir() const { return dir_; }
  std::string dataDir() const { return dir_ + "/data"; }
  // Clean shutdown (pg_upgrade insists on one) and start again; false with
  // the reason in startupError().
  bool stop();
  bool start();
  int port() const { return port_; }
  // libpq connection string for a database on this server.
  std::string connString(const std::string& db = "postgres") const;
  // Common client arguments: -h DIR -p PORT -U postgres.
  std::vector<std::string> clientArgs() const;
  // Runs SQL through psql (ON_ERROR_STOP); returns the result.
  CommandResult psql(const std::string& db, const std::string& sql) const;
  CommandResult psqlFile(const std::string& db, const std::string& path) const;
  void createDatabase(const std::string& name, const std::string& extra = {}) const;

 private:
  std::string binDir_;
  std::string dir_;
  int port_ = 5432;
  bool started_ = false;
  std::string error_;
};

}  // namespace pgarc::test
