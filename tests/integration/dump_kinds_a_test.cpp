// Object kinds of group A (functions, procedures, aggregates, types, domains,
// languages, extensions, casts, collations, conversions, triggers, rules,
// event triggers, row-level security, materialized views): for each kind a
// database with hostile names, comments and grants is dumped by stock
// pg_dump 15 and by `pgarc dump`, both -Fc, and stock pg_restore's script
// (`-f -`) and listing (`-l`, which shows dumpIds) of the two archives must
// be identical.
#include <gtest/gtest.h>

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
};

const KindCase kCases[] = {
    {"functions", R"SQL(
CREATE SCHEMA "Fn ""sch";
CREATE FUNCTION "f ü"(a int, INOUT b text DEFAULT 'x''y', VARIADIC c int[] DEFAULT '{}') RETURNS text
  LANGUAGE plpgsql IMMUTABLE STRICT SECURITY DEFINER LEAKPROOF PARALLEL SAFE COST 5
  SET search_path = public, "Fn ""sch", pg_temp SET work_mem = '64MB'
  AS $q$BEGIN b := b || '$$'; END$q$;
COMMENT ON FUNCTION "f ü"(int, text, int[]) IS E'func\ncomment ''q''';
REVOKE ALL ON FUNCTION "f ü"(int, text, int[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "f ü"(int, text, int[]) TO "kinds A role";
CREATE FUNCTION "Fn ""sch".setf(int) RETURNS SETOF int LANGUAGE sql STABLE ROWS 42 AS 'SELECT generate_series(1,$1)';
CREATE FUNCTION "Fn ""sch".setf(text) RETURNS SETOF int LANGUAGE sql PARALLEL RESTRICTED AS 'SELECT 1';
CREATE FUNCTION tabf(int) RETURNS TABLE(x int, "Y" text) LANGUAGE sql AS $f$ SELECT 1, 'a' $f$;
CREATE FUNCTION stdbody(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a + b;
CREATE FUNCTION stdbody2(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT a * 2; SELECT a + 1; END;
CREATE PROCEDURE "pr oc"(IN a int, INOUT b int) LANGUAGE plpgsql AS $$ BEGIN b := a; END $$;
CREATE PROCEDURE prstd(a int) LANGUAGE sql BEGIN ATOMIC SELECT a; END;
COMMENT ON PROCEDURE prstd(int) IS 'proc';
CREATE FUNCTION cfunc(text) RETURNS int LANGUAGE c STRICT COST 3 AS '$libdir/plpgsql', 'plpgsql_call_handler';
CREATE FUNCTION wfunc(int) RETURNS int LANGUAGE sql WINDOW VOLATILE AS 'select length(''it''''s \ x'')';
CREATE FUNCTION cfunc2(int) RETURNS int LANGUAGE c AS '$libdir/plpgsql', 'plpgsql_call_handler';
CREATE FUNCTION suppf(int) RETURNS int LANGUAGE sql SUPPORT textlike_support AS 'select 1';
CREATE FUNCTION nothing() RETURNS void LANGUAGE sql SET datestyle = 'ISO, MDY' AS '';
)SQL"},
    {"aggregates", R"SQL(
CREATE AGGREGATE "my agg"(int) (sfunc = int4pl, stype = int, initcond = '0', parallel = safe);
CREATE AGGREGATE myavg(float8) (sfunc = float8_accum, stype = float8[], finalfunc = float8_avg,
  initcond = '{0,0,0}', combinefunc = float8_combine, msfunc = float8_accum, minvfunc = float8_accum,
  mstype = float8[], minitcond = '{0,0,0}', mfinalfunc = float8_avg, finalfunc_modify = shareable, sortop = <);
CREATE AGGREGATE ordagg(float8 ORDER BY anyelement) (sfunc = ordered_set_transition, stype = internal,
  finalfunc = percentile_disc_final, finalfunc_extra);
CREATE AGGREGATE cnt(*) (sfunc = int8inc, stype = int8, initcond = '0');
COMMENT ON AGGREGATE "my agg"(int) IS 'agg';
REVOKE ALL ON FUNCTION "my agg"(int) FROM PUBLIC;
)SQL"},
    {"types", R"SQL(
CREATE SCHEMA "S ch""x";
CREATE TYPE public."mood ü" AS ENUM ('sad', 'o''k', E'happy\nx');
CREATE TYPE "S ch""x".comp AS (a int, "B b" text COLLATE "C", c numeric(10,2), dropme int);
ALTER TYPE "S ch""x".comp DROP ATTRIBUTE dropme;
COMMENT ON TYPE "S ch""x".comp IS 'comp ''type''';
COMMENT ON COLUMN "S ch""x".comp."B b" IS 'col comment';
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TYPE textrange2 AS RANGE (subtype = text, collation = "C", multirange_type_name = "tr multi");
GRANT USAGE ON TYPE textrange2 TO "kinds A role";
CREATE TYPE shelltest;
CREATE FUNCTION base_in(cstring) RETURNS shelltest LANGUAGE internal IMMUTABLE STRICT AS 'int4in';
CREATE FUNCTION base_out(shelltest) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'int4out';
CREATE TYPE shelltest (INPUT = base_in, OUTPUT = base_out, INTERNALLENGTH = 4, PASSEDBYVALUE,
  ALIGNMENT = int4, STORAGE = plain, CATEGORY = 'N', DEFAULT = '0', DELIMITER = ';');
COMMENT ON TYPE shelltest IS 'base';
CREATE TABLE uses_types (m "mood ü", c "S ch""x".comp, r floatrange);
)SQL"},
    {"domains", R"SQL(
CREATE DOMAIN "pos int" AS int NOT NULL DEFAULT 1 CONSTRAINT "pos chk" CHECK (VALUE > 0) CHECK (VALUE < 1000000);
COMMENT ON DOMAIN "pos int" IS 'dom';
COMMENT ON CONSTRAINT "pos chk" ON DOMAIN "pos int" IS 'dom con';
CREATE DOMAIN d2 AS text COLLATE "C" DEFAULT 'x''y';
ALTER DOMAIN d2 ADD CONSTRAINT nv CHECK (VALUE <> '') NOT VALID;
GRANT USAGE ON DOMAIN d2 TO "kinds A role";
CREATE TABLE uses_domain (d "pos int", e d2);
)SQL"},
    {"languages_casts_collations_conversions", R"SQL(
CREATE FUNCTION lh() RETURNS language_handler LANGUAGE c AS '$libdir/plpgsql', 'plpgsql_call_handler';
CREATE TRUSTED LANGUAGE "my lang" HANDLER lh;
GRANT USAGE ON LANGUAGE "my lang" TO "kinds A role";
COMMENT ON LANGUAGE "my lang" IS 'lang';
CREATE TYPE "mood ü" AS ENUM ('sad');
CREATE FUNCTION castf(int) RETURNS "mood ü" LANGUAGE sql AS 'select ''sad''::"mood ü"';
CREATE CAST (int AS "mood ü") WITH FUNCTION castf(int) AS ASSIGNMENT;
CREATE TYPE comp AS (a int);
CREATE CAST (int AS comp) WITH INOUT AS IMPLICIT;
CREATE DOMAIN dd AS int;
COMMENT ON CAST (int AS "mood ü") IS 'cast';
CREATE COLLATION "coll ü" (provider = icu, locale = 'de-u-co-phonebk', deterministic = false);
CREATE COLLATION c2 (locale = 'C');
CREATE COLLATION c3 (lc_collate = 'C', lc_ctype = 'POSIX');
COMMENT ON COLLATION c2 IS 'coll';
CREATE CONVERSION "conv x" FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
CREATE DEFAULT CONVERSION conv2 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
COMMENT ON CONVERSION conv2 IS 'conv';
)SQL"},
    {"extensions", R"SQL(
CREATE SCHEMA "ext sch";
CREATE EXTENSION IF NOT EXISTS hstore WITH SCHEMA "ext sch";
CREATE EXTENSION IF NOT EXISTS pg_trgm;
COMMENT ON EXTENSION hstore IS 'ext comment';
CREATE TABLE uses_ext (h "ext sch".hstore);
CREATE FUNCTION "needs ext"() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
ALTER FUNCTION "needs ext"() DEPENDS ON EXTENSION hstore;
CREATE TRIGGER "t x" AFTER INSERT ON uses_ext FOR EACH ROW EXECUTE FUNCTION "needs ext"();
ALTER TRIGGER "t x" ON uses_ext DEPENDS ON EXTENSION pg_trgm;
)SQL"},
    {"triggers_rules", R"SQL(
CREATE TABLE "t ab" (id int primary key, v text);
CREATE TABLE t2 (id int);
CREATE FUNCTION trgf() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER "trg 1" BEFORE INSERT OR UPDATE OF v ON "t ab" FOR EACH ROW WHEN (NEW.id > 0) EXECUTE FUNCTION trgf();
CREATE TRIGGER trg2 AFTER DELETE ON "t ab" FOR EACH STATEMENT EXECUTE FUNCTION trgf();
CREATE TRIGGER trg3 AFTER INSERT ON "t ab" FOR EACH ROW EXECUTE FUNCTION trgf();
CREATE TRIGGER trg4 AFTER INSERT ON "t ab" FOR EACH ROW EXECUTE FUNCTION trgf();
CREATE CONSTRAINT TRIGGER ctrg AFTER INSERT ON "t ab" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION trgf();
ALTER TABLE "t ab" DISABLE TRIGGER trg2;
ALTER TABLE "t ab" ENABLE REPLICA TRIGGER trg3;
ALTER TABLE "t ab" ENABLE ALWAYS TRIGGER trg4;
COMMENT ON TRIGGER "trg 1" ON "t ab" IS 'trg';
CREATE RULE "r ule" AS ON INSERT TO t2 WHERE NEW.id < 0 DO INSTEAD NOTHING;
CREATE RULE r2 AS ON UPDATE TO t2 DO ALSO NOTIFY t2;
ALTER TABLE t2 DISABLE RULE r2;
COMMENT ON RULE "r ule" ON t2 IS 'rule';
CREATE VIEW v1 AS SELECT id FROM t2;
CREATE TABLE parted (a int) PARTITION BY RANGE (a);
CREATE TABLE part1 PARTITION OF parted FOR VALUES FROM (0) TO (10);
CREATE TRIGGER ptrg AFTER INSERT ON parted FOR EACH ROW EXECUTE FUNCTION trgf();
ALTER TABLE part1 DISABLE TRIGGER ptrg;
)SQL"},
    {"event_triggers", R"SQL(
CREATE FUNCTION evf() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;
CREATE EVENT TRIGGER "ev t" ON ddl_command_start WHEN TAG IN ('CREATE TABLE', 'DROP TABLE') EXECUTE FUNCTION evf();
CREATE EVENT TRIGGER ev2 ON sql_drop EXECUTE FUNCTION evf();
ALTER EVENT TRIGGER ev2 DISABLE;
CREATE EVENT TRIGGER ev3 ON ddl_command_end EXECUTE FUNCTION evf();
ALTER EVENT TRIGGER ev3 ENABLE REPLICA;
COMMENT ON EVENT TRIGGER "ev t" IS 'evt';
)SQL"},
    {"row_security", R"SQL(
CREATE TABLE "t ab" (id int primary key, v text);
CREATE TABLE plain_rls (x int);
ALTER TABLE "t ab" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "t ab" FORCE ROW LEVEL SECURITY;
ALTER TABLE plain_rls ENABLE ROW LEVEL SECURITY;
CREATE POLICY "p ol" ON "t ab" FOR SELECT TO "kinds A role" USING (id > 0);
CREATE POLICY p2 ON "t ab" AS RESTRICTIVE FOR INSERT WITH CHECK (v <> '');
CREATE POLICY p3 ON "t ab" USING (true) WITH CHECK (id < 10);
CREATE POLICY p4 ON "t ab" FOR DELETE TO PUBLIC, "kinds A role" USING (id = 1);
CREATE POLICY p5 ON "t ab" FOR UPDATE USING (v IS NOT NULL);
COMMENT ON POLICY "p ol" ON "t ab" IS 'pol';
)SQL"},
    {"materialized_views", R"SQL(
CREATE TABLE "t ab" (id int primary key, v text);
INSERT INTO "t ab" VALUES (1, 'a');
CREATE MATERIALIZED VIEW "mv 1" AS SELECT id, v FROM "t ab" WITH DATA;
CREATE MATERIALIZED VIEW mv2 AS SELECT 1 AS x WITH NO DATA;
CREATE MATERIALIZED VIEW mv3 AS SELECT * FROM "mv 1";
COMMENT ON MATERIALIZED VIEW "mv 1" IS 'mv';
)SQL"},
    {"same_names_and_loops", R"SQL(
CREATE SCHEMA a; CREATE SCHEMA b;
CREATE TYPE a.t AS (x int); CREATE TYPE b.t AS (x int);
CREATE FUNCTION f(b.t) RETURNS int LANGUAGE sql AS 'select 1';
CREATE FUNCTION f(a.t) RETURNS int LANGUAGE sql AS 'select 2';
CREATE FUNCTION f(int, int) RETURNS int LANGUAGE sql AS 'select 3';
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 4';
CREATE TABLE zt (id int); CREATE TABLE at (id int);
CREATE FUNCTION trgf() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER same AFTER INSERT ON zt FOR EACH ROW EXECUTE FUNCTION trgf();
CREATE TRIGGER same AFTER INSERT ON at FOR EACH ROW EXECUTE FUNCTION trgf();
CREATE POLICY pp ON zt USING (true); CREATE POLICY pp ON at USING (true);
CREATE RULE rr AS ON DELETE TO zt DO ALSO NOTIFY x; CREATE RULE rr AS ON DELETE TO at DO ALSO NOTIFY x;
CREATE DOMAIN dd AS int; ALTER DOMAIN dd ADD CONSTRAINT nv CHECK (VALUE > 0) NOT VALID;
COMMENT ON CONSTRAINT nv ON DOMAIN dd IS 'not valid con';
CREATE FUNCTION a.g() RETURNS int LANGUAGE sql AS 'select 1';
CREATE AGGREGATE a.agg0(*) (sfunc = int8inc, stype = int8, initcond = 0);
CREATE MATERIALIZED VIEW a.mv AS SELECT 1 AS one;
CREATE TABLE vt (id int);
CREATE VIEW vv AS SELECT id FROM vt;
CREATE FUNCTION vf() RETURNS SETOF vv LANGUAGE sql AS 'select * from vv';
CREATE OR REPLACE VIEW vv AS SELECT id FROM vt WHERE id IN (SELECT id FROM vf());
)SQL"},
};

class DumpKindsA : public ::testing::TestWithParam<KindCase> {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<PgServer>();
    if (server_->started()) server_->psql("postgres", "CREATE ROLE \"kinds A role\"");
  }
  static void TearDownTestSuite() { server_.reset(); }
  static std::unique_ptr<PgServer> server_;
};
std::unique_ptr<PgServer> DumpKindsA::server_;



TEST_P(DumpKindsA, RestoreOutputMatchesStockPgDump) {
  ASSERT_TRUE(server_->started()) << server_->startupError();
  const KindCase& c = GetParam();
  const std::string db = std::string("kinds_a_") + c.name;
  server_->createDatabase(db);
  CommandResult setup = server_->psql(db, c.sql);
  ASSERT_EQ(setup.exitCode, 0) << setup.err;

  const std::string dir = makeTempDir("pgarc-kinds-a-");
  const std::string stockFile = dir + "/stock.dump";
  const std::string oursFile = dir + "/ours.dump";
  std::vector<std::string> stock = {pgBinDir() + "/pg_dump", "-Fc", "-f", stockFile};
  std::vector<std::string> ours = {pgarcBinary(), "dump", "-Fc", "-f", oursFile};
  for (const auto& a : server_->clientArgs()) {
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
  // A fixed \\restrict key: pg_restore picks a random one otherwise.
  CommandResult stockScript = run({restore, "--restrict-key=kindsAkey", "-f", "-", stockFile});
  CommandResult oursScript = run({restore, "--restrict-key=kindsAkey", "-f", "-", oursFile});
  ASSERT_EQ(stockScript.exitCode, 0) << stockScript.err;
  ASSERT_EQ(oursScript.exitCode, 0) << oursScript.err;
  EXPECT_TRUE(sameText(oursScript.out, stockScript.out)) << firstDifference(oursScript.out, stockScript.out);
  // The DROP statements, through -c --if-exists.
  CommandResult stockClean = run({restore, "-c", "--if-exists", "--restrict-key=kindsAkey", "-f", "-", stockFile});
  CommandResult oursClean = run({restore, "-c", "--if-exists", "--restrict-key=kindsAkey", "-f", "-", oursFile});
  ASSERT_EQ(oursClean.exitCode, 0) << oursClean.err;
  EXPECT_TRUE(sameText(oursClean.out, stockClean.out)) << firstDifference(oursClean.out, stockClean.out);

  CommandResult stockList = run({restore, "-l", stockFile});
  CommandResult oursList = run({restore, "-l", oursFile});
  ASSERT_EQ(stockList.exitCode, 0) << stockList.err;
  ASSERT_EQ(oursList.exitCode, 0) << oursList.err;
  EXPECT_TRUE(sameText(withoutArchiveTimestamp(oursList.out), withoutArchiveTimestamp(stockList.out)))
      << firstDifference(withoutArchiveTimestamp(oursList.out), withoutArchiveTimestamp(stockList.out));
  removeTree(dir);
}

INSTANTIATE_TEST_SUITE_P(Kinds, DumpKindsA, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<KindCase>& info) { return std::string(info.param.name); });

}  // namespace
