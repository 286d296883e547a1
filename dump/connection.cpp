#include "dump/connection.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

#include <vector>

namespace pgarc::dump {

namespace {

// libpq's messages span lines ("FATAL: ...\nserver closed the connection
// unexpectedly\n\tThis probably means ..."): keep the lines that say what
// happened, drop libpq's indented explanations, join them into one line.
std::string oneLine(const std::string& msg) {
  std::string out;
  size_t start = 0;
  while (start < msg.size()) {
    size_t end = msg.find('\n', start);
    if (end == std::string::npos) end = msg.size();
    std::string line = msg.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line[0] == '\t') continue;
    if (!out.empty()) out += "; ";
    out += line;
  }
  return out;
}

}  // namespace

QueryResult::QueryResult(pg_result* res) : res_(res) {}
QueryResult::QueryResult(QueryResult&& o) noexcept : res_(o.res_) { o.res_ = nullptr; }
QueryResult& QueryResult::operator=(QueryResult&& o) noexcept {
  if (this != &o) {
    if (res_) PQclear(res_);
    res_ = o.res_;
    o.res_ = nullptr;
  }
  return *this;
}
QueryResult::~QueryResult() {
  if (res_) PQclear(res_);
}
int QueryResult::rows() const { return res_ ? PQntuples(res_) : 0; }
int QueryResult::columns() const { return res_ ? PQnfields(res_) : 0; }
int QueryResult::column(const char* name) const { return res_ ? PQfnumber(res_, name) : -1; }
bool QueryResult::isNull(int row, int col) const { return PQgetisnull(res_, row, col) != 0; }
std::string_view QueryResult::get(int row, int col) const {
  return std::string_view(PQgetvalue(res_, row, col), static_cast<size_t>(PQgetlength(res_, row, col)));
}
uint32_t QueryResult::oid(int row, int col) const {
  return static_cast<uint32_t>(std::strtoul(PQgetvalue(res_, row, col), nullptr, 10));
}
uint32_t QueryResult::ftype(int col) const { return PQftype(res_, col); }
std::string QueryResult::fname(int col) const { return PQfname(res_, col); }
int64_t QueryResult::integer(int row, int col) const { return std::strtoll(PQgetvalue(res_, row, col), nullptr, 10); }

Result<std::unique_ptr<Connection>> Connection::open(const ConnectParams& p) {
  // Same keywords pg_dump passes; expand_dbname lets -d carry a conninfo or URI.
  const char* keywords[8];
  const char* values[8];
  int n = 0;
  auto add = [&](const char* k, const std::optional<std::string>& v) {
    if (v) {
      keywords[n] = k;
      values[n] = v->c_str();
      n++;
    }
  };
  add("host", p.host);
  add("port", p.port);
  add("user", p.username);
  add("dbname", p.dbname);
  keywords[n] = "fallback_application_name";
  values[n] = p.applicationName.c_str();
  n++;
  keywords[n] = nullptr;
  values[n] = nullptr;

  std::string password = p.password.value_or("");
  for (int attempt = 0; attempt < 2; attempt++) {
    const char* kw2[10];
    const char* val2[10];
    int m = 0;
    for (int i = 0; i < n; i++) {
      kw2[m] = keywords[i];
      val2[m++] = values[i];
    }
    if (!password.empty()) {
      kw2[m] = "password";
      val2[m++] = password.c_str();
    }
    kw2[m] = nullptr;
    val2[m] = nullptr;
    PGconn* c = PQconnectdbParams(kw2, val2, 1);
    if (!c) return makeError("could not connect to database: out of memory");
    if (PQstatus(c) == CONNECTION_OK) {
      auto conn = std::unique_ptr<Connection>(new Connection(c));
      // pg_dump clears search_path so every name it reads is schema-qualified.
      auto r = PQexec(c, "SELECT pg_catalog.set_config('search_path', '', false);");
      bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
      PQclear(r);
      if (!ok) return conn->lastError("could not clear search_path");
      return conn;
    }
    bool needPassword = PQconnectionNeedsPassword(c) && password.empty() && !p.noPassword;
    std::string msg = oneLine(PQerrorMessage(c));
    PQfinish(c);
    if (needPassword || (p.forcePassword && attempt == 0 && password.empty())) {
      const char* pw = getpass("Password: ");
      if (pw) password = pw;
      if (!password.empty()) continue;
    }
    return makeError("connection to database failed: " + msg);
  }
  return makeError("connection to database failed");
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

Error Connection::lastError(const std::string& what) const {
  std::string msg = oneLine(PQerrorMessage(conn_));
  if (PQstatus(conn_) == CONNECTION_BAD && msg.empty()) msg = "connection to server was lost";
  return makeError(what + ": " + msg);
}

Result<QueryResult> Connection::query(const std::string& sql) {
  PGresult* r = PQexec(conn_, sql.c_str());
  QueryResult res(r);
  if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
    Error e = lastError("query failed");
    if (r && PQresultErrorMessage(r)[0]) {
      e.message = "query failed: " + oneLine(PQresultErrorMessage(r));
    }
    e.message += "; query was: " + sql;
    return e;
  }
  return res;
}

