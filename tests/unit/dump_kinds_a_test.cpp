// Emitters of group A kinds fed hand-built objects; the expected DDL is what
// stock pg_dump 15 writes for the same catalog contents.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "dump/objects/function.hpp"
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_a_common.hpp"
#include "dump/objects/type.hpp"

using namespace pgarc;
using namespace pgarc::dump;

namespace {

struct Fixture {
  DumpOptions options;
  ObjectStore store;
  Quoter quote;
  EmitContext ctx{options, store, quote, nullptr};
  NamespaceInfo* pub = nullptr;
  Fixture() {
    auto ns = std::make_unique<NamespaceInfo>();
    ns->name = "public";
    pub = store.add(std::move(ns));
  }
};

TEST(DumpKindsAGucList, SplitsLikeSplitGucList) {
  auto v = splitGucList("public, \"Fn \"\"sch\", pg_temp");
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, (std::vector<std::string>{"public", "Fn \"sch", "pg_temp"}));
  EXPECT_EQ(splitGucList("  ")->size(), 0u);
  EXPECT_FALSE(splitGucList("a,,b"));
  EXPECT_FALSE(splitGucList("\"open"));
  EXPECT_FALSE(splitGucList("a b"));
}

TEST(DumpKindsAGucList, SetClausesQuoteListElements) {
  Quoter q;
  EXPECT_EQ(formatSetClauses(q, {"search_path=public, pg_temp", "work_mem=64MB", "DateStyle=ISO, MDY", "bogus"}),
            "\n    SET search_path TO 'public', 'pg_temp'\n    SET work_mem TO '64MB'\n    SET \"DateStyle\" TO 'ISO, MDY'");
}

RC_GTEST_PROP(DumpKindsAGucList, QuotedNamesRoundTrip, (const std::vector<std::string>& names)) {
  std::string joined;
  for (size_t i = 0; i < names.size(); i++) {
    if (i) joined += ", ";
    joined += "\"";
    for (char c : names[i]) {
      if (c == '"') joined += '"';
      joined += c;
    }
    joined += "\"";
  }
  auto parsed = splitGucList(joined);
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == names);
}

TEST(DumpKindsAFunc, WritesEveryAttributeInPgDumpOrder) {
  Fixture f;
  auto fn = std::make_unique<FuncInfo>();
  fn->name = "f ü";
  fn->ns = f.pub;
  fn->owner = "postgres";
  fn->catId = {1255, 17235};
  fn->argTypeNames = {"integer", "text", "integer[]"};
  fn->detailsLoaded = true;
  fn->prosrc = "BEGIN b := b || '$$'; END";
  fn->provolatile = 'i';
  fn->proisstrict = fn->prosecdef = fn->proleakproof = true;
  fn->lanname = "plpgsql";
  fn->proconfig = "{\"search_path=public, pg_temp\",work_mem=64MB}";
  fn->procost = "5";
  fn->prorows = "0";
  fn->funcargs = "a integer, INOUT b text DEFAULT 'x''y'::text, VARIADIC c integer[] DEFAULT '{}'::integer[]";
  fn->funciargs = "a integer, INOUT b text, VARIADIC c integer[]";
  fn->funcresult = "text";
  fn->funcresultNull = false;
  fn->proparallel = 's';
  fn->prosupport = "-";
  fn->dump = kCompAll;
  FuncInfo* raw = f.store.add(std::move(fn));
  ASSERT_TRUE(dumpFunc(f.ctx, *raw).ok());
  ASSERT_EQ(f.ctx.entries.size(), 1u);
  const TocEntry& e = f.ctx.entries[0];
  EXPECT_EQ(e.tag, "f ü(integer, text, integer[])");
  EXPECT_EQ(e.desc, "FUNCTION");
  EXPECT_EQ(*e.defn,
            "CREATE FUNCTION public.\"f ü\"(a integer, INOUT b text DEFAULT 'x''y'::text, VARIADIC c integer[] DEFAULT "
            "'{}'::integer[]) RETURNS text\n"
            "    LANGUAGE plpgsql IMMUTABLE STRICT SECURITY DEFINER LEAKPROOF COST 5 PARALLEL SAFE\n"
            "    SET search_path TO 'public', 'pg_temp'\n"
            "    SET work_mem TO '64MB'\n"
            "    AS $_$BEGIN b := b || '$$'; END$_$;\n");
  EXPECT_EQ(*e.dropStmt, "DROP FUNCTION public.\"f ü\"(a integer, INOUT b text, VARIADIC c integer[]);\n");
}

