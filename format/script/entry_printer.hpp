#pragma once
// One TOC entry as pg_restore 15 prints it: session switches, the comment
// block, the definition and the ALTER ... OWNER TO; and its DROP for -c.
#include "format/archive.hpp"
#include "format/script/script_context.hpp"

namespace pgarc::script {

void printTocEntry(ScriptContext& ctx, const TocEntry& entry, bool isData);
// The entry's line in the -c drop pass (nothing if it has no drop statement).
void printDropStatement(ScriptContext& ctx, const TocEntry& entry);
// pg_restore's --if-exists rewrite of one DROP statement.
std::string withIfExists(const TocEntry& entry);

}  // namespace pgarc::script
