// Structural walk of a directory-format archive: toc.dat, one data file per
// data entry, the large-object index and its files; nothing missing, nothing
// extra.
#include <dirent.h>
#include <sys/stat.h>

#include <map>
#include <set>

#include "format/header_toc.hpp"
#include "format/primitives.hpp"
#include "verify/walk_support.hpp"

namespace pgarc {
namespace {

constexpr size_t kPiece = 256 * 1024;
constexpr uint64_t kMaxTocSize = 1ull << 30;

struct Suffix {
  const char* text;
  CompressionAlgorithm algorithm;
};
constexpr Suffix kSuffixes[] = {{"", CompressionAlgorithm::None},
                                {".gz", CompressionAlgorithm::Gzip},
                                {".lz4", CompressionAlgorithm::Lz4},
                                {".zst", CompressionAlgorithm::Zstd}};

class DirectoryWalker {
 public:
  DirectoryWalker(std::string dir, const WalkOptions& options, Report& report)
      : dir_(std::move(dir)), options_(options), report_(report) {}

  Status run() {
    PGARC_TRY(listFiles());
    auto tocFile = locate("toc.dat");
    if (!tocFile) {
      fileProblem("toc.dat", "toc.dat is missing: not a complete directory archive", {});
      reportUnexpected();
      return {};
    }
    std::string tocBytes;
    if (!readWhole(*tocFile, tocBytes)) {
      reportUnexpected();
      return {};
    }
    auto in = openInputMemory(std::move(tocBytes), path(tocFile->first));
    ByteReader r(*in);
    auto header = readHeader(r, ArchiveFormat::Tar);
    if (!header.ok()) {
      fileProblem(tocFile->first, "could not read header: " + header.error().message, header.error().offset);
      reportUnexpected();
      return {};
    }
    auto entries = readToc(r, *header, TocExtra::Filename);
    if (!entries.ok()) {
      report_.add(Problem{path(tocFile->first), entries.error().dumpId, {}, {},
                          "could not read TOC: " + entries.error().message, entries.error().offset, OffsetKind::File});
      reportUnexpected();
      return {};
    }
    if (auto sz = in->size(); sz && in->position() != *sz) {
      fileProblem(tocFile->first, std::to_string(*sz - in->position()) + " unexpected bytes after the TOC",
                  in->position());
    }
    payload_ = adoptToc(report_, *header, std::move(*entries), path(tocFile->first), options_);
    const ArchiveToc& toc = *report_.toc;
    for (const auto& e : toc.entries) {
      if (!e.hadDumper) continue;
      if (e.desc == "BLOBS") {
        checkBlobs(toc, e);
      } else {
        checkData(e);
      }
    }
    checkLargeObjects(toc, report_, path("toc.dat"));
    reportUnexpected();
    return {};
  }

 private:
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

  void fileProblem(const std::string& file, std::string what, std::optional<uint64_t> offset) {
    report_.add(Problem{path(file), {}, {}, {}, std::move(what), offset, OffsetKind::File});
  }

  Status listFiles() {
    DIR* d = ::opendir(dir_.c_str());
    if (!d) return systemError("open directory", dir_);
    while (struct dirent* de = ::readdir(d)) {
      std::string name = de->d_name;
      if (name == "." || name == "..") continue;
      struct stat st {};
      if (::lstat(path(name).c_str(), &st) != 0) continue;
      files_[name] = S_ISREG(st.st_mode);
    }
    ::closedir(d);
    return {};
  }

  // Finds `base` with any compression suffix, pg_restore's order first.
  std::optional<std::pair<std::string, CompressionAlgorithm>> locate(const std::string& base) {
    for (const auto& s : kSuffixes) {
      std::string name = base + s.text;
      auto it = files_.find(name);
      if (it != files_.end() && it->second) {
        used_.insert(name);
        return std::make_pair(name, s.algorithm);
      }
    }
    return std::nullopt;
  }

  void reportUnexpected() {
    for (const auto& [name, regular] : files_) {
      if (used_.count(name) || options_.ignoredFiles.count(name)) continue;
      fileProblem(name, regular ? "unexpected file in the archive directory" : "unexpected non-file in the archive directory",
                  {});
    }
  }

  MeteredInput* open(const std::string& name, std::unique_ptr<MeteredInput>& holder) {
    auto raw = openInputFile(path(name));
    if (!raw.ok()) {
      fileProblem(name, "could not open: " + raw.error().message, {});
      return nullptr;
    }
    holder = std::make_unique<MeteredInput>(std::move(raw).value(),
                                             options_.digests ? options_.checksum : ChecksumAlgorithm::None,
                                             options_.progress, progressBase_);
    return holder.get();
  }

  void closed(const std::string& name, MeteredInput& in) {
    progressBase_ += in.bytesRead();
    report_.stats.bytesRead += in.bytesRead();
    if (options_.digests) report_.files.push_back(FileDigest{name, in.bytesRead(), in.hexDigest()});
  }

