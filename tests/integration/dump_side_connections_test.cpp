// `pgarc dump` reads part of the catalog on side connections in the dump's
// snapshot (dump/side_queries.hpp), and writes the definitions of plain
// indexes and of PRIMARY KEY / UNIQUE constraints itself, without
// pg_get_indexdef / pg_get_constraintdef (dump/objects/indexes.cpp). Checked
// here on a database with enough tables for the index reads to be split over
// the side connections, indexes of every shape that pg_get_indexdef writes
// with something more than column names, and constraints on renamed, keyword
// and dropped-neighbour columns:
//   - the archive equals stock pg_dump's (restore script and listing);
//   - it is the same with PGARC_SIDE_CONNECTIONS=0 (everything on the main
//     connection) as with the side connections;
//   - the same with --quote-all-identifiers;
//   - when the server refuses the side connections (a role limited to one
//     connection), the dump still succeeds and equals stock pg_dump's.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/database_suite.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/text_compare.hpp"

using namespace pgarc::test;

namespace {

const char* kFixture = R"SQL(
CREATE SCHEMA "Many Tables";
CREATE SCHEMA other;
CREATE DOMAIN other.dint AS int;
DO $$ BEGIN
  FOR t IN 1..120 LOOP
    EXECUTE format('CREATE TABLE %I.%I (id int PRIMARY KEY, n int NOT NULL, "Label" text, v varchar(20), '
                   'd other.dint, a int[], r int4range, f float8)',
                   CASE WHEN t % 2 = 0 THEN 'Many Tables' ELSE 'other' END, 'T ' || t);
    EXECUTE format('CREATE INDEX %I ON %I.%I (n)', 'n idx ' || t,
                   CASE WHEN t % 2 = 0 THEN 'Many Tables' ELSE 'other' END, 'T ' || t);
  END LOOP;
END $$;
CREATE INDEX multi ON other."T 1" (n, "Label", f);
CREATE INDEX descending ON other."T 1" (n DESC, f NULLS FIRST);
CREATE INDEX lowered ON other."T 1" (lower("Label"));
CREATE INDEX partial ON other."T 1" (f) WHERE f > 0;
CREATE UNIQUE INDEX with_include ON other."T 1" (n) INCLUDE (f);
CREATE INDEX pattern ON other."T 1" ("Label" text_pattern_ops);
CREATE INDEX collated ON other."T 1" ("Label" COLLATE "C");
CREATE INDEX on_varchar ON other."T 1" (v);
CREATE INDEX on_domain ON other."T 1" (d);
CREATE INDEX gin_array ON other."T 1" USING gin (a);
CREATE INDEX gist_range ON other."T 1" USING gist (r);
CREATE INDEX hashed ON other."T 1" USING hash (n);
CREATE INDEX brin_f ON other."T 1" USING brin (f) WITH (pages_per_range = 16);
CREATE INDEX fill ON other."T 1" (f) WITH (fillfactor = 70);
CREATE UNIQUE INDEX nnd ON other."T 1" (f) NULLS NOT DISTINCT;
CREATE INDEX "Select" ON other."T 1" ("Label", id);
ALTER TABLE other."T 1" ADD CONSTRAINT uniq_label UNIQUE ("Label");
ALTER TABLE other."T 1" ADD CONSTRAINT no_overlap EXCLUDE USING gist (r WITH &&);
ALTER TABLE other."T 1" ALTER COLUMN n SET STATISTICS 200;
CREATE INDEX stats_expr ON other."T 1" ((n + 1));
ALTER INDEX other.stats_expr ALTER COLUMN 1 SET STATISTICS 300;
ALTER TABLE other."T 1" CLUSTER ON multi;
CREATE TABLE other.parted (k int, v text) PARTITION BY RANGE (k);
CREATE TABLE other.parted_1 PARTITION OF other.parted FOR VALUES FROM (0) TO (10);
CREATE INDEX parted_k ON other.parted (k);
CREATE INDEX parted_v ON other.parted_1 (v);
CREATE MATERIALIZED VIEW other.mv AS SELECT id, n FROM other."T 3";
CREATE INDEX mv_n ON other.mv (n);
COMMENT ON INDEX other.multi IS 'an index';
COMMENT ON TABLE "Many Tables"."T 2" IS 'a table';
CREATE TABLE other.keys (a int, gone int, b text COLLATE "C", "Order" int, "select" int, t tsvector);
ALTER TABLE other.keys DROP COLUMN gone;
ALTER TABLE other.keys ADD CONSTRAINT keys_pk PRIMARY KEY ("Order", a) DEFERRABLE;
ALTER TABLE other.keys ADD CONSTRAINT keys_nnd UNIQUE NULLS NOT DISTINCT (b, "select") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE other.keys ADD CONSTRAINT keys_incl UNIQUE ("select") INCLUDE (b);
CREATE INDEX keys_b ON other.keys (b);
CREATE INDEX keys_b_default ON other.keys (b COLLATE "default");
CREATE INDEX keys_explicit_ops ON other.keys ("Order" int4_ops, "select");
CREATE INDEX keys_siglen ON other.keys USING gist (t tsvector_ops (siglen = 100));
ALTER TABLE other.keys RENAME COLUMN a TO "A renamed";
CREATE OPERATOR CLASS other.dint_ops DEFAULT FOR TYPE other.dint USING btree AS
  OPERATOR 1 <(int4, int4), OPERATOR 2 <=(int4, int4), OPERATOR 3 =(int4, int4), OPERATOR 4 >=(int4, int4),
  OPERATOR 5 >(int4, int4), FUNCTION 1 (other.dint, other.dint) btint4cmp(int4, int4);
CREATE INDEX domain_ops ON other."T 1" (d other.dint_ops);
CREATE ROLE one_connection LOGIN CONNECTION LIMIT 1 IN ROLE pg_read_all_data;
)SQL";

