// lz4 codec: one LZ4 frame (LZ4F API, default frame preferences except the
// level), as pg_dump 16+ writes both in custom-format chunks and in files.
#include <lz4frame.h>

#include <algorithm>
#include <string>

#include "format/codec_impl.hpp"

namespace pgarc::codec_detail {
namespace {

// pg_dump 16+ compresses custom-format data in input slices of this size and
// emits each slice's compressor output as its own chunk.
constexpr size_t kInputSlice = 4096;

class Lz4Compressor : public Compressor {
 public:
  explicit Lz4Compressor(ByteSink& out) : out_(out) {}
  ~Lz4Compressor() override {
    if (ctx_ != nullptr) LZ4F_freeCompressionContext(ctx_);
  }

  Status init(int level) {
    if (level < 0 || level > 12) return makeError("lz4: expected compression level 0..12, found " + std::to_string(level));
    LZ4F_errorCode_t rc = LZ4F_createCompressionContext(&ctx_, LZ4F_VERSION);
    if (LZ4F_isError(rc)) {
      ctx_ = nullptr;
      return makeError(std::string("could not initialize lz4 compression: ") + LZ4F_getErrorName(rc));
    }
    prefs_ = LZ4F_preferences_t{};
    prefs_.compressionLevel = level;
    buf_.resize(std::max<size_t>(LZ4F_compressBound(kInputSlice, &prefs_), LZ4F_HEADER_SIZE_MAX));
    size_t n = LZ4F_compressBegin(ctx_, buf_.data(), buf_.size(), &prefs_);
    if (LZ4F_isError(n)) return makeError(std::string("could not start lz4 frame: ") + LZ4F_getErrorName(n));
    header_.assign(buf_.data(), n);
    return {};
  }

  Status write(std::string_view plain) override {
    if (finished_) return makeError("lz4: write after finish");
    if (plain.empty()) return {};
    PGARC_TRY(flushHeader());
    while (!plain.empty()) {
      size_t n = std::min(plain.size(), kInputSlice);
      size_t produced = LZ4F_compressUpdate(ctx_, buf_.data(), buf_.size(), plain.data(), n, nullptr);
      if (LZ4F_isError(produced)) return makeError(std::string("could not compress data: lz4: ") + LZ4F_getErrorName(produced));
      if (produced > 0) PGARC_TRY(out_.write(std::string_view(buf_.data(), produced)));
      plain.remove_prefix(n);
    }
    return {};
  }

  Status finish() override {
    if (finished_) return makeError("lz4: finish called twice");
    finished_ = true;
    PGARC_TRY(flushHeader());
    size_t produced = LZ4F_compressEnd(ctx_, buf_.data(), buf_.size(), nullptr);
    if (LZ4F_isError(produced)) return makeError(std::string("could not end lz4 frame: ") + LZ4F_getErrorName(produced));
    if (produced > 0) PGARC_TRY(out_.write(std::string_view(buf_.data(), produced)));
    return {};
  }

 private:
  // The frame header is its own first chunk.
  Status flushHeader() {
    if (headerWritten_) return {};
    headerWritten_ = true;
    return out_.write(header_);
  }

  ByteSink& out_;
  LZ4F_cctx* ctx_ = nullptr;
  LZ4F_preferences_t prefs_{};
  std::string buf_;
  std::string header_;
  bool headerWritten_ = false;
  bool finished_ = false;
};

class Lz4Decompressor : public Decompressor {
 public:
  Lz4Decompressor(CodecContainer c, ByteSink& out) : container_(c), out_(out), buf_(kDecodeBufferSize, '\0') {}
  ~Lz4Decompressor() override {
    if (ctx_ != nullptr) LZ4F_freeDecompressionContext(ctx_);
  }

  Status init() {
    LZ4F_errorCode_t rc = LZ4F_createDecompressionContext(&ctx_, LZ4F_VERSION);
    if (LZ4F_isError(rc)) {
      ctx_ = nullptr;
      return makeError(std::string("could not initialize lz4 decompression: ") + LZ4F_getErrorName(rc));
    }
    return {};
  }

  Status write(std::string_view compressed) override {
    if (failed_) return makeError("lz4: write after a decoding error");
    Status st = decode(compressed);
    if (!st.ok()) failed_ = true;
    return st;
  }

  Status finish() override {
    if (failed_) return makeError("lz4: finish after a decoding error");
    if (totalIn_ == 0) return makeError("lz4: empty input, expected an lz4 frame");
    if (!frameDone_)
      return makeError("lz4: truncated stream: input ended after " + std::to_string(totalIn_) +
                       " bytes, before the end of the lz4 frame");
    return {};
  }

 private:
  Status decode(std::string_view in) {
    while (!in.empty()) {
      if (frameDone_ && container_ == CodecContainer::Stream)
        return makeError("lz4: trailing garbage: " + std::to_string(in.size()) + " bytes after the end of the lz4 frame");
      size_t srcSize = in.size();
      size_t dstSize = buf_.size();
      size_t rc = LZ4F_decompress(ctx_, buf_.data(), &dstSize, in.data(), &srcSize, nullptr);
      if (LZ4F_isError(rc)) {
        LZ4F_resetDecompressionContext(ctx_);
        return makeError(std::string("lz4: corrupt compressed data: ") + LZ4F_getErrorName(rc) + " (near compressed byte " +
                         std::to_string(totalIn_ + srcSize) + ")");
      }
      totalIn_ += srcSize;
      in.remove_prefix(srcSize);
      if (dstSize > 0) PGARC_TRY(out_.write(std::string_view(buf_.data(), dstSize)));
      if (srcSize > 0 || dstSize > 0) frameDone_ = rc == 0;
      else if (rc == 0) frameDone_ = true;
      if (srcSize == 0 && dstSize == 0 && !in.empty() && !frameDone_) return makeError("lz4: decoder made no progress");
    }
    // Drain output still held by the decoder after all input was taken.
    for (;;) {
      size_t srcSize = 0;
      size_t dstSize = buf_.size();
      size_t rc = LZ4F_decompress(ctx_, buf_.data(), &dstSize, nullptr, &srcSize, nullptr);
      if (LZ4F_isError(rc)) return makeError(std::string("lz4: corrupt compressed data: ") + LZ4F_getErrorName(rc));
      if (dstSize > 0) PGARC_TRY(out_.write(std::string_view(buf_.data(), dstSize)));
      if (dstSize > 0) frameDone_ = rc == 0;
      if (dstSize < buf_.size()) break;
    }
    return {};
  }

  CodecContainer container_;
  ByteSink& out_;
  LZ4F_dctx* ctx_ = nullptr;
  std::string buf_;
  bool frameDone_ = false;
  bool failed_ = false;
  uint64_t totalIn_ = 0;
};

}  // namespace

Result<std::unique_ptr<Compressor>> makeLz4Compressor(const CompressionSpec& spec, CodecContainer, ByteSink& out) {
  auto comp = std::make_unique<Lz4Compressor>(out);
  PGARC_TRY(comp->init(spec.level));
  return std::unique_ptr<Compressor>(std::move(comp));
}

Result<std::unique_ptr<Decompressor>> makeLz4Decompressor(CodecContainer c, ByteSink& out) {
  auto dec = std::make_unique<Lz4Decompressor>(c, out);
  PGARC_TRY(dec->init());
  return std::unique_ptr<Decompressor>(std::move(dec));
}

}  // namespace pgarc::codec_detail
