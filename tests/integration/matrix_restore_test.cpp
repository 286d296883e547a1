// Cross-version restore matrix with stock tools fetched by ci/matrix: stock
// pg_dump 15 archives of a real database are converted by `pgarc convert` to
// every format x compression x archive version; each result is restored by the
// stock pg_restore that reads that version (15 for 1.14 into a 15 server; 17
// and 18 for 1.15/1.16 into a 17 server, as they SET transaction_timeout) and
// the restored database must dump (stock pg_dump of the server's version)
// exactly as a restore of the unconverted stock archive does. Also: a stock
// pg_dump 17 zstd archive converted to 1.14 gzip restores with pg_restore 15.
// Skipped when the matrix cache (ci/matrix) is absent.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"

namespace pgarc::test {
namespace {

const std::string kKey = "pgarcMatrixKey7";

std::string matrixDir() {
  const char* env = std::getenv("PGARC_MATRIX_DIR");
  return env && *env ? env : "/var/cache/pgarc-matrix";
}

bool executable(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && (st.st_mode & S_IXUSR);
}

std::string tool(const std::string& name, int major) { return matrixDir() + "/bin/" + name + "-" + std::to_string(major); }
std::string serverBin(int major) { return matrixDir() + "/server/" + std::to_string(major) + "/native/bin"; }

std::string missingMatrixPieces() {
  std::string missing;
  for (const auto& p : {tool("pg_restore", 15), tool("pg_dump", 15), tool("pg_restore", 17), tool("pg_dump", 17),
                        tool("pg_restore", 18), serverBin(17) + "/postgres"})
    if (!executable(p)) missing += " " + p;
  return missing;
}

// Source database: several tables, NULLs, non-ASCII text, escapes, bytea,
// large objects with owner/ACL/comment, a sequence, a view, an index, a FK.
const char* kSchemaSql = R"SQL(
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id integer PRIMARY KEY, name text NOT NULL, city text, born date, data bytea);
INSERT INTO shop.customers VALUES
  (1, 'Zoë Ångström', 'Malmö', '1980-02-29', '\x00ff10'),
  (2, E'tab\there', NULL, NULL, ''),
  (3, '日本語テキスト ☃', E'new\nline \\ back', '2001-01-01', NULL),
  (4, '\.', E'\\N', NULL, '\x');
INSERT INTO shop.customers
  SELECT g, 'customer ' || g || ' ' || md5(g::text), CASE WHEN g % 3 = 0 THEN NULL ELSE 'city ' || (g % 17) END,
         DATE '2000-01-01' + g, decode(md5(g::text), 'hex')
  FROM generate_series(10, 4000) g;
CREATE TABLE shop.orders (id bigserial PRIMARY KEY, customer integer REFERENCES shop.customers,
                          amount numeric(12,2), placed timestamptz, tags text[], meta jsonb);
INSERT INTO shop.orders (customer, amount, placed, tags, meta)
  SELECT 10 + g % 3000, (g * 7.31)::numeric(12,2), TIMESTAMPTZ '2020-01-01 00:00:00+00' + g * INTERVAL '1 hour',
         ARRAY['a' || g % 5, NULL, 'ü'], CASE WHEN g % 4 = 0 THEN NULL ELSE jsonb_build_object('n', g, 's', 'ß') END
  FROM generate_series(1, 6000) g;
CREATE INDEX orders_customer_idx ON shop.orders (customer);
CREATE TABLE public.empty_table (x integer, y text);
CREATE TABLE public.wide_nulls (a int, b text, c float8, d boolean, e uuid);
INSERT INTO public.wide_nulls VALUES (NULL, NULL, NULL, NULL, NULL), (1, 'x', 'NaN', true, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
CREATE VIEW shop.big_orders AS SELECT * FROM shop.orders WHERE amount > 1000;
COMMENT ON TABLE shop.customers IS 'Kunden ''mit'' Umlauten: äöü';
CREATE SEQUENCE shop.counter START 5;
SELECT setval('shop.counter', 77);
SELECT lo_from_bytea(3001, 'first large object');
SELECT lo_from_bytea(3002, convert_to('größer: äöü 日本', 'UTF8'));
SELECT lo_from_bytea(3003, decode(repeat('00ff7f80', 70000), 'hex'));
SELECT lo_from_bytea(3004, '');
ALTER LARGE OBJECT 3002 OWNER TO matrix_owner;
GRANT SELECT ON LARGE OBJECT 3003 TO matrix_reader;
COMMENT ON LARGE OBJECT 3001 IS 'lo one';
ALTER TABLE shop.orders OWNER TO matrix_owner;
GRANT SELECT ON shop.customers TO matrix_reader;
)SQL";

const char* kRolesSql = "CREATE ROLE matrix_owner; CREATE ROLE matrix_reader;";

// Drops the lines that name the server or pg_dump version.
std::string normalise(const std::string& dump) {
  std::istringstream in(dump);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.rfind("-- Dumped from database version", 0) == 0 || line.rfind("-- Dumped by pg_dump version", 0) == 0)
      continue;
    out += line + "\n";
  }
  return out;
}

