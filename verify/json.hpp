#pragma once
// Minimal JSON for verify's report and the manifest: a value tree, a parser
// with depth and size limits, and string escaping for writers.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/result.hpp"

namespace pgarc::json {

struct Value {
  enum class Type { Null, Bool, Number, String, Array, Object } type = Type::Null;
  bool boolean = false;
  double number = 0;
  std::string numberText;        // as written, for exact 64-bit integers
  std::string string;
  std::vector<Value> array;
  std::map<std::string, Value> object;

  const Value* find(const std::string& key) const;
  bool isString() const { return type == Type::String; }
  bool isNumber() const { return type == Type::Number; }
  // Unsigned integer value of a number written without fraction or exponent.
  std::optional<uint64_t> asUint() const;
  std::optional<int64_t> asInt() const;
};

inline constexpr size_t kMaxDepth = 64;

Result<Value> parse(std::string_view text);

// `"text"` with JSON escapes; bytes that are not valid UTF-8 become \u00XX.
std::string quote(std::string_view s);

}  // namespace pgarc::json
