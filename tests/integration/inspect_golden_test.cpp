// Golden end-to-end tests: `pgarc inspect` must print byte for byte what stock
// pg_restore 15 prints, for the committed fixture archives and for archives
// freshly made by stock pg_dump 15 from fixtures/sample.sql, in every format.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"

namespace pgarc::test {
namespace {

namespace fs = std::filesystem;

// Every archive fixtures/make-archives.sh writes (and fixtures/archives holds).
const std::vector<std::string> kArchives = {
    "sample.custom", "sample-z0.custom", "sample-pipe.custom", "sample.dir",   "sample-z0.dir",
    "sample.tar",    "schema-only.custom", "empty.custom",     "empty.tar",
};

// Same key for both tools so the \restrict lines can be compared.
const std::string kRestrictKey = "pgarcGoldenKey0123456789";

struct Variant {
  std::string name;
  std::vector<std::string> args;  // "@LIST@" / "@REVERSED@" are replaced by -L list file paths
  // pg_restore may refuse this one on some archives (tar cannot restore data
  // out of order); then pgarc must refuse it too.
  bool stockMayFail = false;
};

const std::vector<Variant>& listVariants() {
  static const std::vector<Variant> v = {
      {"list", {"-l"}},
      {"list schema app", {"-l", "-n", "app"}},
      {"list schema-only", {"-l", "-s"}},
      {"list data-only", {"-l", "-a"}},
      {"list table", {"-l", "-t", "customers"}},
      {"list verbose", {"-l", "-v"}},
  };
  return v;
}

const std::vector<Variant>& scriptVariants() {
  static const std::vector<Variant> v = {
      {"plain", {}},
      {"create", {"--create"}},
      {"schema-only", {"-s"}},
      {"data-only", {"-a"}},
      {"no owner, no privileges", {"-O", "-x"}},
      {"clean if-exists", {"-c", "--if-exists"}},
      {"clean create", {"-c", "-C"}},
      {"section data", {"--section=data"}},
      {"sections pre and post", {"--section=pre-data", "--section=post-data"}},
      {"schema app", {"-n", "app"}},
      {"exclude schema app", {"-N", "app"}},
      {"awkward schema", {"-n", "weird \"schema\" ü"}},
      {"table", {"-t", "customers"}},
      {"tables and index", {"-t", "bulk", "-t", "all_types", "-I", "customers_lower_email"}},
      {"function and trigger", {"-P", "greet(text)", "-T", "customers_touch"}},
      {"use list", {"-L", "@LIST@"}},
      {"use list, reordered", {"-L", "@REVERSED@"}, true},
      {"single transaction, no comments", {"-1", "--no-comments"}},
      {"data-only disable triggers", {"-a", "--disable-triggers", "-S", "postgres"}},
      {"no publications, subscriptions, tam", {"--no-publications", "--no-subscriptions", "--no-table-access-method", "--no-tablespaces"}},
      {"set session authorization", {"--use-set-session-authorization"}},
      {"role and row security", {"--role=pgarc_owner", "--enable-row-security"}},
  };
  return v;
}

std::string joinArgs(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += (s.empty() ? "" : " ") + shellQuote(a);
  return s;
}

std::string firstLines(const std::string& text, size_t n) {
  std::istringstream in(text);
  std::string line, out;
  for (size_t i = 0; i < n && std::getline(in, line); ++i) out += line + "\n";
  return out;
}

// A -L list file: pg_restore -l's listing with every third entry commented
// out, optionally with the entries in reverse order (pg_restore follows the
// order of the list file).
std::string makeListFile(const std::string& listing, bool reversed) {
  std::istringstream in(listing);
  std::vector<std::string> header, entries;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != ';') entries.push_back(line);
    else header.push_back(line);
  }
  std::string out;
  for (const auto& h : header) out += h + "\n";
  if (reversed) std::reverse(entries.begin(), entries.end());
  for (size_t i = 0; i < entries.size(); ++i) out += (i % 3 == 2 ? ";" : "") + entries[i] + "\n";
  return out;
}

class GoldenChecker {
 public:
  GoldenChecker(std::string archive, std::string workDir) : archive_(std::move(archive)), work_(std::move(workDir)) {}

