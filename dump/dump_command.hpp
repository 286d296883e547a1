#pragma once
#include <string>
#include <vector>

#include "format/result.hpp"

namespace pgarc {
// `pgarc dump ...` with pg_dump 15's command line.
Result<int> runDump(const std::vector<std::string>& args);
}  // namespace pgarc
