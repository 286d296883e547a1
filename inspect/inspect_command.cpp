#include "inspect/inspect_command.hpp"

#include <cstdio>

#include "format/archive_reader.hpp"
#include "format/io.hpp"
#include "format/script_renderer.hpp"
#include "inspect/inspect_options.hpp"
#include "inspect/toc_report.hpp"

namespace pgarc {

namespace {

// -L files are listings a person edits; anything this large is not one.
constexpr uint64_t kMaxListFileSize = 256ull << 20;

Result<std::string> readListFile(const std::string& path) {
  auto in = openInputFile(path);
  if (!in.ok()) return makeError("could not open TOC file \"" + path + "\": " + in.error().message);
  std::string text;
  char buf[65536];
  while (true) {
    auto got = (*in)->read(buf, sizeof buf);
    if (!got.ok()) return makeError("could not read TOC file \"" + path + "\": " + got.error().describe());
    if (*got == 0) break;
    if (text.size() + *got > kMaxListFileSize)
      return makeError("TOC file \"" + path + "\" is too large: expected at most " +
                       std::to_string(kMaxListFileSize) + " bytes");
    text.append(buf, *got);
  }
  return text;
}

class OutputSink : public DataSink {
 public:
  explicit OutputSink(OutputStream& out) : out_(out) {}
  Status data(std::string_view bytes) override { return out_.write(bytes); }

 private:
  OutputStream& out_;
};

// --data on a BLOBS entry: the objects' bytes, one after another.
class BlobBytesSink : public BlobSink {
 public:
  explicit BlobBytesSink(OutputStream& out) : out_(out) {}
  Status beginBlob(uint32_t) override { return {}; }
  Status data(std::string_view bytes) override { return out_.write(bytes); }
  Status endBlob(uint32_t) override { return {}; }

 private:
  OutputStream& out_;
};

Status writeEntryData(ArchiveReader& reader, int dumpId, OutputStream& out) {
  for (const auto& e : reader.toc().entries) {
    if (e.dumpId != dumpId) continue;
    if (!e.hadDumper)
      return Error{"TOC entry has no data: " + e.descStr() + " " + e.tagStr() + " was dumped without a data part",
                   reader.path(), {}, dumpId};
    if (e.descStr() == "BLOBS") {
      BlobBytesSink sink(out);
      return reader.readBlobs(e, sink);
    }
    OutputSink sink(out);
    return reader.readTableData(e, sink);
  }
  return makeError("no TOC entry with dump ID " + std::to_string(dumpId));
}

}  // namespace

Result<int> runInspect(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "--convert") return runConvert({args.begin() + 1, args.end()});
  PGARC_ASSIGN(InspectOptions o, parseInspectOptions(args));
  if (o.action == InspectAction::Help) {
    std::fputs(inspectUsage(), stdout);
    return 0;
  }
  if (o.action == InspectAction::Version) {
    std::puts("pgarc inspect 0.1 (reads archive versions 1.12 to 1.16; options of pg_restore 15)");
    return 0;
  }

  PGARC_ASSIGN(std::unique_ptr<ArchiveReader> reader, openArchive(o.archive));
  if (o.format && *o.format != reader->kind())
    return Error{std::string("archive is in ") + kindName(reader->kind()) + " format, but -F/--format asked for " +
                     kindName(*o.format),
                 reader->path(), {}, {}};
  if (o.listFilePath) {
    PGARC_ASSIGN(std::string list, readListFile(*o.listFilePath));
    o.restore.listFile = std::move(list);
  }

  PGARC_ASSIGN(std::unique_ptr<OutputStream> out, createOutputFile(o.outputFile.value_or("-")));
  ArchiveDescription description{&reader->toc(), reader->kind(), reader->path(), [&reader](const TocEntry& e) {
                                   return EntryDataInfo{reader->dataLocation(e), reader->storedDataSize(e)};
                                 }};
  switch (o.action) {
    case InspectAction::List:
      PGARC_TRY(renderList(reader->toc(), reader->kind(), o.restore, *out));
      // Same listing as pg_restore -l, but a truncated archive is not "fine".
      PGARC_TRY(reader->checkDataPresent());
      break;
    case InspectAction::Script:
      PGARC_TRY(renderScript(reader->toc(), *reader, o.restore, *out));
      break;
    case InspectAction::Json:
      PGARC_TRY(out->write(tocJson(description)));
      break;
    case InspectAction::Entries: {
      PGARC_ASSIGN(std::string text,
                   o.json ? entriesJson(description, o.entries) : entriesText(description, o.entries));
      PGARC_TRY(out->write(text));
      break;
    }
    case InspectAction::Data:
      PGARC_TRY(writeEntryData(*reader, *o.dataEntry, *out));
      break;
    default:
      break;
  }
  PGARC_TRY(out->commit());
  return 0;
}

}  // namespace pgarc
