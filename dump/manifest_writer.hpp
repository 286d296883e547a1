#pragma once
// The manifest `pgarc dump` writes beside (custom, tar) or inside (directory)
// its archive: verify/manifest.hpp's format. Payload checksums and row counts
// are taken from the bytes handed to each data stream as they pass (no second
// read of the archive data); file checksums come from the finished files.
#include <memory>
#include <optional>
#include <string>

#include "format/archive_writer.hpp"
#include "format/result.hpp"
#include "verify/checksum.hpp"

namespace pgarc::dump {

struct DumpOptions;

// Where the manifest goes for this dump: --manifest=FILE, else the default
// place for a custom/tar file or directory archive; none for --no-manifest,
// stdout (unless --manifest) and plain format (--manifest is an error there).
Result<std::optional<std::string>> manifestTarget(const DumpOptions& o, const std::string& archivePath);

// createArchiveWriter, plus: when `manifestPath` is set, every payload is
// recorded on its way in, and finish() writes the manifest (temporary name,
// then rename) after the archive itself is complete.
Result<std::unique_ptr<ArchiveWriter>> createManifestedWriter(const std::string& archivePath, const WriterOptions& w,
                                                              const std::optional<std::string>& manifestPath,
                                                              ChecksumAlgorithm checksum);

}  // namespace pgarc::dump
