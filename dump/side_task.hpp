#pragma once
// Runs one piece of work at a time on a second thread while the caller does
// another: start(work), the caller's own work, then wait(). Used to hash and
// check a large batch of table data while the same batch is compressed. The
// thread is started by the first start() and lives as long as the object.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "format/result.hpp"

namespace pgarc::dump {

class SideTask {
 public:
  SideTask() = default;
  ~SideTask();
  SideTask(const SideTask&) = delete;
  SideTask& operator=(const SideTask&) = delete;

  // `work` must stay valid until wait() returns; one start() per wait().
  void start(std::function<Status()> work);
  // Blocks until the work started last is done and returns its result.
  Status wait();

 private:
  void loop();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::function<Status()> work_;
  bool pending_ = false;  // work_ is set and not yet done
  bool quit_ = false;
  Status result_;
  std::thread thread_;
};

}  // namespace pgarc::dump
