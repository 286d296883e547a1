#pragma once
#include <string>
#include <vector>

#include "format/result.hpp"

namespace pgarc {
// `pgarc verify ...`: 0 sound, 1 problems found; an Error means "could not check" (2).
Result<int> runVerify(const std::vector<std::string>& args);
}  // namespace pgarc
