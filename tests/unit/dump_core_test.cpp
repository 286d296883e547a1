// Unit tests of the dump core's pure parts: identifier/literal quoting, ACL
// command generation, the command line, name patterns, and the dependency
// sort (with RapidCheck properties).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <memory>

#include "dump/acl.hpp"
#include "dump/model.hpp"
#include "dump/options.hpp"
#include "dump/pg_dump_version.hpp"
#include "dump/quoting.hpp"
#include "dump/selection.hpp"
#include "dump/sort.hpp"

using namespace pgarc;
using namespace pgarc::dump;

TEST(DumpQuoting, IdentifiersFollowFmtId) {
  Quoter q;
  EXPECT_EQ(q.id("plain"), "plain");
  EXPECT_EQ(q.id("_x9"), "_x9");
  EXPECT_EQ(q.id("Name"), "\"Name\"");
  EXPECT_EQ(q.id("9lives"), "\"9lives\"");
  EXPECT_EQ(q.id("sel ect"), "\"sel ect\"");
  EXPECT_EQ(q.id("we\"ird"), "\"we\"\"ird\"");
  EXPECT_EQ(q.id("ü"), "\"ü\"");
  EXPECT_EQ(q.id(""), "\"\"");
  // Reserved, column-name and type-function-name keywords are quoted; unreserved ones are not.
  EXPECT_EQ(q.id("select"), "\"select\"");
  EXPECT_EQ(q.id("between"), "\"between\"");  // column name keyword
  EXPECT_EQ(q.id("left"), "\"left\"");        // type/function name keyword
  EXPECT_EQ(q.id("abort"), "abort");          // unreserved
  EXPECT_EQ(q.id("payload"), "payload");
  EXPECT_EQ(q.qualified("Sch ema", "t"), "\"Sch ema\".t");
  Quoter all(true);
  EXPECT_EQ(all.id("plain"), "\"plain\"");
}

TEST(DumpQuoting, KeywordTableIsSortedAndComplete) {
  const auto& words = reservedKeywords();
  EXPECT_TRUE(std::is_sorted(words.begin(), words.end()));
  EXPECT_EQ(words.size(), 151u);  // 77 reserved + 51 column-name + 23 type/function-name in PostgreSQL 15
}

TEST(DumpQuoting, Literals) {
  Quoter q;
  EXPECT_EQ(q.literal("a'b"), "'a''b'");
  EXPECT_EQ(q.literal("back\\slash"), "'back\\slash'");
  // With standard_conforming_strings off pg_dump doubles backslashes but,
  // unlike appendStringLiteralConn, writes no E prefix.
  Quoter old(false, false);
  EXPECT_EQ(old.literal("back\\slash"), "'back\\\\slash'");
  EXPECT_EQ(old.connectionLiteral("back\\slash"), "E'back\\\\slash'");
}

// ALTER DATABASE/ROLE ... SET values go through appendStringLiteralConn,
// which writes E'' for any value with a backslash even with
// standard_conforming_strings on (found by DumpHostile).
TEST(DumpQuoting, ConnectionLiterals) {
  Quoter q;
  EXPECT_EQ(q.connectionLiteral("a'b"), "'a''b'");
  EXPECT_EQ(q.connectionLiteral("x\\a'"), "E'x\\\\a'''");
}

TEST(DumpQuoting, DollarQuoteTagAvoidsContent) {
  EXPECT_EQ(dollarQuote("select 1"), "$$select 1$$");
  EXPECT_EQ(dollarQuote("a $$ b"), "$_$a $$ b$_$");
  EXPECT_EQ(dollarQuote("$_$ and $$"), "$_X$$_$ and $$$_X$");
  EXPECT_EQ(dollarQuote("body", "q"), "$q$body$q$");
}

RC_GTEST_PROP(DumpQuotingProps, DollarQuotedBodyNeverContainsTag, (const std::string& body)) {
  std::string quoted = dollarQuote(body);
  size_t tagEnd = quoted.find('$', 1);
  RC_ASSERT(tagEnd != std::string::npos);
  std::string tag = quoted.substr(0, tagEnd + 1);
  RC_ASSERT(quoted.size() == body.size() + 2 * tag.size());
  RC_ASSERT(quoted.substr(tag.size(), body.size()) == body);
  // The tag without its closing $ does not occur in the body.
  RC_ASSERT(body.find(tag.substr(0, tag.size() - 1)) == std::string::npos);
}

