// Directory (-Fd) format: writer -> reader round trips for every codec and
// archive version, damaged directories giving errors, format detection and
// copying between formats.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "format/archive_reader.hpp"
#include "format/archive_writer.hpp"
#include "format/blob_index.hpp"
#include "format/codec.hpp"
#include "format/io.hpp"
#include "tests/support/archive_content.hpp"
#include "tests/support/process.hpp"

using namespace pgarc;
using namespace pgarc::test;

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
  EXPECT_TRUE(exists(dir + "/30.dat.gz"));
  // The unfinished writer takes its files and the directory it made with it.
  w->reset();
  EXPECT_FALSE(exists(dir));
}

TEST(DirectoryWriter, UnfinishedWriterEmptiesADirectoryItDidNotMake) {
  TempDir tmp;
  std::string dir = tmp.path + "/given";
  ASSERT_EQ(::mkdir(dir.c_str(), 0700), 0);
  Content c = sampleContent(v(16));
  WriterOptions o;
  o.kind = ArchiveKind::Directory;
  {
    auto w = createDirectoryWriter(dir + "/", o);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->begin(c.toc).ok());
    auto s = (*w)->openTableData(30);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->write(c.tableData[30]).ok());
    ASSERT_TRUE((*s)->close().ok());
    auto b = (*w)->openBlobs(40);
    ASSERT_TRUE(b.ok());
    ASSERT_TRUE((*b)->beginBlob(7).ok());
    ASSERT_TRUE((*b)->write("x").ok());
    ASSERT_TRUE((*b)->endBlob().ok());
    ASSERT_TRUE((*b)->close().ok());
  }
  ASSERT_TRUE(exists(dir));
  EXPECT_TRUE(std::filesystem::is_empty(dir));
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
    return readAllData(*r);
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
