#pragma once
// The pgarc manifest: the size and checksum of every data entry's
// decompressed payload, of every large object and of each archive file, plus
// row counts per table.
//
// Where it lives: "<archive>.manifest.json" beside a custom or tar archive,
// "manifest.json" inside a directory archive (pg_restore ignores the extra
// file). Format (JSON, version 2):
//   {"pgarc_manifest": 2, "format": "custom", "checksum_algorithm": "CRC32C",
//    "files": [{"path": "x.dump", "size": 123, "checksum": "..."}],
//    "entries": [{"dump_id": 3353, "desc": "TABLE DATA", "namespace": "app",
//                 "tag": "customers", "bytes": 123, "checksum": "...",
//                 "rows": 5000, "rows_checksum": "..."}],
//    "large_objects": [{"oid": 424242, "bytes": 50000, "checksum": "..."}]}
// checksum_algorithm is CRC32C, SHA256 or NONE (no "checksum" keys then);
// checksums are lowercase hex (a CRC32C as its 32-bit value). Version 1 is
// version 2 with SHA256 only and the keys "sha256" and "rows_sha256"; it is
// still read. File paths are the archive file's base name (custom, tar) or
// names relative to the directory. "rows_checksum" covers the COPY rows
// without the "\." line, i.e. what COPY ... TO STDOUT of the restored table
// prints.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/io.hpp"
#include "format/result.hpp"
#include "verify/checksum.hpp"
#include "verify/report.hpp"

namespace pgarc {

struct ManifestFile {
  std::string path;
  uint64_t size = 0;
  std::string checksum;
};

struct ManifestEntry {
  int dumpId = 0;
  std::string desc;
  std::optional<std::string> namespace_;
  std::string tag;
  uint64_t bytes = 0;
  std::string checksum;
  std::optional<uint64_t> rows;         // COPY entries only
  std::string rowsChecksum;
};

struct ManifestBlob {
  uint32_t oid = 0;
  uint64_t bytes = 0;
  std::string checksum;
};

struct Manifest {
  int version = 2;
  std::string format;
  ChecksumAlgorithm checksum = ChecksumAlgorithm::Crc32c;
  std::vector<ManifestFile> files;
  std::vector<ManifestEntry> entries;
  std::vector<ManifestBlob> largeObjects;
};

inline constexpr const char* kDirectoryManifestName = "manifest.json";

// Default manifest location for an archive path.
std::string defaultManifestPath(const std::string& archivePath, bool isDirectory);

// Builds a manifest from a report made with digests recorded.
Manifest manifestFromReport(const Report& report);
// The manifest's entries: one per TOC entry with an outcome (large-object
// containers excepted, their objects are listed apart), in TOC order.
std::vector<ManifestEntry> manifestEntries(const ArchiveToc& toc, const std::map<int, EntryOutcome>& outcomes);
std::string manifestToJson(const Manifest& m);
Result<Manifest> parseManifest(std::string_view json);
Result<Manifest> readManifestFile(const std::string& path);

Status writeManifestFile(const Manifest& m, const std::string& path, SyncMode sync = SyncMode::Sync);
// The same with more files after m.files, from `moreFiles` (a directory
// archive's files, checksummed one by one as they are listed), and more large
// objects after m.largeObjects, from `more`; each source calls its argument
// for each in turn, and the file is written as they come.
using ManifestBlobVisitor = std::function<Status(const ManifestBlob&)>;
using ManifestBlobSource = std::function<Status(const ManifestBlobVisitor&)>;
using ManifestFileVisitor = std::function<Status(const ManifestFile&)>;
using ManifestFileSource = std::function<Status(const ManifestFileVisitor&)>;
Status writeManifestFile(const Manifest& m, const std::string& path, SyncMode sync, const ManifestFileSource& moreFiles,
                         const ManifestBlobSource& more);

// Compares what the walk found (digests recorded) with the manifest; differences
// become problems in the report.
void checkAgainstManifest(const Manifest& m, const std::string& manifestPath, Report& report);

}  // namespace pgarc