TEST(DumpAcl, ParsesArrays) {
  auto v = parsePgArray("{a=r/b,\"x y=r/\\\"q\\\"\"}");
  ASSERT_TRUE(v);
  ASSERT_EQ(v->size(), 2u);
  EXPECT_EQ((*v)[1], "x y=r/\"q\"");
  EXPECT_FALSE(parsePgArray("not an array"));
  EXPECT_TRUE(parsePgArray("{}")->empty());
}

TEST(DumpAcl, GrantsAndRevokesAgainstDefault) {
  Quoter q;
  // Matches stock pg_dump 15 output for GRANT SELECT, INSERT ... TO "Role ""X""".
  auto sql = buildAclCommands(q, "child", "", "app", "TABLE", "{alice=arwdDxt/alice,\"\\\"Role \\\"\\\"X\\\"\\\"\\\"=ar/alice\"}",
                              "{alice=arwdDxt/alice}", "alice");
  ASSERT_TRUE(sql);
  EXPECT_EQ(*sql, "GRANT SELECT,INSERT ON TABLE app.child TO \"Role \"\"X\"\"\";\n");
  // Owner's privileges revoked, with grant option given to someone else.
  sql = buildAclCommands(q, "t", "", "s", "TABLE", "{=r/o,bob=arwdDxt*/o}", "{o=arwdDxt/o}", "o");
  ASSERT_TRUE(sql);
  EXPECT_EQ(*sql,
            "REVOKE ALL ON TABLE s.t FROM o;\nGRANT SELECT ON TABLE s.t TO PUBLIC;\n"
            "GRANT SELECT,INSERT,REFERENCES,DELETE,TRUNCATE,UPDATE ON TABLE s.t TO bob;\n"
            "GRANT TRIGGER ON TABLE s.t TO bob WITH GRANT OPTION;\n");
  // Column privilege.
  sql = buildAclCommands(q, "child", "payload", "app", "TABLE", "{=r/alice}", "{}", "alice");
  ASSERT_TRUE(sql);
  EXPECT_EQ(*sql, "GRANT SELECT(payload) ON TABLE app.child TO PUBLIC;\n");
  // A grantor other than the owner needs SET SESSION AUTHORIZATION.
  sql = buildAclCommands(q, "s", "", "", "SCHEMA", "{o=UC/o,x=U/bob}", "{o=UC/o}", "o");
  ASSERT_TRUE(sql);
  EXPECT_EQ(*sql, "SET SESSION AUTHORIZATION bob;\nGRANT USAGE ON SCHEMA s TO x;\nRESET SESSION AUTHORIZATION;\n");
  // NULL ACL: defaults, nothing to do.
  sql = buildAclCommands(q, "d", "", "", "DATABASE", "", "{=Tc/o,o=CTc/o}", "o");
  ASSERT_TRUE(sql);
  EXPECT_EQ(*sql, "");
  EXPECT_FALSE(buildAclCommands(q, "t", "", "", "TABLE", "{garbage}", "{}", "o"));
}

