// Directory (-Fd) and tar (-Ft) formats: writer -> reader round trips for
// every codec and archive version, tar header encoding, forward-only tar
// reading, and corrupt or incomplete archives giving errors, never crashes.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <sys/stat.h>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <thread>

#include "format/archive_reader.hpp"
#include "format/archive_writer.hpp"
#include "format/blob_index.hpp"
#include "format/codec.hpp"
#include "format/io.hpp"
#include "format/tar_header.hpp"
#include "tests/support/process.hpp"

using namespace pgarc;
using pgarc::test::makeTempDir;
using pgarc::test::readFile;
using pgarc::test::removeTree;
using pgarc::test::writeFile;

namespace {

struct Blob {
  uint32_t oid;
  std::string bytes;
  friend bool operator==(const Blob&, const Blob&) = default;
};

// An archive's content: TOC plus data per hadDumper entry.
struct Content {
  ArchiveToc toc;
  std::map<int, std::string> tableData;
  std::map<int, std::vector<Blob>> blobs;
};

TocEntry entry(int id, const std::string& desc, const std::string& tag, Section section, bool data = false) {
  TocEntry e;
  e.dumpId = id;
  e.desc = desc;
  e.tag = tag;
  e.section = section;
  e.hadDumper = data;
  e.owner = std::string("postgres");
  return e;
}

Content sampleContent(ArchiveVersion version) {
  Content c;
  c.toc.header.version = version;
  c.toc.header.dbname = "specdb";
  c.toc.header.serverVersion = "15.18";
  c.toc.header.dumpVersion = "15.18";
  c.toc.header.created = CreationTime{26, 38, 22, 25, 10, 126, 0};
  auto enc = entry(10, "ENCODING", "ENCODING", Section::PreData);
  enc.defn = std::string("SET client_encoding = 'UTF8';\n");
  c.toc.entries.push_back(enc);
  auto table = entry(20, "TABLE", "customers", Section::PreData);
  table.namespace_ = std::string("app");
  table.defn = std::string("CREATE TABLE app.customers (id integer, name text);\n");
  table.dropStmt = std::string("DROP TABLE app.customers;\n");
  if (version.atLeast(1, 16)) table.relkind = 'r';
  c.toc.entries.push_back(table);
  auto data = entry(30, "TABLE DATA", "customers", Section::Data, true);
  data.namespace_ = std::string("app");
  data.copyStmt = std::string("COPY app.customers (id, name) FROM stdin;\n");
  data.dependencies = {"20"};
  c.toc.entries.push_back(data);
  c.tableData[30] = "1\tZo\xc3\xab\n2\t\\N\n3\ttab\\there\n\\.\n\n\n";
  auto empty = entry(31, "TABLE DATA", "empty", Section::Data, true);
  empty.copyStmt = std::string("COPY app.empty (x) FROM stdin;\n");
  c.toc.entries.push_back(empty);
  c.tableData[31] = "\\.\n\n\n";
  auto blobs = entry(40, "BLOBS", "BLOBS", Section::Data, true);
  blobs.owner.reset();
  c.toc.entries.push_back(blobs);
  std::string big;
  for (int i = 0; i < 70000; i++) big.push_back(static_cast<char>(i * 7 % 256));
  c.blobs[40] = {Blob{424242, "hello large object"}, Blob{3000000000u, big}, Blob{17, ""}};
  return c;
}

Status writeContent(ArchiveWriter& w, const Content& c) {
  PGARC_TRY(w.begin(c.toc));
  for (const auto& e : c.toc.entries) {
    if (!e.hadDumper) continue;
    if (e.desc == "BLOBS") {
      PGARC_ASSIGN(auto s, w.openBlobs(e.dumpId));
      for (const auto& b : c.blobs.at(e.dumpId)) {
        PGARC_TRY(s->beginBlob(b.oid));
        // several writes per object, to exercise streaming
        for (size_t i = 0; i < b.bytes.size(); i += 5000) PGARC_TRY(s->write(std::string_view(b.bytes).substr(i, 5000)));
        PGARC_TRY(s->endBlob());
      }
      PGARC_TRY(s->close());
    } else {
      PGARC_ASSIGN(auto s, w.openTableData(e.dumpId));
      const std::string& d = c.tableData.at(e.dumpId);
      for (size_t i = 0; i < d.size(); i += 3) PGARC_TRY(s->write(std::string_view(d).substr(i, 3)));
      PGARC_TRY(s->close());
    }
  }
  return w.finish();
}

struct StringDataSink : DataSink {
  std::string out;
  Status data(std::string_view b) override {
    out.append(b);
    return {};
  }
};

struct CollectBlobs : BlobSink {
  std::vector<Blob> blobs;
  bool open = false;
  Status beginBlob(uint32_t oid) override {
    if (open) return makeError("nested blob");
    open = true;
    blobs.push_back(Blob{oid, {}});
    return {};
  }
  Status data(std::string_view b) override {
    blobs.back().bytes.append(b);
    return {};
  }
  Status endBlob(uint32_t oid) override {
    if (!open || blobs.back().oid != oid) return makeError("endBlob mismatch");
    open = false;
    return {};
  }
};

// Reads everything back and compares with what was written.
void expectContent(ArchiveReader& r, const Content& c) {
  ASSERT_EQ(r.toc().entries.size(), c.toc.entries.size());
  EXPECT_EQ(r.toc().header.version, c.toc.header.version);
  EXPECT_EQ(r.toc().header.dbname, c.toc.header.dbname);
  EXPECT_EQ(r.toc().header.created, c.toc.header.created);
  EXPECT_EQ(r.toc().header.format, ArchiveFormat::Tar);
  for (size_t i = 0; i < c.toc.entries.size(); i++) {
    TocEntry got = r.toc().entries[i];
    TocEntry want = c.toc.entries[i];
    got.filename.reset();
    want.filename.reset();
    EXPECT_EQ(got, want) << "entry " << want.dumpId;
  }
  for (const auto& e : r.toc().entries) {
    if (!e.hadDumper) continue;
    if (e.desc == "BLOBS") {
      CollectBlobs sink;
      auto st = r.readBlobs(e, sink);
      ASSERT_TRUE(st.ok()) << st.error().describe();
      EXPECT_EQ(sink.blobs, c.blobs.at(e.dumpId));
    } else {
      StringDataSink sink;
      auto st = r.readTableData(e, sink);
      ASSERT_TRUE(st.ok()) << st.error().describe();
      EXPECT_EQ(sink.out, c.tableData.at(e.dumpId));
    }
  }
}

std::string writeTar(const Content& c) {
  auto out = std::make_unique<MemoryOutput>(false, "mem.tar");
  MemoryOutput* raw = out.get();
  WriterOptions o;
  o.kind = ArchiveKind::Tar;
  o.compression = {CompressionAlgorithm::None, 0, false};
  auto w = createTarWriter(std::move(out), o);
  EXPECT_TRUE(w.ok());
  auto st = writeContent(**w, c);
  EXPECT_TRUE(st.ok()) << st.error().describe();
  EXPECT_TRUE(raw->committed());
  return raw->data();
}

class TempDir {
 public:
  TempDir() : path(makeTempDir("pgarc-dirtar-")) {}
  ~TempDir() { removeTree(path); }
  std::string path;
};

bool exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}

