#pragma once
// Turns the emitted entries into an archive (custom, directory, tar through
// the format library's writers) or a plain script (through renderScript),
// streaming each entry's data from the connection when it is written.
#include <ctime>
#include <deque>

#include "dump/catalog.hpp"
#include "dump/parallel.hpp"
#include "format/archive.hpp"

namespace pgarc::dump {

// pg_dump 15's TOC after its write-time selection, with archive-level
// dependencies computed as BuildArchiveDependencies does.
struct BuiltToc {
  ArchiveToc toc;
  std::vector<const EntrySpec*> specs;  // parallel to toc.entries; nullptr for entries without data
  std::deque<EntrySpec> producers;      // the specs of the entries with data
};
// Consumes `plan`: its entries become the TOC (those pg_dump would write).
// Replaces the TOC's runs by their entries (a plain script, tar, 1.16) and
// keeps `specs` parallel to the entries.
Status expandRuns(BuiltToc& built);
BuiltToc buildToc(DumpPlan& plan, const DumpOptions& options, const ObjectStore& store, const std::tm& created);

// `workers` opens the connections of a parallel dump (-j N > 1, custom or
// directory format); without it the leader's connection dumps everything.
Status writeOutput(DumpPlan plan, const DumpOptions& options, const ObjectStore& store, const std::tm& created,
                   const InfoLog& info, const ConnectionFactory* workers = nullptr);

}  // namespace pgarc::dump