TEST(DumpOptions, DefaultsAndConflicts) {
  auto p = parseDumpCommandLine({"mydb"});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->options.format, ArchiveKind::Plain);
  EXPECT_EQ(*p->options.dbname, "mydb");
  p = parseDumpCommandLine({"-Fc", "-Z", "5", "--file=x", "-n", "a", "--schema=b", "-vx"});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->options.format, ArchiveKind::Custom);
  EXPECT_EQ(*p->options.compressLevel, 5);
  EXPECT_EQ(p->options.schemaPatterns.size(), 2u);
  EXPECT_TRUE(p->options.verbose && p->options.noPrivileges);
  p = parseDumpCommandLine({"--col", "db"});  // unique prefix of --column-inserts
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->options.columnInserts);
  EXPECT_EQ(p->options.rowsPerInsert, 1);
  // pg_dump 15's abbreviations keep their meaning next to pgarc's own long
  // options (--target-pg-restore, --archive-version) and without the
  // --no-synchronized-snapshots that pg_dump 15 no longer has.
  p = parseDumpCommandLine({"--no-sy", "--ta=t1", "--a", "db"});
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_TRUE(p->options.noSync);
  ASSERT_EQ(p->options.tablePatterns.size(), 1u);
  EXPECT_EQ(p->options.tablePatterns[0], "t1");
  EXPECT_TRUE(p->options.columnInserts);
  p = parseDumpCommandLine({"--targ=15", "db"});  // a prefix only pgarc's option has
  ASSERT_TRUE(p.ok()) << p.error().message;

  auto err = [](std::vector<std::string> a) {
    auto r = parseDumpCommandLine(a);
    return r.ok() ? std::string() : r.error().message;
  };
  EXPECT_EQ(err({"-s", "-a"}), "options -s/--schema-only and -a/--data-only cannot be used together");
  EXPECT_EQ(err({"-c", "-a"}), "options -c/--clean and -a/--data-only cannot be used together");
  EXPECT_EQ(err({"--if-exists"}), "option --if-exists requires option -c/--clean");
  EXPECT_EQ(err({"--on-conflict-do-nothing"}),
            "option --on-conflict-do-nothing requires option --inserts, --rows-per-insert, or --column-inserts");
  // pg_dump 15.14's \restrict key: letters and digits, plain format only.
  EXPECT_EQ(err({"--restrict-key=a_b"}), "invalid restrict key");
  EXPECT_EQ(err({"--restrict-key="}), "invalid restrict key");
  EXPECT_EQ(err({"-Fc", "--restrict-key=abc"}), "option --restrict-key can only be used with --format=plain");
  EXPECT_EQ(err({"-Fd", "--restrict-key=a_b"}), "option --restrict-key can only be used with --format=plain");
  EXPECT_EQ(err({"-Fp", "--restrict-key=Abc9"}), "");
  EXPECT_EQ(err({"-Ft", "-Z1"}), "compression is not supported by tar archive format");
  EXPECT_EQ(err({"-j2"}), "parallel backup only supported by the directory format");
  EXPECT_EQ(err({"-Z10"}), "-Z/--compress must be in range 0..9");
  EXPECT_EQ(err({"-Fx"}), "invalid output format \"x\" specified");
  EXPECT_EQ(err({"--rows-per-insert=0"}), "--rows-per-insert must be in range 1..2147483647");
  EXPECT_NE(err({"a", "b"}).find("too many command-line arguments (first is \"b\")"), std::string::npos);
  EXPECT_NE(err({"--bogus"}).find("unrecognized option '--bogus'"), std::string::npos);
  EXPECT_NE(err({"--no-synchronized-snapshots"}).find("unrecognized option '--no-synchronized-snapshots'"),
            std::string::npos);
  EXPECT_NE(err({"--no-s"}).find("option '--no-s' is ambiguous"), std::string::npos);
  EXPECT_NE(err({"-q"}).find("invalid option -- 'q'"), std::string::npos);
  EXPECT_NE(err({"--section=foo"}).find("unrecognized section name: \"foo\""), std::string::npos);
  EXPECT_NE(err({"-f"}).find("option requires an argument -- 'f'"), std::string::npos);
}

TEST(DumpPatterns, ShellStyleToAnchoredRegex) {
  EXPECT_EQ(parseNamePattern("Foo*").parts, std::vector<std::string>{"^(foo.*)$"});
  EXPECT_EQ(parseNamePattern("\"Foo*\"").parts, std::vector<std::string>{"^(Foo\\*)$"});
  EXPECT_EQ(parseNamePattern("s.t?").parts, (std::vector<std::string>{"^(s)$", "^(t.)$"}));
  EXPECT_EQ(parseNamePattern("\"a.b\".c").parts, (std::vector<std::string>{"^(a\\.b)$", "^(c)$"}));
  EXPECT_EQ(parseNamePattern("x$y").parts, std::vector<std::string>{"^(x\\$y)$"});
  EXPECT_EQ(parseNamePattern("\"q\"\"q\"").parts, std::vector<std::string>{"^(q\"q)$"});
  EXPECT_EQ(parseNamePattern("int[]").parts, std::vector<std::string>{"^(int\\[])$"});
}

namespace {

// Objects with random types/names/dependencies for the sort properties.
struct Graph {
  std::vector<std::unique_ptr<DumpableObject>> owned;
  std::vector<DumpableObject*> ptrs;
};

Graph makeGraph(int n, const std::vector<std::pair<int, int>>& edges, const std::vector<int>& types,
                const std::vector<int>& names) {
  Graph g;
  static const ObjectType kTypes[] = {ObjectType::Namespace, ObjectType::Func, ObjectType::Table,
                                      ObjectType::Index, ObjectType::FkConstraint, ObjectType::TableData};
  for (int i = 0; i < n; i++) {
    auto o = std::make_unique<PlainObject>(kTypes[types[i] % 6]);
    o->dumpId = i + 1;
    o->catId.oid = static_cast<uint32_t>(1000 + i);
    o->name = "n" + std::to_string(names[i] % 5);
    g.ptrs.push_back(o.get());
    g.owned.push_back(std::move(o));
  }
  // Only edges from higher to lower index: acyclic by construction.
  for (auto [a, b] : edges) {
    if (n == 0) break;
    int x = a % n, y = b % n;
    if (x > y) g.ptrs[x]->dependencies.push_back(y + 1);
  }
  return g;
}

}  // namespace

