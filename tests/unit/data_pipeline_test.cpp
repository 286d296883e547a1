// Unit tests of the dump's data path threads: the pipelined sink between the
// COPY reader and the archive writer, and the side task that hashes a batch
// while it is compressed.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <span>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dump/pipelined_sink.hpp"
#include "dump/side_task.hpp"

using namespace pgarc;
using namespace pgarc::dump;

namespace {

// Records every write it receives; fails the write numbered `failAt` (0-based).
class RecordingSink : public ChunkSink {
 public:
  Status write(std::string_view bytes) override {
    std::lock_guard<std::mutex> g(mutex);
    if (writes.size() == failAt) return makeError("disk full (test)");
    writes.emplace_back(bytes);
    return {};
  }
  std::string joined() {
    std::lock_guard<std::mutex> g(mutex);
    std::string all;
    for (const auto& w : writes) all += w;
    return all;
  }
  std::mutex mutex;
  std::vector<std::string> writes;
  size_t failAt = SIZE_MAX;
};

// Blocks the first write until open() is called.
class GatedSink : public RecordingSink {
 public:
  Status write(std::string_view bytes) override {
    {
      std::unique_lock<std::mutex> lock(gateMutex);
      entered = true;
      gateChanged.notify_all();
      gateChanged.wait(lock, [&] { return opened; });
    }
    return RecordingSink::write(bytes);
  }
  void waitEntered() {
    std::unique_lock<std::mutex> lock(gateMutex);
    gateChanged.wait(lock, [&] { return entered; });
  }
  void open() {
    std::lock_guard<std::mutex> g(gateMutex);
    opened = true;
    gateChanged.notify_all();
  }
  std::mutex gateMutex;
  std::condition_variable gateChanged;
  bool entered = false, opened = false;
};

std::string row(size_t i, size_t len) {
  std::string r(len, static_cast<char>('a' + i % 26));
  r.back() = '\n';
  return r;
}

}  // namespace

RC_GTEST_PROP(PipelinedSinkProperty, DeliversTheBytesInOrder, (std::vector<std::string> writes)) {
  const bool keep = *rc::gen::arbitrary<bool>();
  PipelineOptions o;
  o.batchBytes = *rc::gen::inRange<size_t>(1, 64);
  o.queueDepth = *rc::gen::inRange<size_t>(1, 4);
  o.keepWriteBoundaries = keep;
  RecordingSink down;
  std::string all;
  std::vector<std::string> nonEmpty;
  {
    PipelinedSink pipe(down, o);
    for (const auto& w : writes) {
      RC_ASSERT(pipe.write(w).ok());
      all += w;
      if (!w.empty()) nonEmpty.push_back(w);
    }
    RC_ASSERT(pipe.finish().ok());
  }
  RC_ASSERT(down.joined() == all);
  if (keep) RC_ASSERT(down.writes == nonEmpty);
  for (const auto& w : down.writes) RC_ASSERT(!w.empty());
}

// Reads `data` into the sink's copy buffer in pieces of at most `piece`
// bytes, as the COPY reader does (a piece never exceeds the room offered).
Status fillCopyBuffer(CopyBuffer& buffer, std::string_view data, size_t piece) {
  while (!data.empty()) {
    std::span<char> room = buffer.room();
    if (room.empty()) return makeError("no room offered");
    size_t n = std::min({room.size(), data.size(), piece});
    std::memcpy(room.data(), data.data(), n);
    PGARC_TRY(buffer.commit(n));
    data.remove_prefix(n);
  }
  return {};
}

RC_GTEST_PROP(PipelinedSinkProperty, CopyBufferAndObserverSeeTheBytesInOrder, (std::vector<std::string> writes)) {
  PipelineOptions o;
  o.batchBytes = *rc::gen::inRange<size_t>(1, 64);
  o.queueDepth = *rc::gen::inRange<size_t>(1, 4);
  const size_t piece = *rc::gen::inRange<size_t>(1, 100);
  RecordingSink down, observer;
  std::string all;
  {
    PipelinedSink pipe(down, o, &observer);
    CopyBuffer* buffer = pipe.copyBuffer();
    RC_ASSERT(buffer != nullptr);
    // Writes and reads into the buffer mixed, as a table's rows and its end marker.
    for (size_t i = 0; i < writes.size(); i++) {
      RC_ASSERT((i % 2 == 0 ? fillCopyBuffer(*buffer, writes[i], piece) : pipe.write(writes[i])).ok());
      all += writes[i];
    }
    RC_ASSERT(pipe.finish().ok());
  }
  RC_ASSERT(down.joined() == all);
  RC_ASSERT(observer.joined() == all);
  for (const auto& w : down.writes) RC_ASSERT(!w.empty());
}

