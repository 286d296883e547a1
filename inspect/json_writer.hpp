#pragma once
// A minimal JSON emitter for `pgarc inspect --json`. Strings from archives are
// arbitrary bytes: valid UTF-8 passes through, control characters, quotes and
// backslashes are escaped, and each byte that is not part of a valid UTF-8
// sequence is written as \u00XX (XX = the byte), so output is always valid
// JSON. That mapping is documented as lossy: a decoder sees U+00XX.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgarc {

void appendJsonString(std::string& out, std::string_view bytes);
std::string jsonString(std::string_view bytes);

// Pretty-printing writer (2-space indent). Calls must nest correctly; keys
// only inside objects.
class JsonWriter {
 public:
  void beginObject();
  void endObject();
  void beginArray();
  void endArray();
  void key(std::string_view k);
  void string(std::string_view s);
  void optString(const std::optional<std::string>& s);
  void number(int64_t v);
  void unsignedNumber(uint64_t v);
  void boolean(bool v);
  void null();

  template <class T>
  void field(std::string_view k, const T& v);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void beforeValue();
  void newline();
  std::string out_;
  struct Level { bool isObject; bool empty; };
  std::vector<Level> stack_;
  bool afterKey_ = false;
};

template <class T>
void JsonWriter::field(std::string_view k, const T& v) {
  key(k);
  if constexpr (std::is_same_v<T, bool>) boolean(v);
  else if constexpr (std::is_same_v<T, std::optional<std::string>>) optString(v);
  else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) unsignedNumber(v);
  else if constexpr (std::is_integral_v<T>) number(v);
  else string(v);
}

}  // namespace pgarc
