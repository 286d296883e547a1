// Damaged archives: every committed fixture truncated at many points and with
// bit flips. `pgarc inspect -l` and `pgarc inspect -f -` must either succeed
// or exit non-zero with one "pgarc: error: ..." line; never be killed by a
// signal, never hang, never trip a sanitizer.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace pgarc::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTimeoutSeconds = "20";

std::string fixture(const std::string& name) { return sourceDir() + "/fixtures/archives/" + name; }

struct TempDir {
  std::string path = makeTempDir("pgarc-trunc-");
  ~TempDir() { removeTree(path); }
};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// Runs pgarc inspect under `timeout` and checks the outcome is clean.
// Returns true when pgarc succeeded.
bool expectCleanOutcome(const std::vector<std::string>& inspectArgs, const std::string& what) {
  std::vector<std::string> argv = {"timeout", "-k", "5", kTimeoutSeconds, pgarcBinary(), "inspect"};
  argv.insert(argv.end(), inspectArgs.begin(), inspectArgs.end());
  CommandResult r = run(argv);
  std::string ctx = "pgarc inspect on " + what + ": ";
  EXPECT_EQ(r.signal, 0) << ctx << "killed by signal " << r.signal << "\n" << r.err.substr(0, 2000);
  if (r.signal != 0) return false;
  EXPECT_NE(r.exitCode, 124) << ctx << "did not finish within " << kTimeoutSeconds << " s";
  EXPECT_LT(r.exitCode, 124) << ctx << "exit status " << r.exitCode << " (killed?)\n" << r.err.substr(0, 2000);
  EXPECT_EQ(r.err.find("Sanitizer"), std::string::npos) << ctx << r.err.substr(0, 4000);
  EXPECT_EQ(r.err.find("runtime error:"), std::string::npos) << ctx << r.err.substr(0, 4000);
  if (r.exitCode == 0) return true;
  int errorLines = 0;
  for (const auto& l : lines(r.err)) {
    if (l.rfind("pgarc: error: ", 0) == 0) ++errorLines;
    else EXPECT_EQ(l.rfind("pgarc: ", 0), 0u) << ctx << "unexpected stderr line: " << l.substr(0, 300);
  }
  EXPECT_EQ(errorLines, 1) << ctx << "expected one \"pgarc: error: \" line, stderr was:\n" << r.err.substr(0, 2000);
  return false;
}

void checkBothModes(const std::string& path, const std::string& what) {
  expectCleanOutcome({"-l", path}, what + " (-l)");
  expectCleanOutcome({"-f", "-", path}, what + " (-f -)");
}

// Smallest prefix length of `data` that stock `pg_restore -l` reads: the end
// of the header and TOC (for tar: of the toc.dat member).
size_t tocEndByPgRestore(const std::string& data, const std::string& tmpFile) {
  size_t lo = 0, hi = data.size();  // pg_restore -l succeeds on the whole file
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    writeFile(tmpFile, data.substr(0, mid));
    if (run({pgBinDir() + "/pg_restore", "-l", tmpFile}).exitCode == 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

std::vector<size_t> truncationPoints(size_t size, size_t tocEnd) {
  std::set<size_t> points;
  for (size_t i = 0; i <= 48 && i < size; ++i) points.insert(i);  // header fields
  for (size_t k = 1; k < 64; ++k) points.insert(size * k / 64);
  for (size_t d = 0; d <= 8; ++d) {
    if (tocEnd >= d) points.insert(tocEnd - d);
    if (tocEnd + d < size) points.insert(tocEnd + d);
  }
  if (size > 0) points.insert(size - 1);
  return {points.begin(), points.end()};
}

// Deterministic pseudo-random positions (the same on every run, so a failure
// reproduces).
struct Lcg {
  uint64_t state;
  uint64_t next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  }
};

class FileArchiveDamage : public testing::TestWithParam<std::string> {};

TEST_P(FileArchiveDamage, TruncatedArchivesFailCleanly) {
  TempDir tmp;
  std::string data = readFile(fixture(GetParam()));
  ASSERT_GT(data.size(), 0u);
  std::string probe = tmp.path + "/probe";
  size_t tocEnd = tocEndByPgRestore(data, probe);
  ASSERT_GT(tocEnd, 0u);
  std::string cut = tmp.path + "/" + GetParam();
  for (size_t at : truncationPoints(data.size(), tocEnd)) {
    writeFile(cut, data.substr(0, at));
    checkBothModes(cut, GetParam() + " truncated to " + std::to_string(at) + " of " + std::to_string(data.size()) +
                            " bytes (TOC ends at " + std::to_string(tocEnd) + ")");
    if (HasFailure()) return;  // one broken case is enough to report
  }
}

TEST_P(FileArchiveDamage, BitFlipsFailCleanly) {
  TempDir tmp;
  std::string data = readFile(fixture(GetParam()));
  ASSERT_GT(data.size(), 0u);
  size_t tocEnd = std::max<size_t>(1, tocEndByPgRestore(data, tmp.path + "/probe"));
  Lcg rng{std::hash<std::string>{}(GetParam())};
  std::string flipped = tmp.path + "/" + GetParam();
  for (int i = 0; i < 64; ++i) {
    // Half the flips in the header and TOC, where lengths and counts live.
    size_t pos = rng.next() % (i % 2 == 0 ? tocEnd : data.size());
    int bit = static_cast<int>(rng.next() % 8);
    std::string copy = data;
    copy[pos] = static_cast<char>(copy[pos] ^ (1 << bit));
    writeFile(flipped, copy);
    checkBothModes(flipped, GetParam() + " with bit " + std::to_string(bit) + " of byte " + std::to_string(pos) + " flipped");
    if (HasFailure()) return;
  }
}

TEST_P(FileArchiveDamage, ExtremeIntsInTocFailCleanly) {
  // Overwrite 5-byte windows (sign byte + 4 value bytes, the archive Int) in
  // the TOC with huge and negative values, to probe length and count checks.
  TempDir tmp;
  std::string data = readFile(fixture(GetParam()));
  size_t tocEnd = tocEndByPgRestore(data, tmp.path + "/probe");
  const std::string patterns[] = {std::string("\x00\xff\xff\xff\x7f", 5), std::string("\x01\xff\xff\xff\xff", 5),
                                  std::string("\x00\x00\x00\x00\x80", 5)};
  Lcg rng{42 + data.size()};
  std::string out = tmp.path + "/" + GetParam();
  for (int i = 0; i < 24 && tocEnd > 16; ++i) {
    size_t pos = 11 + rng.next() % (tocEnd - 16);
    std::string copy = data;
    copy.replace(pos, 5, patterns[i % 3]);
    writeFile(out, copy);
    checkBothModes(out, GetParam() + " with an extreme Int at " + std::to_string(pos));
    if (HasFailure()) return;
  }
}

std::string testName(const testing::TestParamInfo<std::string>& info) {
  std::string n;
  for (char c : info.param) n += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FileArchiveDamage,
                         testing::Values("sample.custom", "sample-z0.custom", "sample-pipe.custom", "sample.tar",
                                         "schema-only.custom", "empty.custom", "empty.tar"),
                         testName);

// ------------------------------------------------------------ directories

class DirectoryArchiveDamage : public testing::TestWithParam<std::string> {
 protected:
  // A writable copy of the fixture directory.
  std::string copyFixture(const std::string& into) {
    std::string dst = into + "/" + GetParam();
    fs::copy(fixture(GetParam()), dst, fs::copy_options::recursive);
    return dst;
  }
  static std::string largestDataFile(const std::string& dir) {
    std::string best;
    uintmax_t bestSize = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
      std::string name = e.path().filename();
      if (name == "toc.dat" || name == "blobs.toc" || name.rfind("blob_", 0) == 0) continue;
      if (e.file_size() > bestSize) {
        bestSize = e.file_size();
        best = e.path();
      }
    }
    return best;
  }
};

