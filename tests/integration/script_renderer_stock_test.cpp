// renderScript / renderList against stock pg_restore 15, byte for byte, on
// archives stock pg_dump 15 makes from databases full of awkward objects:
// quotes, spaces, newlines and non-ASCII in names and comments, keywords as
// names, every common object kind, ACLs, default privileges, large objects
// (with comments, ACLs, owners, empty and >16 kB), publications and a
// subscription, a tablespace, partitions, extensions, event triggers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "format/archive_reader.hpp"
#include "format/io.hpp"
#include "format/script_renderer.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/text_compare.hpp"
#include "tests/support/process.hpp"

namespace pgarc::test {
namespace {

const char* kHostileSql = R"SQL(CREATE ROLE "app owner" LOGIN;
CREATE ROLE reader;
CREATE EXTENSION hstore;
CREATE EXTENSION pg_trgm;
CREATE SCHEMA app;
CREATE SCHEMA "Weird ""Schema"" ü" AUTHORIZATION "app owner";
COMMENT ON SCHEMA app IS 'app schema
with newline';
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN app.posint AS integer CHECK (VALUE > 0);
CREATE TYPE app.floatrange AS RANGE (subtype = float8);
CREATE TABLE app.customers (id serial PRIMARY KEY, name text NOT NULL, note text, mood app.mood, tags hstore, balance numeric(10,2));
COMMENT ON TABLE app.customers IS 'customers, with ''quotes''';
COMMENT ON COLUMN app.customers.name IS 'the name';
INSERT INTO app.customers (name, note, mood, tags, balance) VALUES ('plain', NULL, 'ok', 'a=>1', 1.5), ('tab	here', 'back\slash', 'sad', NULL, 2), ('ünï', E'new\nline', 'happy', 'x=>"y z"', NULL);
CREATE TABLE app.orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id int REFERENCES app.customers(id) ON DELETE CASCADE, qty app.posint, at timestamptz DEFAULT now());
INSERT INTO app.orders (customer_id, qty, at) VALUES (1, 3, '2020-01-01'), (2, 5, '2021-01-01');
CREATE INDEX orders_customer_idx ON app.orders (customer_id);
CREATE INDEX customers_name_trgm ON app.customers USING gin (name gin_trgm_ops);
CREATE TABLE "Weird ""Schema"" ü"."Table with ""quotes"" and spaces" ("Col 1" int, "new
line col" text);
ALTER TABLE "Weird ""Schema"" ü"."Table with ""quotes"" and spaces" OWNER TO "app owner";
INSERT INTO "Weird ""Schema"" ü"."Table with ""quotes"" and spaces" VALUES (1, 'a'), (2, E'b\nc');
CREATE TABLE app."tab
newline" (x int);
COMMENT ON TABLE app."tab
newline" IS 'comment with
newline';
CREATE VIEW app.customer_names AS SELECT id, name FROM app.customers;
CREATE MATERIALIZED VIEW app.order_totals AS SELECT customer_id, sum(qty) AS total FROM app.orders GROUP BY customer_id;
CREATE FUNCTION app.add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.at := now(); RETURN NEW; END$$;
CREATE PROCEDURE app.noop() LANGUAGE sql AS $$SELECT 1$$;
CREATE AGGREGATE app.mysum(integer) (sfunc = int4pl, stype = integer);
CREATE TRIGGER orders_touch BEFORE INSERT ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE RULE customers_log AS ON UPDATE TO app.customers DO ALSO NOTIFY customers;
ALTER TABLE app.customers ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON app.customers USING (name = current_user);
CREATE SEQUENCE app.order_seq START 100;
SELECT setval('app.order_seq', 104);
CREATE TABLE app.events (id int, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE app.events_2020 PARTITION OF app.events FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
INSERT INTO app.events VALUES (1, '2020-05-05');
ALTER TABLE app.customers ADD CONSTRAINT name_not_empty CHECK (name <> '') NOT VALID;
CREATE TABLE public.lonely (v text);
INSERT INTO public.lonely VALUES ('\.'), ('\N'), (NULL);
GRANT USAGE ON SCHEMA app TO reader;
GRANT SELECT ON app.customers TO reader;
GRANT SELECT (qty) ON app.orders TO reader;
REVOKE ALL ON FUNCTION app.add(integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.add(integer, integer) TO reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO reader;
CREATE FUNCTION app.evt_fn() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;
CREATE EVENT TRIGGER evt ON ddl_command_start EXECUTE FUNCTION app.evt_fn();
COMMENT ON EVENT TRIGGER evt IS 'evt comment';
SELECT lo_from_bytea(424242, decode($$00ff4142$$, $$hex$$));
COMMENT ON LARGE OBJECT 424242 IS 'a large object';
GRANT SELECT ON LARGE OBJECT 424242 TO reader;
SELECT lo_from_bytea(424243, convert_to(repeat('big', 3000), 'UTF8'));
CREATE PUBLICATION pub FOR TABLE app.customers;
COMMENT ON DATABASE hostile IS 'db comment';
ALTER DATABASE hostile SET work_mem = '8MB';
GRANT CONNECT ON DATABASE hostile TO reader;
)SQL";

// Loaded into a database whose name needs quoting in \connect.
const char* kExtraSql = R"SQL(CREATE TABLESPACE "my space" LOCATION '@TS@';
CREATE ROLE "Mixed Case";
CREATE ROLE "select";
CREATE SCHEMA "select" AUTHORIZATION "select";
CREATE TABLE "select"."from" (id int, "order" text) TABLESPACE "my space";
ALTER TABLE "select"."from" OWNER TO "Mixed Case";
INSERT INTO "select"."from" VALUES (1, 'it''s'), (2, E'back\\slash');
CREATE INDEX from_idx ON "select"."from" (id) TABLESPACE "my space";
CREATE TABLE public.parted (k int, v text) PARTITION BY LIST (k);
CREATE TABLE public.parted_1 PARTITION OF public.parted FOR VALUES IN (1);
INSERT INTO public.parted VALUES (1, 'one');
SELECT lo_create(7001);
SELECT lo_from_bytea(7002, convert_to(repeat('0123456789abcdef', 3000), 'UTF8'));
ALTER LARGE OBJECT 7002 OWNER TO "Mixed Case";
CREATE PUBLICATION "pub 2" FOR ALL TABLES;
COMMENT ON PUBLICATION "pub 2" IS 'pub comment';
CREATE FUNCTION public."weird fn"(x text DEFAULT 'a''b') RETURNS text LANGUAGE sql AS $$SELECT x$$;
ALTER FUNCTION public."weird fn"(text) OWNER TO "Mixed Case";
CREATE COLLATION public.mycoll (provider = icu, locale = 'und');
CREATE TEXT SEARCH CONFIGURATION public.mycfg (COPY = pg_catalog.english);
CREATE FOREIGN DATA WRAPPER fdw1;
CREATE SERVER srv1 FOREIGN DATA WRAPPER fdw1;
CREATE USER MAPPING FOR "Mixed Case" SERVER srv1;
CREATE OPERATOR public.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = int4eq);
CREATE STATISTICS public.st1 ON k, v FROM public.parted_1;
CREATE TYPE public.comp AS (a int, b text);
CREATE CAST (public.comp AS text) WITH INOUT;
CREATE CONVERSION public.myconv FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
CREATE TABLE public.unlogged_t (a int);
ALTER TABLE public.unlogged_t DROP COLUMN a;
CREATE SUBSCRIPTION "sub 1" CONNECTION 'dbname=nosuch' PUBLICATION p WITH (connect = false);
COMMENT ON SUBSCRIPTION "sub 1" IS 'sc';
CREATE PUBLICATION p2 FOR TABLES IN SCHEMA public;
-- Labels without a provider, straight into the catalogs: pg_restore 15.15
-- and later leave them out with --no-publications / --no-subscriptions.
SET allow_system_table_mods = on;
INSERT INTO pg_catalog.pg_seclabel SELECT oid, 'pg_publication'::regclass, 0, 'dummy', 'secret'
  FROM pg_publication WHERE pubname = 'pub 2';
INSERT INTO pg_catalog.pg_shseclabel SELECT oid, 'pg_subscription'::regclass, 'dummy', 'secret'
  FROM pg_subscription WHERE subname = 'sub 1';
)SQL";

const std::string kRestrictKey = "scriptRendererStockKey42";

// pg_restore's arguments, turned into the same RestoreOptions pgarc uses.
RestoreOptions toOptions(const std::vector<std::string>& args, const std::string& listFileText) {
  RestoreOptions o;
  o.restrictKey = kRestrictKey;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&] { return args.at(++i); };
    if (a == "-C") o.create = true;
    else if (a == "-c") o.clean = true;
    else if (a == "--if-exists") o.ifExists = true;
    else if (a == "-s") o.schemaOnly = true;
    else if (a == "-a") o.dataOnly = true;
    else if (a == "-O") o.noOwner = true;
    else if (a == "-x") o.noPrivileges = true;
    else if (a == "-v") o.verbose = true;
    else if (a == "-1") o.singleTransaction = true;
    else if (a == "-n") o.schemaNames.push_back(value());
    else if (a == "-N") o.excludeSchemaNames.push_back(value());
    else if (a == "-t") o.tableNames.push_back(value());
    else if (a == "-T") o.triggerNames.push_back(value());
    else if (a == "-I") o.indexNames.push_back(value());
    else if (a == "-P") o.functionNames.push_back(value());
    else if (a == "-S") o.superuser = value();
    else if (a == "-L") { (void)value(); o.listFile = listFileText; }
    else if (a == "--section=pre-data") o.sections |= 1;
    else if (a == "--section=data") o.sections |= 2;
    else if (a == "--section=post-data") o.sections |= 4;
    else if (a == "--no-comments") o.noComments = true;
    else if (a == "--no-publications") o.noPublications = true;
    else if (a == "--no-security-labels") o.noSecurityLabels = true;
    else if (a == "--no-subscriptions") o.noSubscriptions = true;
    else if (a == "--no-tablespaces") o.noTablespaces = true;
    else if (a == "--no-table-access-method") o.noTableAccessMethod = true;
    else if (a == "--use-set-session-authorization") o.useSetSessionAuthorization = true;
    else if (a == "--disable-triggers") o.disableTriggers = true;
    else if (a == "--enable-row-security") o.enableRowSecurity = true;
    else if (a == "--strict-names") o.strictNames = true;
    else if (a.rfind("--role=", 0) == 0) o.role = a.substr(7);
    else ADD_FAILURE() << "test does not map pg_restore option " << a;
  }
  return o;
}

