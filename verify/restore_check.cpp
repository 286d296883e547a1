#include "verify/restore_check.hpp"

namespace pgarc {
Status runRestoreCheck(const std::string&, const RestoreCheckOptions&, const Manifest*, Report&) {
  return makeError("--restore-check is not implemented yet");
}
}  // namespace pgarc
