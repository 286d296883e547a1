#include "format/adler32.hpp"

#include <cstddef>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace pgarc {
namespace {

constexpr uint32_t kBase = 65521;  // largest prime below 2^16
// Most bytes that can be summed before s2 could overflow 32 bits (zlib's NMAX).
constexpr size_t kMaxRun = 5552;

}  // namespace

uint32_t adler32Portable(uint32_t adler, std::string_view data) {
  uint32_t s1 = adler & 0xffff, s2 = adler >> 16;
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  size_t n = data.size();
  while (n > 0) {
    size_t run = n < kMaxRun ? n : kMaxRun;
    n -= run;
    for (; run > 0; run--) {
      s1 += *p++;
      s2 += s1;
    }
    s1 %= kBase;
    s2 %= kBase;
  }
  return s2 << 16 | s1;
}

#if defined(__x86_64__)
namespace {

// For each 32-byte vector v following `prior` bytes of the run with sum S:
// s1 grows by sum(v) and s2 by 32*S + sum(v[i] * (32 - i)). The prefix sums
// S are accumulated per lane and multiplied by 32 at the end of the run.
__attribute__((target("avx2"))) uint32_t adler32Avx2(uint32_t adler, const uint8_t* p, size_t n) {
  uint64_t s1 = adler & 0xffff, s2 = adler >> 16;
  const __m256i weights = _mm256_setr_epi8(32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15,
                                           14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
  const __m256i ones16 = _mm256_set1_epi16(1);
  const __m256i zero = _mm256_setzero_si256();
  while (n >= 32) {
    size_t vectors = (n < kMaxRun ? n : kMaxRun) / 32;
    n -= vectors * 32;
    s2 += s1 * 32 * vectors;
    __m256i sums = zero, prefix = zero, weighted = zero;
    for (size_t k = 0; k < vectors; k++, p += 32) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
      prefix = _mm256_add_epi32(prefix, sums);
      sums = _mm256_add_epi32(sums, _mm256_sad_epu8(v, zero));
      weighted = _mm256_add_epi32(weighted, _mm256_madd_epi16(_mm256_maddubs_epi16(v, weights), ones16));
    }
    alignas(32) uint32_t a[8], b[8], c[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(a), sums);
    _mm256_store_si256(reinterpret_cast<__m256i*>(b), prefix);
    _mm256_store_si256(reinterpret_cast<__m256i*>(c), weighted);
    uint64_t sumAll = 0, prefixAll = 0, weightedAll = 0;
    for (int i = 0; i < 8; i++) {
      sumAll += a[i];
      prefixAll += b[i];
      weightedAll += c[i];
    }
    s2 += 32 * prefixAll + weightedAll;
    s1 += sumAll;
    s1 %= kBase;
    s2 %= kBase;
  }
  uint32_t rest = static_cast<uint32_t>(s2 << 16 | s1);
  return adler32Portable(rest, std::string_view(reinterpret_cast<const char*>(p), n));
}

bool cpuHasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}

}  // namespace
#endif

uint32_t adler32Update(uint32_t adler, std::string_view data) {
#if defined(__x86_64__)
  static const bool avx2 = cpuHasAvx2();
  if (avx2) return adler32Avx2(adler, reinterpret_cast<const uint8_t*>(data.data()), data.size());
#endif
  return adler32Portable(adler, data);
}

}  // namespace pgarc
