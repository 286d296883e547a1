#include "verify/copy_text_scan.hpp"

#include <algorithm>
#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define PGARC_COPY_SCAN_AVX2 1
#define PGARC_AVX2 __attribute__((target("avx2")))
#endif

namespace pgarc {
namespace {

// Byte-at-a-time UTF-8 decoding without reporting; accepts exactly what
// CopyTextChecker's scalar check accepts.
bool advanceUtf8(Utf8Progress& st, const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const uint8_t c = p[i];
    if (st.need > 0) {
      if (c < st.lo || c > st.hi) return false;
      st.lo = 0x80;
      st.hi = 0xBF;
      st.need--;
      continue;
    }
    if (c < 0x80) continue;
    st.lo = 0x80;  // a fault in the scalar checker may have left them narrowed
    st.hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      st.need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      st.need = 2;
      if (c == 0xE0) st.lo = 0xA0;
      if (c == 0xED) st.hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      st.need = 3;
      if (c == 0xF0) st.lo = 0x90;
      if (c == 0xF4) st.hi = 0x8F;
    } else {
      return false;
    }
  }
  return true;
}

#ifdef PGARC_COPY_SCAN_AVX2

// UTF-8 validation after Keiser and Lemire, "Validating UTF-8 in less than
// one instruction per byte" (2021): three nibble lookups classify each byte
// pair, and the bytes two and three after a 3- and 4-byte lead must be
// continuations. The flags name the error a pair of bytes can show.
constexpr uint8_t kTooShort = 1 << 0;   // lead or ASCII followed by lead or ASCII where a continuation is due
constexpr uint8_t kTooLong = 1 << 1;    // ASCII followed by a continuation
constexpr uint8_t kOverlong3 = 1 << 2;  // E0 followed by 80..9F
constexpr uint8_t kTooLarge = 1 << 3;   // above U+10FFFF
constexpr uint8_t kSurrogate = 1 << 4;  // ED followed by A0..BF
constexpr uint8_t kOverlong2 = 1 << 5;  // C0, C1
constexpr uint8_t kTooLarge1000 = 1 << 6;
constexpr uint8_t kOverlong4 = 1 << 6;  // F0 followed by 80..8F
constexpr uint8_t kTwoConts = 1 << 7;   // continuation after a continuation with no lead owing it
constexpr uint8_t kCarry = kTooShort | kTooLong | kTwoConts;

PGARC_AVX2 inline __m256i table16(uint8_t t0, uint8_t t1, uint8_t t2, uint8_t t3, uint8_t t4, uint8_t t5,
                                  uint8_t t6, uint8_t t7, uint8_t t8, uint8_t t9, uint8_t t10, uint8_t t11,
                                  uint8_t t12, uint8_t t13, uint8_t t14, uint8_t t15) {
  return _mm256_setr_epi8(static_cast<char>(t0), static_cast<char>(t1), static_cast<char>(t2), static_cast<char>(t3),
                          static_cast<char>(t4), static_cast<char>(t5), static_cast<char>(t6), static_cast<char>(t7),
                          static_cast<char>(t8), static_cast<char>(t9), static_cast<char>(t10),
                          static_cast<char>(t11), static_cast<char>(t12), static_cast<char>(t13),
                          static_cast<char>(t14), static_cast<char>(t15), static_cast<char>(t0),
                          static_cast<char>(t1), static_cast<char>(t2), static_cast<char>(t3), static_cast<char>(t4),
                          static_cast<char>(t5), static_cast<char>(t6), static_cast<char>(t7), static_cast<char>(t8),
                          static_cast<char>(t9), static_cast<char>(t10), static_cast<char>(t11),
                          static_cast<char>(t12), static_cast<char>(t13), static_cast<char>(t14),
                          static_cast<char>(t15));
}

PGARC_AVX2 inline __m256i highNibbles(__m256i v) {
  return _mm256_and_si256(_mm256_srli_epi16(v, 4), _mm256_set1_epi8(0x0F));
}

// The 32 bytes ending `shift` bytes before the end of `input`, continuing
// from `prev` (the block before it).
template <int shift>
PGARC_AVX2 inline __m256i bytesBefore(__m256i input, __m256i prev) {
  return _mm256_alignr_epi8(input, _mm256_permute2x128_si256(prev, input, 0x21), 16 - shift);
}