TEST(DumpKindsAFunc, SqlBodyProcedureAndCLanguage) {
  Fixture f;
  auto p = std::make_unique<FuncInfo>();
  p->name = "prstd";
  p->ns = f.pub;
  p->argTypeNames = {"integer"};
  p->detailsLoaded = true;
  p->prokind = 'p';
  p->lanname = "sql";
  p->procost = "100";
  p->prorows = "0";
  p->funcargs = p->funciargs = "IN a integer";
  p->prosupport = "-";
  p->prosqlbody = "BEGIN ATOMIC\n SELECT a AS a;\nEND";
  p->prosqlbodyNull = false;
  p->dump = kCompDefinition;
  auto c = std::make_unique<FuncInfo>();
  c->name = "cfunc";
  c->ns = f.pub;
  c->argTypeNames = {"text"};
  c->detailsLoaded = true;
  c->lanname = "c";
  c->proisstrict = true;
  c->procost = "1";
  c->prorows = "0";
  c->funcargs = c->funciargs = "text";
  c->funcresult = "integer";
  c->funcresultNull = false;
  c->prosupport = "-";
  c->probin = "$libdir/hstore";
  c->prosrc = "hstore_in";
  c->dump = kCompDefinition;
  FuncInfo* praw = f.store.add(std::move(p));
  FuncInfo* craw = f.store.add(std::move(c));
  ASSERT_TRUE(dumpFunc(f.ctx, *praw).ok());
  ASSERT_TRUE(dumpFunc(f.ctx, *craw).ok());
  ASSERT_EQ(f.ctx.entries.size(), 2u);
  EXPECT_EQ(f.ctx.entries[0].desc, "PROCEDURE");
  EXPECT_EQ(*f.ctx.entries[0].defn,
            "CREATE PROCEDURE public.prstd(IN a integer)\n    LANGUAGE sql\n    BEGIN ATOMIC\n SELECT a AS a;\nEND;\n");
  EXPECT_EQ(*f.ctx.entries[1].defn,
            "CREATE FUNCTION public.cfunc(text) RETURNS integer\n    LANGUAGE c STRICT\n"
            "    AS '$libdir/hstore', 'hstore_in';\n");
}

TEST(DumpKindsAType, EnumAndDomainWithConstraints) {
  Fixture f;
  auto t = std::make_unique<TypeInfo>();
  t->name = "mood ü";
  t->ns = f.pub;
  t->typtype = 'e';
  t->detailsLoaded = true;
  t->enumLabels = {"sad", "o'k", "happy\nx"};
  t->dump = kCompDefinition;
  TypeInfo* e = f.store.add(std::move(t));
  ASSERT_TRUE(dumpType(f.ctx, *e).ok());
  ASSERT_EQ(f.ctx.entries.size(), 1u);
  EXPECT_EQ(*f.ctx.entries[0].defn, "CREATE TYPE public.\"mood ü\" AS ENUM (\n    'sad',\n    'o''k',\n    'happy\nx'\n);\n");

  auto d = std::make_unique<TypeInfo>();
  d->name = "pos int";
  d->ns = f.pub;
  d->typtype = 'd';
  d->detailsLoaded = true;
  d->typdefn = "integer";
  d->typnotnull = true;
  d->hasDefault = true;
  d->typdefault = "1";
  d->dump = kCompDefinition;
  TypeInfo* dom = f.store.add(std::move(d));
  for (auto [name, def, sep] : {std::tuple{"pos chk", "CHECK ((VALUE > 0))", false},
                                std::tuple{"nv", "CHECK ((VALUE <> 0)) NOT VALID", true}}) {
    auto c = std::make_unique<ConstraintInfo>();
    c->name = name;
    c->condef = def;
    c->separate = sep;
    dom->domChecks.push_back(f.store.add(std::move(c)));
  }
  ASSERT_TRUE(dumpType(f.ctx, *dom).ok());
  ASSERT_EQ(f.ctx.entries.size(), 2u);
  EXPECT_EQ(f.ctx.entries[1].desc, "DOMAIN");
  EXPECT_EQ(*f.ctx.entries[1].defn,
            "CREATE DOMAIN public.\"pos int\" AS integer NOT NULL DEFAULT 1\n\tCONSTRAINT \"pos chk\" CHECK ((VALUE > 0));\n");
}

}  // namespace
