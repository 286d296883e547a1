// Directory-format (-Fd) writer, laid out as pg_dump 15 lays it out
// (archive-format.md section 6). toc.dat is written last, under a temporary
// name renamed at finish(), so an interrupted dump never looks complete; a
// writer destroyed before finish() also removes the files it wrote and the
// directory if it made it.
#include <dirent.h>
#include <sys/stat.h>

#include <cerrno>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "format/archive_writer.hpp"
#include "format/blob_index.hpp"
#include "format/codec.hpp"
#include "format/header_toc.hpp"
#include "format/io.hpp"
#include "format/primitives.hpp"

namespace pgarc {

namespace {

class OutputSink : public ByteSink {
 public:
  explicit OutputSink(OutputStream& out) : out_(out) {}
  Status write(std::string_view d) override { return out_.write(d); }

 private:
  OutputStream& out_;
};

// One compressed output file: data file or large object.
class CompressedFile {
 public:
  static Result<std::unique_ptr<CompressedFile>> create(const std::string& path, const CompressionSpec& spec,
                                                       SyncMode sync) {
    auto f = std::unique_ptr<CompressedFile>(new CompressedFile());
    PGARC_ASSIGN(f->out_, createOutputFile(path, sync));
    f->sink_ = std::make_unique<OutputSink>(*f->out_);
    PGARC_ASSIGN(f->compressor_, makeCompressor(spec, CodecContainer::File, *f->sink_));
    return f;
  }
  Status write(std::string_view d) {
    auto st = compressor_->write(d);
    if (!st.ok()) return std::move(st).error().withFile(out_->name());
    return st;
  }
  Status finish() {
    auto st = compressor_->finish();
    if (!st.ok()) return std::move(st).error().withFile(out_->name());
    return out_->commit();
  }

 private:
  CompressedFile() = default;
  std::unique_ptr<OutputStream> out_;
  std::unique_ptr<OutputSink> sink_;
  std::unique_ptr<Compressor> compressor_;
};

// pg_dump reuses an existing empty directory and otherwise creates it 0700.
// Returns whether the directory was created here.
Result<bool> prepareDirectory(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    DIR* d = ::opendir(dir.c_str());
    if (!d) return systemError("open directory", dir);
    bool empty = true;
    while (struct dirent* e = ::readdir(d)) {
      std::string_view n = e->d_name;
      if (n != "." && n != "..") {
        empty = false;
        break;
      }
    }
    ::closedir(d);
    if (!empty) return Error{"could not create directory \"" + dir + "\": directory exists and is not empty", dir, {}, {}};
    return false;
  }
  if (::mkdir(dir.c_str(), 0700) != 0) return systemError("create directory", dir);
  return true;
}

// The names this writer gives its files, with any compression suffix or
// temporary-name tail: "<n>.dat", "blob_<oid>.dat", "blobs[_<n>].toc", "toc.dat".
bool isArchiveMemberName(std::string_view n) {
  if (n.empty()) return false;
  return (n[0] >= '0' && n[0] <= '9') || n.substr(0, 5) == "blob_" || n.substr(0, 5) == "blobs" ||
         n.substr(0, 7) == "toc.dat";
}

// The directory was empty (or absent) when the dump began, so what matches
// the member names is the failed dump's.
void removePartialArchive(const std::string& dir, bool removeDirectory) {
  if (DIR* d = ::opendir(dir.c_str())) {
    std::vector<std::string> names;
    while (struct dirent* e = ::readdir(d)) {
      if (isArchiveMemberName(e->d_name)) names.emplace_back(e->d_name);
    }
    ::closedir(d);
    for (const auto& n : names) ::unlink((dir + "/" + n).c_str());
  }
  if (removeDirectory) ::rmdir(dir.c_str());
}

class DirectoryWriter;

class DirectoryDataStream : public DataStream {
 public:
  DirectoryDataStream(DirectoryWriter& w, int dumpId, std::unique_ptr<CompressedFile> file)
      : writer_(w), dumpId_(dumpId), file_(std::move(file)) {}
  ~DirectoryDataStream() override;
  Status write(std::string_view plain) override {
    if (!file_) return makeError("write to a closed data stream");
    return file_->write(plain);
  }
  Status close() override;

