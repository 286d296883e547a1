// EmitContext::add: an emitter's EntrySpec becomes its TOC entry as it is
// emitted. Archive dependencies of entries without explicit ones are filled
// in later by buildToc (dump/output.cpp), once it is known which entries the
// archive keeps.
#include <string>

#include "dump/object_kind.hpp"

namespace pgarc::dump {

void EmitContext::add(EntrySpec e) {
  TocEntry t;
  t.dumpId = e.dumpId;
  t.hadDumper = static_cast<bool>(e.tableData) || static_cast<bool>(e.blobs);
  t.tableoid = std::to_string(e.catId.tableoid);
  t.oid = std::to_string(e.catId.oid);
  t.section = e.section;
  t.desc = std::move(e.desc);
  t.defn = std::move(e.defn);
  t.dropStmt = std::move(e.dropStmt);
  t.tablespace = std::move(e.tablespace);
  t.tableam = std::move(e.tableam);
  t.owner = std::move(e.owner);
  t.dependencies.reserve(e.deps.size());
  for (DumpId d : e.deps) t.dependencies.push_back(std::to_string(d));
  if (t.hadDumper) {
    // The data writers name the table from the spec (tag, schema, COPY statement).
    t.tag = e.tag;
    t.namespace_ = e.namespace_;
    t.copyStmt = e.copyStmt;
    e.deps = {};
    producers.push_back(std::move(e));
    specs.push_back(&producers.back());
  } else {
    t.tag = std::move(e.tag);
    t.namespace_ = std::move(e.namespace_);
    t.copyStmt = std::move(e.copyStmt);
    specs.push_back(nullptr);
  }
  entries.push_back(std::move(t));
}

void EmitContext::addRun(std::shared_ptr<const TocEntryRun> run, TocEntry marker) {
  runs.push_back(ArchiveToc::Run{entries.size(), std::move(run)});
  entries.push_back(std::move(marker));
  specs.push_back(nullptr);
}

}  // namespace pgarc::dump
