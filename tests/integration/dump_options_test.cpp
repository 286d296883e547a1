// pg_dump 15's snapshot, session and connection options, and the faults a dump
// must survive cleanly, against a real server and side by side with stock
// pg_dump 15: --serializable-deferrable, --snapshot, --lock-wait-timeout, -E,
// --role, -v, --include-foreign-data, -e, -d as a connection string or URI,
// PG* variables, .pgpass through PGPASSFILE, -w; a connection lost in the
// middle of a COPY and a full disk, for every output format.
// A failure must be one line on stderr, a non-zero exit, and nothing at the
// target path that looks like a complete archive.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "dump/connection.hpp"
#include "tests/support/database_suite.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/text_compare.hpp"

using namespace pgarc::test;

namespace {

// e-acute and the euro sign: both exist in LATIN9, only the first in LATIN1.
const char* kFixture = R"SQL(
CREATE ROLE dumper NOLOGIN;
CREATE ROLE pwuser LOGIN PASSWORD 'sekret';
CREATE TABLE public.t (id int PRIMARY KEY, s text);
INSERT INTO public.t VALUES (1, 'caf' || U&'\00e9'), (2, U&'\20ac 5');
GRANT SELECT ON public.t TO dumper, pwuser;
CREATE TABLE public.secret (x int);
CREATE TABLE public.big AS SELECT g AS id, repeat(md5(g::text), 8) AS pad FROM generate_series(1, 400000) g;
CREATE EXTENSION postgres_fdw;
CREATE FOREIGN DATA WRAPPER dummy;
CREATE SERVER elsewhere FOREIGN DATA WRAPPER dummy;
CREATE FOREIGN TABLE public.ft_elsewhere (id int) SERVER elsewhere;
SELECT lo_from_bytea(0, 'a large object');
CREATE UNLOGGED TABLE public.unl (a int);
INSERT INTO public.unl VALUES (1);
)SQL";

class DumpOptions : public DatabaseSuite<DumpOptions> {
 protected:
  static void SetUpTestSuite() {
    setUpDatabase("opts", kFixture, "pgarc-dump-options-");
    if (!server_->started() || HasFatalFailure()) return;
    // A loopback postgres_fdw server: its foreign table reads public.t.
    auto r = server_->psql("opts", "CREATE SERVER loop FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '" +
                                  server_->socketDir() + "', port '" + std::to_string(server_->port()) +
                                  "', dbname 'opts');"
                                  "CREATE USER MAPPING FOR postgres SERVER loop OPTIONS (user 'postgres');"
                                  "CREATE FOREIGN TABLE public.ft (id int, s text) SERVER loop OPTIONS "
                                  "(table_name 't');");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    // Every statement in the server log, tagged with the application name.
    r = server_->psql("postgres", "ALTER SYSTEM SET log_statement = 'all'; ALTER SYSTEM SET log_line_prefix = '%a|';"
                                  "SELECT pg_reload_conf();");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    // pwuser must give a password; everyone else is trusted.
    const std::string hba = server_->socketDir() + "/data/pg_hba.conf";
    writeFile(hba, "local all pwuser scram-sha-256\n" + readFile(hba));
    r = server_->psql("postgres", "SELECT pg_reload_conf();");
    ASSERT_EQ(r.exitCode, 0) << r.err;
  }

  static std::vector<std::string> withConn(std::vector<std::string> argv, const std::vector<std::string>& args) {
    for (const auto& a : server_->clientArgs()) argv.push_back(a);
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  static CommandResult stock(const std::vector<std::string>& args) {
    return run(withConn({pgBinDir() + "/pg_dump"}, args));
  }
  static CommandResult ours(const std::vector<std::string>& args) {
    return run(withConn({pgarcBinary(), "dump"}, args));
  }
  // Runs argv under `env` with the given variables (no -h/-p/-U added).
  static CommandResult withEnv(const std::vector<std::string>& vars, const std::vector<std::string>& argv) {
    std::string cmd = "env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE -u PGPASSWORD -u PGPASSFILE";
    for (const auto& v : vars) cmd += " " + shellQuote(v);
    for (const auto& a : argv) cmd += " " + shellQuote(a);
    return runShell(cmd);
  }
  // Both tools print a plain script of `args` + the database; they must
  // succeed with the same text. Returns ours.
  static std::string sameScript(std::vector<std::string> args) {
    args.insert(args.begin(), "--restrict-key=K");
    args.push_back("opts");
    auto rs = stock(args);
    auto ro = ours(args);
    EXPECT_EQ(rs.exitCode, 0) << rs.err;
    EXPECT_EQ(ro.exitCode, 0) << ro.err;
    EXPECT_TRUE(sameText(rs.out, ro.out)) << args[1];
    return ro.out;
  }
  static std::unique_ptr<pgarc::dump::Connection> connect(const std::string& db = "opts") {
    pgarc::dump::ConnectParams p;
    p.dbname = server_->connString(db);
    p.applicationName = "pgarc-test";
    auto c = pgarc::dump::Connection::open(p);
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().describe());
    return c.ok() ? std::move(*c) : nullptr;
  }
  static std::string serverLog() { return readFile(server_->socketDir() + "/server.log"); }

