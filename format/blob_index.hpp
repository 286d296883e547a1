#pragma once
// Names shared by the directory and tar formats: data and large-object file
// names, the large-object index ("blobs.toc"), and the check that a name
// taken from an archive stays a plain file name.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/archive.hpp"
#include "format/result.hpp"

namespace pgarc {

// A name read from an archive must be a bare file name: non-empty, no "/",
// no "..", no NUL. Otherwise a crafted TOC could reach outside the archive.
Status validateMemberName(std::string_view name);

std::string dataFileName(int dumpId);          // "<dumpId>.dat"
std::string blobFileName(uint32_t oid);        // "blob_<oid>.dat"
// "blobs.toc" before 1.16, "blobs_<dumpId>.toc" from 1.16 on.
std::string blobIndexName(const ArchiveVersion& version, int dumpId);
// "blob_<oid>.dat" -> oid (no suffix accepted); nullopt otherwise.
std::optional<uint32_t> blobOidFromName(std::string_view name);

struct BlobIndexLine {
  uint32_t oid = 0;
  std::string file;   // as listed, without compression suffix
};

// One "<oid> <file>\n" line, as pg_dump writes it.
std::string blobIndexLine(uint32_t oid);
// Parses the whole index strictly: each line is a non-zero decimal OID, one
// space, and a valid member name. `file` names the index in error messages.
Result<std::vector<BlobIndexLine>> parseBlobIndex(std::string_view text, const std::string& file);

// Largest index or toc.dat we read into memory (both are small in practice).
inline constexpr uint64_t kMaxInMemoryMember = uint64_t{1} << 30;

}  // namespace pgarc
