// Parallel deflate: one zlib stream that stock zlib inflates back to the input
// under every block size, thread count and write slicing; pg_dump-sized chunks;
// the project's own custom-format stream decoder accepts it.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <zlib.h>

#include <random>
#include <string>
#include <vector>

#include "format/codec.hpp"
#include "tests/support/byte_sinks.hpp"
#include "format/codec_gzip_parallel.hpp"

using namespace pgarc;

namespace {

using pgarc::test::ChunkSink;
using pgarc::test::randomBytes;

// COPY-like text: repetitive enough that matches across block boundaries matter.
std::string copyLikeText(size_t rows, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s;
  for (size_t i = 0; i < rows; ++i)
    s += std::to_string(i) + "\tname " + std::to_string(rng() % 1000) + "\t\\N\tcaf\xc3\xa9\t" +
         std::to_string(rng()) + "\n";
  return s;
}

ChunkSink compressParallel(const std::string& data, ParallelGzipOptions o, size_t slice) {
  ChunkSink sink;
  auto comp = makeParallelGzipCompressor(o, sink);
  EXPECT_TRUE(comp.ok()) << comp.error().describe();
  if (!comp.ok()) return sink;
  if (slice == 0) slice = data.size() ? data.size() : 1;
  for (size_t i = 0; i < data.size(); i += slice) EXPECT_TRUE((*comp)->write(std::string_view(data).substr(i, slice)).ok());
  auto st = (*comp)->finish();
  EXPECT_TRUE(st.ok()) << st.error().describe();
  return sink;
}

// Stock zlib inflate fed one chunk at a time, as pg_restore reads a custom-format
// data entry: it must end exactly at the last byte of the last chunk.
struct Inflated {
  bool ok = false;
  std::string plain;
  std::string error;
};

Inflated inflateChunks(const std::vector<std::string>& chunks) {
  Inflated r;
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return {false, {}, "inflateInit"};
  std::string buf(65536, '\0');
  int rc = Z_OK;
  for (size_t ci = 0; ci < chunks.size(); ++ci) {
    if (rc == Z_STREAM_END) {
      r.error = "stream ended before chunk " + std::to_string(ci);
      inflateEnd(&zs);
      return r;
    }
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(chunks[ci].data()));
    zs.avail_in = static_cast<uInt>(chunks[ci].size());
    while (zs.avail_in != 0 && rc != Z_STREAM_END) {
      zs.next_out = reinterpret_cast<Bytef*>(buf.data());
      zs.avail_out = static_cast<uInt>(buf.size());
      rc = inflate(&zs, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END) {
        r.error = std::string("inflate: ") + (zs.msg ? zs.msg : std::to_string(rc));
        inflateEnd(&zs);
        return r;
      }
      r.plain.append(buf.data(), buf.size() - zs.avail_out);
    }
    if (rc == Z_STREAM_END && zs.avail_in != 0) r.error = "trailing bytes after the stream";
  }
  // Drain what zlib may still hold.
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf.data());
    zs.avail_out = static_cast<uInt>(buf.size());
    rc = inflate(&zs, Z_NO_FLUSH);
    r.plain.append(buf.data(), buf.size() - zs.avail_out);
    if (zs.avail_out != 0 && rc == Z_OK) break;
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END && r.error.empty()) r.error = "stream not finished (truncated)";
  r.ok = r.error.empty();
  return r;
}

void expectChunking(const ChunkSink& sink) {
  ASSERT_FALSE(sink.chunks.empty());
  for (size_t i = 0; i + 1 < sink.chunks.size(); ++i) ASSERT_EQ(sink.chunks[i].size(), 4096u) << "chunk " << i;
  ASSERT_GE(sink.chunks.back().size(), 1u);
  ASSERT_LE(sink.chunks.back().size(), 4096u);
}

