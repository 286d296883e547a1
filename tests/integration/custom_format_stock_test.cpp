// Stock pg_dump 15 -Fc archives: our reader reads them, and our writer, fed
// the same TOC and data, reproduces them byte for byte. Also checks that our
// gzip File codec reproduces pg_dump -Fd's .gz files.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "format/archive_reader.hpp"
#include "format/archive_writer.hpp"
#include "format/codec.hpp"
#include "format/io.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/text_compare.hpp"

using namespace pgarc;
using namespace pgarc::test;

namespace {

const char* kSetupSql = R"SQL(
CREATE TABLE big (id int PRIMARY KEY, txt text, note text, n numeric, b bytea);
INSERT INTO big
SELECT i,
       CASE WHEN i % 17 = 0 THEN NULL
            WHEN i % 5 = 0 THEN 'caf' || chr(233) || ' ' || repeat(chr(955), i % 9) || ' 日本語 ' || i
            WHEN i % 7 = 0 THEN E'tab\there\\back\nnewline ' || i
            ELSE md5(i::text) || repeat('x', i % 50) END,
       CASE WHEN i % 3 = 0 THEN '' ELSE 'note ' || (i * 7919 % 1000) END,
       i * 1.25,
       CASE WHEN i % 11 = 0 THEN decode(md5(i::text), 'hex') END
FROM generate_series(1, 6000) i;
CREATE TABLE empty_t (a int, b text);
CREATE TABLE small (k text, v int);
INSERT INTO small VALUES ('a', 1), (E'\\.', 2), (E'\\N', NULL), ('ünïcødé', 4);
SELECT lo_from_bytea(424242, convert_to(repeat('large object data ', 3000), 'UTF8'));
SELECT lo_from_bytea(3000000000, decode(repeat(md5('x'), 700), 'hex'));
SELECT lo_from_bytea(555, '');
)SQL";

struct Forward : DataSink {
  explicit Forward(DataStream& s) : stream(s) {}
  Status data(std::string_view b) override { return stream.write(b); }
  DataStream& stream;
};

struct ForwardBlobs : BlobSink {
  explicit ForwardBlobs(BlobStream& s) : stream(s) {}
  Status beginBlob(uint32_t oid) override { return stream.beginBlob(oid); }
  Status data(std::string_view b) override { return stream.write(b); }
  Status endBlob(uint32_t) override { return stream.endBlob(); }
  BlobStream& stream;
};

// Lets the test keep the MemoryOutput after the writer is gone.
class BorrowedOutput : public OutputStream {
 public:
  explicit BorrowedOutput(MemoryOutput& m) : m_(m) {}
  Status write(std::string_view d) override { return m_.write(d); }
  uint64_t position() const override { return m_.position(); }
  bool seekable() const override { return m_.seekable(); }
  Status seek(uint64_t pos) override { return m_.seek(pos); }
  Status commit() override { return m_.commit(); }
  const std::string& name() const override { return m_.name(); }

 private:
  MemoryOutput& m_;
};

// The conversion loop: same TOC, same data, same compression as the header.
Status copyArchive(ArchiveReader& reader, std::unique_ptr<OutputStream> out) {
  const ArchiveHeader& h = reader.toc().header;
  CompressionSpec spec{h.compression, h.compression == CompressionAlgorithm::Gzip ? h.compressionLevel : 0, false};
  PGARC_ASSIGN(auto writer, createCustomWriter(std::move(out), WriterOptions{ArchiveKind::Custom, spec}));
  PGARC_TRY(writer->begin(reader.toc()));
  for (const auto& e : reader.toc().entries) {
    if (!e.hadDumper) continue;
    if (e.descStr() == "BLOBS") {
      PGARC_ASSIGN(auto bs, writer->openBlobs(e.dumpId));
      ForwardBlobs fwd(*bs);
      PGARC_TRY(reader.readBlobs(e, fwd));
      PGARC_TRY(bs->close());
    } else {
      PGARC_ASSIGN(auto ds, writer->openTableData(e.dumpId));
      Forward fwd(*ds);
      PGARC_TRY(reader.readTableData(e, fwd));
      PGARC_TRY(ds->close());
    }
  }
  return writer->finish();
}


class CustomFormatStock : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new PgServer();
    if (!server_->started()) return;
    server_->createDatabase("stockdb");
    auto r = server_->psql("stockdb", kSetupSql);
    setupError_ = r.exitCode == 0 ? "" : "setup SQL failed: " + r.err;
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(server_->started()) << server_->startupError();
    ASSERT_EQ(setupError_, "");
    dir_ = makeTempDir("pgarc-custom-stock-");
  }
  void TearDown() override { removeTree(dir_); }

  std::string pgDumpCommand(const std::vector<std::string>& extra) const {
    std::string cmd = shellQuote(pgBinDir() + "/pg_dump");
    for (const auto& a : server_->clientArgs()) cmd += " " + shellQuote(a);
    for (const auto& a : extra) cmd += " " + shellQuote(a);
    return cmd + " stockdb";
  }

  static PgServer* server_;
  static std::string setupError_;
  std::string dir_;
};