PGARC_AVX2 inline __m256i utf8BlockErrors(__m256i input, __m256i prev) {
  const __m256i prev1 = bytesBefore<1>(input, prev);
  const __m256i byte1High = _mm256_shuffle_epi8(
      table16(kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTwoConts, kTwoConts,
              kTwoConts, kTwoConts, kTooShort | kOverlong2, kTooShort, kTooShort | kOverlong3 | kSurrogate,
              kTooShort | kTooLarge | kTooLarge1000 | kOverlong4),
      highNibbles(prev1));
  const __m256i byte1Low = _mm256_shuffle_epi8(
      table16(kCarry | kOverlong3 | kOverlong2 | kOverlong4, kCarry | kOverlong2, kCarry, kCarry, kCarry | kTooLarge,
              kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
              kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
              kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
              kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
              kCarry | kTooLarge | kTooLarge1000 | kSurrogate, kCarry | kTooLarge | kTooLarge1000,
              kCarry | kTooLarge | kTooLarge1000),
      _mm256_and_si256(prev1, _mm256_set1_epi8(0x0F)));
  const __m256i byte2High = _mm256_shuffle_epi8(
      table16(kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort,
              kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge1000 | kOverlong4,
              kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge,
              kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge,
              kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge, kTooShort, kTooShort, kTooShort,
              kTooShort),
      highNibbles(input));
  const __m256i special = _mm256_and_si256(_mm256_and_si256(byte1High, byte1Low), byte2High);
  // Bytes two and three after a lead of a 3- or 4-byte sequence must be
  // continuations: the saturating subtraction leaves the high bit set
  // exactly for leads E0..FF (two back) and F0..FF (three back).
  const __m256i third = _mm256_subs_epu8(bytesBefore<2>(input, prev), _mm256_set1_epi8(static_cast<char>(0xE0 - 0x80)));
  const __m256i fourth = _mm256_subs_epu8(bytesBefore<3>(input, prev), _mm256_set1_epi8(static_cast<char>(0xF0 - 0x80)));
  const __m256i must23 = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8(static_cast<char>(0x80)));
  return _mm256_xor_si256(must23, special);
}

// Non-zero when the block ends inside a sequence (a lead in its last three
// bytes that wants more bytes than remain).
PGARC_AVX2 inline __m256i utf8EndsIncomplete(__m256i input) {
  const __m256i max = _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                       -1, -1, -1, -1, -1, -1, -1, -1, -1, static_cast<char>(0xF0 - 1),
                                       static_cast<char>(0xE0 - 1), static_cast<char>(0xC0 - 1));
  return _mm256_subs_epu8(input, max);
}

// Validates p[0, n), n a multiple of 32, as a run that starts at a sequence
// boundary; a sequence left open at the end is not an error here.
PGARC_AVX2 bool utf8BlocksValid(const uint8_t* p, size_t n) {
  __m256i errors = _mm256_setzero_si256();
  __m256i prev = _mm256_setzero_si256();
  __m256i prevIncomplete = _mm256_setzero_si256();
  for (size_t i = 0; i < n; i += 32) {
    const __m256i input = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    if (_mm256_movemask_epi8(input) == 0) {
      errors = _mm256_or_si256(errors, prevIncomplete);
      prevIncomplete = _mm256_setzero_si256();
    } else {
      errors = _mm256_or_si256(errors, utf8BlockErrors(input, prev));
      prevIncomplete = utf8EndsIncomplete(input);
    }
    prev = input;
  }
  return _mm256_testz_si256(errors, errors) != 0;
}

PGARC_AVX2 inline uint64_t mask64(__m256i lo, __m256i hi) {
  return static_cast<uint32_t>(_mm256_movemask_epi8(lo)) |
         (static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(hi))) << 32);
}

PGARC_AVX2 inline uint64_t bytesEqual(__m256i lo, __m256i hi, char c) {
  const __m256i v = _mm256_set1_epi8(c);
  return mask64(_mm256_cmpeq_epi8(lo, v), _mm256_cmpeq_epi8(hi, v));
}

// Bytes equal to the entry of `table` at their low nibble. Entries of 0x80
// match nothing: no byte below 0x80 equals it, and bytes from 0x80 up look
// up zero.
PGARC_AVX2 inline uint64_t bytesInTable(__m256i lo, __m256i hi, __m256i table) {
  return mask64(_mm256_cmpeq_epi8(_mm256_shuffle_epi8(table, lo), lo),
                _mm256_cmpeq_epi8(_mm256_shuffle_epi8(table, hi), hi));
}

struct BlockMasks {
  uint64_t tab, newline, backslash;
  uint64_t bad;  // carriage return or NUL
};

PGARC_AVX2 inline BlockMasks classifyBlock(__m256i lo, __m256i hi) {
  const __m256i special = table16(0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, '\t', '\n', 0x80, '\\',
                                  '\r', 0x80, 0x80);
  BlockMasks m;
  const uint64_t any = bytesInTable(lo, hi, special);
  m.tab = bytesEqual(lo, hi, '\t');
  m.newline = bytesEqual(lo, hi, '\n');
  m.backslash = bytesEqual(lo, hi, '\\');
  m.bad = any & ~(m.tab | m.newline | m.backslash);
  return m;
}