ArchiveVersion v(int minor) { return ArchiveVersion{1, static_cast<uint8_t>(minor), 0}; }

}  // namespace

// ---------------------------------------------------------------- directory

class DirectoryRoundTrip : public ::testing::TestWithParam<std::tuple<CompressionAlgorithm, int>> {};

TEST_P(DirectoryRoundTrip, WriterThenReaderGivesSameContent) {
  auto [algo, minor] = GetParam();
  TempDir tmp;
  std::string dir = tmp.path + "/out";
  Content c = sampleContent(v(minor));
  WriterOptions o;
  o.kind = ArchiveKind::Directory;
  o.compression = {algo, algo == CompressionAlgorithm::None ? 0 : (algo == CompressionAlgorithm::Gzip ? -1 : 3), false};
  auto w = createArchiveWriter(dir, o);
  ASSERT_TRUE(w.ok()) << w.error().describe();
  auto st = writeContent(**w, c);
  bool supported = minor >= 15 || algo == CompressionAlgorithm::None || algo == CompressionAlgorithm::Gzip;
  if (!supported) {
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("requires archive version 1.15"), std::string::npos) << st.error().message;
    return;
  }
  ASSERT_TRUE(st.ok()) << st.error().describe();
  struct stat sb {};
  ASSERT_EQ(::stat(dir.c_str(), &sb), 0);
  EXPECT_EQ(sb.st_mode & 0777, 0700u);
  std::string sfx = compressionSuffix(algo);
  EXPECT_TRUE(exists(dir + "/toc.dat"));
  EXPECT_TRUE(exists(dir + "/30.dat" + sfx));
  EXPECT_TRUE(exists(dir + "/blob_3000000000.dat" + sfx));
  std::string index = minor >= 16 ? "blobs_40.toc" : "blobs.toc";
  EXPECT_EQ(readFile(dir + "/" + index), "424242 blob_424242.dat\n3000000000 blob_3000000000.dat\n17 blob_17.dat\n");
  // toc.dat is never compressed and says format 3 (tar).
  std::string toc = readFile(dir + "/toc.dat");
  ASSERT_GT(toc.size(), 11u);
  EXPECT_EQ(toc.substr(0, 5), "PGDMP");
  EXPECT_EQ(toc[10], 3);

  auto r = openArchive(dir);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ((*r)->kind(), ArchiveKind::Directory);
  EXPECT_EQ((*r)->toc().entries[2].filename, std::optional<std::string>("30.dat"));
  EXPECT_EQ((*r)->toc().entries[4].filename, std::optional<std::string>(index));
  EXPECT_EQ((*r)->toc().entries[0].filename, std::optional<std::string>(""));
  EXPECT_EQ((*r)->dataLocation((*r)->toc().entries[2]), "30.dat" + sfx);
  auto size = (*r)->storedDataSize((*r)->toc().entries[2]);
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(*size, readFile(dir + "/30.dat" + sfx).size());
  if (minor < 15) EXPECT_EQ((*r)->toc().header.compressionLevel, algo == CompressionAlgorithm::None ? 0 : -1);
  else EXPECT_EQ((*r)->toc().header.compression, algo);
  expectContent(**r, c);
}

INSTANTIATE_TEST_SUITE_P(AllCodecsAndVersions, DirectoryRoundTrip,
                         ::testing::Combine(::testing::Values(CompressionAlgorithm::None, CompressionAlgorithm::Gzip,
                                                              CompressionAlgorithm::Lz4, CompressionAlgorithm::Zstd),
                                            ::testing::Values(14, 15, 16)));

