#pragma once
// A GoogleTest suite that shares one PostgreSQL server and one database made
// from a fixture script, set up once for the suite. `Suite` is the deriving
// class (each suite gets its own server); it calls setUpDatabase from its
// SetUpTestSuite.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"

namespace pgarc::test {

template <class Suite>
class DatabaseSuite : public ::testing::Test {
 protected:
  static void setUpDatabase(const std::string& db, const char* fixtureSql, const std::string& tempPrefix) {
    server_ = new PgServer();
    if (!server_->started()) return;
    server_->createDatabase(db);
    auto r = server_->psql(db, fixtureSql);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    dir_ = makeTempDir(tempPrefix);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    if (!dir_.empty()) removeTree(dir_);
  }
  void SetUp() override {
    if (!server_ || !server_->started()) GTEST_SKIP() << "no server: " << (server_ ? server_->startupError() : "");
  }

  // Stock pg_restore's script of an archive (with `extra` options) under a
  // fixed --restrict-key, so that two scripts compare equal; expects success.
  static std::string restoreScript(const std::string& archive, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {pgBinDir() + "/pg_restore", "-f", "-", "--restrict-key=K"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(archive);
    auto r = run(argv);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return r.out;
  }
  // Stock pg_restore -l without its header (which has the creation time):
  // the entries with their dumpIds.
  static std::string listing(const std::string& archive) {
    auto r = run({pgBinDir() + "/pg_restore", "-l", archive});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    size_t at = r.out.find("\n;\n;\n");
    return at == std::string::npos ? r.out : r.out.substr(at);
  }

  static inline PgServer* server_ = nullptr;
  static inline std::string dir_;
};

}  // namespace pgarc::test