// "-- Completed on <now>" is the only text that differs from run to run.
std::string normaliseCompletion(std::string s) {
  const std::string marker = "-- Completed on ";
  size_t at = s.find(marker);
  if (at != std::string::npos) s.replace(at, s.find('\n', at) - at, marker + "<time>");
  return s;
}

// Equality with a short report: the first differing line and its number.
testing::AssertionResult sameText(const std::string& expected, const std::string& actual) {
  if (expected == actual) return testing::AssertionSuccess();
  std::istringstream e(expected), a(actual);
  std::string le, la;
  for (int line = 1;; ++line) {
    bool he = static_cast<bool>(std::getline(e, le)), ha = static_cast<bool>(std::getline(a, la));
    if (!he && !ha) break;
    if (he != ha || le != la)
      return testing::AssertionFailure() << "first difference at line " << line << "\n  pg_restore: "
                                         << (he ? le.substr(0, 200) : "<end>") << "\n  pgarc:      "
                                         << (ha ? la.substr(0, 200) : "<end>");
  }
  return testing::AssertionFailure() << "outputs differ only in the final newline";
}

struct Case {
  std::string archive;
  std::vector<std::string> args;
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.archive;
  for (const auto& a : c.args) *os << " " << a;
}

std::string caseName(const testing::TestParamInfo<Case>& info) {
  std::string n = info.param.archive + "_";
  for (const auto& a : info.param.args) n += a + "_";
  std::string out;
  for (char c : n) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out + std::to_string(info.index);
}

