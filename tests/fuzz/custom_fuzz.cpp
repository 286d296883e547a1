// libFuzzer target: custom-format reader (openCustomArchive) from memory.
#include "tests/fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return pgarc::fuzz::fuzzOne(pgarc::openCustomArchive, data, size);
}
