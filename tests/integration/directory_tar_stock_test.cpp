// Stock pg_dump 15 -Fd (default, -Z0, -Z9) and -Ft archives of a real
// database: our readers give the data the server holds, and our writers, fed
// through copyArchiveData, reproduce the directory archives byte for byte and
// the tar archive up to tar mtimes/checksums (and the restrict key).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "format/archive_reader.hpp"
#include "format/archive_writer.hpp"
#include "format/io.hpp"
#include "format/tar_header.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/text_compare.hpp"

using namespace pgarc;
using namespace pgarc::test;

namespace {

const char* kSetupSql = R"SQL(
CREATE SCHEMA app;
CREATE TABLE app.customers (id int PRIMARY KEY, name text, note text, balance numeric);
INSERT INTO app.customers VALUES
  (1, 'plain', NULL, 1.50),
  (2, 'Zoë ünïcødé 日本語', E'tab\there\nnewline', 2),
  (3, '', E'back\\slash \\. and \\N', NULL),
  (4, NULL, '', -7.25);
CREATE TABLE app.empty_t (a int, b text);
-- Larger than the tar writer's in-memory spool, so it goes through a temp file.
CREATE TABLE public.wide AS
  SELECT g AS id, repeat(md5(g::text), 40) AS payload,
         CASE WHEN g % 13 = 0 THEN NULL ELSE 'λ' || g END AS label
  FROM generate_series(1, 4000) g;
CREATE TABLE public.bin (id int, b bytea);
INSERT INTO public.bin VALUES (1, '\x00ff10'), (2, NULL);
SELECT lo_from_bytea(424242, convert_to(repeat('large object data ', 3000), 'UTF8'));
SELECT lo_from_bytea(3000000000, decode(repeat(md5('x'), 700), 'hex'));
)SQL";

struct StringData : DataSink {
  std::string out;
  Status data(std::string_view b) override {
    out.append(b);
    return {};
  }
};

struct Blobs : BlobSink {
  std::map<uint32_t, std::string> objects;
  std::vector<uint32_t> order;
  uint32_t current = 0;
  Status beginBlob(uint32_t oid) override {
    current = oid;
    order.push_back(oid);
    objects[oid];
    return {};
  }
  Status data(std::string_view b) override {
    objects[current].append(b);
    return {};
  }
  Status endBlob(uint32_t) override { return {}; }
};

