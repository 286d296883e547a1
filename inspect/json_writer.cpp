#include "inspect/json_writer.hpp"

namespace pgarc {

namespace {

const char kHex[] = "0123456789abcdef";

void appendEscapedByte(std::string& out, unsigned char b) {
  out += "\\u00";
  out += kHex[b >> 4];
  out += kHex[b & 0xf];
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
size_t utf8SequenceLength(std::string_view s, size_t i) {
  auto at = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = at(i);
  size_t n;
  uint32_t cp;
  if (b >= 0xc2 && b <= 0xdf) { n = 2; cp = b & 0x1f; }
  else if (b >= 0xe0 && b <= 0xef) { n = 3; cp = b & 0x0f; }
  else if (b >= 0xf0 && b <= 0xf4) { n = 4; cp = b & 0x07; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    unsigned char c = at(i + k);
    if ((c & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3f);
  }
  if (n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) return 0;
  if (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) return 0;
  return n;
}

}  // namespace

void appendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      switch (b) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (b < 0x20) appendEscapedByte(out, b);
          else out += static_cast<char>(b);
      }
      ++i;
      continue;
    }
    size_t n = utf8SequenceLength(s, i);
    if (n == 0) {
      appendEscapedByte(out, b);
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  out += '"';
}

std::string jsonString(std::string_view bytes) {
  std::string out;
  appendJsonString(out, bytes);
  return out;
}

void JsonWriter::newline() {
  out_ += '\n';
  out_.append(stack_.size() * 2, ' ');
}

void JsonWriter::beforeValue() {
  if (afterKey_) {
    afterKey_ = false;
    return;
  }
  if (!stack_.empty()) {
    if (!stack_.back().empty) out_ += ',';
    stack_.back().empty = false;
    newline();
  }
}

void JsonWriter::beginObject() {
  beforeValue();
  out_ += '{';
  stack_.push_back({true, true});
}

void JsonWriter::endObject() {
  bool empty = stack_.back().empty;
  stack_.pop_back();
  if (!empty) newline();
  out_ += '}';
  if (stack_.empty()) out_ += '\n';
}

void JsonWriter::beginArray() {
  beforeValue();
  out_ += '[';
  stack_.push_back({false, true});
}

void JsonWriter::endArray() {
  bool empty = stack_.back().empty;
  stack_.pop_back();
  if (!empty) newline();
  out_ += ']';
  if (stack_.empty()) out_ += '\n';
}

void JsonWriter::key(std::string_view k) {
  beforeValue();
  appendJsonString(out_, k);
  out_ += ": ";
  afterKey_ = true;
}

void JsonWriter::string(std::string_view s) {
  beforeValue();
  appendJsonString(out_, s);
}

void JsonWriter::optString(const std::optional<std::string>& s) {
  if (s) string(*s);
  else null();
}

void JsonWriter::number(int64_t v) {
  beforeValue();
  out_ += std::to_string(v);
}

void JsonWriter::unsignedNumber(uint64_t v) {
  beforeValue();
  out_ += std::to_string(v);
}

void JsonWriter::boolean(bool v) {
  beforeValue();
  out_ += v ? "true" : "false";
}

void JsonWriter::null() {
  beforeValue();
  out_ += "null";
}

}  // namespace pgarc
