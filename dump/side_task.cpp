#include "dump/side_task.hpp"

#include <system_error>
#include <utility>

namespace pgarc::dump {

SideTask::~SideTask() {
  {
    std::lock_guard<std::mutex> g(mutex_);
    quit_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SideTask::start(std::function<Status()> work) {
  {
    std::lock_guard<std::mutex> g(mutex_);
    if (!thread_.joinable()) {
      try {
        thread_ = std::thread([this] { loop(); });
      } catch (const std::system_error&) {
        // No thread to be had (resource limits): the work runs here, now.
        result_ = work();
        return;
      }
    }
    work_ = std::move(work);
    pending_ = true;
  }
  changed_.notify_all();
}

Status SideTask::wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return !pending_; });
  work_ = nullptr;
  return std::exchange(result_, Status{});
}

void SideTask::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return (pending_ && work_) || quit_; });
    if (pending_ && work_) {
      auto work = std::move(work_);
      lock.unlock();
      Status st = work();
      lock.lock();
      result_ = std::move(st);
      pending_ = false;
      changed_.notify_all();
      continue;
    }
    return;  // quit with nothing pending
  }
}

}  // namespace pgarc::dump
