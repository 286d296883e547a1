#include "verify/verify_command.hpp"

namespace pgarc {
Result<int> runVerify(const std::vector<std::string>&) {
  return makeError("pgarc verify is not implemented yet");
}
}  // namespace pgarc
