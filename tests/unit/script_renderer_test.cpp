// The script and listing renderers on TOCs built in memory, with expected
// text taken from pg_restore 15.18's behaviour (see the stock comparison in
// tests/integration/script_renderer_stock_test.cpp for the real archives).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdlib>
#include <ctime>
#include <map>
#include <vector>

#include "format/io.hpp"
#include "format/script/entry_printer.hpp"
#include "format/script/selection.hpp"
#include "format/script/sql_text.hpp"
#include "format/script_renderer.hpp"

namespace pgarc {
namespace {

using script::quoteIdent;

TocEntry special(int id, const std::string& desc, const std::string& defn) {
  TocEntry e;
  e.dumpId = id;
  e.tag = desc;
  e.desc = desc;
  e.section = Section::PreData;
  e.defn = defn;
  return e;
}

TocEntry object(int id, const std::string& desc, const std::string& ns, const std::string& tag, Section section,
                const std::string& defn, const std::string& drop, const std::string& owner = "postgres") {
  TocEntry e;
  e.dumpId = id;
  e.desc = desc;
  e.namespace_ = ns.empty() ? OptString() : OptString(ns);
  e.tag = tag;
  e.section = section;
  e.defn = defn;
  if (!drop.empty()) e.dropStmt = drop;
  e.owner = owner;
  return e;
}

TocEntry dependent(int id, const std::string& desc, const std::string& ns, const std::string& tag,
                   const std::string& defn, int parent) {
  TocEntry e = object(id, desc, ns, tag, Section::None, defn, "");
  e.dependencies = {std::to_string(parent)};
  return e;
}

// A small archive: public schema table with data, comment, ACL, index.
ArchiveToc sampleToc() {
  ArchiveToc toc;
  toc.header.version = ArchiveVersion{1, 14, 0};
  toc.header.dbname = "db";
  toc.header.serverVersion = "15.18";
  toc.header.dumpVersion = "15.18";
  toc.entries.push_back(special(90, "ENCODING", "SET client_encoding = 'UTF8';\n"));
  toc.entries.push_back(special(91, "STDSTRINGS", "SET standard_conforming_strings = 'on';\n"));
  toc.entries.push_back(special(92, "SEARCHPATH", "SELECT pg_catalog.set_config('search_path', '', false);\n"));
  TocEntry db = object(93, "DATABASE", "", "db", Section::PreData, "CREATE DATABASE db;\n", "DROP DATABASE db;\n");
  toc.entries.push_back(db);
  TocEntry table = object(10, "TABLE", "public", "t", Section::PreData, "CREATE TABLE public.t (a integer);\n",
                          "DROP TABLE public.t;\n");
  table.tablespace = "";
  table.tableam = "heap";
  toc.entries.push_back(table);
  toc.entries.push_back(dependent(11, "COMMENT", "public", "TABLE t", "COMMENT ON TABLE public.t IS 'x';\n", 10));
  toc.entries.push_back(dependent(12, "ACL", "public", "TABLE t", "GRANT SELECT ON TABLE public.t TO r;\n", 10));
  TocEntry data = object(20, "TABLE DATA", "public", "t", Section::Data, "", "");
  data.defn.reset();
  data.hadDumper = true;
  data.copyStmt = "COPY public.t (a) FROM stdin;\n";
  data.dependencies = {"10"};
  toc.entries.push_back(data);
  toc.entries.push_back(object(30, "INDEX", "public", "t_idx", Section::PostData,
                               "CREATE INDEX t_idx ON public.t USING btree (a);\n", "DROP INDEX public.t_idx;\n"));
  return toc;
}

class FakeData : public DataSource {
 public:
  std::map<int, std::string> tables;
  std::map<int, std::vector<std::pair<uint32_t, std::vector<std::string>>>> blobs;  // oid -> chunks
  Status readTableData(const TocEntry& entry, DataSink& sink) override {
    auto it = tables.find(entry.dumpId);
    if (it == tables.end()) return makeError("no data for entry");
    return sink.data(it->second);
  }
  Status readBlobs(const TocEntry& entry, BlobSink& sink) override {
    for (const auto& [oid, chunks] : blobs[entry.dumpId]) {
      PGARC_TRY(sink.beginBlob(oid));
      for (const auto& c : chunks) PGARC_TRY(sink.data(c));
      PGARC_TRY(sink.endBlob(oid));
    }
    return {};
  }
};

std::string render(const ArchiveToc& toc, RestoreOptions options, FakeData* data = nullptr) {
  FakeData empty;
  empty.tables[20] = "1\n\\.\n\n\n";
  if (!options.restrictKey) options.restrictKey = "KEY";
  MemoryOutput out;
  Status st = renderScript(toc, data ? *data : empty, options, out);
  EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().describe());
  return out.data();
}

std::string list(const ArchiveToc& toc, const RestoreOptions& options) {
  MemoryOutput out;
  Status st = renderList(toc, ArchiveKind::Custom, options, out);
  EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().describe());
  return out.data();
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

const char* kPreamble =
    "--\n-- PostgreSQL database dump\n--\n\n\\restrict KEY\n\n"
    "-- Dumped from database version 15.18\n-- Dumped by pg_dump version 15.18\n\n"
    "SET statement_timeout = 0;\nSET lock_timeout = 0;\nSET idle_in_transaction_session_timeout = 0;\n"
    "SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n"
    "SELECT pg_catalog.set_config('search_path', '', false);\nSET check_function_bodies = false;\n"
    "SET xmloption = content;\nSET client_min_messages = warning;\nSET row_security = off;\n\n";

TEST(ScriptRenderer, WholeScriptForSmallArchive) {
  std::string expected = std::string(kPreamble) +
                         "SET default_tablespace = '';\n\nSET default_table_access_method = heap;\n\n"
                         "--\n-- Name: t; Type: TABLE; Schema: public; Owner: postgres\n--\n\n"
                         "CREATE TABLE public.t (a integer);\n\n\nALTER TABLE public.t OWNER TO postgres;\n\n"
                         "--\n-- Name: TABLE t; Type: COMMENT; Schema: public; Owner: postgres\n--\n\n"
                         "COMMENT ON TABLE public.t IS 'x';\n\n\n"
                         "--\n-- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: postgres\n--\n\n"
                         "COPY public.t (a) FROM stdin;\n1\n\\.\n\n\n"
                         "--\n-- Name: t_idx; Type: INDEX; Schema: public; Owner: postgres\n--\n\n"
                         "CREATE INDEX t_idx ON public.t USING btree (a);\n\n\n"
                         "--\n-- Name: TABLE t; Type: ACL; Schema: public; Owner: postgres\n--\n\n"
                         "GRANT SELECT ON TABLE public.t TO r;\n\n\n"
                         "--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict KEY\n\n";
  EXPECT_EQ(render(sampleToc(), {}), expected);
}

TEST(ScriptRenderer, CreateConnectsToTheNewDatabaseAndRepeatsTheSetBlock) {
  RestoreOptions o;
  o.create = true;
  std::string s = render(sampleToc(), o);
  EXPECT_TRUE(contains(s, "CREATE DATABASE db;\n\n\nALTER DATABASE db OWNER TO postgres;\n\n\\unrestrict KEY\n\\connect db\n\\restrict KEY\n\n"
                          "SET statement_timeout = 0;\n"));
  EXPECT_FALSE(contains(render(sampleToc(), {}), "CREATE DATABASE"));
}

// pg_dump -C and pg_restore -C stop with an error where \connect would need a
// name with a newline or carriage return (found by the hostile-schema work).
TEST(ScriptRenderer, CreateRefusesADatabaseNameWithANewline) {
  ArchiveToc toc = sampleToc();
  for (auto& e : toc.entries)
    if (e.descStr() == "DATABASE") e.tag = "new\nline";
  RestoreOptions o;
  o.create = true;
  o.restrictKey = "KEY";
  FakeData data;
  MemoryOutput out;
  Status st = renderScript(toc, data, o, out);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "database name contains a newline or carriage return: \"new\nline\"");
}

