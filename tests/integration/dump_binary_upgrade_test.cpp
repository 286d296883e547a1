// `pgarc dump --binary-upgrade` (issue 3): the dump pg_upgrade restores into
// the new cluster before it copies the data files over. The fixture has what
// that dump must preserve: dropped and inherited columns, inherited CHECK
// constraints, typed tables, partitions, enum / composite / range (multirange)
// types and domains, TOAST tables, indexes and constraint indexes, sequences,
// populated and unpopulated materialized views, missing column values, large
// objects with comments and privileges, and extensions with their members
// (and members' initial privileges).
// Compared with stock pg_dump 15 as pg_upgrade calls it, and by a real
// pg_upgrade 15 -> 15 that runs `pgarc dump` as its pg_dump.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/support/database_suite.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/text_compare.hpp"

using namespace pgarc::test;

namespace {

const char* kFixture = R"SQL(
CREATE ROLE bu_reader;
CREATE EXTENSION hstore;
CREATE EXTENSION pg_buffercache;
REVOKE SELECT ON pg_buffercache FROM pg_monitor;
CREATE SCHEMA "Bu Sch";
CREATE TYPE "Bu Sch".mood AS ENUM ('sad', 'ok', 'happy');
ALTER TYPE "Bu Sch".mood ADD VALUE 'meh' BEFORE 'ok';
CREATE TYPE "Bu Sch".pair AS (a int, b text, c numeric);
ALTER TYPE "Bu Sch".pair DROP ATTRIBUTE b;
CREATE TYPE "Bu Sch".pt AS (x int, y int);
CREATE TYPE "Bu Sch".floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE DOMAIN "Bu Sch".posint AS int CHECK (VALUE > 0);
CREATE TABLE "Bu Sch".wide (id int PRIMARY KEY, gone text, body text, m "Bu Sch".mood, p "Bu Sch".pair,
  r "Bu Sch".floatrange, d "Bu Sch".posint, h hstore);
INSERT INTO "Bu Sch".wide SELECT g, 'x', repeat(md5(g::text), 4000), 'meh', format('(%s,1.5)', g)::"Bu Sch".pair, '[1,2)', g, 'a=>1'
  FROM generate_series(1, 20) g;
ALTER TABLE "Bu Sch".wide DROP COLUMN gone;
ALTER TABLE "Bu Sch".wide ADD COLUMN added int DEFAULT 7;
CREATE UNIQUE INDEX wide_body ON "Bu Sch".wide (md5(body));
CREATE TABLE "Bu Sch".par (a int, b text, CONSTRAINT par_chk CHECK (a > 0));
CREATE TABLE "Bu Sch".par2 (c int);
CREATE TABLE "Bu Sch".kid (b text, own int) INHERITS ("Bu Sch".par, "Bu Sch".par2);
INSERT INTO "Bu Sch".kid VALUES (1, 'k', 2, 3);
CREATE TABLE "Bu Sch".typed OF "Bu Sch".pt (PRIMARY KEY (x));
INSERT INTO "Bu Sch".typed VALUES (1, 2);
CREATE TABLE "Bu Sch".meas (city int, note text, logdate date) PARTITION BY RANGE (logdate);
CREATE TABLE "Bu Sch".meas_2020 PARTITION OF "Bu Sch".meas FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
ALTER TABLE "Bu Sch".meas DROP COLUMN note;
CREATE INDEX meas_city ON "Bu Sch".meas (city);
INSERT INTO "Bu Sch".meas VALUES (5, '2020-02-02');
CREATE SEQUENCE "Bu Sch".seq START 10;
SELECT nextval('"Bu Sch".seq'), nextval('"Bu Sch".seq');
CREATE TABLE "Bu Sch".ident (id int GENERATED ALWAYS AS IDENTITY, s serial, note text);
INSERT INTO "Bu Sch".ident (note) VALUES ('one'), ('two');
CREATE MATERIALIZED VIEW "Bu Sch".mv AS SELECT id, m FROM "Bu Sch".wide;
CREATE MATERIALIZED VIEW "Bu Sch".mv_empty AS SELECT 1 AS one WITH NO DATA;
CREATE VIEW "Bu Sch".v AS SELECT id, m FROM "Bu Sch".wide;
CREATE UNLOGGED TABLE "Bu Sch".unl (a int);
CREATE FOREIGN DATA WRAPPER bu_fdw;
CREATE SERVER bu_srv FOREIGN DATA WRAPPER bu_fdw;
CREATE FOREIGN TABLE "Bu Sch".ft (a int, b int) SERVER bu_srv;
ALTER FOREIGN TABLE "Bu Sch".ft DROP COLUMN a;
SELECT lo_from_bytea(4242, 'large object');
COMMENT ON LARGE OBJECT 4242 IS 'lo comment';
GRANT SELECT ON LARGE OBJECT 4242 TO bu_reader;
GRANT SELECT ON "Bu Sch".wide TO bu_reader;
COMMENT ON TABLE "Bu Sch".wide IS 'wide table';
)SQL";

