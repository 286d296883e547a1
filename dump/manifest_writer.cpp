#include "dump/manifest_writer.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "dump/directory_listing.hpp"
#include "dump/options.hpp"
#include "dump/side_task.hpp"
#include "format/codec.hpp"
#include "format/io.hpp"
#include "verify/manifest.hpp"
#include "verify/payload_checker.hpp"
#include "verify/report.hpp"
#include "verify/checksum.hpp"

namespace pgarc::dump {

namespace {

const char* formatName(ArchiveKind k) {
  switch (k) {
    case ArchiveKind::Custom: return "custom";
    case ArchiveKind::Directory: return "directory";
    case ArchiveKind::Tar: return "tar";
    default: return "plain";
  }
}

// A large object as the manifest lists it, in a fixed size for the spool:
// the checksum's hex text in as many characters as the algorithm gives.
struct BlobRecord {
  uint32_t oid = 0;
  uint64_t bytes = 0;
  std::array<char, 64> checksum{};

  static BlobRecord of(const BlobOutcome& o) {
    BlobRecord r{o.oid, o.bytes, {}};
    o.checksum.copy(r.checksum.data(), r.checksum.size());
    return r;
  }
  ManifestBlob listed(ChecksumAlgorithm algorithm) const {
    return ManifestBlob{oid, bytes, std::string(checksum.data(), checksumHexLength(algorithm))};
  }
};

// The large objects' records in the order they were written: a buffer's
// worth in memory, the rest in an unnamed temporary file, so a dump of
// millions of objects holds a bounded amount. The manifest lists them by oid,
// the order they are dumped in; only when they came in another order are
// they all read back into memory and sorted.
class BlobRecordSpool {
 public:
  BlobRecordSpool() = default;
  BlobRecordSpool(const BlobRecordSpool&) = delete;
  BlobRecordSpool& operator=(const BlobRecordSpool&) = delete;
  ~BlobRecordSpool() {
    if (file_) std::fclose(file_);
  }

  Status add(const BlobRecord& r) {
    if (count_ > 0 && r.oid < lastOid_) ordered_ = false;
    lastOid_ = r.oid;
    count_++;
    buffer_.push_back(r);
    if (buffer_.size() < kBuffered) return {};
    return spill();
  }

  // Each oid once (the last record of an oid wins), by oid.
  Status forEachByOid(const std::function<Status(const BlobRecord&)>& visit) {
    if (!ordered_) return forEachSorted(visit);
    std::optional<BlobRecord> pending;
    return forEachWritten([&](const BlobRecord& r) -> Status {
      if (pending && pending->oid != r.oid) PGARC_TRY(visit(*pending));
      pending = r;
      return {};
    }, [&]() -> Status { return pending ? visit(*pending) : Status{}; });
  }

 private:
  static constexpr size_t kBuffered = 4096;

  Status spill() {
    if (!file_) {
      file_ = std::tmpfile();
      if (!file_) return makeError("could not create a temporary file for the manifest's large objects");
    }
    if (std::fwrite(buffer_.data(), sizeof(BlobRecord), buffer_.size(), file_) != buffer_.size())
      return makeError("could not write the manifest's large objects to a temporary file");
    spilled_ += buffer_.size();
    buffer_.clear();
    return {};
  }

  Status forEachWritten(const std::function<Status(const BlobRecord&)>& visit, const std::function<Status()>& done) {
    if (file_) {
      if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0)
        return makeError("could not read back the manifest's large objects");
      std::vector<BlobRecord> chunk(kBuffered);
      for (size_t left = spilled_; left > 0;) {
        size_t n = std::min(left, chunk.size());
        if (std::fread(chunk.data(), sizeof(BlobRecord), n, file_) != n)
          return makeError("could not read back the manifest's large objects");
        for (size_t i = 0; i < n; i++) PGARC_TRY(visit(chunk[i]));
        left -= n;
      }
    }
    for (const auto& r : buffer_) PGARC_TRY(visit(r));
    return done();
  }

  Status forEachSorted(const std::function<Status(const BlobRecord&)>& visit) {
    std::vector<BlobRecord> all;
    all.reserve(count_);
    PGARC_TRY(forEachWritten([&all](const BlobRecord& r) -> Status {
      all.push_back(r);
      return {};
    }, []() -> Status { return {}; }));
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.oid < b.oid; });
    for (size_t i = 0; i < all.size(); i++) {
      if (i + 1 < all.size() && all[i + 1].oid == all[i].oid) continue;
      PGARC_TRY(visit(all[i]));
    }
    return {};
  }

  std::vector<BlobRecord> buffer_;
  std::FILE* file_ = nullptr;
  size_t spilled_ = 0;
  size_t count_ = 0;
  uint32_t lastOid_ = 0;
  bool ordered_ = true;
};

