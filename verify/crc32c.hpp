#pragma once
// CRC-32C (Castagnoli), the checksum pg_basebackup's manifests use by
// default. The SSE4.2 crc32 instruction does the work when the CPU has it,
// Boost.CRC otherwise; both give identical values.
#include <cstdint>
#include <string_view>

namespace pgarc {

class Crc32c {
 public:
  Crc32c();
  // allowCpuExtensions=false forces the portable code (tests compare both).
  explicit Crc32c(bool allowCpuExtensions);
  void update(std::string_view data);
  // The CRC of everything given so far (the object can go on).
  uint32_t value() const { return ~register_; }

 private:
  uint32_t register_ = 0xFFFFFFFFu;  // not yet inverted
  bool useSse42_ = false;
};

}  // namespace pgarc
