#pragma once
#include <string>
#include <vector>

#include "format/result.hpp"

namespace pgarc {
// `pgarc inspect ...` (args exclude the subcommand). Returns the exit status
// for outcomes that are not errors; errors are returned as values.
// A first argument "--convert" runs `pgarc convert` with the rest.
Result<int> runInspect(const std::vector<std::string>& args);
// `pgarc convert ...`.
Result<int> runConvert(const std::vector<std::string>& args);
}  // namespace pgarc
