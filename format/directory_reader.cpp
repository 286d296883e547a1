// Directory-format (-Fd) reader: toc.dat plus one file per data entry and
// per large object, each possibly compressed (archive-format.md section 6).
#include <sys/stat.h>

#include <array>
#include <map>

#include "format/archive_reader.hpp"
#include "format/blob_index.hpp"
#include "format/codec.hpp"
#include "format/header_toc.hpp"
#include "format/io.hpp"
#include "format/primitives.hpp"

namespace pgarc {

namespace {

struct LocatedFile {
  std::string name;   // as found, suffix included
  std::string path;
  CompressionAlgorithm algorithm = CompressionAlgorithm::None;
  uint64_t size = 0;
};

// pg_restore tries the bare name first, then each compression suffix; the
// suffix, not the header, decides the codec.
constexpr std::array<CompressionAlgorithm, 4> kProbeOrder = {CompressionAlgorithm::None, CompressionAlgorithm::Gzip,
                                                            CompressionAlgorithm::Lz4, CompressionAlgorithm::Zstd};

std::optional<LocatedFile> probe(const std::string& dir, const std::string& base) {
  for (auto algo : kProbeOrder) {
    LocatedFile f;
    f.name = base + compressionSuffix(algo);
    f.path = dir + "/" + f.name;
    struct stat st {};
    if (::stat(f.path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      f.algorithm = algo;
      f.size = static_cast<uint64_t>(st.st_size);
      return f;
    }
  }
  return std::nullopt;
}

Result<LocatedFile> locate(const std::string& dir, const std::string& base) {
  PGARC_TRY(validateMemberName(base));
  auto f = probe(dir, base);
  if (!f) {
    return Error{"could not open input file \"" + dir + "/" + base +
                     "\": no such file (also tried .gz, .lz4 and .zst)",
                 dir + "/" + base, {}, {}};
  }
  return *f;
}

// Forwards decompressed bytes to a callback-like target.
template <class Fn>
class FnSink : public ByteSink {
 public:
  explicit FnSink(Fn fn) : fn_(std::move(fn)) {}
  Status write(std::string_view d) override { return fn_(d); }

 private:
  Fn fn_;
};

// Streams one (possibly compressed) file through its decoder into `out`.
Status decodeFile(const LocatedFile& file, ByteSink& out) {
  PGARC_ASSIGN(auto in, openInputFile(file.path));
  PGARC_ASSIGN(auto decoder, makeDecompressor(file.algorithm, CodecContainer::File, out));
  std::string buf(1 << 16, '\0');
  for (;;) {
    PGARC_ASSIGN(size_t got, in->read(buf.data(), buf.size()));
    if (got == 0) break;
    auto st = decoder->write(std::string_view(buf.data(), got));
    if (!st.ok()) return std::move(st).error().withFile(file.path).withOffset(in->position());
  }
  auto st = decoder->finish();
  if (!st.ok()) return std::move(st).error().withFile(file.path);
  return {};
}

// Small files (toc.dat.gz, blobs.toc) decoded into memory, bounded.
Result<std::string> decodeSmallFile(const LocatedFile& file) {
  std::string text;
  auto append = [&](std::string_view d) -> Status {
    if (text.size() + d.size() > kMaxInMemoryMember) {
      return makeError("decompressed size exceeds " + std::to_string(kMaxInMemoryMember) + " bytes");
    }
    text.append(d);
    return {};
  };
  FnSink<decltype(append)> sink(append);
  PGARC_TRY(decodeFile(file, sink));
  return text;
}

class DirectoryReader : public ArchiveReader {
 public:
  DirectoryReader(std::string dir, ArchiveToc toc) : dir_(std::move(dir)), toc_(std::move(toc)) {}

  const ArchiveToc& toc() const override { return toc_; }
  ArchiveKind kind() const override { return ArchiveKind::Directory; }
  const std::string& path() const override { return dir_; }

  Status readTableData(const TocEntry& entry, DataSink& sink) override {
    auto st = readTableDataImpl(entry, sink);
    if (!st.ok()) return std::move(st).error().withDumpId(entry.dumpId);
    return st;
  }

  Status readBlobs(const TocEntry& entry, BlobSink& sink) override {
    auto st = readBlobsImpl(entry, sink);
    if (!st.ok()) return std::move(st).error().withDumpId(entry.dumpId);
    return st;
  }

  std::optional<uint64_t> storedDataSize(const TocEntry& entry) const override {
    if (isBlobs(entry)) {
      auto lines = blobIndex(entry);
      if (!lines.ok()) return std::nullopt;
      uint64_t total = 0;
      for (const auto& l : *lines) {
        auto f = probe(dir_, l.file);
        if (!f) return std::nullopt;
        total += f->size;
      }
      return total;
    }
    if (!entry.filename || !validateMemberName(*entry.filename).ok()) return std::nullopt;
    auto f = probe(dir_, *entry.filename);
    if (!f) return std::nullopt;
    return f->size;
  }

  std::string dataLocation(const TocEntry& entry) const override {
    std::string base = isBlobs(entry) ? indexBaseName(entry) : entry.filename.value_or("");
    if (base.empty() || !validateMemberName(base).ok()) return {};
    auto f = probe(dir_, base);
    return f ? f->name : base;
  }

 private:
  static bool isBlobs(const TocEntry& e) { return e.desc && *e.desc == "BLOBS"; }

  // Before 1.16 pg_restore always opens blobs.toc, whatever the entry says.
  std::string indexBaseName(const TocEntry& entry) const {
    if (!toc_.header.version.atLeast(1, 16)) return "blobs.toc";
    if (entry.filename && !entry.filename->empty()) return *entry.filename;
    return blobIndexName(toc_.header.version, entry.dumpId);
  }

  Result<std::vector<BlobIndexLine>> blobIndex(const TocEntry& entry) const {
    PGARC_ASSIGN(LocatedFile index, locate(dir_, indexBaseName(entry)));
    PGARC_ASSIGN(std::string text, decodeSmallFile(index));
    return parseBlobIndex(text, index.path);
  }

  Status readTableDataImpl(const TocEntry& entry, DataSink& sink) {
    if (!entry.hadDumper) return makeError("TOC entry has no data");
    if (!entry.filename || entry.filename->empty()) return makeError("TOC entry has data but no file name");
    PGARC_ASSIGN(LocatedFile file, locate(dir_, *entry.filename));
    auto forward = [&](std::string_view d) { return sink.data(d); };
    FnSink<decltype(forward)> out(forward);
    return decodeFile(file, out);
  }

  Status readBlobsImpl(const TocEntry& entry, BlobSink& sink) {
    PGARC_ASSIGN(auto lines, blobIndex(entry));
    for (const auto& line : lines) {
      PGARC_ASSIGN(LocatedFile file, locate(dir_, line.file));
      PGARC_TRY(sink.beginBlob(line.oid));
      auto forward = [&](std::string_view d) { return sink.data(d); };
      FnSink<decltype(forward)> out(forward);
      PGARC_TRY(decodeFile(file, out));
      PGARC_TRY(sink.endBlob(line.oid));
    }
    return {};
  }

  std::string dir_;
  ArchiveToc toc_;
};

}  // namespace

Result<std::unique_ptr<ArchiveReader>> openDirectoryArchive(const std::string& dirArg) {
  std::string dir = dirArg;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return systemError("open archive directory", dir);
  if (!S_ISDIR(st.st_mode)) return Error{"\"" + dir + "\" is not a directory", dir, {}, {}};
  auto toc = probe(dir, "toc.dat");
  if (!toc) {
    return Error{"directory \"" + dir + "\" does not appear to be a valid archive (\"toc.dat\" does not exist)", dir,
                 {}, {}};
  }
  std::unique_ptr<InputStream> in;
  if (toc->algorithm == CompressionAlgorithm::None) {
    PGARC_ASSIGN(in, openInputFile(toc->path));
  } else {
    PGARC_ASSIGN(std::string text, decodeSmallFile(*toc));
    in = openInputMemory(std::move(text), toc->path);
  }
  ByteReader r(*in);
  ArchiveToc result;
  PGARC_ASSIGN(result.header, readHeader(r, ArchiveFormat::Tar));
  PGARC_ASSIGN(result.entries, readToc(r, result.header, TocExtra::Filename));
  return std::unique_ptr<ArchiveReader>(std::make_unique<DirectoryReader>(dir, std::move(result)));
}

}  // namespace pgarc
