// `pgarc convert`: read any archive, write it in another format, archive
// version or compression, or as the plain script pg_restore would print.
#include <cstdio>
#include <set>

#include "format/archive_reader.hpp"
#include "format/archive_writer.hpp"
#include "format/io.hpp"
#include "format/script_renderer.hpp"
#include "inspect/blob_grouping.hpp"
#include "inspect/convert_options.hpp"
#include "inspect/inspect_command.hpp"
#include "inspect/toc_report.hpp"

namespace pgarc {

namespace {

bool needsVersion115(const CompressionSpec& s) {
  return s.algorithm == CompressionAlgorithm::Lz4 || s.algorithm == CompressionAlgorithm::Zstd;
}

int defaultLevel(CompressionAlgorithm a) {
  switch (a) {
    case CompressionAlgorithm::None: return 0;
    case CompressionAlgorithm::Gzip: return -1;
    case CompressionAlgorithm::Lz4: return 0;
    case CompressionAlgorithm::Zstd: return 3;
  }
  return 0;
}

// Without -Z the input's compression is kept (its level too when the header
// records one, i.e. before 1.15); tar cannot hold compressed data.
CompressionSpec chooseCompression(const ConvertOptions& o, const ArchiveHeader& in) {
  if (o.compression) return *o.compression;
  if (o.target == ArchiveKind::Tar) return {};
  CompressionSpec s{in.compression, defaultLevel(in.compression), false};
  if (!in.version.atLeast(1, 15) && in.compression == CompressionAlgorithm::Gzip && in.compressionLevel >= 1 &&
      in.compressionLevel <= 9)
    s.level = in.compressionLevel;
  return s;
}

Result<ArchiveVersion> chooseVersion(const ConvertOptions& o, const ArchiveHeader& in, const CompressionSpec& spec) {
  if (o.version) {
    if (needsVersion115(spec) && !o.version->atLeast(1, 15))
      return makeError(std::string("the input is compressed with ") + compressionName(spec.algorithm) +
                       ", which archive version " + std::to_string(o.version->major) + "." +
                       std::to_string(o.version->minor) + " cannot record; give -Z gzip or -Z none, or "
                       "--archive-version 1.15 or later");
    return *o.version;
  }
  ArchiveVersion v{1, in.version.minor, 0};
  if (!in.version.atLeast(1, 14)) v = ArchiveVersion{1, 14, 0};
  if (in.version.value() > ArchiveVersion::of(1, 16, 255)) v = ArchiveVersion{1, 16, 0};
  if (needsVersion115(spec) && !v.atLeast(1, 15)) v = ArchiveVersion{1, 15, 0};
  return v;
}

class StreamSink : public DataSink {
 public:
  explicit StreamSink(DataStream& s) : s_(s) {}
  Status data(std::string_view bytes) override { return s_.write(bytes); }

 private:
  DataStream& s_;
};

// Passes on the large objects of one target group and skips the others.
class GroupBlobSink : public BlobSink {
 public:
  GroupBlobSink(BlobStream& out, const std::set<uint32_t>* wanted, const std::set<uint32_t>* known)
      : out_(out), wanted_(wanted), known_(known) {}
  Status beginBlob(uint32_t oid) override {
    if (known_ && !known_->count(oid))
      return makeError("large object " + std::to_string(oid) +
                       " has data but no BLOB entry in the TOC: cannot place it in a 1.16 group");
    if (wanted_ && !wanted_->count(oid)) {
      skipping_ = true;
      return {};
    }
    if (!seen_.insert(oid).second) return makeError("large object " + std::to_string(oid) + " appears twice in the data");
    return out_.beginBlob(oid);
  }
  Status data(std::string_view bytes) override { return skipping_ ? Status{} : out_.write(bytes); }
  Status endBlob(uint32_t) override {
    if (skipping_) {
      skipping_ = false;
      return {};
    }
    return out_.endBlob();
  }
  const std::set<uint32_t>& seen() const { return seen_; }

