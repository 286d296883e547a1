// pgarc dump's archive-version and compression options, and the custom
// writer's precompressed table data that parallel custom dumps rely on.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "dump/options.hpp"
#include "format/archive_writer.hpp"
#include "format/codec.hpp"
#include "format/codec_gzip_parallel.hpp"
#include "format/io.hpp"

using namespace pgarc;
using namespace pgarc::dump;

namespace {

std::string parseErr(std::vector<std::string> args) {
  auto r = parseDumpCommandLine(args);
  return r.ok() ? std::string() : r.error().message;
}

DumpOptions parseOk(std::vector<std::string> args) {
  auto r = parseDumpCommandLine(args);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r->options : DumpOptions{};
}

TEST(DumpVersionOptions, ArchiveVersionAndTarget) {
  EXPECT_EQ(parseOk({"-Fc", "db"}).archiveVersion, (ArchiveVersion{1, 14, 0}));
  EXPECT_EQ(parseOk({"-Fc", "--archive-version=1.15", "db"}).archiveVersion, (ArchiveVersion{1, 15, 0}));
  EXPECT_EQ(parseOk({"-Fc", "--archive-version", "1.16", "db"}).archiveVersion, (ArchiveVersion{1, 16, 0}));
  EXPECT_EQ(parseOk({"--target-pg-restore=15"}).archiveVersion, (ArchiveVersion{1, 14, 0}));
  EXPECT_EQ(parseOk({"--target-pg-restore=16"}).archiveVersion, (ArchiveVersion{1, 15, 0}));
  EXPECT_EQ(parseOk({"--target-pg-restore=17"}).archiveVersion, (ArchiveVersion{1, 16, 0}));
  EXPECT_EQ(parseOk({"--target-pg-restore=18"}).archiveVersion, (ArchiveVersion{1, 16, 0}));
  // The last of the two options wins, as with any repeated option.
  EXPECT_EQ(parseOk({"--target-pg-restore=18", "--archive-version=1.14"}).archiveVersion, (ArchiveVersion{1, 14, 0}));
  EXPECT_NE(parseErr({"--archive-version=1.13"}), "");
  EXPECT_NE(parseErr({"--archive-version=2"}), "");
  EXPECT_NE(parseErr({"--target-pg-restore=14"}).find("--target-pg-restore"), std::string::npos);
}

TEST(DumpVersionOptions, CompressionSpellings) {
  DumpOptions o = parseOk({"-Fc", "-Z", "5"});
  ASSERT_TRUE(o.compression);
  EXPECT_EQ(*o.compression, (CompressionSpec{CompressionAlgorithm::Gzip, 5, false}));
  EXPECT_EQ(*o.compressLevel, 5);
  o = parseOk({"-Fc", "-Z0"});
  EXPECT_EQ(o.compression->algorithm, CompressionAlgorithm::None);
  EXPECT_EQ(*o.compressLevel, 0);
  o = parseOk({"-Fd", "--compress=gzip:9"});
  EXPECT_EQ(*o.compression, (CompressionSpec{CompressionAlgorithm::Gzip, 9, false}));
  o = parseOk({"-Fd", "-Z", "gzip"});
  EXPECT_EQ(*o.compression, (CompressionSpec{CompressionAlgorithm::Gzip, -1, false}));
  o = parseOk({"-Fc", "-Z", "none"});
  EXPECT_EQ(o.compression->algorithm, CompressionAlgorithm::None);
  o = parseOk({"-Fc", "-Z", "lz4:3", "--archive-version=1.15"});
  EXPECT_EQ(*o.compression, (CompressionSpec{CompressionAlgorithm::Lz4, 3, false}));
  EXPECT_FALSE(o.compressLevel);
  o = parseOk({"-Fd", "-Z", "zstd:level=7,long", "--target-pg-restore=17"});
  EXPECT_EQ(*o.compression, (CompressionSpec{CompressionAlgorithm::Zstd, 7, true}));
  o = parseOk({"-Fp", "-Z", "zstd"});  // plain output has no archive version
  EXPECT_EQ(o.compression->algorithm, CompressionAlgorithm::Zstd);
  EXPECT_EQ(parseErr({"-Z10"}), "-Z/--compress must be in range 0..9");
  EXPECT_NE(parseErr({"-Z", "brotli"}).find("unrecognized compression algorithm"), std::string::npos);
  EXPECT_NE(parseErr({"-Z", "gzip:12"}).find("between 1 and 9"), std::string::npos);
}

TEST(DumpVersionOptions, VersionRulesAndFormats) {
  for (const char* fmt : {"-Fc", "-Fd"}) {
    for (const char* method : {"lz4", "zstd", "zstd:5", "lz4:1"}) {
      std::string e = parseErr({fmt, "-Z", method});
      EXPECT_NE(e.find("requires archive version 1.15 or later"), std::string::npos) << fmt << " " << method << ": " << e;
      EXPECT_NE(e.find("found 1.14"), std::string::npos) << e;
      EXPECT_EQ(parseErr({fmt, "-Z", method, "--archive-version=1.15"}), "");
    }
  }
  EXPECT_EQ(parseErr({"-Ft", "-Z", "gzip"}), "compression is not supported by tar archive format");
  EXPECT_EQ(parseErr({"-Ft", "-Z", "zstd", "--archive-version=1.16"}), "compression is not supported by tar archive format");
  EXPECT_EQ(parseErr({"-Ft", "-Z", "none"}), "");
  EXPECT_EQ(parseOk({"-Fc", "-j", "2", "db"}).jobs, 2);
  EXPECT_EQ(parseOk({"-Fd", "-j3", "-f", "x", "db"}).jobs, 3);
  EXPECT_EQ(parseErr({"-Ft", "-j2"}), "parallel backup only supported by the directory format");
  EXPECT_EQ(parseErr({"-Fp", "-j2"}), "parallel backup only supported by the directory format");
}

// Data compressed elsewhere (here: by the parallel deflate, as -Fc -j does
// for big tables) and handed to openPrecompressedTableData reads back as the
// plain bytes, next to ordinarily written entries.
std::string writeWithPrecompressed(const std::vector<std::string>& tables, const CompressionSpec& spec, bool parallel,
                                   ArchiveVersion version = ArchiveVersion{1, 14, 0}) {
  ArchiveToc toc;
  toc.header.version = version;
  toc.header.dbname = "db";
  for (size_t i = 0; i < tables.size(); i++) {
    TocEntry e;
    e.dumpId = static_cast<int>(i + 1);
    e.hadDumper = true;
    e.desc = "TABLE DATA";
    e.tag = "t" + std::to_string(i);
    e.section = Section::Data;
    e.copyStmt = "COPY t" + std::to_string(i) + " FROM stdin;\n";
    toc.entries.push_back(e);
  }
  auto mem = std::make_unique<MemoryOutput>(true);
  MemoryOutput* raw = mem.get();
  auto w = createCustomWriter(std::move(mem), WriterOptions{ArchiveKind::Custom, spec});
  EXPECT_TRUE(w.ok());
  EXPECT_TRUE((*w)->begin(toc).ok());
  for (size_t i = 0; i < tables.size(); i++) {
    const int id = static_cast<int>(i + 1);
    if (i % 2 == 0) {  // every other entry through the precompressed path
      StringSink compressed;
      auto comp = parallel && spec.algorithm == CompressionAlgorithm::Gzip
                      ? makeParallelGzipCompressor(spec.level, 2, compressed)
                      : makeCompressor(spec, CodecContainer::Stream, compressed);
      EXPECT_TRUE(comp.ok());
      EXPECT_TRUE((*comp)->write(tables[i]).ok());
      EXPECT_TRUE((*comp)->finish().ok());
      auto s = (*w)->openPrecompressedTableData(id);
      EXPECT_TRUE(s.ok());
      for (size_t off = 0; off < compressed.out.size(); off += 1000)
        EXPECT_TRUE((*s)->write(std::string_view(compressed.out).substr(off, 1000)).ok());
      EXPECT_TRUE((*s)->close().ok());
    } else {
      auto s = (*w)->openTableData(id);
      EXPECT_TRUE(s.ok());
      EXPECT_TRUE((*s)->write(tables[i]).ok());
      EXPECT_TRUE((*s)->close().ok());
    }
  }
  EXPECT_TRUE((*w)->finish().ok());
  return raw->data();
}

class CollectSink : public DataSink {
 public:
  Status data(std::string_view b) override { out.append(b); return {}; }
  std::string out;
};

std::vector<std::string> readBack(const std::string& bytes) {
  std::vector<std::string> out;
  auto r = openCustomArchive(openInputMemory(bytes, "mem.dump"));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().describe());
  if (!r.ok()) return out;
  for (const auto& e : (*r)->toc().entries) {
    CollectSink s;
    Status st = (*r)->readTableData(e, s);
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().describe());
    out.push_back(s.out);
  }
  return out;
}

