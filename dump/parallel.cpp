#include "dump/parallel.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <thread>

#include "format/codec.hpp"
#include "format/codec_gzip_parallel.hpp"

namespace pgarc::dump {

namespace {

// Tables at least this big (pages of 8 KiB) get parallel deflate in custom format.
constexpr int64_t kParallelDeflatePages = 1280;
// Spools stay in memory up to this size, then spill to an unlinked temp file.
constexpr size_t kSpoolMemoryLimit = 16u << 20;
constexpr size_t kChunkSize = 4096;

std::string tableLabel(const EntrySpec& s) {
  return "dumping contents of table \"" + (s.namespace_ ? *s.namespace_ + "." : "") + s.tag + "\"";
}

class StreamSink : public ChunkSink {
 public:
  explicit StreamSink(DataStream& s) : s_(s) {}
  Status write(std::string_view bytes) override { return s_.write(bytes); }
 private:
  DataStream& s_;
};

// One table's compressed bytes until the leader writes them.
class Spool {
 public:
  explicit Spool(std::string dir) : dir_(std::move(dir)) {}
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;
  ~Spool() {
    if (file_) std::fclose(file_);
  }
  Status write(std::string_view data) {
    if (file_) return toFile(data);
    mem_.append(data);
    if (mem_.size() <= kSpoolMemoryLimit) return {};
    std::string path = dir_ + "/pgarc-spool-XXXXXX";
    int fd = mkstemp(path.data());
    if (fd < 0) return makeError("could not create spool file in \"" + dir_ + "\"");
    unlink(path.c_str());  // anonymous: gone with the descriptor, whatever happens
    file_ = fdopen(fd, "w+b");
    if (!file_) {
      close(fd);
      return makeError("could not open spool file in \"" + dir_ + "\"");
    }
    std::string pending = std::move(mem_);
    mem_.clear();
    return toFile(pending);
  }
  // Replays the bytes in pg_dump-sized pieces, then forgets them.
  Status replay(DataStream& out) {
    for (size_t off = 0; off < mem_.size(); off += kChunkSize)
      PGARC_TRY(out.write(std::string_view(mem_).substr(off, std::min(kChunkSize, mem_.size() - off))));
    std::string().swap(mem_);
    if (!file_) return {};
    if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) return makeError("could not rewind spool file");
    char buf[kChunkSize];
    for (;;) {
      size_t n = std::fread(buf, 1, sizeof buf, file_);
      if (n > 0) PGARC_TRY(out.write(std::string_view(buf, n)));
      if (n < sizeof buf) break;
    }
    if (std::ferror(file_)) return makeError("could not read spool file");
    std::fclose(file_);
    file_ = nullptr;
    return {};
  }

 private:
  Status toFile(std::string_view data) {
    if (std::fwrite(data.data(), 1, data.size(), file_) != data.size())
      return makeError("could not write spool file in \"" + dir_ + "\"");
    return {};
  }
  std::string dir_;
  std::string mem_;
  FILE* file_ = nullptr;
};

// Where a worker's compressed table goes: a spool until the leader, writing
// in TOC order, reaches the table and attaches the archive's stream; from
// then on straight into the archive (the table the leader waits for is
// written once, not spooled and copied).
class TableOutput : public ByteSink {
 public:
  TableOutput(std::string spoolDir, const std::atomic<bool>& abandoned)
      : spool_(std::move(spoolDir)), abandoned_(abandoned) {}
  Status write(std::string_view data) override {
    if (abandoned_) return makeError("table data abandoned after another error");
    std::lock_guard<std::mutex> g(m_);
    if (direct_) return direct_->write(data);
    return spool_.write(data);
  }
  // Leader: what was spooled goes first; `stream` must outlive the worker's writes.
  Status attach(DataStream& stream) {
    std::lock_guard<std::mutex> g(m_);
    PGARC_TRY(spool_.replay(stream));
    direct_ = &stream;
    return {};
  }