  // Reads a small control file (toc.dat, blobs.toc) whole, decompressing by suffix.
  bool readWhole(const std::pair<std::string, CompressionAlgorithm>& file, std::string& out) {
    std::unique_ptr<MeteredInput> holder;
    MeteredInput* in = open(file.first, holder);
    if (!in) return false;
    if (auto sz = in->size(); sz && *sz > kMaxTocSize) {
      fileProblem(file.first, "file is larger than " + std::to_string(kMaxTocSize) + " bytes", {});
      return false;
    }
    StringSink sink;
    auto dec = makeDecompressor(file.second, CodecContainer::File, sink);
    if (!dec.ok()) {
      fileProblem(file.first, "cannot decompress: " + dec.error().message, {});
      return false;
    }
    std::string buf(kPiece, '\0');
    bool ok = true;
    for (;;) {
      auto got = in->read(buf.data(), buf.size());
      if (!got.ok()) {
        fileProblem(file.first, "read error: " + got.error().message, in->position());
        ok = false;
        break;
      }
      if (*got == 0) break;
      Status s = (*dec)->write(std::string_view(buf.data(), *got));
      if (!s.ok()) {
        fileProblem(file.first, "corrupt compressed data: " + s.error().message, in->position());
        ok = false;
        break;
      }
      if (sink.out.size() > kMaxTocSize) {
        fileProblem(file.first, "decompresses to more than " + std::to_string(kMaxTocSize) + " bytes", {});
        ok = false;
        break;
      }
    }
    if (ok) {
      Status s = (*dec)->finish();
      if (!s.ok()) {
        fileProblem(file.first, "incomplete compressed data: " + s.error().message, in->position());
        ok = false;
      }
    }
    closed(file.first, *in);
    out = std::move(sink.out);
    return ok;
  }

  // Streams a data file through `feed`; returns false on a read error.
  template <class Feed>
  bool streamFile(const std::string& name, MeteredInput& in, Feed&& feed) {
    std::string buf(kPiece, '\0');
    for (;;) {
      const uint64_t at = in.position();
      auto got = in.read(buf.data(), buf.size());
      if (!got.ok()) {
        fileProblem(name, "read error: " + got.error().message, at);
        return false;
      }
      if (*got == 0) return true;
      feed(std::string_view(buf.data(), *got), at);
    }
  }

  static bool plainFileName(const std::string& n) {
    return !n.empty() && n.find('/') == std::string::npos && n != "." && n != "..";
  }

  void checkData(const TocEntry& e) {
    if (!e.filename || !plainFileName(*e.filename)) {
      report_.addForEntry(e, path("toc.dat"),
                          "entry has data but its file name is " + (e.filename ? "\"" + *e.filename + "\"" : std::string("NULL")),
                          {});
      return;
    }
    auto file = locate(*e.filename);
    if (!file) {
      report_.addForEntry(e, path(*e.filename), "data file " + *e.filename + " (or a compressed variant) is missing", {});
      return;
    }
    std::unique_ptr<MeteredInput> holder;
    MeteredInput* in = open(file->first, holder);
    if (!in) return;
    EntryStreamCheck check(e, file->second, CodecContainer::File, payload_, report_, path(file->first));
    bool ok = streamFile(file->first, *in, [&](std::string_view piece, uint64_t at) { check.feed(piece, at); });
    check.finish(in->position(), ok);
    closed(file->first, *in);
  }

  void checkBlobs(const ArchiveToc& toc, const TocEntry& e) {
    std::string indexName = "blobs.toc";
    if (toc.header.version.atLeast(1, 16)) {
      if (!e.filename || !plainFileName(*e.filename)) {
        report_.addForEntry(e, path("toc.dat"), "BLOBS entry has no large-object index file name", {});
        return;
      }
      indexName = *e.filename;
    }
    auto index = locate(indexName);
    if (!index) {
      report_.addForEntry(e, path(indexName), "large-object index " + indexName + " is missing", {});
      return;
    }
    std::string text;
    if (!readWhole(*index, text)) return;
    size_t start = 0;
    uint64_t lineNo = 0;
    while (start < text.size()) {
      lineNo++;
      size_t nl = text.find('\n', start);
      if (nl == std::string::npos) {
        report_.addForEntry(e, path(index->first), "last line of the large-object index has no newline", start);
        nl = text.size();
      }
      std::string_view line(text.data() + start, nl - start);
      const uint64_t lineAt = start;
      start = nl + 1;
      size_t sp = line.find(' ');
      std::optional<uint32_t> oid = sp == std::string_view::npos ? std::nullopt : parseOid(line.substr(0, sp));
      std::string name = sp == std::string_view::npos ? std::string() : std::string(line.substr(sp + 1));
      if (!oid || *oid == 0 || !plainFileName(name) || name.find(' ') != std::string::npos) {
        report_.addForEntry(e, path(index->first),
                            "malformed line " + std::to_string(lineNo) + " in the large-object index: \"" +
                                std::string(line.substr(0, 80)) + "\" (expected \"<oid> blob_<oid>.dat\")",
                            lineAt);
        continue;
      }
      if (report_.blobs.count(*oid)) {
        report_.addForEntry(e, path(index->first), "large object " + std::to_string(*oid) + " listed twice", lineAt);
        continue;
      }
      auto file = locate(name);
      if (!file) {
        report_.addForEntry(e, path(name), "file " + name + " of large object " + std::to_string(*oid) + " is missing", {});
        continue;
      }
      std::unique_ptr<MeteredInput> holder;
      MeteredInput* in = open(file->first, holder);
      if (!in) continue;
      BlobStreamCheck check(*oid, e, file->second, CodecContainer::File, payload_.checksum, report_, path(file->first));
      bool ok = streamFile(file->first, *in, [&](std::string_view piece, uint64_t at) { check.feed(piece, at); });
      check.finish(in->position(), ok);
      closed(file->first, *in);
    }
  }

  std::string dir_;
  const WalkOptions& options_;
  Report& report_;
  PayloadOptions payload_;
  std::map<std::string, bool> files_;   // name -> regular file
  std::set<std::string> used_;
  uint64_t progressBase_ = 0;
};

}  // namespace

Status walkDirectoryArchive(const std::string& dir, const WalkOptions& options, Report& report) {
  report.formatName = "directory";
  DirectoryWalker walker(dir, options, report);
  return walker.run();
}

}  // namespace pgarc