TEST(ScriptRenderer, CleanDropsInReverseOrderWithIfExists) {
  RestoreOptions o;
  o.clean = true;
  o.ifExists = true;
  std::string s = render(sampleToc(), o);
  EXPECT_TRUE(contains(s, "SET row_security = off;\n\nDROP INDEX IF EXISTS public.t_idx;\nDROP TABLE IF EXISTS public.t;\nSET default_tablespace"));
  EXPECT_FALSE(contains(s, "DROP DATABASE"));
  o.create = true;
  s = render(sampleToc(), o);
  EXPECT_TRUE(contains(s, "DROP DATABASE IF EXISTS db;\n"));
  EXPECT_FALSE(contains(s, "DROP TABLE"));
}

TEST(ScriptRenderer, IfExistsRewrites) {
  auto rewrite = [](const std::string& desc, const std::string& drop) {
    TocEntry e;
    e.desc = desc;
    e.dropStmt = drop;
    return script::withIfExists(e);
  };
  EXPECT_EQ(rewrite("FK CONSTRAINT", "ALTER TABLE ONLY app.o DROP CONSTRAINT o_fk;\n"),
            "ALTER TABLE IF EXISTS ONLY app.o DROP CONSTRAINT IF EXISTS o_fk;\n");
  EXPECT_EQ(rewrite("DEFAULT", "ALTER TABLE app.c ALTER COLUMN id DROP DEFAULT;\n"),
            "ALTER TABLE IF EXISTS app.c ALTER COLUMN id DROP DEFAULT;\n");
  EXPECT_EQ(rewrite("MATERIALIZED VIEW", "DROP MATERIALIZED VIEW app.m;\n"),
            "DROP MATERIALIZED VIEW IF EXISTS app.m;\n");
  EXPECT_EQ(rewrite("TRIGGER", "DROP TRIGGER x ON app.o;\n"), "DROP TRIGGER IF EXISTS x ON app.o;\n");
  EXPECT_EQ(rewrite("WEIRD", "DROP SOMETHING x;\n"), "DROP SOMETHING x;\n");
}

