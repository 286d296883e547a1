// Mutated fixture archives fed to the readers: opening and reading every
// entry's data must give an Error or succeed, never crash, hang or touch
// memory it should not (the ASan/UBSan build checks the last part).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "format/archive_reader.hpp"
#include "format/io.hpp"
#include "tests/support/process.hpp"

namespace pgarc {
namespace {

namespace fs = std::filesystem;
using test::readFile;
using test::sourceDir;

std::string fixturePath(const std::string& name) { return sourceDir() + "/fixtures/archives/" + name; }

const std::vector<std::string> kFileFixtures = {"sample.custom", "sample-z0.custom", "sample-pipe.custom",
                                                "sample.tar", "schema-only.custom", "empty.custom", "empty.tar"};

const std::string& fixtureBytes(const std::string& name) {
  // Read once per process; the fixtures never change during a run.
  static std::vector<std::pair<std::string, std::string>> cache;
  for (const auto& [n, d] : cache) if (n == name) return d;
  cache.emplace_back(name, readFile(fixturePath(name)));
  return cache.back().second;
}

class CountingSink : public DataSink, public BlobSink {
 public:
  Status data(std::string_view bytes) override {
    total += bytes.size();
    return {};
  }
  Status beginBlob(uint32_t) override { return {}; }
  Status endBlob(uint32_t) override { return {}; }
  uint64_t total = 0;
};

// Reads every entry's data, going on after errors (a reader must stay usable
// and safe after one entry fails). Returns how many reads failed.
int readEverything(ArchiveReader& reader) {
  int failures = 0;
  CountingSink sink;
  for (const TocEntry& e : reader.toc().entries) {
    if (!e.hadDumper) continue;
    Status s = e.desc && *e.desc == "BLOBS" ? reader.readBlobs(e, sink) : reader.readTableData(e, sink);
    if (!s.ok()) {
      ++failures;
      RC_ASSERT(!s.error().describe().empty());
    }
  }
  return failures;
}

// Opens and reads; returns what happened, for RapidCheck's statistics.
const char* openAndRead(Result<std::unique_ptr<ArchiveReader>> opened) {
  if (!opened.ok()) {
    RC_ASSERT(!opened.error().message.empty());
    return "open failed";
  }
  return readEverything(**opened) > 0 ? "data read failed" : "read fully";
}

enum class MutationKind { FlipBit, SetByte, Truncate, Insert, Erase, ExtremeInt, Duplicate };

struct Mutation {
  MutationKind kind;
  size_t pos;       // reduced modulo the current size when applied
  uint8_t value;
  size_t length;
};

std::string apply(std::string data, const std::vector<Mutation>& mutations) {
  static const std::string kExtremeInts[] = {std::string("\x00\xff\xff\xff\x7f", 5), std::string("\x01\xff\xff\xff\xff", 5),
                                             std::string("\x00\x00\x00\x00\x80", 5), std::string("\x01\x01\x00\x00\x00", 5)};
  for (const Mutation& m : mutations) {
    if (data.empty()) break;
    size_t pos = m.pos % data.size();
    switch (m.kind) {
      case MutationKind::FlipBit: data[pos] = static_cast<char>(data[pos] ^ (1 << (m.value % 8))); break;
      case MutationKind::SetByte: data[pos] = static_cast<char>(m.value); break;
      case MutationKind::Truncate: data.resize(pos); break;
      case MutationKind::Insert: data.insert(pos, std::string(m.length % 17 + 1, static_cast<char>(m.value))); break;
      case MutationKind::Erase: data.erase(pos, m.length % 64 + 1); break;
      case MutationKind::ExtremeInt: data.replace(pos, 5, kExtremeInts[m.value % 4]); break;
      case MutationKind::Duplicate: data.insert(pos, data.substr(m.length % data.size(), 32)); break;
    }
  }
  return data;
}

rc::Gen<Mutation> genMutation(size_t size) {
  // Half the positions in the first 4 KiB, where the header and TOC are.
  auto pos = rc::gen::oneOf(rc::gen::inRange<size_t>(0, std::min<size_t>(size, 4096) + 1),
                            rc::gen::inRange<size_t>(0, size + 1));
  return rc::gen::construct<Mutation>(
      rc::gen::element(MutationKind::FlipBit, MutationKind::SetByte, MutationKind::Truncate, MutationKind::Insert,
                       MutationKind::Erase, MutationKind::ExtremeInt, MutationKind::Duplicate),
      pos, rc::gen::arbitrary<uint8_t>(), rc::gen::inRange<size_t>(0, 1 << 16));
}

bool isTar(const std::string& name) { return name.size() > 4 && name.substr(name.size() - 4) == ".tar"; }

struct TempDir {
  std::string path = test::makeTempDir("pgarc-mutation-");
  ~TempDir() { test::removeTree(path); }
};

RC_GTEST_PROP(ReaderMutation, MutatedFileArchivesGiveErrorOrSuccess, ()) {
  const std::string name = *rc::gen::elementOf(kFileFixtures);
  const std::string& original = fixtureBytes(name);
  const auto mutations = *rc::gen::container<std::vector<Mutation>>(*rc::gen::inRange<size_t>(1, 6),
                                                                     genMutation(original.size()));
  const std::string data = apply(original, mutations);
  RC_TAG(name);

  // The per-format opener from memory, seekable and as a pipe.
  auto opener = isTar(name) ? openTarArchive : openCustomArchive;
  openAndRead(opener(openInputMemory(data, name)));
  openAndRead(opener(nonSeekable(openInputMemory(data, name))));

  // Format detection through openArchive on a real file.
  TempDir tmp;
  const std::string path = tmp.path + "/" + name;
  test::writeFile(path, data);
  RC_TAG(openAndRead(openArchive(path)));
}

RC_GTEST_PROP(ReaderMutation, MutatedDirectoryArchivesGiveErrorOrSuccess, ()) {
  const std::string name = *rc::gen::element<std::string>("sample.dir", "sample-z0.dir");
  TempDir tmp;
  const std::string dir = tmp.path + "/" + name;
  fs::copy(fixturePath(name), dir, fs::copy_options::recursive);
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path().filename());
  std::sort(files.begin(), files.end());
  // toc.dat most of the time, otherwise any member.
  const std::string victim = *rc::gen::weightedOneOf<std::string>(
      {{3, rc::gen::just<std::string>("toc.dat")}, {1, rc::gen::elementOf(files)}});
  const std::string original = readFile(dir + "/" + victim);
  const auto mutations = *rc::gen::container<std::vector<Mutation>>(*rc::gen::inRange<size_t>(1, 6),
                                                                     genMutation(original.size()));
  test::writeFile(dir + "/" + victim, apply(original, mutations));
  RC_TAG(victim == "toc.dat" ? "toc.dat" : "member", openAndRead(openArchive(dir)));
}

TEST(ReaderMutation, UnmutatedFixturesReadCompletely) {
  // The baseline the properties start from: every fixture opens and reads
  // without a single error, so mutations are what trigger the errors.
  for (const auto& name : kFileFixtures) {
    SCOPED_TRACE(name);
    auto opened = openArchive(fixturePath(name));
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    int failures = 0;
    CountingSink sink;
    for (const TocEntry& e : (*opened)->toc().entries) {
      if (!e.hadDumper) continue;
      Status s = e.desc && *e.desc == "BLOBS" ? (*opened)->readBlobs(e, sink) : (*opened)->readTableData(e, sink);
      if (!s.ok()) {
        ++failures;
        ADD_FAILURE() << "entry " << e.dumpId << ": " << s.error().describe();
      }
    }
    EXPECT_EQ(failures, 0);
    if (name.rfind("sample", 0) == 0) {
      EXPECT_GT(sink.total, 0u);
    }
  }
  for (const std::string name : {"sample.dir", "sample-z0.dir"}) {
    SCOPED_TRACE(name);
    auto opened = openArchive(fixturePath(name));
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    CountingSink sink;
    for (const TocEntry& e : (*opened)->toc().entries) {
      if (!e.hadDumper) continue;
      Status s = e.desc && *e.desc == "BLOBS" ? (*opened)->readBlobs(e, sink) : (*opened)->readTableData(e, sink);
      EXPECT_TRUE(s.ok()) << "entry " << e.dumpId << ": " << s.error().describe();
    }
    EXPECT_GT(sink.total, 0u);
  }
}

}  // namespace
}  // namespace pgarc
