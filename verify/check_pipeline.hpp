#pragma once
// Runs the payload checks of one stream on a second thread while the walker
// goes on reading and decompressing. Short streams never leave the walker's
// thread; past a threshold, decompressed bytes are gathered into pieces and
// handed over through a short queue. Problems the checks find are held back
// and added to the report on the walker's thread, before any problem the
// walker adds after them, so the report reads as if nothing ran in parallel.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "format/codec.hpp"
#include "verify/payload_checker.hpp"
#include "verify/report.hpp"

namespace pgarc {

class CheckPipeline : public ByteSink {
 public:
  static constexpr uint64_t kThreadAfter = 1 << 20;  // payload bytes checked in line first
  static constexpr size_t kPiece = 256 * 1024;
  static constexpr size_t kQueued = 4;

  CheckPipeline(PayloadChecker& checker, Report& report, uint64_t threadAfter = kThreadAfter);
  ~CheckPipeline() override;
  CheckPipeline(const CheckPipeline&) = delete;
  CheckPipeline& operator=(const CheckPipeline&) = delete;

  Status write(std::string_view data) override;
  // Waits until everything written so far has been checked and adds the
  // problems found to the report. The checker may be finished after this.
  void settle();
  bool threaded() const { return worker_.joinable(); }

 private:
  void start();
  void hand(std::string piece);
  void workLoop();

  PayloadChecker& checker_;
  Report& report_;
  const uint64_t threadAfter_;
  uint64_t written_ = 0;
  std::string gathering_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> queue_;
  std::vector<std::string> emptied_;  // pieces to refill, keeping their capacity
  bool busy_ = false;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace pgarc