TEST(ScriptRenderer, NoOwnerAndNoPrivileges) {
  RestoreOptions o;
  o.noOwner = true;
  o.noPrivileges = true;
  std::string s = render(sampleToc(), o);
  EXPECT_FALSE(contains(s, "OWNER TO"));
  EXPECT_FALSE(contains(s, "GRANT"));
  EXPECT_TRUE(contains(s, "-- Name: t; Type: TABLE; Schema: public; Owner: -\n"));
}

TEST(ScriptRenderer, SessionAuthorizationIsLazyAndQuoted) {
  ArchiveToc toc = sampleToc();
  toc.entries[4].owner = "o'wner";
  RestoreOptions o;
  o.useSetSessionAuthorization = true;
  std::string s = render(toc, o);
  EXPECT_TRUE(contains(s, "SET SESSION AUTHORIZATION 'o''wner';\n\n"));
  EXPECT_TRUE(contains(s, "SET SESSION AUTHORIZATION 'postgres';\n\n"));
  EXPECT_FALSE(contains(s, "OWNER TO"));
}

TEST(ScriptRenderer, SchemaAndDataOnly) {
  RestoreOptions s;
  s.schemaOnly = true;
  std::string schema = render(sampleToc(), s);
  EXPECT_FALSE(contains(schema, "COPY public.t"));
  EXPECT_TRUE(contains(schema, "CREATE INDEX"));
  RestoreOptions a;
  a.dataOnly = true;
  a.disableTriggers = true;
  std::string data = render(sampleToc(), a);
  EXPECT_FALSE(contains(data, "CREATE"));
  EXPECT_TRUE(contains(data, "--\n\nSET SESSION AUTHORIZATION DEFAULT;\n\nALTER TABLE public.t DISABLE TRIGGER ALL;\n\n"
                             "COPY public.t (a) FROM stdin;\n1\n\\.\n\n\nALTER TABLE public.t ENABLE TRIGGER ALL;\n\n"));
}

TEST(ScriptRenderer, ImpliedDataOnlyStillDisablesTriggers) {
  RestoreOptions o;
  o.sections = 2;  // --section=data leaves no schema entry
  o.disableTriggers = true;
  EXPECT_TRUE(contains(render(sampleToc(), o), "DISABLE TRIGGER ALL"));
}

TEST(ScriptRenderer, SectionsLetNoneEntriesInheritThePreviousSection) {
  RestoreOptions o;
  o.sections = 4;  // post-data
  std::string s = render(sampleToc(), o);
  EXPECT_TRUE(contains(s, "CREATE INDEX"));
  EXPECT_FALSE(contains(s, "COMMENT ON"));  // follows the TABLE: pre-data
  o.sections = 1;
  s = render(sampleToc(), o);
  EXPECT_TRUE(contains(s, "COMMENT ON"));
  EXPECT_TRUE(contains(s, "GRANT SELECT"));
  EXPECT_FALSE(contains(s, "CREATE INDEX"));
}