RC_GTEST_PROP(DumpSortProps, OutputRespectsEveryDependency,
              (const std::vector<std::pair<int, int>>& rawEdges)) {
  const int n = *rc::gen::inRange(1, 40);
  auto types = *rc::gen::container<std::vector<int>>(n, rc::gen::inRange(0, 6));
  auto names = *rc::gen::container<std::vector<int>>(n, rc::gen::inRange(0, 5));
  std::vector<std::pair<int, int>> edges;
  for (auto [a, b] : rawEdges) edges.push_back({std::abs(a % 1000), std::abs(b % 1000)});
  Graph g = makeGraph(n, edges, types, names);
  std::vector<DumpableObject*> objs = g.ptrs;
  sortByTypeName(objs);
  auto out = sortByDependencies(objs, n, [&](DumpId id) { return id >= 1 && id <= n ? g.ptrs[id - 1] : nullptr; },
                                nullptr);
  RC_ASSERT(out.size() == static_cast<size_t>(n));
  std::map<DumpId, size_t> pos;
  for (size_t i = 0; i < out.size(); i++) pos[out[i]->dumpId] = i;
  RC_ASSERT(pos.size() == static_cast<size_t>(n));
  for (auto* o : out)
    for (DumpId d : o->dependencies) RC_ASSERT(pos[d] < pos[o->dumpId]);
}

RC_GTEST_PROP(DumpSortProps, WithoutDependenciesOrderIsTypeNameOid, ()) {
  const int n = *rc::gen::inRange(1, 40);
  auto types = *rc::gen::container<std::vector<int>>(n, rc::gen::inRange(0, 6));
  auto names = *rc::gen::container<std::vector<int>>(n, rc::gen::inRange(0, 5));
  Graph g = makeGraph(n, {}, types, names);
  std::vector<DumpableObject*> objs = g.ptrs;
  std::reverse(objs.begin(), objs.end());
  sortByTypeName(objs);
  auto out = sortByDependencies(objs, n, [&](DumpId id) { return g.ptrs[id - 1]; }, nullptr);
  for (size_t i = 1; i < out.size(); i++) {
    const auto* a = out[i - 1];
    const auto* b = out[i];
    int pa = typePriority(a->type), pb = typePriority(b->type);
    RC_ASSERT(pa <= pb);
    if (pa == pb) {
      RC_ASSERT(a->name <= b->name);
      if (a->name == b->name) RC_ASSERT(a->catId.oid < b->catId.oid);
    }
  }
}

TEST(DumpSort, TableAndInlineDefaultLoopIsRepaired) {
  // table <-> default (2-loop): the default's dependency on the table is dropped.
  TableInfo t;
  t.dumpId = 1;
  t.name = "t";
  AttrDefInfo d;
  d.dumpId = 2;
  d.table = &t;
  t.dependencies = {2};
  d.dependencies = {1};
  std::vector<DumpableObject*> objs = {&t, &d};
  sortByTypeName(objs);
  auto out = sortByDependencies(objs, 2, [&](DumpId id) -> DumpableObject* { return id == 1 ? static_cast<DumpableObject*>(&t) : &d; }, nullptr);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], &d);
  EXPECT_FALSE(d.separate);
  EXPECT_TRUE(d.dependencies.empty());
}

TEST(DumpSort, IndirectDefaultLoopMakesDefaultSeparate) {
  // sequence -> table -> default -> sequence (serial column): default becomes separate.
  TableInfo seq, tbl;
  seq.dumpId = 1;
  seq.name = "s";
  seq.relkind = 'S';
  tbl.dumpId = 2;
  tbl.name = "t";
  AttrDefInfo d;
  d.dumpId = 3;
  d.table = &tbl;
  seq.dependencies = {2};
  tbl.dependencies = {3};
  d.dependencies = {2, 1};
  std::vector<DumpableObject*> all = {&seq, &tbl, &d};
  std::vector<DumpableObject*> objs = all;
  sortByTypeName(objs);
  auto out = sortByDependencies(objs, 3, [&](DumpId id) { return all[id - 1]; }, nullptr);
  EXPECT_TRUE(d.separate);
  EXPECT_EQ(d.dependencies, (std::vector<DumpId>{2, 1, 2}));  // as pg_dump: the table dependency is re-added
  EXPECT_TRUE(tbl.dependencies.empty());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out.back(), &d);
}

