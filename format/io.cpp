#include "format/io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <vector>

namespace pgarc {

std::string Error::describe() const {
  // One line, always: quoted archive text may carry newlines or control bytes.
  std::string s;
  s.reserve(message.size());
  for (unsigned char c : message) {
    if (c == '\n') {
      s += "\\n";
    } else if (c == '\r') {
      s += "\\r";
    } else if (c < 0x20 && c != '\t') {
      static const char hex[] = "0123456789abcdef";
      s += "\\x";
      s += hex[c >> 4];
      s += hex[c & 15];
    } else {
      s += static_cast<char>(c);
    }
  }
  if (dumpId) s += " (TOC entry " + std::to_string(*dumpId) + ")";
  if (offset) s += " at offset " + std::to_string(*offset);
  if (!file.empty()) s += (offset ? " in " : " in file ") + file;
  return s;
}

Error systemError(const std::string& action, const std::string& what) {
  int e = errno;
  return Error{"could not " + action + " \"" + what + "\": " + std::strerror(e), {}, {}, {}};
}

Status InputStream::readExact(char* buf, size_t n) {
  size_t done = 0;
  while (done < n) {
    PGARC_ASSIGN(size_t got, read(buf + done, n - done));
    if (got == 0) {
      return Error{"unexpected end of file", name(), position(), {}};
    }
    done += got;
  }
  return {};
}

Status InputStream::skip(uint64_t n) {
  if (seekable()) {
    auto sz = size();
    if (sz && position() + n > *sz) {
      return Error{"unexpected end of file while skipping " + std::to_string(n) + " bytes", name(),
                   position(), {}};
    }
    return seek(position() + n);
  }
  char buf[65536];
  while (n > 0) {
    size_t want = n < sizeof buf ? static_cast<size_t>(n) : sizeof buf;
    PGARC_TRY(readExact(buf, want));
    n -= want;
  }
  return {};
}

namespace {

class FdInput : public InputStream {
 public:
  FdInput(int fd, std::string name, bool owns) : fd_(fd), name_(std::move(name)), owns_(owns) {
    struct stat st {};
    if (fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
      seekable_ = true;
      size_ = static_cast<uint64_t>(st.st_size);
    }
    buf_.resize(1 << 16);
  }
  ~FdInput() override {
    if (owns_) ::close(fd_);
  }
  Result<size_t> read(char* out, size_t n) override {
    if (bufPos_ == bufLen_) {
      if (n >= buf_.size()) {  // large read: bypass the buffer
        PGARC_ASSIGN(size_t got, rawRead(out, n));
        pos_ += got;
        bufPos_ = bufLen_ = 0;  // the buffer no longer ends where the file position is
        return got;
      }
      PGARC_ASSIGN(size_t got, rawRead(buf_.data(), buf_.size()));
      bufPos_ = 0;
      bufLen_ = got;
      if (got == 0) return size_t{0};
    }
    size_t take = std::min(n, bufLen_ - bufPos_);
    std::memcpy(out, buf_.data() + bufPos_, take);
    bufPos_ += take;
    pos_ += take;
    return take;
  }
  uint64_t position() const override { return pos_; }
  bool seekable() const override { return seekable_; }
  Status seek(uint64_t pos) override {
    if (!seekable_) return Error{"cannot seek in a non-seekable input", name_, pos_, {}};
    // Short hops (skipping a chunk) stay inside the buffer instead of
    // refilling 64 KiB for every 4 KiB chunk.
    uint64_t bufStart = pos_ - bufPos_;
    if (pos >= bufStart && pos <= bufStart + bufLen_) {
      bufPos_ = static_cast<size_t>(pos - bufStart);
      pos_ = pos;
      return {};
    }
    if (::lseek(fd_, static_cast<off_t>(pos), SEEK_SET) < 0) return systemError("seek in", name_);
    pos_ = pos;
    bufPos_ = bufLen_ = 0;
    return {};
  }
  std::optional<uint64_t> size() const override {
    if (seekable_) return size_;
    return std::nullopt;
  }
  const std::string& name() const override { return name_; }

 private:
  Result<size_t> rawRead(char* out, size_t n) {
    for (;;) {
      ssize_t r = ::read(fd_, out, n);
      if (r >= 0) return static_cast<size_t>(r);
      if (errno == EINTR) continue;
      return systemError("read", name_);
    }
  }
  int fd_;
  std::string name_;
  bool owns_;
  bool seekable_ = false;
  uint64_t size_ = 0;
  uint64_t pos_ = 0;
  std::vector<char> buf_;
  size_t bufPos_ = 0, bufLen_ = 0;
};

class MemoryInput : public InputStream {
 public:
  MemoryInput(std::string data, std::string name) : data_(std::move(data)), name_(std::move(name)) {}
  Result<size_t> read(char* out, size_t n) override {
    size_t take = std::min<uint64_t>(n, data_.size() - pos_);
    std::memcpy(out, data_.data() + pos_, take);
    pos_ += take;
    return take;
  }
  uint64_t position() const override { return pos_; }
  bool seekable() const override { return true; }
  Status seek(uint64_t pos) override {
    if (pos > data_.size()) return Error{"seek past end of input", name_, pos, {}};
    pos_ = pos;
    return {};
  }
  std::optional<uint64_t> size() const override { return data_.size(); }
  const std::string& name() const override { return name_; }

 private:
  std::string data_;
  std::string name_;
  uint64_t pos_ = 0;
};

class NonSeekableInput : public InputStream {
 public:
  explicit NonSeekableInput(std::unique_ptr<InputStream> in) : in_(std::move(in)) {}
  Result<size_t> read(char* out, size_t n) override { return in_->read(out, n); }
  uint64_t position() const override { return in_->position(); }
  bool seekable() const override { return false; }
  Status seek(uint64_t pos) override { return Error{"cannot seek in a non-seekable input", name(), pos, {}}; }
  std::optional<uint64_t> size() const override { return std::nullopt; }
  const std::string& name() const override { return in_->name(); }

