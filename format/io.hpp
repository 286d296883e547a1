#pragma once
// Byte streams the archive readers and writers work on. Files, stdin/stdout
// and memory buffers all hide behind these two interfaces.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "format/result.hpp"

namespace pgarc {

class InputStream {
 public:
  virtual ~InputStream() = default;
  // Reads up to n bytes; returns 0 only at end of input.
  virtual Result<size_t> read(char* buf, size_t n) = 0;
  virtual uint64_t position() const = 0;
  virtual bool seekable() const = 0;
  virtual Status seek(uint64_t pos) = 0;                 // only when seekable()
  virtual std::optional<uint64_t> size() const = 0;      // known total size, if any
  virtual const std::string& name() const = 0;           // for error messages

  // Reads exactly n bytes or fails with "unexpected end of file".
  Status readExact(char* buf, size_t n);
  // Skips n bytes, seeking when possible.
  Status skip(uint64_t n);
};

class OutputStream {
 public:
  virtual ~OutputStream() = default;
  virtual Status write(std::string_view data) = 0;
  virtual uint64_t position() const = 0;
  virtual bool seekable() const = 0;
  virtual Status seek(uint64_t pos) = 0;                 // only when seekable()
  // Flushes and makes the output final (a file written under a temporary name
  // is renamed into place). Until commit() succeeds nothing looks complete.
  virtual Status commit() = 0;
  virtual const std::string& name() const = 0;
};

// "-" means stdin.
Result<std::unique_ptr<InputStream>> openInputFile(const std::string& path);
std::unique_ptr<InputStream> openInputMemory(std::string data, std::string name = "<memory>");
// Wraps a stream so that it reports itself non-seekable (tests of pipe handling).
std::unique_ptr<InputStream> nonSeekable(std::unique_ptr<InputStream> in);

// Whether commit() waits until the file's data is on disk (fsync), as pg_dump
// does unless told --no-sync.
enum class SyncMode { Sync, NoSync };

// Writes to "<path>.tmp-XXXX" and renames to path on commit(); removed if
// destroyed uncommitted. "-" means stdout (never seekable here, as a pipe).
Result<std::unique_ptr<OutputStream>> createOutputFile(const std::string& path, SyncMode sync = SyncMode::Sync);
// fsyncs a directory, so that the names of the files just created in it last.
Status syncDirectory(const std::string& dir);
// Plain stdout; seekable when it is a regular file, as pg_dump checks.
Result<std::unique_ptr<OutputStream>> openStdout();

class MemoryOutput : public OutputStream {
 public:
  explicit MemoryOutput(bool seekable = true, std::string name = "<memory>")
      : seekable_(seekable), name_(std::move(name)) {}
  Status write(std::string_view data) override;
  uint64_t position() const override { return pos_; }
  bool seekable() const override { return seekable_; }
  Status seek(uint64_t pos) override;
  Status commit() override { committed_ = true; return {}; }
  const std::string& name() const override { return name_; }
  const std::string& data() const { return data_; }
  std::string& data() { return data_; }
  bool committed() const { return committed_; }

 private:
  std::string data_;
  uint64_t pos_ = 0;
  bool seekable_;
  bool committed_ = false;
  std::string name_;
};

// Error from errno for a failed system call on `what`.
Error systemError(const std::string& action, const std::string& what);

}  // namespace pgarc
