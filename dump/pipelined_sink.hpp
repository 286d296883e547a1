#pragma once
// Moves the downstream work of a table's data (compressing, writing; and,
// for an observer, hashing and checking) off the thread that reads COPY rows
// from the server: rows are gathered into batches, and a consumer thread
// hands the batches on while the producer reads more. An observer gets the
// same batches on a thread of its own, so hashing neither waits for nor holds
// up compressing. A batch is reused once both are done with it, and at most
// `queueDepth` + 1 are held, so memory stays bounded whatever the table size.
// The threads start with the first full batch; a table smaller than one
// batch is handed on by finish(), in place. Unless write boundaries are kept,
// COPY data can also be read straight into the batch being gathered
// (copyBuffer()).
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "dump/object_kind.hpp"

namespace pgarc::dump {

struct PipelineOptions {
  size_t batchBytes = 128 * 1024;
  size_t queueDepth = 3;
  // Pass every write() on as a write of its own (in order) instead of one per
  // batch: an uncompressed custom-format archive stores one chunk per write,
  // as pg_dump does; a zlib stream or a file does not depend on the split.
  bool keepWriteBoundaries = false;
};

class PipelinedSink : public ChunkSink, private CopyBuffer {
 public:
  // `observer` (optional) sees all bytes too, in batches, in order, on its
  // own thread (or the producer's, when no second thread can be had).
  PipelinedSink(ChunkSink& downstream, PipelineOptions options, ChunkSink* observer = nullptr);
  // Cancels when neither finish() nor cancel() was called.
  ~PipelinedSink() override;
  PipelinedSink(const PipelinedSink&) = delete;
  PipelinedSink& operator=(const PipelinedSink&) = delete;

  // Producer side. Fails once the consumer has failed (with its error).
  Status write(std::string_view bytes) override;
  CopyBuffer* copyBuffer() override;
  // Hands on what is left, waits for the consumer; the first error of either side.
  Status finish();
  // The producer failed: batches not yet handed on are dropped, the consumer
  // stops and is waited for. Nothing more reaches downstream.
  void cancel();

 private:
  // Bytes without the zero-filling of std::string's resize: the room at the
  // end is filled by the reader in place.
  class Bytes {
   public:
    std::string_view view() const { return {data_.get(), size_}; }
    size_t size() const { return size_; }
    size_t capacity() const { return capacity_; }
    bool empty() const { return size_ == 0; }
    void clear() { size_ = 0; }
    void reserve(size_t n);  // keeps the contents
    void append(std::string_view s);
    std::span<char> room() { return {data_.get() + size_, capacity_ - size_}; }
    void grow(size_t n) { size_ += n; }

   private:
    std::unique_ptr<char[]> data_;
    size_t size_ = 0;
    size_t capacity_ = 0;
  };
  struct Batch {
    Bytes bytes;
    std::vector<size_t> ends;  // write boundaries, with keepWriteBoundaries
  };
  std::span<char> room() override;
  Status commit(size_t n) override;
  Status handOn();  // the current batch is full
  void startThreads();
  // The consumers: 0 hands batches downstream, 1 to the observer.
  void consume(int consumer);
  Status deliver(const Batch& batch);
  Status pushCurrent();
  Status consumerError();
  void stop(bool drop);
  size_t consumersOnThreads() const { return observer_ && !observerInPlace_ ? 2 : 1; }

  ChunkSink& downstream_;
  ChunkSink* observer_;
  PipelineOptions options_;
  Batch current_;

  std::mutex mutex_;
  std::condition_variable queued_;    // a batch or the end is waiting for the consumers
  std::condition_variable released_;  // a batch was freed (room in the queue)
  // Batches pushed and not yet done with by every consumer; the front one
  // has number base_. A consumer works on its batch outside the lock: the
  // batch stays in the deque (whose elements do not move) until all are done.
  std::deque<Batch> queue_;
  uint64_t base_ = 0;
  uint64_t next_[2] = {0, 0};  // per consumer, the number of its next batch
  std::vector<Batch> spare_;  // emptied batches, reused to keep allocations flat
  bool ending_ = false;       // no more batches will come
  bool dropping_ = false;     // cancelled: discard what is queued
  std::optional<Error> error_;  // why a consumer failed
  std::atomic<bool> failed_{false};  // error_ is set; read by write() without the lock
  bool stopped_ = false;
  bool started_ = false;           // startThreads() ran
  bool inPlace_ = false;           // no consumer thread could be started
  bool observerInPlace_ = false;   // the observer's thread could not be started
  std::thread consumer_;
  std::thread observerThread_;
};

}  // namespace pgarc::dump