// What the data streams saw, shared by the streams of a (possibly parallel) dump.
struct Recording {
  std::mutex mutex;
  std::map<int, EntryOutcome> entries;
  BlobRecordSpool blobs;
  std::set<int> observedPlain;  // precompressed entries whose plain payload the producer passes
};

// The payload checker needs a report for the faults it finds; a dump's data is
// checked by verify later, so here they are only collected and dropped.
// Without an inner stream it only records (the plain side of precompressed data).
class TeeDataStream : public DataStream {
 public:
  TeeDataStream(std::unique_ptr<DataStream> inner, const TocEntry& entry, const PayloadOptions& options,
                Recording& rec)
      : inner_(std::move(inner)), checker_(entry, options, scratch_, ""), rec_(rec) {}
  Status write(std::string_view plain) override {
    if (!inner_) return checker_.write(plain);
    if (plain.size() < kSideCheckBytes) {
      PGARC_TRY(checker_.write(plain));
      return inner_->write(plain);
    }
    // A large batch is summed and checked on the side thread while this one
    // compresses and writes it.
    side_.start([&] { return checker_.write(plain); });
    Status written = inner_->write(plain);
    PGARC_TRY(side_.wait());
    return written;
  }
  Status close() override {
    if (inner_) PGARC_TRY(inner_->close());
    EntryOutcome o = checker_.finish(true);
    std::lock_guard<std::mutex> g(rec_.mutex);
    rec_.entries[o.dumpId] = std::move(o);
    return {};
  }

 protected:
  static constexpr size_t kSideCheckBytes = 64 * 1024;
  std::unique_ptr<DataStream> inner_;
  Report scratch_;
  PayloadChecker checker_;
  Recording& rec_;
  SideTask side_;
};

// Precompressed table data (parallel custom dump): the plain payload is
// recovered by decompressing the chunks in memory as they pass.
class TeePrecompressedStream : public TeeDataStream {
 public:
  using TeeDataStream::TeeDataStream;
  Status init(CompressionAlgorithm algorithm) {
    PGARC_ASSIGN(decomp_, makeDecompressor(algorithm, CodecContainer::Stream, checker_));
    return {};
  }
  Status write(std::string_view compressed) override {
    PGARC_TRY(decomp_->write(compressed));
    return inner_->write(compressed);
  }
  Status close() override {
    PGARC_TRY(decomp_->finish());
    return TeeDataStream::close();
  }

 private:
  std::unique_ptr<Decompressor> decomp_;
};

class TeeBlobStream : public BlobStream {
 public:
  TeeBlobStream(std::unique_ptr<BlobStream> inner, int dumpId, ChecksumAlgorithm checksum, Recording& rec)
      : inner_(std::move(inner)), dumpId_(dumpId), checksum_(checksum), rec_(rec) {}
  Status beginBlob(uint32_t oid) override {
    current_.emplace(oid, dumpId_, checksum_);
    return inner_->beginBlob(oid);
  }
  Status write(std::string_view bytes) override {
    if (current_) PGARC_TRY(current_->write(bytes));
    return inner_->write(bytes);
  }
  Status endBlob() override {
    PGARC_TRY(inner_->endBlob());
    if (current_) {
      BlobOutcome o = current_->finish(true);
      current_.reset();
      std::lock_guard<std::mutex> g(rec_.mutex);
      PGARC_TRY(rec_.blobs.add(BlobRecord::of(o)));
    }
    return {};
  }
  Status close() override { return inner_->close(); }

 private:
  std::unique_ptr<BlobStream> inner_;
  int dumpId_;
  ChecksumAlgorithm checksum_;
  Recording& rec_;
  std::optional<BlobChecker> current_;
};

// Sums what goes to a non-seekable output (stdout), where the finished
// file cannot be read back.
class ChecksummingOutput : public OutputStream {
 public:
  ChecksummingOutput(std::unique_ptr<OutputStream> inner, Checksum& checksum, uint64_t& size)
      : inner_(std::move(inner)), checksum_(checksum), size_(size) {}
  Status write(std::string_view data) override {
    checksum_.update(data);
    size_ += data.size();
    return inner_->write(data);
  }
  uint64_t position() const override { return inner_->position(); }
  bool seekable() const override { return false; }
  Status seek(uint64_t) override { return makeError("cannot seek in a checksummed stream"); }
  Status commit() override { return inner_->commit(); }
  const std::string& name() const override { return inner_->name(); }

