#pragma once
// The data part of an entry: COPY or INSERT payloads verbatim, large
// objects as lo_open / lowrite / lo_close, and tar restore.sql's file
// references.
#include "format/archive.hpp"
#include "format/archive_reader.hpp"
#include "format/script/script_context.hpp"

namespace pgarc::script {

// Everything pg_restore prints for the data of a hadDumper entry, from the
// "Data for Name" comment block on.
void printEntryData(ScriptContext& ctx, const TocEntry& entry, DataSource& data);

}  // namespace pgarc::script
