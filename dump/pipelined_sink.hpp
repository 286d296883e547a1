#pragma once
// Moves the downstream work of a table's data (hashing, checking, compressing,
// writing) off the thread that reads COPY rows from the server: rows are
// gathered into batches, and a consumer thread hands the batches on while the
// producer reads more. At most `queueDepth` full batches wait, so memory stays
// bounded whatever the table size. The thread starts with the first full
// batch; a table smaller than one batch is handed on by finish(), in place.
// Unless write boundaries are kept, COPY data can also be read straight into
// the batch being gathered (copyBuffer()).
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
  // `observer` (optional) sees each batch on the producer's thread, before the
  // batch is handed on: work that must see every byte (hashing) is done there
  // while the data is still in the producer's cache, not on a third thread.
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
  void consume();
  Status deliver(const Batch& batch);
  Status pushCurrent();
  Status consumerError();
  void stop(bool drop);

  ChunkSink& downstream_;
  ChunkSink* observer_;
  PipelineOptions options_;
  Batch current_;

  std::mutex mutex_;
  std::condition_variable queued_;    // a batch or the end is waiting for the consumer
  std::condition_variable released_;  // the consumer took a batch (room in the queue)
  std::deque<Batch> queue_;
  std::vector<Batch> spare_;  // emptied batches, reused to keep allocations flat
  bool ending_ = false;       // no more batches will come
  bool dropping_ = false;     // cancelled: discard what is queued
  std::optional<Error> error_;  // why the consumer failed
  std::atomic<bool> failed_{false};  // error_ is set; read by write() without the lock
  bool stopped_ = false;
  bool inPlace_ = false;  // the consumer thread could not be started
  std::thread consumer_;
};

}  // namespace pgarc::dump