TEST(DirectoryWriter, RefusesNonEmptyDirectoryAndReusesEmptyOne) {
  TempDir tmp;
  writeFile(tmp.path + "/stray", "x");
  WriterOptions o;
  o.kind = ArchiveKind::Directory;
  auto w = createArchiveWriter(tmp.path, o);
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.error().message.find("not empty"), std::string::npos);
  ::mkdir((tmp.path + "/empty").c_str(), 0755);
  auto w2 = createArchiveWriter(tmp.path + "/empty", o);
  ASSERT_TRUE(w2.ok()) << w2.error().describe();
  ASSERT_TRUE(writeContent(**w2, sampleContent(v(14))).ok());
  EXPECT_TRUE(exists(tmp.path + "/empty/toc.dat"));
}

TEST(DirectoryWriter, TocAppearsOnlyAtFinish) {
  TempDir tmp;
  std::string dir = tmp.path + "/d";
  Content c = sampleContent(v(14));
  WriterOptions o;
  o.kind = ArchiveKind::Directory;
  auto w = createDirectoryWriter(dir, o);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->begin(c.toc).ok());
  auto s = (*w)->openTableData(30);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->write(c.tableData[30]).ok());
  ASSERT_TRUE((*s)->close().ok());
  EXPECT_FALSE(exists(dir + "/toc.dat"));
  // Finishing without the remaining data fails and still writes no toc.dat.
  auto st = (*w)->finish();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().dumpId, std::optional<int>(31));
  EXPECT_FALSE(exists(dir + "/toc.dat"));
  EXPECT_FALSE(openArchive(dir).ok());
}

TEST(DirectoryWriter, RejectsDataForEntriesWithoutData) {
  TempDir tmp;
  WriterOptions o;
  o.kind = ArchiveKind::Directory;
  auto w = createDirectoryWriter(tmp.path + "/d", o);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->begin(sampleContent(v(14)).toc).ok());
  EXPECT_FALSE((*w)->openTableData(20).ok());   // TABLE has no data
  EXPECT_FALSE((*w)->openTableData(40).ok());   // BLOBS via the wrong call
  EXPECT_FALSE((*w)->openBlobs(30).ok());
  EXPECT_FALSE((*w)->openTableData(999).ok());
}

class DirectoryDamage : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = tmp.path + "/d";
    WriterOptions o;
    o.kind = ArchiveKind::Directory;
    auto w = createDirectoryWriter(dir, o);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(writeContent(**w, sampleContent(v(14))).ok());
  }
  // Reads all data; returns the first error.
  Status readAll() {
    PGARC_ASSIGN(auto r, openArchive(dir));
    for (const auto& e : r->toc().entries) {
      if (!e.hadDumper) continue;
      StringDataSink ds;
      CollectBlobs bs;
      PGARC_TRY(e.desc == "BLOBS" ? r->readBlobs(e, bs) : r->readTableData(e, ds));
    }
    return {};
  }
  TempDir tmp;
  std::string dir;
};

TEST_F(DirectoryDamage, MissingDataFileIsAnErrorWithDumpId) {
  ASSERT_EQ(::unlink((dir + "/31.dat.gz").c_str()), 0);
  auto st = readAll();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().dumpId, std::optional<int>(31));
  EXPECT_NE(st.error().message.find("31.dat"), std::string::npos);
}

TEST_F(DirectoryDamage, MissingBlobFileAndMissingIndexAreErrors) {
  ASSERT_EQ(::unlink((dir + "/blob_17.dat.gz").c_str()), 0);
  auto st = readAll();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("blob_17.dat"), std::string::npos);
  ASSERT_EQ(::unlink((dir + "/blobs.toc").c_str()), 0);
  st = readAll();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("blobs.toc"), std::string::npos);
}

TEST_F(DirectoryDamage, MissingTocIsAnError) {
  ASSERT_EQ(::unlink((dir + "/toc.dat").c_str()), 0);
  auto r = openArchive(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("toc.dat"), std::string::npos);
}

TEST_F(DirectoryDamage, ExtraFilesAreIgnoredAsPgRestoreDoes) {
  writeFile(dir + "/99.dat", "stray");
  writeFile(dir + "/blob_5.dat", "stray");
  auto st = readAll();
  EXPECT_TRUE(st.ok()) << st.error().describe();
}

TEST_F(DirectoryDamage, MalformedBlobIndexNamesFileAndLine) {
  writeFile(dir + "/blobs.toc", "424242 blob_424242.dat\nnot-a-number blob_1.dat\n");
  auto st = readAll();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("line 2"), std::string::npos) << st.error().message;
  EXPECT_NE(st.error().file.find("blobs.toc"), std::string::npos);
  writeFile(dir + "/blobs.toc", "424242 ../../etc/passwd\n");
  st = readAll();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("invalid file name"), std::string::npos) << st.error().message;
}

TEST_F(DirectoryDamage, CorruptDataFileIsAnError) {
  std::string gz = readFile(dir + "/30.dat.gz");
  writeFile(dir + "/30.dat.gz", gz.substr(0, gz.size() / 2));
  auto st = readAll();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().dumpId, std::optional<int>(30));
}

TEST_F(DirectoryDamage, PathTraversalInTocFileNameIsRejected) {
  auto r = openArchive(dir);
  ASSERT_TRUE(r.ok());
  TocEntry e = (*r)->toc().entries[2];
  e.filename = std::string("../d/30.dat");
  StringDataSink sink;
  auto st = (*r)->readTableData(e, sink);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("invalid file name"), std::string::npos);
  EXPECT_TRUE(sink.out.empty());
}