  // Runs both tools with `args` and expects identical stdout.
  void compare(const Variant& variant, bool script) {
    SCOPED_TRACE("variant \"" + variant.name + "\" on " + archive_);
    std::vector<std::string> args;
    for (const auto& a : variant.args) {
      if (a == "@LIST@") args.push_back(listFile(false));
      else if (a == "@REVERSED@") args.push_back(listFile(true));
      else args.push_back(a);
    }
    args.push_back("--restrict-key=" + kRestrictKey);
    if (script) {
      args.push_back("-f");
      args.push_back("-");
    }
    args.push_back(archive_);

    std::vector<std::string> stock = {pgBinDir() + "/pg_restore"};
    stock.insert(stock.end(), args.begin(), args.end());
    std::vector<std::string> ours = {pgarcBinary(), "inspect"};
    ours.insert(ours.end(), args.begin(), args.end());

    CommandResult expected = run(stock);
    CommandResult actual = run(ours);
    if (expected.exitCode != 0 && variant.stockMayFail) {
      EXPECT_EQ(actual.signal, 0) << joinArgs(ours) << " was killed by signal " << actual.signal;
      EXPECT_GT(actual.exitCode, 0) << "pg_restore refused (" << firstLines(expected.err, 2)
                                    << ") but pgarc succeeded: " << joinArgs(ours);
      EXPECT_NE(actual.err.find("pgarc: error: "), std::string::npos) << actual.err;
      return;
    }
    ASSERT_EQ(expected.exitCode, 0) << "stock pg_restore failed: " << joinArgs(stock) << "\n" << expected.err;
    EXPECT_EQ(actual.signal, 0) << joinArgs(ours) << " was killed by signal " << actual.signal;
    EXPECT_EQ(actual.exitCode, 0) << joinArgs(ours) << " failed:\n" << firstLines(actual.err, 10);
    if (actual.out != expected.out) {
      std::string a = work_ + "/pg_restore.out", b = work_ + "/pgarc.out";
      writeFile(a, expected.out);
      writeFile(b, actual.out);
      CommandResult d = run({"diff", "-u", "--label", "pg_restore", "--label", "pgarc inspect", a, b});
      ADD_FAILURE() << "output differs from pg_restore (" << expected.out.size() << " vs " << actual.out.size()
                    << " bytes) for: pgarc inspect " << joinArgs(args) << "\n"
                    << firstLines(d.out, 40);
    }
  }

  void compareAll() {
    ASSERT_TRUE(fs::exists(archive_)) << archive_;
    for (const auto& v : listVariants()) compare(v, false);
    for (const auto& v : scriptVariants()) compare(v, true);
  }

 private:
  std::string listFile(bool reversed) {
    std::string path = work_ + (reversed ? "/use-list-reversed.txt" : "/use-list.txt");
    if (!fs::exists(path)) {
      CommandResult l = run({pgBinDir() + "/pg_restore", "-l", archive_});
      EXPECT_EQ(l.exitCode, 0) << l.err;
      writeFile(path, makeListFile(l.out, reversed));
    }
    return path;
  }

  std::string archive_;
  std::string work_;
};

struct TempDir {
  std::string path = makeTempDir("pgarc-golden-");
  ~TempDir() { removeTree(path); }
};

std::string testName(const testing::TestParamInfo<std::string>& info) {
  std::string n;
  for (char c : info.param) n += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return n;
}

// ------------------------------------------------------------- committed

class CommittedArchiveGolden : public testing::TestWithParam<std::string> {};

TEST_P(CommittedArchiveGolden, InspectMatchesPgRestore) {
  TempDir tmp;
  GoldenChecker checker(sourceDir() + "/fixtures/archives/" + GetParam(), tmp.path);
  checker.compareAll();
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CommittedArchiveGolden, testing::ValuesIn(kArchives), testName);

// ----------------------------------------------------------------- fresh

// One server for all formats (each test runs in its own process under ctest,
// so one test per format would start nine servers): loads fixtures/sample.sql
// with its default, bigger data and writes every archive with stock pg_dump
// via fixtures/make-archives.sh.
TEST(FreshArchiveGolden, EveryFormatMatchesPgRestore) {
  TempDir dir;
  PgServer server;
  ASSERT_TRUE(server.started()) << server.startupError();
  std::string cmd = "PGHOST=" + shellQuote(server.socketDir()) + " PGPORT=" + std::to_string(server.port()) +
                    " PGUSER=postgres PG_BIN=" + shellQuote(pgBinDir()) + " " +
                    shellQuote(sourceDir() + "/fixtures/make-archives.sh") + " " + shellQuote(dir.path + "/archives");
  CommandResult made = runShell(cmd);
  ASSERT_EQ(made.exitCode, 0) << "make-archives.sh failed:\n" << made.out << made.err;
  for (const auto& name : kArchives) {
    TempDir tmp;
    GoldenChecker checker(dir.path + "/archives/" + name, tmp.path);
    checker.compareAll();
  }
}

// Reading from standard input, as pg_restore does without a file name.
TEST(InspectGoldenStdin, CustomAndTarFromStdinMatchPgRestore) {
  for (const std::string name : {"sample.custom", "sample-pipe.custom", "sample.tar"}) {
    SCOPED_TRACE(name);
    std::string data = readFile(sourceDir() + "/fixtures/archives/" + name);
    for (const auto& mode : std::vector<std::vector<std::string>>{{"-l"}, {"-f", "-"}}) {
      std::vector<std::string> args = mode;
      args.push_back("--restrict-key=" + kRestrictKey);
      std::vector<std::string> stock = {pgBinDir() + "/pg_restore"}, ours = {pgarcBinary(), "inspect"};
      stock.insert(stock.end(), args.begin(), args.end());
      ours.insert(ours.end(), args.begin(), args.end());
      CommandResult expected = run(stock, data);
      ASSERT_EQ(expected.exitCode, 0) << expected.err;
      CommandResult actual = run(ours, data);
      EXPECT_EQ(actual.exitCode, 0) << firstLines(actual.err, 10);
      EXPECT_TRUE(actual.out == expected.out)
          << "stdin output differs for " << joinArgs(args) << " (" << actual.out.size() << " vs "
          << expected.out.size() << " bytes)";
    }
  }
}

}  // namespace
}  // namespace pgarc::test
