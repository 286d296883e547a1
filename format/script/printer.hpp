#pragma once
// Buffered text output for the script and list renderers. The first write
// error sticks and later writes are dropped, so printing code stays linear
// and the caller collects the error once at the end.
#include <string>
#include <string_view>

#include "format/io.hpp"
#include "format/result.hpp"

namespace pgarc::script {

class Printer {
 public:
  explicit Printer(OutputStream& out) : out_(out) {}
  Printer(const Printer&) = delete;
  Printer& operator=(const Printer&) = delete;

  void put(std::string_view text) {
    if (!status_.ok()) return;
    buffer_.append(text);
    if (buffer_.size() >= kFlushAt) flush();
  }
  void fail(Error error) {
    if (status_.ok()) status_ = Status(std::move(error));
  }
  bool ok() const { return status_.ok(); }
  Status finish() {
    flush();
    return status_;
  }

 private:
  static constexpr size_t kFlushAt = 1 << 16;
  void flush() {
    if (status_.ok() && !buffer_.empty()) status_ = out_.write(buffer_);
    buffer_.clear();
  }
  OutputStream& out_;
  std::string buffer_;
  Status status_;
};

}  // namespace pgarc::script
