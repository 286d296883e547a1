// Writer dispatch by archive kind, and copying one archive's data into a
// writer (conversion between formats, round-trip tests).
#include "format/archive_reader.hpp"
#include "format/archive_writer.hpp"
#include "format/io.hpp"

namespace pgarc {

const char* archiveKindName(ArchiveKind k) {
  switch (k) {
    case ArchiveKind::Custom: return "CUSTOM";
    case ArchiveKind::Directory: return "DIRECTORY";
    case ArchiveKind::Tar: return "TAR";
    case ArchiveKind::Plain: return "PLAIN";
  }
  return "UNKNOWN";
}

Result<std::unique_ptr<ArchiveWriter>> createArchiveWriter(const std::string& path, const WriterOptions& options) {
  switch (options.kind) {
    case ArchiveKind::Directory:
      return createDirectoryWriter(path, options);
    case ArchiveKind::Custom: {
      PGARC_ASSIGN(auto out, createOutputFile(path, syncModeOf(options)));
      return createCustomWriter(std::move(out), options);
    }
    case ArchiveKind::Tar: {
      // Refuse compression before anything is created, as pg_dump does.
      if (options.compression.algorithm != CompressionAlgorithm::None) {
        return makeError("compression is not supported by tar archive format");
      }
      PGARC_ASSIGN(auto out, createOutputFile(path, syncModeOf(options)));
      return createTarWriter(std::move(out), options);
    }
    case ArchiveKind::Plain:
      return makeError("plain format is a SQL script, not an archive: render it with the script renderer");
  }
  return makeError("unknown archive kind");
}

namespace {

class DataStreamSink : public DataSink {
 public:
  explicit DataStreamSink(DataStream& s) : s_(s) {}
  Status data(std::string_view bytes) override { return s_.write(bytes); }

 private:
  DataStream& s_;
};

class BlobStreamSink : public BlobSink {
 public:
  explicit BlobStreamSink(BlobStream& s) : s_(s) {}
  Status beginBlob(uint32_t oid) override { return s_.beginBlob(oid); }
  Status data(std::string_view bytes) override { return s_.write(bytes); }
  Status endBlob(uint32_t) override { return s_.endBlob(); }

 private:
  BlobStream& s_;
};

}  // namespace

// Begins the writer with the reader's TOC and streams every entry's data in
// TOC order. The caller calls writer.finish().
Status copyArchiveData(ArchiveReader& reader, ArchiveWriter& writer) {
  const ArchiveToc& toc = reader.toc();
  PGARC_TRY(writer.begin(toc));
  for (const TocEntry& e : toc.entries) {
    if (!e.hadDumper) continue;
    auto fail = [&](Error err) { return std::move(err).withDumpId(e.dumpId); };
    if (e.desc && *e.desc == "BLOBS") {
      auto stream = writer.openBlobs(e.dumpId);
      if (!stream.ok()) return fail(std::move(stream).error());
      BlobStreamSink sink(**stream);
      if (auto st = reader.readBlobs(e, sink); !st.ok()) return fail(std::move(st).error());
      if (auto st = (*stream)->close(); !st.ok()) return fail(std::move(st).error());
    } else {
      auto stream = writer.openTableData(e.dumpId);
      if (!stream.ok()) return fail(std::move(stream).error());
      DataStreamSink sink(**stream);
      if (auto st = reader.readTableData(e, sink); !st.ok()) return fail(std::move(st).error());
      if (auto st = (*stream)->close(); !st.ok()) return fail(std::move(st).error());
    }
  }
  return {};
}

}  // namespace pgarc