 private:
  std::mutex m_;
  Spool spool_;
  const std::atomic<bool>& abandoned_;
  DataStream* direct_ = nullptr;
};

// Passes the plain payload to the writer's observer (if any) before compressing it.
class CompressingSink : public ChunkSink {
 public:
  CompressingSink(Compressor& c, DataStream* plainObserver) : c_(c), observer_(plainObserver) {}
  Status write(std::string_view bytes) override {
    if (observer_) PGARC_TRY(observer_->write(bytes));
    return c_.write(bytes);
  }
 private:
  Compressor& c_;
  DataStream* observer_;
};

struct Job {
  size_t index;            // in the TOC
  const EntrySpec* spec;
};

// State shared by the leader and the workers, guarded by `m`.
struct Shared {
  std::mutex m;
  std::condition_variable cv;
  size_t next = 0;
  std::optional<Error> error;
  std::atomic<bool> failing{false};  // `error` is set: tables being dumped stop early
  std::vector<bool> started;  // per job: its plain-payload observer is registered
  std::vector<bool> done;     // per job
  void fail(Error e) {
    std::lock_guard<std::mutex> g(m);
    if (!error) error = std::move(e);
    failing = true;
    cv.notify_all();
  }
  bool failed() {
    std::lock_guard<std::mutex> g(m);
    return error.has_value();
  }
};

// Joins the workers however the leader leaves.
class Workers {
 public:
  ~Workers() { join(); }
  void add(std::thread t) { threads_.push_back(std::move(t)); }
  void join() {
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }
 private:
  std::vector<std::thread> threads_;
};

}  // namespace

