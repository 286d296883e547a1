// Tar-format (-Ft) writer, member for member as pg_dump 15 writes it
// (archive-format.md section 7): toc.dat, the data members in TOC order,
// large objects then their index, restore.sql, two zero blocks.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>

#include "format/archive_writer.hpp"
#include "format/blob_index.hpp"
#include "format/header_toc.hpp"
#include "format/io.hpp"
#include "format/primitives.hpp"
#include "format/restore_options.hpp"
#include "format/script_renderer.hpp"
#include "format/tar_header.hpp"

namespace pgarc {

namespace {

// A member's bytes are collected before its header can be written (the header
// holds the size): in memory while small, then in an unlinked temporary file.
class MemberSpool {
 public:
  static constexpr size_t kMemoryLimit = 4 << 20;
  static constexpr size_t kSmall = 64 << 10;
  static constexpr size_t kPiece = 64 << 10;

  // toc.dat and restore.sql grow with the number of entries (large objects'
  // ones included): they are kept to a smaller share of memory.
  static constexpr size_t kTocMemoryLimit = 1 << 20;

  explicit MemberSpool(size_t memoryLimit = kMemoryLimit) : memoryLimit_(memoryLimit) {}
  MemberSpool(const MemberSpool&) = delete;
  MemberSpool& operator=(const MemberSpool&) = delete;
  ~MemberSpool() {
    if (fd_ >= 0) ::close(fd_);
  }

  Status write(std::string_view d) {
    size_ += d.size();
    if (fd_ < 0 && mem_.size() + d.size() <= memoryLimit_) {
      // Reserved at once: growing by doubling could hold twice the limit.
      if (mem_.capacity() < memoryLimit_ && mem_.size() + d.size() > kSmall) mem_.reserve(memoryLimit_);
      mem_.append(d);
      return {};
    }
    if (fd_ < 0) {
      PGARC_TRY(spill());
    }
    return writeFd(d);
  }

  uint64_t size() const { return size_; }

  Status copyTo(OutputStream& out) {
    if (fd_ < 0) {
      for (size_t at = 0; at < mem_.size(); at += kPiece)
        PGARC_TRY(out.write(std::string_view(mem_).substr(at, kPiece)));
      return {};
    }
    if (::lseek(fd_, 0, SEEK_SET) < 0) return systemError("seek in", path_);
    std::string buf(kPiece, '\0');
    uint64_t left = size_;
    while (left > 0) {
      ssize_t r = ::read(fd_, buf.data(), std::min<uint64_t>(buf.size(), left));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return systemError("read", path_);
      if (r == 0) return Error{"temporary member file is shorter than written", path_, size_ - left, {}};
      PGARC_TRY(out.write(std::string_view(buf.data(), static_cast<size_t>(r))));
      left -= static_cast<uint64_t>(r);
    }
    return {};
  }

 private:
  Status spill() {
    const char* base = std::getenv("TMPDIR");
    path_ = std::string(base && *base ? base : "/tmp") + "/pgarc-tar-member-XXXXXX";
    fd_ = ::mkstemp(path_.data());
    if (fd_ < 0) return systemError("create temporary file", path_);
    ::unlink(path_.c_str());
    std::string pending = std::move(mem_);
    mem_.clear();
    return writeFd(pending);
  }
  Status writeFd(std::string_view d) {
    while (!d.empty()) {
      ssize_t w = ::write(fd_, d.data(), d.size());
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return systemError("write to", path_);
      d.remove_prefix(static_cast<size_t>(w));
    }
    return {};
  }

  size_t memoryLimit_;
  std::string mem_;
  int fd_ = -1;
  std::string path_;
  uint64_t size_ = 0;
};

// restore.sql is rendered into a spool: its size goes into its header.
class SpoolOutput : public OutputStream {
 public:
  SpoolOutput(MemberSpool& spool, std::string name) : spool_(spool), name_(std::move(name)) {}
  Status write(std::string_view data) override { return spool_.write(data); }
  uint64_t position() const override { return spool_.size(); }
  bool seekable() const override { return false; }
  Status seek(uint64_t) override { return makeError("cannot seek in a tar member being written"); }
  Status commit() override { return {}; }
  const std::string& name() const override { return name_; }

