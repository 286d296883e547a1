#include "dump/output.hpp"

#include "dump/pg_dump_version.hpp"

#include <cstdlib>
#include <map>
#include <optional>

#include "dump/manifest_writer.hpp"
#include "dump/objects/large_objects.hpp"
#include "dump/pipelined_sink.hpp"
#include "format/archive_writer.hpp"
#include "format/codec.hpp"
#include "format/io.hpp"
#include "format/script_renderer.hpp"
#include "inspect/blob_grouping.hpp"

namespace pgarc::dump {

namespace {

// The pg_dump version we emulate, as stock pg_dump 15 on this system writes it
// into the header ("Dumped by pg_dump version ..."): archives must match the
// stock tool's byte for byte, so pgarc reports the same string.

bool isDataEntry(const TocEntry& e) {
  if (e.hadDumper) return true;
  if (e.desc == "SEQUENCE SET" || e.desc == "BLOB") return true;
  if ((e.desc == "ACL" || e.desc == "COMMENT" || e.desc == "SECURITY LABEL") && e.tag &&
      e.tag->rfind("LARGE OBJECT ", 0) == 0)
    return true;
  return false;
}

// pg_dump writes only the entries its own restore options require.
bool required(const TocEntry& e, Section current, const DumpOptions& o) {
  if (e.desc == "ENCODING" || e.desc == "STDSTRINGS" || e.desc == "SEARCHPATH") return true;
  if (e.desc == "DATABASE" || e.desc == "DATABASE PROPERTIES") return true;
  int bit = current == Section::PreData ? 1 : current == Section::Data ? 2 : current == Section::PostData ? 4 : 0;
  if (bit == 0 || !o.dumpSections(bit)) return false;
  bool schema = true, data = true;
  if (!e.hadDumper) {
    if (isDataEntry(e)) schema = false;
    else data = false;
  }
  if (!e.defn || e.defn->empty()) schema = false;
  // --binary-upgrade keeps sequence values and large objects' definitions,
  // comments and privileges in a schema-only dump (pg_dump's sequence_data).
  const bool keptBySchemaOnly = o.binaryUpgrade && !e.hadDumper && isDataEntry(e);
  if (o.schemaOnly && !keptBySchemaOnly) data = false;
  if (o.dataOnly) schema = false;
  return schema || data;
}

// `inToc` is indexed by dumpId.
void archiveDependencies(const DumpableObject* obj, const std::vector<bool>& inToc, const ObjectStore& store,
                         std::vector<std::string>& out, int depth) {
  if (!obj || depth > 10000) return;
  if (obj->type == ObjectType::PreDataBoundary || obj->type == ObjectType::PostDataBoundary) return;
  for (DumpId d : obj->dependencies) {
    if (d > 0 && static_cast<size_t>(d) < inToc.size() && inToc[static_cast<size_t>(d)]) {
      out.push_back(std::to_string(d));
    } else {
      archiveDependencies(store.byDumpId(d), inToc, store, out, depth + 1);
    }
  }
}

CreationTime toCreationTime(const std::tm& tm) {
  return CreationTime{tm.tm_sec, tm.tm_min, tm.tm_hour, tm.tm_mday, tm.tm_mon, tm.tm_year, tm.tm_isdst > 0 ? 1 : 0};
}

class StreamChunkSink : public ChunkSink {
 public:
  explicit StreamChunkSink(DataStream& s) : s_(s) {}
  Status write(std::string_view bytes) override { return s_.write(bytes); }
 private:
  DataStream& s_;
};

class StreamBlobOutput : public BlobOutput {
 public:
  explicit StreamBlobOutput(BlobStream& s) : s_(s) {}
  Status beginBlob(uint32_t oid) override { return s_.beginBlob(oid); }
  Status write(std::string_view bytes) override { return s_.write(bytes); }
  Status endBlob(uint32_t) override { return s_.endBlob(); }
 private:
  BlobStream& s_;
};

class SinkChunkSink : public ChunkSink {
 public:
  explicit SinkChunkSink(DataSink& s) : s_(s) {}
  Status write(std::string_view bytes) override { return s_.data(bytes); }
 private:
  DataSink& s_;
};

class SinkBlobOutput : public BlobOutput {
 public:
  explicit SinkBlobOutput(BlobSink& s) : s_(s) {}
  Status beginBlob(uint32_t oid) override { return s_.beginBlob(oid); }
  Status write(std::string_view bytes) override { return s_.data(bytes); }
  Status endBlob(uint32_t oid) override { return s_.endBlob(oid); }
 private:
  BlobSink& s_;
};

// The table's rows are read from the server on this thread while another one
// passes them on (checks, hashes, compresses, writes).
Status pipeTableData(const EntrySpec& spec, ChunkSink& downstream, const PipelineOptions& pipeline,
                     ChunkSink* observer = nullptr) {
  PipelinedSink pipe(downstream, pipeline, observer);
  Status st = spec.tableData(pipe);
  if (!st.ok()) {
    pipe.cancel();
    return st;
  }
  return pipe.finish();
}

// pg_dump logs the COPY of a table's data with -v; INSERT data goes unmentioned.
void logTableDump(const InfoLog& info, const EntrySpec& spec) {
  if (info && spec.copyStmt)
    info("dumping contents of table \"" + (spec.namespace_ ? *spec.namespace_ + "." : "") + spec.tag + "\"");
}

// Live data for renderScript (plain output).
class LiveDataSource : public DataSource {
 public:
  LiveDataSource(const BuiltToc& built, const InfoLog& info) : built_(built), info_(info) {}
  Status readTableData(const TocEntry& entry, DataSink& sink) override {
    const EntrySpec* spec = find(entry.dumpId);
    if (!spec || !spec->tableData) return {};
    logTableDump(info_, *spec);
    SinkChunkSink out(sink);
    return pipeTableData(*spec, out, PipelineOptions{});
  }
  Status readBlobs(const TocEntry& entry, BlobSink& sink) override {
    const EntrySpec* spec = find(entry.dumpId);
    if (!spec || !spec->blobs) return {};
    if (info_) info_("saving large objects");
    SinkBlobOutput out(sink);
    return spec->blobs(out);
  }

