#include "dump/side_queries.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "dump/snapshot.hpp"

namespace pgarc::dump {

namespace {

enum class JobState { Queued, Running, Done, Unavailable };

struct Job {
  std::string sql;
  JobState state = JobState::Queued;
  std::optional<Result<QueryResult>> result;
};

struct Worker {
  std::deque<size_t> queue;   // job indexes, in submission order
  bool failed = false;        // its connection could not be opened
};

}  // namespace

struct SideQueries::Shared {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::unique_ptr<Job>> jobs;
  std::vector<Worker> workers;
  std::map<std::string, size_t> prefetched;  // SQL text -> job
  bool stopping = false;
  std::vector<std::thread> threads;

  // Marks the jobs of a worker whose connection is gone as unavailable.
  void abandon(Worker& w) {
    w.failed = true;
    for (size_t j : w.queue) jobs[j]->state = JobState::Unavailable;
    w.queue.clear();
    changed.notify_all();
  }

  void run(size_t index, ConnectParams params, DumpOptions options) {
    params.noPassword = true;
    params.forcePassword = false;
    std::unique_ptr<Connection> conn;
    if (auto opened = Connection::open(params); opened.ok()) {
      conn = std::move(opened).value();
      if (!setupSession(*conn, options).ok()) conn.reset();
    }
    std::unique_lock<std::mutex> lock(mutex);
    Worker& w = workers[index];
    if (!conn) {
      abandon(w);
      return;
    }
    const std::string snapshot = "SET TRANSACTION SNAPSHOT " + conn->literal(*options.snapshot);
    for (;;) {
      changed.wait(lock, [&] { return stopping || !w.queue.empty(); });
      if (stopping) {
        abandon(w);
        return;
      }
      Job& job = *jobs[w.queue.front()];
      job.state = JobState::Running;
      lock.unlock();
      Result<QueryResult> r = conn->query(job.sql);
      // One transaction a query, each in the snapshot: the locks a query
      // took (pg_get_indexdef locks each table it reads) are released
      // before the next, as the main connection holds its own on them.
      bool next = r.ok() && conn->exec("COMMIT").ok() &&
                  conn->exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").ok() && conn->exec(snapshot).ok();
      lock.lock();
      w.queue.pop_front();
      if (r.ok()) {
        job.result.emplace(std::move(r));
        job.state = JobState::Done;
      } else {
        job.state = JobState::Unavailable;  // the main connection runs it, and reports its error if it fails there too
      }
      changed.notify_all();
      if (!next) {
        abandon(w);
        return;
      }
    }
  }
};

SideQueries::SideQueries(const ConnectParams& params, const DumpOptions& options, std::string snapshotId, int count)
    : shared_(std::make_shared<Shared>()) {
  DumpOptions sideOptions = options;
  sideOptions.snapshot = std::move(snapshotId);
  shared_->workers.resize(static_cast<size_t>(std::max(count, 0)));
  for (size_t i = 0; i < shared_->workers.size(); i++)
    shared_->threads.emplace_back([s = shared_, i, params, sideOptions] { s->run(i, params, sideOptions); });
}

SideQueries::~SideQueries() {
  {
    std::lock_guard<std::mutex> g(shared_->mutex);
    shared_->stopping = true;
  }
  shared_->changed.notify_all();
  for (std::thread& t : shared_->threads) t.join();
}

size_t SideQueries::connections() const { return shared_->workers.size(); }

SideQueries::Ticket SideQueries::submit(std::string sql) {
  std::lock_guard<std::mutex> g(shared_->mutex);
  size_t ticket = shared_->jobs.size();
  auto job = std::make_unique<Job>();
  job->sql = std::move(sql);
  Worker* best = nullptr;
  for (Worker& w : shared_->workers)
    if (!w.failed && (!best || w.queue.size() < best->queue.size())) best = &w;
  if (best)
    best->queue.push_back(ticket);
  else
    job->state = JobState::Unavailable;
  shared_->jobs.push_back(std::move(job));
  shared_->changed.notify_all();
  return ticket;
}

Result<QueryResult> SideQueries::take(Ticket ticket, Connection& main) {
  std::unique_lock<std::mutex> lock(shared_->mutex);
  Job& job = *shared_->jobs.at(ticket);
  if (job.state == JobState::Queued) {
    // Not started yet: the main connection, idle until it has the result, runs it.
    for (Worker& w : shared_->workers) std::erase(w.queue, ticket);
    job.state = JobState::Unavailable;
  }
  shared_->changed.wait(lock, [&] { return job.state != JobState::Running; });
  if (job.state == JobState::Unavailable || !job.result) {
    std::string sql = job.sql;
    lock.unlock();
    return main.query(sql);
  }
  Result<QueryResult> r = std::move(*job.result);
  job.result.reset();
  job.state = JobState::Unavailable;  // taken: a second take() runs the query again on main
  return r;
}

void SideQueries::prefetch(const std::string& sql) {
  {
    std::lock_guard<std::mutex> g(shared_->mutex);
    if (shared_->prefetched.count(sql)) return;
  }
  Ticket t = submit(sql);
  std::lock_guard<std::mutex> g(shared_->mutex);
  shared_->prefetched.emplace(sql, t);
}

Result<QueryResult> SideQueries::query(Connection& main, const std::string& sql) {
  std::optional<Ticket> ticket;
  {
    std::lock_guard<std::mutex> g(shared_->mutex);
    if (auto it = shared_->prefetched.find(sql); it != shared_->prefetched.end()) {
      ticket = it->second;
      shared_->prefetched.erase(it);
    }
  }
  if (!ticket) return main.query(sql);
  return take(*ticket, main);
}

bool SideQueries::started(const std::string& sql) const {
  std::lock_guard<std::mutex> g(shared_->mutex);
  auto it = shared_->prefetched.find(sql);
  return it == shared_->prefetched.end() || shared_->jobs[it->second]->state != JobState::Queued;
}

Result<QueryResult> catalogQuery(Connection& main, SideQueries* side, const std::string& sql) {
  return side ? side->query(main, sql) : main.query(sql);
}

std::vector<std::vector<uint32_t>> prefetchInPieces(SideQueries* side, const std::vector<uint32_t>& oids,
                                                    size_t piecesPerConnection, const OidQuery& query) {
  std::vector<std::vector<uint32_t>> runs;
  if (!side || side->connections() == 0 || oids.size() < 100) return runs;
  const size_t pieces = side->connections() * std::max<size_t>(piecesPerConnection, 1);
  const size_t per = (oids.size() + pieces - 1) / pieces;
  for (size_t from = 0; from < oids.size(); from += per) {
    std::vector<uint32_t> run(oids.begin() + static_cast<std::ptrdiff_t>(from),
                              oids.begin() + static_cast<std::ptrdiff_t>(std::min(oids.size(), from + per)));
    side->prefetch(query(run));
    runs.push_back(std::move(run));
  }
  return runs;
}

Result<std::vector<QueryResult>> takePieces(Connection& main, SideQueries* side,
                                            const std::vector<std::vector<uint32_t>>& runs,
                                            const std::set<uint32_t>& wanted, const OidQuery& query) {
  std::vector<QueryResult> results(runs.size());
  std::set<uint32_t> rest = wanted;
  // First the runs no side connection has started (the main connection runs
  // them meanwhile), then the others.
  std::vector<bool> taken(runs.size(), false);
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < runs.size(); i++) {
      if (taken[i]) continue;
      const std::string sql = query(runs[i]);
      if (pass == 0 && side && side->started(sql)) continue;
      PGARC_ASSIGN(results[i], catalogQuery(main, side, sql));
      taken[i] = true;
      for (uint32_t oid : runs[i]) rest.erase(oid);
    }
  }
  if (!rest.empty()) {
    PGARC_ASSIGN(QueryResult r, main.query(query(std::vector<uint32_t>(rest.begin(), rest.end()))));
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace pgarc::dump