 private:
  DirectoryWriter& writer_;
  int dumpId_;
  std::unique_ptr<CompressedFile> file_;
};

class DirectoryBlobStream : public BlobStream {
 public:
  DirectoryBlobStream(DirectoryWriter& w, int dumpId, std::string indexName)
      : writer_(w), dumpId_(dumpId), indexName_(std::move(indexName)) {}
  ~DirectoryBlobStream() override;
  Status beginBlob(uint32_t oid) override;
  Status write(std::string_view bytes) override {
    if (!file_) return makeError("large object data written outside beginBlob/endBlob");
    return file_->write(bytes);
  }
  Status endBlob() override {
    if (!file_) return makeError("endBlob without beginBlob");
    auto f = std::move(file_);
    PGARC_TRY(f->finish());
    PGARC_TRY(openIndex());
    return index_->write(blobIndexLine(oid_));
  }
  Status close() override;

 private:
  DirectoryWriter& writer_;
  int dumpId_;
  // Written as the objects are (a dump may have millions), under a temporary
  // name until close.
  Status openIndex();
  std::string indexName_;
  std::unique_ptr<OutputStream> index_;
  uint32_t oid_ = 0;
  std::unique_ptr<CompressedFile> file_;
  bool closed_ = false;
};

class DirectoryWriter : public ArchiveWriter {
 public:
  DirectoryWriter(std::string dir, WriterOptions options, bool createdDirectory)
      : dir_(std::move(dir)), options_(std::move(options)), createdDirectory_(createdDirectory) {}
  ~DirectoryWriter() override {
    if (!finished_) removePartialArchive(dir_, createdDirectory_);
  }
  DirectoryWriter(const DirectoryWriter&) = delete;
  DirectoryWriter& operator=(const DirectoryWriter&) = delete;

  const ArchiveToc& toc() const override { return toc_; }

  Status begin(ArchiveToc toc) override {
    if (begun_) return makeError("begin called twice");
    toc_ = std::move(toc);
    ArchiveHeader& h = toc_.header;
    const CompressionSpec& c = options_.compression;
    h.format = ArchiveFormat::Tar;  // directory toc.dat says tar, as pg_dump writes it
    if (h.version.atLeast(1, 15)) {
      h.compression = c.algorithm;
      h.compressionLevel = c.algorithm == CompressionAlgorithm::None ? 0 : c.level;
    } else {
      if (c.algorithm == CompressionAlgorithm::Lz4 || c.algorithm == CompressionAlgorithm::Zstd) {
        return makeError(std::string("compression method ") + compressionName(c.algorithm) +
                         " requires archive version 1.15 or later, found " + h.version.toString());
      }
      if (c.algorithm == CompressionAlgorithm::Gzip && (c.level < -1 || c.level == 0 || c.level > 9)) {
        return makeError("invalid gzip compression level " + std::to_string(c.level) + ", expected -1 or 1..9");
      }
      h.compression = c.algorithm;
      h.compressionLevel = c.algorithm == CompressionAlgorithm::None ? 0 : c.level;
    }
    for (size_t i = 0; i < toc_.entries.size(); i++) {
      TocEntry& e = toc_.entries[i];
      if (!index_.emplace(e.dumpId, i).second) {
        return makeError("duplicate TOC entry ID " + std::to_string(e.dumpId));
      }
      if (!e.hadDumper) {
        e.filename = std::string();
      } else if (e.desc && *e.desc == "BLOBS") {
        e.filename = blobIndexName(h.version, e.dumpId);
      } else {
        e.filename = dataFileName(e.dumpId);
      }
    }
    begun_ = true;
    return {};
  }

  Result<std::unique_ptr<DataStream>> openTableData(int dumpId) override {
    PGARC_ASSIGN(const TocEntry* e, entryForData(dumpId, false));
    std::string path = dir_ + "/" + *e->filename + compressionSuffix(options_.compression.algorithm);
    PGARC_ASSIGN(auto file, CompressedFile::create(path, options_.compression, syncMode()));
    openStreams_++;
    return std::unique_ptr<DataStream>(std::make_unique<DirectoryDataStream>(*this, dumpId, std::move(file)));
  }

  Result<std::unique_ptr<BlobStream>> openBlobs(int dumpId) override {
    PGARC_ASSIGN(const TocEntry* e, entryForData(dumpId, true));
    openStreams_++;
    return std::unique_ptr<BlobStream>(std::make_unique<DirectoryBlobStream>(*this, dumpId, *e->filename));
  }