PgServer* CustomFormatStock::server_ = nullptr;
std::string CustomFormatStock::setupError_;

struct Variant {
  const char* name;
  std::vector<std::string> args;
  bool piped;
};

}  // namespace

TEST_F(CustomFormatStock, WriterReproducesStockArchivesByteForByte) {
  const std::vector<Variant> variants = {{"default", {"-Fc"}, false}, {"z0", {"-Fc", "-Z0"}, false},
                                         {"z9", {"-Fc", "-Z9"}, false}, {"z1", {"-Fc", "-Z1"}, false},
                                         {"piped", {"-Fc"}, true},    {"piped-z0", {"-Fc", "-Z0"}, true}};
  for (const auto& v : variants) {
    SCOPED_TRACE(v.name);
    std::string path = dir_ + "/" + v.name + ".dump";
    std::string cmd = pgDumpCommand(v.args) + (v.piped ? " | cat > " : " -f ") + shellQuote(path);
    auto r = runShell(cmd);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    std::string stock = readFile(path);

    auto in = openInputFile(path);
    ASSERT_TRUE(in.ok()) << in.error().describe();
    auto reader = openCustomArchive(std::move(in).value());
    ASSERT_TRUE(reader.ok()) << reader.error().describe();
    size_t withData = 0;
    for (const auto& e : (*reader)->toc().entries) {
      if (!e.hadDumper) continue;
      ++withData;
      EXPECT_EQ(e.offsetFlag, v.piped ? OffsetFlag::NotSet : OffsetFlag::Set) << e.dumpId;
    }
    EXPECT_GE(withData, 4u);  // three tables and BLOBS

    MemoryOutput memOut(!v.piped);
    MemoryOutput* out = &memOut;
    Status st = copyArchive(**reader, std::make_unique<BorrowedOutput>(memOut));
    ASSERT_TRUE(st.ok()) << st.error().describe();
    EXPECT_TRUE(out->data() == stock) << v.name << ": " << firstDifference(out->data(), stock);

    // The same archive from a pipe: forward-only reading in TOC order.
    auto pipeReader = openCustomArchive(nonSeekable(std::move(openInputFile(path)).value()));
    ASSERT_TRUE(pipeReader.ok());
    MemoryOutput memOut2(false);
    MemoryOutput* out2 = &memOut2;
    st = copyArchive(**pipeReader, std::make_unique<BorrowedOutput>(memOut2));
    ASSERT_TRUE(st.ok()) << st.error().describe();
    if (v.piped) {
      EXPECT_TRUE(out2->data() == stock) << firstDifference(out2->data(), stock);
    }
  }
}

