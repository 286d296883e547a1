// Format detection: which reader opens a path (archive-format.md sections
// 5-7). A directory holding toc.dat is a directory archive; a file starting
// "PGDMP" with format byte 1 is custom; a valid ustar header is tar.
#include <sys/stat.h>

#include <cstring>

#include "format/archive_reader.hpp"
#include "format/io.hpp"
#include "format/tar_header.hpp"

namespace pgarc {

namespace {

// Replays bytes already read from a non-seekable stream, then continues it.
class PrefixedInput : public InputStream {
 public:
  PrefixedInput(std::string prefix, std::unique_ptr<InputStream> rest)
      : prefix_(std::move(prefix)), rest_(std::move(rest)) {}
  Result<size_t> read(char* buf, size_t n) override {
    if (used_ < prefix_.size()) {
      size_t take = std::min(n, prefix_.size() - used_);
      std::memcpy(buf, prefix_.data() + used_, take);
      used_ += take;
      pos_ += take;
      return take;
    }
    PGARC_ASSIGN(size_t got, rest_->read(buf, n));
    pos_ += got;
    return got;
  }
  uint64_t position() const override { return pos_; }
  bool seekable() const override { return false; }
  Status seek(uint64_t pos) override { return Error{"cannot seek in a non-seekable input", name(), pos, {}}; }
  std::optional<uint64_t> size() const override { return std::nullopt; }
  const std::string& name() const override { return rest_->name(); }

 private:
  std::string prefix_;
  size_t used_ = 0;
  std::unique_ptr<InputStream> rest_;
  uint64_t pos_ = 0;
};

Result<std::string> peek(InputStream& in, size_t n) {
  std::string buf(n, '\0');
  size_t got = 0;
  while (got < n) {
    PGARC_ASSIGN(size_t r, in.read(buf.data() + got, n - got));
    if (r == 0) break;
    got += r;
  }
  buf.resize(got);
  return buf;
}

// Position of the format byte after "PGDMP", which depends on the version.
std::optional<uint8_t> formatByte(std::string_view head) {
  if (head.size() < 7) return std::nullopt;
  uint8_t major = static_cast<uint8_t>(head[5]), minor = static_cast<uint8_t>(head[6]);
  size_t pos = 7;
  bool afterOne = major > 1 || (major == 1 && minor > 0);
  if (afterOne) pos++;                                   // revision
  pos++;                                                 // intSize
  if (major > 1 || (major == 1 && minor >= 7)) pos++;    // offSize
  if (head.size() <= pos) return std::nullopt;
  return static_cast<uint8_t>(head[pos]);
}

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

Result<std::unique_ptr<ArchiveReader>> openStream(std::unique_ptr<InputStream> in) {
  PGARC_ASSIGN(std::string head, peek(*in, kTarBlockSize));
  if (in->seekable()) {
    PGARC_TRY(in->seek(0));
  } else {
    in = std::make_unique<PrefixedInput>(head, std::move(in));
  }
  const std::string name = in->name();
  if (head.empty()) return Error{"input file is empty", name, {}, {}};
  if (startsWith(head, "PGDMP")) {
    auto fmt = formatByte(head);
    if (fmt == 1) return openCustomArchive(std::move(in));
    if (fmt == 3) {
      return Error{"input file looks like the toc.dat of a directory archive; open its directory instead", name, {},
                   {}};
    }
    return Error{"unrecognized archive format in file header (format byte " +
                     (fmt ? std::to_string(*fmt) : std::string("missing")) + ")",
                 name, {}, {}};
  }
  if (head.size() == kTarBlockSize && isValidTarHeader(head)) return openTarArchive(std::move(in));
  if (startsWith(head, "--\n-- PostgreSQL database dump\n--\n\n") ||
      startsWith(head, "--\n-- PostgreSQL database cluster dump\n--\n\n")) {
    return Error{"input file appears to be a text format dump. Please use psql.", name, {}, {}};
  }
  if (head.size() < 5) return Error{"input file is too short (read " + std::to_string(head.size()) + " bytes, expected 5)", name, {}, {}};
  return Error{"input file does not appear to be a valid archive", name, {}, {}};
}

bool hasTocFile(const std::string& dir) {
  for (const char* n : {"toc.dat", "toc.dat.gz", "toc.dat.lz4", "toc.dat.zst"}) {
    struct stat st {};
    if (::stat((dir + "/" + n).c_str(), &st) == 0 && S_ISREG(st.st_mode)) return true;
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<ArchiveReader>> openArchive(const std::string& path) {
  if (path != "-") {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return systemError("open input file", path);
    if (S_ISDIR(st.st_mode)) {
      if (!hasTocFile(path)) {
        return Error{"directory \"" + path + "\" does not appear to be a valid archive (\"toc.dat\" does not exist)",
                     path, {}, {}};
      }
      return openDirectoryArchive(path);
    }
  }
  PGARC_ASSIGN(auto in, openInputFile(path));
  return openStream(std::move(in));
}

}  // namespace pgarc