struct Combo {
  char format;              // c, d, t
  std::string compression;  // none, gzip, lz4, zstd
  std::string version;      // 1.14, 1.15, 1.16
  int restoreMajor;         // 15, 17, 18
};

std::string comboName(const Combo& c) {
  std::string v = c.version;
  for (auto& ch : v)
    if (ch == '.') ch = '_';
  return std::string(1, c.format) + "_" + c.compression + "_v" + v + "_pg_restore" + std::to_string(c.restoreMajor);
}

std::vector<Combo> allCombos() {
  std::vector<Combo> out;
  for (char f : {'c', 'd', 't'})
    for (const char* z : {"none", "gzip", "lz4", "zstd"})
      for (const char* v : {"1.14", "1.15", "1.16"}) {
        std::string zs = z, vs = v;
        if (f == 't' && zs != "none") continue;                                // tar is never compressed
        if (vs == "1.14" && (zs == "lz4" || zs == "zstd")) continue;          // needs 1.15+
        if (vs == "1.14") out.push_back({f, zs, vs, 15});
        else {
          out.push_back({f, zs, vs, 17});
          out.push_back({f, zs, vs, 18});
        }
      }
  return out;
}

class MatrixRestore : public ::testing::TestWithParam<Combo> {
 public:
  static void SetUpTestSuite() {
    missing_ = missingMatrixPieces();
    setupError_.clear();
    if (!missing_.empty()) return;
    server15_ = std::make_unique<PgServer>();
    server17_ = std::make_unique<PgServer>(serverBin(17));
    if (!server15_->started() || !server17_->started()) {
      setupError_ = "server start failed: " + server15_->startupError() + server17_->startupError();
      return;
    }
    for (auto* s : {server15_.get(), server17_.get()}) {
      auto r = s->psql("postgres", kRolesSql);
      if (r.exitCode != 0) { setupError_ = "roles: " + r.err; return; }
    }
    server15_->createDatabase("src");
    auto r = server15_->psql("src", kSchemaSql);
    if (r.exitCode != 0) { setupError_ = "schema failed: " + r.err; return; }
    dir_ = makeTempDir("pgarc-matrix-");
    chmod(dir_.c_str(), 0755);
    source_ = dir_ + "/stock15.dump";
    r = run(withClient(*server15_, {tool("pg_dump", 15), "-Fc", "-f", source_, "-d", "src"}));
    if (r.exitCode != 0) { setupError_ = "pg_dump 15 failed: " + r.err; return; }
    // Reference restores of the unconverted stock archive, one per pg_restore.
    for (int major : {15, 17, 18}) {
      std::string db = "ref" + std::to_string(major);
      std::string err = restore(major, source_, db);
      if (!err.empty()) { setupError_ = "reference restore with pg_restore " + std::to_string(major) + ": " + err; return; }
      reference_[major] = dumpOf(major, db);
    }
    sourceDump15_ = normalise(plainDump(*server15_, 15, "src"));
  }
  static void TearDownTestSuite() {
    server15_.reset();
    server17_.reset();
    if (!dir_.empty()) removeTree(dir_);
    dir_.clear();
  }

  void SetUp() override {
    if (!missing_.empty()) GTEST_SKIP() << "matrix cache incomplete (run ci/matrix):" << missing_;
    ASSERT_TRUE(setupError_.empty()) << setupError_;
  }

 protected:
  static std::vector<std::string> withClient(const PgServer& s, std::vector<std::string> argv) {
    auto extra = s.clientArgs();
    argv.insert(argv.begin() + 1, extra.begin(), extra.end());
    return argv;
  }
  static PgServer& serverFor(int restoreMajor) { return restoreMajor == 15 ? *server15_ : *server17_; }
  static int serverMajor(int restoreMajor) { return restoreMajor == 15 ? 15 : 17; }

