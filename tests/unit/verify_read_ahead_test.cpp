// The read-ahead input verify walks single-file archives through: the same
// bytes at the same positions as the stream below it, views that straddle no
// block, and a read error delivered where it happened.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "verify/read_ahead.hpp"

using namespace pgarc;

namespace {

// Returns `data`, then fails every read once `failAt` bytes were delivered.
class FailingInput : public InputStream {
 public:
  FailingInput(std::string data, size_t failAt) : data_(std::move(data)), failAt_(failAt) {}
  Result<size_t> read(char* buf, size_t n) override {
    if (pos_ >= failAt_) return Error{"disk on fire", name_, pos_, {}};
    size_t take = std::min({n, data_.size() - pos_, failAt_ - pos_, size_t{1000}});
    std::memcpy(buf, data_.data() + pos_, take);
    pos_ += take;
    return take;
  }
  uint64_t position() const override { return pos_; }
  bool seekable() const override { return false; }
  Status seek(uint64_t) override { return makeError("no"); }
  std::optional<uint64_t> size() const override { return std::nullopt; }
  const std::string& name() const override { return name_; }

 private:
  std::string data_;
  size_t failAt_;
  size_t pos_ = 0;
  std::string name_ = "failing";
};

}  // namespace

TEST(VerifyReadAhead, SameBytesWhateverTheReadSizes) {
  EXPECT_TRUE(rc::check("reads, views and peeks return the stream in order", [] {
    const std::string data = *rc::gen::container<std::string>(rc::gen::arbitrary<char>());
    const size_t blockSize = *rc::gen::inRange<size_t>(1, 300);
    const auto steps = *rc::gen::container<std::vector<std::pair<int, size_t>>>(
        rc::gen::pair(rc::gen::inRange(0, 3), rc::gen::inRange<size_t>(1, 700)));
    auto inner = openInputMemory(data);
    ReadAheadInput in(*inner, blockSize, 3);
    std::string got, spare;
    for (const auto& [kind, n] : steps) {
      RC_ASSERT(in.position() == got.size());
      if (kind == 0) {
        auto v = in.readView(n);
        RC_ASSERT(v.ok());
        RC_ASSERT(v->size() <= std::min(n, blockSize));
        got.append(*v);
      } else if (kind == 1) {
        const bool enough = data.size() - got.size() >= n;
        auto v = in.readExactView(n, spare);
        RC_ASSERT(v.ok() == enough);
        if (!enough) return;
        got.append(*v);
      } else if (auto v = in.peek(n)) {
        RC_ASSERT(std::string(*v) == data.substr(got.size(), n));
        in.consume(n);
        got.append(*v);
      }
    }
    for (;;) {
      auto v = in.readView(SIZE_MAX);
      RC_ASSERT(v.ok());
      if (v->empty()) break;
      got.append(*v);
    }
    RC_ASSERT(got == data);
  }));
}

TEST(VerifyReadAhead, ReadErrorArrivesAfterTheBytesBeforeIt) {
  FailingInput inner(std::string(5000, 'x'), 3500);
  ReadAheadInput in(inner, 1024, 2);
  std::string buf(4000, '\0');
  size_t got = 0;
  for (;;) {
    auto r = in.read(buf.data() + got, buf.size() - got);
    if (!r.ok()) {
      EXPECT_EQ(r.error().message, "disk on fire");
      break;
    }
    ASSERT_GT(*r, 0u);
    got += *r;
  }
  EXPECT_EQ(got, 3500u);
  EXPECT_EQ(in.position(), 3500u);
  EXPECT_FALSE(in.read(buf.data(), 1).ok());  // the error stays
}

TEST(VerifyReadAhead, StopsCleanlyBeforeTheEnd) {
  // Destroying it mid-stream must not hang on a read-ahead thread waiting for room.
  auto inner = openInputMemory(std::string(1 << 20, 'y'));
  {
    ReadAheadInput in(*inner, 4096, 2);
    char c;
    ASSERT_TRUE(in.readExact(&c, 1).ok());
    EXPECT_EQ(in.position(), 1u);
  }
}
