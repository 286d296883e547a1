#pragma once
// Large objects' metadata (pg_dump's getBlobs and dumpBlob), held compactly:
// see LargeObjectTable in dump/model.hpp. The emitter, dumpBlob, is declared
// with the others in dump/objects/kinds.hpp.
#include "dump/connection.hpp"
#include "dump/model.hpp"
#include "format/result.hpp"

namespace pgarc::dump {

// Reads every large object's oid, owner and ACL in the dump's snapshot and
// adds the LargeObjectsInfo that stands for them (taking one dumpId per
// object) and the BLOBS data object. Adds nothing when there are none.
Status readLargeObjects(Connection& conn, ObjectStore& store);

}  // namespace pgarc::dump
