#pragma once
// TOC rewriting for archive-version conversion. Large objects are laid out
// differently before and from 1.16:
//   <= 1.15 (pg_dump 12-16): one BLOB entry per large object in PRE_DATA
//           (lo_create in defn), comments/ACLs "LARGE OBJECT <oid>" after it,
//           and one BLOBS data entry holding every object.
//   1.16 (pg_dump 17+): objects grouped by owner and ACL, at most 1000 per
//           group; per group a BLOB METADATA entry (DATA section, defn = the
//           OIDs one per line) and a BLOBS data entry depending on it; a
//           group's ACL entry is tagged "LARGE OBJECTS <first>..<last>" and
//           holds the first object's GRANTs (pg_restore re-applies them to each
//           OID of the group).
// planConversion() rewrites the TOC for the target version and says where
// each new data entry's data comes from.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "format/archive.hpp"
#include "format/result.hpp"

namespace pgarc {

inline constexpr size_t kMaxLargeObjectsPerGroup = 1000;

struct DataSourcePlan {
  std::vector<int> sourceIds;                    // source entries to read, in order
  std::optional<std::vector<uint32_t>> oids;     // BLOBS: only these objects (nullopt = all)
};

struct ConversionPlan {
  ArchiveToc toc;                                // header version set to the target
  std::map<int, DataSourcePlan> data;            // by target dumpId, for every hadDumper entry
};

Result<ConversionPlan> planConversion(const ArchiveToc& input, ArchiveVersion target);

// Pieces of the 1.16 layout, for pgarc dump, which makes it without holding
// the 1.14 entries (dump/objects/large_objects.cpp).
// "LARGE OBJECT <from>" (not followed by another digit) replaced by "LARGE OBJECT <to>".
std::string replaceLoOid(const std::string& text, uint32_t from, const std::string& to);
// A group's tag: its first OID, or "<first>..<last>".
std::string largeObjectGroupTag(uint32_t first, uint32_t last, size_t count);
// A group's BLOB METADATA entry; `oidLines` lists its OIDs one per line.
TocEntry largeObjectMetadataEntry(int dumpId, uint32_t firstOid, const std::string& tag, std::string oidLines,
                                  const OptString& owner);
// A group's BLOBS entry.
TocEntry largeObjectBlobsEntry(int dumpId, const std::string& tag, const OptString& owner, std::vector<std::string> deps);

// Exposed for tests.
Result<ArchiveToc> groupLargeObjects(const ArchiveToc& input, std::map<int, DataSourcePlan>& data);
Result<ArchiveToc> ungroupLargeObjects(const ArchiveToc& input, std::map<int, DataSourcePlan>& data);
// relkind for entries made from a relation definition, inferred from desc
// (pg_dump 17 stores pg_class.relkind there); 0 otherwise.
int inferRelkind(const TocEntry& e);

}  // namespace pgarc
