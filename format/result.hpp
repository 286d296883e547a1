#pragma once
// Errors as values. Every fallible call in pgarc returns Result<T> or Status;
// only main() turns an Error into an exit code.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace pgarc {

struct Error {
  std::string message;              // what went wrong, lowercase, expected vs found
  std::string file;                 // archive or member file, if known
  std::optional<uint64_t> offset;   // byte offset in `file`, if known
  std::optional<int> dumpId;        // TOC entry concerned, if any

  // "could not read TOC entry 17: ... at offset 912 in backup.dump"
  std::string describe() const;

  Error&& withFile(std::string f) && { if (file.empty()) file = std::move(f); return std::move(*this); }
  Error&& withOffset(uint64_t o) && { if (!offset) offset = o; return std::move(*this); }
  Error&& withDumpId(int id) && { if (!dumpId) dumpId = id; return std::move(*this); }
  Error&& prefixed(const std::string& p) && { message = p + ": " + message; return std::move(*this); }
};

inline Error makeError(std::string message) { return Error{std::move(message), {}, {}, {}}; }

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  Error& error() & { return std::get<1>(v_); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : err_(std::move(error)) {}    // NOLINT
  static Status success() { return {}; }
  bool ok() const { return !err_.has_value(); }
  explicit operator bool() const { return ok(); }
  Error& error() & { return *err_; }
  const Error& error() const& { return *err_; }
  Error&& error() && { return std::move(*err_); }

 private:
  std::optional<Error> err_;
};

}  // namespace pgarc

#define PGARC_CONCAT_INNER(a, b) a##b
#define PGARC_CONCAT(a, b) PGARC_CONCAT_INNER(a, b)

// PGARC_TRY(status_expr): return the error if the Status failed.
#define PGARC_TRY(expr)                                         \
  do {                                                          \
    auto pgarc_try_status_ = (expr);                            \
    if (!pgarc_try_status_.ok()) return std::move(pgarc_try_status_).error(); \
  } while (0)

// PGARC_ASSIGN(decl, result_expr): declare `decl` from a Result or return its error.
#define PGARC_ASSIGN_IMPL(tmp, decl, expr)          \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return std::move(tmp).error();     \
  decl = std::move(tmp).value()
#define PGARC_ASSIGN(decl, expr) PGARC_ASSIGN_IMPL(PGARC_CONCAT(pgarc_assign_, __LINE__), decl, expr)