Status writeDataParallel(ArchiveWriter& writer, const ParallelDataPlan& plan, const ConnectionFactory& connect,
                         const InfoLog& info) {
  const ArchiveToc& toc = *plan.toc;
  const auto& specs = *plan.specs;
  std::vector<Job> jobs;
  std::vector<std::optional<size_t>> jobOfIndex(toc.entries.size());
  for (size_t i = 0; i < toc.entries.size(); i++) {
    const EntrySpec* s = specs[i];
    if (s && s->tableData && s->tableDataOn) jobs.push_back(Job{i, s});
  }
  // Largest first, as pg_dump orders its parallel work; ties keep TOC order.
  std::stable_sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) { return a.spec->dataSize > b.spec->dataSize; });
  for (size_t k = 0; k < jobs.size(); k++) jobOfIndex[jobs[k].index] = k;

  const int nworkers = static_cast<int>(std::min<size_t>(static_cast<size_t>(std::max(plan.jobs, 1)), jobs.size()));
  std::vector<std::unique_ptr<Connection>> conns;
  for (int w = 0; w < nworkers; w++) {
    PGARC_ASSIGN(auto c, connect());
    conns.push_back(std::move(c));
  }
  const bool custom = plan.kind == ArchiveKind::Custom;
  Shared shared;
  shared.started.assign(jobs.size(), false);
  shared.done.assign(jobs.size(), false);
  std::vector<std::unique_ptr<TableOutput>> outputs(jobs.size());
  if (custom)
    for (auto& o : outputs) o = std::make_unique<TableOutput>(plan.spoolDir, shared.failing);
  std::mutex writerMutex;  // directory: the writer's bookkeeping; also the info log

  auto log = [&](const std::string& msg) {
    if (!info) return;
    std::lock_guard<std::mutex> g(writerMutex);
    info(msg);
  };

  auto dumpToDirectory = [&](Connection& conn, const Job& job) -> Status {
    const int id = toc.entries[job.index].dumpId;
    std::unique_ptr<DataStream> stream;
    {
      std::lock_guard<std::mutex> g(writerMutex);
      PGARC_ASSIGN(stream, writer.openTableData(id));
    }
    StreamSink sink(*stream);
    Status st = job.spec->tableDataOn(conn, sink);
    std::lock_guard<std::mutex> g(writerMutex);
    if (st.ok()) st = stream->close();
    stream.reset();
    if (!st.ok()) return std::move(st).error().withDumpId(id);
    return {};
  };

  // Big tables, and the last tables (when workers would otherwise sit idle;
  // also catches big tables whose relpages were never computed), get
  // parallel deflate.
  auto dumpCompressed = [&](Connection& conn, const Job& job, size_t k, TableOutput& out) -> Status {
    const int id = toc.entries[job.index].dumpId;
    std::unique_ptr<Compressor> comp;
    const bool tail = jobs.size() - k <= static_cast<size_t>(nworkers);
    if (plan.compression.algorithm == CompressionAlgorithm::Gzip && plan.jobs > 1 &&
        (job.spec->dataSize >= kParallelDeflatePages || tail)) {
      PGARC_ASSIGN(comp, makeParallelGzipCompressor(plan.compression.level, static_cast<unsigned>(plan.jobs), out));
    } else {
      PGARC_ASSIGN(comp, makeCompressor(plan.compression, CodecContainer::Stream, out));
    }
    auto observer = writer.observePlainPayload(id);
    if (!observer.ok()) return std::move(observer).error().withDumpId(id);
    {
      std::lock_guard<std::mutex> g(shared.m);
      shared.started[k] = true;
    }
    shared.cv.notify_all();
    CompressingSink sink(*comp, observer->get());
    Status st = job.spec->tableDataOn(conn, sink);
    if (st.ok()) st = comp->finish();
    if (st.ok() && *observer) st = (*observer)->close();
    if (!st.ok()) return std::move(st).error().withDumpId(id);
    return {};
  };

  Workers workers;
  for (int w = 0; w < nworkers; w++) {
    Connection* conn = conns[static_cast<size_t>(w)].get();
    workers.add(std::thread([&, conn] {
      for (;;) {
        size_t k;
        {
          std::lock_guard<std::mutex> g(shared.m);
          if (shared.error || shared.next >= jobs.size()) return;
          k = shared.next++;
        }
        log(tableLabel(*jobs[k].spec));
        Status st;
        if (custom) {
          st = dumpCompressed(*conn, jobs[k], k, *outputs[k]);
          if (st.ok()) {
            std::lock_guard<std::mutex> g(shared.m);
            shared.done[k] = true;
            shared.cv.notify_all();
          }
        } else {
          st = dumpToDirectory(*conn, jobs[k]);
        }
        if (!st.ok()) {
          shared.fail(std::move(st).error());
          return;
        }
      }
    }));
  }

  auto leaderFail = [&](Status st) -> Status {
    shared.fail(st.error());
    workers.join();
    return st;
  };

  // False when a worker failed instead.
  auto waitForJob = [&](const std::vector<bool>& flags, size_t k) {
    std::unique_lock<std::mutex> g(shared.m);
    shared.cv.wait(g, [&] { return flags[k] || shared.error.has_value(); });
    return !shared.error.has_value();
  };
  auto failedWorker = [&]() -> Status {
    workers.join();
    return *shared.error;
  };

  if (custom) {
    // TOC order: each table spooled so far, then the rest as it is dumped; large objects on the leader's connection.
    for (size_t i = 0; i < toc.entries.size(); i++) {
      if (!toc.entries[i].hadDumper) continue;
      if (!jobOfIndex[i]) {
        Status st = plan.writeOnLeader(i);
        if (!st.ok()) return leaderFail(std::move(st));
        continue;
      }
      size_t k = *jobOfIndex[i];
      // The writer must know whether the plain payload is observed before the stream opens.
      if (!waitForJob(shared.started, k)) return failedWorker();
      auto stream = writer.openPrecompressedTableData(toc.entries[i].dumpId);
      if (!stream.ok()) return leaderFail(std::move(stream).error());
      // From here the worker dumping the table may write into the stream:
      // whatever happens, it is joined before the stream goes away.
      Status st = outputs[k]->attach(**stream);
      if (!st.ok()) return leaderFail(std::move(st));
      if (!waitForJob(shared.done, k)) return failedWorker();
      outputs[k].reset();
      st = (*stream)->close();
      if (!st.ok()) return leaderFail(std::move(st));
    }
    workers.join();
    if (shared.error) return *shared.error;
    return {};
  }

  workers.join();
  if (shared.error) return *shared.error;
  for (size_t i = 0; i < toc.entries.size(); i++) {
    if (!toc.entries[i].hadDumper || jobOfIndex[i]) continue;
    PGARC_TRY(plan.writeOnLeader(i));
  }
  return {};
}

}  // namespace pgarc::dump
