// Emitters and helpers of group B kinds fed hand-built objects; the expected
// text is what stock pg_dump 15 writes for the same catalog contents.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "dump/acl.hpp"
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_b_common.hpp"
#include "dump/objects/operator.hpp"
#include "dump/objects/publication.hpp"

using namespace pgarc;
using namespace pgarc::dump;

namespace {

struct Fixture {
  DumpOptions options;
  ObjectStore store;
  Quoter quote;
  EmitContext ctx{options, store, quote, nullptr};
  NamespaceInfo* nsp = nullptr;
  Fixture() {
    store.catalogOids["pg_operator"] = 2617;
    auto ns = std::make_unique<NamespaceInfo>();
    ns->name = "Op \"sch";
    nsp = store.add(std::move(ns));
  }
  OprInfo* addOperator(uint32_t oid, const std::string& name, char kind) {
    auto o = std::make_unique<OprInfo>();
    o->catId = {2617, oid};
    o->name = name;
    o->ns = nsp;
    o->owner = "postgres";
    o->oprkind = kind;
    o->oprcode = 1;
    o->dump = kCompAll;
    return store.add(std::move(o));
  }
};

TEST(DumpKindsBRegProc, StripsArgumentListOutsideQuotes) {
  EXPECT_EQ(regProcReference("-"), "");
  EXPECT_EQ(regProcReference("eqsel"), "eqsel");
  EXPECT_EQ(regProcReference("public.f(integer,text)"), "public.f");
  EXPECT_EQ(regProcReference("\"Op (\"\"sch\".f(integer)"), "\"Op (\"\"sch\".f");
}

RC_GTEST_PROP(DumpKindsBRegProc, ResultIsPrefixWithoutUnquotedParen, (const std::string& proc)) {
  RC_PRE(proc != "-");
  const std::string r = regProcReference(proc);
  RC_ASSERT(proc.compare(0, r.size(), r) == 0);
  bool inquote = false;
  for (char c : r) {
    RC_ASSERT(!(c == '(' && !inquote));
    if (c == '"') inquote = !inquote;
  }
  if (r.size() < proc.size()) RC_ASSERT(proc[r.size()] == '(');
}

TEST(DumpKindsBOperator, InfixOperatorAsPgDump15WritesIt) {
  Fixture f;
  OprInfo* eq = f.addOperator(100, "===", 'b');
  OprInfo* ne = f.addOperator(101, "!==", 'b');
  ne->dump = kCompNone;
  eq->detailsLoaded = true;
  eq->code = "\"Op \"\"sch\".myeq(integer,integer)";
  eq->left = eq->right = "integer";
  eq->com = 100;
  eq->negate = 101;
  eq->canmerge = eq->canhash = true;
  eq->rest = "eqsel(internal,oid,internal,integer)";
  eq->join = "eqjoinsel(internal,oid,internal,smallint,internal)";
  ASSERT_TRUE(dumpOpr(f.ctx, *eq).ok());
  ASSERT_EQ(f.ctx.entries.size(), 1u);
  const TocEntry& e = f.ctx.entries[0];
  EXPECT_EQ(e.desc, "OPERATOR");
  EXPECT_EQ(e.tag, "===");
  EXPECT_EQ(*e.defn,
            "CREATE OPERATOR \"Op \"\"sch\".=== (\n"
            "    FUNCTION = \"Op \"\"sch\".myeq,\n"
            "    LEFTARG = integer,\n"
            "    RIGHTARG = integer,\n"
            "    COMMUTATOR = OPERATOR(\"Op \"\"sch\".===),\n"
            "    NEGATOR = OPERATOR(\"Op \"\"sch\".!==),\n"
            "    MERGES,\n"
            "    HASHES,\n"
            "    RESTRICT = eqsel,\n"
            "    JOIN = eqjoinsel\n"
            ");\n");
  EXPECT_EQ(*e.dropStmt, "DROP OPERATOR \"Op \"\"sch\".=== (integer, integer);\n");
  EXPECT_TRUE(e.dependencies.empty());  // derived from the object's dependencies when the TOC is built
}

TEST(DumpKindsBOperator, PrefixOperatorAndShellOperator) {
  Fixture f;
  OprInfo* neg = f.addOperator(102, "~~~", 'l');
  neg->detailsLoaded = true;
  neg->code = "public.myneg(integer)";
  neg->right = "integer";
  neg->left = "-";
  neg->rest = neg->join = "-";
  ASSERT_TRUE(dumpOpr(f.ctx, *neg).ok());
  ASSERT_EQ(f.ctx.entries.size(), 1u);
  EXPECT_EQ(*f.ctx.entries[0].defn,
            "CREATE OPERATOR \"Op \"\"sch\".~~~ (\n    FUNCTION = public.myneg,\n    RIGHTARG = integer\n);\n");
  EXPECT_EQ(*f.ctx.entries[0].dropStmt, "DROP OPERATOR \"Op \"\"sch\".~~~ (NONE, integer);\n");

  OprInfo* shell = f.addOperator(103, "!==", 'b');
  shell->oprcode = 0;
  ASSERT_TRUE(dumpOpr(f.ctx, *shell).ok());
  EXPECT_EQ(f.ctx.entries.size(), 1u);  // shell operators are not dumped
}

TEST(DumpKindsBOperator, SortsPrefixBeforeInfix) {
  Fixture f;
  OprInfo* prefix = f.addOperator(104, "@@@", 'l');
  OprInfo* infix = f.addOperator(105, "@@@", 'b');
  EXPECT_LT(prefix->sortTieBreak(*infix), 0);
  EXPECT_GT(infix->sortTieBreak(*prefix), 0);
  EXPECT_EQ(infix->sortTieBreak(*infix), 0);
}

TEST(DumpKindsBDefaultAcl, PrefixedCommandsMatchPgDump15) {
  Quoter q;
  auto sql = buildAclCommands(q, "", "", "", "SEQUENCES", "{\"r2=U*/\\\"kinds B role\\\"\"}", "{}", "kinds B role",
                              "ALTER DEFAULT PRIVILEGES FOR ROLE \"kinds B role\" IN SCHEMA \"St sch\" ");
  ASSERT_TRUE(sql);
  EXPECT_EQ(*sql, "ALTER DEFAULT PRIVILEGES FOR ROLE \"kinds B role\" IN SCHEMA \"St sch\" GRANT USAGE ON SEQUENCES  "
                  "TO r2 WITH GRANT OPTION;\n");
  sql = buildAclCommands(q, "", "", "", "FUNCTIONS", "{r2=X/r2}", "{=X/r2,r2=X/r2}", "r2",
                         "ALTER DEFAULT PRIVILEGES FOR ROLE r2 ");
  ASSERT_TRUE(sql);
  EXPECT_EQ(*sql, "ALTER DEFAULT PRIVILEGES FOR ROLE r2 REVOKE ALL ON FUNCTIONS  FROM PUBLIC;\n");
  sql = buildAclCommands(q, "", "", "", "TABLES", "{postgres=arwdDxt/postgres,r2=aw/postgres}", "{}", "postgres",
                         "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA \"St sch\" ");
  ASSERT_TRUE(sql);
  EXPECT_EQ(*sql,
            "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA \"St sch\" GRANT ALL ON TABLES  TO postgres;\n"
            "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA \"St sch\" GRANT INSERT,UPDATE ON TABLES  TO r2;\n");
}

TEST(DumpKindsBDefaultAcl, UnprefixedCommandsUnchanged) {
  Quoter q;
  auto sql = buildAclCommands(q, "t", "", "public", "TABLE", "{postgres=arwdDxt/postgres,r2=r/postgres}",
                              "{postgres=arwdDxt/postgres}", "postgres");
  ASSERT_TRUE(sql);
  EXPECT_EQ(*sql, "GRANT SELECT ON TABLE public.t TO r2;\n");
}

TEST(DumpKindsBPublication, PublishListAndPostDataSection) {
  Fixture f;
  auto p = std::make_unique<PublicationInfo>();
  p->name = "pub ü";
  p->owner = "postgres";
  p->pubinsert = p->pubtruncate = p->pubviaroot = true;
  p->dump = kCompDefinition;
  PublicationInfo* pub = f.store.add(std::move(p));
  ASSERT_TRUE(dumpPublication(f.ctx, *pub).ok());
  ASSERT_EQ(f.ctx.entries.size(), 1u);
  const TocEntry& e = f.ctx.entries[0];
  EXPECT_EQ(*e.defn, "CREATE PUBLICATION \"pub ü\" WITH (publish = 'insert, truncate', "
                     "publish_via_partition_root = true);\n");
  EXPECT_EQ(*e.dropStmt, "DROP PUBLICATION \"pub ü\";\n");
  EXPECT_EQ(e.section, Section::PostData);
  EXPECT_FALSE(e.namespace_.has_value());

  auto all = std::make_unique<PublicationInfo>();
  all->name = "allpub";
  all->alltables = true;
  all->dump = kCompDefinition;
  PublicationInfo* allpub = f.store.add(std::move(all));
  ASSERT_TRUE(dumpPublication(f.ctx, *allpub).ok());
  EXPECT_EQ(*f.ctx.entries.back().defn, "CREATE PUBLICATION allpub FOR ALL TABLES WITH (publish = '');\n");
}

TEST(DumpKindsBOptions, OptionsClauseLayout) {
  EXPECT_EQ(optionsClause(""), "");
  EXPECT_EQ(optionsClause("host 'x',\n    port '1'"), " OPTIONS (\n    host 'x',\n    port '1'\n)");
}

}  // namespace
