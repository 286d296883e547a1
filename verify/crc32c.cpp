#include "verify/crc32c.hpp"

#include <array>
#include <boost/crc.hpp>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace pgarc {
namespace {

// Reflected CRC-32C with neither initial nor final inversion, so that its
// checksum is the register the crc32 instruction keeps.
using PortableCrc32c = boost::crc_optimal<32, 0x1EDC6F41, 0, 0, true, true>;

uint32_t reverseBits(uint32_t x) {
  x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
  x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
  x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
  return __builtin_bswap32(x);
}

uint32_t updatePortable(uint32_t reg, const uint8_t* p, size_t n) {
  // Boost takes the initial remainder unreflected and hands the checksum
  // back reflected: going on from a register means reflecting it first.
  PortableCrc32c crc(reverseBits(reg));
  crc.process_bytes(p, n);
  return crc.checksum();
}

#if defined(__x86_64__)
// The crc32 instruction has a latency of three cycles and a throughput of
// one, so three independent chains over three blocks run about three times
// as fast as one. Their registers are then joined: the CRC register is
// linear, so a block's register from a start r is its register from zero
// plus r carried through the block's length of zero bytes, and that carrying
// is a fixed 32x32 GF(2) matrix, applied here by table (four byte lookups).
constexpr size_t kBlock = 2048;
constexpr uint32_t kPolyReflected = 0x82F63B78u;

using Gf2Matrix = std::array<uint32_t, 32>;  // column n: the image of bit n

uint32_t apply(const Gf2Matrix& m, uint32_t v) {
  uint32_t out = 0;
  for (int i = 0; v != 0; i++, v >>= 1)
    if (v & 1) out ^= m[i];
  return out;
}

Gf2Matrix compose(const Gf2Matrix& second, const Gf2Matrix& first) {
  Gf2Matrix out{};
  for (int n = 0; n < 32; n++) out[n] = apply(second, first[n]);
  return out;
}

// The register after `bytes` zero bytes, as a matrix.
Gf2Matrix zeroBytesOperator(size_t bytes) {
  Gf2Matrix step{};  // one zero bit: shift right, fold the polynomial in
  step[0] = kPolyReflected;
  for (int n = 1; n < 32; n++) step[n] = 1u << (n - 1);
  for (int i = 0; i < 3; i++) step = compose(step, step);  // one byte
  Gf2Matrix result{};
  for (int n = 0; n < 32; n++) result[n] = 1u << n;
  for (; bytes != 0; bytes >>= 1) {
    if (bytes & 1) result = compose(step, result);
    step = compose(step, step);
  }
  return result;
}

struct BlockShift {
  uint32_t byByte[4][256];
  BlockShift() {
    const Gf2Matrix m = zeroBytesOperator(kBlock);
    for (int k = 0; k < 4; k++)
      for (uint32_t b = 0; b < 256; b++) byByte[k][b] = apply(m, b << (8 * k));
  }
  uint32_t operator()(uint32_t r) const {
    return byByte[0][r & 0xff] ^ byByte[1][(r >> 8) & 0xff] ^ byByte[2][(r >> 16) & 0xff] ^ byByte[3][r >> 24];
  }
};

const BlockShift& blockShift() {
  static const BlockShift shift;
  return shift;
}

__attribute__((target("sse4.2"))) uint32_t updateSse42(uint32_t reg, const uint8_t* p, size_t n) {
  uint64_t r = reg;
  if (n >= 3 * kBlock) {
    const BlockShift& shift = blockShift();
    for (; n >= 3 * kBlock; n -= 3 * kBlock, p += 3 * kBlock) {
      uint64_t a = r, b = 0, c = 0;
      for (size_t i = 0; i < kBlock; i += 8) {
        uint64_t wa, wb, wc;
        std::memcpy(&wa, p + i, 8);
        std::memcpy(&wb, p + kBlock + i, 8);
        std::memcpy(&wc, p + 2 * kBlock + i, 8);
        a = _mm_crc32_u64(a, wa);
        b = _mm_crc32_u64(b, wb);
        c = _mm_crc32_u64(c, wc);
      }
      r = shift(shift(static_cast<uint32_t>(a)) ^ static_cast<uint32_t>(b)) ^ static_cast<uint32_t>(c);
    }
  }
  for (; n >= 8; n -= 8, p += 8) {
    uint64_t w;
    std::memcpy(&w, p, sizeof w);
    r = _mm_crc32_u64(r, w);
  }
  uint32_t r32 = static_cast<uint32_t>(r);
  for (; n > 0; n--, p++) r32 = _mm_crc32_u8(r32, *p);
  return r32;
}

bool cpuHasSse42() { return __builtin_cpu_supports("sse4.2"); }
#else
uint32_t updateSse42(uint32_t reg, const uint8_t* p, size_t n) { return updatePortable(reg, p, n); }
bool cpuHasSse42() { return false; }
#endif

}  // namespace

Crc32c::Crc32c() : Crc32c(true) {}

Crc32c::Crc32c(bool allowCpuExtensions) : useSse42_(allowCpuExtensions && cpuHasSse42()) {}

void Crc32c::update(std::string_view data) {
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  register_ = useSse42_ ? updateSse42(register_, p, data.size()) : updatePortable(register_, p, data.size());
}

}  // namespace pgarc
