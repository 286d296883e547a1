#pragma once
// Shared by the directory and tar format unit tests: a sample archive content
// (TOC, table data, large objects), writing it through any ArchiveWriter, and
// sinks that collect what a reader gives back.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "format/archive_reader.hpp"
#include "format/archive_writer.hpp"
#include "format/io.hpp"

namespace pgarc::test {

struct Blob {
  uint32_t oid;
  std::string bytes;
  friend bool operator==(const Blob&, const Blob&) = default;
};

// An archive's content: TOC plus data per hadDumper entry.
struct Content {
  ArchiveToc toc;
  std::map<int, std::string> tableData;
  std::map<int, std::vector<Blob>> blobs;
};

TocEntry entry(int id, const std::string& desc, const std::string& tag, Section section, bool data = false);
// ENCODING, a table with its data, an empty table's data and three large
// objects (one of 70,000 bytes, one empty) at the given archive version.
Content sampleContent(ArchiveVersion version);
// Writes the content in small pieces, to exercise the writers' streaming.
Status writeContent(ArchiveWriter& w, const Content& c);

struct StringDataSink : DataSink {
  std::string out;
  Status data(std::string_view b) override;
};

struct CollectBlobs : BlobSink {
  std::vector<Blob> blobs;
  bool open = false;
  Status beginBlob(uint32_t oid) override;
  Status data(std::string_view b) override;
  Status endBlob(uint32_t oid) override;
};

// Reads everything of a tar archive back and compares with what was written.
void expectContent(ArchiveReader& r, const Content& c);
// The content as an uncompressed tar archive, in memory.
std::string writeTar(const Content& c);
// Reads every data entry; the first error, if any.
Status readAllData(ArchiveReader& r);
// The same for a tar archive read from `in`.
Status readEverything(std::unique_ptr<InputStream> in);

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path;
};

bool exists(const std::string& p);
inline ArchiveVersion v(int minor) { return ArchiveVersion{1, static_cast<uint8_t>(minor), 0}; }

}  // namespace pgarc::test
