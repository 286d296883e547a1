#include "inspect/inspect_command.hpp"

namespace pgarc {
Result<int> runInspect(const std::vector<std::string>&) { return makeError("pgarc inspect is not implemented yet"); }
}  // namespace pgarc
