// Object kinds of group B (operators, operator classes and families, access
// methods, text search parsers/templates/dictionaries/configurations,
// foreign-data wrappers, servers, user mappings, foreign tables,
// publications and their memberships, subscriptions, extended statistics,
// default privileges, transforms): for each group a database with hostile
// names, comments and grants is dumped by stock pg_dump 15 and by
// `pgarc dump`, both -Fc, and stock pg_restore's script (`-f -`) and listing
// (`-l`, which shows dumpIds) of the two archives must be identical.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/text_compare.hpp"

using namespace pgarc::test;

namespace {

struct KindCase {
  const char* name;
  const char* sql;
  std::vector<std::string> extraArgs;  // given to both tools
};

const char* const kOperatorsSql = R"SQL(
CREATE SCHEMA "Op ""sch";
CREATE FUNCTION "Op ""sch".myeq(int, int) RETURNS bool LANGUAGE sql IMMUTABLE AS 'select $1 = $2';
CREATE FUNCTION "Op ""sch".myneg(int) RETURNS int LANGUAGE sql IMMUTABLE AS 'select -$1';
CREATE FUNCTION mylt(int, int) RETURNS bool LANGUAGE sql IMMUTABLE AS 'select $1 < $2';
CREATE FUNCTION mycmp(int, int) RETURNS int LANGUAGE sql IMMUTABLE AS 'select CASE WHEN $1 < $2 THEN -1 WHEN $1 > $2 THEN 1 ELSE 0 END';
CREATE OPERATOR "Op ""sch".=== (LEFTARG = int, RIGHTARG = int, FUNCTION = "Op ""sch".myeq, COMMUTATOR = OPERATOR("Op ""sch".===), NEGATOR = !==, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR ~~~ (RIGHTARG = int, FUNCTION = "Op ""sch".myneg);
CREATE OPERATOR <<< (LEFTARG = int, RIGHTARG = int, FUNCTION = mylt);
COMMENT ON OPERATOR "Op ""sch".=== (int, int) IS E'op\ncomment ü';
COMMENT ON OPERATOR ~~~ (NONE, int) IS 'prefix';
CREATE OPERATOR FAMILY "fam ily" USING btree;
CREATE OPERATOR CLASS "my class" FOR TYPE int USING btree FAMILY "fam ily" AS OPERATOR 1 <<<, OPERATOR 3 "Op ""sch".===, FUNCTION 1 mycmp(int, int);
CREATE OPERATOR CLASS hashcls DEFAULT FOR TYPE money USING hash AS OPERATOR 1 =, FUNCTION 1 hash_numeric(numeric);
ALTER OPERATOR FAMILY "fam ily" USING btree ADD OPERATOR 1 < (int, bigint), FUNCTION 1 (int, bigint) btint48cmp(int, bigint);
CREATE OPERATOR FAMILY empty_fam USING hash;
COMMENT ON OPERATOR FAMILY "fam ily" USING btree IS 'fam';
COMMENT ON OPERATOR CLASS "my class" USING btree IS 'cls';
CREATE OPERATOR CLASS gistcls FOR TYPE int USING gist AS STORAGE int, OPERATOR 1 <<< FOR ORDER BY integer_ops;
CREATE ACCESS METHOD "my am" TYPE INDEX HANDLER bthandler;
CREATE ACCESS METHOD tam TYPE TABLE HANDLER heap_tableam_handler;
COMMENT ON ACCESS METHOD "my am" IS 'am comment';
CREATE OPERATOR public.@@@ (LEFTARG = int, RIGHTARG = int, FUNCTION = mylt);
CREATE OPERATOR public.@@@ (RIGHTARG = int, FUNCTION = "Op ""sch".myneg);
CREATE OPERATOR "Op ""sch".@@@ (LEFTARG = int, RIGHTARG = bigint, FUNCTION = int48lt);
ALTER OPERATOR <<< (int, int) OWNER TO "kinds B role";
CREATE OPERATOR CLASS "New
line cls" FOR TYPE text USING btree AS OPERATOR 1 <, FUNCTION 1 bttextcmp(text, text);
)SQL";

const char* const kTextSearchSql = R"SQL(
CREATE SCHEMA "TS sch";
CREATE TEXT SEARCH PARSER "TS sch"."my prs" (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, LEXTYPES = prsd_lextype, HEADLINE = prsd_headline);
CREATE TEXT SEARCH PARSER prs2 (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, LEXTYPES = prsd_lextype);
CREATE TEXT SEARCH TEMPLATE "my tmpl" (INIT = dsimple_init, LEXIZE = dsimple_lexize);
CREATE TEXT SEARCH TEMPLATE tmpl2 (LEXIZE = dsimple_lexize);
CREATE TEXT SEARCH DICTIONARY "my dict" (TEMPLATE = "my tmpl", STOPWORDS = english, Accept = false);
CREATE TEXT SEARCH DICTIONARY dict2 (TEMPLATE = simple);
CREATE TEXT SEARCH CONFIGURATION "TS sch"."my cfg" (PARSER = "TS sch"."my prs");
ALTER TEXT SEARCH CONFIGURATION "TS sch"."my cfg" ADD MAPPING FOR word, asciiword WITH "my dict", simple;
ALTER TEXT SEARCH CONFIGURATION "TS sch"."my cfg" ADD MAPPING FOR int WITH dict2;
CREATE TEXT SEARCH CONFIGURATION cfg2 (COPY = english);
COMMENT ON TEXT SEARCH PARSER prs2 IS 'prs';
COMMENT ON TEXT SEARCH TEMPLATE tmpl2 IS 'tmpl';
COMMENT ON TEXT SEARCH DICTIONARY "my dict" IS E'dict\n''x''';
COMMENT ON TEXT SEARCH CONFIGURATION cfg2 IS 'cfg';
ALTER TEXT SEARCH DICTIONARY dict2 OWNER TO "kinds B role";
)SQL";

