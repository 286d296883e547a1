#pragma once
// A progress bar on stderr, drawn only when stderr is a terminal and the run
// has taken more than a second.
#include <chrono>
#include <cstdint>

namespace pgarc {

class ProgressBar {
 public:
  // total: expected archive bytes (0 if unknown). enabled=false draws nothing.
  ProgressBar(uint64_t total, bool enabled);
  ~ProgressBar();
  void update(uint64_t done);
  void finish();  // erases the bar

  static bool stderrIsTerminal();

 private:
  uint64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point lastDraw_;
};

}  // namespace pgarc
