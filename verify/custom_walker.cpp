// Structural walk of a custom-format archive in one forward pass: header,
// TOC, then every data block in file order, checked against the TOC.
#include <map>
#include <vector>

#include "format/header_toc.hpp"
#include "format/primitives.hpp"
#include "verify/read_ahead.hpp"
#include "verify/walk_support.hpp"

namespace pgarc {
namespace {

// Largest piece of a chunk handed to the decoder at once; chunk lengths come
// from the file and are never used to size an allocation.
constexpr size_t kPiece = 256 * 1024;

class CustomWalker {
 public:
  CustomWalker(ReadAheadInput& in, const WalkOptions& options, Report& report)
      : in_(in), r_(in), options_(options), report_(report), file_(in.name()) {}

  void run() {
    auto header = readHeader(r_, ArchiveFormat::Custom);
    if (!header.ok()) {
      report_.add(Problem{file_, {}, {}, {}, "could not read header: " + header.error().message,
                          header.error().offset, OffsetKind::File});
      return;
    }
    auto entries = readToc(r_, *header, TocExtra::CustomOffset);
    if (!entries.ok()) {
      report_.add(Problem{file_, entries.error().dumpId, {}, {}, "could not read TOC: " + entries.error().message,
                          entries.error().offset, OffsetKind::File});
      return;
    }
    payload_ = adoptToc(report_, *header, std::move(*entries), file_, options_);
    toc_ = &*report_.toc;
    for (const auto& e : toc_->entries) {
      byId_[e.dumpId] = &e;
      if (e.hadDumper) {
        dataOrder_.push_back(&e);
        if (e.offsetFlag == OffsetFlag::NoData) {
          report_.addForEntry(e, file_, "entry has data (hadDumper) but its offset flag says it has none", {});
        }
      } else if (e.offsetFlag != OffsetFlag::NoData) {
        report_.addForEntry(e, file_,
                            "offset flag " + std::to_string(static_cast<int>(e.offsetFlag)) +
                                " announces data for an entry without a data dumper",
                            {});
      }
    }
    walkBlocks();
    finishChecks();
  }

 private:
  void problem(const TocEntry* e, std::string what, std::optional<uint64_t> offset) {
    reportProblem(report_, file_, e, std::move(what), offset);
  }

  uint64_t remaining() const {
    auto sz = in_.size();
    return sz && *sz > in_.position() ? *sz - in_.position() : (sz ? 0 : UINT64_MAX);
  }

  void walkBlocks() {
    size_t nextExpected = 0;
    for (;;) {
      const uint64_t blockStart = in_.position();
      char typeByte;
      auto got = in_.read(&typeByte, 1);
      if (!got.ok()) {
        problem(nullptr, "read error: " + got.error().message, blockStart);
        truncatedAt_ = blockStart;
        return;
      }
      if (*got == 0) return;  // clean end of file
      const int type = static_cast<uint8_t>(typeByte);
      if (type != 1 && type != 3) {
        if (nextExpected < dataOrder_.size()) {
          problem(dataOrder_[nextExpected],
                  "expected a data block (type 1 or 3) for this entry, found byte " + std::to_string(type),
                  blockStart);
        } else {
          problem(nullptr,
                  "unexpected bytes after the last data block (found byte " + std::to_string(type) + ")",
                  blockStart);
        }
        stoppedAt_ = blockStart;
        return;
      }
      auto id = r_.int32();
      if (!id.ok()) {
        const TocEntry* e = nextExpected < dataOrder_.size() ? dataOrder_[nextExpected] : nullptr;
        problem(e, "truncated data block header: " + id.error().message, blockStart);
        truncatedAt_ = blockStart;
        return;
      }
      const TocEntry* entry = nullptr;
      if (auto it = byId_.find(*id); it != byId_.end()) entry = it->second;
      if (!entry) {
        problem(nullptr, "data block for dump ID " + std::to_string(*id) + ", which is not in the TOC", blockStart);
      } else {
        if (!entry->hadDumper) problem(entry, "data block found for an entry without a data dumper", blockStart);
        if (blockStarts_.count(entry->dumpId)) {
          problem(entry, "second data block for this entry", blockStart);
        } else if (entry->hadDumper) {
          if (nextExpected < dataOrder_.size() && dataOrder_[nextExpected] == entry) {
            nextExpected++;
          } else {
            std::string exp = nextExpected < dataOrder_.size()
                                  ? "expected entry " + std::to_string(dataOrder_[nextExpected]->dumpId) + " next"
                                  : "all data blocks were already seen";
            problem(entry, "data block out of TOC order (" + exp + ")", blockStart);
            for (size_t k = nextExpected; k < dataOrder_.size(); k++) {
              if (dataOrder_[k] == entry) nextExpected = k + 1;
            }
          }
        }
        blockStarts_[entry->dumpId] = blockStart;
        if (entry->offsetFlag == OffsetFlag::Set && entry->dataOffset != blockStart) {
          problem(entry,
                  "TOC offset " + std::to_string(entry->dataOffset) + " does not point at this entry's data block, "
                  "which starts at " + std::to_string(blockStart),
                  entry->dataOffset);
        }
        const bool isBlobs = entry->desc == "BLOBS";
        if (type == 3 && !isBlobs) problem(entry, "large-object block (type 3) for an entry that is not BLOBS", blockStart);
        if (type == 1 && isBlobs) problem(entry, "data block of type 1 for a BLOBS entry (expected type 3)", blockStart);
      }
      bool ok = type == 1 ? walkDataBlock(entry) : walkBlobBlock(entry);
      if (!ok) return;
    }
  }