// What pg_upgrade 15 passes to pg_dump for each database.
const std::vector<std::string> kUpgradeOptions = {"--schema-only", "--quote-all-identifiers", "--binary-upgrade",
                                                  "--no-sync"};

class DumpBinaryUpgrade : public DatabaseSuite<DumpBinaryUpgrade> {
 protected:
  static void SetUpTestSuite() {
    server_ = new PgServer();
    if (!server_->started()) return;
    load(*server_);
    dir_ = makeTempDir("pgarc-binary-upgrade-");
  }

  static void load(const PgServer& s) {
    s.createDatabase("bu");
    auto r = s.psql("bu", kFixture);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    r = s.psql("bu", "ALTER DATABASE bu SET work_mem TO '8MB'; COMMENT ON DATABASE bu IS 'upgrade me';");
    ASSERT_EQ(r.exitCode, 0) << r.err;
  }

  static CommandResult dump(const std::string& program, const PgServer& s, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {program};
    if (program == pgarcBinary()) argv.push_back("dump");
    for (const auto& a : s.clientArgs()) argv.push_back(a);
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv);
  }
  static CommandResult stock(const std::vector<std::string>& args) {
    return dump(pgBinDir() + "/pg_dump", *server_, args);
  }
  static CommandResult ours(const std::vector<std::string>& args) { return dump(pgarcBinary(), *server_, args); }
};

TEST_F(DumpBinaryUpgrade, CustomArchiveAsPgUpgradeWritesItMatchesStock) {
  const std::string s = dir_ + "/stock.custom", o = dir_ + "/ours.custom";
  std::vector<std::string> args = kUpgradeOptions;
  args.insert(args.end(), {"--format=custom", "--file=" + s, "bu"});
  auto rs = stock(args);
  ASSERT_EQ(rs.exitCode, 0) << rs.err;
  args[args.size() - 2] = "--file=" + o;
  auto ro = ours(args);
  ASSERT_EQ(ro.exitCode, 0) << ro.err;

  const std::string script = restoreScript(o);
  EXPECT_TRUE(sameText(restoreScript(s), script)) << firstDifference(script, restoreScript(s));
  // pg_upgrade restores with --create.
  EXPECT_TRUE(sameText(restoreScript(s, {"--create"}), restoreScript(o, {"--create"})));
  for (const char* needle :
       {"binary_upgrade_set_next_heap_pg_class_oid", "binary_upgrade_set_next_toast_pg_class_oid",
        "binary_upgrade_set_next_index_pg_class_oid", "binary_upgrade_set_next_multirange_pg_type_oid",
        "binary_upgrade_set_next_pg_enum_oid", "binary_upgrade_create_empty_extension",
        "ALTER EXTENSION \"hstore\" ADD TYPE", "recreate dropped column", "recreate inherited column",
        "set up inherited constraint", "set up inheritance this way", "set up typed tables this way",
        "binary_upgrade_set_missing_value", "mark materialized view as populated", "SELECT pg_catalog.setval",
        "lo_create('4242')", "COMMENT ON LARGE OBJECT 4242", "binary_upgrade_set_record_init_privs(true)"})
    EXPECT_NE(script.find(needle), std::string::npos) << needle;

  EXPECT_TRUE(sameText(withoutArchiveTimestamp(run({pgBinDir() + "/pg_restore", "-l", s}).out),
                       withoutArchiveTimestamp(run({pgBinDir() + "/pg_restore", "-l", o}).out)));

  std::string a = readFile(s), b = readFile(o);
  ASSERT_EQ(a.size(), b.size());
  size_t diffs = 0;
  for (size_t i = 0; i < a.size(); i++) diffs += a[i] != b[i];
  EXPECT_LE(diffs, 8u) << "only the creation time may differ";
}

