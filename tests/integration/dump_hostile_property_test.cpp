// Randomized comparison with stock pg_dump 15 on generated databases with
// hostile identifiers, comments, literals and data over many object kinds
// (tests/support/hostile_schema.hpp). For every generated database:
//  - `pgarc dump -Fp --restrict-key=K` equals `pg_dump -Fp --restrict-key=K`,
//    also with --inserts, --column-inserts and one randomly chosen option set;
//  - for -Fc, -Fd and -Ft, stock `pg_restore -f -` prints the same script
//    from our archive as from stock pg_dump's, also with --create (and the
//    same pg_restore -l listing for -Fc);
//  - stock pg_restore --exit-on-error restores our archive, and pg_dump -Fp
//    of the restored database equals that of the source.
// A failure reports RapidCheck's shrunk counterexample: the SQL script that
// builds the database and the first difference.
//
// PGARC_HOSTILE_CASES sets the number of generated databases (default 20);
// RC_PARAMS="seed=N" replays a run.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/hostile_schema.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/text_compare.hpp"

using namespace pgarc::test;
namespace hostile = pgarc::test::hostile;

namespace {

constexpr const char* kRestrictKey = "--restrict-key=hostileKey";

// Option sets applied to both tools for one extra plain-format comparison;
// "@schema" becomes a pattern that names the database's first schema.
const std::vector<std::vector<std::string>> kExtraOptionSets = {
    {"--quote-all-identifiers"},
    {"--quote-all-identifiers", "-C"},
    {"-C", "-c", "--if-exists"},
    {"-s"},
    {"-a", "--disable-triggers"},
    {"--no-owner", "--no-privileges"},
    {"--use-set-session-authorization"},
    {"--disable-dollar-quoting"},
    {"--load-via-partition-root", "--inserts"},
    {"--no-comments", "-C"},
    {"-n", "@schema"},
    {"-N", "@schema"},
    {"--exclude-table-data", "@schema.*"},
};

// A libpq connection string value: quoted, with ' and \ escaped.
std::string connValue(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// Database names: plain, or hostile but not parsed as an option, a
// connection string or a URI by pg_dump, and without the newline pg_dump
// refuses in \connect.
std::string databaseName(const std::string& wanted, bool plain, int serial) {
  if (plain) return "hostile_" + std::to_string(serial);
  std::string name = "h";
  for (char c : wanted)
    if (c != '\n' && c != '\r' && c != '=') name += c;
  return hostile::clipUtf8(name, 40) + " #" + std::to_string(serial);
}

class DumpHostile : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<PgServer>();
    if (server_->started()) server_->psql("postgres", hostile::createRolesSql());
  }
  static void TearDownTestSuite() { server_.reset(); }

  static std::string conninfo(const std::string& db) {
    return "host=" + server_->socketDir() + " port=" + std::to_string(server_->port()) +
           " user=postgres dbname=" + connValue(db);
  }
  static CommandResult psqlOn(const std::string& db, const std::string& sql) {
    return run({pgBinDir() + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo(db)}, sql);
  }
  static void dropDatabase(const std::string& db) {
    server_->psql("postgres", "DROP DATABASE IF EXISTS " + hostile::ident(db) + " WITH (FORCE);");
  }
  static std::vector<std::string> tool(bool ours, const std::vector<std::string>& args, const std::string& db) {
    std::vector<std::string> argv = ours ? std::vector<std::string>{pgarcBinary(), "dump"}
                                         : std::vector<std::string>{pgBinDir() + "/pg_dump"};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const auto& a : server_->clientArgs()) argv.push_back(a);
    argv.push_back(db);
    return argv;
  }

  static std::unique_ptr<PgServer> server_;
};
std::unique_ptr<PgServer> DumpHostile::server_;

// Drops the databases a case created, also when RapidCheck's failure
// exception leaves the property early.
struct DatabaseCleanup {
  std::vector<std::string> names;
  std::string dir;
  std::function<void(const std::string&)> drop;
  ~DatabaseCleanup() {
    for (const auto& n : names) drop(n);
    if (!dir.empty()) removeTree(dir);
  }
};