TEST_P(DirectoryArchiveDamage, TruncatedTocDatFailsCleanly) {
  TempDir tmp;
  std::string dir = copyFixture(tmp.path);
  std::string toc = readFile(dir + "/toc.dat");
  for (size_t at : truncationPoints(toc.size(), toc.size())) {
    writeFile(dir + "/toc.dat", toc.substr(0, at));
    checkBothModes(dir, GetParam() + " with toc.dat truncated to " + std::to_string(at) + " bytes");
    if (HasFailure()) return;
  }
}

TEST_P(DirectoryArchiveDamage, BitFlipsInTocDatFailCleanly) {
  TempDir tmp;
  std::string dir = copyFixture(tmp.path);
  std::string toc = readFile(dir + "/toc.dat");
  Lcg rng{7};
  for (int i = 0; i < 48; ++i) {
    size_t pos = rng.next() % toc.size();
    std::string copy = toc;
    copy[pos] = static_cast<char>(copy[pos] ^ (1 << (rng.next() % 8)));
    writeFile(dir + "/toc.dat", copy);
    checkBothModes(dir, GetParam() + " with a bit flipped in toc.dat byte " + std::to_string(pos));
    if (HasFailure()) return;
  }
}

TEST_P(DirectoryArchiveDamage, DamagedDataFilesFailCleanly) {
  TempDir tmp;
  std::string dir = copyFixture(tmp.path);
  std::string dataFile = largestDataFile(dir);
  ASSERT_FALSE(dataFile.empty());
  std::string original = readFile(dataFile);
  for (size_t k = 0; k < 16; ++k) {
    size_t at = original.size() * k / 16;
    writeFile(dataFile, original.substr(0, at));
    checkBothModes(dir, GetParam() + " with " + fs::path(dataFile).filename().string() + " truncated to " +
                            std::to_string(at) + " bytes");
    if (HasFailure()) return;
  }
  // Garbage in the middle of a data file.
  std::string garbled = original;
  for (size_t i = garbled.size() / 2; i < garbled.size() && i < garbled.size() / 2 + 16; ++i) garbled[i] ^= 0x5a;
  writeFile(dataFile, garbled);
  checkBothModes(dir, GetParam() + " with a garbled data file");
  // A missing data file, a missing and a truncated blobs.toc.
  fs::remove(dataFile);
  checkBothModes(dir, GetParam() + " with " + fs::path(dataFile).filename().string() + " missing");
  std::string blobsToc = readFile(dir + "/blobs.toc");
  writeFile(dir + "/blobs.toc", blobsToc.substr(0, blobsToc.size() / 2));
  checkBothModes(dir, GetParam() + " with blobs.toc truncated");
  fs::remove(dir + "/blobs.toc");
  checkBothModes(dir, GetParam() + " without blobs.toc");
  fs::remove(dir + "/toc.dat");
  checkBothModes(dir, GetParam() + " without toc.dat");
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DirectoryArchiveDamage, testing::Values("sample.dir", "sample-z0.dir"), testName);

}  // namespace
}  // namespace pgarc::test
