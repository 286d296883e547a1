#pragma once
// pigz-style parallel deflate: ONE zlib stream (RFC 1950) whose blocks are
// compressed on worker threads. pg_restore reads a custom-format data entry as
// a single zlib stream and stops at the end of the first one, so the blocks
// are not independent streams: each block is raw deflate primed with the
// previous block's last 32 KiB as dictionary, ended on a byte boundary with
// Z_SYNC_FLUSH (the last one with Z_FINISH), and the pieces' adler32 sums are
// combined into the stream trailer.
#include <cstddef>
#include <memory>

#include "format/codec.hpp"

namespace pgarc {

struct ParallelGzipOptions {
  int level = -1;                      // zlib level, -1 = default (6)
  unsigned threads = 2;                // worker threads (0 = hardware concurrency)
  size_t blockSize = 128 * 1024;       // plain bytes per block
  // Blocks held at once (queued, compressing or awaiting output); 0 = 2 * threads + 2.
  // Memory stays below about inFlight * (2 * blockSize + 32 KiB).
  size_t maxInFlight = 0;
};

// The output goes to `out` in 4096-byte pieces and a final partial one, as
// pg_dump writes custom-format chunks. write() and finish() must be called
// from one thread; `out` is only called from that thread.
Result<std::unique_ptr<Compressor>> makeParallelGzipCompressor(const ParallelGzipOptions& options, ByteSink& out);

inline Result<std::unique_ptr<Compressor>> makeParallelGzipCompressor(int level, unsigned threads, ByteSink& out) {
  ParallelGzipOptions o;
  o.level = level;
  o.threads = threads;
  return makeParallelGzipCompressor(o, out);
}

}  // namespace pgarc
