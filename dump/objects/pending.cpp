// Placeholder catalog steps for kinds not implemented yet. Each reads the
// rows pg_dump 15 reads for the kind (same selection, same order) and records
// them as PlainObject with no components, so that every later dumpId equals
// pg_dump's. Implementing a kind = deleting its step/emitter here and writing
// dump/objects/<kind>.cpp (see dump/OBJECT_KINDS.md).
#include "dump/objects/kinds.hpp"
#include "dump/objects/placeholder.hpp"

namespace pgarc::dump {



}  // namespace pgarc::dump
