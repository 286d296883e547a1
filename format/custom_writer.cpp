// Custom-format (-Fc) writer: header and TOC with unset offsets, data blocks
// in TOC order, then (on seekable output) the TOC rewritten in place with the
// real offsets, as pg_dump does.
#include <string>
#include <unordered_map>

#include "format/archive_writer.hpp"
#include "format/codec.hpp"
#include "format/custom_blocks.hpp"
#include "format/header_toc.hpp"
#include "format/io.hpp"
#include "format/primitives.hpp"

namespace pgarc {
namespace {

class CustomWriter;

// Frames compressor output as chunks: Int length + bytes.
class ChunkFramer : public ByteSink {
 public:
  ChunkFramer(OutputStream& out, const ArchiveHeader& h) : out_(out), w_(h.intSize, h.offSize) {}
  Status write(std::string_view data) override {
    if (data.empty()) return {};  // 0 is the end marker, never a chunk
    w_.clear();
    w_.integer(static_cast<int64_t>(data.size()));
    PGARC_TRY(out_.write(w_.bytes()));
    return out_.write(data);
  }
  Status integer(int64_t v) {
    w_.clear();
    w_.integer(v);
    return out_.write(w_.bytes());
  }

 private:
  OutputStream& out_;
  ByteWriter w_;
};

class CustomWriter : public ArchiveWriter {
 public:
  CustomWriter(std::unique_ptr<OutputStream> out, WriterOptions options)
      : out_(std::move(out)), options_(std::move(options)) {}

  const ArchiveToc& toc() const override { return toc_; }

  Status begin(ArchiveToc toc) override {
    if (state_ != State::Fresh) return fail("begin called twice");
    toc_ = std::move(toc);
    ArchiveHeader& h = toc_.header;
    h.format = ArchiveFormat::Custom;
    const int v = h.version.value();
    if (v < kMinReadVersion || v > kMaxReadVersion)
      return fail("cannot write archive version " + h.version.toString() + ", expected 1.12 to 1.16");
    if (h.intSize < 4 || h.intSize > 8 || h.offSize < 8 || h.offSize > 16)
      return fail("cannot write integer size " + std::to_string(h.intSize) + " / offset size " +
                  std::to_string(h.offSize) + ", expected 4..8 / 8..16");
    const CompressionSpec& c = options_.compression;
    if (h.version.atLeast(1, 15)) {
      h.compression = c.algorithm;
      h.compressionLevel = c.algorithm == CompressionAlgorithm::None ? 0 : -1;
    } else {
      switch (c.algorithm) {
        case CompressionAlgorithm::None: h.compressionLevel = 0; break;
        case CompressionAlgorithm::Gzip:
          if (c.level == 0 || c.level < -1 || c.level > 9)
            return fail("gzip compression level must be -1 or 1..9 in archive version " + h.version.toString() +
                        ", found " + std::to_string(c.level));
          h.compressionLevel = c.level;
          break;
        default:
          return fail(std::string("compression ") + compressionName(c.algorithm) +
                      " requires archive version 1.15 or later, found " + h.version.toString());
      }
      h.compression = c.algorithm;
    }
    {
      StringSink probe;  // reject a bad level before anything is written
      auto comp = makeCompressor(c, CodecContainer::Stream, probe);
      if (!comp.ok()) return std::move(comp).error().withFile(out_->name());
    }
    for (size_t i = 0; i < toc_.entries.size(); ++i) {
      TocEntry& e = toc_.entries[i];
      e.offsetFlag = e.hadDumper ? OffsetFlag::NotSet : OffsetFlag::NoData;
      e.dataOffset = 0;
      e.filename.reset();
      if (!indexById_.emplace(e.dumpId, i).second) return fail("duplicate TOC entry ID " + std::to_string(e.dumpId));
    }
    ByteWriter w(h.intSize, h.offSize);
    writeHeader(w, h);
    PGARC_TRY(write(w.bytes()));
    tocPos_ = out_->position();
    PGARC_TRY(writeTocInPieces());
    state_ = State::Data;
    return {};
  }

  Result<std::unique_ptr<DataStream>> openTableData(int dumpId) override;
  Result<std::unique_ptr<BlobStream>> openBlobs(int dumpId) override;
  Result<std::unique_ptr<DataStream>> openPrecompressedTableData(int dumpId) override;

