// Codec factory and the identity codec.
#include "format/codec.hpp"

#include "format/codec_impl.hpp"

namespace pgarc {
namespace {

// pg_dump -Z0 writes one chunk per write call and never an empty one.
class NoneCompressor : public Compressor {
 public:
  explicit NoneCompressor(ByteSink& out) : out_(out) {}
  Status write(std::string_view plain) override {
    if (finished_) return makeError("none: write after finish");
    if (plain.empty()) return {};
    return out_.write(plain);
  }
  Status finish() override {
    if (finished_) return makeError("none: finish called twice");
    finished_ = true;
    return {};
  }
  bool restart() override {
    finished_ = false;
    return true;
  }

 private:
  ByteSink& out_;
  bool finished_ = false;
};

class NoneDecompressor : public Decompressor {
 public:
  explicit NoneDecompressor(ByteSink& out) : out_(out) {}
  Status write(std::string_view compressed) override {
    if (compressed.empty()) return {};
    return out_.write(compressed);
  }
  Status finish() override { return {}; }

 private:
  ByteSink& out_;
};

}  // namespace

Result<std::unique_ptr<Compressor>> makeCompressor(const CompressionSpec& spec, CodecContainer container,
                                                   ByteSink& out) {
  switch (spec.algorithm) {
    case CompressionAlgorithm::None:
      return std::unique_ptr<Compressor>(std::make_unique<NoneCompressor>(out));
    case CompressionAlgorithm::Gzip:
      return codec_detail::makeGzipCompressor(spec, container, out);
    case CompressionAlgorithm::Lz4:
      return codec_detail::makeLz4Compressor(spec, container, out);
    case CompressionAlgorithm::Zstd:
      return codec_detail::makeZstdCompressor(spec, container, out);
  }
  return makeError("unknown compression algorithm " + std::to_string(static_cast<int>(spec.algorithm)));
}

Result<std::unique_ptr<Decompressor>> makeDecompressor(CompressionAlgorithm algorithm, CodecContainer container,
                                                       ByteSink& out) {
  switch (algorithm) {
    case CompressionAlgorithm::None:
      return std::unique_ptr<Decompressor>(std::make_unique<NoneDecompressor>(out));
    case CompressionAlgorithm::Gzip:
      return codec_detail::makeGzipDecompressor(container, out);
    case CompressionAlgorithm::Lz4:
      return codec_detail::makeLz4Decompressor(container, out);
    case CompressionAlgorithm::Zstd:
      return codec_detail::makeZstdDecompressor(container, out);
  }
  return makeError("unknown compression algorithm " + std::to_string(static_cast<int>(algorithm)));
}

const char* compressionSuffix(CompressionAlgorithm a) {
  switch (a) {
    case CompressionAlgorithm::None: return "";
    case CompressionAlgorithm::Gzip: return ".gz";
    case CompressionAlgorithm::Lz4: return ".lz4";
    case CompressionAlgorithm::Zstd: return ".zst";
  }
  return "";
}

}  // namespace pgarc