// Our reader's decoded data agrees with what stock pg_restore prints.
TEST_F(CustomFormatStock, DecodedDataMatchesPgRestore) {
  std::string path = dir_ + "/x.dump";
  auto r = runShell(pgDumpCommand({"-Fc", "-Z9", "-f", path}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto reader = openCustomArchive(std::move(openInputFile(path)).value());
  ASSERT_TRUE(reader.ok());
  for (const auto& e : (*reader)->toc().entries) {
    if (!e.hadDumper || e.descStr() != "TABLE DATA") continue;
    struct Collect : DataSink {
      Status data(std::string_view b) override { s.append(b); return {}; }
      std::string s;
    } got;
    ASSERT_TRUE((*reader)->readTableData(e, got).ok());
    std::string listFile = dir_ + "/one.list";
    writeFile(listFile, std::to_string(e.dumpId) + "; 0 0 TABLE DATA public " + e.tagStr() + " postgres\n");
    auto restored = run({pgBinDir() + "/pg_restore", "-L", listFile, "-f", "-", path});
    ASSERT_EQ(restored.exitCode, 0) << restored.err;
    EXPECT_NE(restored.out.find(*e.copyStmt + got.s), std::string::npos) << e.tagStr();
  }
}

// pg_dump -Fd writes gzip files through zlib's gz* API; recompressing their
// content with our File codec at the same level gives the same bytes.
TEST_F(CustomFormatStock, DirectoryGzipFilesMatchOurFileCodec) {
  for (int level : {-1, 1, 9}) {
    SCOPED_TRACE(level);
    std::string out = dir_ + "/d" + std::to_string(level + 1);
    std::vector<std::string> args = {"-Fd", "-f", out};
    if (level != -1) args.push_back("-Z" + std::to_string(level));
    auto r = runShell(pgDumpCommand(args));
    ASSERT_EQ(r.exitCode, 0) << r.err;
    int checked = 0;
    for (const auto& f : std::filesystem::directory_iterator(out)) {
      std::string name = f.path().filename();
      if (name.size() < 3 || name.substr(name.size() - 3) != ".gz") continue;
      std::string stock = readFile(f.path());
      StringSink plain;
      auto dec = makeDecompressor(CompressionAlgorithm::Gzip, CodecContainer::File, plain);
      ASSERT_TRUE(dec.ok());
      ASSERT_TRUE((*dec)->write(stock).ok());
      ASSERT_TRUE((*dec)->finish().ok()) << name;
      StringSink again;
      auto comp = makeCompressor({CompressionAlgorithm::Gzip, level, false}, CodecContainer::File, again);
      ASSERT_TRUE(comp.ok());
      ASSERT_TRUE((*comp)->write(plain.out).ok());
      ASSERT_TRUE((*comp)->finish().ok());
      EXPECT_TRUE(again.out == stock) << name << ": " << firstDifference(again.out, stock);
      ++checked;
    }
    EXPECT_GE(checked, 5);  // three tables and at least two LOs
  }
}

// A seekable archive without offsets (pg_dump piped to a file) can be read in
// any order: the reader scans forward and remembers block positions.
TEST_F(CustomFormatStock, PipedArchiveReadsInReverseOrder) {
  std::string path = dir_ + "/piped.dump";
  auto r = runShell(pgDumpCommand({"-Fc"}) + " | cat > " + shellQuote(path));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  struct Collect : DataSink {
    Status data(std::string_view b) override { s.append(b); return {}; }
    std::string s;
  };
  auto forward = openCustomArchive(std::move(openInputFile(path)).value());
  auto backward = openCustomArchive(std::move(openInputFile(path)).value());
  ASSERT_TRUE(forward.ok() && backward.ok());
  std::vector<std::string> inOrder, reversed;
  const auto& entries = (*forward)->toc().entries;
  for (const auto& e : entries) {
    if (!e.hadDumper || e.descStr() != "TABLE DATA") continue;
    Collect c;
    ASSERT_TRUE((*forward)->readTableData(e, c).ok());
    inOrder.push_back(c.s);
  }
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (!it->hadDumper || it->descStr() != "TABLE DATA") continue;
    Collect c;
    Status st = (*backward)->readTableData(*it, c);
    ASSERT_TRUE(st.ok()) << st.error().describe();
    reversed.insert(reversed.begin(), c.s);
  }
  EXPECT_EQ(inOrder, reversed);
  ASSERT_EQ(inOrder.size(), 3u);
  EXPECT_GT(inOrder[0].size() + inOrder[1].size() + inOrder[2].size(), 300000u);
}

// Our File-container output decodes with the stock gzip/lz4/zstd tools, and
// theirs with our decoders, as PostgreSQL's own tests rely on.
TEST(CodecStockTools, FileContainerInteroperatesWithCommandLineTools) {
  std::string dir = makeTempDir("pgarc-codec-tools-");
  std::string text;
  for (int i = 0; i < 20000; ++i) text += std::to_string(i) + "\tcaf\xc3\xa9 row " + std::to_string(i * 7 % 13) + "\n";
  writeFile(dir + "/plain", text);
  struct Tool {
    CompressionSpec spec;
    const char* suffix;
    std::string decompress, compress;
  };
  const std::vector<Tool> tools = {
      {{CompressionAlgorithm::Gzip, -1, false}, ".gz", "gzip -dc", "gzip -c"},
      {{CompressionAlgorithm::Lz4, 0, false}, ".lz4", "lz4 -dc", "lz4 -c"},
      {{CompressionAlgorithm::Zstd, 3, true}, ".zst", "zstd -qdc", "zstd -qc --long"},
  };
  for (const auto& t : tools) {
    SCOPED_TRACE(t.suffix);
    StringSink ours;
    auto comp = makeCompressor(t.spec, CodecContainer::File, ours);
    ASSERT_TRUE(comp.ok());
    ASSERT_TRUE((*comp)->write(text).ok());
    ASSERT_TRUE((*comp)->finish().ok());
    std::string file = dir + "/ours" + t.suffix;
    writeFile(file, ours.out);
    auto dec = runShell(t.decompress + " " + shellQuote(file));
    ASSERT_EQ(dec.exitCode, 0) << dec.err;
    EXPECT_TRUE(dec.out == text);

    auto made = runShell(t.compress + " " + shellQuote(dir + "/plain"));
    ASSERT_EQ(made.exitCode, 0) << made.err;
    StringSink back;
    auto d = makeDecompressor(t.spec.algorithm, CodecContainer::File, back);
    ASSERT_TRUE(d.ok());
    ASSERT_TRUE((*d)->write(made.out).ok());
    Status st = (*d)->finish();
    ASSERT_TRUE(st.ok()) << st.error().describe();
    EXPECT_TRUE(back.out == text);
  }
  removeTree(dir);
}
