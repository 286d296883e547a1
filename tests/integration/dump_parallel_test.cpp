// pgarc dump -j N (directory as pg_dump does it, custom into one file),
// --archive-version / --target-pg-restore and -Z METHOD[:DETAIL], checked with
// stock tools: archives restore with stock pg_restore (15 for 1.14; 17/18 from
// ci/matrix for 1.15/1.16 when present) into a fresh database whose
// `pg_dump -Fp` equals the source's.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/text_compare.hpp"

using namespace pgarc::test;

namespace {

// A big table (over the parallel-deflate threshold once analyzed), tables of
// several sizes, a partitioned table, hostile names, large objects with
// owners, grants and comments.
const char* kFixture = R"SQL(
CREATE ROLE lo_reader;
CREATE ROLE lo_owner;
CREATE TABLE public.big (id int PRIMARY KEY, t text, b bytea, n numeric, ts timestamptz);
INSERT INTO public.big SELECT i, md5(i::text) || md5((i * 3)::text) || md5((i * 5)::text) || md5((i * 7)::text)
  || md5((i * 11)::text) || md5((i * 13)::text) || E'\t\\' || i,
  decode(md5((i * 17)::text) || md5((i * 19)::text), 'hex'), i * 1.37, TIMESTAMPTZ '2024-01-01 00:00+00' - i * interval '1 min'
  FROM generate_series(1, 45000) i;
CREATE TABLE public.mid (id serial PRIMARY KEY, big_id int REFERENCES public.big(id), payload jsonb);
INSERT INTO public.mid (big_id, payload) SELECT i, jsonb_build_object('k', i, 'v', md5(i::text))
  FROM generate_series(1, 5000) i;
CREATE SCHEMA "Sch ""q""";
CREATE TABLE "Sch ""q"""."tab
le" ("co l" int, ü text);
INSERT INTO "Sch ""q"""."tab
le" VALUES (1, E'a\nb'), (NULL, NULL);
CREATE TABLE public.meas (city int, logdate date, peak int) PARTITION BY RANGE (logdate);
CREATE TABLE public.meas_2020 PARTITION OF public.meas FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE public.meas_def PARTITION OF public.meas DEFAULT;
INSERT INTO public.meas VALUES (1, '2020-05-05', 3), (2, '2022-01-01', 4);
CREATE TABLE public.empty (a int);
CREATE SEQUENCE public.s1 START 7;
SELECT nextval('public.s1');
CREATE VIEW public.v AS SELECT id FROM public.big WHERE id < 10;
CREATE INDEX big_t ON public.big (t);
SELECT lo_from_bytea(7001, 'first large object');
SELECT lo_from_bytea(7002, decode(repeat('00ff', 40000), 'hex'));
SELECT lo_from_bytea(7003, 'third');
ALTER LARGE OBJECT 7003 OWNER TO lo_owner;
GRANT SELECT ON LARGE OBJECT 7002 TO lo_reader;
COMMENT ON LARGE OBJECT 7001 IS 'a comment';
ANALYZE;
)SQL";

std::string matrixBin(const std::string& tool) {
  const char* env = std::getenv("PGARC_MATRIX_DIR");
  std::string dir = env && *env ? env : "/var/cache/pgarc-matrix";
  std::string p = dir + "/bin/" + tool;
  return std::filesystem::exists(p) ? p : std::string();
}

std::string matrixServerBin() {
  const char* env = std::getenv("PGARC_MATRIX_DIR");
  std::string dir = (env && *env ? env : "/var/cache/pgarc-matrix") + std::string("/server/17/native/bin");
  return std::filesystem::exists(dir + "/postgres") ? dir : std::string();
}

// Without the lines naming the server or pg_dump version.
std::string normalise(const std::string& dump) {
  std::string out;
  size_t pos = 0;
  while (pos < dump.size()) {
    size_t nl = dump.find('\n', pos);
    std::string line = dump.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos + 1);
    pos = nl == std::string::npos ? dump.size() : nl + 1;
    if (line.rfind("-- Dumped from database version", 0) == 0 || line.rfind("-- Dumped by pg_dump version", 0) == 0)
      continue;
    out += line;
  }
  return out;
}

std::string noSpaces(std::string s) {
  s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\n'; }), s.end());
  return s;
}