TEST_F(DirectoryDamage, TruncatedTocGivesErrorsAtEveryLength) {
  std::string toc = readFile(dir + "/toc.dat");
  for (size_t len = 0; len < toc.size(); len += 7) {
    writeFile(dir + "/toc.dat", toc.substr(0, len));
    EXPECT_FALSE(openArchive(dir).ok()) << "length " << len;
  }
}

TEST(DirectoryReader, CompressedTocIsAccepted) {
  TempDir tmp;
  std::string dir = tmp.path + "/d";
  WriterOptions o;
  o.kind = ArchiveKind::Directory;
  Content c = sampleContent(v(14));
  auto w = createDirectoryWriter(dir, o);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(writeContent(**w, c).ok());
  // Compress toc.dat with the gzip file codec, as a user running gzip would.
  StringSink gz;
  auto comp = makeCompressor({CompressionAlgorithm::Gzip, -1, false}, CodecContainer::File, gz);
  ASSERT_TRUE(comp.ok());
  ASSERT_TRUE((*comp)->write(readFile(dir + "/toc.dat")).ok());
  ASSERT_TRUE((*comp)->finish().ok());
  writeFile(dir + "/toc.dat.gz", gz.out);
  ASSERT_EQ(::unlink((dir + "/toc.dat").c_str()), 0);
  auto r = openArchive(dir);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  expectContent(**r, c);
}

// ---------------------------------------------------------------- tar header

TEST(TarHeader, MatchesPgDumpLayout) {
  auto h = buildTarHeader("toc.dat", 3010, 015301675571);
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 512u);
  EXPECT_EQ(h->substr(100, 24), std::string("0000600 0004000 0002000 "));
  EXPECT_EQ(h->substr(124, 12), "00000005702 ");
  EXPECT_EQ(h->substr(136, 12), "15301675571 ");
  // Checksum: 7 octal digits and a space, equal to the byte sum with the field as spaces.
  uint32_t sum = 8 * ' ';
  for (size_t i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += static_cast<unsigned char>((*h)[i]);
  char expect[16];
  snprintf(expect, sizeof expect, "%07o ", sum);
  EXPECT_EQ(h->substr(148, 8), expect);
  EXPECT_EQ((*h)[156], '0');
  EXPECT_EQ(h->substr(257, 8), std::string("ustar\0" "00", 8));
  EXPECT_EQ(h->substr(265, 9), std::string("postgres\0", 9));
  EXPECT_EQ(h->substr(297, 9), std::string("postgres\0", 9));
  EXPECT_EQ(h->substr(329, 16), "0000000 0000000 ");
  EXPECT_TRUE(isValidTarHeader(*h));
  EXPECT_FALSE(buildTarHeader(std::string(100, 'x'), 0, 0).ok());
}

TEST(TarHeader, LargeSizesUseBase256AndParseBack) {
  uint64_t big = (uint64_t{1} << 33) + 5;  // >= 8 GiB
  auto h = buildTarHeader("1.dat", big, 0);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(static_cast<unsigned char>((*h)[124]), 0x80);
  auto m = parseTarHeader(*h, std::nullopt);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->size, big);
  auto bounded = parseTarHeader(*h, uint64_t{1000});
  ASSERT_FALSE(bounded.ok());
  EXPECT_NE(bounded.error().message.find("remain"), std::string::npos);
}

TEST(TarHeader, AcceptsGnuAndOldPgDumpMagics) {
  auto h = buildTarHeader("toc.dat", 1, 0);
  ASSERT_TRUE(h.ok());
  for (std::string magic : {std::string("ustar  \0", 8), std::string("ustar00\0", 8), std::string("ustarXX\0", 8)}) {
    std::string b = *h;
    b.replace(257, 8, magic);
    std::string sum = "0000000 ";
    snprintf(sum.data(), 9, "%07o ", tarChecksum(b));
    b.replace(148, 8, sum.substr(0, 8));
    EXPECT_EQ(isValidTarHeader(b), magic != std::string("ustarXX\0", 8)) << magic;
  }
  std::string bad = *h;
  bad[0] = 'X';
  EXPECT_FALSE(isValidTarHeader(bad));
  EXPECT_FALSE(parseTarHeader(bad, std::nullopt).ok());
}

RC_GTEST_PROP(TarHeader, RoundTripsNameSizeAndMtime, (uint64_t size, uint32_t mtime)) {
  std::string name = *rc::gen::container<std::string>(rc::gen::inRange<char>('a', 'z'));
  RC_PRE(!name.empty() && name.size() < 100);
  auto h = buildTarHeader(name, size, mtime);
  RC_ASSERT(h.ok());
  RC_ASSERT(isValidTarHeader(*h));
  auto m = parseTarHeader(*h, std::nullopt);
  RC_ASSERT(m.ok());
  RC_ASSERT(m->name == name);
  RC_ASSERT(m->size == size);
  RC_ASSERT(m->mtime == mtime);
}

// ---------------------------------------------------------------- tar archive

class TarRoundTrip : public ::testing::TestWithParam<int> {};

