#pragma once
// What a verify run found: every problem with its place, and what was checked.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "format/archive.hpp"
#include "verify/checksum.hpp"

namespace pgarc {

// Where an offset points: into the file named by Problem::file, or into the
// decompressed payload of the entry.
enum class OffsetKind { File, Payload };

struct Problem {
  std::string file;             // archive file or member the problem is in
  std::optional<int> dumpId;    // TOC entry concerned, if any
  std::string desc;             // entry desc and tag, for the message
  std::string tag;
  std::string what;             // lowercase, "expected X, found Y"
  std::optional<uint64_t> offset;
  OffsetKind offsetKind = OffsetKind::File;
};

// Result of checking one entry's data stream.
struct EntryOutcome {
  int dumpId = 0;
  bool dataFound = false;        // a block/file/member for it was read
  bool complete = false;         // read and decoded to a clean end
  uint64_t storedBytes = 0;      // bytes as stored (compressed)
  uint64_t payloadBytes = 0;     // decompressed bytes
  uint64_t rows = 0;             // COPY rows (not counting the terminator)
  bool rowsKnown = false;        // payload was COPY text
  std::string checksum;          // of the decompressed payload, when recording digests
  std::string rowsChecksum;      // of the COPY rows alone (without the \. trailer)
};

struct BlobOutcome {
  uint32_t oid = 0;
  int dumpId = 0;                // the BLOBS entry holding it
  bool complete = false;
  uint64_t bytes = 0;
  std::string checksum;
};

struct FileDigest {
  std::string path;              // relative to the archive (directory) or the archive path itself
  uint64_t size = 0;
  std::string checksum;
};

struct VerifyStats {
  uint64_t entriesChecked = 0;   // TOC entries
  uint64_t dataEntries = 0;      // entries whose data was read
  uint64_t bytesRead = 0;        // archive bytes read
  uint64_t bytesDecompressed = 0;
  uint64_t rows = 0;
  uint64_t largeObjects = 0;
};

class Report {
 public:
  // Most problems per entry that are listed one by one; the rest are counted.
  static constexpr int kMaxListedPerEntry = 20;

  void add(Problem p);
  // Called before each problem is added, so that checks still running on
  // another thread can add their earlier problems first (empty: none).
  void setBeforeAdd(std::function<void()> fn) { beforeAdd_ = std::move(fn); }
  // Adds a problem about `entry` (desc and tag filled in from it).
  void addForEntry(const TocEntry& entry, std::string file, std::string what, std::optional<uint64_t> offset,
                   OffsetKind kind = OffsetKind::File);

  const std::vector<Problem>& problems() const { return problems_; }
  uint64_t problemCount() const { return problems_.size() + suppressed_; }
  uint64_t suppressedCount() const { return suppressed_; }
  bool clean() const { return problemCount() == 0; }

  VerifyStats stats;
  std::map<int, EntryOutcome> entries;
  std::map<uint32_t, BlobOutcome> blobs;
  std::vector<FileDigest> files;
  ChecksumAlgorithm checksumAlgorithm = ChecksumAlgorithm::None;  // of the checksums above
  std::optional<ArchiveToc> toc;          // set once the TOC was read
  std::string archivePath;
  std::string formatName;                 // "custom", "directory", "tar"
  std::vector<std::string> notes;         // informational lines (manifest used, restore check)

 private:
  std::vector<Problem> problems_;
  std::function<void()> beforeAdd_;
  bool inBeforeAdd_ = false;
  std::map<int, int> perEntry_;
  uint64_t suppressed_ = 0;
};

// "pgarc verify: FILE: entry 3353 (TABLE DATA customers): WHAT at offset N"
std::string formatProblem(const Problem& p);
std::string formatSummary(const Report& r);
std::string reportJson(const Report& r);

}  // namespace pgarc
