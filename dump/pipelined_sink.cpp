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

void PipelinedSink::startThreads() {
  started_ = true;
  try {
    consumer_ = std::thread([this] { consume(0); });
  } catch (const std::system_error&) {
    inPlace_ = true;  // no thread to be had (resource limits): everything in place
    return;
  }
  if (!observer_) return;
  try {
    observerThread_ = std::thread([this] { consume(1); });
  } catch (const std::system_error&) {
    observerInPlace_ = true;  // the observer then runs on the producer's thread
  }
}

Status PipelinedSink::handOn() {
  // Started with the first full batch: a small table never costs a thread.
  if (!started_) startThreads();
  if (observer_ && (inPlace_ || observerInPlace_)) PGARC_TRY(observer_->write(current_.bytes.view()));
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
    released_.wait(lock, [&] { return queue_.size() <= options_.queueDepth || failed_.load(); });
    if (failed_.load()) return *error_;
    queue_.push_back(std::move(current_));
    if (!spare_.empty()) {
      next = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  queued_.notify_all();
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

void PipelinedSink::consume(int consumer) {
  uint64_t& next = next_[consumer];
  for (;;) {
    const Batch* batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      queued_.wait(lock, [&] { return next < base_ + queue_.size() || ending_ || dropping_ || failed_.load(); });
      if (dropping_ || failed_.load() || next >= base_ + queue_.size()) return;
      batch = &queue_[static_cast<size_t>(next - base_)];
    }
    Status st = consumer == 0 ? deliver(*batch) : observer_->write(batch->bytes.view());
    {
      std::lock_guard<std::mutex> g(mutex_);
      if (!st.ok()) {
        // The other consumer stops after its current batch; the queue is
        // cleared once both threads are joined.
        if (!failed_.load()) {
          error_ = std::move(st).error();
          failed_.store(true, std::memory_order_release);
        }
        released_.notify_all();
        queued_.notify_all();
        return;
      }
      next++;
      uint64_t done = consumersOnThreads() == 2 ? std::min(next_[0], next_[1]) : next_[0];
      while (base_ < done) {
        // A batch grown by a huge row is not kept: memory returns to the batch size.
        if (queue_.front().bytes.capacity() <= 2 * options_.batchBytes) spare_.push_back(std::move(queue_.front()));
        queue_.pop_front();
        base_++;
      }
    }
    released_.notify_one();
  }
}

void PipelinedSink::stop(bool drop) {
  if (stopped_) return;
  stopped_ = true;
  {
    std::lock_guard<std::mutex> g(mutex_);
    ending_ = true;
    if (drop) dropping_ = true;
  }
  queued_.notify_all();
  if (consumer_.joinable()) consumer_.join();
  if (observerThread_.joinable()) observerThread_.join();
  queue_.clear();
}

Status PipelinedSink::finish() {
  if (stopped_) return makeError("data pipeline finished twice");
  if (!started_ || inPlace_) {
    // No thread was started (all fit in one batch, or none could be had): the rest goes on here.
    stopped_ = true;
    if (current_.bytes.empty()) return {};
    if (observer_) PGARC_TRY(observer_->write(current_.bytes.view()));
    return deliver(current_);
  }
  if (!failed_.load() && !current_.bytes.empty()) {
    Status st = observerInPlace_ && observer_ ? observer_->write(current_.bytes.view()) : Status{};
    if (st.ok()) st = pushCurrent();
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
