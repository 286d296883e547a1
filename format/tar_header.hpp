#pragma once
// ustar member headers as pg_dump writes and pg_restore reads them
// (archive-format.md section 7.2). Pure functions over 512-byte blocks.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "format/result.hpp"

namespace pgarc {

inline constexpr size_t kTarBlockSize = 512;

// Bytes of NUL padding that follow a member of `size` bytes.
inline uint64_t tarPadding(uint64_t size) { return (kTarBlockSize - size % kTarBlockSize) % kTarBlockSize; }

struct TarMemberHeader {
  std::string name;
  uint64_t size = 0;
  uint64_t mtime = 0;
  char type = '0';
};

// Builds the header pg_dump writes: mode 0600, uid 04000, gid 02000, owner
// names "postgres", 7-digit checksum plus space. Fails for names over 99 bytes.
Result<std::string> buildTarHeader(std::string_view name, uint64_t size, uint64_t mtime);

// Sum of the header bytes with the checksum field counted as eight spaces.
uint32_t tarChecksum(std::string_view block);

// A tar number field: octal digits (stopping at the first non-digit) or,
// when the first byte is 0x80, GNU base-256. Fails when base-256 overflows.
Result<uint64_t> readTarNumber(std::string_view field);

bool isZeroBlock(std::string_view block);

// Checksum matches and the magic is one pg_restore accepts (POSIX "ustar\0"
// + "00", GNU "ustar  \0", pre-9.3 pg_dump "ustar00\0"). Used for detection.
bool isValidTarHeader(std::string_view block);

// Parses a header block whose checksum matches; the caller has already
// skipped all-zero blocks. `sizeLimit`, when known, bounds the member size.
Result<TarMemberHeader> parseTarHeader(std::string_view block, std::optional<uint64_t> sizeLimit);

}  // namespace pgarc