TEST(ScriptRenderer, TableSelectionKeepsItsCommentsAndAcl) {
  RestoreOptions o;
  o.tableNames = {"t"};
  std::string s = render(sampleToc(), o);
  EXPECT_TRUE(contains(s, "COMMENT ON TABLE"));
  EXPECT_TRUE(contains(s, "GRANT SELECT"));
  EXPECT_FALSE(contains(s, "CREATE INDEX"));
  o.tableNames = {"other"};
  s = render(sampleToc(), o);
  EXPECT_FALSE(contains(s, "COMMENT ON TABLE"));
}

TEST(ScriptRenderer, ColumnAclFollowsItsTableDespiteDependingOnTheTableAcl) {
  ArchiveToc toc = sampleToc();
  TocEntry columnAcl = dependent(13, "ACL", "public", "COLUMN t.a", "GRANT SELECT(a) ON TABLE public.t TO r;\n", 10);
  columnAcl.dependencies.push_back("12");
  toc.entries.insert(toc.entries.begin() + 7, columnAcl);
  RestoreOptions o;
  o.tableNames = {"t"};
  EXPECT_TRUE(contains(render(toc, o), "GRANT SELECT(a)"));
  o.tableNames = {"other"};
  EXPECT_FALSE(contains(render(toc, o), "GRANT SELECT(a)"));
}

TEST(ScriptRenderer, StrictNamesReportsUnmatchedPattern) {
  RestoreOptions o;
  o.tableNames = {"t", "nosuch"};
  o.strictNames = true;
  FakeData data;
  MemoryOutput out;
  Status st = renderScript(sampleToc(), data, o, out);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "table \"nosuch\" not found");
}

TEST(ScriptRenderer, OptionConflictsAreErrors) {
  RestoreOptions o;
  o.create = true;
  o.singleTransaction = true;
  FakeData data;
  MemoryOutput out;
  EXPECT_FALSE(renderScript(sampleToc(), data, o, out).ok());
  RestoreOptions i;
  i.ifExists = true;
  EXPECT_FALSE(renderScript(sampleToc(), data, i, out).ok());
}

TEST(ScriptRenderer, ListFileReordersAndFilters) {
  RestoreOptions o;
  o.listFile = "; header comment\n30; 1259 1 INDEX public t_idx postgres\n\n  10 ; table\n30\n999999\nxyz\n;20\n";
  std::string s = render(sampleToc(), o);
  size_t index = s.find("CREATE INDEX"), table = s.find("CREATE TABLE");
  ASSERT_NE(index, std::string::npos);
  ASSERT_NE(table, std::string::npos);
  EXPECT_LT(index, table);
  EXPECT_FALSE(contains(s, "COPY"));
  EXPECT_FALSE(contains(s, "COMMENT ON"));

  o.listFile = "50\n";  // within range but not in the archive
  FakeData data;
  MemoryOutput out;
  Status st = renderScript(sampleToc(), data, o, out);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "could not find entry for ID 50");
}

TEST(ScriptRenderer, ListFileLooksOnlyAtTheFirst99BytesOfALine) {
  std::string longLine = std::string(120, ' ') + "10\n";
  EXPECT_TRUE(script::parseListFile(longLine).empty() || script::parseListFile(longLine)[0] == -1);
  EXPECT_EQ(script::parseListFile("  10 ; x\n20\n"), (std::vector<int>{10, 20}));
}

TEST(ScriptRenderer, LargeObjectsAreWrittenIn16kLowrites) {
  ArchiveToc toc = sampleToc();
  TocEntry blobs = object(40, "BLOBS", "", "BLOBS", Section::Data, "", "");
  blobs.defn.reset();
  blobs.owner.reset();
  blobs.hadDumper = true;
  toc.entries.push_back(blobs);
  FakeData data;
  data.tables[20] = "";
  data.blobs[40] = {{7, {std::string(16384, 'a'), std::string(1, '\xff')}}, {8, {}}};
  std::string s = render(toc, {}, &data);
  std::string expected = "--\n-- Data for Name: BLOBS; Type: BLOBS; Schema: -; Owner: -\n--\n\nBEGIN;\n\n"
                         "SELECT pg_catalog.lo_open('7', 131072);\n"
                         "SELECT pg_catalog.lowrite(0, '\\x" + std::string(32768, '0') + "');\n";
  for (size_t i = expected.size() - 32768 - 4; i < expected.size() - 4; i += 2) {
    expected[i] = '6';
    expected[i + 1] = '1';
  }
  expected += "SELECT pg_catalog.lowrite(0, '\\xff');\nSELECT pg_catalog.lo_close(0);\n\n"
              "SELECT pg_catalog.lo_open('8', 131072);\nSELECT pg_catalog.lo_close(0);\n\nCOMMIT;\n\n";
  EXPECT_TRUE(contains(s, expected));
}

