// Parallel deflate into a single zlib stream; see codec_gzip_parallel.hpp.
#include "format/codec_gzip_parallel.hpp"

#include <zlib.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "format/adler32.hpp"

namespace pgarc {
namespace {

constexpr size_t kChunkSize = 4096;        // pg_dump's custom-format chunk size for zlib output
constexpr size_t kWindow = 32 * 1024;      // deflate's window: the useful dictionary size
constexpr size_t kMaxBlock = 64u << 20;    // keeps every zlib count within uInt
constexpr unsigned kMaxThreads = 256;

struct Block {
  std::string plain;
  std::string dictionary;   // tail of the previous block; empty for the first
  size_t plainLength = 0;
  bool last = false;
  // Filled by a worker:
  std::string deflated;
  uLong adler = 0;
  Status status;
  bool done = false;
};

// One worker's deflate state, reset for each block: deflateInit allocates
// and clears about 256 KiB, a reset reuses it.
class BlockDeflater {
 public:
  BlockDeflater() = default;
  BlockDeflater(const BlockDeflater&) = delete;
  BlockDeflater& operator=(const BlockDeflater&) = delete;
  ~BlockDeflater() {
    if (ready_) deflateEnd(&zs_);
  }

  // Raw deflate of one block, continuing the stream the previous blocks began.
  void run(Block& b, int level) {
    b.status = prepare(b, level);
    if (b.status.ok()) b.status = compress(b);
    if (!b.status.ok()) return;
    b.adler = adler32Update(1, b.plain);
    // The plain text is no longer needed; free it before the block waits for its turn.
    std::string().swap(b.plain);
  }

 private:
  Status prepare(const Block& b, int level) {
    int rc;
    if (!ready_) {
      // Negative window bits: raw deflate, the zlib header and trailer are written once for the whole stream.
      rc = deflateInit2(&zs_, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
      if (rc != Z_OK) return makeError("could not initialize zlib compression: error " + std::to_string(rc));
      ready_ = true;
    } else if ((rc = deflateReset(&zs_)) != Z_OK) {
      return makeError("could not reset zlib compression: error " + std::to_string(rc));
    }
    if (!b.dictionary.empty()) {
      rc = deflateSetDictionary(&zs_, reinterpret_cast<const Bytef*>(b.dictionary.data()),
                                static_cast<uInt>(b.dictionary.size()));
      if (rc != Z_OK) return makeError("could not set zlib dictionary: error " + std::to_string(rc));
    }
    return {};
  }

  Status compress(Block& b) {
    // deflateBound covers Z_FINISH; a sync flush adds at most 5 bytes plus a few for the pending bits.
    b.deflated.resize(deflateBound(&zs_, static_cast<uLong>(b.plain.size())) + 16);
    zs_.next_in = reinterpret_cast<Bytef*>(b.plain.data());
    zs_.avail_in = static_cast<uInt>(b.plain.size());
    zs_.next_out = reinterpret_cast<Bytef*>(b.deflated.data());
    zs_.avail_out = static_cast<uInt>(b.deflated.size());
    const int flush = b.last ? Z_FINISH : Z_SYNC_FLUSH;
    int rc;
    for (;;) {
      rc = deflate(&zs_, flush);
      if (rc == Z_STREAM_ERROR) break;
      if (b.last ? rc == Z_STREAM_END : (zs_.avail_in == 0 && zs_.avail_out != 0)) break;
      if (zs_.avail_out == 0) {  // bound was not enough (cannot happen with zlib's bound; stay safe)
        size_t used = b.deflated.size();
        b.deflated.resize(used * 2);
        zs_.next_out = reinterpret_cast<Bytef*>(b.deflated.data() + used);
        zs_.avail_out = static_cast<uInt>(b.deflated.size() - used);
        continue;
      }
      if (rc == Z_BUF_ERROR) break;
    }
    const bool ok = b.last ? rc == Z_STREAM_END : (rc == Z_OK || rc == Z_BUF_ERROR) && zs_.avail_in == 0;
    b.deflated.resize(b.deflated.size() - zs_.avail_out);
    if (!ok) return makeError("could not compress data: zlib error " + std::to_string(rc));
    return {};
  }

  z_stream zs_{};
  bool ready_ = false;
};

// The zlib header deflateInit would write: CMF 0x78 (deflate, 32 KiB window),
// FLG with zlib's level class and the check bits, no preset dictionary.
std::string zlibHeader(int level) {
  const int effective = level < 0 ? 6 : level;
  const unsigned levelClass = effective < 2 ? 0 : effective < 6 ? 1 : effective == 6 ? 2 : 3;
  unsigned header = (0x78u << 8) | (levelClass << 6);
  header += 31 - header % 31;
  return {static_cast<char>(header >> 8), static_cast<char>(header & 0xff)};
}

class ParallelGzipCompressor : public Compressor {
 public:
  ParallelGzipCompressor(const ParallelGzipOptions& o, ByteSink& out)
      : level_(o.level), blockSize_(o.blockSize), maxInFlight_(o.maxInFlight), out_(out) {
    pending_.reserve(kChunkSize);
  }

  ~ParallelGzipCompressor() override { stopWorkers(); }