class ScriptRendererStock : public testing::TestWithParam<Case> {
 protected:
  static void SetUpTestSuite() {
    dir_ = makeTempDir("pgarc-script-stock-");
    server_ = std::make_unique<PgServer>();
    if (!server_->started()) {
      setupError_ = "server did not start: " + server_->startupError();
      return;
    }
    const std::string ts = server_->socketDir() + "/ts";
    runShell("mkdir -p " + shellQuote(ts) + (geteuid() == 0 ? " && chown postgres " + shellQuote(ts) : ""));
    std::string extra = kExtraSql;
    extra.replace(extra.find("@TS@"), 4, ts);
    writeFile(dir_ + "/hostile.sql", kHostileSql);
    writeFile(dir_ + "/extra.sql", extra);
    server_->createDatabase("hostile");
    server_->createDatabase("Hostile DB-ü");
    // The database names are passed as conninfo values so spaces survive.
    for (const auto& [db, file] : {std::pair<std::string, std::string>{"hostile", "hostile.sql"},
                                   {"Hostile DB-ü", "extra.sql"}}) {
      std::vector<std::string> psql = {pgBinDir() + "/psql"};
      for (const auto& a : server_->clientArgs()) psql.push_back(a);
      for (const std::string a : {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-f"}) psql.push_back(a);
      psql.push_back(dir_ + "/" + file);
      psql.push_back("-d");
      psql.push_back("dbname='" + db + "'");
      CommandResult r = run(psql);
      if (r.exitCode != 0) {
        setupError_ = "loading " + file + " failed: " + r.err;
        return;
      }
    }
    struct Dump { std::string name, db, env; std::vector<std::string> args; };
    const std::vector<Dump> dumps = {
        {"hostile.custom", "hostile", "", {"-Fc"}},
        {"hostile.dir", "hostile", "", {"-Fd"}},
        {"hostile.tar", "hostile", "", {"-Ft"}},
        {"extra.custom", "Hostile DB-ü", "", {"-Fc"}},
        {"extra-inserts.dir", "Hostile DB-ü", "", {"-Fd", "--inserts", "--load-via-partition-root"}},
        {"extra-nonstandard.custom", "Hostile DB-ü", "PGOPTIONS='-c standard_conforming_strings=off' ", {"-Fc"}},
    };
    for (const auto& d : dumps) {
      std::string cmd = d.env + shellQuote(pgBinDir() + "/pg_dump");
      for (const auto& a : server_->clientArgs()) cmd += " " + shellQuote(a);
      for (const auto& a : d.args) cmd += " " + shellQuote(a);
      cmd += " -f " + shellQuote(dir_ + "/" + d.name) + " " + shellQuote(d.db);
      CommandResult r = runShell(cmd);
      if (r.exitCode != 0) {
        setupError_ = "pg_dump for " + d.name + " failed: " + r.err;
        return;
      }
    }
    // A reordered, partly commented list file, as a user would edit one.
    CommandResult listing = run({pgBinDir() + "/pg_restore", "-l", dir_ + "/hostile.custom"});
    std::vector<std::string> lines;
    std::istringstream in(listing.out);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::reverse(lines.begin(), lines.end());
    std::string list;
    for (size_t i = 0; i < lines.size(); ++i) list += (i % 3 == 1 ? ";" : "") + lines[i] + "\n";
    writeFile(dir_ + "/edited.list", list);
  }

  static void TearDownTestSuite() {
    server_.reset();
    removeTree(dir_);
  }

  void SetUp() override {
    if (!setupError_.empty()) GTEST_FAIL() << setupError_;
  }

  static std::string dir_;
  static std::unique_ptr<PgServer> server_;
  static std::string setupError_;
};

std::string ScriptRendererStock::dir_;
std::unique_ptr<PgServer> ScriptRendererStock::server_;
std::string ScriptRendererStock::setupError_;

TEST_P(ScriptRendererStock, MatchesPgRestore) {
  const Case& c = GetParam();
  const std::string path = dir_ + "/" + c.archive;
  const bool listing = std::find(c.args.begin(), c.args.end(), "-l") != c.args.end();

  std::vector<std::string> argv = {pgBinDir() + "/pg_restore", "--restrict-key=" + kRestrictKey, "-f", "-"};
  std::vector<std::string> optionArgs;
  for (const auto& a : c.args) {
    argv.push_back(a == "@LIST@" ? dir_ + "/edited.list" : a);
    if (a != "-l") optionArgs.push_back(a);
  }
  argv.push_back(path);
  CommandResult stock = run(argv);
  ASSERT_EQ(stock.exitCode, 0) << stock.err;
  ASSERT_FALSE(stock.out.empty());

  auto reader = openArchive(path);
  ASSERT_TRUE(reader.ok()) << reader.error().describe();
  RestoreOptions options = toOptions(optionArgs, readFile(dir_ + "/edited.list"));
  MemoryOutput out;
  Status st = listing ? renderList((*reader)->toc(), (*reader)->kind(), options, out)
                      : renderScript((*reader)->toc(), **reader, options, out);
  ASSERT_TRUE(st.ok()) << st.error().describe();
  EXPECT_TRUE(sameText(normaliseCompletion(stock.out), normaliseCompletion(out.data())));
}

// pg_dump -Ft's restore.sql, after its 7-line $$PATH$$ note, is the
// TarRestoreSql rendering of the same TOC with -c -C semantics.
TEST_F(ScriptRendererStock, TarRestoreSqlMatchesPgDump) {
  const std::string path = dir_ + "/hostile.tar";
  CommandResult member = runShell("tar xOf " + shellQuote(path) + " restore.sql");
  ASSERT_EQ(member.exitCode, 0) << member.err;
  size_t at = 0;
  for (int i = 0; i < 7 && at != std::string::npos; ++i) at = member.out.find('\n', at) + 1;
  ASSERT_NE(at, std::string::npos);
  auto reader = openArchive(path);
  ASSERT_TRUE(reader.ok()) << reader.error().describe();
  RestoreOptions options;
  options.mode = ScriptMode::TarRestoreSql;
  options.clean = true;
  options.create = true;
  MemoryOutput out;
  Status st = renderScript((*reader)->toc(), **reader, options, out);
  ASSERT_TRUE(st.ok()) << st.error().describe();
  EXPECT_TRUE(sameText(member.out.substr(at), out.data()));
}

// pg_dump -Fp renders through the same code as pg_restore: the plain dump of
// the unchanged database equals the rendering of its custom archive.
TEST_F(ScriptRendererStock, PlainDumpMatchesPgDumpPlain) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{{}, {"-C", "-c", "--if-exists"}}) {
    std::vector<std::string> argv = {pgBinDir() + "/pg_dump", "--restrict-key=" + kRestrictKey};
    for (const auto& a : server_->clientArgs()) argv.push_back(a);
    for (const auto& a : args) argv.push_back(a);
    argv.push_back("hostile");
    CommandResult plain = run(argv);
    ASSERT_EQ(plain.exitCode, 0) << plain.err;
    auto reader = openArchive(dir_ + "/hostile.custom");
    ASSERT_TRUE(reader.ok()) << reader.error().describe();
    RestoreOptions options = toOptions(args, "");
    options.mode = ScriptMode::PlainDump;
    MemoryOutput out;
    Status st = renderScript((*reader)->toc(), **reader, options, out);
    ASSERT_TRUE(st.ok()) << st.error().describe();
    EXPECT_TRUE(sameText(plain.out, out.data()));
  }
}

