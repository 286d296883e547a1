#pragma once
// Per-algorithm codec constructors behind makeCompressor/makeDecompressor.
#include <memory>

#include "format/codec.hpp"

namespace pgarc::codec_detail {

// Size of the decompressors' output buffer: memory per decoder stays bounded
// whatever the input.
inline constexpr size_t kDecodeBufferSize = 64 * 1024;

Result<std::unique_ptr<Compressor>> makeGzipCompressor(const CompressionSpec& spec, CodecContainer c, ByteSink& out);
Result<std::unique_ptr<Decompressor>> makeGzipDecompressor(CodecContainer c, ByteSink& out);
Result<std::unique_ptr<Compressor>> makeLz4Compressor(const CompressionSpec& spec, CodecContainer c, ByteSink& out);
Result<std::unique_ptr<Decompressor>> makeLz4Decompressor(CodecContainer c, ByteSink& out);
Result<std::unique_ptr<Compressor>> makeZstdCompressor(const CompressionSpec& spec, CodecContainer c, ByteSink& out);
Result<std::unique_ptr<Decompressor>> makeZstdDecompressor(CodecContainer c, ByteSink& out);

}  // namespace pgarc::codec_detail