 private:
  std::unique_ptr<OutputStream> inner_;
  Checksum& checksum_;
  uint64_t& size_;
};

Result<ManifestFile> checksumFile(const std::string& path, const std::string& recordedName, ChecksumAlgorithm algorithm) {
  PGARC_ASSIGN(auto in, openInputFile(path));
  Checksum h(algorithm);
  uint64_t size = 0;
  std::vector<char> buf(1 << 20);
  for (;;) {
    PGARC_ASSIGN(size_t n, in->read(buf.data(), buf.size()));
    if (n == 0) break;
    h.update(std::string_view(buf.data(), n));
    size += n;
  }
  return ManifestFile{recordedName, size, h.hexDigest()};
}

class ManifestedWriter : public ArchiveWriter {
 public:
  ManifestedWriter(std::unique_ptr<ArchiveWriter> inner, std::string archivePath, WriterOptions w,
                   std::string manifestPath, ChecksumAlgorithm checksum)
      : streamChecksum(checksum),
        inner_(std::move(inner)),
        archivePath_(std::move(archivePath)),
        w_(w),
        manifestPath_(std::move(manifestPath)),
        payload_{TextEncoding::Unknown, checksum} {}

  // Set when the archive goes to stdout: its bytes are summed on the way.
  Checksum streamChecksum;
  uint64_t streamSize = 0;
  bool summedStream = false;
  void setInner(std::unique_ptr<ArchiveWriter> inner) { inner_ = std::move(inner); }

  // The TOC lives in the inner writer only.
  const ArchiveToc& toc() const override { return inner_->toc(); }

  Status begin(ArchiveToc toc) override {
    for (size_t i = 0; i < toc.entries.size(); i++)
      if (toc.entries[i].hadDumper) index_[toc.entries[i].dumpId] = i;
    return inner_->begin(std::move(toc));
  }
  Result<std::unique_ptr<DataStream>> openTableData(int dumpId) override {
    PGARC_ASSIGN(const TocEntry* e, entry(dumpId));
    PGARC_ASSIGN(auto s, inner_->openTableData(dumpId));
    if (observed(dumpId)) return s;  // recorded from the producer's side
    return std::unique_ptr<DataStream>(new TeeDataStream(std::move(s), *e, payload_, rec_));
  }
  Result<std::unique_ptr<BlobStream>> openBlobs(int dumpId) override {
    PGARC_ASSIGN(auto s, inner_->openBlobs(dumpId));
    return std::unique_ptr<BlobStream>(new TeeBlobStream(std::move(s), dumpId, payload_.checksum, rec_));
  }
  Result<std::unique_ptr<DataStream>> observePlainPayload(int dumpId) override {
    PGARC_ASSIGN(const TocEntry* e, entry(dumpId));
    {
      std::lock_guard<std::mutex> g(rec_.mutex);
      rec_.observedPlain.insert(dumpId);
    }
    return std::unique_ptr<DataStream>(new TeeDataStream(nullptr, *e, payload_, rec_));
  }
  Result<std::unique_ptr<DataStream>> openPrecompressedTableData(int dumpId) override {
    PGARC_ASSIGN(const TocEntry* e, entry(dumpId));
    PGARC_ASSIGN(auto s, inner_->openPrecompressedTableData(dumpId));
    if (observed(dumpId)) return s;  // recorded from the plain side: no need to decompress
    auto tee = std::make_unique<TeePrecompressedStream>(std::move(s), *e, payload_, rec_);
    PGARC_TRY(tee->init(w_.compression.algorithm));
    return std::unique_ptr<DataStream>(std::move(tee));
  }
  Status finish() override {
    PGARC_TRY(inner_->finish());
    PGARC_ASSIGN(Manifest m, build());
    // A directory's files are checksummed, and the large objects listed from the
    // spool, as the file is written.
    std::optional<DirectoryListing> files;
    if (!summedStream && w_.kind == ArchiveKind::Directory) {
      PGARC_ASSIGN(files, DirectoryListing::read(archivePath_, kDirectoryManifestName));
    }
    auto checksumFiles = [&](const ManifestFileVisitor& visit) -> Status {
      if (!files) return {};
      return files->forEach([&](const std::string& name) -> Status {
        PGARC_ASSIGN(ManifestFile f, checksumFile((std::filesystem::path(archivePath_) / name).string(), name, m.checksum));
        return visit(f);
      });
    };
    return writeManifestFile(m, manifestPath_, syncModeOf(w_), checksumFiles, [this](const ManifestBlobVisitor& visit) -> Status {
      std::lock_guard<std::mutex> g(rec_.mutex);
      return rec_.blobs.forEachByOid([this, &visit](const BlobRecord& r) -> Status {
        return visit(r.listed(payload_.checksum));
      });
    });
  }