TEST(ParallelDeflate, RoundTripsAllBufferSizePermutations) {
  const std::string text = copyLikeText(20000, 7);
  const std::string data = text + randomBytes(100000, 3) + text.substr(0, 50000);
  for (size_t block : {size_t{1}, size_t{1000}, size_t{4096}, size_t{32768}, size_t{65537}, size_t{128 * 1024},
                       size_t{1} << 22}) {
    for (unsigned threads : {1u, 2u, 3u}) {
      for (size_t slice : {size_t{0}, size_t{1}, size_t{4095}, size_t{100003}}) {
        if (block == 1 && slice != 100003) continue;  // one-byte blocks: keep the run short
        ParallelGzipOptions o;
        o.blockSize = block;
        o.threads = threads;
        o.level = 6;
        std::string input = block == 1 ? data.substr(0, 20000) : data;
        ChunkSink sink = compressParallel(input, o, slice);
        SCOPED_TRACE("block " + std::to_string(block) + " threads " + std::to_string(threads) + " slice " +
                     std::to_string(slice));
        expectChunking(sink);
        Inflated r = inflateChunks(sink.chunks);
        ASSERT_TRUE(r.ok) << r.error;
        ASSERT_EQ(r.plain, input);
      }
    }
  }
}

// Inputs that end exactly on a block boundary leave an empty last block;
// one byte either side leaves a short one. Each worker reuses its deflate
// state across the blocks (reset, then primed with the previous 32 KiB).
TEST(ParallelDeflate, InputsAroundBlockBoundaries) {
  const size_t block = 40000;
  const std::string text = copyLikeText(40000, 9);
  for (size_t size : {block - 1, block, block + 1, 2 * block, 7 * block, 7 * block + 1}) {
    for (size_t slice : {size_t{0}, size_t{block}, size_t{333}}) {
      ParallelGzipOptions o;
      o.blockSize = block;
      o.threads = 2;
      const std::string input = text.substr(0, size);
      ASSERT_EQ(input.size(), size);
      ChunkSink sink = compressParallel(input, o, slice);
      SCOPED_TRACE("size " + std::to_string(size) + " slice " + std::to_string(slice));
      expectChunking(sink);
      Inflated r = inflateChunks(sink.chunks);
      ASSERT_TRUE(r.ok) << r.error;
      ASSERT_TRUE(r.plain == input);
    }
  }
  // The dictionary keeps the ratio close to one zlib stream's over the same text.
  ParallelGzipOptions o;
  o.blockSize = block;
  ChunkSink sink = compressParallel(text, o, 0);
  uLongf bound = compressBound(text.size());
  std::string whole(bound, '\0');
  ASSERT_EQ(compress2(reinterpret_cast<Bytef*>(whole.data()), &bound, reinterpret_cast<const Bytef*>(text.data()),
                      text.size(), Z_DEFAULT_COMPRESSION),
            Z_OK);
  EXPECT_LT(sink.joined().size(), bound + bound / 50) << "one stream: " << bound;
}

TEST(ParallelDeflate, EmptyInputIsAValidEmptyStream) {
  for (unsigned threads : {1u, 4u}) {
    ParallelGzipOptions o;
    o.threads = threads;
    ChunkSink sink = compressParallel("", o, 0);
    ASSERT_EQ(sink.chunks.size(), 1u);
    Inflated r = inflateChunks(sink.chunks);
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_TRUE(r.plain.empty());
    // header + empty final block + adler32 of nothing (1)
    EXPECT_EQ(sink.chunks[0].substr(sink.chunks[0].size() - 4), std::string("\0\0\0\1", 4));
  }
}

TEST(ParallelDeflate, LargeRandomInputWithUncompressAndAdler) {
  const std::string data = randomBytes(8u << 20, 11) + copyLikeText(100000, 5);
  ParallelGzipOptions o;
  o.threads = 2;
  o.level = 1;
  ChunkSink sink = compressParallel(data, o, 65536);
  expectChunking(sink);
  const std::string z = sink.joined();
  // One-shot uncompress checks the zlib header, the stream and the adler32 trailer.
  std::string out(data.size(), '\0');
  uLongf outLen = out.size();
  ASSERT_EQ(uncompress(reinterpret_cast<Bytef*>(out.data()), &outLen, reinterpret_cast<const Bytef*>(z.data()), z.size()),
            Z_OK);
  ASSERT_EQ(outLen, data.size());
  EXPECT_TRUE(out == data);
  // Random data does not grow by more than stored-block overhead.
  EXPECT_LT(z.size(), data.size() + data.size() / 100);
}

TEST(ParallelDeflate, HeaderMatchesZlibForEveryLevel) {
  for (int level = -1; level <= 9; ++level) {
    ParallelGzipOptions o;
    o.level = level;
    ChunkSink par = compressParallel("abc", o, 0);
    ChunkSink single;
    auto c = makeCompressor(CompressionSpec{CompressionAlgorithm::Gzip, level, false}, CodecContainer::Stream, single);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->write("abc").ok());
    ASSERT_TRUE((*c)->finish().ok());
    EXPECT_EQ(par.joined().substr(0, 2), single.joined().substr(0, 2)) << "level " << level;
  }
}

