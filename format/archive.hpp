#pragma once
// The archive model shared by every reader, writer and renderer: version,
// header and TOC entries, as pg_dump defines them (shared/docs/archive-format.md).
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "format/result.hpp"

namespace pgarc {

struct ArchiveVersion {
  uint8_t major = 1, minor = 14, revision = 0;
  // Compared as pg_restore does: major*65536 + minor*256 + revision.
  int value() const { return major * 65536 + minor * 256 + revision; }
  static constexpr int of(int maj, int min, int rev = 0) { return maj * 65536 + min * 256 + rev; }
  bool atLeast(int maj, int min) const { return value() >= of(maj, min); }
  std::string toString() const { return std::to_string(major) + "." + std::to_string(minor) + "-" + std::to_string(revision); }
  friend bool operator==(const ArchiveVersion&, const ArchiveVersion&) = default;
};

// Newest version pgarc reads, and the range it writes.
inline constexpr int kMaxReadVersion = ArchiveVersion::of(1, 16, 255);
inline constexpr int kMinReadVersion = ArchiveVersion::of(1, 12);

// Format code as stored in the header byte.
enum class ArchiveFormat : uint8_t { Unknown = 0, Custom = 1, Files = 2, Tar = 3, Null = 4, Directory = 5 };

enum class CompressionAlgorithm : uint8_t { None = 0, Gzip = 1, Lz4 = 2, Zstd = 3 };

const char* compressionName(CompressionAlgorithm a);

struct CompressionSpec {
  CompressionAlgorithm algorithm = CompressionAlgorithm::None;
  int level = 0;               // algorithm's level; for gzip -1 means zlib's default
  bool longDistance = false;   // zstd "long"
  friend bool operator==(const CompressionSpec&, const CompressionSpec&) = default;
};

struct CreationTime {  // struct tm fields as stored: sec, min, hour, mday, mon, year-1900, isdst
  int sec = 0, min = 0, hour = 0, mday = 1, mon = 0, year = 70, isdst = 0;
  friend bool operator==(const CreationTime&, const CreationTime&) = default;
};

struct ArchiveHeader {
  ArchiveVersion version;
  uint8_t intSize = 4;
  uint8_t offSize = 8;
  ArchiveFormat format = ArchiveFormat::Custom;   // as stored: directory toc.dat says Tar
  // Pre-1.15 archives store an Int level (-1 default gzip, 0 none, 1..9);
  // 1.15+ store the algorithm only. Both are kept so a reader can print what
  // pg_restore prints and a writer can write either form.
  int compressionLevel = -1;
  CompressionAlgorithm compression = CompressionAlgorithm::Gzip;
  CreationTime created;
  std::string dbname;
  std::string serverVersion;
  std::string dumpVersion;
  friend bool operator==(const ArchiveHeader&, const ArchiveHeader&) = default;
};

enum class Section : int { None = 1, PreData = 2, Data = 3, PostData = 4 };

// Custom-format data offset flags.
enum class OffsetFlag : uint8_t { NotSet = 1, Set = 2, NoData = 3 };

using OptString = std::optional<std::string>;

struct TocEntry {
  int dumpId = 0;
  bool hadDumper = false;
  std::string tableoid = "0";
  std::string oid = "0";
  OptString tag;
  OptString desc;
  Section section = Section::None;
  OptString defn;
  OptString dropStmt;
  OptString copyStmt;
  OptString namespace_;
  OptString tablespace;
  OptString tableam;
  int relkind = 0;               // 1.16+
  OptString owner;
  OptString withOids = std::string("false");
  std::vector<std::string> dependencies;  // as stored: decimal dumpIds
  // Format-specific data location.
  OffsetFlag offsetFlag = OffsetFlag::NoData;  // custom
  uint64_t dataOffset = 0;                     // custom, when offsetFlag == Set
  OptString filename;                          // directory and tar

  std::vector<int> dependencyIds() const;      // parsed, invalid ones skipped
  const std::string& tagOr(const std::string& dflt) const { return tag ? *tag : dflt; }
  std::string descStr() const { return desc ? *desc : std::string(); }
  std::string tagStr() const { return tag ? *tag : std::string(); }
  friend bool operator==(const TocEntry&, const TocEntry&) = default;
};

// Entries made on demand instead of held: a dump of very many large objects
// would otherwise hold one TocEntry per object (and per comment and ACL of
// one). A run's entries have no data; each call of forEach makes the same
// entries again, in order.
class TocEntryRun {
 public:
  virtual ~TocEntryRun() = default;
  virtual size_t size() const = 0;
  virtual Status forEach(const std::function<Status(TocEntry&)>& visit) const = 0;
  // The same entries, last first (a script's drop pass).
  virtual Status forEachReverse(const std::function<Status(TocEntry&)>& visit) const = 0;
};

struct ArchiveToc {
  ArchiveHeader header;
  std::vector<TocEntry> entries;
  // Runs of generated entries; a run goes before entries[at] (at the end when
  // at == entries.size()). Ordered by `at`. Only pgarc dump makes runs, and
  // only the custom and directory writers take them as they are (the others
  // call expandRuns first).
  struct Run {
    size_t at = 0;
    std::shared_ptr<const TocEntryRun> run;
    friend bool operator==(const Run&, const Run&) = default;
  };
  std::vector<Run> runs;
  friend bool operator==(const ArchiveToc&, const ArchiveToc&) = default;
};

// Entries and runs' entries together.
size_t tocEntryCount(const ArchiveToc& toc);
// Every entry in TOC order, runs included. The entry passed may be changed by
// `visit`: for a run entry it is a scratch copy.
Status forEachTocEntry(const ArchiveToc& toc, const std::function<Status(const TocEntry&)>& visit);
// Replaces the runs by the entries they make.
Status expandRuns(ArchiveToc& toc);

}  // namespace pgarc
