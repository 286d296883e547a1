// Tar (-Ft) format: header encoding, writer -> reader round trips, forward-only
// reading, and corrupt or incomplete archives giving errors, never crashes.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <sys/stat.h>
#include <unistd.h>


#include "format/archive_reader.hpp"
#include "format/archive_writer.hpp"
#include "format/codec.hpp"
#include "format/io.hpp"
#include "format/tar_header.hpp"
#include "tests/support/archive_content.hpp"
#include "tests/support/process.hpp"

using namespace pgarc;
using namespace pgarc::test;

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