TEST(PipelinedSink, KeptWriteBoundariesOfferNoCopyBuffer) {
  RecordingSink down;
  PipelineOptions o;
  o.keepWriteBoundaries = true;
  PipelinedSink pipe(down, o);
  EXPECT_EQ(pipe.copyBuffer(), nullptr);
  ASSERT_TRUE(pipe.finish().ok());
}

TEST(PipelinedSink, ObserverRunsOnTheProducersThreadBeforeTheBatchIsHandedOn) {
  // Records the thread of each write and how much downstream had by then.
  class ThreadRecorder : public ChunkSink {
   public:
    explicit ThreadRecorder(RecordingSink& down) : down_(down) {}
    Status write(std::string_view bytes) override {
      threads.push_back(std::this_thread::get_id());
      seen += bytes.size();
      downstreamHad.push_back(down_.joined().size());
      return {};
    }
    std::vector<std::thread::id> threads;
    std::vector<size_t> downstreamHad;
    size_t seen = 0;

   private:
    RecordingSink& down_;
  };
  RecordingSink down;
  ThreadRecorder observer(down);
  PipelineOptions o;
  o.batchBytes = 100;
  o.queueDepth = 1;
  {
    PipelinedSink pipe(down, o, &observer);
    for (size_t i = 0; i < 50; i++) ASSERT_TRUE(pipe.write(row(i, 30)).ok());
    ASSERT_TRUE(pipe.finish().ok());
  }
  EXPECT_EQ(observer.seen, 1500u);
  ASSERT_FALSE(observer.threads.empty());
  for (auto id : observer.threads) EXPECT_EQ(id, std::this_thread::get_id());
  // Batches of four rows (120 bytes), then the 60 bytes left: the k-th is
  // observed before downstream has more than the k batches before it (it may
  // have fewer: they can still be queued).
  ASSERT_EQ(observer.downstreamHad.size(), 13u);
  for (size_t k = 0; k < observer.downstreamHad.size(); k++) EXPECT_LE(observer.downstreamHad[k], k * 120) << k;
  EXPECT_EQ(down.joined().size(), 1500u);
}

TEST(PipelinedSink, ObserverErrorStopsThePipeline) {
  class FailingObserver : public ChunkSink {
   public:
    Status write(std::string_view) override { return makeError("observer failed (test)"); }
  };
  RecordingSink down;
  FailingObserver observer;
  PipelineOptions o;
  o.batchBytes = 10;
  PipelinedSink pipe(down, o, &observer);
  Status st = pipe.write("0123456789abc");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "observer failed (test)");
  pipe.cancel();
  EXPECT_TRUE(down.writes.empty());  // the batch the observer refused is not handed on
}

TEST(PipelinedSink, BatchesRowsIntoLargeWrites) {
  RecordingSink down;
  PipelineOptions o;
  o.batchBytes = 1000;
  PipelinedSink pipe(down, o);
  for (size_t i = 0; i < 1000; i++) ASSERT_TRUE(pipe.write(row(i, 100)).ok());
  ASSERT_TRUE(pipe.finish().ok());
  // 100,000 bytes in batches of 1,000: 100 writes instead of 1,000.
  EXPECT_EQ(down.writes.size(), 100u);
  EXPECT_EQ(down.joined().size(), 100000u);
}

TEST(PipelinedSink, SmallDataIsWrittenByFinishWithoutAThread) {
  RecordingSink down;
  PipelinedSink pipe(down, PipelineOptions{});
  ASSERT_TRUE(pipe.write("1\tone\n").ok());
  ASSERT_TRUE(pipe.write("\\.\n\n\n").ok());
  EXPECT_TRUE(down.writes.empty());  // held until finish
  ASSERT_TRUE(pipe.finish().ok());
  ASSERT_EQ(down.writes.size(), 1u);
  EXPECT_EQ(down.writes[0], "1\tone\n\\.\n\n\n");
  EXPECT_FALSE(pipe.write("more").ok());
  EXPECT_FALSE(pipe.finish().ok());
}

