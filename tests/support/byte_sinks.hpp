#pragma once
// Test helpers for the codecs: a ByteSink that keeps every write as its own
// chunk (to check chunk boundaries), and reproducible random bytes.
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "format/codec.hpp"

namespace pgarc::test {

struct ChunkSink : ByteSink {
  Status write(std::string_view data) override {
    chunks.emplace_back(data);
    return {};
  }
  std::string joined() const {
    std::string s;
    for (const auto& c : chunks) s += c;
    return s;
  }
  std::vector<std::string> chunks;
};

inline std::string randomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

}  // namespace pgarc::test