class DumpParallel : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new PgServer();
    if (!server_->started()) return;
    server_->createDatabase("src");
    auto r = server_->psql("src", kFixture);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    auto d = runTool(pgBinDir() + "/pg_dump", {"-Fp", "--restrict-key=K", "src"});
    ASSERT_EQ(d.exitCode, 0) << d.err;
    *sourceScript_ = d.out;
    // pg_restore 17/18 restore into a PostgreSQL 17 server (ci/matrix) holding the same source.
    if (matrixServerBin().empty() || matrixBin("pg_dump-17").empty()) return;
    server17_ = new PgServer(matrixServerBin());
    if (!server17_->started()) return;
    server17_->createDatabase("src");
    r = server17_->psql("src", kFixture);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    auto d17 = run(withClient(*server17_, {matrixBin("pg_dump-17"), "-Fp", "--restrict-key=K", "src"}));
    ASSERT_EQ(d17.exitCode, 0) << d17.err;
    *source17Script_ = normalise(d17.out);
  }
  static void TearDownTestSuite() {
    delete server17_;
    server17_ = nullptr;
    delete server_;
    server_ = nullptr;
  }
  static std::vector<std::string> withClient(const PgServer& s, std::vector<std::string> argv) {
    auto extra = s.clientArgs();
    argv.insert(argv.begin() + 1, extra.begin(), extra.end());
    return argv;
  }
  static bool haveNewRestore() { return server17_ && server17_->started() && !source17Script_->empty(); }
  // Restores with pg_restore 17 or 18 into the PostgreSQL 17 server; pg_dump 17
  // of the result must equal pg_dump 17 of the source there.
  void restoreNewAndCompare(const std::string& restoreBin, const std::string& archive, std::vector<std::string> extra) {
    if (!haveNewRestore() || restoreBin.empty()) return;
    const std::string db = "n" + std::to_string(++restores_);
    server17_->createDatabase(db);
    std::vector<std::string> args = {restoreBin, "--exit-on-error", "-d", db};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(archive);
    auto r = run(withClient(*server17_, args));
    EXPECT_EQ(r.exitCode, 0) << restoreBin << " " << archive << ": " << r.err;
    auto d = run(withClient(*server17_, {matrixBin("pg_dump-17"), "-Fp", "--restrict-key=K", db}));
    ASSERT_EQ(d.exitCode, 0) << d.err;
    EXPECT_TRUE(sameText(normalise(d.out), *source17Script_)) << "restored with " << restoreBin << " from " << archive;
    (void)server17_->psql("postgres", "DROP DATABASE " + db);
  }
  void SetUp() override {
    if (!server_ || !server_->started()) GTEST_SKIP() << "no server: " << (server_ ? server_->startupError() : "");
    dir_ = makeTempDir("pgarc-dump-parallel-");
  }
  void TearDown() override {
    if (!dir_.empty()) removeTree(dir_);
  }

  static CommandResult runTool(const std::string& bin, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {bin};
    for (const auto& a : server_->clientArgs()) argv.push_back(a);
    for (const auto& a : args) argv.push_back(a);
    return run(argv);
  }
  CommandResult pgarcDump(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {pgarcBinary(), "dump"};
    for (const auto& a : server_->clientArgs()) argv.push_back(a);
    for (const auto& a : args) argv.push_back(a);
    argv.push_back("src");
    return run(argv);
  }
  // Restores `archive` with `restoreBin` (extra args e.g. -j2) into a fresh
  // database and expects stock pg_dump -Fp of it to equal the source's.
  void restoreAndCompare(const std::string& restoreBin, const std::string& archive, std::vector<std::string> extra) {
    const std::string db = "r" + std::to_string(++restores_);
    server_->createDatabase(db);
    std::vector<std::string> args = {"-d", db};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(archive);
    auto r = runTool(restoreBin, args);
    EXPECT_EQ(r.exitCode, 0) << restoreBin << " " << archive << ": " << r.err;
    auto d = runTool(pgBinDir() + "/pg_dump", {"-Fp", "--restrict-key=K", db});
    ASSERT_EQ(d.exitCode, 0) << d.err;
    EXPECT_TRUE(sameText(d.out, *sourceScript_)) << "restored with " << restoreBin << " from " << archive;
    (void)server_->psql("postgres", "DROP DATABASE " + db);
  }
  std::string script(const std::string& archive) {
    auto r = run({pgBinDir() + "/pg_restore", "--restrict-key=K", "-f", "-", archive});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return r.out;
  }
  std::string inspectJson(const std::string& archive) {
    auto r = run({pgarcBinary(), "inspect", "--json", archive});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return noSpaces(r.out);
  }

  static PgServer* server_;
  static PgServer* server17_;
  static std::string* sourceScript_;
  static std::string* source17Script_;
  static int restores_;
  std::string dir_;
};

