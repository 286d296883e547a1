#pragma once
// The library entry of `pgarc verify`: detect the format, walk the archive,
// check it against its manifest, optionally prove it restores.
#include <optional>
#include <string>

#include "format/result.hpp"
#include "verify/checksum.hpp"
#include "verify/report.hpp"
#include "verify/restore_check.hpp"

namespace pgarc {

struct VerifyOptions {
  std::optional<std::string> manifestPath;   // --manifest FILE
  bool useManifest = true;                   // false: --no-manifest (no discovery)
  bool digests = false;                      // checksums even without a manifest (--write-manifest)
  std::optional<ChecksumAlgorithm> checksum; // --manifest-checksums; default CRC32C or the manifest's
  bool progress = false;                     // draw a progress bar on stderr (terminal only)
  std::optional<RestoreCheckOptions> restoreCheck;
};

enum class DetectedFormat { Custom, Directory, Tar };

// Looks at the path (directory with toc.dat) or the first bytes of the file.
Result<DetectedFormat> detectArchiveFormat(const std::string& path);

// Walks the archive and returns everything found. An Error means the
// archive could not be checked at all (missing, not an archive, I/O error).
Result<Report> verifyArchive(const std::string& path, const VerifyOptions& options);

}  // namespace pgarc
