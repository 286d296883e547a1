#pragma once
// Shared body of the libFuzzer targets: open an archive from memory (seekable
// and as a pipe) and read every entry's data; errors are fine, crashes and
// sanitizer reports are not.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "format/archive_reader.hpp"
#include "format/io.hpp"

namespace pgarc::fuzz {

class DiscardSink : public DataSink, public BlobSink {
 public:
  Status data(std::string_view) override { return {}; }
  Status beginBlob(uint32_t) override { return {}; }
  Status endBlob(uint32_t) override { return {}; }
};

using Opener = Result<std::unique_ptr<ArchiveReader>> (*)(std::unique_ptr<InputStream>);

inline void readAll(Result<std::unique_ptr<ArchiveReader>> opened) {
  if (!opened.ok()) return;
  DiscardSink sink;
  ArchiveReader& reader = **opened;
  for (const TocEntry& e : reader.toc().entries) {
    if (!e.hadDumper) continue;
    if (e.desc && *e.desc == "BLOBS") (void)reader.readBlobs(e, sink).ok();
    else (void)reader.readTableData(e, sink).ok();
  }
}

inline int fuzzOne(Opener open, const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  readAll(open(openInputMemory(bytes, "fuzz")));
  readAll(open(nonSeekable(openInputMemory(std::move(bytes), "fuzz"))));
  return 0;
}

}  // namespace pgarc::fuzz
