#include "tests/support/pg_server.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <stdexcept>

namespace pgarc::test {

namespace {
// postgres refuses to run as root: wrap server binaries with runuser.
std::vector<std::string> asServerUser(std::vector<std::string> argv) {
  if (geteuid() == 0) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
  return argv;
}
}  // namespace

CommandResult runAsServerUser(std::vector<std::string> argv) { return run(asServerUser(std::move(argv))); }

PgServer::PgServer(std::string binDir, bool startNow) : binDir_(binDir.empty() ? pgBinDir() : std::move(binDir)) {
  dir_ = makeTempDir("pgarc-pg-");
  if (geteuid() == 0) runShell("chown postgres " + shellQuote(dir_));
  chmod(dir_.c_str(), 0755);
  auto r = run(asServerUser({binDir_ + "/initdb", "-D", dataDir(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                             "--locale=C", "--no-sync"}));
  if (r.exitCode != 0) {
    error_ = "initdb failed: " + r.err;
    return;
  }
  if (startNow) start();
}

bool PgServer::start() {
  std::string opts = "-p " + std::to_string(port_) + " -k " + dir_ +
                     " -c listen_addresses='' -c fsync=off -c full_page_writes=off -c max_connections=40";
  auto r = run(asServerUser({binDir_ + "/pg_ctl", "-D", dataDir(), "-o", opts, "-l", dir_ + "/server.log", "-w", "-t",
                             "60", "start"}));
  if (r.exitCode != 0) {
    error_ = "pg_ctl start failed: " + r.err + r.out;
    return false;
  }
  started_ = true;
  return true;
}

bool PgServer::stop() {
  if (!started_) return true;
  auto r = run(asServerUser({binDir_ + "/pg_ctl", "-D", dataDir(), "-m", "fast", "-w", "stop"}));
  if (r.exitCode != 0) {
    error_ = "pg_ctl stop failed: " + r.err + r.out;
    return false;
  }
  started_ = false;
  return true;
}

PgServer::~PgServer() {
  if (started_) {
    run(asServerUser({binDir_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w", "stop"}));
  }
  removeTree(dir_);
}

std::string PgServer::connString(const std::string& db) const {
  return "host=" + dir_ + " port=" + std::to_string(port_) + " user=postgres dbname=" + db;
}

std::vector<std::string> PgServer::clientArgs() const {
  return {"-h", dir_, "-p", std::to_string(port_), "-U", "postgres"};
}

CommandResult PgServer::psql(const std::string& db, const std::string& sql) const {
  std::vector<std::string> argv = {pgBinDir() + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", connString(db)};
  return run(argv, sql.empty() ? std::string(";") : sql);
}

CommandResult PgServer::psqlFile(const std::string& db, const std::string& path) const {
  return run({pgBinDir() + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", connString(db), "-f", path});
}

void PgServer::createDatabase(const std::string& name, const std::string& extra) const {
  auto r = psql("postgres", "CREATE DATABASE \"" + name + "\" " + extra + ";");
  if (r.exitCode != 0) throw std::runtime_error("CREATE DATABASE failed: " + r.err);
}

}  // namespace pgarc::test
