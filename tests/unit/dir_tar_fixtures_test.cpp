// Directory and tar archives made by stock pg_dump 15 (fixtures/archives):
// same data as the custom archive, byte-identical rewrites, piped input.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <thread>

#include "format/archive_reader.hpp"
#include "format/archive_writer.hpp"
#include "format/codec.hpp"
#include "format/io.hpp"
#include "format/tar_header.hpp"
#include "tests/support/archive_content.hpp"
#include "tests/support/process.hpp"

using namespace pgarc;
using namespace pgarc::test;

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