// Bytes that may follow an escaping backslash: b f n r t v \ and N. Two
// tables, as b/r, f/v and n/N share their low nibbles.
PGARC_AVX2 inline uint64_t escapeLetters(__m256i lo, __m256i hi) {
  const __m256i first = table16(0x80, 0x80, 'b', 0x80, 't', 0x80, 'f', 0x80, 0x80, 0x80, 0x80, 0x80, '\\', 0x80,
                                'n', 0x80);
  const __m256i second = table16(0x80, 0x80, 'r', 0x80, 0x80, 0x80, 'v', 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                 'N', 0x80);
  return bytesInTable(lo, hi, first) | bytesInTable(lo, hi, second);
}

// The bytes escaped by a backslash: those after an odd-length run of
// backslashes (a run of even length escapes its own last backslash). Runs
// are told apart by the parity of their start, and adding a run's start bit
// to it carries out just past its end. `escapedIn`: byte 0 is escaped by a
// backslash at the end of the block before; `escapedOut` likewise for the
// byte after this block.
inline uint64_t escapedBytes(uint64_t backslash, bool escapedIn, bool& escapedOut) {
  constexpr uint64_t kEven = 0x5555555555555555ULL, kOdd = ~kEven;
  const uint64_t in = escapedIn ? 1 : 0;
  const uint64_t runs = backslash & ~in;
  const uint64_t starts = runs & ~(runs << 1);
  const uint64_t evenEnds = (runs + (starts & kEven)) & ~runs;
  uint64_t oddSum;
  escapedOut = __builtin_add_overflow(runs, starts & kOdd, &oddSum);
  const uint64_t oddEnds = oddSum & ~runs;
  return (evenEnds & kOdd) | (oddEnds & kEven) | in;
}

// The row structure of one piece, 64 bytes at a time on bit masks: tabs
// count fields by popcount, newlines end rows, escapes are found as odd
// backslash runs and checked against the allowed letters all at once.
// Positions are relative to the piece.
class StructureScan {
 public:
  StructureScan(CopyScanState& s, std::optional<size_t> columns, const uint8_t* p, size_t n)
      : s_(s), columns_(columns), p_(p), n_(static_cast<int64_t>(n)) {
    rowStart_ = static_cast<int64_t>(s.rowStart) - static_cast<int64_t>(s.offset);
    fields_ = s.fields;
    rows_ = s.rows;
  }