PgServer* DumpParallel::server_ = nullptr;
PgServer* DumpParallel::server17_ = nullptr;
std::string* DumpParallel::sourceScript_ = new std::string;
std::string* DumpParallel::source17Script_ = new std::string;
int DumpParallel::restores_ = 0;

TEST_F(DumpParallel, DirectoryJobs2RestoresAndMatchesStock) {
  const std::string out = dir_ + "/pd";
  auto r = pgarcDump({"-Fd", "-j2", "-f", out});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const std::string stock = dir_ + "/sd";
  auto s = runTool(pgBinDir() + "/pg_dump", {"-Fd", "-j2", "-f", stock, "src"});
  ASSERT_EQ(s.exitCode, 0) << s.err;
  EXPECT_TRUE(sameText(script(out), script(stock)));
  restoreAndCompare(pgBinDir() + "/pg_restore", out, {});
  restoreAndCompare(pgBinDir() + "/pg_restore", out, {"-j2"});
}

TEST_F(DumpParallel, CustomJobs2IntoOneFile) {
  const std::string out = dir_ + "/pc.dump";
  auto r = pgarcDump({"-Fc", "-j2", "-f", out});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const std::string stock = dir_ + "/sc.dump";
  auto s = runTool(pgBinDir() + "/pg_dump", {"-Fc", "-f", stock, "src"});
  ASSERT_EQ(s.exitCode, 0) << s.err;
  // Same TOC, same data (the big table through parallel deflate), every data offset set.
  EXPECT_TRUE(sameText(script(out), script(stock)));
  const std::string json = inspectJson(out);
  EXPECT_EQ(json.find("\"offsetFlag\":\"notset\""), std::string::npos);
  EXPECT_NE(json.find("\"offsetFlag\":\"set\""), std::string::npos);
  restoreAndCompare(pgBinDir() + "/pg_restore", out, {});
  restoreAndCompare(pgBinDir() + "/pg_restore", out, {"-j2"});
  // Also with more workers than tables need and with no compression.
  const std::string out4 = dir_ + "/pc4.dump";
  r = pgarcDump({"-Fc", "-j4", "-Z0", "-f", out4});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(sameText(script(out4), script(stock)));
}

// The manifest of a parallel custom dump records each payload from the plain
// side, before compression: it must say what a serial dump's says.
std::string manifestEntries(const std::string& manifest) {
  size_t from = manifest.find("\"entries\"");
  size_t to = manifest.find("\"large_objects\"");
  if (from == std::string::npos || to == std::string::npos || to < from) return "";
  return manifest.substr(from, to - from);
}

TEST_F(DumpParallel, CustomJobs2ManifestMatchesSerialAndVerifies) {
  const std::string par = dir_ + "/par.dump", ser = dir_ + "/ser.dump";
  auto r = pgarcDump({"-Fc", "-j2", "-f", par});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  r = pgarcDump({"-Fc", "-f", ser});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const std::string parEntries = manifestEntries(readFile(par + ".manifest.json"));
  ASSERT_NE(parEntries.find("\"rows\": 45000"), std::string::npos) << parEntries;
  EXPECT_TRUE(sameText(parEntries, manifestEntries(readFile(ser + ".manifest.json"))));
  auto v = run({pgarcBinary(), "verify", par});
  EXPECT_EQ(v.exitCode, 0) << v.out << v.err;
}