TEST_P(TarRoundTrip, WriterThenReaderGivesSameContent) {
  Content c = sampleContent(v(GetParam()));
  std::string tar = writeTar(c);
  ASSERT_EQ(tar.size() % 512, 0u);
  EXPECT_TRUE(isZeroBlock(std::string_view(tar).substr(tar.size() - 1024)));
  // Member order: toc.dat, data in TOC order, blobs then their index, restore.sql.
  std::vector<std::string> names;
  for (size_t pos = 0; pos + 512 <= tar.size();) {
    std::string_view block(tar.data() + pos, 512);
    if (isZeroBlock(block)) break;
    auto m = parseTarHeader(block, std::nullopt);
    ASSERT_TRUE(m.ok());
    names.push_back(m->name);
    pos += 512 + m->size + tarPadding(m->size);
  }
  std::string index = GetParam() >= 16 ? "blobs_40.toc" : "blobs.toc";
  EXPECT_EQ(names, (std::vector<std::string>{"toc.dat", "30.dat", "31.dat", "blob_424242.dat",
                                             "blob_3000000000.dat", "blob_17.dat", index, "restore.sql"}));
  for (bool seekable : {true, false}) {
    auto in = openInputMemory(tar, "mem.tar");
    auto r = openTarArchive(seekable ? std::move(in) : nonSeekable(std::move(in)));
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ((*r)->kind(), ArchiveKind::Tar);
    EXPECT_EQ((*r)->toc().header.compressionLevel, 0);
    // BLOBS is named "<dumpId>.dat" in the tar toc.dat, as pg_dump does.
    EXPECT_EQ((*r)->toc().entries[4].filename, std::optional<std::string>("40.dat"));
    EXPECT_EQ((*r)->toc().entries[1].filename, std::optional<std::string>(""));
    expectContent(**r, c);
  }
}

INSTANTIATE_TEST_SUITE_P(Versions, TarRoundTrip, ::testing::Values(14, 15, 16));

TEST(TarWriter, RefusesCompressionWithPgDumpsMessage) {
  WriterOptions o;
  o.kind = ArchiveKind::Tar;
  o.compression = {CompressionAlgorithm::Gzip, 5, false};
  auto w = createTarWriter(std::make_unique<MemoryOutput>(), o);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().message, "compression is not supported by tar archive format");
}

TEST(TarWriter, RequiresTocOrder) {
  Content c = sampleContent(v(14));
  WriterOptions o;
  o.kind = ArchiveKind::Tar;
  o.compression = {CompressionAlgorithm::None, 0, false};
  auto w = createTarWriter(std::make_unique<MemoryOutput>(), o);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->begin(c.toc).ok());
  auto s = (*w)->openTableData(31);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->close().ok());
  EXPECT_FALSE((*w)->openTableData(30).ok());
}

TEST(TarReader, OutOfOrderOnNonSeekableInputIsAnError) {
  Content c = sampleContent(v(14));
  std::string tar = writeTar(c);
  auto r = openTarArchive(nonSeekable(openInputMemory(tar, "pipe")));
  ASSERT_TRUE(r.ok());
  const auto& entries = (*r)->toc().entries;
  StringDataSink later, earlier;
  ASSERT_TRUE((*r)->readTableData(entries[3], later).ok());
  EXPECT_EQ(later.out, c.tableData[31]);
  auto st = (*r)->readTableData(entries[2], earlier);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("restoring data out of order is not supported in this archive format"),
            std::string::npos)
      << st.error().message;
  EXPECT_EQ(st.error().dumpId, std::optional<int>(30));
  // A file is indexed (sizes known, members found by name) but, like
  // pg_restore, still refuses to go back to an earlier member.
  auto s = openTarArchive(openInputMemory(tar, "file"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->storedDataSize(entries[2]), std::optional<uint64_t>(c.tableData[30].size()));
  StringDataSink a, b;
  ASSERT_TRUE((*s)->readTableData(entries[3], a).ok());
  EXPECT_EQ(a.out, c.tableData[31]);
  auto back = (*s)->readTableData(entries[2], b);
  ASSERT_FALSE(back.ok());
  EXPECT_NE(back.error().message.find("is required, but comes before"), std::string::npos) << back.error().message;
}

TEST(TarReader, FirstMemberMustBeToc) {
  auto h = buildTarHeader("restore.sql", 0, 0);
  ASSERT_TRUE(h.ok());
  auto r = openTarArchive(openInputMemory(*h + std::string(1024, '\0')));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("toc.dat"), std::string::npos);
}

// Reads everything an archive offers; the first error, if any.
Status readEverything(std::unique_ptr<InputStream> in) {
  PGARC_ASSIGN(auto r, openTarArchive(std::move(in)));
  for (const auto& e : r->toc().entries) {
    if (!e.hadDumper) continue;
    StringDataSink ds;
    CollectBlobs bs;
    PGARC_TRY(e.desc == "BLOBS" ? r->readBlobs(e, bs) : r->readTableData(e, ds));
  }
  return {};
}

TEST(TarReader, TruncatedArchivesGiveErrors) {
  std::string tar = writeTar(sampleContent(v(14)));
  // Everything before the blob index is needed to read all data.
  size_t needed = tar.find("424242 blob_424242.dat\n");
  ASSERT_NE(needed, std::string::npos);
  for (size_t len = 0; len < needed; len += len < 2048 ? 37 : 1531) {
    for (bool seekable : {true, false}) {
      auto in = openInputMemory(tar.substr(0, len), "cut.tar");
      auto st = readEverything(seekable ? std::move(in) : nonSeekable(std::move(in)));
      EXPECT_FALSE(st.ok()) << "length " << len << (seekable ? " seekable" : " pipe");
    }
  }
}

