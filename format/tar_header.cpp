#include "format/tar_header.hpp"

#include <cstring>

namespace pgarc {

namespace {

constexpr size_t kNameOffset = 0, kNameLen = 100;
constexpr size_t kModeOffset = 100, kUidOffset = 108, kGidOffset = 116;
constexpr size_t kSizeOffset = 124, kSizeLen = 12;
constexpr size_t kMtimeOffset = 136, kMtimeLen = 12;
constexpr size_t kChecksumOffset = 148, kChecksumLen = 8;
constexpr size_t kTypeOffset = 156;
constexpr size_t kMagicOffset = 257;
constexpr size_t kUnameOffset = 265, kGnameOffset = 297;
constexpr size_t kDevMajorOffset = 329, kDevMinorOffset = 337;

// Octal with a trailing space when the value fits in len-1 digits, otherwise
// GNU base-256 (0x80 then big-endian bytes), as PostgreSQL's tar code does.
void putNumber(std::string& h, size_t offset, size_t len, uint64_t val) {
  if (val < (uint64_t{1} << ((len - 1) * 3))) {
    h[offset + len - 1] = ' ';
    for (size_t i = len - 1; i > 0; i--) {
      h[offset + i - 1] = static_cast<char>('0' + (val & 7));
      val >>= 3;
    }
  } else {
    h[offset] = static_cast<char>(0x80);
    for (size_t i = len - 1; i > 0; i--) {
      h[offset + i] = static_cast<char>(val & 0xff);
      val >>= 8;
    }
  }
}

}  // namespace

uint32_t tarChecksum(std::string_view block) {
  uint32_t sum = 8 * ' ';
  for (size_t i = 0; i < block.size() && i < kTarBlockSize; i++) {
    if (i < kChecksumOffset || i >= kChecksumOffset + kChecksumLen) sum += static_cast<unsigned char>(block[i]);
  }
  return sum;
}

Result<uint64_t> readTarNumber(std::string_view field) {
  uint64_t v = 0;
  if (!field.empty() && static_cast<unsigned char>(field[0]) == 0x80) {
    for (size_t i = 1; i < field.size(); i++) {
      if (v >> 56) return makeError("tar number field overflows 64 bits");
      v = (v << 8) | static_cast<unsigned char>(field[i]);
    }
    return v;
  }
  for (char c : field) {
    if (c < '0' || c > '7') break;
    if (v >> 61) return makeError("tar number field overflows 64 bits");
    v = (v << 3) | static_cast<uint64_t>(c - '0');
  }
  return v;
}

bool isZeroBlock(std::string_view block) {
  for (char c : block) {
    if (c != 0) return false;
  }
  return true;
}

Result<std::string> buildTarHeader(std::string_view name, uint64_t size, uint64_t mtime) {
  if (name.size() > 99) return makeError("tar member name too long: \"" + std::string(name) + "\"");
  if (name.find('\0') != std::string_view::npos) return makeError("tar member name contains a NUL byte");
  std::string h(kTarBlockSize, '\0');
  std::memcpy(&h[kNameOffset], name.data(), name.size());
  putNumber(h, kModeOffset, 8, 0600);
  putNumber(h, kUidOffset, 8, 04000);
  putNumber(h, kGidOffset, 8, 02000);
  putNumber(h, kSizeOffset, kSizeLen, size);
  putNumber(h, kMtimeOffset, kMtimeLen, mtime);
  h[kTypeOffset] = '0';
  std::memcpy(&h[kMagicOffset], "ustar\0" "00", 8);
  std::memcpy(&h[kUnameOffset], "postgres", 8);
  std::memcpy(&h[kGnameOffset], "postgres", 8);
  putNumber(h, kDevMajorOffset, 8, 0);
  putNumber(h, kDevMinorOffset, 8, 0);
  putNumber(h, kChecksumOffset, kChecksumLen, tarChecksum(h));
  return h;
}

bool isValidTarHeader(std::string_view block) {
  if (block.size() != kTarBlockSize) return false;
  auto stored = readTarNumber(block.substr(kChecksumOffset, kChecksumLen));
  if (!stored.ok() || *stored != tarChecksum(block)) return false;
  std::string_view magic = block.substr(kMagicOffset, 8);
  return magic == std::string_view("ustar\0" "00", 8) || magic == std::string_view("ustar  \0", 8) ||
         magic == std::string_view("ustar00\0", 8);
}

Result<TarMemberHeader> parseTarHeader(std::string_view block, std::optional<uint64_t> sizeLimit) {
  if (block.size() != kTarBlockSize) {
    return makeError("incomplete tar header found (" + std::to_string(block.size()) + " bytes)");
  }
  TarMemberHeader m;
  std::string_view rawName = block.substr(kNameOffset, kNameLen);
  m.name = std::string(rawName.substr(0, std::min(rawName.find('\0'), rawName.size())));
  PGARC_ASSIGN(uint64_t stored, readTarNumber(block.substr(kChecksumOffset, kChecksumLen)));
  uint32_t computed = tarChecksum(block);
  if (stored != computed) {
    return makeError("corrupt tar header found in \"" + m.name + "\": expected checksum " + std::to_string(stored) +
                     ", computed " + std::to_string(computed));
  }
  auto size = readTarNumber(block.substr(kSizeOffset, kSizeLen));
  if (!size.ok()) return std::move(size).error().prefixed("invalid size of tar member \"" + m.name + "\"");
  m.size = *size;
  if (sizeLimit && m.size > *sizeLimit) {
    return makeError("tar member \"" + m.name + "\" claims " + std::to_string(m.size) +
                     " bytes, but only " + std::to_string(*sizeLimit) + " remain in the file");
  }
  auto mtime = readTarNumber(block.substr(kMtimeOffset, kMtimeLen));
  m.mtime = mtime.ok() ? *mtime : 0;
  m.type = block[kTypeOffset];
  return m;
}

}  // namespace pgarc