 private:
  bool observed(int dumpId) {
    std::lock_guard<std::mutex> g(rec_.mutex);
    return rec_.observedPlain.count(dumpId) > 0;
  }
  Result<const TocEntry*> entry(int dumpId) const {
    auto it = index_.find(dumpId);
    if (it == index_.end()) return Error{"data for an entry not in the TOC", "", std::nullopt, dumpId};
    return &toc().entries[it->second];
  }

  Result<Manifest> build() {
    Manifest m;
    m.format = formatName(w_.kind);
    m.checksum = payload_.checksum;
    namespace fs = std::filesystem;
    if (summedStream) {
      m.files.push_back(ManifestFile{archivePath_, streamSize, streamChecksum.hexDigest()});
    } else if (w_.kind == ArchiveKind::Directory) {
      // Listed by finish() as the manifest is written.
    } else {
      std::string base = fs::path(archivePath_).filename().string();
      PGARC_ASSIGN(ManifestFile f, checksumFile(archivePath_, base.empty() ? archivePath_ : base, m.checksum));
      m.files.push_back(std::move(f));
    }
    std::lock_guard<std::mutex> g(rec_.mutex);
    m.entries = manifestEntries(toc(), rec_.entries);
    return m;
  }

  std::unique_ptr<ArchiveWriter> inner_;
  std::string archivePath_;
  WriterOptions w_;
  std::string manifestPath_;
  std::map<int, size_t> index_;  // entries with data
  // The checker's findings on the server's own COPY text are dropped (only
  // counts and checksums go into the manifest), so its UTF-8 check is not run.
  PayloadOptions payload_;
  Recording rec_;
};

}  // namespace

Result<std::optional<std::string>> manifestTarget(const DumpOptions& o, const std::string& archivePath) {
  if (o.noManifest) {
    if (o.manifestFile) return makeError("options --no-manifest and --manifest cannot be used together");
    if (o.manifestChecksums)
      return makeError("options --no-manifest and --manifest-checksums cannot be used together");
    return std::optional<std::string>();
  }
  if (o.format == ArchiveKind::Plain) {
    if (o.manifestFile) return makeError("--manifest is not available with plain format (a script has no archive entries)");
    if (o.manifestChecksums) return makeError("--manifest-checksums is not available with plain format (no manifest is written)");
    return std::optional<std::string>();
  }
  if (o.manifestFile) return std::optional<std::string>(*o.manifestFile);
  if (archivePath == "-") return std::optional<std::string>();
  return std::optional<std::string>(defaultManifestPath(archivePath, o.format == ArchiveKind::Directory));
}

Result<std::unique_ptr<ArchiveWriter>> createManifestedWriter(const std::string& archivePath, const WriterOptions& w,
                                                              const std::optional<std::string>& manifestPath,
                                                              ChecksumAlgorithm checksum) {
  if (!manifestPath || (w.kind == ArchiveKind::Tar && w.compression.algorithm != CompressionAlgorithm::None))
    return createArchiveWriter(archivePath, w);
  if (archivePath != "-") {
    PGARC_ASSIGN(auto inner, createArchiveWriter(archivePath, w));
    return std::unique_ptr<ArchiveWriter>(new ManifestedWriter(std::move(inner), archivePath, w, *manifestPath, checksum));
  }
  // stdout: the finished archive cannot be read back, so sum it as it goes.
  auto holder = std::make_unique<ManifestedWriter>(nullptr, archivePath, w, *manifestPath, checksum);
  PGARC_ASSIGN(auto out, createOutputFile("-"));
  auto summed = std::make_unique<ChecksummingOutput>(std::move(out), holder->streamChecksum, holder->streamSize);
  std::unique_ptr<ArchiveWriter> inner;
  if (w.kind == ArchiveKind::Tar) {
    PGARC_ASSIGN(inner, createTarWriter(std::move(summed), w));
  } else if (w.kind == ArchiveKind::Custom) {
    PGARC_ASSIGN(inner, createCustomWriter(std::move(summed), w));
  } else {
    return makeError("no output directory specified");
  }
  holder->summedStream = true;
  holder->setInner(std::move(inner));
  return std::unique_ptr<ArchiveWriter>(std::move(holder));
}

}  // namespace pgarc::dump