 private:
  MemberSpool& spool_;
  std::string name_;
};

constexpr std::string_view kRestoreSqlNote =
    "--\n"
    "-- NOTE:\n"
    "--\n"
    "-- File paths need to be edited. Search for $$PATH$$ and\n"
    "-- replace it with the path to the directory containing\n"
    "-- the extracted data files.\n"
    "--\n";

// restore.sql only refers to the data members by name; it never embeds data.
class NoDataSource : public DataSource {
 public:
  Status readTableData(const TocEntry& e, DataSink&) override {
    return Error{"restore.sql does not embed table data", {}, {}, e.dumpId};
  }
  Status readBlobs(const TocEntry& e, BlobSink&) override {
    return Error{"restore.sql does not embed large objects", {}, {}, e.dumpId};
  }
};

class TarWriter;

class TarDataStream : public DataStream {
 public:
  TarDataStream(TarWriter& w, int dumpId) : writer_(w), dumpId_(dumpId) {}
  ~TarDataStream() override;
  Status write(std::string_view plain) override {
    if (closed_) return makeError("write to a closed data stream");
    return spool_.write(plain);
  }
  Status close() override;

 private:
  TarWriter& writer_;
  int dumpId_;
  MemberSpool spool_;
  bool closed_ = false;
};

class TarBlobStream : public BlobStream {
 public:
  TarBlobStream(TarWriter& w, int dumpId, std::string indexName)
      : writer_(w), dumpId_(dumpId), indexName_(std::move(indexName)) {}
  ~TarBlobStream() override;
  Status beginBlob(uint32_t oid) override {
    if (closed_) return makeError("large object stream already closed");
    if (spool_) return makeError("beginBlob while large object " + std::to_string(oid_) + " is open");
    if (oid == 0) return makeError("invalid large object OID 0");
    oid_ = oid;
    spool_ = std::make_unique<MemberSpool>();
    return {};
  }
  Status write(std::string_view bytes) override {
    if (!spool_) return makeError("large object data written outside beginBlob/endBlob");
    return spool_->write(bytes);
  }
  Status endBlob() override;
  Status close() override;

 private:
  TarWriter& writer_;
  int dumpId_;
  std::string indexName_;
  MemberSpool index_;
  std::unique_ptr<MemberSpool> spool_;
  uint32_t oid_ = 0;
  bool closed_ = false;
};

class TarWriter : public ArchiveWriter {
 public:
  TarWriter(std::unique_ptr<OutputStream> out, std::function<void(const std::string&)> info)
      : out_(std::move(out)), info_(std::move(info)) {}

  const ArchiveToc& toc() const override { return toc_; }

  Status begin(ArchiveToc toc) override {
    if (begun_) return makeError("begin called twice");
    toc_ = std::move(toc);
    ArchiveHeader& h = toc_.header;
    h.format = ArchiveFormat::Tar;
    h.compression = CompressionAlgorithm::None;
    h.compressionLevel = 0;
    for (size_t i = 0; i < toc_.entries.size(); i++) {
      TocEntry& e = toc_.entries[i];
      if (!index_.emplace(e.dumpId, i).second) return makeError("duplicate TOC entry ID " + std::to_string(e.dumpId));
      // pg_dump names BLOBS "<dumpId>.dat" too, though no such member exists.
      e.filename = e.hadDumper ? dataFileName(e.dumpId) : std::string();
    }
    ByteWriter w(h.intSize, h.offSize);
    writeHeader(w, h);
    begun_ = true;
    MemberSpool spool(MemberSpool::kTocMemoryLimit);
    PGARC_TRY(spool.write(w.bytes()));
    PGARC_TRY(writeTocInPieces(toc_, TocExtra::Filename,
                               [&spool](std::string_view piece) { return spool.write(piece); }));
    return addMember("toc.dat", spool);
  }

  Result<std::unique_ptr<DataStream>> openTableData(int dumpId) override {
    PGARC_TRY(claim(dumpId, false));
    return std::unique_ptr<DataStream>(std::make_unique<TarDataStream>(*this, dumpId));
  }

  Result<std::unique_ptr<BlobStream>> openBlobs(int dumpId) override {
    PGARC_TRY(claim(dumpId, true));
    return std::unique_ptr<BlobStream>(
        std::make_unique<TarBlobStream>(*this, dumpId, blobIndexName(toc_.header.version, dumpId)));
  }

