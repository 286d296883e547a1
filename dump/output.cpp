#include "dump/output.hpp"

#include <set>

#include "dump/manifest_writer.hpp"
#include "format/archive_writer.hpp"
#include "format/codec.hpp"
#include "format/io.hpp"
#include "format/script_renderer.hpp"

namespace pgarc::dump {

namespace {

// The pg_dump version we emulate, as stock pg_dump 15 on this system writes it
// into the header ("Dumped by pg_dump version ..."): archives must match the
// stock tool's byte for byte, so pgarc reports the same string.
constexpr const char* kDumpVersionString = "15.18 (Debian 15.18-0+deb12u1)";

bool isDataEntry(const EntrySpec& e) {
  if (e.tableData || e.blobs) return true;
  if (e.desc == "SEQUENCE SET" || e.desc == "BLOB") return true;
  if ((e.desc == "ACL" || e.desc == "COMMENT" || e.desc == "SECURITY LABEL") && e.tag.rfind("LARGE OBJECT ", 0) == 0)
    return true;
  return false;
}

// pg_dump writes only the entries its own restore options require.
bool required(const EntrySpec& e, Section current, const DumpOptions& o) {
  if (e.desc == "ENCODING" || e.desc == "STDSTRINGS" || e.desc == "SEARCHPATH") return true;
  if (e.desc == "DATABASE" || e.desc == "DATABASE PROPERTIES") return true;
  int bit = current == Section::PreData ? 1 : current == Section::Data ? 2 : current == Section::PostData ? 4 : 0;
  if (bit == 0 || !o.dumpSections(bit)) return false;
  bool schema = true, data = true;
  if (!(e.tableData || e.blobs)) {
    if (isDataEntry(e)) schema = false;
    else data = false;
  }
  if (!e.defn || e.defn->empty()) schema = false;
  if (o.schemaOnly) data = false;
  if (o.dataOnly) schema = false;
  return schema || data;
}

void archiveDependencies(const DumpableObject* obj, const std::set<DumpId>& inToc, const ObjectStore& store,
                         std::vector<std::string>& out, int depth) {
  if (!obj || depth > 10000) return;
  if (obj->type == ObjectType::PreDataBoundary || obj->type == ObjectType::PostDataBoundary) return;
  for (DumpId d : obj->dependencies) {
    if (inToc.count(d)) {
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

// Live data for renderScript (plain output).
class LiveDataSource : public DataSource {
 public:
  LiveDataSource(const BuiltToc& built, const InfoLog& info) : built_(built), info_(info) {}
  Status readTableData(const TocEntry& entry, DataSink& sink) override {
    const EntrySpec* spec = find(entry.dumpId);
    if (!spec || !spec->tableData) return {};
    if (info_) info_("dumping contents of table \"" + (spec->namespace_ ? *spec->namespace_ + "." : "") + spec->tag + "\"");
    SinkChunkSink out(sink);
    return spec->tableData(out);
  }
  Status readBlobs(const TocEntry& entry, BlobSink& sink) override {
    const EntrySpec* spec = find(entry.dumpId);
    if (!spec || !spec->blobs) return {};
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

// Plain output compressed with -Z: a gzip file, as pg_dump writes it.
class GzipOutput : public OutputStream {
 public:
  static Result<std::unique_ptr<GzipOutput>> create(std::unique_ptr<OutputStream> inner, int level) {
    auto out = std::unique_ptr<GzipOutput>(new GzipOutput(std::move(inner)));
    PGARC_ASSIGN(out->comp_, makeCompressor(CompressionSpec{CompressionAlgorithm::Gzip, level, false},
                                            CodecContainer::File, out->sink_));
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

BuiltToc buildToc(const DumpPlan& plan, const DumpOptions& o, const ObjectStore& store, const std::tm& created) {
  BuiltToc out;
  ArchiveHeader& h = out.toc.header;
  h.version = ArchiveVersion{1, 14, 0};
  h.intSize = 4;
  h.offSize = 8;
  h.created = toCreationTime(created);
  h.dbname = plan.dbname;
  h.serverVersion = plan.serverVersion;
  h.dumpVersion = kDumpVersionString;

  Section current = Section::PreData;
  std::set<DumpId> inToc;
  for (const EntrySpec& e : plan.entries) {
    if (e.section != Section::None) current = e.section;
    if (!required(e, current, o)) continue;
    inToc.insert(e.dumpId);
    out.specs.push_back(&e);
  }
  for (const EntrySpec* e : out.specs) {
    TocEntry t;
    t.dumpId = e->dumpId;
    t.hadDumper = static_cast<bool>(e->tableData) || static_cast<bool>(e->blobs);
    t.tableoid = std::to_string(e->catId.tableoid);
    t.oid = std::to_string(e->catId.oid);
    t.tag = e->tag;
    t.desc = e->desc;
    t.section = e->section;
    t.defn = e->defn;
    t.dropStmt = e->dropStmt;
    t.copyStmt = e->copyStmt;
    t.namespace_ = e->namespace_;
    t.tablespace = e->tablespace;
    t.tableam = e->tableam;
    t.owner = e->owner;
    if (!e->deps.empty()) {
      for (DumpId d : e->deps) t.dependencies.push_back(std::to_string(d));
    } else if (o.format != ArchiveKind::Plain) {
      archiveDependencies(store.byDumpId(e->dumpId), inToc, store, t.dependencies, 0);
    }
    out.toc.entries.push_back(std::move(t));
  }
  return out;
}

Status writeOutput(const DumpPlan& plan, const DumpOptions& o, const ObjectStore& store, const std::tm& created,
                   const InfoLog& info) {
  BuiltToc built = buildToc(plan, o, store, created);
  const std::string path = o.file.value_or("-");
  PGARC_ASSIGN(std::optional<std::string> manifestPath, manifestTarget(o, path));
  if (o.format == ArchiveKind::Plain) {
    std::unique_ptr<OutputStream> out;
    if (path == "-") {
      PGARC_ASSIGN(out, openStdout());
    } else {
      PGARC_ASSIGN(out, createOutputFile(path));
    }
    if (o.compressLevel && *o.compressLevel > 0) {
      PGARC_ASSIGN(auto gz, GzipOutput::create(std::move(out), *o.compressLevel));
      out = std::move(gz);
    }
    LiveDataSource source(built, info);
    PGARC_TRY(renderScript(built.toc, source, plainOptions(o), *out));
    return out->commit();
  }
  if (o.format == ArchiveKind::Directory && path == "-")
    return makeError("no output directory specified");
  WriterOptions w;
  w.kind = o.format;
  int level = o.compressLevel.value_or(o.format == ArchiveKind::Tar ? 0 : -1);
  w.compression = level == 0 ? CompressionSpec{CompressionAlgorithm::None, 0, false}
                             : CompressionSpec{CompressionAlgorithm::Gzip, level, false};
  built.toc.header.compressionLevel = level;
  built.toc.header.compression = w.compression.algorithm;
  PGARC_ASSIGN(auto writer, createManifestedWriter(path, w, manifestPath));
  PGARC_TRY(writer->begin(built.toc));
  for (size_t i = 0; i < built.toc.entries.size(); i++) {
    const EntrySpec* spec = built.specs[i];
    const TocEntry& entry = built.toc.entries[i];
    if (spec->tableData) {
      if (info) info("dumping contents of table \"" + (spec->namespace_ ? *spec->namespace_ + "." : "") + spec->tag + "\"");
      PGARC_ASSIGN(auto stream, writer->openTableData(entry.dumpId));
      StreamChunkSink sink(*stream);
      Status st = spec->tableData(sink);
      if (!st.ok()) return std::move(st).error().withDumpId(entry.dumpId);
      PGARC_TRY(stream->close());
    } else if (spec->blobs) {
      if (info) info("saving large objects");
      PGARC_ASSIGN(auto stream, writer->openBlobs(entry.dumpId));
      StreamBlobOutput sink(*stream);
      Status st = spec->blobs(sink);
      if (!st.ok()) return std::move(st).error().withDumpId(entry.dumpId);
      PGARC_TRY(stream->close());
    }
  }
  return writer->finish();
}

}  // namespace pgarc::dump