// 1.16 (PostgreSQL 17+) groups large objects; pg_restore 15 cannot read such
// archives, so this follows the 17 source: one command per OID in defn.
TEST(ScriptRenderer, BlobMetadataIssuesOneCommandPerLargeObject) {
  ArchiveToc toc = sampleToc();
  toc.header.version = ArchiveVersion{1, 16, 0};
  TocEntry meta = object(41, "BLOB METADATA", "", "7..8", Section::Data, "7\n8\n", "-- dummy");
  toc.entries.push_back(meta);
  RestoreOptions o;
  o.clean = true;
  std::string s = render(toc, o);
  EXPECT_TRUE(contains(s, "SELECT pg_catalog.lo_unlink('8');\nSELECT pg_catalog.lo_unlink('7');\n") ||
              contains(s, "SELECT pg_catalog.lo_unlink('7');\nSELECT pg_catalog.lo_unlink('8');\n"));
  EXPECT_TRUE(contains(s, "--\n\nSELECT pg_catalog.lo_create('7');\nSELECT pg_catalog.lo_create('8');\n\n"
                          "ALTER LARGE OBJECT 7 OWNER TO postgres;\nALTER LARGE OBJECT 8 OWNER TO postgres;\n\n"));
}

RC_GTEST_PROP(ScriptRendererProps, LargeObjectOutputIgnoresChunking, (const std::string& bytes)) {
  ArchiveToc toc;
  toc.header.version = ArchiveVersion{1, 14, 0};
  toc.entries.push_back(special(1, "STDSTRINGS", "SET standard_conforming_strings = 'on';\n"));
  TocEntry blobs = object(2, "BLOBS", "", "BLOBS", Section::Data, "", "");
  blobs.hadDumper = true;
  toc.entries.push_back(blobs);
  std::string big = bytes;
  const int repeat = *rc::gen::inRange(1, 80);
  for (int i = 0; i < repeat; ++i) big += bytes + std::string(401, static_cast<char>(i));
  FakeData whole, sliced;
  whole.blobs[2] = {{5, {big}}};
  std::vector<std::string> chunks;
  for (size_t pos = 0; pos < big.size();) {
    size_t n = *rc::gen::inRange<size_t>(1, 20000);
    chunks.push_back(big.substr(pos, n));
    pos += n;
  }
  sliced.blobs[2] = {{5, chunks}};
  RC_ASSERT(render(toc, {}, &whole) == render(toc, {}, &sliced));
}

TEST(ScriptRenderer, NamesWithNewlinesStayOnOneCommentLine) {
  ArchiveToc toc = sampleToc();
  toc.entries[4].tag = "t\nDROP TABLE x;\r";
  std::string s = render(toc, {});
  EXPECT_TRUE(contains(s, "-- Name: t DROP TABLE x; ; Type: TABLE;"));
}

TEST(ScriptRenderer, ArchiveWithoutSpecialEntriesUsesSqlAsciiAndNonStandardStrings) {
  ArchiveToc toc = sampleToc();
  toc.entries.erase(toc.entries.begin(), toc.entries.begin() + 3);
  std::string s = render(toc, {});
  EXPECT_TRUE(contains(s, "SET client_encoding = 'SQL_ASCII';\nSET standard_conforming_strings = off;\n"
                          "SET check_function_bodies = false;\nSET xmloption = content;\n"
                          "SET client_min_messages = warning;\nSET escape_string_warning = off;\n"));
  EXPECT_TRUE(contains(s, "SET search_path = public, pg_catalog;\n\n"));
}

