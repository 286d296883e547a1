#include "verify/checksum.hpp"

#include <cstdio>

namespace pgarc {

const char* checksumAlgorithmName(ChecksumAlgorithm a) {
  switch (a) {
    case ChecksumAlgorithm::Crc32c: return "CRC32C";
    case ChecksumAlgorithm::Sha256: return "SHA256";
    case ChecksumAlgorithm::None: break;
  }
  return "NONE";
}

std::optional<ChecksumAlgorithm> parseChecksumAlgorithm(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  for (auto a : {ChecksumAlgorithm::None, ChecksumAlgorithm::Crc32c, ChecksumAlgorithm::Sha256})
    if (upper == checksumAlgorithmName(a)) return a;
  return std::nullopt;
}

size_t checksumHexLength(ChecksumAlgorithm a) {
  switch (a) {
    case ChecksumAlgorithm::Crc32c: return 8;
    case ChecksumAlgorithm::Sha256: return 64;
    case ChecksumAlgorithm::None: break;
  }
  return 0;
}

Checksum::Checksum(ChecksumAlgorithm a) {
  if (a == ChecksumAlgorithm::Crc32c) state_.emplace<Crc32c>();
  if (a == ChecksumAlgorithm::Sha256) state_.emplace<Sha256>();
}

void Checksum::update(std::string_view data) {
  if (auto* crc = std::get_if<Crc32c>(&state_)) {
    crc->update(data);
  } else if (auto* sha = std::get_if<Sha256>(&state_)) {
    sha->update(data);
  }
}

std::string Checksum::hexDigest() {
  if (auto* crc = std::get_if<Crc32c>(&state_)) {
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", crc->value());
    return hex;
  }
  if (auto* sha = std::get_if<Sha256>(&state_)) return sha->hexDigest();
  return {};
}

ChecksumAlgorithm Checksum::algorithm() const {
  if (std::holds_alternative<Crc32c>(state_)) return ChecksumAlgorithm::Crc32c;
  if (std::holds_alternative<Sha256>(state_)) return ChecksumAlgorithm::Sha256;
  return ChecksumAlgorithm::None;
}

}  // namespace pgarc
