#include "dump/pipelined_sink.hpp"

#include <algorithm>
#include <cstring>
#include <system_error>
#include <utility>

namespace pgarc::dump {

void PipelinedSink::Bytes::reserve(size_t n) {
  if (n <= capacity_) return;
  auto bigger = std::make_unique_for_overwrite<char[]>(n);
  if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
  data_ = std::move(bigger);
  capacity_ = n;
}

void PipelinedSink::Bytes::append(std::string_view s) {
  if (s.size() > capacity_ - size_) reserve(std::max(2 * capacity_, size_ + s.size()));
  std::memcpy(data_.get() + size_, s.data(), s.size());
  size_ += s.size();
}

PipelinedSink::PipelinedSink(ChunkSink& downstream, PipelineOptions options, ChunkSink* observer)
    : downstream_(downstream), observer_(observer), options_(options) {
  if (options_.queueDepth == 0) options_.queueDepth = 1;
  if (options_.batchBytes == 0) options_.batchBytes = 1;
  current_.bytes.reserve(options_.batchBytes);
}

CopyBuffer* PipelinedSink::copyBuffer() { return options_.keepWriteBoundaries ? nullptr : this; }

// A batch below batchBytes always has room: its capacity is at least that.
std::span<char> PipelinedSink::room() { return current_.bytes.room(); }

Status PipelinedSink::commit(size_t n) {
  if (failed_.load(std::memory_order_acquire)) return consumerError();
  if (stopped_) return makeError("write to a finished data pipeline");
  current_.bytes.grow(n);
  if (current_.bytes.size() < options_.batchBytes) return {};
  return handOn();
}

PipelinedSink::~PipelinedSink() { stop(true); }

Status PipelinedSink::consumerError() {
  std::lock_guard<std::mutex> g(mutex_);
  return *error_;
}

Status PipelinedSink::write(std::string_view bytes) {
  if (failed_.load(std::memory_order_acquire)) return consumerError();
  if (stopped_) return makeError("write to a finished data pipeline");
  if (bytes.empty()) return {};
  current_.bytes.append(bytes);
  if (options_.keepWriteBoundaries) current_.ends.push_back(current_.bytes.size());
  if (current_.bytes.size() < options_.batchBytes) return {};
  return handOn();
}

Status PipelinedSink::handOn() {
  if (observer_) PGARC_TRY(observer_->write(current_.bytes.view()));
  if (inPlace_) {
    Status st = deliver(current_);
    current_.bytes.clear();
    current_.ends.clear();
    return st;
  }
  return pushCurrent();
}

Status PipelinedSink::pushCurrent() {
  Batch next;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    released_.wait(lock, [&] { return queue_.size() < options_.queueDepth || failed_.load(); });
    if (failed_.load()) return *error_;
    // Started with the first full batch: a small table never costs a thread.
    if (!consumer_.joinable()) {
      try {
        consumer_ = std::thread([this] { consume(); });
      } catch (const std::system_error&) {
        // No thread to be had (resource limits): hand the batches on in place.
        inPlace_ = true;
        lock.unlock();
        Status st = deliver(current_);
        current_.bytes.clear();
        current_.ends.clear();
        return st;
      }
    }
    queue_.push_back(std::move(current_));
    if (!spare_.empty()) {
      next = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  queued_.notify_one();
  next.bytes.clear();
  next.ends.clear();
  if (next.bytes.capacity() < options_.batchBytes) next.bytes.reserve(options_.batchBytes);
  current_ = std::move(next);
  return {};
}

Status PipelinedSink::deliver(const Batch& batch) {
  if (!options_.keepWriteBoundaries) return downstream_.write(batch.bytes.view());
  size_t from = 0;
  for (size_t end : batch.ends) {
    PGARC_TRY(downstream_.write(batch.bytes.view().substr(from, end - from)));
    from = end;
  }
  return {};
}

void PipelinedSink::consume() {
  for (;;) {
    Batch batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      queued_.wait(lock, [&] { return !queue_.empty() || ending_ || dropping_; });
      if (dropping_ || queue_.empty()) return;
      batch = std::move(queue_.front());
      queue_.pop_front();
    }
    released_.notify_one();
    Status st = deliver(batch);
    std::lock_guard<std::mutex> g(mutex_);
    if (!st.ok()) {
      error_ = std::move(st).error();
      failed_.store(true, std::memory_order_release);
      queue_.clear();
      released_.notify_all();
      return;
    }
    // A batch grown by a huge row is not kept: memory returns to the batch size.
    if (batch.bytes.capacity() <= 2 * options_.batchBytes) spare_.push_back(std::move(batch));
  }
}

void PipelinedSink::stop(bool drop) {
  if (stopped_) return;
  stopped_ = true;
  {
    std::lock_guard<std::mutex> g(mutex_);
    ending_ = true;
    if (drop) {
      dropping_ = true;
      queue_.clear();
    }
  }
  queued_.notify_all();
  if (consumer_.joinable()) consumer_.join();
}

Status PipelinedSink::finish() {
  if (stopped_) return makeError("data pipeline finished twice");
  if (observer_ && !failed_.load() && !current_.bytes.empty()) {
    Status st = observer_->write(current_.bytes.view());
    if (!st.ok()) {
      stop(true);
      return st;
    }
  }
  if (!consumer_.joinable()) {
    // No thread was started (all fit in one batch, or none could be had): the rest goes on here.
    stopped_ = true;
    return current_.bytes.empty() ? Status{} : deliver(current_);
  }
  if (!failed_.load() && !current_.bytes.empty()) {
    Status st = pushCurrent();
    if (!st.ok()) {
      stop(true);
      return st;
    }
  }
  stop(false);
  if (failed_.load()) return *error_;
  return {};
}

void PipelinedSink::cancel() { stop(true); }

}  // namespace pgarc::dump
