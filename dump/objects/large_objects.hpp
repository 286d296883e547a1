#pragma once
// Large objects' metadata (pg_dump's getBlobs and dumpBlob), held compactly:
// see LargeObjectTable in dump/model.hpp. The emitter, dumpBlob, is declared
// with the others in dump/objects/kinds.hpp.
#include "dump/connection.hpp"
#include "dump/model.hpp"
#include "format/archive.hpp"
#include "format/result.hpp"

namespace pgarc::dump {

// Reads every large object's oid, owner and ACL in the dump's snapshot and
// adds the LargeObjectsInfo that stands for them (taking one dumpId per
// object) and the BLOBS data object. Adds nothing when there are none.
Status readLargeObjects(Connection& conn, ObjectStore& store);

// Whether oid `a` comes before `b` as their decimal texts sort ("100000" <
// "16385"): the order pg_dump gives large objects by name, and the order of
// a directory archive's blob_<oid> files.
bool textOrderLess(uint32_t a, uint32_t b);

// The large objects laid out as pg_dump 17 does (archive version 1.16, see
// inspect/blob_grouping.hpp), made from the run dumpBlob emitted as
// groupLargeObjects would make them from its entries, without holding them.
struct GroupedLargeObjects {
  std::shared_ptr<const TocEntryRun> metadata;  // BLOB METADATA entries, with comments, labels and ACLs
  std::vector<TocEntry> blobs;                  // with data: each group's BLOBS entry
  std::vector<std::vector<uint32_t>> oids;      // the objects of each BLOBS entry
};
// Nothing when `run` is not dumpBlob's or makes no BLOB entries (then the
// caller groups the entries themselves). `lastUsedId`: the largest dumpId
// of the TOC's other entries; the new entries take the next ones.
Result<std::optional<GroupedLargeObjects>> groupLargeObjectRun(const std::shared_ptr<const TocEntryRun>& run,
                                                               DumpId lastUsedId, bool withData);

}  // namespace pgarc::dump
