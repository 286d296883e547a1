#pragma once
// Streaming compression filters. A format never calls zlib/lz4/zstd itself:
// it stacks a Compressor or Decompressor in front of a ByteSink.
#include <cstddef>
#include <memory>
#include <string_view>

#include "format/archive.hpp"
#include "format/result.hpp"

namespace pgarc {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status write(std::string_view data) = 0;
};

// How the compressed bytes are wrapped.
enum class CodecContainer {
  Stream,  // custom-format chunks: raw zlib stream (RFC 1950), LZ4 frame, zstd frame
  File,    // directory/plain files: gzip file (RFC 1952), LZ4 frame, zstd frame
};

class Compressor {
 public:
  virtual ~Compressor() = default;
  virtual Status write(std::string_view plain) = 0;
  // Flushes the end of the stream to the sink. Call exactly once.
  virtual Status finish() = 0;
  // After finish(): starts a new stream into the same sink, writing exactly
  // what a newly made compressor would. Returns false where the codec cannot
  // (then make a new one); gzip keeps its buffers, which saves most of the
  // cost of many small streams (one per large object).
  virtual bool restart() { return false; }
};

class Decompressor {
 public:
  virtual ~Decompressor() = default;
  virtual Status write(std::string_view compressed) = 0;
  // Fails if the compressed stream was incomplete or had trailing garbage.
  virtual Status finish() = 0;
};

// The compressor hands its output to `out` in pieces exactly as pg_dump would
// write chunks: for gzip in custom format, full 4096-byte buffers and a final
// partial one; for none, one piece per write() call.
Result<std::unique_ptr<Compressor>> makeCompressor(const CompressionSpec& spec, CodecContainer container,
                                                   ByteSink& out);
Result<std::unique_ptr<Decompressor>> makeDecompressor(CompressionAlgorithm algorithm, CodecContainer container,
                                                       ByteSink& out);

// File-name suffix used by directory format ("", ".gz", ".lz4", ".zst").
const char* compressionSuffix(CompressionAlgorithm a);

// A sink that appends to a string (tests, small buffers).
class StringSink : public ByteSink {
 public:
  Status write(std::string_view data) override { out.append(data); return {}; }
  std::string out;
};

}  // namespace pgarc
