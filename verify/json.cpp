#include "verify/json.hpp"

#include <cctype>
#include <charconv>
#include <cstdlib>

namespace pgarc::json {

const Value* Value::find(const std::string& key) const {
  if (type != Type::Object) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &it->second;
}

std::optional<uint64_t> Value::asUint() const {
  if (type != Type::Number || numberText.empty() || numberText[0] == '-') return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(numberText.data(), numberText.data() + numberText.size(), v);
  if (ec != std::errc() || p != numberText.data() + numberText.size()) return std::nullopt;
  return v;
}

std::optional<int64_t> Value::asInt() const {
  if (type != Type::Number || numberText.empty()) return std::nullopt;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(numberText.data(), numberText.data() + numberText.size(), v);
  if (ec != std::errc() || p != numberText.data() + numberText.size()) return std::nullopt;
  return v;
}

namespace {

class Parser {
 public:
  explicit Parser(std::string_view t) : t_(t) {}

  Result<Value> document() {
    PGARC_ASSIGN(Value v, value(0));
    skipSpace();
    if (pos_ != t_.size()) return fail("expected end of document, found more text");
    return v;
  }

 private:
  Error fail(const std::string& what) const {
    return Error{"invalid JSON: " + what, {}, static_cast<uint64_t>(pos_), {}};
  }
  void skipSpace() {
    while (pos_ < t_.size() && (t_[pos_] == ' ' || t_[pos_] == '\n' || t_[pos_] == '\r' || t_[pos_] == '\t')) pos_++;
  }
  bool consume(char c) {
    skipSpace();
    if (pos_ < t_.size() && t_[pos_] == c) {
      pos_++;
      return true;
    }
    return false;
  }

  Result<Value> value(size_t depth) {
    if (depth > kMaxDepth) return fail("nesting deeper than " + std::to_string(kMaxDepth));
    skipSpace();
    if (pos_ >= t_.size()) return fail("unexpected end of text");
    Value v;
    char c = t_[pos_];
    if (c == '{') {
      pos_++;
      v.type = Value::Type::Object;
      if (consume('}')) return v;
      for (;;) {
        skipSpace();
        PGARC_ASSIGN(std::string key, stringLiteral());
        if (!consume(':')) return fail("expected ':' after object key");
        PGARC_ASSIGN(Value member, value(depth + 1));
        v.object[std::move(key)] = std::move(member);
        if (consume('}')) return v;
        if (!consume(',')) return fail("expected ',' or '}' in object");
      }
    }
    if (c == '[') {
      pos_++;
      v.type = Value::Type::Array;
      if (consume(']')) return v;
      for (;;) {
        PGARC_ASSIGN(Value item, value(depth + 1));
        v.array.push_back(std::move(item));
        if (consume(']')) return v;
        if (!consume(',')) return fail("expected ',' or ']' in array");
      }
    }
    if (c == '"') {
      v.type = Value::Type::String;
      PGARC_ASSIGN(v.string, stringLiteral());
      return v;
    }
    if (t_.substr(pos_, 4) == "true") {
      pos_ += 4;
      v.type = Value::Type::Bool;
      v.boolean = true;
      return v;
    }
    if (t_.substr(pos_, 5) == "false") {
      pos_ += 5;
      v.type = Value::Type::Bool;
      return v;
    }
    if (t_.substr(pos_, 4) == "null") {
      pos_ += 4;
      return v;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      size_t start = pos_;
      pos_++;
      while (pos_ < t_.size() && (std::isdigit(static_cast<unsigned char>(t_[pos_])) || t_[pos_] == '.' ||
                                  t_[pos_] == 'e' || t_[pos_] == 'E' || t_[pos_] == '+' || t_[pos_] == '-')) {
        pos_++;
      }
      v.type = Value::Type::Number;
      v.numberText = std::string(t_.substr(start, pos_ - start));
      char* end = nullptr;
      v.number = std::strtod(v.numberText.c_str(), &end);
      if (end != v.numberText.c_str() + v.numberText.size()) return fail("malformed number " + v.numberText);
      return v;
    }
    return fail(std::string("unexpected character '") + c + "'");
  }

  static void appendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  Result<uint32_t> hex4() {
    if (pos_ + 4 > t_.size()) return fail("truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
      char h = t_[pos_++];
      v <<= 4;
      if (h >= '0' && h <= '9') v |= static_cast<uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f') v |= static_cast<uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') v |= static_cast<uint32_t>(h - 'A' + 10);
      else return fail("invalid hex digit in \\u escape");
    }
    return v;
  }

  Result<std::string> stringLiteral() {
    if (pos_ >= t_.size() || t_[pos_] != '"') return fail("expected string");
    pos_++;
    std::string out;
    while (pos_ < t_.size()) {
      char c = t_[pos_++];
      if (c == '"') return out;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= t_.size()) break;
      char e = t_[pos_++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          PGARC_ASSIGN(uint32_t cp, hex4());
          if (cp >= 0xD800 && cp < 0xDC00 && t_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            PGARC_ASSIGN(uint32_t lo, hex4());
            if (lo < 0xDC00 || lo > 0xDFFF) return fail("invalid surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          appendUtf8(out, cp);
          break;
        }
        default: return fail(std::string("invalid escape \\") + e);
      }
    }
    return fail("unterminated string");
  }

  std::string_view t_;
  size_t pos_ = 0;
};

// Length of the valid UTF-8 sequence at s[i], or 0.
size_t utf8SequenceLength(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  size_t n = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; k++) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  }
  if (n == 3 && ((c == 0xE0 && b(i + 1) < 0xA0) || (c == 0xED && b(i + 1) > 0x9F))) return 0;
  if (n == 4 && ((c == 0xF0 && b(i + 1) < 0x90) || (c == 0xF4 && b(i + 1) > 0x8F))) return 0;
  return n;
}

}  // namespace

Result<Value> parse(std::string_view text) { return Parser(text).document(); }

std::string quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; i++; continue;
      case '\\': out += "\\\\"; i++; continue;
      case '\n': out += "\\n"; i++; continue;
      case '\r': out += "\\r"; i++; continue;
      case '\t': out += "\\t"; i++; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7F) {
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
      i++;
      continue;
    }
    size_t n = utf8SequenceLength(s, i);
    if (n == 0) {  // not UTF-8: keep the byte visible rather than emit invalid JSON
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
      i++;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  out += "\"";
  return out;
}

}  // namespace pgarc::json