  Status finish() override {
    if (state_ == State::Fresh) return fail("finish called before begin");
    if (state_ == State::InBlock) return fail("finish called while the data of entry " + std::to_string(openId_) + " is open");
    if (state_ != State::Data) return fail("finish called after a failure or twice");
    for (size_t i = nextIndex_; i < toc_.entries.size(); ++i) {
      if (toc_.entries[i].hadDumper)
        return fail("entry " + std::to_string(toc_.entries[i].dumpId) + " has data but none was written");
    }
    if (out_->seekable()) {
      // Offsets are fixed-size, so the rewritten TOC has the same length.
      uint64_t end = out_->position();
      PGARC_TRY(out_->seek(tocPos_));
      PGARC_TRY(writeTocInPieces());
      PGARC_TRY(out_->seek(end));
    }
    PGARC_TRY(out_->commit());
    state_ = State::Done;
    return {};
  }

  Status writeTocInPieces() {
    return pgarc::writeTocInPieces(toc_, TocExtra::CustomOffset,
                                   [this](std::string_view piece) { return write(piece); });
  }

  // Used by the data streams.
  Status write(std::string_view bytes) {
    Status st = out_->write(bytes);
    if (!st.ok()) state_ = State::Failed;
    return st;
  }
  OutputStream& out() { return *out_; }
  const ArchiveHeader& header() const { return toc_.header; }
  const CompressionSpec& compression() const { return options_.compression; }
  Status streamFailed(Error e) {
    state_ = State::Failed;
    return std::move(e).withDumpId(openId_);
  }
  Status closeBlock() {
    state_ = State::Data;
    return {};
  }
  Error fail(std::string message) {
    return Error{std::move(message), out_->name(), std::nullopt, std::nullopt};
  }

 private:
  enum class State { Fresh, Data, InBlock, Failed, Done };

  // Starts the block of the next entry with data; `type` is the block type.
  Status startBlock(int dumpId, uint8_t type) {
    if (state_ == State::InBlock)
      return fail("cannot open entry " + std::to_string(dumpId) + " while entry " + std::to_string(openId_) + " is open");
    if (state_ != State::Data) return fail("cannot write data: writer not begun, failed or finished");
    auto it = indexById_.find(dumpId);
    if (it == indexById_.end()) return Error{"no TOC entry with ID " + std::to_string(dumpId), out_->name(), {}, dumpId};
    TocEntry& e = toc_.entries[it->second];
    if (!e.hadDumper) return Error{"TOC entry " + std::to_string(dumpId) + " has no data", out_->name(), {}, dumpId};
    size_t expected = nextIndex_;
    while (expected < toc_.entries.size() && !toc_.entries[expected].hadDumper) ++expected;
    if (expected != it->second) {
      std::string want = expected < toc_.entries.size() ? "entry " + std::to_string(toc_.entries[expected].dumpId)
                                                        : std::string("no more data");
      return Error{"data must be written in TOC order: expected " + want + ", found entry " + std::to_string(dumpId),
                   out_->name(), {}, dumpId};
    }
    nextIndex_ = it->second + 1;
    e.offsetFlag = OffsetFlag::Set;
    e.dataOffset = out_->position();
    ByteWriter w(toc_.header.intSize, toc_.header.offSize);
    w.byte(type);
    w.integer(dumpId);
    PGARC_TRY(write(w.bytes()));
    state_ = State::InBlock;
    openId_ = dumpId;
    return {};
  }

  std::unique_ptr<OutputStream> out_;
  WriterOptions options_;
  ArchiveToc toc_;
  std::unordered_map<int, size_t> indexById_;
  uint64_t tocPos_ = 0;
  size_t nextIndex_ = 0;
  int openId_ = 0;
  State state_ = State::Fresh;
};

class CustomDataStream : public DataStream {
 public:
  CustomDataStream(CustomWriter& w, std::unique_ptr<ChunkFramer> framer, std::unique_ptr<Compressor> comp)
      : w_(w), framer_(std::move(framer)), comp_(std::move(comp)) {}
  Status write(std::string_view plain) override {
    if (closed_) return makeError("write to a closed data stream");
    Status st = comp_->write(plain);
    if (!st.ok()) return w_.streamFailed(std::move(st).error());
    return {};
  }
  Status close() override {
    if (closed_) return makeError("data stream closed twice");
    closed_ = true;
    Status st = comp_->finish();
    if (st.ok()) st = framer_->integer(0);
    if (!st.ok()) return w_.streamFailed(std::move(st).error());
    return w_.closeBlock();
  }

