#pragma once
// One writer interface for every archive format. The caller hands over the
// whole TOC first (pg_dump knows it before dumping data), then streams the
// data of each hadDumper entry in TOC order, then finishes.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "format/archive.hpp"
#include "format/archive_reader.hpp"
#include "format/io.hpp"
#include "format/result.hpp"

namespace pgarc {

class OutputStream;

struct WriterOptions {
  ArchiveKind kind = ArchiveKind::Custom;
  CompressionSpec compression{CompressionAlgorithm::Gzip, -1, false};
  // The written files (and a directory archive's directory) are synced to
  // disk before finish() returns; pg_dump --no-sync turns this off.
  bool sync = true;
  // -v messages of the tar writer's restore.sql pass, as pg_dump logs them.
  std::function<void(const std::string&)> info = nullptr;
};

class DataStream {
 public:
  virtual ~DataStream() = default;
  virtual Status write(std::string_view plain) = 0;
  virtual Status close() = 0;
};

class BlobStream {
 public:
  virtual ~BlobStream() = default;
  virtual Status beginBlob(uint32_t oid) = 0;
  virtual Status write(std::string_view bytes) = 0;
  virtual Status endBlob() = 0;
  virtual Status close() = 0;
};

class ArchiveWriter {
 public:
  virtual ~ArchiveWriter() = default;
  // Header fields format/compression are set by the writer from WriterOptions;
  // version, dates, names come from `toc.header`. Entry location fields
  // (offsets, filenames) are filled in by the writer. The writer keeps `toc`
  // (no copy when the caller moves it in): see toc().
  virtual Status begin(ArchiveToc toc) = 0;
  // The TOC handed to begin(), with the writer's changes; valid from begin() on.
  virtual const ArchiveToc& toc() const = 0;
  virtual Result<std::unique_ptr<DataStream>> openTableData(int dumpId) = 0;
  virtual Result<std::unique_ptr<BlobStream>> openBlobs(int dumpId) = 0;
  // Custom format only: the table data of `dumpId` as bytes already compressed
  // with the writer's compression (CodecContainer::Stream, e.g. on another
  // thread); write() stores them as chunks, close() ends the block. Lets a
  // parallel dump compress tables concurrently and still write in TOC order.
  virtual Result<std::unique_ptr<DataStream>> openPrecompressedTableData(int dumpId) {
    return Error{"this archive format does not take precompressed table data", "", std::nullopt, dumpId};
  }
  // For a producer of table data that can also pass the plain payload of
  // `dumpId` itself (in order; e.g. before compressing it, or on the thread
  // that reads it), so a writer that records payloads need not decompress it
  // or look at it again. nullptr: nobody wants it. Call it before
  // openPrecompressedTableData(dumpId) or openTableData(dumpId); unlike the
  // other methods it may be called from any thread, and the stream may be
  // used from another thread than the writer's.
  virtual Result<std::unique_ptr<DataStream>> observePlainPayload(int /*dumpId*/) {
    return std::unique_ptr<DataStream>();
  }
  // Completes the archive; until this succeeds, nothing at the target path
  // looks like a complete archive.
  virtual Status finish() = 0;
};

inline SyncMode syncModeOf(const WriterOptions& o) { return o.sync ? SyncMode::Sync : SyncMode::NoSync; }

// Custom and tar write to a file path ("-" = stdout); directory to a directory path.
Result<std::unique_ptr<ArchiveWriter>> createArchiveWriter(const std::string& path, const WriterOptions& options);
Result<std::unique_ptr<ArchiveWriter>> createCustomWriter(std::unique_ptr<OutputStream> out, const WriterOptions& options);
Result<std::unique_ptr<ArchiveWriter>> createTarWriter(std::unique_ptr<OutputStream> out, const WriterOptions& options);
Result<std::unique_ptr<ArchiveWriter>> createDirectoryWriter(const std::string& dir, const WriterOptions& options);

// Copies an archive's data into a writer, entry by entry (conversion, tests).
Status copyArchiveData(ArchiveReader& reader, ArchiveWriter& writer);

}  // namespace pgarc
