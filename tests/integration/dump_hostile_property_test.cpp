// Randomized comparison with stock pg_dump 15 on generated databases with
// hostile identifiers, comments, literals and data over many object kinds
// (tests/support/hostile_schema.hpp). For every generated database:
//  - `pgarc dump -Fp --restrict-key=K` equals `pg_dump -Fp --restrict-key=K`,
//    also with --inserts, --column-inserts, -E and two randomly chosen option
//    sets (-E and the first set also through -Fc);
//  - for -Fc, -Fd and -Ft, stock `pg_restore -f -` prints the same script
//    from our archive as from stock pg_dump's, also with --create (and the
//    same pg_restore -l listing for -Fc), and our -Fd -j2 prints what stock's
//    serial -Fd does, listing included;
//  - our -Fc and -Ft archives and -Fd files are stock's bytes but for the
//    creation time and tar members' times;
//  - stock pg_restore --exit-on-error restores our archive, and pg_dump -Fp
//    of the restored database equals that of the source.
// A failure reports RapidCheck's shrunk counterexample: the SQL script that
// builds the database and the first difference.
//
// Databases are UTF8, LATIN1 or SQL_ASCII (hostile_schema.hpp, Database::encoding),
// and one plain comparison converts with -E.
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

// Option sets applied to both tools for two extra plain-format comparisons,
// and the first of them to one -Fc comparison through pg_restore; "@schema"
// becomes a pattern that names the database's first schema.
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
    {"-t", "@schema.*"},
    {"-T", "@schema.*", "-c"},
    {"--binary-upgrade", "-s", "--quote-all-identifiers"},
    {"--no-subscriptions", "--no-publications", "--no-security-labels"},
    {"--no-table-access-method", "--no-tablespaces", "--no-toast-compression"},
    {"--section=pre-data"},
    {"--section=post-data", "-c", "--if-exists"},
    {"--section=data", "--column-inserts", "--on-conflict-do-nothing"},
    {"--enable-row-security"},
    {"--extra-float-digits=0", "--inserts"},
    {"-B", "--no-unlogged-table-data"},
    {"--include-foreign-data=*"},
};

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
           " user=postgres dbname=" + hostile::conninfoValue(db);
  }
  static CommandResult psqlOn(const std::string& db, const std::string& sql) {
    return run({pgBinDir() + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo(db)}, sql);
  }
  static void dropDatabase(const std::string& db) {
    // A subscription keeps its database from being dropped, and one with a
    // slot can only be dropped once it forgets the slot.
    psqlOn(db,
           "SELECT format('ALTER SUBSCRIPTION %I DISABLE', subname), format('ALTER SUBSCRIPTION %I SET (slot_name = "
           "NONE)', subname), format('DROP SUBSCRIPTION %I', subname) FROM pg_subscription s JOIN pg_database d ON "
           "d.oid = s.subdbid WHERE d.datname = current_database() \\gexec\n");
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
  int discarded = 0;
  std::string firstDiscard;
  // RapidCheck reports the description of its last run of the shrunk case,
  // which is a success when a failure does not reproduce: keep every one.
  std::vector<std::string> failures;

  auto property = [&] {
    const hostile::Database database = *hostile::database();
    const std::string dbWanted = *hostile::hostileName();
    const bool plainDbName = *rc::gen::inRange(0, 3) == 0;
    const auto extras = *rc::gen::container<std::vector<std::vector<std::string>>>(2, rc::gen::elementOf(kExtraOptionSets));
    const char restoreFormat = *rc::gen::elementOf(std::vector<char>{'c', 'd', 't'});
    const std::string sql = hostile::renderSql(database);

    const std::string db = databaseName(dbWanted, plainDbName, ++serial);
    const std::string restored = "hostile_restored_" + std::to_string(serial);
    DatabaseCleanup cleanup{{db, restored, restored + "_stock"}, makeTempDir("pgarc-hostile-"), dropDatabase};
    const std::string& dir = cleanup.dir;
    auto fail = [&](const std::string& what) {
      writeFile((std::filesystem::temp_directory_path() / "pgarc-hostile-failure.sql").string(), sql);
      std::string options;
      for (const auto& set : extras) {
        options += " [";
        for (const auto& a : set) options += " " + a;
        options += " ]";
      }
      const std::string message = what + "\n--- database " + db + ", extra options:" + options + "\n--- SQL:\n" + sql;
      failures.push_back(message);
      RC_FAIL(message);
    };

    const std::string createOptions =
        " TEMPLATE template0 ENCODING " + hostile::literal(database.encoding) + " LOCALE 'C';";
    CommandResult created = server_->psql("postgres", "CREATE DATABASE " + hostile::ident(db) + createOptions);
    RC_ASSERT(created.exitCode == 0);
    CommandResult setup = psqlOn(db, sql);
    if (setup.exitCode != 0) {
      if (discarded++ == 0) firstDiscard = setup.err + "\n--- SQL:\n" + sql;
      RC_DISCARD("the generated script failed: " + setup.err);
    }

    // Plain format, several option sets.
    std::string schemaPattern = "public";
    if (!database.schemas.empty()) {
      std::string first = hostile::clipUtf8(database.schemas[0]);
      if (first.rfind("pg_", 0) == 0) first = "x" + first;
      schemaPattern = hostile::ident(first);  // double-quoted: wildcards are literal
    }
    // -E: to UTF8 from the single-byte encodings; SQL_ASCII passes UTF8 through unconverted.
    const std::vector<std::string> clientEncoding = {"-E", database.encoding == "UTF8" ? "SQL_ASCII" : "UTF8"};
    auto expand = [&](std::vector<std::string> set) {
      for (auto& a : set)
        if (a.rfind("@schema", 0) == 0) a = schemaPattern + a.substr(7);
      return set;
    };
    std::vector<std::vector<std::string>> plainSets = {
        {}, {"--inserts"}, {"--column-inserts", "--rows-per-insert=2"}, extras[0], extras[1], clientEncoding};
    std::string sourcePlain;
    for (auto set : plainSets) {
      set = expand(set);
      std::vector<std::string> args = {"-Fp", kRestrictKey};
      args.insert(args.end(), set.begin(), set.end());
      CommandResult stock = run(tool(false, args, db));
      CommandResult ours = run(tool(true, args, db));
      std::string label = "-Fp";
      for (const auto& a : set) label += " " + a;
      if (stock.exitCode != ours.exitCode)
        fail(label + ": exit code " + std::to_string(ours.exitCode) + " (stock " + std::to_string(stock.exitCode) +
             ")\nours: " + ours.err + "\nstock: " + stock.err);
      // A failed pg_dump has written what came before the error; pgarc writes
      // nothing then (no truncated script that looks complete).
      if (stock.exitCode == 0 && ours.out != stock.out) fail(label + ": " + firstDifference(ours.out, stock.out));
      if (set.empty()) sourcePlain = stock.out;
    }

    // Archive formats through stock pg_restore, plain and with --create.
    const std::string restore = pgBinDir() + "/pg_restore";
    auto compareArchives = [&](const std::string& format, const std::string& stockFile, const std::string& oursFile,
                               bool compareList) {
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
      if (compareList) {
        const std::string stockList = withoutArchiveTimestamp(run({restore, "-l", stockFile}).out);
        const std::string oursList = withoutArchiveTimestamp(run({restore, "-l", oursFile}).out);
        if (oursList != stockList) fail("pg_restore -l " + format + ": " + firstDifference(oursList, stockList));
      }
    };
    // -Fc and -Ft archives and every file of stock's -Fd directory are the
    // same bytes but for the creation time and the tar members' times.
    auto compareBytes = [&](const std::string& label, const std::string& stockPath, const std::string& oursPath) {
      const bool tar = label == "-Ft";
      const std::string stockBytes = tar ? withoutTarTimes(readFile(stockPath)) : withoutCreationTime(readFile(stockPath));
      const std::string oursBytes = tar ? withoutTarTimes(readFile(oursPath)) : withoutCreationTime(readFile(oursPath));
      if (oursBytes != stockBytes) fail(label + " bytes: " + firstDifference(oursBytes, stockBytes));
    };
    auto compareDirectoryBytes = [&](const std::string& label, const std::string& stockDir, const std::string& oursDir) {
      for (const auto& file : std::filesystem::directory_iterator(stockDir)) {
        const std::string name = file.path().filename().string();
        compareBytes(label + " " + name, file.path().string(), oursDir + "/" + name);
      }
    };
    for (char f : {'c', 'd', 't'}) {
      const std::string format = std::string("-F") + f;
      const std::string stockFile = dir + "/stock." + f, oursFile = dir + "/ours." + f;
      CommandResult s = run(tool(false, {format, "-f", stockFile}, db));
      CommandResult o = run(tool(true, {format, "-f", oursFile}, db));
      if (s.exitCode != 0) fail("stock pg_dump " + format + " failed: " + s.err);
      if (o.exitCode != 0) fail("pgarc dump " + format + " failed: " + o.err);
      compareArchives(format, stockFile, oursFile, f == 'c');
      if (f != 'd') compareBytes(format, stockFile, oursFile);
      if (f == 'd') compareDirectoryBytes(format, stockFile, oursFile);
    }
    // A parallel directory dump tells the same as stock's serial one.
    const std::string parallelFile = dir + "/ours-parallel.d";
    CommandResult parallel = run(tool(true, {"-Fd", "-j2", "-f", parallelFile}, db));
    if (parallel.exitCode != 0) fail("pgarc dump -Fd -j2 failed: " + parallel.err);
    compareArchives("-Fd -j2", dir + "/stock.d", parallelFile, true);
    compareDirectoryBytes("-Fd -j2", dir + "/stock.d", parallelFile);

    // The first extra option set and the -E conversion through the custom format.
    int customSerial = 0;
    for (const auto& set : {expand(extras[0]), clientEncoding}) {
      std::string label = "-Fc";
      for (const auto& a : set) label += " " + a;
      const std::string name = "/extra" + std::to_string(++customSerial) + ".c";
      std::vector<std::string> args = {"-Fc", "-f", dir + "/stock" + name};
      args.insert(args.end(), set.begin(), set.end());
      CommandResult stockExtra = run(tool(false, args, db));
      args[2] = dir + "/ours" + name;
      CommandResult oursExtra = run(tool(true, args, db));
      if (stockExtra.exitCode != oursExtra.exitCode)
        fail(label + ": exit code " + std::to_string(oursExtra.exitCode) + " (stock " +
             std::to_string(stockExtra.exitCode) + ")\nours: " + oursExtra.err + "\nstock: " + stockExtra.err);
      if (stockExtra.exitCode != 0) continue;
      compareArchives(label, dir + "/stock" + name, dir + "/ours" + name, true);
      compareBytes(label, dir + "/stock" + name, dir + "/ours" + name);
    }

    // Stock pg_restore --exit-on-error restores our archive to the same database.
    auto restoreInto = [&](const std::string& target, const std::string& archive) {
      server_->psql("postgres", "CREATE DATABASE " + hostile::ident(target) + createOptions);
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
  // A script that fails is a generator bug that hides coverage: say so.
  std::cerr << "\n" << discarded << " generated scripts failed and were discarded\n";
  if (discarded) std::cerr << "the first one: " << firstDiscard.substr(0, 4000) << "\n";
  std::cerr << failures.size() << " failing runs (the property and its shrinking)\n";
  if (!failures.empty()) std::cerr << "the first one: " << failures.front().substr(0, 6000) << "\n";
  EXPECT_TRUE(result.template is<rc::detail::SuccessResult>()) << "see the counterexample above";
}

}  // namespace