TEST(ParallelDeflate, ProjectStreamDecoderAcceptsEveryChunk) {
  const std::string data = copyLikeText(50000, 9);
  ParallelGzipOptions o;
  o.blockSize = 50000;
  o.threads = 2;
  o.maxInFlight = 1;  // strictest memory bound still works
  ChunkSink sink = compressParallel(data, o, 777);
  StringSink plain;
  auto d = makeDecompressor(CompressionAlgorithm::Gzip, CodecContainer::Stream, plain);
  ASSERT_TRUE(d.ok());
  for (const auto& c : sink.chunks) ASSERT_TRUE((*d)->write(c).ok());
  ASSERT_TRUE((*d)->finish().ok());
  EXPECT_EQ(plain.out, data);
  // The parallel stream costs little compared with one-thread zlib at the same level.
  ChunkSink single;
  auto c = makeCompressor(CompressionSpec{CompressionAlgorithm::Gzip, 6, false}, CodecContainer::Stream, single);
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE((*c)->write(data).ok());
  ASSERT_TRUE((*c)->finish().ok());
  EXPECT_LT(sink.joined().size(), single.joined().size() * 102 / 100);
}

TEST(ParallelDeflate, CorruptedStreamIsRejected) {
  const std::string data = copyLikeText(5000, 1);
  ParallelGzipOptions o;
  o.blockSize = 10000;
  ChunkSink sink = compressParallel(data, o, 0);
  std::string z = sink.joined();
  z[z.size() - 2] ^= 0x40;  // adler32 trailer
  Inflated r = inflateChunks({z});
  EXPECT_FALSE(r.ok);
}

TEST(ParallelDeflate, RejectsBadOptionsAndMisuse) {
  StringSink s;
  ParallelGzipOptions o;
  o.level = 10;
  EXPECT_FALSE(makeParallelGzipCompressor(o, s).ok());
  o.level = 6;
  o.blockSize = 0;
  EXPECT_FALSE(makeParallelGzipCompressor(o, s).ok());
  o.blockSize = 1024;
  o.threads = 100000;
  EXPECT_FALSE(makeParallelGzipCompressor(o, s).ok());
  auto c = makeParallelGzipCompressor(6, 2, s);
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE((*c)->finish().ok());
  EXPECT_FALSE((*c)->write("x").ok());
  EXPECT_FALSE((*c)->finish().ok());
}

TEST(ParallelDeflate, DestroyedWithoutFinishDoesNotHang) {
  StringSink s;
  ParallelGzipOptions o;
  o.blockSize = 1000;
  auto c = makeParallelGzipCompressor(o, s);
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE((*c)->write(randomBytes(50000, 2)).ok());
  c->reset();
  SUCCEED();
}

RC_GTEST_PROP(ParallelDeflateProperty, RoundTrip, ()) {
  const auto mode = *rc::gen::inRange(0, 3);
  std::string data;
  if (mode == 0) data = *rc::gen::arbitrary<std::string>();
  else if (mode == 1) data = copyLikeText(*rc::gen::inRange<size_t>(0, 3000), *rc::gen::arbitrary<uint32_t>());
  else data = randomBytes(*rc::gen::inRange<size_t>(0, 200000), *rc::gen::arbitrary<uint32_t>());
  RC_CLASSIFY(data.size() > 65536, "input over 64 KiB");
  ParallelGzipOptions o;
  o.blockSize = *rc::gen::inRange<size_t>(1, 70000);
  o.threads = *rc::gen::inRange(1u, 5u);
  o.level = *rc::gen::inRange(-1, 10);
  o.maxInFlight = *rc::gen::inRange<size_t>(0, 6);
  if (data.size() / o.blockSize > 5000) o.blockSize = data.size() / 5000 + 1;
  const size_t slice = *rc::gen::inRange<size_t>(0, 9000);
  ChunkSink sink = compressParallel(data, o, slice);
  RC_ASSERT(!sink.chunks.empty());
  for (size_t i = 0; i + 1 < sink.chunks.size(); ++i) RC_ASSERT(sink.chunks[i].size() == 4096u);
  Inflated r = inflateChunks(sink.chunks);
  RC_ASSERT(r.ok);
  RC_ASSERT(r.plain == data);
}

}  // namespace