std::vector<Case> cases() {
  const std::vector<std::vector<std::string>> full = {
      {},
      {"-C"},
      {"-s"},
      {"-a"},
      {"-O", "-x"},
      {"-c", "--if-exists"},
      {"-c"},
      {"-C", "-c"},
      {"-C", "-c", "--if-exists"},
      {"--section=pre-data"},
      {"--section=data"},
      {"--section=post-data"},
      {"--section=pre-data", "--section=post-data"},
      {"-n", "app"},
      {"-n", "Weird \"Schema\" ü"},
      {"-N", "app"},
      {"-t", "customers"},
      {"-t", "orders"},
      {"-t", "customers", "-t", "order_totals", "-t", "order_seq"},
      {"-I", "orders_customer_idx"},
      {"-P", "add(integer, integer)"},
      {"-T", "orders_touch"},
      {"-n", "app", "-t", "customers"},
      {"-L", "@LIST@"},
      {"--no-comments"},
      {"--no-publications"},
      {"--no-security-labels"},
      {"--no-subscriptions"},
      {"--no-tablespaces"},
      {"--no-table-access-method"},
      {"--use-set-session-authorization"},
      {"--use-set-session-authorization", "-c"},
      {"--disable-triggers"},
      {"-a", "--disable-triggers"},
      {"-a", "--disable-triggers", "-S", "postgres"},
      {"--enable-row-security"},
      {"--role=someone"},
      {"-1"},
      {"-v"},
      {"-l"},
      {"-l", "-v"},
      {"-l", "-C"},
      {"-l", "-s"},
      {"-l", "-a"},
      {"-l", "-t", "customers"},
      {"-l", "-L", "@LIST@"},
      {"-l", "--section=post-data"},
  };
  const std::vector<std::vector<std::string>> some = {
      {}, {"-C", "-c", "--if-exists"}, {"-v"}, {"-l"}, {"-l", "-v"}, {"-a"}, {"-s"}, {"-O", "-x"},
      {"--use-set-session-authorization", "-c"}, {"--no-publications"}, {"--no-subscriptions"},
      {"--no-tablespaces"}, {"-a", "--disable-triggers"}, {"-1"}, {"-t", "from"}, {"-n", "select"}};
  std::vector<Case> out;
  for (const auto& a : full) out.push_back({"hostile.custom", a});
  for (const std::string archive : {"hostile.dir", "hostile.tar", "extra.custom", "extra-inserts.dir",
                                    "extra-nonstandard.custom"})
    for (const auto& a : some) out.push_back({archive, a});
  return out;
}

INSTANTIATE_TEST_SUITE_P(StockPgRestore15, ScriptRendererStock, testing::ValuesIn(cases()), caseName);

}  // namespace
}  // namespace pgarc::test