 private:
  const EntrySpec* find(int dumpId) const {
    for (size_t i = 0; i < built_.toc.entries.size(); i++)
      if (built_.toc.entries[i].dumpId == dumpId) return built_.specs[i];
    return nullptr;
  }
  const BuiltToc& built_;
  const InfoLog& info_;
};

class InnerSink : public ByteSink {
 public:
  explicit InnerSink(OutputStream& o) : o_(o) {}
  Status write(std::string_view d) override { return o_.write(d); }
 private:
  OutputStream& o_;
};

// Plain output compressed with -Z: a gzip (lz4, zstd) file, as pg_dump writes it.
class GzipOutput : public OutputStream {
 public:
  static Result<std::unique_ptr<GzipOutput>> create(std::unique_ptr<OutputStream> inner, const CompressionSpec& spec) {
    auto out = std::unique_ptr<GzipOutput>(new GzipOutput(std::move(inner)));
    PGARC_ASSIGN(out->comp_, makeCompressor(spec, CodecContainer::File, out->sink_));
    return out;
  }
  Status write(std::string_view data) override {
    pos_ += data.size();
    return comp_->write(data);
  }
  uint64_t position() const override { return pos_; }
  bool seekable() const override { return false; }
  Status seek(uint64_t) override { return makeError("cannot seek in compressed output"); }
  Status commit() override {
    PGARC_TRY(comp_->finish());
    return inner_->commit();
  }
  const std::string& name() const override { return inner_->name(); }