// Sorts `all` (dumpIds 1..n in that order), returning the warnings given.
static std::vector<std::string> sortWarnings(std::vector<DumpableObject*> all, std::vector<DumpableObject*>& out) {
  std::vector<DumpableObject*> objs = all;
  sortByTypeName(objs);
  std::vector<std::string> warnings;
  out = sortByDependencies(objs, static_cast<DumpId>(all.size()), [&](DumpId id) { return all[id - 1]; },
                           [&](const std::string& w) { warnings.push_back(w); });
  return warnings;
}

TEST(DumpSort, ForeignKeyCycleOfTableDataWarnsAsPgDump) {
  // Data-only dump of two tables referencing each other: pg_dump names the
  // tables and gives its advice instead of the generic loop message, and
  // breaks the loop at the first item's dependency on the second.
  TableDataInfo a, b;
  a.dumpId = 1;
  a.name = "agents";
  b.dumpId = 2;
  b.name = "departments";
  a.dependencies = {2};
  b.dependencies = {1};
  std::vector<DumpableObject*> out;
  std::vector<std::string> warnings = sortWarnings({&a, &b}, out);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "there are circular foreign-key constraints among these tables:\ndetail: agents\ndetail: departments\n"
            "hint: You might not be able to restore the dump without using --disable-triggers or temporarily "
            "dropping the constraints.\nhint: Consider using a full dump instead of a --data-only dump to avoid "
            "this problem.");
  EXPECT_TRUE(a.dependencies.empty());
  ASSERT_EQ(out.size(), 2u);
}

TEST(DumpSort, UnbreakableLoopIsDescribedAsPgDump154Does) {
  // No repair rule covers a schema and a table that need each other: pg_dump
  // 15.4 and later list the loop's items as warning details, then drop the
  // first item's dependency on the second.
  NamespaceInfo s;
  s.dumpId = 1;
  s.catId.oid = 2200;
  s.name = "s";
  TableInfo t;
  t.dumpId = 2;
  t.catId.oid = 16384;
  t.name = "t";
  s.dependencies = {2};
  t.dependencies = {1};
  std::vector<DumpableObject*> out;
  std::vector<std::string> warnings = sortWarnings({&s, &t}, out);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "could not resolve dependency loop among these items:\ndetail: SCHEMA s  (ID 1 OID 2200)\n"
            "detail: TABLE t  (ID 2 OID 16384)");
  EXPECT_TRUE(s.dependencies.empty());
  ASSERT_EQ(out.size(), 2u);
}

TEST(DumpSort, LoopDescriptionsFollowPgDump) {
  TableInfo t;
  t.name = "t";
  t.attrs.resize(2);
  t.attrs[1].name = "b";
  AttrDefInfo d;
  d.dumpId = 5;
  d.catId.oid = 7;
  d.table = &t;
  d.adnum = 2;
  EXPECT_EQ(d.loopDescription(), "ATTRDEF t.b  (ID 5 OID 7)");
  DumpableObject server(ObjectType::ForeignServer), policy(ObjectType::Policy), attach(ObjectType::IndexAttach);
  server.name = attach.name = "x";
  server.dumpId = policy.dumpId = attach.dumpId = 3;
  server.catId.oid = policy.catId.oid = attach.catId.oid = 9;
  EXPECT_EQ(server.loopDescription(), "FOREIGN SERVER x  (ID 3 OID 9)");
  EXPECT_EQ(policy.loopDescription(), "POLICY (ID 3 OID 9)");
  EXPECT_EQ(attach.loopDescription(), "INDEX ATTACH x  (ID 3)");
}

TEST(PgDumpVersion, MinorReleaseDecidesTheAttributeVersionOption) {
  EXPECT_EQ(pgarc::dump::pgDumpMinorVersion("15.18 (Debian 15.18-0+deb12u1)"), 18);
  EXPECT_EQ(pgarc::dump::pgDumpMinorVersion("15.20 (Debian 15.20-0+deb12u1)"), 20);
  EXPECT_EQ(pgarc::dump::pgDumpMinorVersion("15.3"), 3);
  EXPECT_EQ(pgarc::dump::kHidesAttributeVersionOption, pgarc::dump::kPgDumpMinor >= 20);
}
