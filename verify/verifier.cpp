#include "verify/verifier.hpp"

#include <sys/stat.h>

#include <cstring>
#include <filesystem>

#include "format/io.hpp"
#include "verify/manifest.hpp"
#include "verify/progress.hpp"
#include "verify/walk_support.hpp"

namespace pgarc {
namespace {

// Replays bytes already read (for format detection on stdin) before the rest.
class ReplayInput : public InputStream {
 public:
  ReplayInput(std::string prefix, std::unique_ptr<InputStream> rest)
      : prefix_(std::move(prefix)), rest_(std::move(rest)) {}
  Result<size_t> read(char* buf, size_t n) override {
    if (used_ < prefix_.size()) {
      size_t take = std::min(n, prefix_.size() - used_);
      std::memcpy(buf, prefix_.data() + used_, take);
      used_ += take;
      return take;
    }
    return rest_->read(buf, n);
  }
  uint64_t position() const override { return used_ < prefix_.size() ? used_ : rest_->position(); }
  bool seekable() const override { return false; }
  Status seek(uint64_t) override { return makeError("cannot seek in standard input"); }
  std::optional<uint64_t> size() const override { return std::nullopt; }
  const std::string& name() const override { return rest_->name(); }

 private:
  std::string prefix_;
  size_t used_ = 0;
  std::unique_ptr<InputStream> rest_;
};

bool isDirectory(const std::string& path) {
  struct stat st {};
  return path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Result<DetectedFormat> formatOfPrefix(const std::string& head, const std::string& path) {
  if (head.size() >= 5 && head.compare(0, 5, "PGDMP") == 0) return DetectedFormat::Custom;
  if (head.size() >= 262 && head.compare(257, 5, "ustar") == 0) return DetectedFormat::Tar;
  if (head.empty()) return Error{"file is empty: not an archive", path, {}, {}};
  if (head.size() >= 512 && head.find_first_not_of('\0') == std::string::npos) {
    return Error{"file starts with a zero block: not a pg_dump archive", path, {}, {}};
  }
  return Error{"input file does not appear to be a valid archive (expected \"PGDMP\" or a tar header)", path, {}, {}};
}

uint64_t totalSize(const std::string& path) {
  std::error_code ec;
  if (isDirectory(path)) {
    uint64_t total = 0;
    for (const auto& f : std::filesystem::directory_iterator(path, ec)) {
      if (f.is_regular_file(ec)) total += f.file_size(ec);
    }
    return total;
  }
  if (path == "-") return 0;
  auto sz = std::filesystem::file_size(path, ec);
  return ec ? 0 : sz;
}

Status walk(const std::string& path, const WalkOptions& walkOptions, Report& report) {
  if (isDirectory(path)) return walkDirectoryArchive(path, walkOptions, report);
  PGARC_ASSIGN(auto in, openInputFile(path));
  std::string head(512, '\0');
  size_t got = 0;
  while (got < head.size()) {
    PGARC_ASSIGN(size_t n, in->read(head.data() + got, head.size() - got));
    if (n == 0) break;
    got += n;
  }
  head.resize(got);
  PGARC_ASSIGN(DetectedFormat f, formatOfPrefix(head, path));
  std::unique_ptr<InputStream> stream;
  if (in->seekable()) {
    PGARC_TRY(in->seek(0));
    stream = std::move(in);
  } else {
    stream = std::make_unique<ReplayInput>(std::move(head), std::move(in));
  }
  if (f == DetectedFormat::Custom) return walkCustomArchive(std::move(stream), walkOptions, report);
  return walkTarArchive(std::move(stream), walkOptions, report);
}

}  // namespace

Result<DetectedFormat> detectArchiveFormat(const std::string& path) {
  if (isDirectory(path)) {
    struct stat st {};
    if (::stat((path + "/toc.dat").c_str(), &st) == 0 || ::stat((path + "/toc.dat.gz").c_str(), &st) == 0) {
      return DetectedFormat::Directory;
    }
    return Error{"directory has no toc.dat: not a directory-format archive", path, {}, {}};
  }
  PGARC_ASSIGN(auto in, openInputFile(path));
  std::string head(512, '\0');
  size_t got = 0;
  while (got < head.size()) {
    PGARC_ASSIGN(size_t n, in->read(head.data() + got, head.size() - got));
    if (n == 0) break;
    got += n;
  }
  head.resize(got);
  return formatOfPrefix(head, path);
}

Result<Report> verifyArchive(const std::string& path, const VerifyOptions& options) {
  Report report;
  report.archivePath = path;
  const bool directory = isDirectory(path);

  std::optional<Manifest> manifest;
  std::string manifestPath;
  if (options.manifestPath) {
    manifestPath = *options.manifestPath;
    PGARC_ASSIGN(Manifest m, readManifestFile(manifestPath));
    manifest = std::move(m);
  } else if (options.useManifest && path != "-") {
    std::string candidate = defaultManifestPath(path, directory);
    std::error_code ec;
    if (std::filesystem::exists(candidate, ec)) {
      manifestPath = candidate;
      auto m = readManifestFile(candidate);
      if (!m.ok()) {
        report.add(Problem{candidate, {}, {}, {}, "could not read manifest: " + m.error().describe(), {},
                           OffsetKind::File});
      } else {
        manifest = std::move(m).value();
      }
    }
  }

  WalkOptions walkOptions;
  walkOptions.digests = options.digests || manifest.has_value() ||
                        (options.restoreCheck && options.restoreCheck->compareChecksums);
  walkOptions.checksum = options.checksum.value_or(ChecksumAlgorithm::Crc32c);
  if (manifest && manifest->checksum != ChecksumAlgorithm::None) {
    if (options.checksum && *options.checksum != manifest->checksum) {
      return Error{std::string("the manifest's checksums are ") + checksumAlgorithmName(manifest->checksum) +
                       ", not " + checksumAlgorithmName(*options.checksum) + " (--no-manifest to ignore it)",
                   manifestPath, {}, {}};
    }
    walkOptions.checksum = manifest->checksum;
  }
  if (walkOptions.digests) report.checksumAlgorithm = walkOptions.checksum;
  if (directory) walkOptions.ignoredFiles.insert(kDirectoryManifestName);
  ProgressBar bar(totalSize(path), options.progress && ProgressBar::stderrIsTerminal());
  walkOptions.progress = [&bar](uint64_t done) { bar.update(done); };

  Status walked = walk(path, walkOptions, report);
  bar.finish();
  if (!walked.ok()) return std::move(walked).error();

  if (manifest) {
    report.notes.push_back("checked against manifest " + manifestPath);
    checkAgainstManifest(*manifest, manifestPath, report);
  }
  if (options.restoreCheck) {
    if (!report.toc) return Error{"cannot run the restore check: the archive's TOC is unreadable", path, {}, {}};
    PGARC_TRY(runRestoreCheck(path, *options.restoreCheck, manifest ? &*manifest : nullptr, report));
  }
  return report;
}

}  // namespace pgarc