TEST_F(DumpHostile, GeneratedDatabasesMatchStockPgDump) {
  ASSERT_TRUE(server_->started()) << server_->startupError();
  int cases = 20;
  if (const char* env = std::getenv("PGARC_HOSTILE_CASES")) cases = std::atoi(env);
  rc::detail::TestParams params = rc::detail::configuration().testParams;
  params.maxSuccess = cases;
  int serial = 0;

  auto property = [&] {
    const hostile::Database database = *hostile::database();
    const std::string dbWanted = *hostile::hostileName();
    const bool plainDbName = *rc::gen::inRange(0, 3) == 0;
    const std::vector<std::string> extra = *rc::gen::elementOf(kExtraOptionSets);
    const char restoreFormat = *rc::gen::elementOf(std::vector<char>{'c', 'd', 't'});
    const std::string sql = hostile::renderSql(database);

    const std::string db = databaseName(dbWanted, plainDbName, ++serial);
    const std::string restored = "hostile_restored_" + std::to_string(serial);
    DatabaseCleanup cleanup{{db, restored, restored + "_stock"}, makeTempDir("pgarc-hostile-"), dropDatabase};
    const std::string& dir = cleanup.dir;
    auto fail = [&](const std::string& what) {
      writeFile((std::filesystem::temp_directory_path() / "pgarc-hostile-failure.sql").string(), sql);
      RC_FAIL(what + "\n--- database " + db + ", extra options:" +
              [&] {
                std::string s;
                for (const auto& a : extra) s += " " + a;
                return s;
              }() +
              "\n--- SQL:\n" + sql);
    };

    CommandResult created = server_->psql("postgres", "CREATE DATABASE " + hostile::ident(db) + " TEMPLATE template0;");
    RC_ASSERT(created.exitCode == 0);
    CommandResult setup = psqlOn(db, sql);
    if (setup.exitCode != 0) RC_DISCARD("the generated script failed: " + setup.err);

    // Plain format, several option sets.
    std::string schemaPattern = "public";
    if (!database.schemas.empty()) {
      std::string first = hostile::clipUtf8(database.schemas[0]);
      if (first.rfind("pg_", 0) == 0) first = "x" + first;
      schemaPattern = hostile::ident(first);  // double-quoted: wildcards are literal
    }
    std::vector<std::vector<std::string>> plainSets = {
        {}, {"--inserts"}, {"--column-inserts", "--rows-per-insert=2"}, extra};
    std::string sourcePlain;
    for (auto set : plainSets) {
      for (auto& a : set)
        if (a.rfind("@schema", 0) == 0) a = schemaPattern + a.substr(7);
      std::vector<std::string> args = {"-Fp", kRestrictKey};
      args.insert(args.end(), set.begin(), set.end());
      CommandResult stock = run(tool(false, args, db));
      CommandResult ours = run(tool(true, args, db));
      std::string label = "-Fp";
      for (const auto& a : set) label += " " + a;
      if (stock.exitCode != ours.exitCode)
        fail(label + ": exit code " + std::to_string(ours.exitCode) + " (stock " + std::to_string(stock.exitCode) +
             ")\nours: " + ours.err + "\nstock: " + stock.err);
      if (ours.out != stock.out) fail(label + ": " + firstDifference(ours.out, stock.out));
      if (set.empty()) sourcePlain = stock.out;
    }

    // Archive formats through stock pg_restore, plain and with --create.
    const std::string restore = pgBinDir() + "/pg_restore";
    for (char f : {'c', 'd', 't'}) {
      const std::string format = std::string("-F") + f;
      const std::string stockFile = dir + "/stock." + f, oursFile = dir + "/ours." + f;
      CommandResult s = run(tool(false, {format, "-f", stockFile}, db));
      CommandResult o = run(tool(true, {format, "-f", oursFile}, db));
      if (s.exitCode != 0) fail("stock pg_dump " + format + " failed: " + s.err);
      if (o.exitCode != 0) fail("pgarc dump " + format + " failed: " + o.err);
      for (const std::vector<std::string>& opts : {std::vector<std::string>{}, std::vector<std::string>{"-C"}}) {
        std::vector<std::string> a = {restore, kRestrictKey, "-f", "-"};
        a.insert(a.end(), opts.begin(), opts.end());
        std::vector<std::string> b = a;
        a.push_back(stockFile);
        b.push_back(oursFile);
        CommandResult stockScript = run(a), oursScript = run(b);
        const std::string label = "pg_restore " + format + (opts.empty() ? "" : " -C");
        if (oursScript.exitCode != 0) fail(label + " of our archive failed: " + oursScript.err);
        if (oursScript.out != stockScript.out) fail(label + ": " + firstDifference(oursScript.out, stockScript.out));
      }
      if (f == 'c') {
        const std::string stockList = withoutArchiveTimestamp(run({restore, "-l", stockFile}).out);
        const std::string oursList = withoutArchiveTimestamp(run({restore, "-l", oursFile}).out);
        if (oursList != stockList) fail("pg_restore -l: " + firstDifference(oursList, stockList));
      }
    }

    // Stock pg_restore --exit-on-error restores our archive to the same database.
    auto restoreInto = [&](const std::string& target, const std::string& archive) {
      server_->psql("postgres", "CREATE DATABASE " + hostile::ident(target) + " TEMPLATE template0;");
      std::vector<std::string> argv = {restore, "--exit-on-error", "-d", target};
      for (const auto& a : server_->clientArgs()) argv.push_back(a);
      argv.push_back(archive);
      CommandResult r = run(argv);
      CommandResult dump = run(tool(false, {"-Fp", kRestrictKey}, target));
      return std::make_pair(r, dump.out);
    };
    const std::string archive = dir + "/ours." + restoreFormat;
    auto [ours, oursDump] = restoreInto(restored, archive);
    if (ours.exitCode != 0 || oursDump != sourcePlain) {
      // Not ours to fix when stock pg_dump's own archive restores the same way.
      auto [stock, stockDump] = restoreInto(restored + "_stock", dir + "/stock." + restoreFormat);
      if (ours.exitCode != 0 && (stock.exitCode == 0 || stock.err != ours.err))
        fail("pg_restore --exit-on-error of our -F" + std::string(1, restoreFormat) + " archive failed: " + ours.err);
      if (oursDump != stockDump)
        fail("pg_dump -Fp of the database restored from our -F" + std::string(1, restoreFormat) +
             " archive differs from the source: " + firstDifference(oursDump, sourcePlain));
      RC_CLASSIFY(true, "stock pg_dump's archive does not round-trip either");
    }
  };

  rc::detail::TestMetadata metadata;
  metadata.id = metadata.description = "generated hostile databases: pgarc dump equals stock pg_dump 15";
  const auto result = rc::detail::checkTestable(property, metadata, params);
  rc::detail::printResultMessage(result, std::cerr);
  std::cerr << "\n";
  EXPECT_TRUE(result.template is<rc::detail::SuccessResult>()) << "see the counterexample above";
}

}  // namespace