// Offset of the header of the named member, walking the headers.
size_t memberHeaderPos(const std::string& tar, const std::string& name) {
  for (size_t pos = 0; pos + 512 <= tar.size();) {
    auto m = parseTarHeader(std::string_view(tar).substr(pos, 512), std::nullopt);
    if (!m.ok()) break;
    if (m->name == name) return pos;
    pos += 512 + m->size + tarPadding(m->size);
  }
  return std::string::npos;
}

TEST(TarReader, CorruptHeaderChecksumIsReported) {
  std::string tar = writeTar(sampleContent(v(14)));
  // Damage the first byte of the 30.dat member's name.
  size_t pos = memberHeaderPos(tar, "30.dat");
  ASSERT_NE(pos, std::string::npos);
  tar[pos] = '4';
  auto st = readEverything(openInputMemory(tar, "bad.tar"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("corrupt tar header"), std::string::npos) << st.error().message;
  EXPECT_EQ(st.error().offset, std::optional<uint64_t>(pos));
}

TEST(TarReader, MemberSizeBeyondFileIsRejectedBeforeReading) {
  std::string tar = writeTar(sampleContent(v(14)));
  size_t pos = memberHeaderPos(tar, "30.dat");
  ASSERT_NE(pos, std::string::npos);
  auto h = buildTarHeader("30.dat", uint64_t{1} << 40, 0);
  ASSERT_TRUE(h.ok());
  tar.replace(pos, 512, *h);
  auto st = readEverything(openInputMemory(tar, "big.tar"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("remain in the file"), std::string::npos) << st.error().message;
}

RC_GTEST_PROP(TarReader, FlippedBytesNeverCrash, ()) {
  static const std::string tar = writeTar(sampleContent(v(14)));
  std::string damaged = tar;
  auto flips = *rc::gen::container<std::vector<std::pair<size_t, uint8_t>>>(
      rc::gen::pair(rc::gen::inRange<size_t>(0, tar.size()), rc::gen::arbitrary<uint8_t>()));
  for (auto [pos, val] : flips) damaged[pos] = static_cast<char>(val);
  bool seekable = *rc::gen::arbitrary<bool>();
  auto in = openInputMemory(damaged, "fuzz.tar");
  auto st = readEverything(seekable ? std::move(in) : nonSeekable(std::move(in)));
  if (damaged == tar) RC_ASSERT(st.ok());
}

RC_GTEST_PROP(TarAndDirectory, RoundTripArbitraryData, (std::string rows, std::vector<std::string> blobBytes)) {
  Content c = sampleContent(v(*rc::gen::inRange(14, 17)));
  c.tableData[30] = rows;
  c.blobs[40].clear();
  uint32_t oid = 1;
  for (auto& b : blobBytes) c.blobs[40].push_back(Blob{oid++, b});
  if (c.blobs[40].empty()) c.blobs[40].push_back(Blob{99, "x"});
  std::string tar = writeTar(c);
  auto r = openTarArchive(nonSeekable(openInputMemory(tar)));
  RC_ASSERT(r.ok());
  StringDataSink d;
  RC_ASSERT((*r)->readTableData((*r)->toc().entries[2], d).ok());
  RC_ASSERT(d.out == rows);
  StringDataSink skip;
  RC_ASSERT((*r)->readTableData((*r)->toc().entries[3], skip).ok());
  CollectBlobs b;
  RC_ASSERT((*r)->readBlobs((*r)->toc().entries[4], b).ok());
  RC_ASSERT(b.blobs == c.blobs[40]);

  // The same content through a directory archive with an arbitrary codec, in
  // one case out of four: every file is fsynced, which makes this leg slow.
  if (*rc::gen::inRange(0, 4) != 0) return;
  auto algo = *rc::gen::element(CompressionAlgorithm::None, CompressionAlgorithm::Gzip, CompressionAlgorithm::Lz4,
                                CompressionAlgorithm::Zstd);
  RC_PRE(c.toc.header.version.atLeast(1, 15) || algo == CompressionAlgorithm::None ||
         algo == CompressionAlgorithm::Gzip);
  TempDir tmp;
  WriterOptions o;
  o.kind = ArchiveKind::Directory;
  o.compression = {algo, algo == CompressionAlgorithm::None ? 0 : (algo == CompressionAlgorithm::Gzip ? -1 : 3), false};
  auto w = createArchiveWriter(tmp.path + "/d", o);
  RC_ASSERT(w.ok());
  RC_ASSERT(writeContent(**w, c).ok());
  auto dr = openArchive(tmp.path + "/d");
  RC_ASSERT(dr.ok());
  StringDataSink dd;
  RC_ASSERT((*dr)->readTableData((*dr)->toc().entries[2], dd).ok());
  RC_ASSERT(dd.out == rows);
  CollectBlobs db;
  RC_ASSERT((*dr)->readBlobs((*dr)->toc().entries[4], db).ok());
  RC_ASSERT(db.blobs == c.blobs[40]);
}

// ---------------------------------------------------------------- detection

TEST(OpenArchive, DetectsFormatsAndRejectsTextDumps) {
  TempDir tmp;
  std::string tarPath = tmp.path + "/x.tar";
  writeFile(tarPath, writeTar(sampleContent(v(14))));
  auto r = openArchive(tarPath);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ((*r)->kind(), ArchiveKind::Tar);

  writeFile(tmp.path + "/plain.sql", "--\n-- PostgreSQL database dump\n--\n\nSET x = 1;\n");
  auto p = openArchive(tmp.path + "/plain.sql");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("input file appears to be a text format dump"), std::string::npos);

  writeFile(tmp.path + "/junk", "hello");
  EXPECT_FALSE(openArchive(tmp.path + "/junk").ok());
  writeFile(tmp.path + "/empty", "");
  EXPECT_FALSE(openArchive(tmp.path + "/empty").ok());

  ::mkdir((tmp.path + "/notarchive").c_str(), 0700);
  auto d = openArchive(tmp.path + "/notarchive");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("does not appear to be a valid archive"), std::string::npos);

  EXPECT_FALSE(openArchive(tmp.path + "/missing").ok());
}