class DumpSideConnections : public DatabaseSuite<DumpSideConnections> {
 protected:
  static void SetUpTestSuite() { setUpDatabase("many", kFixture, "pgarc-side-connections-"); }

  // Runs a dumper writing a custom archive of `many` to `path`; `env` are
  // NAME=VALUE settings for it, `user` the role it connects as.
  static CommandResult dump(bool stock, const std::string& path, const std::vector<std::string>& env = {},
                            const std::string& user = "postgres", const std::vector<std::string>& options = {}) {
    std::vector<std::string> argv = {"/usr/bin/env"};
    argv.insert(argv.end(), env.begin(), env.end());
    if (stock) {
      argv.push_back(pgBinDir() + "/pg_dump");
    } else {
      argv.push_back(pgarcBinary());
      argv.push_back("dump");
    }
    for (const std::string& a : {std::string("-h"), server_->socketDir(), std::string("-p"),
                                 std::to_string(server_->port()), std::string("-U"), user})
      argv.push_back(a);
    argv.insert(argv.end(), options.begin(), options.end());
    for (const char* a : {"-s", "-Fc", "-f"}) argv.push_back(a);
    argv.push_back(path);
    argv.push_back("many");
    return run(argv);
  }
};

TEST_F(DumpSideConnections, EqualsStockWithAndWithoutSideConnections) {
  const std::string s = dir_ + "/stock.dump", sides = dir_ + "/sides.dump", single = dir_ + "/single.dump";
  auto r = dump(true, s);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  r = dump(false, sides);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  r = dump(false, single, {"PGARC_SIDE_CONNECTIONS=0"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const std::string script = restoreScript(s);
  EXPECT_NE(script.find("CREATE INDEX lowered ON other.\"T 1\" USING btree (lower(\"Label\"));"), std::string::npos);
  EXPECT_NE(script.find("CREATE INDEX \"n idx 7\" ON other.\"T 7\" USING btree (n);"), std::string::npos);
  // Written by pgarc itself (a renamed key column, a keyword, the column's own collation) ...
  EXPECT_NE(script.find("ADD CONSTRAINT keys_pk PRIMARY KEY (\"Order\", \"A renamed\") DEFERRABLE;"),
            std::string::npos);
  EXPECT_NE(script.find("ADD CONSTRAINT keys_nnd UNIQUE NULLS NOT DISTINCT (b, \"select\") DEFERRABLE INITIALLY "
                        "DEFERRED;"),
            std::string::npos);
  EXPECT_NE(script.find("CREATE INDEX keys_b ON other.keys USING btree (b);"), std::string::npos);
  // ... and by the server (INCLUDE, a collation other than the column's, opclass options).
  EXPECT_NE(script.find("ADD CONSTRAINT keys_incl UNIQUE (\"select\") INCLUDE (b);"), std::string::npos);
  EXPECT_NE(script.find("CREATE INDEX keys_b_default ON other.keys USING btree (b COLLATE \"default\");"),
            std::string::npos);
  EXPECT_NE(script.find("USING gist (t tsvector_ops (siglen='100'));"), std::string::npos);
  EXPECT_NE(script.find("CREATE INDEX domain_ops ON other.\"T 1\" USING btree (d other.dint_ops);"),
            std::string::npos);
  EXPECT_TRUE(sameText(script, restoreScript(sides)));
  EXPECT_TRUE(sameText(script, restoreScript(single)));
  EXPECT_TRUE(sameText(listing(s), listing(sides)));
  EXPECT_TRUE(sameText(listing(s), listing(single)));
}

TEST_F(DumpSideConnections, EqualsStockQuotingAllIdentifiers) {
  const std::string s = dir_ + "/quoted_stock.dump", o = dir_ + "/quoted_ours.dump";
  auto r = dump(true, s, {}, "postgres", {"--quote-all-identifiers"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  r = dump(false, o, {}, "postgres", {"--quote-all-identifiers"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const std::string script = restoreScript(s);
  EXPECT_NE(script.find("CREATE INDEX \"keys_b\" ON \"other\".\"keys\" USING \"btree\" (\"b\");"),
            std::string::npos);
  EXPECT_TRUE(sameText(script, restoreScript(o)));
  EXPECT_TRUE(sameText(listing(s), listing(o)));
}

TEST_F(DumpSideConnections, FallsBackWhenTheServerRefusesSideConnections) {
  const std::string s = dir_ + "/limited_stock.dump", o = dir_ + "/limited_ours.dump";
  auto r = dump(true, s, {}, "one_connection");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  r = dump(false, o, {"PGARC_SIDE_CONNECTIONS=3"}, "one_connection");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(sameText(r.err, ""));
  EXPECT_TRUE(sameText(restoreScript(s), restoreScript(o)));
  EXPECT_TRUE(sameText(listing(s), listing(o)));
}

}  // namespace
