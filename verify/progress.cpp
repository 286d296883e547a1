#include "verify/progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace pgarc {

ProgressBar::ProgressBar(uint64_t total, bool enabled)
    : total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()), lastDraw_(start_) {}

ProgressBar::~ProgressBar() { finish(); }

bool ProgressBar::stderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

void ProgressBar::update(uint64_t done) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - start_ < std::chrono::seconds(1)) return;
  if (drawn_ && now - lastDraw_ < std::chrono::milliseconds(200)) return;
  lastDraw_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  double mbps = secs > 0 ? static_cast<double>(done) / secs / 1e6 : 0;
  std::string line;
  if (total_ > 0) {
    int pct = static_cast<int>(std::min<uint64_t>(100, done * 100 / total_));
    int filled = pct * 30 / 100;
    line = "\rpgarc verify: [" + std::string(static_cast<size_t>(filled), '#') +
           std::string(static_cast<size_t>(30 - filled), ' ') + "] " + std::to_string(pct) + "% ";
  } else {
    line = "\rpgarc verify: ";
  }
  line += std::to_string(done / 1000000) + " MB, " + std::to_string(static_cast<int>(mbps)) + " MB/s ";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (!drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace pgarc