const char* const kForeignDataSql = R"SQL(
CREATE EXTENSION file_fdw;
CREATE EXTENSION postgres_fdw;
CREATE FUNCTION myval(text[], oid) RETURNS void LANGUAGE internal AS 'postgresql_fdw_validator';
CREATE FOREIGN DATA WRAPPER "my fdw" VALIDATOR myval;
CREATE FOREIGN DATA WRAPPER fdw3 OPTIONS (debug 'tr''ue', "Opt X" 'y');
CREATE FOREIGN DATA WRAPPER fdw2;
COMMENT ON FOREIGN DATA WRAPPER "my fdw" IS 'fdw';
GRANT USAGE ON FOREIGN DATA WRAPPER "my fdw" TO "kinds B role";
CREATE SERVER "srv ü" TYPE 'x''y' VERSION '1.0' FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'localhost', dbname 'x');
CREATE SERVER srv2 FOREIGN DATA WRAPPER file_fdw;
COMMENT ON SERVER srv2 IS 'srv';
GRANT USAGE ON FOREIGN SERVER "srv ü" TO "kinds B role" WITH GRANT OPTION;
CREATE USER MAPPING FOR "kinds B role" SERVER "srv ü" OPTIONS (user 'bob', password 'se''cret');
CREATE USER MAPPING FOR PUBLIC SERVER "srv ü";
CREATE USER MAPPING FOR postgres SERVER srv2;
CREATE FOREIGN TABLE "ft ab" (a int OPTIONS (column_name 'A'), "B b" text NOT NULL DEFAULT 'x') SERVER "srv ü" OPTIONS (schema_name 'public', table_name 'x''y');
CREATE FOREIGN TABLE ft2 (x int) SERVER srv2 OPTIONS (filename '/dev/null');
COMMENT ON FOREIGN TABLE ft2 IS 'ft';
GRANT SELECT ON ft2 TO "kinds B role";
)SQL";

