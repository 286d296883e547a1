// verify --restore-check against real pg_restore: sound archives of every
// format restore and read back identically (row counts and COPY checksums)
// on a given server and on a throwaway one verify starts itself; an archive
// whose data is well formed but cannot be loaded is caught; the scratch
// database is always dropped.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"

using namespace pgarc::test;
namespace fs = std::filesystem;

namespace {

class VerifyRestoreCheck : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new PgServer();
    ASSERT_TRUE(server_->started()) << server_->startupError();
    dir_ = makeTempDir("pgarc-verify-restore-");
    server_->createDatabase("src");
    auto r = server_->psql("src", R"SQL(
      CREATE SCHEMA app;
      CREATE TABLE app.items (id int PRIMARY KEY, label text, price numeric, at timestamptz, f float8, raw bytea);
      INSERT INTO app.items SELECT g, 'ünïcødé ' || g || E'\t\\', g / 3.0, timestamptz '2024-02-29 12:00+02' + g * interval '1 hour',
                                   g / 7.0, decode(md5(g::text), 'hex')
        FROM generate_series(1, 3000) g;
      CREATE TABLE evens (a int CHECK (a % 2 = 0));
      INSERT INTO evens SELECT g * 2 FROM generate_series(1, 50) g;
      SELECT lo_from_bytea(777, 'large object');
    )SQL");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    for (auto [file, fmt] : {std::pair{"src.custom", "-Fc"}, {"src.dir", "-Fd"}, {"src.tar", "-Ft"}, {"src-z0.custom", "-Fc"}}) {
      std::vector<std::string> argv = {pgBinDir() + "/pg_dump", fmt};
      if (std::string(file) == "src-z0.custom") argv.push_back("-Z0");
      for (const auto& a : server_->clientArgs()) argv.push_back(a);
      argv.insert(argv.end(), {"-f", dir_ + "/" + file, "src"});
      auto d = run(argv);
      ASSERT_EQ(d.exitCode, 0) << d.err;
    }
  }
  static void TearDownTestSuite() {
    delete server_;
    removeTree(dir_);
  }

  static std::vector<std::string> databases() {
    auto r = server_->psql("postgres", "SELECT datname FROM pg_database ORDER BY 1;");
    std::vector<std::string> out;
    size_t start = 0;
    while (start < r.out.size()) {
      size_t nl = r.out.find('\n', start);
      if (nl == std::string::npos) nl = r.out.size();
      out.push_back(r.out.substr(start, nl - start));
      start = nl + 1;
    }
    return out;
  }

  static CommandResult verifyOnServer(const std::string& archive) {
    std::vector<std::string> argv = {pgarcBinary(), "verify", "--restore-check"};
    for (const auto& a : server_->clientArgs()) argv.push_back(a);
    argv.push_back(archive);
    return run(argv);
  }

  static PgServer* server_;
  static std::string dir_;
};

PgServer* VerifyRestoreCheck::server_ = nullptr;
std::string VerifyRestoreCheck::dir_;

TEST_F(VerifyRestoreCheck, EveryFormatRestoresAndReadsBackIdentically) {
  auto before = databases();
  for (const char* f : {"src.custom", "src.dir", "src.tar", "src-z0.custom"}) {
    auto r = verifyOnServer(dir_ + "/" + f);
    EXPECT_EQ(r.exitCode, 0) << f << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find("2 of 2 tables match the archive (row counts and COPY checksums)"), std::string::npos)
        << f << "\n" << r.out;
  }
  EXPECT_EQ(databases(), before) << "a scratch database was left behind";
}

TEST_F(VerifyRestoreCheck, ThrowawayServerAndManifest) {
  std::string p = dir_ + "/with-manifest.custom";
  fs::copy_file(dir_ + "/src.custom", p, fs::copy_options::overwrite_existing);
  auto w = run({pgarcBinary(), "verify", "--write-manifest", p});
  ASSERT_EQ(w.exitCode, 0) << w.out << w.err;
  auto r = run({pgarcBinary(), "verify", "--restore-check", p});
  EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("restore check on a throwaway server"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 of 2 tables match the manifest"), std::string::npos) << r.out;
  // The throwaway server's directory is gone.
  size_t at = r.out.find("throwaway server in ");
  ASSERT_NE(at, std::string::npos);
  std::string dir = r.out.substr(at + 20, r.out.find('\n', at) - at - 20);
  EXPECT_FALSE(fs::exists(dir)) << dir;
}

TEST_F(VerifyRestoreCheck, WellFormedButUnloadableDataIsCaught) {
  // One even number becomes odd: the COPY text stays well formed (static
  // checks pass) but the CHECK constraint rejects the whole table on load.
  std::string bytes = readFile(dir_ + "/src-z0.custom");
  // -Z0 writes one chunk per row: Int 3 (sign byte, 4 bytes LE) then "42\n".
  const std::string row = std::string("\x00\x03\x00\x00\x00", 5) + "42\n";
  size_t at = bytes.find(row);
  ASSERT_NE(at, std::string::npos);
  bytes[at + 6] = '3';
  std::string p = dir_ + "/unloadable.custom";
  writeFile(p, bytes);
  auto plain = run({pgarcBinary(), "verify", "--no-manifest", p});
  EXPECT_EQ(plain.exitCode, 0) << plain.out;
  auto before = databases();
  auto r = verifyOnServer(p);
  EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("pg_restore into a scratch database failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(TABLE DATA evens): restored table has 0 rows, the archive holds 50"), std::string::npos)
      << r.out;
  EXPECT_EQ(databases(), before);
}

}  // namespace
