#include "dump/dump_command.hpp"

namespace pgarc {
Result<int> runDump(const std::vector<std::string>&) {
  return makeError("pgarc dump is not implemented yet");
}
}  // namespace pgarc
