// zstd codec: one zstd frame from streaming compression, as pg_dump 16+
// writes both in custom-format chunks and in files.
#include <zstd.h>

#include <string>

#include "format/codec_impl.hpp"

namespace pgarc::codec_detail {
namespace {

class ZstdCompressor : public Compressor {
 public:
  explicit ZstdCompressor(ByteSink& out) : out_(out) {}
  ~ZstdCompressor() override { ZSTD_freeCCtx(ctx_); }

  Status init(const CompressionSpec& spec) {
    ctx_ = ZSTD_createCCtx();
    if (ctx_ == nullptr) return makeError("could not initialize zstd compression: out of memory");
    // Level 0 is zstd's own default (3).
    if (spec.level < ZSTD_minCLevel() || spec.level > ZSTD_maxCLevel())
      return makeError("zstd: expected compression level " + std::to_string(ZSTD_minCLevel()) + ".." +
                       std::to_string(ZSTD_maxCLevel()) + ", found " + std::to_string(spec.level));
    size_t rc = ZSTD_CCtx_setParameter(ctx_, ZSTD_c_compressionLevel, spec.level);
    if (!ZSTD_isError(rc) && spec.longDistance) rc = ZSTD_CCtx_setParameter(ctx_, ZSTD_c_enableLongDistanceMatching, 1);
    if (ZSTD_isError(rc)) return makeError(std::string("zstd: could not set compression parameters: ") + ZSTD_getErrorName(rc));
    buf_.resize(ZSTD_CStreamOutSize());
    return {};
  }

  Status write(std::string_view plain) override {
    if (finished_) return makeError("zstd: write after finish");
    if (plain.empty()) return {};
    return run(plain, false);
  }

  Status finish() override {
    if (finished_) return makeError("zstd: finish called twice");
    finished_ = true;
    return run({}, true);
  }

 private:
  // Every non-empty output buffer becomes one chunk, as in pg_dump 16+.
  Status run(std::string_view plain, bool end) {
    ZSTD_inBuffer in{plain.data(), plain.size(), 0};
    while (in.pos != in.size || end) {
      ZSTD_outBuffer out{buf_.data(), buf_.size(), 0};
      size_t rc = ZSTD_compressStream2(ctx_, &out, &in, end ? ZSTD_e_end : ZSTD_e_continue);
      if (ZSTD_isError(rc)) return makeError(std::string("could not compress data: zstd: ") + ZSTD_getErrorName(rc));
      if (out.pos > 0) PGARC_TRY(out_.write(std::string_view(buf_.data(), out.pos)));
      if (end && rc == 0) break;
    }
    return {};
  }

  ByteSink& out_;
  ZSTD_CCtx* ctx_ = nullptr;
  std::string buf_;
  bool finished_ = false;
};

class ZstdDecompressor : public Decompressor {
 public:
  ZstdDecompressor(CodecContainer c, ByteSink& out) : container_(c), out_(out), buf_(kDecodeBufferSize, '\0') {}
  ~ZstdDecompressor() override { ZSTD_freeDCtx(ctx_); }

  Status init() {
    ctx_ = ZSTD_createDCtx();
    if (ctx_ == nullptr) return makeError("could not initialize zstd decompression: out of memory");
    return {};
  }

  Status write(std::string_view compressed) override {
    if (failed_) return makeError("zstd: write after a decoding error");
    Status st = decode(compressed);
    if (!st.ok()) failed_ = true;
    return st;
  }

  Status finish() override {
    if (failed_) return makeError("zstd: finish after a decoding error");
    if (totalIn_ == 0) return makeError("zstd: empty input, expected a zstd frame");
    if (!frameDone_)
      return makeError("zstd: truncated stream: input ended after " + std::to_string(totalIn_) +
                       " bytes, before the end of the zstd frame");
    return {};
  }

 private:
  Status decode(std::string_view compressed) {
    ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
    bool outputFull = false;
    while (in.pos < in.size || outputFull) {
      if (frameDone_ && in.pos < in.size && container_ == CodecContainer::Stream)
        return makeError("zstd: trailing garbage: " + std::to_string(in.size - in.pos) +
                         " bytes after the end of the zstd frame");
      ZSTD_outBuffer out{buf_.data(), buf_.size(), 0};
      size_t before = in.pos;
      size_t rc = ZSTD_decompressStream(ctx_, &out, &in);
      totalIn_ += in.pos - before;
      if (ZSTD_isError(rc))
        return makeError(std::string("zstd: corrupt compressed data: ") + ZSTD_getErrorName(rc) + " (near compressed byte " +
                         std::to_string(totalIn_) + ")");
      if (out.pos > 0) PGARC_TRY(out_.write(std::string_view(buf_.data(), out.pos)));
      if (in.pos > before || out.pos > 0) frameDone_ = rc == 0;
      outputFull = out.pos == out.size;
      if (in.pos == before && out.pos == 0) {
        if (in.pos < in.size && !frameDone_) return makeError("zstd: decoder made no progress");
        break;
      }
    }
    return {};
  }

  CodecContainer container_;
  ByteSink& out_;
  ZSTD_DCtx* ctx_ = nullptr;
  std::string buf_;
  bool frameDone_ = false;
  bool failed_ = false;
  uint64_t totalIn_ = 0;
};

}  // namespace

Result<std::unique_ptr<Compressor>> makeZstdCompressor(const CompressionSpec& spec, CodecContainer, ByteSink& out) {
  auto comp = std::make_unique<ZstdCompressor>(out);
  PGARC_TRY(comp->init(spec));
  return std::unique_ptr<Compressor>(std::move(comp));
}

Result<std::unique_ptr<Decompressor>> makeZstdDecompressor(CodecContainer c, ByteSink& out) {
  auto dec = std::make_unique<ZstdDecompressor>(c, out);
  PGARC_TRY(dec->init());
  return std::unique_ptr<Decompressor>(std::move(dec));
}

}  // namespace pgarc::codec_detail
