#pragma once
// Pieces shared by the per-format structural walkers: options, a metered
// input stream (bytes read, whole-file hash, progress), the decode chain that
// turns stored bytes into a checked payload, and the TOC-level checks.
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "format/archive.hpp"
#include "format/codec.hpp"
#include "format/io.hpp"
#include "verify/check_pipeline.hpp"
#include "verify/payload_checker.hpp"
#include "verify/read_ahead.hpp"
#include "verify/report.hpp"
#include "verify/checksum.hpp"

namespace pgarc {

struct WalkOptions {
  bool digests = false;                               // record file sizes and payload checksums (manifest)
  ChecksumAlgorithm checksum = ChecksumAlgorithm::None;  // with digests: the checksum they use
  std::function<void(uint64_t bytesRead)> progress;   // called as archive bytes are read
  std::set<std::string> ignoredFiles;                 // directory members that are ours (manifest.json)
};

// Counts and optionally sums everything read through it. Never seeks.
class MeteredInput : public InputStream {
 public:
  MeteredInput(std::unique_ptr<InputStream> in, ChecksumAlgorithm checksum, std::function<void(uint64_t)> progress,
               uint64_t progressBase = 0);
  Result<size_t> read(char* buf, size_t n) override;
  uint64_t position() const override { return inner_->position(); }
  bool seekable() const override { return false; }
  Status seek(uint64_t) override { return makeError("verify reads archives sequentially"); }
  std::optional<uint64_t> size() const override { return inner_->size(); }
  const std::string& name() const override { return inner_->name(); }
  uint64_t bytesRead() const { return bytesRead_; }
  // Reads what is left, for the whole-file checksum; returns the bytes drained.
  Result<uint64_t> drain();
  std::string hexDigest() { return checksum_.hexDigest(); }

 private:
  std::unique_ptr<InputStream> inner_;
  Checksum checksum_;
  std::function<void(uint64_t)> progress_;
  uint64_t progressBase_;
  uint64_t bytesRead_ = 0;
};

// Stored bytes -> decompressor -> sink, recording the first decode failure as
// a problem about `entry` and ignoring the rest of that stream.
class DecodeChain {
 public:
  DecodeChain(CompressionAlgorithm algorithm, CodecContainer container, ByteSink& sink, const TocEntry& entry,
              Report& report, std::string file, std::string what);
  void feed(std::string_view stored, uint64_t fileOffset);
  // True when the stream decoded to a clean end.
  bool finish(uint64_t fileOffset);
  bool failed() const { return failed_; }

 private:
  std::unique_ptr<Decompressor> decoder_;
  const TocEntry& entry_;
  Report& report_;
  std::string file_;
  std::string what_;   // "compressed data", "large object 424242"
  bool failed_ = false;
};

// A problem found by a walker: about `entry` when there is one, else about the file.
void reportProblem(Report& report, const std::string& file, const TocEntry* entry, std::string what,
                   std::optional<uint64_t> offset);

// Stores the TOC just read in the report, runs the TOC-level checks on it and
// returns the payload options it implies (encoding; checksums as asked).
PayloadOptions adoptToc(Report& report, ArchiveHeader header, std::vector<TocEntry> entries, const std::string& file,
                        const WalkOptions& options);

// TOC-level checks common to every format: dependencies, section order.
void checkTocStructure(const std::vector<TocEntry>& entries, Report& report, const std::string& file);

// Large objects announced by BLOB entries (1.12-1.15) or BLOB METADATA
// definitions (1.16), mapped to the entry that announces them.
std::map<uint32_t, const TocEntry*> expectedLargeObjects(const ArchiveToc& toc);
// Compares the announced large objects with those whose data was read.
void checkLargeObjects(const ArchiveToc& toc, Report& report, const std::string& file);

// A stream check of one entry: sets up the payload checker and decode chain
// and stores the outcome in the report when finished.
class EntryStreamCheck {
 public:
  EntryStreamCheck(const TocEntry& entry, CompressionAlgorithm algorithm, CodecContainer container,
                   const PayloadOptions& options, Report& report, std::string file);
  void feed(std::string_view stored, uint64_t fileOffset) {
    stored_ += stored.size();
    chain_.feed(stored, fileOffset);
  }
  // inputComplete: all stored bytes were there (no truncation).
  void finish(uint64_t fileOffset, bool inputComplete);

 private:
  const TocEntry& entry_;
  Report& report_;
  PayloadChecker checker_;
  CheckPipeline pipeline_;  // used when there is decompressing to overlap with
  DecodeChain chain_;
  uint64_t stored_ = 0;
};

class BlobStreamCheck {
 public:
  BlobStreamCheck(uint32_t oid, const TocEntry& blobsEntry, CompressionAlgorithm algorithm, CodecContainer container,
                  ChecksumAlgorithm checksum, Report& report, std::string file);
  void feed(std::string_view stored, uint64_t fileOffset) { chain_.feed(stored, fileOffset); }
  void finish(uint64_t fileOffset, bool inputComplete);

 private:
  Report& report_;
  BlobChecker checker_;
  DecodeChain chain_;
};

// Maps a signed archive Int back to the unsigned OID it stores.
inline uint32_t oidFromInt(int v) { return static_cast<uint32_t>(v); }

// Parses a decimal OID; nullopt if not a valid unsigned 32-bit number.
std::optional<uint32_t> parseOid(std::string_view s);

// Runs `walk` over a single-file archive read ahead on a second thread, then
// records what was read (and the whole-file checksum, reading to the end for it).
Status walkReadingAhead(std::unique_ptr<InputStream> raw, const WalkOptions& options, Report& report,
                        const std::function<void(ReadAheadInput&)>& walk);

// A single-file archive walked by `Walker` (constructed from the read-ahead
// input, the options and the report; run() does the walk).
template <class Walker>
Status walkSingleFileArchive(std::unique_ptr<InputStream> raw, const WalkOptions& options, Report& report,
                             const char* formatName) {
  report.formatName = formatName;
  return walkReadingAhead(std::move(raw), options, report, [&](ReadAheadInput& in) {
    Walker walker(in, options, report);
    walker.run();
  });
}

// Per-format walkers. An Error means the archive could not be checked at
// all (unreadable); everything found wrong inside it goes to the report.
Status walkCustomArchive(std::unique_ptr<InputStream> in, const WalkOptions& options, Report& report);
Status walkDirectoryArchive(const std::string& dir, const WalkOptions& options, Report& report);
Status walkTarArchive(std::unique_ptr<InputStream> in, const WalkOptions& options, Report& report);

}  // namespace pgarc
