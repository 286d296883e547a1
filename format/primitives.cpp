#include "format/primitives.hpp"

#include <limits>

namespace pgarc {

void ByteWriter::integer(int64_t v) {
  uint64_t mag;
  if (v < 0) {
    byte(1);
    mag = static_cast<uint64_t>(-(v + 1)) + 1;
  } else {
    byte(0);
    mag = static_cast<uint64_t>(v);
  }
  for (int i = 0; i < intSize_; i++) {
    byte(static_cast<uint8_t>(mag & 0xff));
    mag >>= 8;
  }
}

void ByteWriter::str(const OptString& s) {
  if (!s) {
    nullStr();
  } else {
    str(std::string_view(*s));
  }
}

void ByteWriter::str(std::string_view s) {
  integer(static_cast<int64_t>(s.size()));
  raw(s);
}

void ByteWriter::offset(OffsetFlag flag, uint64_t off) {
  byte(static_cast<uint8_t>(flag));
  for (int i = 0; i < offSize_; i++) {
    byte(static_cast<uint8_t>(off & 0xff));
    off >>= 8;
  }
}

Result<uint8_t> ByteReader::byte() {
  char c;
  PGARC_TRY(in_.readExact(&c, 1));
  return static_cast<uint8_t>(c);
}

Result<int64_t> ByteReader::integer() {
  uint64_t start = in_.position();
  bool negative = false;
  if (signByte_) {
    PGARC_ASSIGN(uint8_t sign, byte());
    negative = sign != 0;
  }
  char buf[16];
  PGARC_TRY(in_.readExact(buf, static_cast<size_t>(intSize_)));
  uint64_t mag = 0;
  for (int i = intSize_ - 1; i >= 0; i--) {
    if (i >= 8) {
      if (buf[i] != 0) return Error{"integer too large for 64 bits", in_.name(), start, {}};
      continue;
    }
    mag = (mag << 8) | static_cast<uint8_t>(buf[i]);
  }
  if (mag > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return Error{"integer too large for 64 bits", in_.name(), start, {}};
  }
  int64_t v = static_cast<int64_t>(mag);
  return negative ? -v : v;
}

Result<int> ByteReader::int32() {
  uint64_t start = in_.position();
  PGARC_ASSIGN(int64_t v, integer());
  // pg_dump stores unsigned OIDs through a signed int; allow the full 32-bit
  // magnitude and let callers map negatives back where they mean OIDs.
  if (v < -static_cast<int64_t>(UINT32_MAX) || v > static_cast<int64_t>(UINT32_MAX)) {
    return Error{"integer out of range: " + std::to_string(v), in_.name(), start, {}};
  }
  return static_cast<int>(static_cast<int32_t>(static_cast<uint32_t>(v)));
}

Result<OptString> ByteReader::str() {
  uint64_t start = in_.position();
  PGARC_ASSIGN(int64_t len, integer());
  if (len < 0) {
    if (len == -1) return OptString{};
    return Error{"invalid string length " + std::to_string(len), in_.name(), start, {}};
  }
  int64_t limit = kMaxStringLength;
  if (auto sz = in_.size()) {
    uint64_t remaining = *sz > in_.position() ? *sz - in_.position() : 0;
    if (static_cast<uint64_t>(len) > remaining) {
      return Error{"string length " + std::to_string(len) + " exceeds the " + std::to_string(remaining) +
                       " bytes left in the file",
                   in_.name(), start, {}};
    }
  }
  if (len > limit) {
    return Error{"expected string length <= " + std::to_string(limit) + ", found " + std::to_string(len),
                 in_.name(), start, {}};
  }
  std::string s;
  PGARC_TRY(rawBytes(s, static_cast<size_t>(len)));
  return OptString(std::move(s));
}

Result<std::string> ByteReader::strNotNull(const char* what) {
  uint64_t start = in_.position();
  PGARC_ASSIGN(OptString s, str());
  if (!s) return Error{std::string("unexpected NULL for ") + what, in_.name(), start, {}};
  return std::move(*s);
}

Status ByteReader::rawBytes(std::string& out, size_t n) {
  // Read in bounded pieces so a bogus length on a pipe cannot allocate n up front.
  out.clear();
  const size_t piece = 1 << 20;
  while (out.size() < n) {
    size_t want = std::min(piece, n - out.size());
    size_t old = out.size();
    out.resize(old + want);
    PGARC_TRY(in_.readExact(out.data() + old, want));
  }
  return {};
}

Result<ByteReader::OffsetValue> ByteReader::offset() {
  uint64_t start = in_.position();
  PGARC_ASSIGN(uint8_t flag, byte());
  char buf[32];
  PGARC_TRY(in_.readExact(buf, static_cast<size_t>(offSize_)));
  uint64_t off = 0;
  for (int i = offSize_ - 1; i >= 0; i--) {
    if (i >= 8) {
      if (buf[i] != 0) return Error{"file offset too large", in_.name(), start, {}};
      continue;
    }
    off = (off << 8) | static_cast<uint8_t>(buf[i]);
  }
  if (flag < 1 || flag > 3) {
    return Error{"unexpected data offset flag " + std::to_string(flag), in_.name(), start, {}};
  }
  return OffsetValue{static_cast<OffsetFlag>(flag), off};
}

}  // namespace pgarc