 private:
  explicit GzipOutput(std::unique_ptr<OutputStream> inner) : inner_(std::move(inner)), sink_(*inner_) {}
  std::unique_ptr<OutputStream> inner_;
  InnerSink sink_;
  std::unique_ptr<Compressor> comp_;
  uint64_t pos_ = 0;
};

RestoreOptions plainOptions(const DumpOptions& o) {
  RestoreOptions r;
  r.mode = ScriptMode::PlainDump;
  r.dataOnly = o.dataOnly;
  r.schemaOnly = o.schemaOnly;
  r.clean = o.clean;
  r.ifExists = o.ifExists;
  r.create = o.create;
  r.noOwner = o.noOwner;
  r.quoteAllIdentifiers = o.quoteAllIdentifiers;
  r.binaryUpgrade = o.binaryUpgrade;
  r.noPrivileges = o.noPrivileges;
  r.verbose = o.verbose;
  r.sections = o.sections;
  r.superuser = o.superuser;
  r.noComments = o.noComments;
  r.noPublications = o.noPublications;
  r.noSecurityLabels = o.noSecurityLabels;
  r.noSubscriptions = o.noSubscriptions;
  r.noTablespaces = o.noTablespaces;
  r.noTableAccessMethod = o.noTableAccessMethod;
  r.useSetSessionAuthorization = o.useSetSessionAuthorization;
  r.disableTriggers = o.disableTriggers;
  r.enableRowSecurity = o.enableRowSecurity;
  r.restrictKey = o.restrictKey;
  return r;
}

}  // namespace

Status expandRuns(BuiltToc& built) {
  if (built.toc.runs.empty()) return {};
  std::vector<const EntrySpec*> specs;
  specs.reserve(tocEntryCount(built.toc));
  size_t run = 0;
  for (size_t i = 0; i <= built.specs.size(); i++) {
    for (; run < built.toc.runs.size() && built.toc.runs[run].at == i; run++)
      specs.insert(specs.end(), built.toc.runs[run].run->size(), nullptr);
    if (i < built.specs.size()) specs.push_back(built.specs[i]);
  }
  PGARC_TRY(pgarc::expandRuns(built.toc));
  if (specs.size() != built.toc.entries.size()) return makeError("large-object entries changed between passes");
  built.specs = std::move(specs);
  return {};
}

BuiltToc buildToc(DumpPlan& plan, const DumpOptions& o, const ObjectStore& store, const std::tm& created) {
  BuiltToc out;
  ArchiveHeader& h = out.toc.header;
  h.version = ArchiveVersion{1, 14, 0};
  h.intSize = 4;
  h.offSize = 8;
  h.created = toCreationTime(created);
  h.dbname = plan.dbname;
  h.serverVersion = plan.serverVersion;
  h.dumpVersion = std::string(kPgDumpVersion);

  // Which entries pg_dump writes (and so which dumpIds archive dependencies
  // may name); the others are dropped in place.
  Section current = Section::PreData;
  std::vector<bool> inToc(static_cast<size_t>(store.lastDumpId()) + 1, false);
  size_t kept = 0;
  size_t nextRun = 0;
  for (size_t i = 0; i < plan.entries.size(); i++) {
    TocEntry& e = plan.entries[i];
    if (e.section != Section::None) current = e.section;
    const bool runMarker = nextRun < plan.runs.size() && plan.runs[nextRun].at == i;
    if (runMarker) nextRun++;
    if (!required(e, current, o)) continue;
    if (runMarker) {
      // The run goes where its marker would have been kept.
      out.toc.runs.push_back(ArchiveToc::Run{kept, std::move(plan.runs[nextRun - 1].run)});
      continue;
    }
    if (static_cast<size_t>(e.dumpId) >= inToc.size()) inToc.resize(static_cast<size_t>(e.dumpId) + 1, false);
    inToc[static_cast<size_t>(e.dumpId)] = true;
    if (kept != i) {
      plan.entries[kept] = std::move(e);
      plan.specs[kept] = plan.specs[i];
    }
    kept++;
  }
  plan.runs.clear();
  plan.entries.erase(plan.entries.begin() + static_cast<std::ptrdiff_t>(kept), plan.entries.end());
  plan.specs.resize(kept);
  // Entries the emitters gave no dependencies get those of their object.
  if (o.format != ArchiveKind::Plain)
    for (TocEntry& e : plan.entries)
      if (e.dependencies.empty()) archiveDependencies(store.byDumpId(e.dumpId), inToc, store, e.dependencies, 0);
  out.toc.entries = std::move(plan.entries);
  out.specs = std::move(plan.specs);
  out.producers = std::move(plan.producers);
  plan = {};
  return out;
}

namespace {

CompressionSpec effectiveCompression(const DumpOptions& o) {
  if (o.compression) return *o.compression;
  if (o.format == ArchiveKind::Tar || o.format == ArchiveKind::Plain) return CompressionSpec{};
  return CompressionSpec{CompressionAlgorithm::Gzip, -1, false};
}

// 1.16 from a TOC whose large objects are one run (pgarc dump's): the run is
// replaced by its grouped form, which goes where the BLOBS entry was (where
// the run was in a dump without data), followed by the groups' BLOBS entries,
// as groupLargeObjects lays out the entries. False when the TOC has another shape.
Result<bool> groupLargeObjectsAsRun(BuiltToc& built, std::vector<std::optional<std::vector<uint32_t>>>& blobOids) {
  ArchiveToc& toc = built.toc;
  if (toc.runs.size() != 1) return false;
  DumpId lastUsedId = 0;
  std::optional<size_t> blobs;
  for (size_t i = 0; i < toc.entries.size(); i++) {
    lastUsedId = std::max(lastUsedId, toc.entries[i].dumpId);
    if (toc.entries[i].desc != "BLOBS") continue;
    if (blobs) return false;
    blobs = i;
  }
  PGARC_ASSIGN(std::optional<GroupedLargeObjects> grouped,
               groupLargeObjectRun(toc.runs.front().run, lastUsedId, blobs.has_value()));
  if (!grouped) return false;
  const size_t at = blobs ? *blobs : toc.runs.front().at;
  const std::string oldBlobsId = blobs ? std::to_string(toc.entries[*blobs].dumpId) : std::string();
  const EntrySpec* blobsSpec = blobs ? built.specs[*blobs] : nullptr;
  std::vector<TocEntry> entries;
  std::vector<const EntrySpec*> specs;
  entries.reserve(toc.entries.size() + grouped->blobs.size());
  blobOids.clear();
  for (size_t i = 0; i <= toc.entries.size(); i++) {
    if (i == at) {
      toc.runs.front() = ArchiveToc::Run{entries.size(), grouped->metadata};
      for (size_t g = 0; g < grouped->blobs.size(); g++) {
        entries.push_back(std::move(grouped->blobs[g]));
        specs.push_back(blobsSpec);
        blobOids.emplace_back(std::move(grouped->oids[g]));
      }
    }
    if (i == toc.entries.size() || (blobs && i == *blobs)) continue;
    entries.push_back(std::move(toc.entries[i]));
    specs.push_back(built.specs[i]);
    blobOids.emplace_back(std::nullopt);
  }
  for (TocEntry& e : entries) {
    e.relkind = inferRelkind(e);
    if (oldBlobsId.empty() || entries.empty()) continue;
    for (std::string& d : e.dependencies)
      if (d == oldBlobsId) d = std::to_string(entries[at].dumpId);
  }
  toc.entries = std::move(entries);
  built.specs = std::move(specs);
  return true;
}

// Archive version 1.16: large objects grouped (BLOB METADATA + BLOBS per
// group) and relkind in relation entries, as pg_dump 17 writes them. The
// specs follow their entries; `blobOids` gives each grouped BLOBS entry its objects.
Status applyArchiveVersion(BuiltToc& built, ArchiveVersion version, const ObjectStore& store,
                           std::vector<std::optional<std::vector<uint32_t>>>& blobOids) {
  blobOids.assign(built.toc.entries.size(), std::nullopt);
  if (!version.atLeast(1, 15)) return {};
  PGARC_ASSIGN(bool grouped, version.atLeast(1, 16) ? groupLargeObjectsAsRun(built, blobOids) : Result<bool>(false));
  if (!grouped) {
    if (version.atLeast(1, 16)) PGARC_TRY(expandRuns(built));  // 1.15 keeps the 1.14 layout, runs and all
    std::map<int, const EntrySpec*> specById;
    for (size_t i = 0; i < built.toc.entries.size(); i++) specById[built.toc.entries[i].dumpId] = built.specs[i];
    PGARC_ASSIGN(ConversionPlan plan, planConversion(built.toc, version));
    built.toc = std::move(plan.toc);
    built.specs.assign(built.toc.entries.size(), nullptr);
    blobOids.assign(built.toc.entries.size(), std::nullopt);
    for (size_t i = 0; i < built.toc.entries.size(); i++) {
      auto d = plan.data.find(built.toc.entries[i].dumpId);
      int sourceId = built.toc.entries[i].dumpId;
      if (d != plan.data.end() && !d->second.sourceIds.empty()) {
        sourceId = d->second.sourceIds.front();
        blobOids[i] = d->second.oids;
      }
      auto s = specById.find(sourceId);
      if (s != specById.end()) built.specs[i] = s->second;
    }
  }
  if (!version.atLeast(1, 16)) return {};
  for (TocEntry& e : built.toc.entries) {
    if (e.relkind == 0) continue;
    // The catalog knows better than the entry's desc (partitioned tables, views).
    const DumpableObject* obj = store.byDumpId(e.dumpId);
    if (obj && obj->type == ObjectType::Table) e.relkind = static_cast<const TableInfo*>(obj)->relkind;
  }
  return {};
}

Status writeEntryData(ArchiveWriter& writer, const TocEntry& entry, const EntrySpec& spec,
                      const std::optional<std::vector<uint32_t>>& oids, const PipelineOptions& pipeline,
                      const InfoLog& info) {
  if (spec.tableData) {
    logTableDump(info, spec);
    // A writer that records the payload (the manifest's digests) takes it
    // from the thread that reads the rows; the stream then only stores them.
    PGARC_ASSIGN(std::unique_ptr<DataStream> observer, writer.observePlainPayload(entry.dumpId));
    PGARC_ASSIGN(auto stream, writer.openTableData(entry.dumpId));
    StreamChunkSink sink(*stream);
    std::optional<StreamChunkSink> observerSink;
    if (observer) observerSink.emplace(*observer);
    Status st = pipeTableData(spec, sink, pipeline, observerSink ? &*observerSink : nullptr);
    if (!st.ok()) return std::move(st).error().withDumpId(entry.dumpId);
    PGARC_TRY(stream->close());
    return observer ? observer->close() : Status{};
  }
  if (spec.blobs) {
    if (info) info("saving large objects");
    PGARC_ASSIGN(auto stream, writer.openBlobs(entry.dumpId));
    StreamBlobOutput sink(*stream);
    Status st = oids && spec.blobsOf ? spec.blobsOf(*oids, sink) : spec.blobs(sink);
    if (!st.ok()) return std::move(st).error().withDumpId(entry.dumpId);
    return stream->close();
  }
  return {};
}

std::string spoolDirFor(const std::string& path) {
  if (path != "-") {
    size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
  }
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

}  // namespace

Status writeOutput(DumpPlan plan, const DumpOptions& o, const ObjectStore& store, const std::tm& created,
                   const InfoLog& info, const ConnectionFactory* workers) {
  BuiltToc built = buildToc(plan, o, store, created);
  const std::string path = o.file.value_or("-");
  const CompressionSpec compression = effectiveCompression(o);
  PGARC_ASSIGN(std::optional<std::string> manifestPath, manifestTarget(o, path));
  if (o.format == ArchiveKind::Plain) {
    std::unique_ptr<OutputStream> out;
    if (path == "-") {
      PGARC_ASSIGN(out, openStdout());
    } else {
      PGARC_ASSIGN(out, createOutputFile(path, o.noSync ? SyncMode::NoSync : SyncMode::Sync));
    }
    if (compression.algorithm != CompressionAlgorithm::None) {
      PGARC_ASSIGN(auto gz, GzipOutput::create(std::move(out), compression));
      out = std::move(gz);
    }
    LiveDataSource source(built, info);
    PGARC_TRY(renderScript(built.toc, source, plainOptions(o), *out, info));
    return out->commit();
  }
  if (o.format == ArchiveKind::Directory && path == "-")
    return makeError("no output directory specified");
  // The writers make the large objects' entries as they write the TOC (and
  // tar's restore.sql).
  std::vector<std::optional<std::vector<uint32_t>>> blobOids;
  PGARC_TRY(applyArchiveVersion(built, o.archiveVersion, store, blobOids));  // from the 1.14 TOC buildToc makes
  built.toc.header.version = o.archiveVersion;
  WriterOptions w;
  w.kind = o.format;
  w.compression = compression;
  w.sync = !o.noSync;
  w.info = info;
  built.toc.header.compressionLevel = compression.algorithm == CompressionAlgorithm::None ? 0 : compression.level;
  built.toc.header.compression = compression.algorithm;
  PGARC_ASSIGN(auto writer, createManifestedWriter(path, w, manifestPath, o.manifestChecksums.value_or(ChecksumAlgorithm::Crc32c)));
  PGARC_TRY(writer->begin(std::move(built.toc)));
  const ArchiveToc& toc = writer->toc();  // the writer holds the only copy
  PipelineOptions pipeline;
  // Uncompressed custom format stores one chunk per write, as pg_dump; the
  // lz4 and zstd frame writers are kept to their write pattern as well.
  pipeline.keepWriteBoundaries = o.format == ArchiveKind::Custom && compression.algorithm != CompressionAlgorithm::Gzip;
  auto onLeader = [&](size_t i) -> Status {
    if (!built.specs[i]) return Error{"no data producer for a TOC entry with data", "", std::nullopt, toc.entries[i].dumpId};
    return writeEntryData(*writer, toc.entries[i], *built.specs[i], blobOids[i], pipeline, info);
  };
  if (o.jobs > 1 && workers && (o.format == ArchiveKind::Directory || o.format == ArchiveKind::Custom)) {
    ParallelDataPlan p;
    p.kind = o.format;
    p.compression = compression;
    p.jobs = o.jobs;
    p.spoolDir = spoolDirFor(path);
    p.toc = &toc;
    p.specs = &built.specs;
    p.writeOnLeader = onLeader;
    PGARC_TRY(writeDataParallel(*writer, p, *workers, info));
  } else {
    for (size_t i = 0; i < toc.entries.size(); i++) {
      if (!built.specs[i]) continue;
      PGARC_TRY(writeEntryData(*writer, toc.entries[i], *built.specs[i], blobOids[i], pipeline, info));
    }
  }
  return writer->finish();
}

}  // namespace pgarc::dump
