// The data path of `pgarc dump` on tables larger than one pipeline batch, so
// that rows are read on one thread and written on another: archives stay
// byte-identical to stock pg_dump's (gzip whatever the batching, also with
// rows larger than a batch, -Z0 with one chunk per row or INSERT piece), and a COPY that fails mid-table after
// megabytes were written ends with one clean error and no archive.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/text_compare.hpp"

using namespace pgarc::test;
namespace fs = std::filesystem;

namespace {

class DumpDataPath : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new PgServer();
    ASSERT_TRUE(server_->started()) << server_->startupError();
    dir_ = makeTempDir("pgarc-data-path-");
    server_->createDatabase("data");
    // rows: ~4 MB of COPY text, part compressible, part not; long_rows: rows
    // larger than a pipeline batch (read in pieces); fails_late: as
    // large, and reading row 40000 raises an error (a row security policy
    // the table's owner is held to), long after the first batches went out.
    auto r = server_->psql("data", R"SQL(
      CREATE TABLE rows (id int PRIMARY KEY, label text, noise text, n numeric);
      INSERT INTO rows SELECT g, 'label ' || (g % 97) || E'\t\\', md5(g::text) || md5((g * 7)::text), g / 7.0
        FROM generate_series(1, 50000) g;
      CREATE TABLE long_rows (id int, body text);
      INSERT INTO long_rows SELECT g, repeat(md5(g::text), 10000) FROM generate_series(1, 6) g;
      CREATE TABLE small (a int, b text);
      INSERT INTO small VALUES (1, 'one'), (2, NULL);
      CREATE ROLE data_owner LOGIN;
      CREATE FUNCTION public.fail_at(id int) RETURNS boolean LANGUAGE plpgsql AS $$
        BEGIN
          IF id = 40000 THEN RAISE EXCEPTION 'row % is unreadable', id; END IF;
          RETURN true;
        END $$;
      CREATE TABLE fails_late (id int, noise text);
      INSERT INTO fails_late SELECT g, md5(g::text) || md5((g * 3)::text) FROM generate_series(1, 50000) g;
      ALTER TABLE fails_late OWNER TO data_owner;
      ALTER TABLE fails_late ENABLE ROW LEVEL SECURITY;
      ALTER TABLE fails_late FORCE ROW LEVEL SECURITY;
      CREATE POLICY every_row ON fails_late USING (public.fail_at(id));
    )SQL");
    ASSERT_EQ(r.exitCode, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete server_;
    removeTree(dir_);
  }

  static CommandResult runDump(const std::string& program, const std::vector<std::string>& args,
                               const std::string& user = "postgres") {
    std::vector<std::string> argv = {program};
    if (program == pgarcBinary()) argv.push_back("dump");
    for (const auto& a : server_->clientArgs()) argv.push_back(a == "postgres" ? user : a);
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv);
  }
  // Dumps with both tools, the same options; returns the two output paths.
  static std::pair<std::string, std::string> dumpBoth(const std::string& name, std::vector<std::string> args) {
    const std::string s = dir_ + "/stock." + name, o = dir_ + "/ours." + name;
    removeTree(s);
    removeTree(o);
    args.push_back("--no-sync");
    auto with = [&](const std::string& out) {
      std::vector<std::string> a = args;
      a.insert(a.end(), {"-f", out, "-T", "fails_late", "data"});
      return a;
    };
    auto rs = runDump(pgBinDir() + "/pg_dump", with(s));
    EXPECT_EQ(rs.exitCode, 0) << rs.err;
    auto ro = runDump(pgarcBinary(), with(o));
    EXPECT_EQ(ro.exitCode, 0) << ro.err;
    return {s, o};
  }
  // Custom archives: same length, and no difference past the header's
  // creation time (the first 60 bytes).
  static void expectSameCustomArchive(const std::string& stock, const std::string& ours) {
    const std::string s = readFile(stock), o = readFile(ours);
    ASSERT_GT(s.size(), 100000u);  // the big table's data is in there
    ASSERT_EQ(s.size(), o.size());
    auto diff = std::mismatch(s.begin() + 60, s.end(), o.begin() + 60);
    EXPECT_TRUE(diff.first == s.end()) << "first difference at byte " << (diff.first - s.begin());
  }

  static PgServer* server_;
  static std::string dir_;
};

