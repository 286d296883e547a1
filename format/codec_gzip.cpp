// gzip codec: a raw zlib stream (RFC 1950) inside custom-format chunks, a
// gzip file (RFC 1952) for directory and plain output.
#include <zlib.h>

#include <algorithm>
#include <string>

#include "format/adler32.hpp"
#include "format/codec_impl.hpp"

namespace pgarc::codec_detail {
namespace {

// pg_dump 15 hands the custom-format writer one chunk per full 4096-byte
// deflate output buffer, and the rest at the end of the stream.
constexpr size_t kStreamOutSize = 4096;
constexpr size_t kFileOutSize = 64 * 1024;
// zlib counts in uInt; feed large writes in slices.
constexpr size_t kMaxSlice = size_t{1} << 30;

const char* label(CodecContainer c) { return c == CodecContainer::Stream ? "zlib" : "gzip"; }

std::string zlibMessage(const z_stream& zs, int code) {
  if (zs.msg != nullptr) return zs.msg;
  return "zlib error " + std::to_string(code);
}

class GzipCompressor : public Compressor {
 public:
  GzipCompressor(CodecContainer c, ByteSink& out)
      : container_(c), out_(out), buf_(c == CodecContainer::Stream ? kStreamOutSize : kFileOutSize, '\0') {}
  ~GzipCompressor() override {
    if (initialized_) deflateEnd(&zs_);
  }

  Status init(int level) {
    if (level < -1 || level > 9) return makeError("gzip: expected compression level -1..9, found " + std::to_string(level));
    level_ = level;
    // The zlib stream is written as zlib would write it (deflateInit: window
    // 15, memLevel 8), but its body comes from raw deflate and its 2-byte
    // header and Adler-32 trailer from here: the same bytes, with the
    // checksum summed 32 bytes at a time instead of by zlib's byte loop.
    // windowBits 15 + 16 asks zlib for a gzip wrapper; memLevel 8 as gzopen uses.
    int rc = deflateInit2(&zs_, level, Z_DEFLATED, container_ == CodecContainer::Stream ? -MAX_WBITS : MAX_WBITS + 16, 8,
                          Z_DEFAULT_STRATEGY);
    if (rc != Z_OK) return makeError(std::string("could not initialize ") + label(container_) + " compression: " + zlibMessage(zs_, rc));
    initialized_ = true;
    return startStream();
  }

  bool restart() override {
    if (!initialized_ || !finished_ || deflateReset(&zs_) != Z_OK) return false;
    finished_ = false;
    adler_ = 1;
    return startStream().ok();
  }

  Status write(std::string_view plain) override {
    if (finished_) return makeError(std::string(label(container_)) + ": write after finish");
    if (container_ == CodecContainer::Stream) adler_ = adler32Update(adler_, plain);
    while (!plain.empty()) {
      size_t n = std::min(plain.size(), kMaxSlice);
      PGARC_TRY(deflateSlice(plain.substr(0, n), false));
      plain.remove_prefix(n);
    }
    return {};
  }

  Status finish() override {
    if (finished_) return makeError(std::string(label(container_)) + ": finish called twice");
    finished_ = true;
    return deflateSlice({}, true);
  }

 private:
  Status startStream() {
    resetOutput();
    if (container_ == CodecContainer::Stream) {
      const uint8_t header[2] = {static_cast<uint8_t>(zlibHeader(level_) >> 8), static_cast<uint8_t>(zlibHeader(level_))};
      PGARC_TRY(append(header, 2));  // fits: the buffer is empty
    }
    return {};
  }

  void resetOutput() {
    zs_.next_out = reinterpret_cast<Bytef*>(buf_.data());
    zs_.avail_out = static_cast<uInt>(buf_.size());
  }

  // RFC 1950 header as deflate() writes it: CM 8 with a 32 KiB window, the
  // level class, no dictionary, and the check bits.
  static uint16_t zlibHeader(int level) {
    if (level == Z_DEFAULT_COMPRESSION) level = 6;
    unsigned levelFlags = level < 2 ? 0 : level < 6 ? 1 : level == 6 ? 2 : 3;
    unsigned header = (Z_DEFLATED + ((MAX_WBITS - 8) << 4)) << 8 | levelFlags << 6;
    header += 31 - header % 31;
    return static_cast<uint16_t>(header);
  }

  // Puts bytes of our own (header, trailer) into the output buffer, handing
  // it on when full, exactly where deflate's own bytes would have gone.
  Status append(const uint8_t* bytes, size_t n) {
    for (size_t i = 0; i < n; i++) {
      if (zs_.avail_out == 0) {
        PGARC_TRY(out_.write(std::string_view(buf_.data(), buf_.size())));
        resetOutput();
      }
      *zs_.next_out++ = bytes[i];
      zs_.avail_out--;
    }
    return {};
  }