  PGARC_AVX2 bool run() {
    bool escaped = false;
    switch (s_.phase) {
      case CopyScanPhase::LineStart:
      case CopyScanPhase::Field:
        break;
      case CopyScanPhase::Escape:
        escaped = true;  // byte 0 is the escape letter
        break;
      case CopyScanPhase::NullMarker:
        // The tab or newline that must end the \N is counted below.
        if (p_[0] != '\t' && p_[0] != '\n') return false;
        break;
      default:
        return false;
    }
    for (int64_t block = 0; block < n_; block += 64) {
      const int64_t length = std::min<int64_t>(64, n_ - block);
      __m256i lo, hi;
      if (length == 64) {
        lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p_ + block));
        hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p_ + block + 32));
      } else {
        alignas(32) uint8_t tail[64];
        std::memset(tail, 'a', sizeof tail);
        std::memcpy(tail, p_ + block, static_cast<size_t>(length));
        lo = _mm256_load_si256(reinterpret_cast<const __m256i*>(tail));
        hi = _mm256_load_si256(reinterpret_cast<const __m256i*>(tail + 32));
      }
      const BlockMasks m = classifyBlock(lo, hi);
      if (m.bad != 0) return false;
      if (m.backslash != 0 || escaped) {
        bool escapedOut = false;
        uint64_t letters = escapedBytes(m.backslash, escaped, escapedOut);
        if (length < 64) {
          escapedOut = (letters >> length) & 1;
          letters &= (uint64_t{1} << length) - 1;
        }
        escaped = escapedOut;
        if (letters != 0) {
          if ((letters & ~escapeLetters(lo, hi)) != 0) return false;
          for (uint64_t nulls = letters & bytesEqual(lo, hi, 'N'); nulls != 0; nulls &= nulls - 1) {
            if (!nullMarkerAt(block + __builtin_ctzll(nulls))) return false;
          }
        }
      }
      uint64_t tabs = m.tab;
      for (uint64_t lines = m.newline; lines != 0; lines &= lines - 1) {
        const int bit = __builtin_ctzll(lines);
        const uint64_t before = (uint64_t{1} << bit) - 1;
        fields_ += static_cast<size_t>(__builtin_popcountll(tabs & before));
        tabs &= ~before;
        if (!endRow(block + bit)) return false;
      }
      fields_ += static_cast<size_t>(__builtin_popcountll(tabs));
    }
    finishState(escaped);
    return true;
  }

 private:
  bool endRow(int64_t at) {
    if (columns_) {
      size_t got = (at == rowStart_ && *columns_ == 0) ? 0 : fields_;
      if (got != *columns_) return false;
    }
    rows_++;
    fields_ = 1;
    rowStart_ = at + 1;
    return true;
  }

  // Whether the backslash at `at` opens its field.
  bool backslashAtFieldStart(int64_t at) const {
    if (at >= 1) return p_[at - 1] == '\t' || p_[at - 1] == '\n';
    if (at == 0) return s_.fieldStart;
    return s_.escapeAtFieldStart;  // the backslash ended the previous piece
  }

  // An escaped N at `at`: \N must make up its whole field.
  bool nullMarkerAt(int64_t at) {
    if (!backslashAtFieldStart(at - 1)) return false;
    if (at + 1 >= n_) {
      carriedNullMarker_ = true;
      return true;
    }
    return p_[at + 1] == '\t' || p_[at + 1] == '\n';
  }

  void finishState(bool escapeOpen) {
    const uint64_t base = s_.offset;
    const bool fieldStartBefore = s_.fieldStart;
    s_.fields = fields_;
    s_.rows = rows_;
    s_.rowStart = static_cast<uint64_t>(static_cast<int64_t>(base) + rowStart_);
    s_.rowBytes = s_.rowStart;
    s_.offset = base + static_cast<uint64_t>(n_);
    if (escapeOpen) {
      const int64_t at = n_ - 1;
      s_.phase = CopyScanPhase::Escape;
      s_.escapeAtFieldStart = at >= 1 ? (p_[at - 1] == '\t' || p_[at - 1] == '\n') : fieldStartBefore;
      s_.escapeAtLineStart = at == rowStart_;
      s_.lineEmpty = false;
      s_.fieldStart = false;
    } else if (carriedNullMarker_) {
      s_.phase = CopyScanPhase::NullMarker;
      s_.lineEmpty = false;
      s_.fieldStart = false;
    } else if (rowStart_ == n_) {
      s_.phase = CopyScanPhase::LineStart;
      s_.lineEmpty = true;
      s_.fieldStart = true;
    } else {
      s_.phase = CopyScanPhase::Field;
      s_.lineEmpty = false;
      s_.fieldStart = p_[n_ - 1] == '\t';
    }
  }

  CopyScanState& s_;
  std::optional<size_t> columns_;
  const uint8_t* p_;
  int64_t n_;
  int64_t rowStart_;
  size_t fields_;
  uint64_t rows_;
  bool carriedNullMarker_ = false;
};

#endif  // PGARC_COPY_SCAN_AVX2

}  // namespace

bool copyScanVectorised() {
#ifdef PGARC_COPY_SCAN_AVX2
  static const bool kAvx2 = __builtin_cpu_supports("avx2");
  return kAvx2;
#else
  return false;
#endif
}

bool scanUtf8Fast(Utf8Progress& st, const uint8_t* p, size_t n) {
  size_t i = 0;
  // Finish a sequence begun in an earlier piece.
  for (; st.need > 0 && i < n; i++) {
    if (p[i] < st.lo || p[i] > st.hi) return false;
    st.lo = 0x80;
    st.hi = 0xBF;
    st.need--;
  }
#ifdef PGARC_COPY_SCAN_AVX2
  if (copyScanVectorised() && n - i >= 64) {
    const size_t end = i + (n - i) / 32 * 32;
    if (!utf8BlocksValid(p + i, end - i)) return false;
    // The last three bytes may open a sequence that runs past `end`: resume
    // the byte-wise decoder at the first byte there that is not the
    // continuation of an (already validated) earlier sequence.
    i = end - 3;
    while (i < end && (p[i] & 0xC0) == 0x80) i++;
  }
#endif
  return advanceUtf8(st, p + i, n - i);
}

bool scanCopyTextFast(CopyScanState& state, std::optional<size_t> columns, bool utf8, const uint8_t* p, size_t n) {
#ifdef PGARC_COPY_SCAN_AVX2
  if (!copyScanVectorised()) return false;
  if (n == 0) return true;
  if (utf8 && !scanUtf8Fast(state.utf8, p, n)) return false;
  return StructureScan(state, columns, p, n).run();
#else
  (void)state;
  (void)columns;
  (void)utf8;
  (void)p;
  (void)n;
  return false;
#endif
}

}  // namespace pgarc