TEST_F(DumpBinaryUpgrade, PlainScriptsMatchStock) {
  for (const std::vector<std::string>& extra :
       std::vector<std::vector<std::string>>{{}, {"--create"}, {"--data-only"}}) {
    std::vector<std::string> args = {"--binary-upgrade", "--restrict-key=K"};
    // Without --schema-only a binary-upgrade dump has the data too.
    if (extra.empty()) args.push_back("--schema-only");
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("bu");
    auto rs = stock(args);
    auto ro = ours(args);
    ASSERT_EQ(rs.exitCode, 0) << rs.err;
    ASSERT_EQ(ro.exitCode, 0) << ro.err;
    EXPECT_TRUE(sameText(rs.out, ro.out)) << (extra.empty() ? "--schema-only" : extra[0]);
  }
}

// The best proof: pg_upgrade itself, with a bin directory where pg_dump runs
// `pgarc dump` (it answers -V as stock pg_dump does: pg_upgrade checks the
// version of every program it uses). The upgraded cluster must dump as the
// old one did, data included.
TEST_F(DumpBinaryUpgrade, PgUpgradeWithPgarcAsItsPgDump) {
  PgServer oldCluster;
  ASSERT_TRUE(oldCluster.started()) << oldCluster.startupError();
  load(oldCluster);
  const std::string before = dump(pgBinDir() + "/pg_dump", oldCluster, {"--restrict-key=K", "bu"}).out;
  ASSERT_NE(before.find("lowrite"), std::string::npos) << "no large object data";
  PgServer newCluster({}, false);
  ASSERT_TRUE(newCluster.startupError().empty()) << newCluster.startupError();

  const std::string work = makeTempDir("pgarc-pg-upgrade-");
  const std::string bin = work + "/bin";
  ASSERT_EQ(runShell("mkdir " + shellQuote(bin) + " && ln -s " + shellQuote(pgBinDir()) + "/* " + shellQuote(bin) +
                     " && rm " + shellQuote(bin + "/pg_dump"))
                .exitCode,
            0);
  const std::string calls = work + "/pg_dump-calls";
  writeFile(bin + "/pg_dump", "#!/bin/sh\n"
                              "case \"$1\" in -V|--version) exec " + shellQuote(pgBinDir() + "/pg_dump") +
                              " \"$@\";; esac\n"
                              "echo \"$@\" >> " + shellQuote(calls) + "\n"
                              "exec " + shellQuote(pgarcBinary()) + " dump \"$@\"\n");
  chmod((bin + "/pg_dump").c_str(), 0755);
  if (geteuid() == 0) runShell("chown -R postgres " + shellQuote(work));

  ASSERT_TRUE(oldCluster.stop()) << oldCluster.startupError();
  auto up = runAsServerUser({"sh", "-c",
                             "cd " + shellQuote(work) + " && " + shellQuote(pgBinDir() + "/pg_upgrade") + " -b " +
                                 shellQuote(pgBinDir()) + " -B " + shellQuote(bin) + " -d " +
                                 shellQuote(oldCluster.dataDir()) + " -D " + shellQuote(newCluster.dataDir()) +
                                 " -U postgres -p 50462 -P 50463 --socketdir " + shellQuote(work)});
  ASSERT_EQ(up.exitCode, 0) << up.out << up.err;
  const std::string log = readFile(calls);
  EXPECT_NE(log.find("--binary-upgrade"), std::string::npos) << "pg_upgrade did not run pgarc: " << log;
  EXPECT_NE(log.find("dbname=bu"), std::string::npos) << log;

  ASSERT_TRUE(newCluster.start()) << newCluster.startupError();
  auto after = dump(pgBinDir() + "/pg_dump", newCluster, {"--restrict-key=K", "bu"});
  ASSERT_EQ(after.exitCode, 0) << after.err;
  EXPECT_TRUE(sameText(before, after.out));
  removeTree(work);
}

}  // namespace