  Status start(unsigned threads) {
    if (maxInFlight_ == 0) maxInFlight_ = 2 * size_t{threads} + 2;
    try {
      for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { workerLoop(); });
    } catch (const std::system_error& e) {
      stopWorkers();
      return makeError(std::string("could not start compression threads: ") + e.what());
    }
    pending_ = zlibHeader(level_);
    current_ = std::make_shared<Block>();
    current_->plain.reserve(blockSize_);
    return {};
  }

  Status write(std::string_view plain) override {
    if (finished_) return makeError("zlib: write after finish");
    while (!plain.empty()) {
      size_t n = std::min(plain.size(), blockSize_ - current_->plain.size());
      current_->plain.append(plain.substr(0, n));
      plain.remove_prefix(n);
      if (current_->plain.size() == blockSize_) PGARC_TRY(submitCurrent(false));
    }
    return {};
  }

  Status finish() override {
    if (finished_) return makeError("zlib: finish called twice");
    finished_ = true;
    PGARC_TRY(submitCurrent(true));
    while (!order_.empty()) PGARC_TRY(emitOldest());
    const unsigned long a = adler_;
    const char trailer[4] = {static_cast<char>(a >> 24), static_cast<char>(a >> 16), static_cast<char>(a >> 8),
                             static_cast<char>(a)};
    PGARC_TRY(emit(std::string_view(trailer, 4)));
    if (!pending_.empty()) PGARC_TRY(out_.write(pending_));
    pending_.clear();
    return {};
  }

 private:
  void workerLoop() {
    BlockDeflater deflater;
    for (;;) {
      std::shared_ptr<Block> b;
      {
        std::unique_lock lock(mu_);
        workCv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        b = std::move(queue_.front());
        queue_.pop_front();
      }
      deflater.run(*b, level_);
      {
        std::lock_guard lock(mu_);
        b->done = true;
      }
      doneCv_.notify_all();
    }
  }

  void stopWorkers() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      queue_.clear();
    }
    workCv_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  Status submitCurrent(bool last) {
    // Bounded memory: wait for the oldest block before queueing another.
    while (order_.size() >= maxInFlight_) PGARC_TRY(emitOldest());
    auto b = std::move(current_);
    b->last = last;
    b->plainLength = b->plain.size();
    b->dictionary = std::move(nextDictionary_);
    if (!last) {
      const size_t keep = std::min(b->plain.size(), kWindow);
      nextDictionary_.assign(b->plain, b->plain.size() - keep, keep);
      current_ = std::make_shared<Block>();
      current_->plain.reserve(blockSize_);
    }
    order_.push_back(b);
    {
      std::lock_guard lock(mu_);
      queue_.push_back(std::move(b));
    }
    workCv_.notify_one();
    return {};
  }

  // Waits for the oldest block and appends its output to the stream, in order.
  Status emitOldest() {
    std::shared_ptr<Block> b = std::move(order_.front());
    order_.pop_front();
    {
      std::unique_lock lock(mu_);
      doneCv_.wait(lock, [&] { return b->done; });
    }
    if (!b->status.ok()) return b->status;
    adler_ = first_ ? b->adler : adler32_combine(adler_, b->adler, static_cast<z_off_t>(b->plainLength));
    first_ = false;
    return emit(b->deflated);
  }

  Status emit(std::string_view data) {
    while (!data.empty()) {
      size_t n = std::min(data.size(), kChunkSize - pending_.size());
      pending_.append(data.substr(0, n));
      data.remove_prefix(n);
      if (pending_.size() == kChunkSize) {
        PGARC_TRY(out_.write(pending_));
        pending_.clear();
      }
    }
    return {};
  }

  const int level_;
  const size_t blockSize_;
  size_t maxInFlight_;
  ByteSink& out_;

  std::shared_ptr<Block> current_;
  std::string nextDictionary_;
  std::deque<std::shared_ptr<Block>> order_;   // submitted, not yet emitted, oldest first
  std::string pending_;                        // output not yet handed to the sink (< 4096 bytes)
  uLong adler_ = 1;
  bool first_ = true;
  bool finished_ = false;

  std::mutex mu_;
  std::condition_variable workCv_;
  std::condition_variable doneCv_;
  std::deque<std::shared_ptr<Block>> queue_;   // waiting for a worker
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace

Result<std::unique_ptr<Compressor>> makeParallelGzipCompressor(const ParallelGzipOptions& options, ByteSink& out) {
  if (options.level < -1 || options.level > 9)
    return makeError("gzip: expected compression level -1..9, found " + std::to_string(options.level));
  if (options.blockSize == 0 || options.blockSize > kMaxBlock)
    return makeError("gzip: expected block size 1.." + std::to_string(kMaxBlock) + ", found " +
                     std::to_string(options.blockSize));
  unsigned threads = options.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : options.threads;
  if (threads > kMaxThreads)
    return makeError("gzip: expected at most " + std::to_string(kMaxThreads) + " threads, found " + std::to_string(threads));
  auto c = std::make_unique<ParallelGzipCompressor>(options, out);
  PGARC_TRY(c->start(threads));
  return std::unique_ptr<Compressor>(std::move(c));
}

}  // namespace pgarc
