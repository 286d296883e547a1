#pragma once
// Checks one entry's decompressed payload as it streams past: COPY text
// structure (fields per row, escapes, encoding, the \. terminator), INSERT
// payload endings, and checksums and row counts for the manifest.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "format/archive.hpp"
#include "format/codec.hpp"
#include "verify/copy_text_scan.hpp"
#include "verify/report.hpp"
#include "verify/checksum.hpp"

namespace pgarc {

enum class TextEncoding { Unknown, Utf8, Other };

// Encoding named by the ENCODING entry's defn ("SET client_encoding = 'UTF8';").
TextEncoding encodingOfToc(const std::vector<TocEntry>& entries);

// Number of columns in "COPY name (a, b, "c d") FROM stdin;"; 0 for
// "COPY t  FROM stdin;" (all columns dropped); nullopt if unparseable.
std::optional<size_t> copyColumnCount(std::string_view copyStmt);

struct PayloadOptions {
  TextEncoding encoding = TextEncoding::Unknown;
  ChecksumAlgorithm checksum = ChecksumAlgorithm::None;  // NONE: no checksums
};

// Streaming validator of COPY text. Problems are reported with payload offsets.
// Each piece goes to the vectorised scanner first; only a piece in which it
// finds something to report (or cannot handle) is walked byte by byte.
class CopyTextChecker {
 public:
  using FaultFn = std::function<void(std::string what, uint64_t payloadOffset)>;
  enum class Scan { Fast, ScalarOnly };
  CopyTextChecker(std::optional<size_t> columns, bool utf8, FaultFn fault, Scan scan = Scan::Fast);
  void feed(std::string_view data);
  // End of stream: reports a missing terminator or unfinished row.
  void finish();
  uint64_t rows() const { return s_.rows; }
  bool terminated() const { return s_.phase == CopyScanPhase::Trailer; }
  bool markerSeen() const { return s_.markerSeen; }
  // Payload bytes that belong to rows (everything before the \. line).
  uint64_t rowBytes() const { return s_.rowBytes; }
  // Pieces the vectorised scanner handled on its own.
  uint64_t fastPieces() const { return fastPieces_; }

 private:
  void feedScalar(std::string_view data);
  void endRow();
  void checkUtf8(std::string_view data);

  FaultFn fault_;
  std::optional<size_t> columns_;
  bool utf8_;
  bool fast_;
  uint64_t fastPieces_ = 0;
  CopyScanState s_;
};

// The sink a data stream decompresses into.
class PayloadChecker : public ByteSink {
 public:
  PayloadChecker(const TocEntry& entry, const PayloadOptions& options, Report& report, std::string file);
  Status write(std::string_view data) override;
  // streamClean: the stream was decoded to its end without error; only then
  // are end-of-payload checks meaningful.
  EntryOutcome finish(bool streamClean);
  // While deferred, problems found in the payload are kept back instead of
  // going to the report (write() then runs on another thread);
  // addDeferred() adds them, in the order found, on the report's thread.
  void setDeferred(bool deferred) { deferred_ = deferred; }
  void addDeferred();

 private:
  enum class Kind { Copy, Insert, Other };
  const TocEntry& entry_;
  Report& report_;
  std::string file_;
  Kind kind_;
  std::optional<CopyTextChecker> copy_;
  std::optional<Checksum> checksum_;
  std::optional<Checksum> rowsChecksum_;  // the state of checksum_ at the end of the rows
  void checksumCopy(std::string_view data);

  uint64_t bytes_ = 0;
  std::string pending_;      // possible start of the \. line, not yet summed
  bool rowsDone_ = false;
  std::string tail_;         // last bytes, for the INSERT ending check
  char lastNonNewline_ = 0;
  bool deferred_ = false;
  std::vector<std::pair<std::string, uint64_t>> held_;  // deferred problems: what, payload offset
};

// Sums and counts the bytes of one large object.
class BlobChecker : public ByteSink {
 public:
  BlobChecker(uint32_t oid, int dumpId, ChecksumAlgorithm checksum);
  Status write(std::string_view data) override;
  BlobOutcome finish(bool streamClean);

 private:
  BlobOutcome outcome_;
  std::optional<Checksum> checksum_;
};

}  // namespace pgarc