const char* const kPublicationsSql = R"SQL(
CREATE SCHEMA "P sch";
CREATE TABLE t1 (a int primary key, "B" text, c int);
CREATE TABLE "P sch"."t 2" (x int);
CREATE PUBLICATION "pub ü" FOR TABLE t1 ("B", a) WHERE (a > 0), "P sch"."t 2" WITH (publish = 'insert, truncate', publish_via_partition_root = true);
CREATE PUBLICATION allpub FOR ALL TABLES;
CREATE PUBLICATION a_pub FOR TABLE t1;
CREATE PUBLICATION schpub FOR TABLES IN SCHEMA "P sch", public;
CREATE PUBLICATION emptypub WITH (publish = '');
COMMENT ON PUBLICATION allpub IS 'pub';
ALTER PUBLICATION a_pub OWNER TO "kinds B role";
CREATE SUBSCRIPTION "sub ü" CONNECTION 'host=nowhere dbname=x password=''q''' PUBLICATION "pub ü", allpub WITH (connect = false, slot_name = NONE, enabled = false);
CREATE SUBSCRIPTION sub2 CONNECTION 'dbname=y' PUBLICATION x WITH (connect = false, slot_name = 'my_slot', binary = true, streaming = true, two_phase = true, disable_on_error = true, synchronous_commit = 'remote_apply', create_slot = false, enabled = false);
COMMENT ON SUBSCRIPTION sub2 IS 'sub';
CREATE PUBLICATION "zz pub" FOR TABLE t1;
CREATE PUBLICATION "0 pub" FOR TABLE t1, "P sch"."t 2";
CREATE PUBLICATION "New
line" FOR TABLES IN SCHEMA "P sch";
)SQL";

const char* const kStatisticsAclsTransformsSql = R"SQL(
CREATE SCHEMA "St sch";
CREATE TABLE "st ab" (a int, b int, "C c" text);
CREATE STATISTICS "St sch"."st 1" (ndistinct, dependencies) ON a, b FROM "st ab";
CREATE STATISTICS st2 ON (a + b), "C c" FROM "st ab";
ALTER STATISTICS st2 SET STATISTICS 500;
COMMENT ON STATISTICS st2 IS 'stats';
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO "kinds B role";
ALTER DEFAULT PRIVILEGES IN SCHEMA "St sch" GRANT INSERT, UPDATE ON TABLES TO r2;
ALTER DEFAULT PRIVILEGES FOR ROLE "kinds B role" REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE "kinds B role" IN SCHEMA "St sch" GRANT USAGE ON SEQUENCES TO r2 WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES REVOKE USAGE ON TYPES FROM PUBLIC;
ALTER DEFAULT PRIVILEGES GRANT CREATE ON SCHEMAS TO r2;
CREATE TYPE mytyp AS (a int);
CREATE FUNCTION tf_from(internal) RETURNS internal LANGUAGE internal IMMUTABLE AS 'int4recv';
CREATE FUNCTION tf_to(internal) RETURNS mytyp LANGUAGE internal IMMUTABLE AS 'int4recv';
CREATE TRANSFORM FOR mytyp LANGUAGE sql (FROM SQL WITH FUNCTION tf_from(internal), TO SQL WITH FUNCTION tf_to(internal));
COMMENT ON TRANSFORM FOR mytyp LANGUAGE sql IS 'trf';
CREATE STATISTICS "New
line st" (mcv) ON a, "C c" FROM "st ab";
ALTER DEFAULT PRIVILEGES FOR ROLE r2 GRANT ALL ON TABLES TO "kinds B role";
)SQL";

const KindCase kCases[] = {
    {"operators_classes_families_access_methods", kOperatorsSql, {}},
    {"text_search", kTextSearchSql, {}},
    {"foreign_data", kForeignDataSql, {}},
    {"publications_subscriptions", kPublicationsSql, {}},
    {"statistics_default_acls_transforms", kStatisticsAclsTransformsSql, {}},
    {"publications_no_publications", kPublicationsSql, {"--no-publications"}},
    {"publications_no_subscriptions_clean", kPublicationsSql, {"--no-subscriptions", "--clean", "--if-exists"}},
    {"publications_schema_only_no_owner", kPublicationsSql, {"-s", "-O"}},
    {"publications_exclude_public", kPublicationsSql, {"-N", "public"}},
    {"statistics_exclude_public", kStatisticsAclsTransformsSql, {"-N", "public"}},
    {"statistics_no_privileges_create", kStatisticsAclsTransformsSql, {"-x", "--create"}},
    {"foreign_data_only_public", kForeignDataSql, {"-n", "public"}},
    {"operators_exclude_public_clean", kOperatorsSql, {"-N", "public", "--clean"}},
};

