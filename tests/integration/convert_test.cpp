// `pgarc convert` against stock PostgreSQL 15 tools: an archive made by stock
// pg_dump 15 is converted between formats, versions and compressions; stock
// pg_restore 15 must print the same script from every 1.14 result and
// restore it into a database that dumps identically; 1.15/1.16 results must
// read back through pgarc. Also end-to-end checks of `pgarc inspect`'s own
// additions (--json, --entry, --data) and its offline/format errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/text_compare.hpp"

namespace pgarc::test {
namespace {

namespace fs = std::filesystem;

const std::string kKey = "pgarcConvertKey42";

const char* kSchemaSql = R"SQL(
CREATE ROLE alice;
CREATE ROLE bob;
CREATE SCHEMA app;
CREATE TABLE app.customers (id integer PRIMARY KEY, name text, note text, data bytea);
INSERT INTO app.customers VALUES
  (1, 'plain', NULL, '\x00ff10'),
  (2, E'tab\there', E'new\nline and back\\slash', ''),
  (3, 'ünïcödé ☃', '\.', NULL),
  (4, '', E'\\N', '\x');
INSERT INTO app.customers SELECT g, 'bulk ' || g, repeat('x', g % 50), NULL FROM generate_series(10, 3000) g;
CREATE TABLE app.empty_t (x integer);
CREATE SEQUENCE app.order_seq;
SELECT setval('app.order_seq', 42);
CREATE VIEW app.v AS SELECT id, name FROM app.customers;
COMMENT ON TABLE app.customers IS 'comment with ''quotes''';
GRANT SELECT ON app.customers TO bob;
SELECT lo_from_bytea(1001, 'first large object');
SELECT lo_from_bytea(1002, 'owned by alice');
SELECT lo_from_bytea(1003, 'readable by bob');
SELECT lo_from_bytea(1004, 'also readable by bob');
SELECT lo_from_bytea(1005, decode(repeat('00ff7f80', 60000), 'hex'));
ALTER LARGE OBJECT 1002 OWNER TO alice;
GRANT SELECT ON LARGE OBJECT 1003 TO bob;
GRANT SELECT ON LARGE OBJECT 1004 TO bob;
COMMENT ON LARGE OBJECT 1001 IS 'lo one';
)SQL";

class ConvertTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<PgServer>();
    if (!server_->started()) return;
    server_->createDatabase("src");
    auto r = server_->psql("src", kSchemaSql);
    if (r.exitCode != 0) {
      setupError_ = "schema failed: " + r.err;
      return;
    }
    dir_ = makeTempDir("pgarc-convert-");
    source_ = dir_ + "/src.dump";
    r = pgDump({"-Fc", "-f", source_, "src"});
    if (r.exitCode != 0) setupError_ = "pg_dump failed: " + r.err;
    reference_ = pgRestoreScript(source_).out;
    originalPlain_ = plainDump("src");
  }
  static void TearDownTestSuite() {
    if (!dir_.empty()) removeTree(dir_);
    server_.reset();
  }
  void SetUp() override {
    ASSERT_TRUE(server_ && server_->started()) << (server_ ? server_->startupError() : "no server");
    ASSERT_TRUE(setupError_.empty()) << setupError_;
    ASSERT_NE(reference_.find("COPY app.customers"), std::string::npos) << reference_;
    ASSERT_NE(originalPlain_.find("CREATE TABLE app.customers"), std::string::npos) << originalPlain_;
    ASSERT_NE(originalPlain_.find("lo_open('1005'"), std::string::npos);
  }

  static CommandResult pgDump(std::vector<std::string> args) {
    std::vector<std::string> argv = {pgBinDir() + "/pg_dump"};
    for (auto& a : server_->clientArgs()) argv.push_back(a);
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv);
  }
  static CommandResult pgRestoreScript(const std::string& archive, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {pgBinDir() + "/pg_restore", "-f", "-", "--restrict-key=" + kKey};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(archive);
    return run(argv);
  }
  static std::string plainDump(const std::string& db) {
    return pgDump({"-Fp", "--restrict-key=" + kKey, db}).out;
  }
  static CommandResult pgarc(std::vector<std::string> args, const std::string& stdinData = {}) {
    args.insert(args.begin(), pgarcBinary());
    return run(args, stdinData);
  }
  static std::string path(const std::string& name) { return dir_ + "/" + name; }

  // Converts and asserts success.
  static void convert(const std::string& in, const std::string& out, std::vector<std::string> opts) {
    std::vector<std::string> args = {"convert"};
    args.insert(args.end(), opts.begin(), opts.end());
    args.insert(args.end(), {"-f", out, in});
    auto r = pgarc(args);
    ASSERT_EQ(r.exitCode, 0) << "pgarc convert " << in << " -> " << out << ": " << r.err;
  }
  // Restores with stock pg_restore 15 into a fresh database and returns its
  // plain dump.
  static std::string restoreAndDump(const std::string& archive, const std::string& db) {
    server_->createDatabase(db);
    std::vector<std::string> argv = {pgBinDir() + "/pg_restore", "-e"};
    for (auto& a : server_->clientArgs()) argv.push_back(a);
    argv.insert(argv.end(), {"-d", db, archive});
    auto r = run(argv);
    EXPECT_EQ(r.exitCode, 0) << "pg_restore -d " << db << " " << archive << ": " << r.err;
    return plainDump(db);
  }

  static std::unique_ptr<PgServer> server_;
  static std::string setupError_, dir_, source_, reference_, originalPlain_;
};