TEST(OpenArchive, KindNames) {
  EXPECT_STREQ(archiveKindName(ArchiveKind::Custom), "CUSTOM");
  EXPECT_STREQ(archiveKindName(ArchiveKind::Directory), "DIRECTORY");
  EXPECT_STREQ(archiveKindName(ArchiveKind::Tar), "TAR");
  EXPECT_STREQ(archiveKindName(ArchiveKind::Plain), "PLAIN");
}

TEST(BlobIndex, ParsesPgDumpLinesStrictly) {
  auto ok = parseBlobIndex("16401 blob_16401.dat\n424242 blob_424242.dat\n", "blobs.toc");
  ASSERT_TRUE(ok.ok());
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[1].oid, 424242u);
  EXPECT_EQ((*ok)[1].file, "blob_424242.dat");
  for (const char* bad : {"1\n", "x blob_1.dat\n", "0 blob_0.dat\n", "99999999999 b\n", "1 a b\n", "1 \n",
                          "1 ../x\n", "1 a/b\n", "\n"}) {
    auto r = parseBlobIndex(bad, "blobs.toc");
    EXPECT_FALSE(r.ok()) << bad;
  }
  EXPECT_EQ(blobIndexLine(3000000000u), "3000000000 blob_3000000000.dat\n");
}

// ---------------------------------------------------------------- copying

TEST(CopyArchiveData, DirectoryToTarToDirectoryKeepsEverything) {
  TempDir tmp;
  Content c = sampleContent(v(14));
  WriterOptions dirOpts;
  dirOpts.kind = ArchiveKind::Directory;
  auto w = createArchiveWriter(tmp.path + "/a", dirOpts);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(writeContent(**w, c).ok());
  auto r = openArchive(tmp.path + "/a");
  ASSERT_TRUE(r.ok());

  WriterOptions tarOpts;
  tarOpts.kind = ArchiveKind::Tar;
  EXPECT_FALSE(createArchiveWriter(tmp.path + "/b.tar", tarOpts).ok());  // default gzip is refused for tar
  tarOpts.compression = {CompressionAlgorithm::None, 0, false};
  auto tw = createArchiveWriter(tmp.path + "/b.tar", tarOpts);
  ASSERT_TRUE(tw.ok());
  auto st = copyArchiveData(**r, **tw);
  ASSERT_TRUE(st.ok()) << st.error().describe();
  ASSERT_TRUE((*tw)->finish().ok());

  auto t = openArchive(tmp.path + "/b.tar");
  ASSERT_TRUE(t.ok()) << t.error().describe();
  expectContent(**t, c);
  // A tar reader makes one forward pass, as pg_restore's does: copy from a fresh one.
  auto t2 = openArchive(tmp.path + "/b.tar");
  ASSERT_TRUE(t2.ok()) << t2.error().describe();
  auto w2 = createArchiveWriter(tmp.path + "/c", dirOpts);
  ASSERT_TRUE(w2.ok());
  ASSERT_TRUE(copyArchiveData(**t2, **w2).ok());
  ASSERT_TRUE((*w2)->finish().ok());
  for (const char* f : {"toc.dat", "30.dat.gz", "31.dat.gz", "blobs.toc", "blob_424242.dat.gz", "blob_17.dat.gz"}) {
    EXPECT_EQ(readFile(tmp.path + "/a/" + f), readFile(tmp.path + "/c/" + f)) << f;
  }
}

// ---------------------------------------------------------------- stock fixtures

namespace {

std::string fixture(const std::string& name) { return pgarc::test::sourceDir() + "/fixtures/archives/" + name; }

// Every entry's data, keyed by desc/schema/tag so different formats compare.
std::map<std::string, std::string> allData(ArchiveReader& r) {
  std::map<std::string, std::string> out;
  for (const auto& e : r.toc().entries) {
    if (!e.hadDumper) continue;
    std::string key = e.descStr() + "/" + e.namespace_.value_or("-") + "/" + e.tagStr();
    if (e.desc == "BLOBS") {
      CollectBlobs b;
      auto st = r.readBlobs(e, b);
      EXPECT_TRUE(st.ok()) << st.error().describe();
      for (const auto& blob : b.blobs) out[key] += std::to_string(blob.oid) + ":" + blob.bytes + ";";
    } else {
      StringDataSink d;
      auto st = r.readTableData(e, d);
      EXPECT_TRUE(st.ok()) << st.error().describe();
      out[key] = d.out;
    }
  }
  return out;
}

// Feeds `bytes` through a pipe on fd 0 while `fn` runs, then restores stdin.
template <class Fn>
void withPipedStdin(const std::string& bytes, Fn fn) {
  int saved = ::dup(0);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_GE(::dup2(fds[0], 0), 0);
  ::close(fds[0]);
  std::thread feeder([&] {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t w = ::write(fds[1], bytes.data() + done, bytes.size() - done);
      if (w <= 0) break;
      done += static_cast<size_t>(w);
    }
    ::close(fds[1]);
  });
  fn();
  // Drain so the feeder can finish even if fn stopped reading early.
  char buf[4096];
  while (::read(0, buf, sizeof buf) > 0) {
  }
  feeder.join();
  ::dup2(saved, 0);
  ::close(saved);
}

}  // namespace