 private:
  BlobStream& out_;
  const std::set<uint32_t>* wanted_;
  const std::set<uint32_t>* known_;
  std::set<uint32_t> seen_;
  bool skipping_ = false;
};

Status copyPlannedData(ArchiveReader& reader, ArchiveWriter& writer, const ConversionPlan& plan) {
  std::map<int, const TocEntry*> sources;
  for (const auto& e : reader.toc().entries) sources[e.dumpId] = &e;
  std::set<uint32_t> allGroupedOids;
  for (const auto& [id, p] : plan.data)
    if (p.oids) allGroupedOids.insert(p.oids->begin(), p.oids->end());

  for (const auto& e : plan.toc.entries) {
    if (!e.hadDumper) continue;
    auto it = plan.data.find(e.dumpId);
    if (it == plan.data.end()) return Error{"no data source planned for entry", {}, {}, e.dumpId};
    const DataSourcePlan& p = it->second;
    if (e.descStr() == "BLOBS") {
      PGARC_ASSIGN(std::unique_ptr<BlobStream> bs, writer.openBlobs(e.dumpId));
      std::set<uint32_t> wanted;
      if (p.oids) wanted.insert(p.oids->begin(), p.oids->end());
      GroupBlobSink sink(*bs, p.oids ? &wanted : nullptr, p.oids ? &allGroupedOids : nullptr);
      for (int src : p.sourceIds) {
        auto s = sources.find(src);
        if (s == sources.end()) return Error{"source entry missing", reader.path(), {}, src};
        Status st = reader.readBlobs(*s->second, sink);
        if (!st.ok()) return std::move(st).error().withDumpId(src);
      }
      if (p.oids && sink.seen().size() != wanted.size()) {
        for (uint32_t oid : wanted)
          if (!sink.seen().count(oid))
            return Error{"large object " + std::to_string(oid) + " is listed in the TOC but has no data in the archive",
                         reader.path(), {}, e.dumpId};
      }
      PGARC_TRY(bs->close());
      continue;
    }
    if (p.sourceIds.size() != 1) return Error{"expected one data source for entry", {}, {}, e.dumpId};
    auto s = sources.find(p.sourceIds.front());
    if (s == sources.end()) return Error{"source entry missing", reader.path(), {}, p.sourceIds.front()};
    PGARC_ASSIGN(std::unique_ptr<DataStream> ds, writer.openTableData(e.dumpId));
    StreamSink sink(*ds);
    Status st = reader.readTableData(*s->second, sink);
    if (!st.ok()) return std::move(st).error().withDumpId(e.dumpId);
    PGARC_TRY(ds->close());
  }
  return {};
}

}  // namespace

Result<int> runConvert(const std::vector<std::string>& args) {
  PGARC_ASSIGN(ConvertOptions o, parseConvertOptions(args));
  if (o.help) {
    std::fputs(convertUsage(), stdout);
    return 0;
  }
  PGARC_ASSIGN(std::unique_ptr<ArchiveReader> reader, openArchive(o.input));
  const ArchiveToc& in = reader->toc();

  if (o.target == ArchiveKind::Plain) {
    RestoreOptions r;
    r.mode = ScriptMode::Restore;
    r.restrictKey = o.restrictKey;
    PGARC_ASSIGN(std::unique_ptr<OutputStream> out, createOutputFile(o.output));
    PGARC_TRY(renderScript(in, *reader, r, *out));
    PGARC_TRY(out->commit());
    return 0;
  }

  CompressionSpec spec = chooseCompression(o, in.header);
  PGARC_ASSIGN(ArchiveVersion version, chooseVersion(o, in.header, spec));
  PGARC_ASSIGN(ConversionPlan plan, planConversion(in, version));
  plan.toc.header.compression = spec.algorithm;
  plan.toc.header.compressionLevel = spec.algorithm == CompressionAlgorithm::None ? 0
                                     : spec.algorithm == CompressionAlgorithm::Gzip ? spec.level
                                                                                     : -1;
  WriterOptions wo;
  wo.kind = o.target;
  wo.compression = spec;
  PGARC_ASSIGN(std::unique_ptr<ArchiveWriter> writer, createArchiveWriter(o.output, wo));
  PGARC_TRY(writer->begin(plan.toc));
  PGARC_TRY(copyPlannedData(*reader, *writer, plan));
  PGARC_TRY(writer->finish());
  if (o.verbose)
    std::fprintf(stderr, "pgarc: converted %s archive %s (version %s, %zu entries) to %s archive %s (version %s, %s)\n",
                 kindName(reader->kind()), reader->path().c_str(), in.header.version.toString().c_str(),
                 in.entries.size(), kindName(o.target), o.output.c_str(), version.toString().c_str(),
                 compressionName(spec.algorithm));
  return 0;
}

}  // namespace pgarc