  // The statements a dump's own session sent up to the start of its
  // transaction (SET TRANSACTION ... and SET TRANSACTION SNAPSHOT included).
  // pg_dump's repeated search_path clearing is left out.
  static std::vector<std::string> sessionSetup(const std::string& log) {
    std::vector<std::string> stmts;
    const std::string tag = "pg_dump|LOG:  statement: ";
    size_t pos = 0;
    bool begun = false;
    while ((pos = log.find(tag, pos)) != std::string::npos) {
      pos += tag.size();
      size_t end = log.find('\n', pos);
      std::string s = log.substr(pos, end - pos);
      while (!s.empty() && s.back() == ';') s.pop_back();
      if (s == "BEGIN") begun = true;
      if (begun && s.rfind("SET TRANSACTION", 0) != 0 && s != "BEGIN") break;
      if (s == "SELECT pg_catalog.set_config('search_path', '', false)") continue;
      stmts.push_back(s);
    }
    return stmts;
  }
  // Runs both tools with `args` (plain output), returning each one's session setup.
  static std::pair<std::vector<std::string>, std::vector<std::string>> setups(const std::vector<std::string>& args) {
    size_t before = serverLog().size();
    auto rs = stock(args);
    EXPECT_EQ(rs.exitCode, 0) << rs.err;
    std::string log = serverLog();
    auto s = sessionSetup(log.substr(before));
    before = log.size();
    auto ro = ours(args);
    EXPECT_EQ(ro.exitCode, 0) << ro.err;
    auto o = sessionSetup(serverLog().substr(before));
    return {s, o};
  }

