#pragma once
// Turns a TOC plus its data into the SQL script pg_restore prints, and the
// TOC listing `pg_restore -l` prints.
#include <functional>
#include <string>

#include "format/archive.hpp"
#include "format/archive_reader.hpp"
#include "format/io.hpp"
#include "format/restore_options.hpp"

namespace pgarc {

// The script `pg_restore -f - [options]` prints (or pg_dump -Fp / tar
// restore.sql, per options.mode). Data is pulled from `data` in TOC order.
// `kind` is the archive's format (tar restore.sql differs only by mode).
// `info` receives the archiver's -v messages ("creating TABLE \"public.t\"",
// "processing data for table ..."), as pg_dump logs them for plain output.
using ScriptInfoLog = std::function<void(const std::string&)>;
Status renderScript(const ArchiveToc& toc, DataSource& data, const RestoreOptions& options, OutputStream& out,
                    const ScriptInfoLog& info = nullptr);

// What `pg_restore -l [options]` prints, header block included.
Status renderList(const ArchiveToc& toc, ArchiveKind kind, const RestoreOptions& options, OutputStream& out);

}  // namespace pgarc