TEST(ScriptRenderer, RandomRestrictKeyIs63Alphanumerics) {
  FakeData data;
  data.tables[20] = "";
  MemoryOutput out;
  ASSERT_TRUE(renderScript(sampleToc(), data, {}, out).ok());
  const std::string& s = out.data();
  size_t at = s.find("\\restrict ");
  ASSERT_NE(at, std::string::npos);
  std::string key = s.substr(at + 10, s.find('\n', at) - at - 10);
  EXPECT_EQ(key.size(), 63u);
  for (char c : key) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)));
  EXPECT_TRUE(contains(s, "\\unrestrict " + key + "\n\n"));
}

TEST(ListRenderer, HeaderAndEntries) {
  setenv("TZ", "UTC", 1);
  tzset();
  ArchiveToc toc = sampleToc();
  toc.header.created = CreationTime{26, 38, 22, 25, 10, 126, 0};
  toc.entries[4].tableoid = "1259";
  toc.entries[4].oid = "16384";
  std::string s = list(toc, {});
  std::string expected =
      ";\n; Archive created at 2026-11-25 22:38:26 UTC\n;     dbname: db\n;     TOC Entries: 9\n"
      ";     Compression: -1\n;     Dump Version: 1.14-0\n;     Format: CUSTOM\n;     Integer: 4 bytes\n"
      ";     Offset: 8 bytes\n;     Dumped from database version: 15.18\n;     Dumped by pg_dump version: 15.18\n"
      ";\n;\n; Selected TOC Entries:\n;\n"
      "10; 1259 16384 TABLE public t postgres\n11; 0 0 COMMENT public TABLE t postgres\n"
      "12; 0 0 ACL public TABLE t postgres\n20; 0 0 TABLE DATA public t postgres\n"
      "30; 0 0 INDEX public t_idx postgres\n";
  EXPECT_EQ(s, expected);
  RestoreOptions v;
  v.verbose = true;
  std::string verbose = list(toc, v);
  EXPECT_TRUE(contains(verbose, "90; 0 0 ENCODING - ENCODING \n"));
  EXPECT_TRUE(contains(verbose, "11; 0 0 COMMENT public TABLE t postgres\n;\tdepends on: 10\n"));
}

TEST(ListRenderer, StrictNamesErrorComesAfterTheListing) {
  RestoreOptions o;
  o.tableNames = {"t", "nosuch"};
  o.strictNames = true;
  MemoryOutput out;
  Status st = renderList(sampleToc(), ArchiveKind::Custom, o, out);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "table \"nosuch\" not found");
  EXPECT_TRUE(contains(out.data(), "10; 0 0 TABLE public t postgres\n"));
}

TEST(SqlText, QuoteIdentMatchesPostgresRules) {
  EXPECT_EQ(quoteIdent("abc_1"), "abc_1");
  EXPECT_EQ(quoteIdent("Abc"), "\"Abc\"");
  EXPECT_EQ(quoteIdent("1abc"), "\"1abc\"");
  EXPECT_EQ(quoteIdent("select"), "\"select\"");
  EXPECT_EQ(quoteIdent("user"), "\"user\"");
  EXPECT_EQ(quoteIdent("name"), "name");  // unreserved keyword
  EXPECT_EQ(quoteIdent("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(script::psqlConnectCommand("db_1"), "\\connect db_1\n");
  EXPECT_EQ(script::psqlConnectCommand("Upper"), "\\connect \"Upper\"\n");
  EXPECT_EQ(script::psqlConnectCommand("db_1", true), "\\connect \"db_1\"\n");  // --quote-all-identifiers
  EXPECT_EQ(script::psqlConnectCommand("a b"), "\\encoding SQL_ASCII\n\\connect -reuse-previous=on \"dbname='a b'\"\n");
}

RC_GTEST_PROP(SqlTextProps, QuoteIdentIsReversible, (const std::string& name)) {
  std::string q = quoteIdent(name);
  if (q == name) {
    RC_ASSERT(!name.empty());
    return;
  }
  RC_ASSERT(q.size() >= 2 && q.front() == '"' && q.back() == '"');
  std::string back;
  for (size_t i = 1; i + 1 < q.size(); ++i) {
    back += q[i];
    if (q[i] == '"') {
      RC_ASSERT(q[i + 1] == '"');
      ++i;
    }
  }
  RC_ASSERT(back == name);
}

}  // namespace
}  // namespace pgarc