// A COPY that fails half way (a row-security policy dividing by zero on one
// row, met while the table streams into the archive): a clean error naming
// the table, and nothing left that looks like an archive or its manifest.
TEST_F(DumpParallel, CustomJobs2CopyErrorLeavesNoArchive) {
  server_->createDatabase("rls");
  auto p = server_->psql("rls", R"SQL(
DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rls_owner') THEN CREATE ROLE rls_owner LOGIN; END IF; END $$;
CREATE TABLE public.fine (id int);
INSERT INTO public.fine SELECT generate_series(1, 1000);
CREATE TABLE public.t (id int, pad text);
INSERT INTO public.t SELECT i, md5(i::text) || md5((i * 7)::text) FROM generate_series(1, 200000) i;
ALTER TABLE public.t OWNER TO rls_owner;
ALTER TABLE public.fine OWNER TO rls_owner;
ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.t FORCE ROW LEVEL SECURITY;
CREATE POLICY p ON public.t USING (CASE WHEN id = 150000 THEN 1 / (id - id) = 1 ELSE true END);
ANALYZE;
)SQL");
  ASSERT_EQ(p.exitCode, 0) << p.err;
  const std::string out = dir_ + "/out";
  std::filesystem::create_directory(out);
  std::vector<std::string> argv = {pgarcBinary(), "dump"};
  for (const auto& a : server_->clientArgs()) argv.push_back(a);
  for (const char* a : {"-U", "rls_owner", "--enable-row-security", "-Fc", "-j2", "-f"}) argv.push_back(a);
  argv.push_back(out + "/x.dump");
  argv.push_back("rls");
  auto r = run(argv);
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.err.find("division by zero"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\"t\""), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::is_empty(out)) << "left behind: " << std::filesystem::directory_iterator(out)->path();
  (void)server_->psql("postgres", "DROP DATABASE rls");
}

TEST_F(DumpParallel, SingleJobCustomStaysByteIdenticalToStock) {
  // -j1 must not go through the parallel path: the archive equals stock
  // pg_dump 15's except for the creation time in the header.
  const std::string out = dir_ + "/one.dump";
  const std::string stock = dir_ + "/stock.dump";
  auto r = pgarcDump({"-Fc", "-j1", "-f", out});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto s = runTool(pgBinDir() + "/pg_dump", {"-Fc", "-f", stock, "src"});
  ASSERT_EQ(s.exitCode, 0) << s.err;
  std::string a = readFile(out), b = readFile(stock);
  ASSERT_EQ(a.size(), b.size());
  size_t diffs = 0;
  for (size_t i = 0; i < a.size(); i++) diffs += a[i] != b[i];
  EXPECT_LE(diffs, 8u);  // the creation time (seconds, minutes) only
}

TEST_F(DumpParallel, ArchiveVersions115And116) {
  for (const std::string v : {"1.15", "1.16"}) {
    SCOPED_TRACE(v);
    const std::string out = dir_ + "/v" + v + ".dump";
    auto r = pgarcDump({"-Fc", "--archive-version=" + v, "-f", out});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const std::string json = inspectJson(out);
    EXPECT_NE(json.find("\"versionMinor\":" + v.substr(2)), std::string::npos);
    auto old = run({pgBinDir() + "/pg_restore", "-l", out});
    EXPECT_NE(old.exitCode, 0);
    EXPECT_NE(old.err.find("unsupported version (" + v + ") in file header"), std::string::npos) << old.err;
    if (v == "1.16") {
      EXPECT_NE(json.find("\"desc\":\"BLOBMETADATA\""), std::string::npos);
      EXPECT_EQ(json.find("\"desc\":\"BLOB\""), std::string::npos);
      EXPECT_NE(json.find("\"desc\":\"TABLE\",\"tag\":\"big\",\"namespace\":\"public\""), std::string::npos);
      EXPECT_NE(json.find("\"relkind\":114"), std::string::npos);  // 'r'
      EXPECT_NE(json.find("\"relkind\":112"), std::string::npos);  // 'p': meas, from the catalog
      EXPECT_NE(json.find("\"relkind\":118"), std::string::npos);  // 'v'
      EXPECT_EQ(json.find("\"relkind\":83"), std::string::npos);   // pg_dump 17 stores 0 for sequences
    } else {
      EXPECT_NE(json.find("\"desc\":\"BLOB\""), std::string::npos);
      EXPECT_NE(json.find("\"relkind\":null"), std::string::npos);
    }
    for (const char* tool : {"pg_restore-17", "pg_restore-18"}) {
      restoreNewAndCompare(matrixBin(tool), out, {});
      restoreNewAndCompare(matrixBin(tool), out, {"-j2"});
    }
  }
  // Directory format at 1.16: the large-object index of each BLOBS group is blobs_<dumpId>.toc.
  const std::string d = dir_ + "/v116d";
  auto r = pgarcDump({"-Fd", "-j2", "--target-pg-restore=17", "-f", d});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  bool grouped = false, plain = false;
  for (const auto& f : std::filesystem::directory_iterator(d)) {
    std::string name = f.path().filename().string();
    if (name.rfind("blobs_", 0) == 0 && name.size() > 10) grouped = true;
    if (name == "blobs.toc") plain = true;
  }
  EXPECT_TRUE(grouped);
  EXPECT_FALSE(plain);
  if (!haveNewRestore()) GTEST_SKIP() << "no pg_restore 17/18 and server 17 from ci/matrix";
  restoreNewAndCompare(matrixBin("pg_restore-17"), d, {"-j2"});
}