TEST(PipelinedSink, ConsumerErrorReachesTheProducer) {
  RecordingSink down;
  down.failAt = 2;
  PipelineOptions o;
  o.batchBytes = 10;
  o.queueDepth = 1;
  PipelinedSink pipe(down, o);
  Status first;
  for (size_t i = 0; i < 10000 && first.ok(); i++) first = pipe.write(row(i, 10));
  // The producer learns of the failure while it is still writing: at the
  // latest when the bounded queue is full.
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().message, "disk full (test)");
  Status fin = pipe.finish();
  ASSERT_FALSE(fin.ok());
  EXPECT_EQ(fin.error().message, "disk full (test)");
  EXPECT_EQ(down.writes.size(), 2u);  // nothing after the failed write
}

TEST(PipelinedSink, ConsumerErrorOnTheLastBatchComesFromFinish) {
  RecordingSink down;
  down.failAt = 0;
  PipelineOptions o;
  o.batchBytes = 10;
  PipelinedSink pipe(down, o);
  ASSERT_TRUE(pipe.write("0123456789abc").ok());  // one full batch: starts the consumer
  Status fin = pipe.finish();
  ASSERT_FALSE(fin.ok());
  EXPECT_EQ(fin.error().message, "disk full (test)");
  EXPECT_TRUE(down.writes.empty());
}

TEST(PipelinedSink, CancelDropsWhatWasNotHandedOn) {
  GatedSink down;
  PipelineOptions o;
  o.batchBytes = 100;
  o.queueDepth = 4;
  PipelinedSink pipe(down, o);
  // The first batch blocks in the downstream write; two more wait in the
  // queue and a partial one is still being gathered when the producer fails.
  for (size_t i = 0; i < 35; i++) ASSERT_TRUE(pipe.write(row(i, 10)).ok());
  down.waitEntered();
  std::thread opener([&] { down.open(); });
  pipe.cancel();
  opener.join();
  std::string got = down.joined();
  std::string all;
  for (size_t i = 0; i < 35; i++) all += row(i, 10);
  // A prefix made of whole batches, never the partial one, and nothing after cancel().
  EXPECT_EQ(got.size() % 100, 0u);
  EXPECT_LT(got.size(), all.size());
  EXPECT_EQ(got, all.substr(0, got.size()));
  size_t after = down.writes.size();
  EXPECT_FALSE(pipe.write("late").ok());
  EXPECT_EQ(down.writes.size(), after);
}

TEST(PipelinedSink, DestroyedUnfinishedStopsItsThread) {
  RecordingSink down;
  PipelineOptions o;
  o.batchBytes = 15;
  {
    PipelinedSink pipe(down, o);
    // 50 batches of two rows, then one row still being gathered.
    for (size_t i = 0; i < 101; i++) ASSERT_TRUE(pipe.write(row(i, 10)).ok());
  }  // no finish(): the destructor cancels and joins
  std::string got = down.joined();
  EXPECT_EQ(got.size() % 20, 0u);
  EXPECT_LE(got.size(), 1000u);  // never the last row: only finish() hands it on
}

TEST(SideTask, RunsWorkAndReturnsItsResult) {
  SideTask side;
  std::atomic<std::thread::id> ran{};
  for (int i = 0; i < 3; i++) {
    side.start([&] {
      ran = std::this_thread::get_id();
      return Status{};
    });
    EXPECT_TRUE(side.wait().ok());
    EXPECT_NE(ran.load(), std::this_thread::get_id());
  }
  side.start([] { return Status(makeError("hash failed (test)")); });
  Status st = side.wait();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "hash failed (test)");
  side.start([] { return Status{}; });
  EXPECT_TRUE(side.wait().ok());  // an earlier error does not stick
}

TEST(SideTask, WorkOverlapsTheCallersOwn) {
  SideTask side;
  std::mutex m;
  std::condition_variable cv;
  bool sideStarted = false, callerDone = false;
  // The side work waits for the caller's work and the caller for the side's
  // start: this only completes when both run at the same time.
  side.start([&] {
    std::unique_lock<std::mutex> lock(m);
    sideStarted = true;
    cv.notify_all();
    cv.wait(lock, [&] { return callerDone; });
    return Status{};
  });
  {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return sideStarted; });
    callerDone = true;
    cv.notify_all();
  }
  EXPECT_TRUE(side.wait().ok());
}
