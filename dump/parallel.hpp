#pragma once
// `-j N` data dumping. Directory format as pg_dump does it: N worker
// connections on the leader's exported snapshot dump tables largest first,
// each into its own file. Custom format (beyond pg_dump): the workers compress
// tables concurrently (big gzip tables with parallel deflate); the table the
// leader is at, in TOC order, streams straight into the archive, the others
// into spools that the leader copies in when it gets there, so data offsets
// and the one-stream-per-entry layout are what pg_restore expects.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "dump/catalog.hpp"
#include "dump/connection.hpp"
#include "format/archive_writer.hpp"

namespace pgarc::dump {

// Opens one more connection inside the dump's snapshot.
using ConnectionFactory = std::function<Result<std::unique_ptr<Connection>>()>;

struct ParallelDataPlan {
  ArchiveKind kind = ArchiveKind::Directory;
  CompressionSpec compression;
  int jobs = 2;
  std::string spoolDir;                       // custom format: where spools spill to disk
  const ArchiveToc* toc = nullptr;
  const std::vector<const EntrySpec*>* specs = nullptr;  // parallel to toc->entries
  // Writes the data of entry `index` on the leader (large objects).
  std::function<Status(size_t index)> writeOnLeader;
};

// The writer has been begun with `*plan.toc`; on success every entry with data
// has been written (finish() is the caller's).
Status writeDataParallel(ArchiveWriter& writer, const ParallelDataPlan& plan, const ConnectionFactory& connect,
                         const InfoLog& info);

}  // namespace pgarc::dump