std::unique_ptr<PgServer> ConvertTest::server_;
std::string ConvertTest::setupError_, ConvertTest::dir_, ConvertTest::source_, ConvertTest::reference_,
    ConvertTest::originalPlain_;

std::string headerLine(const std::string& listing, const std::string& label) {
  size_t p = listing.find(label);
  if (p == std::string::npos) return {};
  return listing.substr(p, listing.find('\n', p) - p);
}

TEST_F(ConvertTest, CustomToDirectoryToTarToCustomKeepsPgRestoreOutput) {
  std::string dir = path("step1.dir"), tar = path("step2.tar"), custom = path("step3.dump");
  convert(source_, dir, {"-F", "d"});
  convert(dir, tar, {"-F", "t"});
  convert(tar, custom, {"-F", "c"});
  for (const auto& a : {dir, tar, custom}) {
    auto r = pgRestoreScript(a);
    ASSERT_EQ(r.exitCode, 0) << a << ": " << r.err;
    EXPECT_TRUE(sameText(r.out, reference_)) << "stock pg_restore prints a different script for " << a;
    auto l = run({pgBinDir() + "/pg_restore", "-l", a});
    EXPECT_TRUE(sameText(headerLine(l.out, "Dump Version:"), "Dump Version: 1.14-0")) << a;
  }
  EXPECT_TRUE(fs::exists(dir + "/toc.dat"));
  EXPECT_TRUE(fs::exists(dir + "/blobs.toc"));
  // The input's gzip survives into the directory; tar drops it.
  EXPECT_TRUE(sameText(headerLine(run({pgBinDir() + "/pg_restore", "-l", dir}).out, "Compression:"), "Compression: -1"));
  EXPECT_TRUE(sameText(headerLine(run({pgBinDir() + "/pg_restore", "-l", tar}).out, "Compression:"), "Compression: 0"));
}

TEST_F(ConvertTest, CompressionLevelsAt114) {
  for (auto [spec, shown] : std::vector<std::pair<std::string, std::string>>{
           {"0", "Compression: 0"}, {"9", "Compression: 9"}, {"gzip:1", "Compression: 1"}, {"none", "Compression: 0"}}) {
    std::string out = path("z-" + spec + ".dump");
    convert(source_, out, {"-F", "c", "-Z", spec});
    EXPECT_TRUE(sameText(headerLine(run({pgBinDir() + "/pg_restore", "-l", out}).out, "Compression:"), shown)) << spec;
    auto r = pgRestoreScript(out);
    EXPECT_TRUE(sameText(r.out, reference_)) << spec << ": " << r.err;
  }
}

TEST_F(ConvertTest, ConvertedArchivesRestoreWithStockPgRestore) {
  std::string dir = path("restore.dir"), tar = path("restore.tar"), custom = path("restore.dump");
  convert(source_, dir, {"-F", "d", "-Z", "3"});
  convert(source_, tar, {"-F", "t"});
  convert(tar, custom, {"-F", "c"});
  EXPECT_TRUE(sameText(restoreAndDump(dir, "r_dir"), originalPlain_));
  EXPECT_TRUE(sameText(restoreAndDump(tar, "r_tar"), originalPlain_));
  EXPECT_TRUE(sameText(restoreAndDump(custom, "r_custom"), originalPlain_));
}

