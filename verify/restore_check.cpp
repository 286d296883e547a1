// --restore-check: pg_restore into a scratch database, then read every table
// back and compare row counts and COPY text checksums with the archive.
#include "verify/restore_check.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <random>

#include "format/io.hpp"
#include "verify/manifest.hpp"
#include "verify/checksum.hpp"

namespace pgarc {
namespace {

struct ProgramResult {
  int exitCode = -1;
  std::string out;  // unless streamed
  std::string err;
};

// Runs argv (no shell) with extra environment variables. Standard output
// goes to `onOut` when given (streamed), else into the result.
Result<ProgramResult> runProgram(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                                 const std::function<void(std::string_view)>& onOut = {}) {
  int outPipe[2], errPipe[2];
  // Close-on-exec: a server started by pg_ctl must not inherit our pipes, or
  // they would never see end-of-file.
  if (::pipe2(outPipe, O_CLOEXEC) != 0) return systemError("create pipe for", argv[0]);
  if (::pipe2(errPipe, O_CLOEXEC) != 0) {
    ::close(outPipe[0]);
    ::close(outPipe[1]);
    return systemError("create pipe for", argv[0]);
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return systemError("start", argv[0]);
  if (pid == 0) {
    ::dup2(outPipe[1], STDOUT_FILENO);
    ::dup2(errPipe[1], STDERR_FILENO);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    ::close(outPipe[0]);
    ::close(errPipe[0]);
    for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
    ::execvp(args[0], args.data());
    std::fprintf(stderr, "could not execute %s: %s\n", args[0], std::strerror(errno));
    ::_exit(127);
  }
  ::close(outPipe[1]);
  ::close(errPipe[1]);
  ProgramResult result;
  struct pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
  int open = 2;
  std::string buf(65536, '\0');
  while (open > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (auto& f : fds) {
      if (f.fd < 0 || !(f.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(f.fd, buf.data(), buf.size());
      if (n <= 0) {
        ::close(f.fd);
        f.fd = -1;
        open--;
        continue;
      }
      std::string_view piece(buf.data(), static_cast<size_t>(n));
      if (f.fd == outPipe[0]) {
        if (onOut) {
          onOut(piece);
        } else {
          result.out.append(piece);
        }
      } else if (result.err.size() < (1u << 20)) {
        result.err.append(piece);
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return result;
}

bool executable(const std::string& p) { return ::access(p.c_str(), X_OK) == 0; }

Result<std::string> findBinDir(const std::string& given) {
  if (!given.empty()) {
    if (!executable(given + "/pg_restore")) return makeError("no pg_restore in " + given);
    return given;
  }
  // The versioned directory has initdb and pg_ctl too; Debian's PATH does not.
  const std::string debian = "/usr/lib/postgresql/15/bin";
  if (executable(debian + "/pg_restore")) return debian;
  if (const char* path = std::getenv("PATH")) {
    std::string p = path;
    size_t start = 0;
    while (start <= p.size()) {
      size_t colon = p.find(':', start);
      if (colon == std::string::npos) colon = p.size();
      std::string dir = p.substr(start, colon - start);
      if (!dir.empty() && executable(dir + "/pg_restore")) return dir;
      start = colon + 1;
    }
  }
  return makeError("pg_restore not found on PATH or in " + debian + " (use --pg-bin)");
}

std::string firstLines(const std::string& s, size_t n) {
  std::string out;
  size_t start = 0;
  for (size_t i = 0; i < n && start < s.size(); i++) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) nl = s.size();
    if (!out.empty()) out += " | ";
    out += s.substr(start, nl - start);
    start = nl + 1;
  }
  return out;
}

// A throwaway server: initdb in a temp dir, socket there, stopped and
// removed on destruction. Runs as `postgres` when we are root.
class LocalServer {
 public:
  explicit LocalServer(std::string binDir) : binDir_(std::move(binDir)) {}
  ~LocalServer() { stop(); }

  Status start() {
    char tmpl[] = "/tmp/pgarc-verify-XXXXXX";
    if (!::mkdtemp(tmpl)) return systemError("create temporary directory", tmpl);
    dir_ = tmpl;
    ::chmod(dir_.c_str(), 0755);
    if (::geteuid() == 0) {
      struct passwd* pw = ::getpwnam("postgres");
      if (!pw) return makeError("running as root, but there is no \"postgres\" user to run a throwaway server");
      if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) return systemError("chown", dir_);
    }
    PGARC_ASSIGN(ProgramResult init, run({binDir_ + "/initdb", "-D", dir_ + "/data", "-U", "postgres", "-A", "trust",
                                          "-E", "UTF8", "--locale=C", "--no-sync"}));
    if (init.exitCode != 0) return makeError("initdb failed: " + firstLines(init.err, 5));
    std::string opts = "-p 5432 -k " + dir_ + " -c listen_addresses='' -c fsync=off -c full_page_writes=off";
    PGARC_ASSIGN(ProgramResult ctl, run({binDir_ + "/pg_ctl", "-D", dir_ + "/data", "-o", opts, "-l",
                                         dir_ + "/server.log", "-w", "-t", "60", "start"}));
    if (ctl.exitCode != 0) return makeError("pg_ctl start failed: " + firstLines(ctl.err + ctl.out, 5));
    started_ = true;
    return {};
  }

  void stop() {
    if (started_) {
      (void)run({binDir_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "fast", "-w", "stop"});
      started_ = false;
    }
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
      dir_.clear();
    }
  }

  const std::string& socketDir() const { return dir_; }

 private:
  Result<ProgramResult> run(std::vector<std::string> argv) {
    if (::geteuid() == 0) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
    return runProgram(argv, {});
  }
  std::string binDir_;
  std::string dir_;
  bool started_ = false;
};

// The table name of "COPY name (cols) FROM stdin;" as written (quoted).
std::string copyTarget(const std::string& copyStmt) {
  std::string s = copyStmt.substr(5);
  size_t from = s.rfind(" FROM stdin");
  return from == std::string::npos ? s : s.substr(0, from);
}

std::string sqlLiteral(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string encodingName(const ArchiveToc& toc) {
  for (const auto& e : toc.entries) {
    if (e.desc != "ENCODING" || !e.defn) continue;
    auto q = e.defn->find('\'');
    auto q2 = q == std::string::npos ? q : e.defn->find('\'', q + 1);
    if (q2 != std::string::npos) return e.defn->substr(q + 1, q2 - q - 1);
  }
  return "UTF8";
}

}  // namespace

Status runRestoreCheck(const std::string& archivePath, const RestoreCheckOptions& options, const Manifest* manifest,
                       Report& report) {
  const ArchiveToc& toc = *report.toc;
  if (!toc.header.version.atLeast(1, 0) || toc.header.version.value() > ArchiveVersion::of(1, 14, 255)) {
    // pg_restore 15 accepts up to 1.14; a newer pg_restore may be given with --pg-bin.
    if (options.pgBinDir.empty()) {
      return makeError("archive version " + toc.header.version.toString() +
                       " needs pg_restore 16 or later; give its directory with --pg-bin");
    }
  }
  PGARC_ASSIGN(std::string bin, findBinDir(options.pgBinDir));

  std::optional<LocalServer> local;
  std::vector<std::string> conn;
  if (options.host.empty() && options.port.empty()) {
    local.emplace(bin);
    PGARC_TRY(local->start());
    conn = {"-h", local->socketDir(), "-p", "5432", "-U", "postgres"};
    report.notes.push_back("restore check on a throwaway server in " + local->socketDir());
  } else {
    if (!options.host.empty()) conn.insert(conn.end(), {"-h", options.host});
    if (!options.port.empty()) conn.insert(conn.end(), {"-p", options.port});
    if (!options.user.empty()) conn.insert(conn.end(), {"-U", options.user});
  }
  auto psqlArgs = [&](const std::string& db) {
    std::vector<std::string> a = {bin + "/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"};
    a.insert(a.end(), conn.begin(), conn.end());
    a.insert(a.end(), {"-d", db});
    return a;
  };

  std::mt19937_64 rng(std::random_device{}());
  const std::string scratch = "pgarc_verify_" + std::to_string(::getpid()) + "_" + std::to_string(rng() % 1000000);
  const std::string encoding = encodingName(toc);
  {
    auto a = psqlArgs(options.maintenanceDb);
    a.insert(a.end(), {"-c", "CREATE DATABASE \"" + scratch + "\" TEMPLATE template0 ENCODING " +
                                 sqlLiteral(encoding) + " LOCALE 'C'"});
    PGARC_ASSIGN(ProgramResult r, runProgram(a, {}));
    if (r.exitCode != 0) return makeError("could not create scratch database: " + firstLines(r.err, 3));
  }
  // From here on the scratch database is dropped whatever happens.
  struct DropGuard {
    std::function<void()> f;
    ~DropGuard() { f(); }
  } drop{[&] {
    auto a = psqlArgs(options.maintenanceDb);
    a.insert(a.end(), {"-c", "DROP DATABASE IF EXISTS \"" + scratch + "\""});
    (void)runProgram(a, {});
  }};

  std::vector<std::string> restore = {bin + "/pg_restore", "--no-owner", "--no-privileges", "-d", scratch};
  restore.insert(restore.end(), conn.begin(), conn.end());
  restore.push_back(archivePath);
  PGARC_ASSIGN(ProgramResult restored, runProgram(restore, {}));
  if (restored.exitCode != 0) {
    report.add(Problem{archivePath, {}, {}, {},
                       "pg_restore into a scratch database failed (exit " + std::to_string(restored.exitCode) +
                           "): " + firstLines(restored.err, 4),
                       {}, OffsetKind::File});
  }

  std::map<int, uint64_t> manifestRows;
  if (manifest) {
    for (const auto& e : manifest->entries) {
      if (e.rows) manifestRows[e.dumpId] = *e.rows;
    }
  }
  const std::vector<std::string> sessionEnv = {
      "PGOPTIONS=-c datestyle=ISO -c intervalstyle=postgres -c extra_float_digits=3",
      "PGCLIENTENCODING=" + encoding};
  uint64_t tables = 0, matched = 0;
  for (const auto& e : toc.entries) {
    if (e.desc != "TABLE DATA" || !e.copyStmt || !e.hadDumper) continue;
    auto outcome = report.entries.find(e.dumpId);
    if (outcome == report.entries.end() || !outcome->second.complete) continue;  // already reported
    tables++;
    const std::string target = copyTarget(*e.copyStmt);
    uint64_t expected = manifestRows.count(e.dumpId) ? manifestRows[e.dumpId] : outcome->second.rows;
    // Partitions loaded through their root land in other tables; count the root.
    if (e.defn && e.defn->rfind("-- load via partition root ", 0) == 0) continue;
    std::string tableName = target.substr(0, target.find(" ("));
    auto a = psqlArgs(scratch);
    a.insert(a.end(), {"-c", "SELECT count(*) FROM ONLY " + tableName});
    PGARC_ASSIGN(ProgramResult count, runProgram(a, sessionEnv));
    if (count.exitCode != 0) {
      report.addForEntry(e, archivePath, "table not readable after restore: " + firstLines(count.err, 2), {});
      continue;
    }
    uint64_t got = std::strtoull(count.out.c_str(), nullptr, 10);
    if (got != expected) {
      report.addForEntry(e, archivePath,
                         "restored table has " + std::to_string(got) + " rows, the archive holds " +
                             std::to_string(expected),
                         {});
      continue;
    }
    if (options.compareChecksums && !outcome->second.rowsChecksum.empty()) {
      Checksum h(report.checksumAlgorithm);
      auto c = psqlArgs(scratch);
      c.insert(c.end(), {"-c", "COPY " + target + " TO STDOUT"});
      PGARC_ASSIGN(ProgramResult copied, runProgram(c, sessionEnv, [&h](std::string_view piece) { h.update(piece); }));
      if (copied.exitCode != 0) {
        report.addForEntry(e, archivePath, "could not read the restored table back: " + firstLines(copied.err, 2), {});
        continue;
      }
      std::string digest = h.hexDigest();
      if (digest != outcome->second.rowsChecksum) {
        report.addForEntry(e, archivePath,
                           "restored rows differ from the archive's COPY data (" +
                               std::string(checksumAlgorithmName(report.checksumAlgorithm)) + " " + digest +
                               ", archive " + outcome->second.rowsChecksum + ")",
                           {});
        continue;
      }
    }
    matched++;
  }
  report.notes.push_back("restore check: pg_restore " + std::string(restored.exitCode == 0 ? "succeeded" : "failed") +
                         "; " + std::to_string(matched) + " of " + std::to_string(tables) + " tables match the " +
                         (manifest ? "manifest" : "archive") +
                         (options.compareChecksums ? " (row counts and COPY checksums)" : " (row counts)") +
                         "; scratch database " + scratch + " dropped");
  return {};
}

}  // namespace pgarc