 private:
  CustomWriter& w_;
  std::unique_ptr<ChunkFramer> framer_;
  std::unique_ptr<Compressor> comp_;
  bool closed_ = false;
};

class CustomBlobStream : public BlobStream {
 public:
  CustomBlobStream(CustomWriter& w, std::unique_ptr<ChunkFramer> framer) : w_(w), framer_(std::move(framer)) {}
  Status beginBlob(uint32_t oid) override {
    if (closed_) return makeError("large object stream is closed");
    if (comp_) return makeError("beginBlob(" + std::to_string(oid) + ") while large object " + std::to_string(oid_) + " is open");
    if (oid == 0) return makeError("large object OID 0 is reserved as the end marker");
    // pg_dump passes the unsigned OID through a signed int.
    Status st = framer_->integer(static_cast<int32_t>(oid));
    if (!st.ok()) return w_.streamFailed(std::move(st).error());
    if (spare_ && spare_->restart()) {
      comp_ = std::move(spare_);
    } else {
      auto comp = makeCompressor(w_.compression(), CodecContainer::Stream, *framer_);
      if (!comp.ok()) return w_.streamFailed(std::move(comp).error());
      comp_ = std::move(comp).value();
    }
    oid_ = oid;
    return {};
  }
  Status write(std::string_view bytes) override {
    if (!comp_) return makeError("large object data written outside beginBlob/endBlob");
    Status st = comp_->write(bytes);
    if (!st.ok()) return w_.streamFailed(std::move(st).error());
    return {};
  }
  Status endBlob() override {
    if (!comp_) return makeError("endBlob without beginBlob");
    Status st = comp_->finish();
    spare_ = std::move(comp_);  // restarted for the next object
    if (st.ok()) st = framer_->integer(0);
    if (!st.ok()) return w_.streamFailed(std::move(st).error());
    return {};
  }
  Status close() override {
    if (closed_) return makeError("large object stream closed twice");
    if (comp_) return makeError("large object " + std::to_string(oid_) + " still open at close");
    closed_ = true;
    Status st = framer_->integer(0);
    if (!st.ok()) return w_.streamFailed(std::move(st).error());
    return w_.closeBlock();
  }

 private:
  CustomWriter& w_;
  std::unique_ptr<ChunkFramer> framer_;
  std::unique_ptr<Compressor> comp_;
  std::unique_ptr<Compressor> spare_;  // the last object's, finished
  uint32_t oid_ = 0;
  bool closed_ = false;
};

Result<std::unique_ptr<DataStream>> CustomWriter::openTableData(int dumpId) {
  PGARC_TRY(startBlock(dumpId, custom::kBlockData));
  auto framer = std::make_unique<ChunkFramer>(*out_, toc_.header);
  auto comp = makeCompressor(options_.compression, CodecContainer::Stream, *framer);
  if (!comp.ok()) {
    state_ = State::Failed;
    return std::move(comp).error().withDumpId(dumpId);
  }
  return std::unique_ptr<DataStream>(std::make_unique<CustomDataStream>(*this, std::move(framer), std::move(comp).value()));
}

// Passes already-compressed bytes to the chunk framer unchanged.
class PassThroughCompressor : public Compressor {
 public:
  explicit PassThroughCompressor(ByteSink& out) : out_(out) {}
  Status write(std::string_view compressed) override { return out_.write(compressed); }
  Status finish() override { return {}; }

 private:
  ByteSink& out_;
};

Result<std::unique_ptr<DataStream>> CustomWriter::openPrecompressedTableData(int dumpId) {
  PGARC_TRY(startBlock(dumpId, custom::kBlockData));
  auto framer = std::make_unique<ChunkFramer>(*out_, toc_.header);
  auto comp = std::make_unique<PassThroughCompressor>(*framer);
  return std::unique_ptr<DataStream>(std::make_unique<CustomDataStream>(*this, std::move(framer), std::move(comp)));
}

Result<std::unique_ptr<BlobStream>> CustomWriter::openBlobs(int dumpId) {
  PGARC_TRY(startBlock(dumpId, custom::kBlockBlobs));
  auto framer = std::make_unique<ChunkFramer>(*out_, toc_.header);
  return std::unique_ptr<BlobStream>(std::make_unique<CustomBlobStream>(*this, std::move(framer)));
}

}  // namespace

Result<std::unique_ptr<ArchiveWriter>> createCustomWriter(std::unique_ptr<OutputStream> out, const WriterOptions& options) {
  if (!out) return makeError("no output stream");
  if (options.kind != ArchiveKind::Custom) return makeError("custom writer asked to write another archive kind");
  return std::unique_ptr<ArchiveWriter>(std::make_unique<CustomWriter>(std::move(out), options));
}

}  // namespace pgarc
