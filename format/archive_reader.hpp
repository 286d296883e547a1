#pragma once
// One reader interface for every archive format. Data comes out decompressed.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "format/archive.hpp"
#include "format/result.hpp"

namespace pgarc {

enum class ArchiveKind { Custom, Directory, Tar, Plain };
const char* archiveKindName(ArchiveKind k);  // "CUSTOM", "DIRECTORY", "TAR", "PLAIN"

class DataSink {
 public:
  virtual ~DataSink() = default;
  virtual Status data(std::string_view bytes) = 0;
};

class BlobSink {
 public:
  virtual ~BlobSink() = default;
  virtual Status beginBlob(uint32_t oid) = 0;
  virtual Status data(std::string_view bytes) = 0;
  virtual Status endBlob(uint32_t oid) = 0;
};

// Where an entry's data comes from. ArchiveReader implements it from a file;
// pgarc dump implements it from a live connection for plain output.
class DataSource {
 public:
  virtual ~DataSource() = default;
  // Decompressed payload of a TABLE DATA (or any hadDumper entry other than BLOBS).
  virtual Status readTableData(const TocEntry& entry, DataSink& sink) = 0;
  // The large objects of a BLOBS entry.
  virtual Status readBlobs(const TocEntry& entry, BlobSink& sink) = 0;
};

class ArchiveReader : public DataSource {
 public:
  virtual const ArchiveToc& toc() const = 0;
  virtual ArchiveKind kind() const = 0;
  virtual const std::string& path() const = 0;
  // Stored (compressed) size of an entry's data when the format knows it cheaply.
  virtual std::optional<uint64_t> storedDataSize(const TocEntry&) const { return std::nullopt; }
  // Where the data lives, for listings: "offset 1234", "3362.dat.gz", ...
  virtual std::string dataLocation(const TocEntry&) const { return {}; }
  // A cheap structural walk of the data area, no decoding: fails when the
  // archive is visibly truncated. Used by listings, which otherwise read only
  // the TOC (pg_restore -l happily lists a truncated archive).
  virtual Status checkDataPresent() { return {}; }
};

// Detects the format from the path (directory with toc.dat, "PGDMP" magic,
// tar header) and opens it. "-" reads stdin (custom or tar).
Result<std::unique_ptr<ArchiveReader>> openArchive(const std::string& path);

// Per-format openers, used by openArchive and by tests.
Result<std::unique_ptr<ArchiveReader>> openCustomArchive(std::unique_ptr<class InputStream> in);
Result<std::unique_ptr<ArchiveReader>> openDirectoryArchive(const std::string& dir);
Result<std::unique_ptr<ArchiveReader>> openTarArchive(std::unique_ptr<class InputStream> in);

}  // namespace pgarc
