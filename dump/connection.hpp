#pragma once
// A thin libpq wrapper: results as values, errors with the server's message.
// The only place (with dump/copy_stream.cpp) that includes libpq-fe.h.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "format/result.hpp"

struct pg_conn;
struct pg_result;

namespace pgarc::dump {

// A query result. Column access by index; names resolved once with column().
class QueryResult {
 public:
  QueryResult() = default;
  explicit QueryResult(pg_result* res);
  QueryResult(QueryResult&&) noexcept;
  QueryResult& operator=(QueryResult&&) noexcept;
  ~QueryResult();

  int rows() const;
  int columns() const;
  int column(const char* name) const;   // -1 when absent
  bool isNull(int row, int col) const;
  std::string_view get(int row, int col) const;  // "" when NULL
  std::string str(int row, int col) const { return std::string(get(row, col)); }
  uint32_t oid(int row, int col) const;
  int64_t integer(int row, int col) const;
  bool boolean(int row, int col) const { return get(row, col) == "t"; }
  uint32_t ftype(int col) const;      // type oid of a column
  std::string fname(int col) const;
  char ch(int row, int col) const { auto v = get(row, col); return v.empty() ? '\0' : v[0]; }

 private:
  pg_result* res_ = nullptr;
};

// Memory that COPY data is read into directly, without a copy per row in
// between: room() is where the next bytes go, commit(n) says n of them arrived.
class CopyBuffer {
 public:
  virtual ~CopyBuffer() = default;
  // Never empty.
  virtual std::span<char> room() = 0;
  // Fails once the buffer's consumer has failed (with its error).
  virtual Status commit(size_t n) = 0;
};

struct ConnectParams {
  std::optional<std::string> dbname;   // may be a conninfo string or URI
  std::optional<std::string> host, port, username;
  bool noPassword = false;             // -w
  bool forcePassword = false;          // -W
  // The password the first connection used (typed at the prompt, or from
  // PGPASSWORD/.pgpass): -j workers and side connections reuse it, as pg_dump's
  // workers do, instead of prompting again.
  std::optional<std::string> password;
  std::string applicationName = "pg_dump";
};

class Connection {
 public:
  static Result<std::unique_ptr<Connection>> open(const ConnectParams& params);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Result<QueryResult> query(const std::string& sql);   // expects rows (PGRES_TUPLES_OK)
  Status exec(const std::string& sql);                  // expects PGRES_COMMAND_OK (or tuples)
  // Runs "COPY ... TO STDOUT" and hands each row (as libpq returns it) to `row`.
  Status copyOut(const std::string& sql, const std::function<Status(std::string_view)>& row);
  // The same COPY read straight into `into`: the byte stream is the same, but
  // rows are not kept apart (a row may be split over two commits).
  Status copyOutInto(const std::string& sql, CopyBuffer& into);

  int serverVersion() const;             // e.g. 150018
  std::string serverVersionString() const;  // parameter server_version, e.g. "15.18 (Debian ...)"
  std::string database() const;
  std::string user() const;
  int clientEncoding() const;
  std::string parameter(const char* name) const;
  std::string password() const;  // the one this connection was made with ("" when none)
  // String literal for SQL sent to this server ('...' with E'' when needed).
  std::string literal(std::string_view s) const;
  pg_conn* raw() { return conn_; }

 private:
  explicit Connection(pg_conn* c) : conn_(c) {}
  Error lastError(const std::string& what) const;
  Status startCopy(const std::string& sql);  // sends the COPY, expects COPY OUT
  Status endCopy(const std::string& sql);    // the COPY's result, after its rows
  pg_conn* conn_ = nullptr;
};

}  // namespace pgarc::dump