  static bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }
  // A failure as issue 3 wants it: non-zero exit and one line on stderr.
  static void expectOneLineError(const CommandResult& r, const std::string& needle) {
    EXPECT_NE(r.exitCode, 0);
    EXPECT_EQ(r.err.rfind("pgarc: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
  }
  static bool exists(const std::string& p) { return std::filesystem::exists(p); }
};

TEST_F(DumpOptions, SessionSetupMatchesStock) {
  for (const std::vector<std::string>& extra : std::vector<std::vector<std::string>>{
           {}, {"--serializable-deferrable"}, {"--role=dumper"}, {"-E", "LATIN9"}, {"--enable-row-security"}}) {
    std::vector<std::string> args = {"-t", "t", "-f", "/dev/null"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("opts");
    auto [s, o] = setups(args);
    EXPECT_FALSE(s.empty());
    // One deliberate addition: JIT off (dump/snapshot.cpp), before BEGIN.
    auto jit = std::find(o.begin(), o.end(), "SET jit = off");
    EXPECT_TRUE(jit != o.end() && jit + 1 != o.end() && *(jit + 1) == "BEGIN");
    if (jit != o.end()) o.erase(jit);
    EXPECT_EQ(s, o) << (extra.empty() ? "(defaults)" : extra[0]);
  }
  auto [s, o] = setups({"-t", "t", "-f", "/dev/null", "--serializable-deferrable", "opts"});
  EXPECT_TRUE(contains(o, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE"));
  std::tie(s, o) = setups({"-t", "t", "-f", "/dev/null", "--role=dumper", "opts"});
  EXPECT_TRUE(contains(o, "SET ROLE dumper"));
}

TEST_F(DumpOptions, SnapshotIsAdopted) {
  auto holder = connect();
  ASSERT_TRUE(holder);
  ASSERT_TRUE(holder->exec("BEGIN ISOLATION LEVEL REPEATABLE READ").ok());
  auto snap = holder->query("SELECT pg_catalog.pg_export_snapshot()");
  ASSERT_TRUE(snap.ok());
  const std::string id = snap->str(0, 0);
  ASSERT_EQ(server_->psql("opts", "INSERT INTO public.t VALUES (100, 'after the snapshot');").exitCode, 0);

  auto now = ours({"-t", "t", "--restrict-key=K", "opts"});
  ASSERT_EQ(now.exitCode, 0) << now.err;
  EXPECT_NE(now.out.find("after the snapshot"), std::string::npos);
  auto then = ours({"-t", "t", "--restrict-key=K", "--snapshot=" + id, "opts"});
  ASSERT_EQ(then.exitCode, 0) << then.err;
  EXPECT_EQ(then.out.find("after the snapshot"), std::string::npos);
  auto stockThen = stock({"-t", "t", "--restrict-key=K", "--snapshot=" + id, "opts"});
  ASSERT_EQ(stockThen.exitCode, 0) << stockThen.err;
  EXPECT_TRUE(sameText(then.out, stockThen.out));
  // The snapshot also serves a parallel dump's workers.
  const std::string pdir = dir_ + "/snap_parallel";
  auto par = ours({"-Fd", "-j2", "-f", pdir, "--snapshot=" + id, "opts"});
  ASSERT_EQ(par.exitCode, 0) << par.err;
  EXPECT_EQ(restoreScript(pdir).find("after the snapshot"), std::string::npos);
  removeTree(pdir);

  auto bogus = ours({"-t", "t", "--snapshot=00000003-0000001B-1", "opts"});
  expectOneLineError(bogus, "SET TRANSACTION SNAPSHOT");
  ASSERT_TRUE(holder->exec("COMMIT").ok());
  ASSERT_EQ(server_->psql("opts", "DELETE FROM public.t WHERE id = 100;").exitCode, 0);
}

TEST_F(DumpOptions, LockWaitTimeoutFailsOnALockedTable) {
  auto holder = connect();
  ASSERT_TRUE(holder);
  ASSERT_TRUE(holder->exec("BEGIN").ok());
  ASSERT_TRUE(holder->exec("LOCK TABLE public.t IN ACCESS EXCLUSIVE MODE").ok());
  const std::string o = dir_ + "/locked.dump", s = dir_ + "/locked_stock.dump";
  auto rs = stock({"-Fc", "-f", s, "--lock-wait-timeout=300ms", "opts"});
  auto ro = ours({"-Fc", "-f", o, "--lock-wait-timeout=300ms", "opts"});
  EXPECT_NE(rs.exitCode, 0);
  EXPECT_NE(rs.err.find("canceling statement due to statement timeout"), std::string::npos) << rs.err;
  expectOneLineError(ro, "canceling statement due to statement timeout");
  EXPECT_NE(ro.err.find("LOCK TABLE"), std::string::npos) << ro.err;
  EXPECT_FALSE(exists(o));
  ASSERT_TRUE(holder->exec("COMMIT").ok());
  // Unlocked, the same command succeeds.
  ro = ours({"-Fc", "-f", o, "--lock-wait-timeout=300ms", "-t", "t", "opts"});
  EXPECT_EQ(ro.exitCode, 0) << ro.err;
  EXPECT_TRUE(exists(o));
}

TEST_F(DumpOptions, EncodingConvertsTheData) {
  const std::string latin9 = sameScript({"-E", "LATIN9", "-t", "t"});
  EXPECT_NE(latin9.find("SET client_encoding = 'LATIN9';"), std::string::npos);
  EXPECT_NE(latin9.find("caf\xe9"), std::string::npos);  // e-acute in LATIN9
  EXPECT_NE(latin9.find("\xa4 5"), std::string::npos);   // the euro sign in LATIN9
  EXPECT_EQ(latin9.find("caf\xc3\xa9"), std::string::npos);

  // An archive remembers the encoding: the script stock pg_restore prints is stock's.
  const std::string s = dir_ + "/enc_stock.dump", o = dir_ + "/enc_ours.dump";
  ASSERT_EQ(stock({"-Fc", "-E", "LATIN9", "-f", s, "-t", "t", "opts"}).exitCode, 0);
  ASSERT_EQ(ours({"-Fc", "-E", "LATIN9", "-f", o, "-t", "t", "opts"}).exitCode, 0);
  EXPECT_TRUE(sameText(restoreScript(s), restoreScript(o)));

  // The euro sign has no LATIN1 form: the server refuses, the dump fails cleanly.
  const std::string bad = dir_ + "/latin1.dump";
  auto r = ours({"-Fc", "-E", "LATIN1", "-f", bad, "-t", "t", "opts"});
  expectOneLineError(r, "has no equivalent in encoding \"LATIN1\"");
  EXPECT_FALSE(exists(bad));
  r = ours({"-E", "NO_SUCH_ENCODING", "opts"});
  expectOneLineError(r, "invalid client encoding \"NO_SUCH_ENCODING\" specified");
}

TEST_F(DumpOptions, RoleDumpsWithTheRolesRights) {
  EXPECT_NE(sameScript({"--role=dumper", "-t", "t"}).find("COPY public.t"), std::string::npos);
  // dumper may not read public.secret: the dump fails as stock's does.
  auto rs = stock({"--role=dumper", "-t", "secret", "-f", "/dev/null", "opts"});
  auto ro = ours({"--role=dumper", "-t", "secret", "-f", "/dev/null", "opts"});
  EXPECT_NE(rs.exitCode, 0);
  EXPECT_NE(rs.err.find("permission denied"), std::string::npos) << rs.err;
  expectOneLineError(ro, "permission denied");
  expectOneLineError(ours({"--role=nobody_here", "opts"}), "role \"nobody_here\" does not exist");
}

TEST_F(DumpOptions, VerboseMessagesAreStocks) {
  // The lines are the same but for the program's name. Plain output and
  // tar's restore.sql add the archiver's own (creating, processing, ...).
  // Drops `prefix` where it starts a line (std::regex trips GCC 12's
  // maybe-uninitialized warning in the sanitizer build).
  auto normalize = [](const std::string& err, const std::string& prefix) {
    std::string out;
    size_t pos = 0;
    while (pos < err.size()) {
      size_t nl = err.find('\n', pos);
      size_t end = nl == std::string::npos ? err.size() : nl + 1;
      std::string_view line(err.data() + pos, end - pos);
      if (line.substr(0, prefix.size()) == prefix) line.remove_prefix(prefix.size());
      out += line;
      pos = end;
    }
    return out;
  };
  for (const char* format : {"c", "d", "t", "p"}) {
    for (const std::vector<std::string>& extra :
         std::vector<std::vector<std::string>>{{}, {"-C", "-c"}, {"--inserts", "-a"}}) {
      const std::string s = dir_ + "/verbose_stock." + format, o = dir_ + "/verbose_ours." + format;
      removeTree(s);
      removeTree(o);
      auto argsFor = [&](const std::string& target) {
        std::vector<std::string> args = {std::string("-F") + format, "-v", "-T", "big", "-f", target};
        args.insert(args.end(), extra.begin(), extra.end());
        args.push_back("opts");
        return args;
      };
      auto rs = stock(argsFor(s));
      auto ro = ours(argsFor(o));
      ASSERT_EQ(rs.exitCode, 0) << rs.err;
      ASSERT_EQ(ro.exitCode, 0) << ro.err;
      EXPECT_NE(rs.err.find("reading dependency data"), std::string::npos);
      EXPECT_TRUE(sameText(normalize(rs.err, "pg_dump: "), normalize(ro.err, "pgarc dump: ")))
          << format << " " << (extra.empty() ? "" : extra[0]);
    }
  }
}

TEST_F(DumpOptions, WarningsAreStocks) {
  // Warnings pg_dump prints without -v, found on real databases: a
  // subscription a non-superuser cannot dump, and a foreign-key cycle in a
  // data-only dump. Same lines but for the program's name.
  auto r = server_->psql("opts",
                         "CREATE SUBSCRIPTION warn_sub CONNECTION 'dbname=nowhere' PUBLICATION p "
                         "WITH (connect = false, slot_name = NONE);"
                         "CREATE TABLE fk_cycle (id int PRIMARY KEY, parent int REFERENCES fk_cycle);"
                         "GRANT SELECT ON fk_cycle TO dumper;");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto normalize = [](std::string err, const std::string& prefix) {
    for (size_t pos = 0; (pos = err.find(prefix, pos)) != std::string::npos;) err.erase(pos, prefix.size());
    return err;
  };
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--role=dumper", "-t", "t", "-f", "/dev/null", "opts"},
           {"-a", "-t", "fk_cycle", "-f", "/dev/null", "opts"}}) {
    auto rs = stock(args);
    auto ro = ours(args);
    ASSERT_EQ(rs.exitCode, 0) << rs.err;
    ASSERT_EQ(ro.exitCode, 0) << ro.err;
    EXPECT_NE(rs.err.find("warning: "), std::string::npos) << rs.err;
    EXPECT_TRUE(sameText(normalize(ro.err, "pgarc dump: "), normalize(rs.err, "pg_dump: "))) << args[0];
  }
  r = server_->psql("opts", "DROP SUBSCRIPTION warn_sub; DROP TABLE fk_cycle;");
  ASSERT_EQ(r.exitCode, 0) << r.err;
}

TEST_F(DumpOptions, SystemCatalogSchemaDumpsAsStockDoes) {
  // pg_dump 15.5 and later write the default collation without a locale and
  // warn about each pseudo-type, whose typtype it cannot dump. (The script is
  // megabytes: compared by its first difference, not by gtest's diff.)
  auto rs = stock({"--restrict-key=K", "-n", "pg_catalog", "opts"});
  auto ro = ours({"--restrict-key=K", "-n", "pg_catalog", "opts"});
  ASSERT_EQ(rs.exitCode, 0) << rs.err;
  ASSERT_EQ(ro.exitCode, 0) << ro.err;
  EXPECT_NE(ro.out.find("CREATE COLLATION pg_catalog.\"default\" (provider = default);"), std::string::npos);
  EXPECT_TRUE(ro.out == rs.out) << firstDifference(ro.out, rs.out);
  EXPECT_NE(rs.err.find("warning: typtype of data type \"anyelement\" appears to be invalid"), std::string::npos);
  std::string stockErr = rs.err, oursErr = ro.err;
  for (auto [text, prefix] : {std::pair{&stockErr, "pg_dump: "}, std::pair{&oursErr, "pgarc dump: "}})
    for (size_t pos = 0; (pos = text->find(prefix, pos)) != std::string::npos;) text->erase(pos, strlen(prefix));
  EXPECT_TRUE(sameText(oursErr, stockErr));
}

TEST_F(DumpOptions, IncludeForeignDataDumpsTheMatchingServersTables) {
  for (const std::vector<std::string>& extra :
       std::vector<std::vector<std::string>>{{"--include-foreign-data=loop"},
                                             {"--include-foreign-data=lo*", "--inserts"}}) {
    std::vector<std::string> args = {"-T", "big"};
    args.insert(args.end(), extra.begin(), extra.end());
    const std::string out = sameScript(args);
    EXPECT_NE(out.find("public.ft "), std::string::npos);
    EXPECT_NE(out.find("caf\xc3\xa9"), std::string::npos);
    EXPECT_EQ(out.find("public.ft_elsewhere (id) FROM stdin"), std::string::npos);
  }
  // Without the option the foreign table's data stays out.
  auto ro = ours({"--restrict-key=K", "-T", "big", "opts"});
  ASSERT_EQ(ro.exitCode, 0) << ro.err;
  EXPECT_EQ(ro.out.find("COPY public.ft "), std::string::npos);

  const std::string s = dir_ + "/fdw_stock.dump", o = dir_ + "/fdw_ours.dump";
  ASSERT_EQ(stock({"-Fc", "-f", s, "-T", "big", "--include-foreign-data=loop", "opts"}).exitCode, 0);
  ASSERT_EQ(ours({"-Fc", "-f", o, "-T", "big", "--include-foreign-data=loop", "opts"}).exitCode, 0);
  EXPECT_TRUE(sameText(restoreScript(s), restoreScript(o)));

  auto rs = stock({"--include-foreign-data=nowhere", "opts"});
  EXPECT_NE(rs.exitCode, 0);
  expectOneLineError(ours({"--include-foreign-data=nowhere", "opts"}),
                     "no matching foreign servers were found for pattern \"nowhere\"");
  expectOneLineError(ours({"--include-foreign-data=a.b", "opts"}), "improper qualified name (too many dotted names): a.b");
  expectOneLineError(ours({"-s", "--include-foreign-data=loop", "opts"}),
                     "options -s/--schema-only and --include-foreign-data cannot be used together");
  expectOneLineError(ours({"-Fd", "-j2", "-f", dir_ + "/x", "--include-foreign-data=loop", "opts"}),
                     "option --include-foreign-data is not supported with parallel backup");
}

TEST_F(DumpOptions, ExtensionPatternsSelectAsStockDoes) {
  for (const std::vector<std::string>& extra : std::vector<std::vector<std::string>>{
           {"-e", "postgres_fdw"}, {"-e", "plpgsql"}, {"-e", "postgres_fdw", "-n", "public"}}) {
    std::vector<std::string> args = {"-T", "big"};
    args.insert(args.end(), extra.begin(), extra.end());
    sameScript(args);
  }
  expectOneLineError(ours({"-e", "nothing_like_it", "opts"}), "no matching extensions were found");
  expectOneLineError(ours({"-e", "nothing_like_it", "--strict-names", "opts"}),
                     "no matching extensions were found for pattern \"nothing_like_it\"");
}

TEST_F(DumpOptions, ConnectionStringUriAndEnvironment) {
  auto reference = ours({"--restrict-key=K", "-t", "t", "opts"});
  ASSERT_EQ(reference.exitCode, 0) << reference.err;
  const std::string host = server_->socketDir(), port = std::to_string(server_->port());

  auto r = run({pgarcBinary(), "dump", "--restrict-key=K", "-t", "t", "-d",
                "host=" + host + " port=" + port + " user=postgres dbname=opts"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(sameText(r.out, reference.out));

  r = run({pgarcBinary(), "dump", "--restrict-key=K", "-t", "t", "-d",
           "postgresql://postgres@/opts?host=" + host + "&port=" + port});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(sameText(r.out, reference.out));

  r = withEnv({"PGHOST=" + host, "PGPORT=" + port, "PGUSER=postgres", "PGDATABASE=opts"},
              {pgarcBinary(), "dump", "--restrict-key=K", "-t", "t"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(sameText(r.out, reference.out));

  // Options beat the environment, as in pg_dump.
  r = withEnv({"PGHOST=/nonexistent", "PGPORT=1", "PGUSER=nobody", "PGDATABASE=nowhere"},
              {pgarcBinary(), "dump", "--restrict-key=K", "-t", "t", "-h", host, "-p", port, "-U", "postgres", "opts"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(sameText(r.out, reference.out));

  const std::string target = dir_ + "/wrong_port.dump";
  r = run({pgarcBinary(), "dump", "-Fc", "-f", target, "-h", host, "-p", "1", "-U", "postgres", "opts"});
  expectOneLineError(r, "connection to server on socket");
  EXPECT_FALSE(exists(target));
  r = run({pgarcBinary(), "dump", "-d", "postgresql://[bad"});
  EXPECT_NE(r.exitCode, 0);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(DumpOptions, PasswordsFromPgpassAndNoPasswordPrompt) {
  const std::string host = server_->socketDir(), port = std::to_string(server_->port());
  const std::vector<std::string> conn = {"-h", host, "-p", port, "-U", "pwuser", "-t", "t", "--restrict-key=K", "opts"};
  auto argv = [&](const std::string& tool) {
    std::vector<std::string> a = {tool};
    if (tool == pgarcBinary()) a.push_back("dump");
    a.push_back("-w");
    a.insert(a.end(), conn.begin(), conn.end());
    return a;
  };
  // -w and no password anywhere: both fail at once, no prompt.
  const std::string none = dir_ + "/no.pgpass";
  auto rs = withEnv({"PGPASSFILE=" + none}, argv(pgBinDir() + "/pg_dump"));
  auto ro = withEnv({"PGPASSFILE=" + none}, argv(pgarcBinary()));
  EXPECT_NE(rs.exitCode, 0);
  EXPECT_NE(rs.err.find("no password supplied"), std::string::npos) << rs.err;
  expectOneLineError(ro, "no password supplied");

  // A wrong password: "password authentication failed".
  const std::string wrong = dir_ + "/wrong.pgpass";
  writeFile(wrong, "*:*:*:pwuser:not-it\n");
  chmod(wrong.c_str(), 0600);
  ro = withEnv({"PGPASSFILE=" + wrong}, argv(pgarcBinary()));
  expectOneLineError(ro, "password authentication failed for user \"pwuser\"");

  const std::string pgpass = dir_ + "/good.pgpass";
  writeFile(pgpass, "*:*:*:pwuser:sekret\n");
  chmod(pgpass.c_str(), 0600);
  rs = withEnv({"PGPASSFILE=" + pgpass}, argv(pgBinDir() + "/pg_dump"));
  ro = withEnv({"PGPASSFILE=" + pgpass}, argv(pgarcBinary()));
  ASSERT_EQ(rs.exitCode, 0) << rs.err;
  ASSERT_EQ(ro.exitCode, 0) << ro.err;
  EXPECT_TRUE(sameText(rs.out, ro.out));
  // PGPASSWORD works as well.
  ro = withEnv({"PGPASSWORD=sekret", "PGPASSFILE=" + none}, argv(pgarcBinary()));
  EXPECT_EQ(ro.exitCode, 0) << ro.err;
}

// -W prompts once: the -j workers (and side connections) reuse the password
// typed for the first connection, as pg_dump's workers do.
TEST_F(DumpOptions, PromptedPasswordServesParallelWorkers) {
  if (access("/usr/bin/script", X_OK) != 0) GTEST_SKIP() << "no script(1) to give pgarc a terminal";
  const std::string out = dir_ + "/prompted.dir";
  removeTree(out);
  std::string dump = "env -u PGHOST -u PGPORT -u PGUSER -u PGPASSWORD PGPASSFILE=" + shellQuote(dir_ + "/no.pgpass");
  for (const auto& a : std::vector<std::string>{pgarcBinary(), "dump", "-W", "-h", server_->socketDir(), "-p",
                                                std::to_string(server_->port()), "-U", "pwuser", "-Fd", "-j2",
                                                "-t", "t", "-f", out, "opts"})
    dump += " " + shellQuote(a);
  // The password is typed a few times, a second apart (getpass drops what
  // was typed before its prompt); a second prompt would take another line.
  auto r = runShell("(for i in 1 2 3 4 5 6; do sleep 1; printf 'sekret\\n'; done) | timeout 120 script -qec " +
                    shellQuote(dump + "; echo exit=$?") + " /dev/null");
  size_t prompts = 0;
  for (size_t at = r.out.find("Password:"); at != std::string::npos; at = r.out.find("Password:", at + 1)) prompts++;
  EXPECT_NE(r.out.find("exit=0"), std::string::npos) << r.out << r.err;
  EXPECT_EQ(prompts, 1u) << r.out;
  EXPECT_TRUE(exists(out + "/toc.dat"));
  removeTree(out);
}

TEST_F(DumpOptions, BadPatternsAndOptionsAreOneLine) {
  expectOneLineError(ours({"--no-such-option", "opts"}), "unrecognized option '--no-such-option'");
  expectOneLineError(ours({"-Q", "opts"}), "invalid option -- 'Q'");
  expectOneLineError(ours({"-t", "a.b.c.d", "opts"}), "improper relation name (too many dotted names): a.b.c.d");
  expectOneLineError(ours({"-t", "otherdb.public.t", "opts"}), "cross-database references are not implemented");
  expectOneLineError(ours({"--strict-names", "-t", "t", "-t", "nothing*", "opts"}),
                     "no matching tables were found for pattern \"nothing*\"");
  expectOneLineError(ours({"--strict-names", "-n", "nothing", "opts"}),
                     "no matching schemas were found for pattern \"nothing\"");
  expectOneLineError(ours({"--lock-wait-timeout=soon", "-t", "t", "opts"}), "statement_timeout");
}

TEST_F(DumpOptions, HotStandbyLeavesUnloggedDataOut) {
  if (geteuid() != 0) GTEST_SKIP() << "the standby's files must belong to postgres: run as root";
  // A streaming standby of the test server, on its own socket directory.
  const std::string sdir = makeTempDir("pgarc-standby-");
  const std::string bin = pgBinDir(), port = std::to_string(server_->port() + 1);
  auto asPostgres = [](const std::string& cmd) { return runShell("runuser -u postgres -- " + cmd + " 2>&1"); };
  runShell("chown postgres " + shellQuote(sdir) + " && chmod 755 " + shellQuote(sdir));
  auto r = asPostgres(shellQuote(bin + "/pg_basebackup") + " -D " + shellQuote(sdir + "/data") + " -R -X stream -c fast -h " +
                      shellQuote(server_->socketDir()) + " -p " + std::to_string(server_->port()) + " -U postgres");
  ASSERT_EQ(r.exitCode, 0) << r.out;
  const std::string opts = "-p " + port + " -k " + sdir + " -c listen_addresses='' -c fsync=off";
  r = asPostgres(shellQuote(bin + "/pg_ctl") + " -D " + shellQuote(sdir + "/data") + " -o " + shellQuote(opts) +
                 " -l " + shellQuote(sdir + "/server.log") + " -w -t 60 start");
  const bool started = r.exitCode == 0;
  if (started) {
    std::vector<std::string> args = {"-h", sdir, "-p", port, "-U", "postgres", "--restrict-key=K", "-T", "big", "opts"};
    std::vector<std::string> s = {pgBinDir() + "/pg_dump"}, o = {pgarcBinary(), "dump"};
    s.insert(s.end(), args.begin(), args.end());
    o.insert(o.end(), args.begin(), args.end());
    auto rs = run(s), ro = run(o);
    EXPECT_EQ(rs.exitCode, 0) << rs.err;
    EXPECT_EQ(ro.exitCode, 0) << ro.err;
    EXPECT_TRUE(sameText(rs.out, ro.out));
    EXPECT_NE(ro.out.find("CREATE UNLOGGED TABLE public.unl"), std::string::npos);
    EXPECT_EQ(ro.out.find("COPY public.unl"), std::string::npos);
    asPostgres(shellQuote(bin + "/pg_ctl") + " -D " + shellQuote(sdir + "/data") + " -m immediate -w stop");
  }
  removeTree(sdir);
  ASSERT_TRUE(started) << r.out;
  // On the primary the unlogged table's data is dumped.
  EXPECT_NE(sameScript({"-t", "unl"}).find("COPY public.unl"), std::string::npos);
}

// Kills the backend that runs `COPY public.big` as soon as it shows up.
class CopyKiller {
 public:
  explicit CopyKiller(std::unique_ptr<pgarc::dump::Connection> conn)
      : conn_(std::move(conn)), thread_([this] { loop(); }) {}
  ~CopyKiller() { finish(); }
  // Stops the killer and says whether it terminated a COPY. Waiting for the
  // thread matters: the dump may exit before the terminating query returns.
  bool finish() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return killed_;
  }

 private:
  void loop() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!stop_ && !killed_ && std::chrono::steady_clock::now() < deadline) {
      auto r = conn_->query(
          "SELECT count(pg_catalog.pg_terminate_backend(pid)) FROM pg_catalog.pg_stat_activity "
          "WHERE query LIKE 'COPY public.big %' AND pid <> pg_catalog.pg_backend_pid()");
      if (r.ok() && r->integer(0, 0) > 0) killed_ = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  std::unique_ptr<pgarc::dump::Connection> conn_;
  std::atomic<bool> stop_{false}, killed_{false};
  std::thread thread_;
};

TEST_F(DumpOptions, LostConnectionMidCopyLeavesNoArchive) {
  for (const char* format : {"c", "d", "t", "p"}) {
    const std::string target = dir_ + "/lost." + format;
    removeTree(target);
    CommandResult r;
    bool killed = false;
    {
      CopyKiller killer(connect());
      r = ours({std::string("-F") + format, "-f", target, "opts"});
      killed = killer.finish();
    }
    ASSERT_TRUE(killed) << format << ": the dump ended before its COPY could be interrupted: " << r.err;
    expectOneLineError(r, "Dumping the contents of table \"big\" failed");
    // Nothing at the target path nor next to it (no temp file); a directory
    // archive takes the directory it made with it.
    EXPECT_FALSE(exists(target)) << format;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      EXPECT_EQ(e.path().filename().string().find("lost."), std::string::npos) << e.path() << " " << format;
    }
    removeTree(target);
  }
}

TEST_F(DumpOptions, FullDiskLeavesNoArchive) {
  const std::string small = dir_ + "/small_fs";
  std::filesystem::create_directory(small);
  auto m = runShell("mount -t tmpfs -o size=1m tmpfs " + shellQuote(small) + " 2>&1");
  if (m.exitCode == 0) {
    for (const char* format : {"c", "d", "t", "p"}) {
      const std::string target = small + "/full." + format;
      auto r = ours({std::string("-F") + format, "-f", target, "opts"});
      expectOneLineError(r, "No space left on device");
      EXPECT_FALSE(exists(target)) << format;
      std::vector<std::string> left;
      for (const auto& e : std::filesystem::recursive_directory_iterator(small))
        if (!e.is_directory()) left.push_back(e.path().string());
      EXPECT_TRUE(left.empty()) << format << ": " << (left.empty() ? "" : left[0]);
      removeTree(target);
    }
    runShell("umount " + shellQuote(small));
  } else {
    std::cerr << "no tmpfs (" << m.out << "): plain output to /dev/full only\n";
  }
  if (access("/dev/full", W_OK) != 0) {
    if (m.exitCode != 0) GTEST_SKIP() << "neither a tmpfs nor /dev/full";
    return;
  }
  std::string cmd;
  for (const auto& a : withConn({pgarcBinary(), "dump"}, {"-t", "big", "opts"})) cmd += shellQuote(a) + " ";
  auto r = runShell(cmd + "> /dev/full");
  expectOneLineError(r, "No space left on device");
}

}  // namespace