TEST_F(ConvertTest, Version115ZstdAndLz4ReadBackThroughPgarc) {
  std::string zc = path("zstd.dump"), zd = path("zstd.dir"), lz = path("lz4.dump");
  convert(source_, zc, {"-F", "c", "-Z", "zstd:9"});          // 1.14 input: bumped to 1.15
  convert(source_, zd, {"-F", "d", "--archive-version", "1.15", "-Z", "zstd:level=3,long"});
  convert(source_, lz, {"-F", "c", "-Z", "lz4"});
  for (const auto& a : {zc, zd, lz}) {
    auto l = pgarc({"inspect", "-l", a});
    ASSERT_EQ(l.exitCode, 0) << a << ": " << l.err;
    EXPECT_TRUE(sameText(headerLine(l.out, "Dump Version:"), "Dump Version: 1.15-0")) << a;
    auto s = pgarc({"inspect", "-f", "-", "--restrict-key=" + kKey, a});
    ASSERT_EQ(s.exitCode, 0) << a << ": " << s.err;
    EXPECT_TRUE(sameText(s.out, reference_)) << a;
    // Stock pg_restore 15 cannot read 1.15: proof the version was written.
    auto stock = run({pgBinDir() + "/pg_restore", "-l", a});
    EXPECT_NE(stock.exitCode, 0);
    EXPECT_NE(stock.err.find("unsupported version (1.15)"), std::string::npos) << stock.err;
  }
  EXPECT_TRUE(fs::exists(zd + "/blobs.toc"));
  bool zst = false;
  for (const auto& f : fs::directory_iterator(zd)) zst = zst || f.path().extension() == ".zst";
  EXPECT_TRUE(zst) << "directory data files should be .zst";
  // Back down to 1.14 (zstd cannot be recorded there, so ask for gzip).
  std::string back = path("zstd-back.dump");
  convert(zc, back, {"-F", "c", "--archive-version", "1.14", "-Z", "gzip"});
  EXPECT_TRUE(sameText(pgRestoreScript(back).out, reference_));
  auto refused = pgarc({"convert", "-F", "c", "--archive-version", "1.14", "-f", path("never.dump"), zc});
  EXPECT_NE(refused.exitCode, 0);
  EXPECT_NE(refused.err.find("zstd"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(path("never.dump")));
}

TEST_F(ConvertTest, Version116GroupsLargeObjectsAndComesBack) {
  for (const std::string fmt : {"c", "d", "t"}) {
    std::string v16 = path("v16-" + fmt), back = path("v16-back-" + fmt + ".dump");
    convert(source_, v16, {"-F", fmt, "--archive-version", "1.16"});
    auto l = pgarc({"inspect", "-l", v16});
    ASSERT_EQ(l.exitCode, 0) << l.err;
    EXPECT_TRUE(sameText(headerLine(l.out, "Dump Version:"), "Dump Version: 1.16-0"));
    // Groups by owner then ACL: alice's object, postgres's without ACL, the two readable by bob.
    EXPECT_NE(l.out.find("BLOB METADATA - 1002 alice"), std::string::npos) << l.out;
    EXPECT_NE(l.out.find("BLOB METADATA - 1001..1005 postgres"), std::string::npos) << l.out;
    EXPECT_NE(l.out.find("BLOB METADATA - 1003..1004 postgres"), std::string::npos) << l.out;
    EXPECT_NE(l.out.find("ACL - LARGE OBJECTS 1003..1004 postgres"), std::string::npos) << l.out;
    EXPECT_NE(l.out.find("BLOBS - 1001..1005 postgres"), std::string::npos) << l.out;
    EXPECT_EQ(l.out.find(" BLOB - "), std::string::npos) << l.out;
    if (fmt == "d") {
      int tocs = 0;
      for (const auto& f : fs::directory_iterator(v16))
        tocs += f.path().filename().string().rfind("blobs_", 0) == 0 ? 1 : 0;
      EXPECT_EQ(tocs, 3) << "one blobs_<dumpId>.toc per group";
    }
    auto data = pgarc({"inspect", "--json", v16});
    ASSERT_EQ(data.exitCode, 0) << data.err;
    EXPECT_NE(data.out.find("\"relkind\": 114"), std::string::npos);
    // Back to 1.14: stock pg_restore reads it and the restored database
    // matches the original (LO data order follows the groups, so compare
    // databases rather than scripts).
    convert(v16, back, {"-F", "c", "--archive-version", "1.14"});
    auto bl = run({pgBinDir() + "/pg_restore", "-l", back});
    ASSERT_EQ(bl.exitCode, 0) << bl.err;
    EXPECT_NE(bl.out.find("BLOB - 1003 postgres"), std::string::npos) << bl.out;
    EXPECT_NE(bl.out.find("ACL - LARGE OBJECT 1004 postgres"), std::string::npos) << bl.out;
    EXPECT_TRUE(sameText(restoreAndDump(back, "r_v16_" + fmt), originalPlain_));
  }
}

TEST_F(ConvertTest, PlainScriptAndStdin) {
  auto r = pgarc({"convert", "-F", "p", "--restrict-key=" + kKey, "-f", "-", source_});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(sameText(r.out, reference_));
  std::string piped = path("from-stdin.tar");
  auto s = pgarc({"convert", "-F", "t", "-f", piped, "-"}, readFile(source_));
  ASSERT_EQ(s.exitCode, 0) << s.err;
  EXPECT_TRUE(sameText(pgRestoreScript(piped).out, reference_));
}

TEST_F(ConvertTest, FailedConversionLeavesNoOutput) {
  std::string whole = readFile(source_);
  std::string truncated = path("truncated.dump");
  writeFile(truncated, whole.substr(0, whole.size() - 200));
  std::string out = path("from-truncated.dump");
  auto r = pgarc({"convert", "-F", "c", "-f", out, truncated});
  EXPECT_NE(r.exitCode, 0);
  EXPECT_FALSE(r.err.empty());
  EXPECT_FALSE(fs::exists(out)) << "a failed conversion must not leave " << out;
  auto t = pgarc({"convert", "-F", "t", "-Z", "5", "-f", path("never.tar"), source_});
  EXPECT_NE(t.exitCode, 0);
  EXPECT_NE(t.err.find("compression is not supported by tar archive format"), std::string::npos) << t.err;
}

TEST_F(ConvertTest, InspectJsonEntryAndData) {
  auto j = pgarc({"inspect", "--json", source_});
  ASSERT_EQ(j.exitCode, 0) << j.err;
  std::string jsonPath = path("toc.json");
  writeFile(jsonPath, j.out);
  // Python's json module as an independent validator of the document.
  auto py = run({"python3", "-c",
                 "import json,sys\n"
                 "d=json.load(open(sys.argv[1]))\n"
                 "h=d['header']\n"
                 "assert h['version']=='1.14-0' and h['format']=='CUSTOM' and h['compressionLevel']==-1, h\n"
                 "assert d['tocEntryCount']==len(d['entries'])\n"
                 "td=[e for e in d['entries'] if e['desc']=='TABLE DATA' and e['tag']=='customers'][0]\n"
                 "assert td['hadDumper'] and td['storedDataSize']>0 and td['dataLocation'].startswith('offset '), td\n"
                 "print(td['dumpId'])\n",
                 jsonPath});
  ASSERT_EQ(py.exitCode, 0) << py.err;
  std::string dumpId = py.out.substr(0, py.out.find('\n'));
  auto data = pgarc({"inspect", "--data", dumpId, source_});
  ASSERT_EQ(data.exitCode, 0) << data.err;
  // The payload is what pg_restore prints after the COPY line.
  auto ref = pgRestoreScript(source_, {"-a", "-t", "customers"});
  size_t copy = ref.out.find("COPY app.customers");
  ASSERT_NE(copy, std::string::npos);
  size_t start = ref.out.find('\n', copy) + 1;
  EXPECT_EQ(ref.out.compare(start, data.out.size(), data.out), 0);
  EXPECT_EQ(data.out.substr(data.out.size() - 5), "\\.\n\n\n");
  auto entry = pgarc({"inspect", "--entry", dumpId, source_});
  ASSERT_EQ(entry.exitCode, 0) << entry.err;
  EXPECT_NE(entry.out.find("Desc: TABLE DATA\n"), std::string::npos) << entry.out;
  auto none = pgarc({"inspect", "--data", "999999", source_});
  EXPECT_NE(none.exitCode, 0);
}

TEST_F(ConvertTest, InspectRefusesDbnameAndWrongFormat) {
  auto d = pgarc({"inspect", "-d", "src", source_});
  EXPECT_EQ(d.exitCode, 1);
  EXPECT_NE(d.err.find("pgarc verify --restore-check"), std::string::npos) << d.err;
  auto f = pgarc({"inspect", "-F", "t", "-l", source_});
  EXPECT_EQ(f.exitCode, 1);
  EXPECT_NE(f.err.find("CUSTOM"), std::string::npos) << f.err;
  EXPECT_EQ(pgarc({"inspect", "-F", "c", "-l", source_}).exitCode, 0);
  // -L: only the listed entries.
  auto list = pgarc({"inspect", "-l", source_});
  std::string listPath = path("only-customers.list");
  std::string kept;
  size_t p = 0;
  while (p < list.out.size()) {
    size_t nl = list.out.find('\n', p);
    std::string line = list.out.substr(p, nl - p);
    p = nl == std::string::npos ? list.out.size() : nl + 1;
    if (line.find("TABLE app customers") != std::string::npos) kept += line + "\n";
  }
  ASSERT_FALSE(kept.empty());
  writeFile(listPath, kept);
  auto mine = pgarc({"inspect", "-f", "-", "--restrict-key=" + kKey, "-L", listPath, source_});
  auto stock = pgRestoreScript(source_, {"-L", listPath});
  ASSERT_EQ(mine.exitCode, 0) << mine.err;
  EXPECT_TRUE(sameText(mine.out, stock.out));
  auto missing = pgarc({"inspect", "-f", "-", "-L", path("no-such.list"), source_});
  EXPECT_NE(missing.err.find("could not open TOC file"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace pgarc::test
