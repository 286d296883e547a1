#pragma once
// The archive header and TOC as JSON (`pgarc inspect --json`) and one entry's
// full details as text (`pgarc inspect --entry N`). Pure functions of an
// in-memory ArchiveToc, so they are testable without any reader.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "format/archive.hpp"
#include "format/archive_reader.hpp"
#include "format/result.hpp"

namespace pgarc {

// What the reader knows about where an entry's data lives.
struct EntryDataInfo {
  std::string location;                  // "" when unknown or no data
  std::optional<uint64_t> storedSize;    // compressed size as stored
};
using DataInfoFn = std::function<EntryDataInfo(const TocEntry&)>;

struct ArchiveDescription {
  const ArchiveToc* toc = nullptr;
  ArchiveKind kind = ArchiveKind::Custom;
  std::string path;
  DataInfoFn dataInfo;                   // may be empty
};

const char* kindName(ArchiveKind k);     // "CUSTOM", "DIRECTORY", "TAR", "PLAIN"
const char* sectionName(Section s);      // "pre-data", "data", "post-data", "none"
// "2026-11-25T22:38:26": the stored local time of the dumping process (the
// zone is not recorded in archives).
std::string isoCreationTime(const CreationTime& t);

// Header plus every entry.
std::string tocJson(const ArchiveDescription& a);
// The chosen entries, as a JSON array; an unknown dumpId is an error.
Result<std::string> entriesJson(const ArchiveDescription& a, const std::vector<int>& dumpIds);
// The chosen entries as readable text blocks.
Result<std::string> entriesText(const ArchiveDescription& a, const std::vector<int>& dumpIds);

}  // namespace pgarc