PgServer* DumpDataPath::server_ = nullptr;
std::string DumpDataPath::dir_;

TEST_F(DumpDataPath, CustomGzipIsStocksByteForByte) {
  for (const char* z : {"-Z6", "-Z1", "-Z9"}) {
    auto [s, o] = dumpBoth(std::string("c") + z, {"-Fc", z});
    expectSameCustomArchive(s, o);
  }
  auto [s, o] = dumpBoth("c", {"-Fc"});
  expectSameCustomArchive(s, o);
}

TEST_F(DumpDataPath, UncompressedCustomKeepsOneChunkPerWrite) {
  auto [s, o] = dumpBoth("cz0", {"-Fc", "-Z0"});
  expectSameCustomArchive(s, o);
  auto [si, oi] = dumpBoth("cz0i", {"-Fc", "-Z0", "--inserts", "--rows-per-insert=3"});
  expectSameCustomArchive(si, oi);
}

TEST_F(DumpDataPath, PlainAndDirectoryDataAreStocks) {
  // A fixed \restrict key: the random one differs from run to run.
  auto [s, o] = dumpBoth("sql", {"-Fp", "--restrict-key=K"});
  // Not EXPECT_EQ: gtest's line diff of two large scripts takes quadratic memory.
  const std::string stockScript = readFile(s), ourScript = readFile(o);
  EXPECT_TRUE(stockScript == ourScript) << firstDifference(ourScript, stockScript);
  for (const char* z : {"-Z0", "-Z6"}) {
    auto [sd, od] = dumpBoth(std::string("dir") + z, {"-Fd", z});
    size_t compared = 0;
    for (const auto& e : fs::directory_iterator(sd)) {
      const std::string name = e.path().filename().string();
      if (name == "toc.dat") continue;
      ASSERT_TRUE(fs::exists(od + "/" + name)) << name;
      EXPECT_TRUE(readFile(e.path().string()) == readFile(od + "/" + name)) << z << " " << name;
      compared++;
    }
    EXPECT_EQ(compared, 3u) << z;  // the three tables' data files
  }
  auto [st, ot] = dumpBoth("tar", {"-Ft"});
  auto restore = [](const std::string& archive) {
    return run({pgBinDir() + "/pg_restore", "--restrict-key=K", "-f", "-", archive}).out;
  };
  const std::string stockTar = restore(st), ourTar = restore(ot);
  EXPECT_GT(stockTar.size(), 1000000u);
  EXPECT_TRUE(stockTar == ourTar) << firstDifference(ourTar, stockTar);
}

TEST_F(DumpDataPath, CopyFailingMidTableLeavesNoArchive) {
  for (const char* format : {"c", "d", "t", "p"}) {
    const std::string target = dir_ + "/late." + format;
    removeTree(target);
    auto r = runDump(pgarcBinary(),
                     {std::string("-F") + format, "--enable-row-security", "-t", "fails_late", "-f", target, "data"},
                     "data_owner");
    EXPECT_NE(r.exitCode, 0) << format;
    EXPECT_EQ(r.err.rfind("pgarc: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find("Dumping the contents of table \"fails_late\" failed"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("row 40000 is unreadable"), std::string::npos) << r.err;
    // Nothing complete-looking at the target, no temp file next to it; a
    // directory archive may leave its directory, without a toc.dat.
    if (std::string(format) == "d") {
      EXPECT_FALSE(fs::exists(target + "/toc.dat")) << format;
    } else {
      EXPECT_FALSE(fs::exists(target)) << format;
    }
    for (const auto& e : fs::directory_iterator(dir_)) {
      const std::string name = e.path().filename().string();
      if (e.path() == target) continue;
      EXPECT_EQ(name.find("late."), std::string::npos) << name;
    }
    removeTree(target);
  }
}

}  // namespace