  Status finish() override {
    if (!begun_) return makeError("finish called before begin");
    if (finished_) return makeError("finish called twice");
    if (streamOpen_) return makeError("finish called while a data stream is still open");
    for (const auto& e : toc_.entries) {
      if (e.hadDumper && !written_.count(e.dumpId)) {
        return Error{"no data was written for a TOC entry that has data", out_->name(), {}, e.dumpId};
      }
    }
    // pg_dump renders restore.sql as a restore with drop statements on, and
    // puts its own note about $$PATH$$ in front.
    RestoreOptions options;
    options.mode = ScriptMode::TarRestoreSql;
    options.clean = true;
    options.create = true;
    MemberSpool spool(MemberSpool::kTocMemoryLimit);
    SpoolOutput script(spool, "restore.sql");
    PGARC_TRY(script.write(kRestoreSqlNote));
    NoDataSource noData;
    PGARC_TRY(renderScript(toc_, noData, options, script, info_));
    PGARC_TRY(addMember("restore.sql", spool));
    // End of archive: two zero blocks, and no padding to a 10240-byte record.
    PGARC_TRY(out_->write(std::string(2 * kTarBlockSize, '\0')));
    PGARC_TRY(out_->commit());
    finished_ = true;
    return {};
  }

  Status addMember(const std::string& name, MemberSpool& spool) {
    PGARC_ASSIGN(std::string header, buildTarHeader(name, spool.size(), static_cast<uint64_t>(std::time(nullptr))));
    PGARC_TRY(out_->write(header));
    PGARC_TRY(spool.copyTo(*out_));
    uint64_t pad = tarPadding(spool.size());
    if (pad) PGARC_TRY(out_->write(std::string(pad, '\0')));
    return {};
  }

  void streamClosed(int dumpId, bool complete) {
    streamOpen_ = false;
    if (complete) written_.insert(dumpId);
  }

 private:
  // Members go out in the order data is opened; pg_restore reads them only
  // forward, so data must come in TOC order, one stream at a time.
  Status claim(int dumpId, bool blobs) {
    if (!begun_) return makeError("data opened before begin");
    if (finished_) return makeError("data opened after finish");
    if (streamOpen_) return Error{"another data stream is still open", out_->name(), {}, dumpId};
    auto it = index_.find(dumpId);
    if (it == index_.end()) return Error{"no TOC entry with this ID", out_->name(), {}, dumpId};
    const TocEntry& e = toc_.entries[it->second];
    bool isBlobs = e.desc && *e.desc == "BLOBS";
    if (!e.hadDumper) return Error{"TOC entry has no data", out_->name(), {}, dumpId};
    if (isBlobs != blobs) {
      return Error{blobs ? "expected a BLOBS entry, found " + e.descStr() : "expected a data entry, found BLOBS",
                   out_->name(), {}, dumpId};
    }
    if (written_.count(dumpId)) return Error{"data for this TOC entry was already written", out_->name(), {}, dumpId};
    if (lastPosition_ && it->second < *lastPosition_) {
      return Error{"tar archive data must be written in TOC order", out_->name(), {}, dumpId};
    }
    lastPosition_ = it->second;
    streamOpen_ = true;
    return {};
  }

  std::unique_ptr<OutputStream> out_;
  std::function<void(const std::string&)> info_;
  ArchiveToc toc_;
  std::map<int, size_t> index_;
  std::set<int> written_;
  std::optional<size_t> lastPosition_;
  bool streamOpen_ = false;
  bool begun_ = false;
  bool finished_ = false;
};

TarDataStream::~TarDataStream() {
  if (!closed_) writer_.streamClosed(dumpId_, false);
}

Status TarDataStream::close() {
  if (closed_) return makeError("data stream closed twice");
  closed_ = true;
  auto st = writer_.addMember(dataFileName(dumpId_), spool_);
  writer_.streamClosed(dumpId_, st.ok());
  return st;
}

Status TarBlobStream::endBlob() {
  if (!spool_) return makeError("endBlob without beginBlob");
  auto spool = std::move(spool_);
  PGARC_TRY(writer_.addMember(blobFileName(oid_), *spool));
  return index_.write(blobIndexLine(oid_));
}

TarBlobStream::~TarBlobStream() {
  if (!closed_) writer_.streamClosed(dumpId_, false);
}

Status TarBlobStream::close() {
  if (closed_) return makeError("large object stream closed twice");
  if (spool_) return makeError("close while large object " + std::to_string(oid_) + " is open");
  closed_ = true;
  auto st = writer_.addMember(indexName_, index_);
  writer_.streamClosed(dumpId_, st.ok());
  return st;
}

}  // namespace

Result<std::unique_ptr<ArchiveWriter>> createTarWriter(std::unique_ptr<OutputStream> out,
                                                       const WriterOptions& options) {
  if (options.compression.algorithm != CompressionAlgorithm::None) {
    return makeError("compression is not supported by tar archive format");
  }
  return std::unique_ptr<ArchiveWriter>(std::make_unique<TarWriter>(std::move(out), options.info));
}

}  // namespace pgarc
