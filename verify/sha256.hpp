#pragma once
// SHA-256 (FIPS 180-4). Uses the x86 SHA extensions when the CPU has them,
// otherwise a portable implementation; both give identical digests.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace pgarc {

class Sha256 {
 public:
  Sha256();
  // allowCpuExtensions=false forces the portable code (tests compare both).
  explicit Sha256(bool allowCpuExtensions);
  void update(std::string_view data);
  // Finishes and returns the 32-byte digest; the object is reset afterwards.
  std::array<uint8_t, 32> digest();
  std::string hexDigest();

  static std::string hex(std::string_view data);  // one-shot, lowercase hex

 private:
  void reset();
  void compress(const uint8_t* blocks, size_t count);

  std::array<uint32_t, 8> state_{};
  uint8_t buffer_[64]{};
  size_t buffered_ = 0;
  uint64_t totalBytes_ = 0;
  bool useShaExtensions_ = false;
};

}  // namespace pgarc