Status Connection::exec(const std::string& sql) {
  PGresult* r = PQexec(conn_, sql.c_str());
  QueryResult res(r);
  if (!r || (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)) {
    Error e = lastError("query failed");
    if (r && PQresultErrorMessage(r)[0]) {
      e.message = "query failed: " + oneLine(PQresultErrorMessage(r));
    }
    e.message += "; query was: " + sql;
    return e;
  }
  return {};
}

Status Connection::startCopy(const std::string& sql) {
  PGresult* r = PQexec(conn_, sql.c_str());
  QueryResult res(r);
  if (!r || PQresultStatus(r) != PGRES_COPY_OUT) {
    Error e = lastError("COPY failed");
    e.message += "; command was: " + sql;
    return e;
  }
  return {};
}

Status Connection::endCopy(const std::string& sql) {
  PGresult* r = PQgetResult(conn_);
  QueryResult res(r);
  bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
  while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
  if (!ok) {
    Error e = lastError("PQgetResult() failed");
    e.message += "; command was: " + sql;
    return e;
  }
  return {};
}

Status Connection::copyOut(const std::string& sql, const std::function<Status(std::string_view)>& row) {
  PGARC_TRY(startCopy(sql));
  Status failure;
  for (;;) {
    char* buf = nullptr;
    int len = PQgetCopyData(conn_, &buf, 0);
    if (len > 0) {
      if (failure.ok()) failure = row(std::string_view(buf, static_cast<size_t>(len)));
      PQfreemem(buf);
      continue;
    }
    if (buf) PQfreemem(buf);
    if (len == -2) {
      Error e = lastError("PQgetCopyData() failed");
      e.message += "; command was: " + sql;
      return e;
    }
    break;  // -1: done
  }
  PGARC_TRY(endCopy(sql));
  return failure;
}

// PQgetCopyData hands over each row in memory of its own (malloc, copy, and
// our free, per row); PQgetlineAsync copies the rows libpq has buffered
// straight into ours. It never blocks: when it has no whole row, one
// PQgetCopyData call waits for the server the way libpq does (TLS-aware),
// and its row is copied over. PQgetlineAsync returns part of a row only when
// the room is smaller than the row, and the rest on the next call, so no row
// is half taken when PQgetCopyData runs.
Status Connection::copyOutInto(const std::string& sql, CopyBuffer& into) {
  PGARC_TRY(startCopy(sql));
  Status failure;
  std::vector<char> discard;  // where rows go once `into` has failed
  auto room = [&]() -> std::span<char> {
    if (failure.ok()) return into.room();
    if (discard.empty()) discard.resize(64 * 1024);
    return std::span<char>(discard);
  };
  auto commit = [&](size_t n) {
    if (failure.ok()) failure = into.commit(n);
  };
  for (;;) {
    std::span<char> space = room();
    const int want = static_cast<int>(std::min<size_t>(space.size(), 1 << 30));
    int len = PQgetlineAsync(conn_, space.data(), want);
    if (len > 0) {
      commit(static_cast<size_t>(len));
      continue;
    }
    if (len < 0) break;  // end of the COPY, or an error that PQgetResult reports
    char* buf = nullptr;
    len = PQgetCopyData(conn_, &buf, 0);
    if (len > 0) {
      std::string_view row(buf, static_cast<size_t>(len));
      while (!row.empty()) {
        std::span<char> to = room();
        size_t n = std::min(to.size(), row.size());
        std::memcpy(to.data(), row.data(), n);
        commit(n);
        row.remove_prefix(n);
      }
      PQfreemem(buf);
      continue;
    }
    if (buf) PQfreemem(buf);
    if (len == -2) {
      Error e = lastError("PQgetCopyData() failed");
      e.message += "; command was: " + sql;
      return e;
    }
    break;  // -1: done
  }
  PGARC_TRY(endCopy(sql));
  return failure;
}

int Connection::serverVersion() const { return PQserverVersion(conn_); }
std::string Connection::serverVersionString() const { return parameter("server_version"); }
std::string Connection::database() const { return PQdb(conn_) ? PQdb(conn_) : ""; }
std::string Connection::user() const { return PQuser(conn_) ? PQuser(conn_) : ""; }
int Connection::clientEncoding() const { return PQclientEncoding(conn_); }
std::string Connection::password() const {
  const char* pw = PQpass(conn_);
  return pw ? pw : "";
}

std::string Connection::parameter(const char* name) const {
  const char* v = PQparameterStatus(conn_, name);
  return v ? v : "";
}
std::string Connection::literal(std::string_view s) const {
  char* q = PQescapeLiteral(conn_, s.data(), s.size());
  if (!q) return "''";
  std::string out(q);
  PQfreemem(q);
  return out;
}

}  // namespace pgarc::dump