  Status finish() override {
    if (!begun_) return makeError("finish called before begin");
    if (finished_) return makeError("finish called twice");
    if (openStreams_ != 0) return makeError("finish called while a data stream is still open");
    for (const auto& e : toc_.entries) {
      if (e.hadDumper && !written_.count(e.dumpId)) {
        return Error{"no data was written for a TOC entry that has data", dir_, {}, e.dumpId};
      }
    }
    ByteWriter w(toc_.header.intSize, toc_.header.offSize);
    writeHeader(w, toc_.header);
    PGARC_ASSIGN(auto out, createOutputFile(dir_ + "/toc.dat", syncMode()));
    PGARC_TRY(out->write(w.bytes()));
    PGARC_TRY(writeTocInPieces(toc_, TocExtra::Filename,
                               [&out](std::string_view piece) { return out->write(piece); }));
    PGARC_TRY(out->commit());
    // Each file was synced as it was committed; the directory holds their names.
    if (options_.sync) PGARC_TRY(syncDirectory(dir_));
    finished_ = true;
    return {};
  }

  // Called by the streams.
  const CompressionSpec& compression() const { return options_.compression; }
  SyncMode syncMode() const { return syncModeOf(options_); }
  const std::string& dir() const { return dir_; }
  void streamClosed(int dumpId, bool complete) {
    openStreams_--;
    if (complete) written_.insert(dumpId);
  }

 private:
  Result<const TocEntry*> entryForData(int dumpId, bool blobs) {
    if (!begun_) return makeError("data opened before begin");
    if (finished_) return makeError("data opened after finish");
    auto it = index_.find(dumpId);
    if (it == index_.end()) return Error{"no TOC entry with this ID", dir_, {}, dumpId};
    const TocEntry& e = toc_.entries[it->second];
    bool isBlobs = e.desc && *e.desc == "BLOBS";
    if (!e.hadDumper) return Error{"TOC entry has no data", dir_, {}, dumpId};
    if (isBlobs != blobs) {
      return Error{blobs ? "expected a BLOBS entry, found " + e.descStr() : "expected a data entry, found BLOBS", dir_,
                   {}, dumpId};
    }
    if (written_.count(dumpId)) return Error{"data for this TOC entry was already written", dir_, {}, dumpId};
    return &e;
  }

  std::string dir_;
  WriterOptions options_;
  ArchiveToc toc_;
  std::map<int, size_t> index_;
  std::set<int> written_;
  int openStreams_ = 0;
  bool createdDirectory_ = false;
  bool begun_ = false;
  bool finished_ = false;
};

DirectoryDataStream::~DirectoryDataStream() {
  if (file_) writer_.streamClosed(dumpId_, false);
}

Status DirectoryDataStream::close() {
  if (!file_) return makeError("data stream closed twice");
  auto f = std::move(file_);
  auto st = f->finish();
  writer_.streamClosed(dumpId_, st.ok());
  return st;
}

DirectoryBlobStream::~DirectoryBlobStream() {
  if (!closed_) writer_.streamClosed(dumpId_, false);
}

Status DirectoryBlobStream::beginBlob(uint32_t oid) {
  if (closed_) return makeError("large object stream already closed");
  if (file_) return makeError("beginBlob while large object " + std::to_string(oid_) + " is open");
  if (oid == 0) return makeError("invalid large object OID 0");
  oid_ = oid;
  std::string path = writer_.dir() + "/" + blobFileName(oid) + compressionSuffix(writer_.compression().algorithm);
  PGARC_ASSIGN(file_, CompressedFile::create(path, writer_.compression(), writer_.syncMode()));
  return {};
}

Status DirectoryBlobStream::close() {
  if (closed_) return makeError("large object stream closed twice");
  if (file_) return makeError("close while large object " + std::to_string(oid_) + " is open");
  closed_ = true;
  Status st = openIndex();
  if (st.ok()) st = index_->commit();
  writer_.streamClosed(dumpId_, st.ok());
  return st;
}

Status DirectoryBlobStream::openIndex() {
  if (index_) return {};
  // The index is never compressed, as pg_dump writes it.
  PGARC_ASSIGN(index_, createOutputFile(writer_.dir() + "/" + indexName_, writer_.syncMode()));
  return {};
}

}  // namespace

Result<std::unique_ptr<ArchiveWriter>> createDirectoryWriter(const std::string& dirArg, const WriterOptions& options) {
  std::string dir = dirArg;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir.empty()) return makeError("no output directory specified");
  PGARC_ASSIGN(bool created, prepareDirectory(dir));
  return std::unique_ptr<ArchiveWriter>(std::make_unique<DirectoryWriter>(dir, options, created));
}

}  // namespace pgarc
