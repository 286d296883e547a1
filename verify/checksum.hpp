#pragma once
// The checksum a manifest records for each payload, large object and file.
// Like pg_basebackup's --manifest-checksums: CRC32C by default (fast, catches
// accidental damage), SHA256 for a digest that also resists deliberate
// change, NONE for sizes and row counts only.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "verify/crc32c.hpp"
#include "verify/sha256.hpp"

namespace pgarc {

enum class ChecksumAlgorithm { None, Crc32c, Sha256 };

// "NONE", "CRC32C", "SHA256": the spelling manifests and options use.
const char* checksumAlgorithmName(ChecksumAlgorithm a);
// Case-insensitive, as pg_basebackup takes them; nullopt if unknown.
std::optional<ChecksumAlgorithm> parseChecksumAlgorithm(std::string_view name);
// Length of the lowercase hex text of one checksum (0 for NONE).
size_t checksumHexLength(ChecksumAlgorithm a);

// A running checksum; copies carry the state (a copy taken mid-stream gives
// the checksum of the bytes up to there).
class Checksum {
 public:
  explicit Checksum(ChecksumAlgorithm a);
  void update(std::string_view data);
  // Lowercase hex of the bytes given so far; empty for NONE. The object
  // must not be updated afterwards.
  std::string hexDigest();
  ChecksumAlgorithm algorithm() const;

 private:
  std::variant<std::monostate, Crc32c, Sha256> state_;
};

}  // namespace pgarc
