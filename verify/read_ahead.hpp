#pragma once
// An input stream read ahead on a second thread: while the walker checks one
// block, the next ones are already being copied in from the file. The walker
// takes bytes as views into those blocks instead of copying them again.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "format/io.hpp"

namespace pgarc {

class ReadAheadInput final : public InputStream {
 public:
  static constexpr size_t kBlockSize = 256 * 1024;
  static constexpr size_t kBlocks = 8;

  // `inner` is read only by the read-ahead thread from here on, until this
  // object is destroyed.
  explicit ReadAheadInput(InputStream& inner, size_t blockSize = kBlockSize, size_t blocks = kBlocks);
  ~ReadAheadInput() override;
  ReadAheadInput(const ReadAheadInput&) = delete;
  ReadAheadInput& operator=(const ReadAheadInput&) = delete;

  Result<size_t> read(char* buf, size_t n) override;
  uint64_t position() const override { return position_; }
  bool seekable() const override { return false; }
  Status seek(uint64_t) override { return makeError("verify reads archives sequentially"); }
  std::optional<uint64_t> size() const override { return size_; }
  const std::string& name() const override { return name_; }

  // Up to `max` bytes as they lie in the read-ahead buffer (at least one
  // unless the input has ended). The view stays valid until the next call
  // on this stream.
  Result<std::string_view> readView(size_t max);
  // The next n bytes if they lie in one block, without consuming them;
  // nullopt otherwise (the caller falls back to read(), which also reports
  // any read error).
  std::optional<std::string_view> peek(size_t n) {
    if (!current_ || offset_ == current_->length) {
      auto more = fill();
      if (!more.ok() || !*more) return std::nullopt;
    }
    if (current_->length - offset_ >= n) return std::string_view(current_->bytes.data() + offset_, n);
    return std::nullopt;
  }
  // Exactly n bytes: a view into the block when it holds them all, else
  // copied into `spare`. Fails like readExact() when the input ends first.
  Result<std::string_view> readExactView(size_t n, std::string& spare) {
    if (auto v = peek(n)) {
      consume(n);
      return *v;
    }
    spare.resize(n);
    PGARC_TRY(readExact(spare.data(), n));
    return std::string_view(spare);
  }
  // Consumes n bytes that peek() returned.
  void consume(size_t n) {
    offset_ += n;
    position_ += n;
  }

 private:
  struct Block {
    std::vector<char> bytes;
    size_t length = 0;
  };
  // Makes current_ a block with unread bytes; false at the end of input.
  Result<bool> fill();
  void readLoop();

  InputStream& inner_;
  const std::string name_;
  const std::optional<uint64_t> size_;
  uint64_t position_;
  const size_t blockSize_;
  std::vector<std::unique_ptr<Block>> storage_;
  Block* current_ = nullptr;
  size_t offset_ = 0;
  bool ended_ = false;

  // Shared with the read-ahead thread.
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Block*> free_;
  std::deque<Block*> filled_;
  bool finished_ = false;     // the thread read its last block
  bool stopping_ = false;     // the consumer is going away
  std::optional<Error> error_;
  std::thread thread_;
};

}  // namespace pgarc