  // A chunk length Int, parsed in place when the read-ahead block holds it.
  Result<int64_t> chunkLength() {
    const int width = r_.intSize();
    if (width <= 7) {
      if (auto bytes = in_.peek(static_cast<size_t>(width) + 1)) {
        const auto* b = reinterpret_cast<const uint8_t*>(bytes->data());
        int64_t magnitude = 0;
        for (int i = width; i >= 1; i--) magnitude = (magnitude << 8) | b[i];
        in_.consume(static_cast<size_t>(width) + 1);
        return b[0] != 0 ? -magnitude : magnitude;
      }
    }
    return r_.integer();
  }

  // Reads one chunk sequence (Int length + bytes, ended by Int 0), passing
  // the bytes to `sink`. Returns false when the file ended or was unreadable.
  template <class Sink>
  bool walkChunks(const TocEntry* entry, Sink&& sink) {
    std::string buf;
    for (;;) {
      const uint64_t at = in_.position();
      auto len = chunkLength();
      if (!len.ok()) {
        problem(entry, "unexpected end of file in data block: " + len.error().message, at);
        truncatedAt_ = at;
        return false;
      }
      if (*len == 0) return true;
      if (*len < 0) {
        problem(entry, "invalid chunk length " + std::to_string(*len), at);
        stoppedAt_ = at;
        return false;
      }
      uint64_t length = static_cast<uint64_t>(*len);
      if (length > remaining()) {
        problem(entry,
                "chunk of " + std::to_string(length) + " bytes extends past the end of the file (" +
                    std::to_string(remaining()) + " bytes left)",
                at);
        truncatedAt_ = at;
        return false;
      }
      while (length > 0) {
        size_t piece = static_cast<size_t>(std::min<uint64_t>(length, kPiece));
        const uint64_t pieceAt = in_.position();
        auto bytes = in_.readExactView(piece, buf);
        if (!bytes.ok()) {
          problem(entry, "unexpected end of file inside a data chunk", in_.position());
          truncatedAt_ = in_.position();
          return false;
        }
        sink(*bytes, pieceAt);
        length -= piece;
      }
    }
  }

  bool walkDataBlock(const TocEntry* entry) {
    if (!entry) return walkChunks(entry, [](std::string_view, uint64_t) {});
    EntryStreamCheck check(*entry, toc_->header.compression, CodecContainer::Stream, payload_, report_, file_);
    if (toc_->header.compression != CompressionAlgorithm::None) {
      bool ok = walkChunks(entry, [&](std::string_view piece, uint64_t at) { check.feed(piece, at); });
      check.finish(in_.position(), ok);
      return ok;
    }
    // Uncompressed, pg_dump writes one chunk per COPY row: the checks run on
    // gathered pieces instead (no decoder, so no file offset is lost).
    std::string gathered;
    uint64_t gatheredAt = 0;
    bool ok = walkChunks(entry, [&](std::string_view piece, uint64_t at) {
      if (gathered.empty()) gatheredAt = at;
      gathered.append(piece);
      if (gathered.size() >= kPiece) {
        check.feed(gathered, gatheredAt);
        gathered.clear();
      }
    });
    if (!gathered.empty()) check.feed(gathered, gatheredAt);
    check.finish(in_.position(), ok);
    return ok;
  }

  bool walkBlobBlock(const TocEntry* entry) {
    for (;;) {
      const uint64_t at = in_.position();
      auto oidInt = r_.int32();
      if (!oidInt.ok()) {
        problem(entry, "unexpected end of file in large-object block: " + oidInt.error().message, at);
        truncatedAt_ = at;
        return false;
      }
      if (*oidInt == 0) return true;
      const uint32_t oid = oidFromInt(*oidInt);
      if (!entry) {
        if (!walkChunks(entry, [](std::string_view, uint64_t) {})) return false;
        continue;
      }
      if (report_.blobs.count(oid)) problem(entry, "large object " + std::to_string(oid) + " stored twice", at);
      BlobStreamCheck check(oid, *entry, toc_->header.compression, CodecContainer::Stream, payload_.checksum, report_,
                            file_);
      bool ok = walkChunks(entry, [&](std::string_view piece, uint64_t pos) { check.feed(piece, pos); });
      check.finish(in_.position(), ok);
      if (!ok) return false;
    }
  }

  void finishChecks() {
    const uint64_t fileSize = in_.size().value_or(in_.position());
    for (const TocEntry* e : dataOrder_) {
      if (blockStarts_.count(e->dumpId)) continue;
      std::string what = "no data block found for this entry";
      if (truncatedAt_) what += " (the archive ends early, at offset " + std::to_string(*truncatedAt_) + ")";
      else if (stoppedAt_) what += " (the walk stopped at offset " + std::to_string(*stoppedAt_) + ")";
      if (e->offsetFlag == OffsetFlag::Set) {
        if (e->dataOffset >= fileSize) {
          what = "TOC offset " + std::to_string(e->dataOffset) + " points past the end of the file (" +
                 std::to_string(fileSize) + " bytes)";
        }
        problem(e, what, e->dataOffset);
      } else {
        problem(e, what, {});
      }
    }
    checkLargeObjects(*toc_, report_, file_);
  }

  ReadAheadInput& in_;
  ByteReader r_;
  const WalkOptions& options_;
  Report& report_;
  std::string file_;
  const ArchiveToc* toc_ = nullptr;
  PayloadOptions payload_;
  std::map<int, const TocEntry*> byId_;
  std::vector<const TocEntry*> dataOrder_;
  std::map<int, uint64_t> blockStarts_;
  std::optional<uint64_t> truncatedAt_;
  std::optional<uint64_t> stoppedAt_;
};

}  // namespace

Status walkCustomArchive(std::unique_ptr<InputStream> raw, const WalkOptions& options, Report& report) {
  return walkSingleFileArchive<CustomWalker>(std::move(raw), options, report, "custom");
}

}  // namespace pgarc
