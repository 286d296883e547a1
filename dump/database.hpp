#pragma once
// The entries pg_dump emits before the sorted objects: ENCODING, STDSTRINGS,
// SEARCHPATH, then DATABASE (with its comment, ACL and DATABASE PROPERTIES).
#include "dump/object_kind.hpp"

namespace pgarc::dump {

Status emitSpecialEntries(EmitContext& ctx, Connection& conn);
Status emitDatabase(EmitContext& ctx, Connection& conn);

}  // namespace pgarc::dump
