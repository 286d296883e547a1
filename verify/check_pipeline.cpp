#include "verify/check_pipeline.hpp"

namespace pgarc {

CheckPipeline::CheckPipeline(PayloadChecker& checker, Report& report, uint64_t threadAfter)
    : checker_(checker), report_(report), threadAfter_(threadAfter) {}

CheckPipeline::~CheckPipeline() {
  if (!worker_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  worker_.join();
  report_.setBeforeAdd({});
}

void CheckPipeline::start() {
  checker_.setDeferred(true);
  report_.setBeforeAdd([this] { settle(); });
  worker_ = std::thread([this] { workLoop(); });
}

Status CheckPipeline::write(std::string_view data) {
  if (data.empty()) return {};
  if (!threaded()) {
    written_ += data.size();
    if (written_ <= threadAfter_) return checker_.write(data);
    start();
  }
  gathering_.append(data);
  if (gathering_.size() >= kPiece) {
    std::string next;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!emptied_.empty()) {
        next = std::move(emptied_.back());
        emptied_.pop_back();
      }
    }
    next.clear();
    std::swap(next, gathering_);
    hand(std::move(next));
  }
  return {};
}

void CheckPipeline::hand(std::string piece) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return queue_.size() < kQueued; });
  queue_.push_back(std::move(piece));
  lock.unlock();
  changed_.notify_all();
}

void CheckPipeline::settle() {
  if (!threaded()) return;
  if (!gathering_.empty()) {
    hand(std::move(gathering_));
    gathering_ = std::string();
  }
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return queue_.empty() && !busy_; });
  lock.unlock();
  checker_.addDeferred();
}

void CheckPipeline::workLoop() {
  for (;;) {
    std::string piece;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      piece = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
    }
    changed_.notify_all();
    (void)checker_.write(piece);  // never fails: problems are held as findings
    {
      std::lock_guard<std::mutex> lock(mutex_);
      busy_ = false;
      emptied_.push_back(std::move(piece));
    }
    changed_.notify_all();
  }
}

}  // namespace pgarc