RC_GTEST_PROP(PrecompressedTableData, ReadsBackAsWritten, ()) {
  const auto tables = *rc::gen::container<std::vector<std::string>>(
      *rc::gen::inRange<size_t>(1, 5), rc::gen::container<std::string>(*rc::gen::inRange<size_t>(0, 300000), rc::gen::arbitrary<char>()));
  const int pick = *rc::gen::inRange(0, 4);
  const CompressionSpec specs[] = {{CompressionAlgorithm::Gzip, -1, false}, {CompressionAlgorithm::None, 0, false},
                                   {CompressionAlgorithm::Gzip, 1, false}, {CompressionAlgorithm::Gzip, 9, false}};
  const bool parallel = *rc::gen::arbitrary<bool>();
  RC_ASSERT(readBack(writeWithPrecompressed(tables, specs[pick], parallel)) == tables);
}

TEST(PrecompressedTableData, Lz4AndZstdNeedVersion115) {
  std::vector<std::string> tables = {std::string(100000, 'a') + "xyz", "short", std::string(5000, '\t')};
  for (auto spec : {CompressionSpec{CompressionAlgorithm::Lz4, 0, false}, CompressionSpec{CompressionAlgorithm::Zstd, 3, false}}) {
    EXPECT_EQ(readBack(writeWithPrecompressed(tables, spec, false, ArchiveVersion{1, 15, 0})), tables);
    // Version 1.14 cannot carry these methods: the writer refuses at begin().
    auto w = createCustomWriter(std::make_unique<MemoryOutput>(true), WriterOptions{ArchiveKind::Custom, spec});
    ASSERT_TRUE(w.ok());
    ArchiveToc toc;
    toc.header.version = ArchiveVersion{1, 14, 0};
    EXPECT_FALSE((*w)->begin(toc).ok());
  }
}

TEST(PrecompressedTableData, RefusedByDirectoryWriter) {
  ArchiveToc toc;
  toc.header.version = ArchiveVersion{1, 14, 0};
  TocEntry e;
  e.dumpId = 1;
  e.hadDumper = true;
  e.desc = "TABLE DATA";
  toc.entries.push_back(e);
  char tmpl[] = "/tmp/pgarc-precomp-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string dir = std::string(tmpl) + "/out";
  auto w = createDirectoryWriter(dir, WriterOptions{ArchiveKind::Directory, {}});
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->begin(toc).ok());
  auto s = (*w)->openPrecompressedTableData(1);
  EXPECT_FALSE(s.ok());
  std::string cmd = "rm -rf '" + std::string(tmpl) + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
}

}  // namespace