TEST_F(DumpParallel, CompressionMethods) {
  for (const char* fmt : {"-Fc", "-Fd"}) {
    auto r = pgarcDump({fmt, "-Z", "zstd", "-f", dir_ + "/never"});
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.err.find("compression method zstd requires archive version 1.15 or later"), std::string::npos) << r.err;
    r = pgarcDump({fmt, "-Z", "lz4:4", "-f", dir_ + "/never"});
    EXPECT_NE(r.err.find("compression method lz4 requires archive version 1.15 or later"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/never"));
  }
  auto t = pgarcDump({"-Ft", "-Z", "gzip:3", "-f", dir_ + "/never"});
  EXPECT_NE(t.err.find("compression is not supported by tar archive format"), std::string::npos) << t.err;

  // pg_dump 15's spelling and gzip:N give archives pg_restore 15 reads.
  const std::string stock = dir_ + "/stock.dump";
  ASSERT_EQ(runTool(pgBinDir() + "/pg_dump", {"-Fc", "-f", stock, "src"}).exitCode, 0);
  const std::string stockScript = script(stock);
  for (const std::string z : {"1", "gzip:9", "none", "0"}) {
    const std::string out = dir_ + "/z" + z + ".dump";
    auto r = pgarcDump({"-Fc", "-Z", z, "-f", out});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(sameText(script(out), stockScript)) << z;
  }
  // Plain with gzip: the gzip file holds the same script.
  auto plain = pgarcDump({"-Fp", "--restrict-key=K"});
  ASSERT_EQ(plain.exitCode, 0) << plain.err;
  ASSERT_EQ(pgarcDump({"-Fp", "--restrict-key=K", "-Z", "gzip:5", "-f", dir_ + "/p.sql.gz"}).exitCode, 0);
  auto gunzip = runShell("gzip -dc " + shellQuote(dir_ + "/p.sql.gz"));
  ASSERT_EQ(gunzip.exitCode, 0) << gunzip.err;
  EXPECT_TRUE(sameText(gunzip.out, plain.out));

  // lz4 and zstd at 1.15/1.16, restored by pg_restore 17/18.
  struct Case { std::vector<std::string> args; std::string name; };
  const std::vector<Case> cases = {
      {{"-Fc", "-Z", "zstd:5", "--archive-version=1.15"}, "c-zstd.dump"},
      {{"-Fc", "-j2", "-Z", "lz4", "--target-pg-restore=18"}, "c-lz4.dump"},
      {{"-Fd", "-Z", "lz4:3", "--target-pg-restore=16"}, "d-lz4"},
      {{"-Fd", "-j2", "-Z", "zstd:level=3,long", "--archive-version=1.16"}, "d-zstd"},
      {{"-Fc", "-j2", "-Z", "gzip:1", "--archive-version=1.16"}, "c-gzip116.dump"},
  };
  const std::string r17 = matrixBin("pg_restore-17"), r18 = matrixBin("pg_restore-18");
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> args = c.args;
    args.push_back("-f");
    args.push_back(dir_ + "/" + c.name);
    auto r = pgarcDump(args);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    auto old = run({pgBinDir() + "/pg_restore", "-l", dir_ + "/" + c.name});
    EXPECT_NE(old.err.find("unsupported version"), std::string::npos) << old.err;
    for (const std::string& bin : {r17, r18}) restoreNewAndCompare(bin, dir_ + "/" + c.name, {"-j2"});
  }
  if (!haveNewRestore()) GTEST_SKIP() << "no pg_restore 17/18 and server 17 from ci/matrix";
}

}  // namespace
