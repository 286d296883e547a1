#pragma once
// Encoding and decoding of the common header and the TOC. The per-version
// field gates live here and nowhere else.
#include <functional>
#include <string_view>

#include "format/archive.hpp"
#include "format/primitives.hpp"

namespace pgarc {

// What the per-entry "format extra" field holds.
enum class TocExtra { CustomOffset, Filename };

// Reads the header starting at the magic. `expected` is the format the caller
// expects in the format byte (Custom for custom, Tar for tar and directory);
// Unknown accepts anything.
Result<ArchiveHeader> readHeader(ByteReader& r, ArchiveFormat expected);
void writeHeader(ByteWriter& w, const ArchiveHeader& h);

Result<std::vector<TocEntry>> readToc(ByteReader& r, const ArchiveHeader& h, TocExtra extra);
void writeTocEntry(ByteWriter& w, const TocEntry& e, const ArchiveHeader& h, TocExtra extra);
void writeToc(ByteWriter& w, const std::vector<TocEntry>& entries, const ArchiveHeader& h, TocExtra extra);
// The same bytes as writeToc, handed to `out` in pieces of about 64 KB, so a
// TOC of many entries is never held a second time as one string.
// Runs' entries (which have no data) are written with the location a writer
// gives an entry without data: no offset, or an empty file name.
Status writeTocInPieces(const ArchiveToc& toc, TocExtra extra, const std::function<Status(std::string_view)>& out);

// Maximum TOC entry count accepted (bounded before any allocation).
inline constexpr int64_t kMaxTocEntries = 50'000'000;

}  // namespace pgarc