TEST(DirTarFixtures, DirectoryTarAndCustomGiveTheSameData) {
  auto dir = openArchive(fixture("sample.dir"));
  auto dir0 = openArchive(fixture("sample-z0.dir"));
  auto tar = openArchive(fixture("sample.tar"));
  auto custom = openArchive(fixture("sample.custom"));
  ASSERT_TRUE(dir.ok()) << dir.error().describe();
  ASSERT_TRUE(dir0.ok()) << dir0.error().describe();
  ASSERT_TRUE(tar.ok()) << tar.error().describe();
  ASSERT_TRUE(custom.ok()) << custom.error().describe();
  EXPECT_EQ((*dir)->kind(), ArchiveKind::Directory);
  EXPECT_EQ((*tar)->kind(), ArchiveKind::Tar);
  EXPECT_EQ((*custom)->kind(), ArchiveKind::Custom);
  auto d = allData(**dir);
  EXPECT_GE(d.size(), 20u);
  EXPECT_EQ(d, allData(**dir0));
  EXPECT_EQ(d, allData(**tar));
  EXPECT_EQ(d, allData(**custom));
}

TEST(DirTarFixtures, DirectoryRewriteIsByteIdentical) {
  for (const char* name : {"sample.dir", "sample-z0.dir"}) {
    SCOPED_TRACE(name);
    TempDir tmp;
    auto r = openArchive(fixture(name));
    ASSERT_TRUE(r.ok());
    const ArchiveHeader& h = (*r)->toc().header;
    WriterOptions o;
    o.kind = ArchiveKind::Directory;
    o.compression = {h.compression, h.compressionLevel, false};
    auto w = createArchiveWriter(tmp.path + "/out", o);
    ASSERT_TRUE(w.ok());
    auto st = copyArchiveData(**r, **w);
    ASSERT_TRUE(st.ok()) << st.error().describe();
    ASSERT_TRUE((*w)->finish().ok());
    for (const auto& f : std::filesystem::directory_iterator(fixture(name))) {
      std::string n = f.path().filename().string();
      EXPECT_TRUE(readFile(f.path().string()) == readFile(tmp.path + "/out/" + n)) << n;
    }
    size_t count = 0;
    for ([[maybe_unused]] const auto& f : std::filesystem::directory_iterator(tmp.path + "/out")) count++;
    EXPECT_EQ(count, static_cast<size_t>(std::distance(std::filesystem::directory_iterator(fixture(name)),
                                                       std::filesystem::directory_iterator())));
  }
}

TEST(DirTarFixtures, TarFromPipedStdin) {
  std::map<std::string, std::string> fromFile;
  {
    auto r = openArchive(fixture("sample.tar"));
    ASSERT_TRUE(r.ok());
    fromFile = allData(**r);
  }
  withPipedStdin(readFile(fixture("sample.tar")), [&] {
    auto r = openArchive("-");
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ((*r)->kind(), ArchiveKind::Tar);
    EXPECT_EQ(allData(**r), fromFile);
  });
  withPipedStdin(readFile(fixture("sample-pipe.custom")), [&] {
    auto r = openArchive("-");
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ((*r)->kind(), ArchiveKind::Custom);
    EXPECT_EQ(allData(**r), fromFile);
  });
  withPipedStdin("--\n-- PostgreSQL database dump\n--\n\nSET x = 1;\n", [&] {
    auto r = openArchive("-");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("input file appears to be a text format dump"), std::string::npos);
  });
}

TEST(DirTarFixtures, EmptyTarRoundTrips) {
  auto r = openArchive(fixture("empty.tar"));
  ASSERT_TRUE(r.ok()) << r.error().describe();
  TempDir tmp;
  WriterOptions o;
  o.kind = ArchiveKind::Tar;
  o.compression = {CompressionAlgorithm::None, 0, false};
  auto w = createArchiveWriter(tmp.path + "/e.tar", o);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(copyArchiveData(**r, **w).ok());
  ASSERT_TRUE((*w)->finish().ok());
  std::string a = readFile(fixture("empty.tar")), b = readFile(tmp.path + "/e.tar");
  EXPECT_EQ(a.size(), b.size());
  // The toc.dat members are identical (same TOC, same creation time).
  auto tocOf = [](const std::string& t) {
    auto h = parseTarHeader(std::string_view(t).substr(0, 512), std::nullopt);
    return h.ok() ? t.substr(512, h->size) : std::string();
  };
  EXPECT_FALSE(tocOf(a).empty());
  EXPECT_EQ(tocOf(a), tocOf(b));
}

RC_GTEST_PROP(DirTarFixtures, FlippedBytesInStockTarNeverCrash, ()) {
  static const std::string tar = readFile(fixture("sample.tar"));
  std::string damaged = tar;
  auto flips = *rc::gen::container<std::vector<std::pair<size_t, uint8_t>>>(
      rc::gen::pair(rc::gen::inRange<size_t>(0, tar.size()), rc::gen::arbitrary<uint8_t>()));
  for (auto [pos, val] : flips) damaged[pos] = static_cast<char>(val);
  auto st = readEverything(*rc::gen::arbitrary<bool>() ? openInputMemory(damaged, "fuzz.tar")
                                                       : nonSeekable(openInputMemory(damaged, "fuzz.tar")));
  if (damaged == tar) RC_ASSERT(st.ok());
}
