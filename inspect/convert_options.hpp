#pragma once
// `pgarc convert` command line and the -Z compression specification
// (pg_dump 15's bare 0-9 and pg_dump 16's METHOD[:DETAIL]).
#include <optional>
#include <string>
#include <vector>

#include "format/archive.hpp"
#include "format/archive_reader.hpp"
#include "format/result.hpp"

namespace pgarc {

struct ConvertOptions {
  bool help = false;
  ArchiveKind target = ArchiveKind::Custom;           // -F c|d|t|p
  std::optional<ArchiveVersion> version;              // --archive-version
  std::optional<CompressionSpec> compression;         // -Z
  std::string output;                                 // -f
  std::string input = "-";                            // "-" = stdin
  std::optional<std::string> restrictKey;             // --restrict-key (-F p)
  bool verbose = false;
};

// "0".."9", "none", "gzip[:N]", "lz4[:N]", "zstd[:N]", "zstd:level=N,long".
Result<CompressionSpec> parseCompressionSpec(const std::string& text);
// "1.14", "1.15" or "1.16".
Result<ArchiveVersion> parseArchiveVersion(const std::string& text);

Result<ConvertOptions> parseConvertOptions(const std::vector<std::string>& args);
const char* convertUsage();

}  // namespace pgarc