class DumpKindsB : public ::testing::TestWithParam<KindCase> {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<PgServer>();
    if (server_->started()) server_->psql("postgres", "CREATE ROLE \"kinds B role\"; CREATE ROLE r2;");
  }
  static void TearDownTestSuite() { server_.reset(); }
  static std::unique_ptr<PgServer> server_;
};
std::unique_ptr<PgServer> DumpKindsB::server_;


bool contribInstalled(const std::string& ext) {
  CommandResult r = run({"pg_config", "--sharedir"});
  std::string dir = r.exitCode == 0 ? r.out.substr(0, r.out.find('\n')) : "/usr/share/postgresql/15";
  return std::filesystem::exists(dir + "/extension/" + ext + ".control");
}

void compareDumps(PgServer& server, const std::string& db, const std::vector<std::string>& extra) {
  const std::string dir = makeTempDir("pgarc-kinds-b-");
  const std::string stockFile = dir + "/stock.dump";
  const std::string oursFile = dir + "/ours.dump";
  std::vector<std::string> stock = {pgBinDir() + "/pg_dump", "-Fc", "-f", stockFile};
  std::vector<std::string> ours = {pgarcBinary(), "dump", "-Fc", "-f", oursFile};
  for (const auto& a : server.clientArgs()) {
    stock.push_back(a);
    ours.push_back(a);
  }
  for (const auto& a : extra) {
    stock.push_back(a);
    ours.push_back(a);
  }
  stock.push_back(db);
  ours.push_back(db);
  CommandResult s = run(stock);
  ASSERT_EQ(s.exitCode, 0) << s.err;
  CommandResult o = run(ours);
  ASSERT_EQ(o.exitCode, 0) << o.err;

  const std::string restore = pgBinDir() + "/pg_restore";
  CommandResult stockScript = run({restore, "--restrict-key=K", "-f", "-", stockFile});
  CommandResult oursScript = run({restore, "--restrict-key=K", "-f", "-", oursFile});
  ASSERT_EQ(stockScript.exitCode, 0) << stockScript.err;
  ASSERT_EQ(oursScript.exitCode, 0) << oursScript.err;
  EXPECT_TRUE(sameText(oursScript.out, stockScript.out));

  CommandResult stockList = run({restore, "-l", stockFile});
  CommandResult oursList = run({restore, "-l", oursFile});
  ASSERT_EQ(stockList.exitCode, 0) << stockList.err;
  ASSERT_EQ(oursList.exitCode, 0) << oursList.err;
  EXPECT_TRUE(sameText(withoutArchiveTimestamp(oursList.out), withoutArchiveTimestamp(stockList.out)));
  removeTree(dir);
}

TEST_P(DumpKindsB, RestoreOutputMatchesStockPgDump) {
  ASSERT_TRUE(server_->started()) << server_->startupError();
  const KindCase& c = GetParam();
  if (std::string(c.sql).find("_fdw;") != std::string::npos && (!contribInstalled("file_fdw") || !contribInstalled("postgres_fdw")))
    GTEST_SKIP() << "file_fdw/postgres_fdw not installed";
  const std::string db = std::string("kinds_b_") + c.name;
  server_->createDatabase(db);
  CommandResult setup = server_->psql(db, c.sql);
  ASSERT_EQ(setup.exitCode, 0) << setup.err;
  ASSERT_EQ(setup.err.find("ERROR"), std::string::npos) << setup.err;
  compareDumps(*server_, db, c.extraArgs);
}

INSTANTIATE_TEST_SUITE_P(Kinds, DumpKindsB, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<KindCase>& info) { return std::string(info.param.name); });

}  // namespace