  // Mirrors pg_dump's deflate loop so chunk boundaries match: output is handed
  // on when the buffer is full, and at the end of the stream.
  Status deflateSlice(std::string_view in, bool flush) {
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs_.avail_in = static_cast<uInt>(in.size());
    while (zs_.avail_in != 0 || flush) {
      int rc = deflate(&zs_, flush ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_ERROR) return makeError(std::string("could not compress data: ") + label(container_) + ": " + zlibMessage(zs_, rc));
      bool progress = rc != Z_BUF_ERROR;
      if (rc == Z_STREAM_END && container_ == CodecContainer::Stream) {
        const uint8_t trailer[4] = {static_cast<uint8_t>(adler_ >> 24), static_cast<uint8_t>(adler_ >> 16),
                                    static_cast<uint8_t>(adler_ >> 8), static_cast<uint8_t>(adler_)};
        PGARC_TRY(append(trailer, 4));
      }
      if ((flush && zs_.avail_out < buf_.size()) || zs_.avail_out == 0 || zs_.avail_in != 0) {
        if (zs_.avail_out < buf_.size()) {
          PGARC_TRY(out_.write(std::string_view(buf_.data(), buf_.size() - zs_.avail_out)));
          progress = true;
        }
        resetOutput();
      }
      if (rc == Z_STREAM_END) break;
      if (!progress) return makeError(std::string("could not compress data: ") + label(container_) + ": no progress");
    }
    return {};
  }

  CodecContainer container_;
  ByteSink& out_;
  std::string buf_;
  z_stream zs_{};
  uint32_t adler_ = 1;  // of the plain bytes, for the zlib stream's trailer
  int level_ = Z_DEFAULT_COMPRESSION;
  bool initialized_ = false;
  bool finished_ = false;
};

class GzipDecompressor : public Decompressor {
 public:
  GzipDecompressor(CodecContainer c, ByteSink& out) : container_(c), out_(out), buf_(kDecodeBufferSize, '\0') {}
  ~GzipDecompressor() override {
    if (initialized_) inflateEnd(&zs_);
  }

  Status init() {
    int rc = container_ == CodecContainer::Stream ? inflateInit(&zs_) : inflateInit2(&zs_, MAX_WBITS + 16);
    if (rc != Z_OK) return makeError(std::string("could not initialize ") + label(container_) + " decompression: " + zlibMessage(zs_, rc));
    initialized_ = true;
    return {};
  }

  Status write(std::string_view compressed) override {
    if (failed_) return makeError(std::string(label(container_)) + ": write after a decoding error");
    while (!compressed.empty()) {
      size_t n = std::min(compressed.size(), kMaxSlice);
      Status st = inflateSlice(compressed.substr(0, n));
      if (!st.ok()) {
        failed_ = true;
        return st;
      }
      compressed.remove_prefix(n);
    }
    return {};
  }

  Status finish() override {
    if (failed_) return makeError(std::string(label(container_)) + ": finish after a decoding error");
    if (totalIn_ == 0) return makeError(std::string(label(container_)) + ": empty input, expected a compressed stream");
    if (!ended_)
      return makeError(std::string(label(container_)) + ": truncated stream: input ended after " + std::to_string(totalIn_) +
                       " bytes, before the end of the compressed data");
    return {};
  }

 private:
  Status inflateSlice(std::string_view in) {
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs_.avail_in = static_cast<uInt>(in.size());
    while (zs_.avail_in != 0) {
      if (ended_) {
        if (container_ == CodecContainer::Stream)
          return makeError("zlib: trailing garbage: " + std::to_string(zs_.avail_in) + " bytes after the end of the zlib stream");
        // A gzip file may hold several members; decode the next one.
        int rc = inflateReset(&zs_);
        if (rc != Z_OK) return makeError("gzip: could not reset decoder: " + zlibMessage(zs_, rc));
        ended_ = false;
        inMember_ = 0;
      }
      zs_.next_out = reinterpret_cast<Bytef*>(buf_.data());
      zs_.avail_out = static_cast<uInt>(buf_.size());
      uInt before = zs_.avail_in;
      int rc = inflate(&zs_, Z_NO_FLUSH);
      size_t consumed = before - zs_.avail_in;
      size_t produced = buf_.size() - zs_.avail_out;
      totalIn_ += consumed;
      inMember_ += consumed;
      if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_STREAM_ERROR || rc == Z_MEM_ERROR) {
        std::string what = container_ == CodecContainer::File && inMember_ <= 10 && totalIn_ > inMember_
                               ? "trailing garbage after gzip member: "
                               : "corrupt compressed data: ";
        return makeError(std::string(label(container_)) + ": " + what + zlibMessage(zs_, rc) + " (at compressed byte " +
                         std::to_string(totalIn_) + ")");
      }
      if (produced > 0) PGARC_TRY(out_.write(std::string_view(buf_.data(), produced)));
      if (rc == Z_STREAM_END) {
        ended_ = true;
        continue;
      }
      if (consumed == 0 && produced == 0) return makeError(std::string(label(container_)) + ": decoder made no progress");
    }
    return {};
  }

  CodecContainer container_;
  ByteSink& out_;
  std::string buf_;
  z_stream zs_{};
  bool initialized_ = false;
  bool ended_ = false;
  bool failed_ = false;
  uint64_t totalIn_ = 0;
  uint64_t inMember_ = 0;
};

}  // namespace

Result<std::unique_ptr<Compressor>> makeGzipCompressor(const CompressionSpec& spec, CodecContainer c, ByteSink& out) {
  auto comp = std::make_unique<GzipCompressor>(c, out);
  PGARC_TRY(comp->init(spec.level));
  return std::unique_ptr<Compressor>(std::move(comp));
}

Result<std::unique_ptr<Decompressor>> makeGzipDecompressor(CodecContainer c, ByteSink& out) {
  auto dec = std::make_unique<GzipDecompressor>(c, out);
  PGARC_TRY(dec->init());
  return std::unique_ptr<Decompressor>(std::move(dec));
}

}  // namespace pgarc::codec_detail