std::vector<std::string> listFiles(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

struct TarMember {
  std::string header;
  std::string name;
  std::string data;
};

std::vector<TarMember> tarMembers(const std::string& tar) {
  std::vector<TarMember> members;
  size_t pos = 0;
  while (pos + 512 <= tar.size()) {
    std::string_view block(tar.data() + pos, 512);
    if (isZeroBlock(block)) break;
    auto h = parseTarHeader(block, std::nullopt);
    if (!h.ok()) break;
    members.push_back(TarMember{std::string(block), h->name, tar.substr(pos + 512, h->size)});
    pos += 512 + h->size + tarPadding(h->size);
  }
  return members;
}

// Blanks the fields that legitimately differ between two runs: mtime and checksum.
std::string normaliseHeader(std::string h) {
  h.replace(136, 12, 12, '#');
  h.replace(148, 8, 8, '#');
  return h;
}

// "\restrict KEY" / "\unrestrict KEY" -> fixed key.
std::string normaliseRestrictKey(const std::string& script) {
  std::string out;
  size_t pos = 0;
  while (pos < script.size()) {
    size_t end = script.find('\n', pos);
    std::string line = script.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    for (const char* cmd : {"\\restrict ", "\\unrestrict "}) {
      if (line.rfind(cmd, 0) == 0) line = std::string(cmd) + "KEY";
    }
    out += line;
    if (end == std::string::npos) break;
    out += '\n';
    pos = end + 1;
  }
  return out;
}

class DirectoryTarStock : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new PgServer();
    if (!server_->started()) return;
    server_->createDatabase("dtdb");
    auto r = server_->psql("dtdb", kSetupSql);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    tmp_ = new std::string(makeTempDir("pgarc-dirtar-stock-"));
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    if (tmp_) removeTree(*tmp_);
    delete tmp_;
    tmp_ = nullptr;
  }
  void SetUp() override {
    if (!server_->started()) GTEST_SKIP() << server_->startupError();
  }

  std::string stockDump(const std::string& name, std::vector<std::string> extra) {
    std::string path = *tmp_ + "/" + name;
    std::vector<std::string> argv = {pgBinDir() + "/pg_dump"};
    for (const auto& a : server_->clientArgs()) argv.push_back(a);
    for (const auto& a : extra) argv.push_back(a);
    argv.insert(argv.end(), {"-f", path, "dtdb"});
    auto r = run(argv);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return path;
  }

  // The server's own COPY text for a table, plus the terminator pg_dump adds.
  std::string serverCopy(const std::string& table) {
    auto r = server_->psql("dtdb", "COPY " + table + " TO STDOUT;");
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return r.out + "\\.\n\n\n";
  }

  std::string serverBlobHex(uint32_t oid) {
    auto r = run({pgBinDir() + "/psql", "-X", "-At", "-d", server_->connString("dtdb"), "-c",
                  "SELECT encode(lo_get(" + std::to_string(oid) + "), 'hex')"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    std::string s = r.out;
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
  }

  static std::string hex(const std::string& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (unsigned char c : bytes) {
      s.push_back(digits[c >> 4]);
      s.push_back(digits[c & 15]);
    }
    return s;
  }

  // Every data entry read back equals the server's COPY output; both LOs match.
  void expectServerData(ArchiveReader& reader) {
    std::map<std::string, std::string> tables = {{"customers", "app.customers"}, {"empty_t", "app.empty_t"},
                                                 {"wide", "public.wide"}, {"bin", "public.bin"}};
    int seen = 0;
    bool sawBlobs = false;
    for (const auto& e : reader.toc().entries) {
      if (!e.hadDumper) continue;
      if (e.descStr() == "BLOBS") {
        Blobs blobs;
        auto st = reader.readBlobs(e, blobs);
        ASSERT_TRUE(st.ok()) << st.error().describe();
        EXPECT_EQ(blobs.order, (std::vector<uint32_t>{424242u, 3000000000u}));
        for (uint32_t oid : blobs.order) EXPECT_EQ(hex(blobs.objects[oid]), serverBlobHex(oid)) << oid;
        sawBlobs = true;
        continue;
      }
      auto it = tables.find(e.tagStr());
      ASSERT_NE(it, tables.end()) << e.tagStr();
      StringData data;
      auto st = reader.readTableData(e, data);
      ASSERT_TRUE(st.ok()) << st.error().describe();
      EXPECT_TRUE(sameText(data.out, serverCopy(it->second))) << e.tagStr();
      seen++;
    }
    EXPECT_EQ(seen, 4);
    EXPECT_TRUE(sawBlobs);
  }

  static PgServer* server_;
  static std::string* tmp_;
};

PgServer* DirectoryTarStock::server_ = nullptr;
std::string* DirectoryTarStock::tmp_ = nullptr;

struct DirCase {
  const char* name;
  std::vector<std::string> flags;
  CompressionSpec spec;
};

TEST_F(DirectoryTarStock, DirectoryArchivesReadAndRewriteByteIdentical) {
  const std::vector<DirCase> cases = {
      {"dir-default", {"-Fd"}, {CompressionAlgorithm::Gzip, -1, false}},
      {"dir-z0", {"-Fd", "-Z0"}, {CompressionAlgorithm::None, 0, false}},
      {"dir-z9", {"-Fd", "-Z9"}, {CompressionAlgorithm::Gzip, 9, false}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::string stock = stockDump(c.name, c.flags);
    auto reader = openArchive(stock);
    ASSERT_TRUE(reader.ok()) << reader.error().describe();
    EXPECT_EQ((*reader)->kind(), ArchiveKind::Directory);
    expectServerData(**reader);

    std::string ours = stock + "-pgarc";
    auto writer = createArchiveWriter(ours, WriterOptions{ArchiveKind::Directory, c.spec});
    ASSERT_TRUE(writer.ok()) << writer.error().describe();
    auto st = copyArchiveData(**reader, **writer);
    ASSERT_TRUE(st.ok()) << st.error().describe();
    st = (*writer)->finish();
    ASSERT_TRUE(st.ok()) << st.error().describe();

    auto names = listFiles(stock);
    ASSERT_EQ(names, listFiles(ours));
    EXPECT_GE(names.size(), 8u);  // toc.dat, 4 tables, 2 LOs, blobs.toc
    for (const auto& n : names) {
      EXPECT_TRUE(readFile(stock + "/" + n) == readFile(ours + "/" + n)) << n << " differs";
    }
    // Stock pg_restore reads what we wrote.
    auto list = run({pgBinDir() + "/pg_restore", "-l", ours});
    EXPECT_EQ(list.exitCode, 0) << list.err;
  }
}

TEST_F(DirectoryTarStock, TarArchiveReadsSeekableAndFromPipe) {
  std::string stock = stockDump("stock.tar", {"-Ft"});
  auto reader = openArchive(stock);
  ASSERT_TRUE(reader.ok()) << reader.error().describe();
  EXPECT_EQ((*reader)->kind(), ArchiveKind::Tar);
  expectServerData(**reader);

  auto in = openInputFile(stock);
  ASSERT_TRUE(in.ok());
  auto piped = openTarArchive(nonSeekable(std::move(*in)));
  ASSERT_TRUE(piped.ok()) << piped.error().describe();
  expectServerData(**piped);
}

TEST_F(DirectoryTarStock, TarRewriteIdenticalExceptTimes) {
  std::string stock = stockDump("stock2.tar", {"-Ft"});
  auto reader = openArchive(stock);
  ASSERT_TRUE(reader.ok()) << reader.error().describe();
  std::string ours = *tmp_ + "/ours.tar";
  auto writer = createArchiveWriter(ours, WriterOptions{ArchiveKind::Tar, {CompressionAlgorithm::None, 0, false}});
  ASSERT_TRUE(writer.ok()) << writer.error().describe();
  auto st = copyArchiveData(**reader, **writer);
  ASSERT_TRUE(st.ok()) << st.error().describe();
  st = (*writer)->finish();
  ASSERT_TRUE(st.ok()) << st.error().describe();

  std::string a = readFile(stock), b = readFile(ours);
  auto ma = tarMembers(a), mb = tarMembers(b);
  ASSERT_EQ(ma.size(), mb.size());
  ASSERT_GE(ma.size(), 9u);
  for (size_t i = 0; i < ma.size(); i++) {
    SCOPED_TRACE(ma[i].name);
    EXPECT_EQ(ma[i].name, mb[i].name);
    if (ma[i].name == "restore.sql") continue;  // compared in its own test
    EXPECT_TRUE(sameText(normaliseHeader(ma[i].header), normaliseHeader(mb[i].header)));
    // toc.dat included: the creation time comes from the source TOC.
    EXPECT_TRUE(ma[i].data == mb[i].data);
  }
  // The checksums we wrote are valid ones.
  for (const auto& m : mb) EXPECT_TRUE(isValidTarHeader(m.header)) << m.name;
  // Stock pg_restore reads what we wrote, as a file and from a pipe.
  auto list = run({pgBinDir() + "/pg_restore", "-l", ours});
  EXPECT_EQ(list.exitCode, 0) << list.err;
  auto script = runShell(shellQuote(pgBinDir() + "/pg_restore") + " -f - < " + shellQuote(ours));
  EXPECT_EQ(script.exitCode, 0) << script.err;
  auto stockScript = runShell(shellQuote(pgBinDir() + "/pg_restore") + " -f - < " + shellQuote(stock));
  EXPECT_TRUE(sameText(normaliseRestrictKey(script.out), normaliseRestrictKey(stockScript.out)));
}

TEST_F(DirectoryTarStock, TarRestoreSqlMatchesStock) {
  std::string stock = stockDump("stock3.tar", {"-Ft"});
  auto reader = openArchive(stock);
  ASSERT_TRUE(reader.ok()) << reader.error().describe();
  std::string ours = *tmp_ + "/ours3.tar";
  auto writer = createArchiveWriter(ours, WriterOptions{ArchiveKind::Tar, {CompressionAlgorithm::None, 0, false}});
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(copyArchiveData(**reader, **writer).ok());
  ASSERT_TRUE((*writer)->finish().ok());
  auto find = [](const std::vector<TarMember>& ms) {
    for (const auto& m : ms) if (m.name == "restore.sql") return m.data;
    return std::string("<missing>");
  };
  std::string want = find(tarMembers(readFile(stock))), got = find(tarMembers(readFile(ours)));
  EXPECT_NE(want.find("$$PATH$$/"), std::string::npos);
  EXPECT_TRUE(sameText(normaliseRestrictKey(got), normaliseRestrictKey(want)));
}

}  // namespace