  static std::string plainDump(const PgServer& s, int dumpMajor, const std::string& db) {
    auto r = run(withClient(s, {tool("pg_dump", dumpMajor), "--restrict-key=" + kKey, "-d", db}));
    if (r.exitCode != 0) return "pg_dump failed: " + r.err;
    return r.out;
  }
  // pg_dump of the server's own major, normalised.
  static std::string dumpOf(int restoreMajor, const std::string& db) {
    return normalise(plainDump(serverFor(restoreMajor), serverMajor(restoreMajor), db));
  }
  // Restores ARCHIVE into a fresh database DB; returns "" or what went wrong.
  static std::string restore(int restoreMajor, const std::string& archive, const std::string& db) {
    PgServer& s = serverFor(restoreMajor);
    auto r = s.psql("postgres", "DROP DATABASE IF EXISTS \"" + db + "\"; CREATE DATABASE \"" + db + "\";");
    if (r.exitCode != 0) return "create database: " + r.err;
    r = run(withClient(s, {tool("pg_restore", restoreMajor), "--exit-on-error", "-d", db, archive}));
    if (r.exitCode != 0) return "pg_restore " + std::to_string(restoreMajor) + " exit " + std::to_string(r.exitCode) + ": " + r.err;
    return {};
  }
  static void dropDatabase(int restoreMajor, const std::string& db) {
    serverFor(restoreMajor).psql("postgres", "DROP DATABASE IF EXISTS \"" + db + "\";");
  }

  static inline std::string missing_;
  static inline std::string setupError_;
  static inline std::unique_ptr<PgServer> server15_, server17_;
  static inline std::string dir_, source_, sourceDump15_;
  static inline std::map<int, std::string> reference_;
};

TEST_P(MatrixRestore, ConvertedArchiveRestoresLikeTheStockOne) {
  const Combo& c = GetParam();
  const std::string name = comboName(c);
  const std::string out = dir_ + "/" + name + (c.format == 'd' ? "" : ".archive");
  auto r = run({pgarcBinary(), "convert", std::string("-F") + c.format, "--archive-version=" + c.version,
                "-Z", c.compression, "-f", out, source_});
  ASSERT_EQ(r.exitCode, 0) << "pgarc convert: " << r.err;
  // The converted archive says what it was asked to be, as stock pg_restore -l reports it.
  r = run({tool("pg_restore", c.restoreMajor), "-l", out});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("Format: " + std::string(c.format == 'c' ? "CUSTOM" : c.format == 'd' ? "DIRECTORY" : "TAR")),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Dump Version: " + c.version), std::string::npos) << r.out;
  if (c.version != "1.14") {
    EXPECT_NE(r.out.find("Compression: " + c.compression), std::string::npos) << r.out;
  }

  const std::string db = "r_" + name;
  std::string err = restore(c.restoreMajor, out, db);
  ASSERT_TRUE(err.empty()) << err;
  const std::string got = dumpOf(c.restoreMajor, db);
  dropDatabase(c.restoreMajor, db);
  if (c.format == 'd') removeTree(out); else std::remove(out.c_str());
  ASSERT_NE(got.find("COPY shop.customers"), std::string::npos) << got.substr(0, 2000);
  ASSERT_NE(got.find("3003"), std::string::npos) << "large objects missing";
  EXPECT_TRUE(got == reference_.at(c.restoreMajor)) << "restored database differs from the reference restore";
}

INSTANTIATE_TEST_SUITE_P(AllCombinations, MatrixRestore, ::testing::ValuesIn(allCombos()),
                         [](const ::testing::TestParamInfo<Combo>& i) { return comboName(i.param); });

// The restored reference databases match the source as stock pg_dump 15 sees it.
TEST_F(MatrixRestore, ReferenceRestoreMatchesSource) {
  EXPECT_TRUE(reference_.at(15) == sourceDump15_);
  EXPECT_TRUE(reference_.at(17) == reference_.at(18));
}

// pg_dump 17 zstd (archive 1.16, grouped large objects) -> pgarc convert to
// 1.14 gzip -> pg_restore 15 gives the source database back.
TEST_F(MatrixRestore, StockPgDump17ZstdToV114GzipRestoresWithPgRestore15) {
  const std::string zstdArchive = dir_ + "/stock17-zstd.dump";
  auto r = run(withClient(*server15_, {tool("pg_dump", 17), "-Fc", "-Z", "zstd", "-f", zstdArchive, "-d", "src"}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  r = run({tool("pg_restore", 15), "-l", zstdArchive});
  ASSERT_NE(r.exitCode, 0) << "pg_restore 15 unexpectedly read a 1.16 archive";
  EXPECT_NE(r.err.find("unsupported version (1.16)"), std::string::npos) << r.err;

  const std::string gz = dir_ + "/from17.dump";
  r = run({pgarcBinary(), "convert", "-Fc", "--archive-version=1.14", "-Z", "gzip", "-f", gz, zstdArchive});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  std::string err = restore(15, gz, "from17");
  ASSERT_TRUE(err.empty()) << err;
  const std::string got = dumpOf(15, "from17");
  dropDatabase(15, "from17");
  EXPECT_TRUE(got == sourceDump15_) << "database restored from the converted pg_dump 17 archive differs from the source";
}

}  // namespace
}  // namespace pgarc::test
