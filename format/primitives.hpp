#pragma once
// The archive's byte primitives (Int with sign byte, Str with -1 for NULL,
// Offset with flag byte), shared by every reader and writer.
#include <cstdint>
#include <string>
#include <string_view>

#include "format/archive.hpp"
#include "format/io.hpp"
#include "format/result.hpp"

namespace pgarc {

// Upper bound for any single Str read from an archive; larger is treated as corruption.
inline constexpr int64_t kMaxStringLength = int64_t{1} << 30;

class ByteWriter {
 public:
  explicit ByteWriter(int intSize = 4, int offSize = 8) : intSize_(intSize), offSize_(offSize) {}
  void setSizes(int intSize, int offSize) { intSize_ = intSize; offSize_ = offSize; }
  void byte(uint8_t b) { out_.push_back(static_cast<char>(b)); }
  void raw(std::string_view s) { out_.append(s); }
  void integer(int64_t v);
  void str(const OptString& s);
  void str(std::string_view s);
  void nullStr() { integer(-1); }
  void offset(OffsetFlag flag, uint64_t off);
  const std::string& bytes() const { return out_; }
  std::string take() { return std::move(out_); }
  void clear() { out_.clear(); }

 private:
  int intSize_, offSize_;
  std::string out_;
};

// Reads primitives from an InputStream with bounds checks; errors carry the
// stream name and offset.
class ByteReader {
 public:
  explicit ByteReader(InputStream& in, int intSize = 4, int offSize = 8)
      : in_(in), intSize_(intSize), offSize_(offSize) {}
  void setSizes(int intSize, int offSize) { intSize_ = intSize; offSize_ = offSize; }
  // Archives before 1.0 have no sign byte; kept for completeness of the gate.
  void setSignByte(bool present) { signByte_ = present; }
  int intSize() const { return intSize_; }
  int offSize() const { return offSize_; }

  Result<uint8_t> byte();
  Result<int64_t> integer();                 // raw value, intSize bytes + sign
  Result<int> int32();                       // integer() checked to fit an int
  Result<OptString> str();                   // NULL when length -1
  Result<std::string> strNotNull(const char* what);
  Status rawBytes(std::string& out, size_t n);
  struct OffsetValue { OffsetFlag flag; uint64_t offset; };
  Result<OffsetValue> offset();
  InputStream& stream() { return in_; }
  uint64_t position() const { return in_.position(); }
  Error error(std::string message) const { return Error{std::move(message), in_.name(), in_.position(), {}}; }

 private:
  InputStream& in_;
  int intSize_, offSize_;
  bool signByte_ = true;
};

}  // namespace pgarc
