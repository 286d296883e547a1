// Adler-32 against zlib's adler32(): any data, any length around the vector
// and run sizes, any starting sum.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <zlib.h>

#include <string>

#include "format/adler32.hpp"

using namespace pgarc;

namespace {

uint32_t zlibAdler(uint32_t start, const std::string& data) {
  return static_cast<uint32_t>(
      adler32(start, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}

}  // namespace

RC_GTEST_PROP(Adler32, MatchesZlib, (std::string data, uint32_t start)) {
  start = (start >> 16) % 65521 << 16 | (start & 0xffff) % 65521;
  RC_ASSERT(adler32Update(start, data) == zlibAdler(start, data));
  RC_ASSERT(adler32Portable(start, data) == zlibAdler(start, data));
}

TEST(Adler32, LongRunsOfHighBytesAndEveryTailLength) {
  // 0xff everywhere maximises every partial sum: overflow shows here first.
  for (size_t n : {size_t{0}, size_t{1}, size_t{31}, size_t{32}, size_t{33}, size_t{5551}, size_t{5552},
                   size_t{5553}, size_t{5552 * 3 + 17}, size_t{1} << 20}) {
    std::string ff(n, '\xff');
    EXPECT_EQ(adler32Update(1, ff), zlibAdler(1, ff)) << n;
    EXPECT_EQ(adler32Update(0xfff0fff0u, ff), zlibAdler(0xfff0fff0u, ff)) << n;
  }
  std::string mixed;
  for (size_t i = 0; i < 100000; i++) mixed.push_back(static_cast<char>(i * 131 + (i >> 7)));
  // Split anywhere, the running sum is the one-shot sum.
  for (size_t cut : {size_t{0}, size_t{7}, size_t{4096}, size_t{5552}, size_t{99999}}) {
    uint32_t a = adler32Update(1, std::string_view(mixed).substr(0, cut));
    a = adler32Update(a, std::string_view(mixed).substr(cut));
    EXPECT_EQ(a, zlibAdler(1, mixed)) << cut;
  }
}