 private:
  std::unique_ptr<InputStream> in_;
};

class FdOutput : public OutputStream {
 public:
  FdOutput(int fd, std::string finalName, std::string tmpName, SyncMode sync, bool closeAtEnd = false)
      : fd_(fd), name_(std::move(finalName)), tmp_(std::move(tmpName)), sync_(sync), closeAtEnd_(closeAtEnd) {
    struct stat st {};
    seekable_ = fstat(fd_, &st) == 0 && S_ISREG(st.st_mode) &&
                ::lseek(fd_, 0, SEEK_CUR) >= 0;
    if (seekable_) {
      off_t cur = ::lseek(fd_, 0, SEEK_CUR);
      pos_ = cur > 0 ? static_cast<uint64_t>(cur) : 0;
    }
  }
  ~FdOutput() override {
    if (!tmp_.empty()) {
      if (fd_ >= 0) ::close(fd_);
      if (!committed_) ::unlink(tmp_.c_str());
    } else if (closeAtEnd_ && fd_ >= 0) {
      ::close(fd_);
    }
  }
  Status write(std::string_view data) override {
    buf_.append(data);
    pos_ += data.size();
    if (buf_.size() >= (1 << 16)) return flush();
    return {};
  }
  uint64_t position() const override { return pos_; }
  bool seekable() const override { return seekable_; }
  Status seek(uint64_t pos) override {
    if (!seekable_) return Error{"cannot seek in a non-seekable output", name_, pos, {}};
    PGARC_TRY(flush());
    if (::lseek(fd_, static_cast<off_t>(pos), SEEK_SET) < 0) return systemError("seek in", name_);
    pos_ = pos;
    return {};
  }
  Status commit() override {
    PGARC_TRY(flush());
    if (!tmp_.empty()) {
      if (sync_ == SyncMode::Sync && ::fsync(fd_) != 0 && errno != EINVAL) return systemError("fsync", tmp_);
      if (::close(fd_) != 0) {
        fd_ = -1;
        return systemError("close", tmp_);
      }
      fd_ = -1;
      if (::rename(tmp_.c_str(), name_.c_str()) != 0) return systemError("rename to", name_);
    }
    committed_ = true;
    return {};
  }
  const std::string& name() const override { return name_; }

 private:
  Status flush() {
    size_t done = 0;
    while (done < buf_.size()) {
      ssize_t w = ::write(fd_, buf_.data() + done, buf_.size() - done);
      if (w < 0) {
        if (errno == EINTR) continue;
        buf_.clear();
        return systemError("write to", name_);
      }
      done += static_cast<size_t>(w);
    }
    buf_.clear();
    return {};
  }
  int fd_;
  std::string name_;
  std::string tmp_;  // empty for stdout and devices
  SyncMode sync_;
  bool closeAtEnd_ = false;
  bool seekable_ = false;
  bool committed_ = false;
  uint64_t pos_ = 0;
  std::string buf_;
};

}  // namespace

Result<std::unique_ptr<InputStream>> openInputFile(const std::string& path) {
  if (path == "-") return std::unique_ptr<InputStream>(new FdInput(0, "<stdin>", false));
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return systemError("open input file", path);
  return std::unique_ptr<InputStream>(new FdInput(fd, path, true));
}

std::unique_ptr<InputStream> openInputMemory(std::string data, std::string name) {
  return std::make_unique<MemoryInput>(std::move(data), std::move(name));
}

std::unique_ptr<InputStream> nonSeekable(std::unique_ptr<InputStream> in) {
  return std::make_unique<NonSeekableInput>(std::move(in));
}

Result<std::unique_ptr<OutputStream>> createOutputFile(const std::string& path, SyncMode sync) {
  if (path == "-") return openStdout();
  // A device or pipe (/dev/null, a FIFO) is written in place: renaming a
  // temporary file over it would replace the device with a regular file.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return systemError("open output file", path);
    return std::unique_ptr<OutputStream>(new FdOutput(fd, path, "", sync, true));
  }
  std::random_device rd;
  std::string tmp = path + ".tmp-" + std::to_string(rd() % 1000000);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return systemError("open output file", tmp);
  return std::unique_ptr<OutputStream>(new FdOutput(fd, path, tmp, sync));
}

Status syncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return systemError("open directory", dir);
  // Some file systems refuse fsync on a directory; pg_dump ignores that too.
  if (::fsync(fd) != 0 && errno != EINVAL && errno != EBADF) {
    Error e = systemError("fsync directory", dir);
    ::close(fd);
    return e;
  }
  ::close(fd);
  return {};
}

Result<std::unique_ptr<OutputStream>> openStdout() {
  return std::unique_ptr<OutputStream>(new FdOutput(1, "<stdout>", "", SyncMode::NoSync));
}

Status MemoryOutput::write(std::string_view d) {
  if (pos_ == data_.size()) {
    data_.append(d);
  } else {
    if (pos_ + d.size() > data_.size()) data_.resize(pos_ + d.size());
    data_.replace(pos_, d.size(), d);
  }
  pos_ += d.size();
  return {};
}

Status MemoryOutput::seek(uint64_t pos) {
  if (!seekable_) return Error{"cannot seek in a non-seekable output", name_, pos, {}};
  if (pos > data_.size()) return Error{"seek past end of output", name_, pos, {}};
  pos_ = pos;
  return {};
}

}  // namespace pgarc
