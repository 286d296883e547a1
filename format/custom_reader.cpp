// Custom-format (-Fc) reader: header and TOC up front, data blocks located by
// offset, by scanning forward, or strictly in file order from a pipe.
#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "format/archive_reader.hpp"
#include "format/codec.hpp"
#include "format/custom_blocks.hpp"
#include "format/header_toc.hpp"
#include "format/io.hpp"
#include "format/primitives.hpp"

namespace pgarc {
namespace {

class DataSinkAdapter : public ByteSink {
 public:
  explicit DataSinkAdapter(DataSink& s) : sink_(s) {}
  Status write(std::string_view data) override { return sink_.data(data); }

 private:
  DataSink& sink_;
};

class BlobDataAdapter : public ByteSink {
 public:
  explicit BlobDataAdapter(BlobSink& s) : sink_(s) {}
  Status write(std::string_view data) override { return sink_.data(data); }

 private:
  BlobSink& sink_;
};

struct BlockHeader {
  bool eof = false;
  uint8_t type = 0;
  int dumpId = 0;
  uint64_t position = 0;
};

class CustomReader : public ArchiveReader {
 public:
  CustomReader(std::unique_ptr<InputStream> in, ArchiveToc toc, uint64_t dataStart)
      : in_(std::move(in)), reader_(*in_, toc.header.intSize, toc.header.offSize), toc_(std::move(toc)),
        dataStart_(dataStart), scanPos_(dataStart) {
    computeStoredSizes();
  }

  const ArchiveToc& toc() const override { return toc_; }
  ArchiveKind kind() const override { return ArchiveKind::Custom; }
  const std::string& path() const override { return in_->name(); }

  std::optional<uint64_t> storedDataSize(const TocEntry& e) const override {
    auto it = storedSizes_.find(e.dumpId);
    if (it == storedSizes_.end()) return std::nullopt;
    return it->second;
  }

  std::string dataLocation(const TocEntry& e) const override {
    if (e.offsetFlag == OffsetFlag::Set) return "offset " + std::to_string(e.dataOffset);
    auto it = blockPositions_.find(e.dumpId);
    if (it != blockPositions_.end()) return "offset " + std::to_string(it->second);
    if (e.hadDumper) return "offset not set";
    return {};
  }

  // With offsets, every one must lie inside the file and the last block must
  // run to its end; without them, every block is walked (chunk headers only).
  Status checkDataPresent() override {
    if (!in_->seekable()) return {};
    PGARC_TRY(usable());
    std::optional<uint64_t> walkFrom;
    bool anyUnset = false;
    auto size = in_->size();
    for (const auto& e : toc_.entries) {
      if (!e.hadDumper || e.offsetFlag == OffsetFlag::NoData) continue;
      if (e.offsetFlag != OffsetFlag::Set) {
        anyUnset = true;
        continue;
      }
      if (size && e.dataOffset >= *size)
        return errorAt("data of entry " + std::to_string(e.dumpId) + " lies beyond the end of the file (" +
                           std::to_string(*size) + " bytes): the archive is truncated",
                       e.dataOffset, e.dumpId);
      if (!walkFrom || e.dataOffset > *walkFrom) walkFrom = e.dataOffset;
    }
    if (anyUnset || !walkFrom) walkFrom = dataStart_;
    PGARC_TRY(in_->seek(*walkFrom));
    for (;;) {
      PGARC_ASSIGN(BlockHeader bh, readBlockHeader());
      if (bh.eof) break;
      if (bh.type != custom::kBlockData && bh.type != custom::kBlockBlobs)
        return errorAt("unrecognized data block type " + std::to_string(bh.type), bh.position, bh.dumpId);
      PGARC_TRY(bh.type == custom::kBlockData ? skipChunks(bh.dumpId) : skipBlobList(bh.dumpId));
    }
    return in_->seek(scanPos_);
  }

  Status readTableData(const TocEntry& entry, DataSink& sink) override {
    PGARC_TRY(usable());
    PGARC_ASSIGN(BlockHeader bh, locate(entry));
    if (bh.type != custom::kBlockData) {
      return Error{"expected a data block (type 1) for entry " + std::to_string(entry.dumpId) + ", found type " +
                       std::to_string(bh.type) + " (large objects are read with readBlobs)",
                   in_->name(), bh.position, entry.dumpId};
    }
    DataSinkAdapter adapter(sink);
    Status st = readStream(adapter, entry.dumpId);
    return finishBlock(std::move(st), bh);
  }

  Status readBlobs(const TocEntry& entry, BlobSink& sink) override {
    PGARC_TRY(usable());
    PGARC_ASSIGN(BlockHeader bh, locate(entry));
    if (bh.type != custom::kBlockBlobs) {
      return Error{"expected a large-object block (type 3) for entry " + std::to_string(entry.dumpId) +
                       ", found type " + std::to_string(bh.type),
                   in_->name(), bh.position, entry.dumpId};
    }
    Status st = readBlobList(sink, entry.dumpId);
    return finishBlock(std::move(st), bh);
  }

 private:
  Error errorAt(std::string message, uint64_t offset, int dumpId) const {
    return Error{std::move(message), in_->name(), offset, dumpId};
  }

  // A failed read in the middle of a block leaves a pipe at an unknown place.
  Status usable() const {
    if (broken_) return Error{"archive input is unusable after an earlier read error", in_->name(), in_->position(), {}};
    return {};
  }

  Status finishBlock(Status st, const BlockHeader& bh) {
    if (!st.ok()) {
      if (!in_->seekable()) broken_ = true;
      return st;
    }
    // A block read from the scan frontier extends what has been scanned.
    if (bh.position == scanPos_) scanPos_ = in_->position();
    return {};
  }

  void computeStoredSizes() {
    std::vector<std::pair<uint64_t, int>> set;
    for (const auto& e : toc_.entries)
      if (e.offsetFlag == OffsetFlag::Set) set.emplace_back(e.dataOffset, e.dumpId);
    std::sort(set.begin(), set.end());
    auto fileSize = in_->size();
    for (size_t i = 0; i < set.size(); ++i) {
      uint64_t end = 0;
      if (i + 1 < set.size()) end = set[i + 1].first;
      else if (fileSize) end = *fileSize;
      else continue;
      if (end >= set[i].first) storedSizes_[set[i].second] = end - set[i].first;
    }
  }

  Result<BlockHeader> readBlockHeader() {
    BlockHeader bh;
    bh.position = in_->position();
    char c = 0;
    PGARC_ASSIGN(size_t got, in_->read(&c, 1));
    if (got == 0) {
      bh.eof = true;
      return bh;
    }
    bh.type = static_cast<uint8_t>(c);
    auto id = reader_.int32();
    if (!id.ok()) return std::move(id).error().prefixed("could not read data block header");
    bh.dumpId = *id;
    return bh;
  }

  Result<BlockHeader> locate(const TocEntry& entry) {
    if (!entry.hadDumper || entry.offsetFlag == OffsetFlag::NoData)
      return errorAt("entry " + std::to_string(entry.dumpId) + " has no data in this archive", dataStart_, entry.dumpId);
    if (in_->seekable()) {
      std::optional<uint64_t> pos;
      if (entry.offsetFlag == OffsetFlag::Set) pos = entry.dataOffset;
      else if (auto it = blockPositions_.find(entry.dumpId); it != blockPositions_.end()) pos = it->second;
      if (pos) {
        auto size = in_->size();
        if (*pos < dataStart_ || (size && *pos >= *size))
          return errorAt("data offset " + std::to_string(*pos) + " of entry " + std::to_string(entry.dumpId) +
                             " is outside the data area (" + std::to_string(dataStart_) + ".." +
                             (size ? std::to_string(*size) : std::string("end")) + ")",
                         *pos, entry.dumpId);
        PGARC_TRY(in_->seek(*pos));
        PGARC_ASSIGN(BlockHeader bh, readBlockHeader());
        if (bh.eof) return errorAt("unexpected end of file at data offset of entry " + std::to_string(entry.dumpId), *pos, entry.dumpId);
        if (bh.dumpId != entry.dumpId)
          return errorAt("found unexpected block ID (" + std::to_string(bh.dumpId) + ") when reading data -- expected " +
                             std::to_string(entry.dumpId),
                         bh.position, entry.dumpId);
        return bh;
      }
      PGARC_TRY(in_->seek(scanPos_));
    } else if (blockPositions_.count(entry.dumpId) != 0) {
      return outOfOrder(entry);
    }
    return scanFor(entry);
  }

  Error outOfOrder(const TocEntry& entry) const {
    return Error{"could not find block ID " + std::to_string(entry.dumpId) +
                     " in archive -- possibly due to out-of-order restore request, which cannot be handled due to "
                     "non-seekable input file",
                 in_->name(), in_->position(), entry.dumpId};
  }

  // Walks blocks from the current position, remembering where each starts,
  // until the wanted one.
  Result<BlockHeader> scanFor(const TocEntry& entry) {
    for (;;) {
      PGARC_ASSIGN(BlockHeader bh, readBlockHeader());
      if (bh.eof) {
        if (!in_->seekable()) return outOfOrder(entry);
        return errorAt("could not find block ID " + std::to_string(entry.dumpId) + " in archive -- possibly corrupt archive",
                       bh.position, entry.dumpId);
      }
      if (bh.type != custom::kBlockData && bh.type != custom::kBlockBlobs)
        return errorAt("unrecognized data block type " + std::to_string(bh.type) + " while searching archive",
                       bh.position, bh.dumpId);
      blockPositions_.emplace(bh.dumpId, bh.position);
      if (bh.dumpId == entry.dumpId) return bh;
      Status st = bh.type == custom::kBlockData ? skipChunks(bh.dumpId) : skipBlobList(bh.dumpId);
      if (!st.ok()) {
        if (!in_->seekable()) broken_ = true;
        return std::move(st).error();
      }
      if (bh.position == scanPos_) scanPos_ = in_->position();
    }
  }

  // Reads one chunk length: 0 ends the stream.
  Result<uint64_t> readChunkLength(int dumpId) {
    uint64_t at = in_->position();
    auto len = reader_.integer();
    if (!len.ok()) return std::move(len).error().prefixed("could not read data chunk length").withDumpId(dumpId);
    if (*len < 0 || *len > custom::kMaxChunkLength)
      return errorAt("invalid data chunk length " + std::to_string(*len) + ", expected 0.." +
                         std::to_string(custom::kMaxChunkLength),
                     at, dumpId);
    auto size = in_->size();
    if (size && in_->position() + static_cast<uint64_t>(*len) > *size)
      return errorAt("data chunk of " + std::to_string(*len) + " bytes runs past the end of the file (" +
                         std::to_string(*size - in_->position()) + " bytes left)",
                     at, dumpId);
    return static_cast<uint64_t>(*len);
  }

  Status skipChunks(int dumpId) {
    for (;;) {
      PGARC_ASSIGN(uint64_t len, readChunkLength(dumpId));
      if (len == 0) return {};
      Status st = in_->skip(len);
      if (!st.ok()) return std::move(st).error().withDumpId(dumpId);
    }
  }

  Result<uint32_t> readBlobOid(int dumpId) {
    uint64_t at = in_->position();
    auto v = reader_.integer();
    if (!v.ok()) return std::move(v).error().prefixed("could not read large object OID").withDumpId(dumpId);
    // OIDs above 2^31 were written through a signed int.
    if (*v < -(int64_t{1} << 32) + 1 || *v > 0xffffffffLL)
      return errorAt("invalid large object OID " + std::to_string(*v), at, dumpId);
    return static_cast<uint32_t>(*v < 0 ? *v + (int64_t{1} << 32) : *v);
  }

  Status skipBlobList(int dumpId) {
    for (;;) {
      PGARC_ASSIGN(uint32_t oid, readBlobOid(dumpId));
      if (oid == 0) return {};
      PGARC_TRY(skipChunks(dumpId));
    }
  }

  // Feeds one chunk sequence to `out`: through the header's decompressor, or
  // for uncompressed archives one write per stored chunk.
  Status readStream(ByteSink& out, int dumpId) {
    const auto algorithm = toc_.header.compression;
    const uint64_t start = in_->position();
    std::unique_ptr<Decompressor> dec;
    if (algorithm != CompressionAlgorithm::None) {
      auto made = makeDecompressor(algorithm, CodecContainer::Stream, out);
      if (!made.ok()) return std::move(made).error().withFile(in_->name()).withDumpId(dumpId);
      dec = std::move(made).value();
    }
    std::string buf;
    for (;;) {
      PGARC_ASSIGN(uint64_t len, readChunkLength(dumpId));
      if (len == 0) break;
      if (!dec) {
        // The length is bounded by the file size (when known); grow the buffer
        // only as bytes actually arrive.
        buf.clear();
        while (buf.size() < len) {
          size_t n = static_cast<size_t>(std::min<uint64_t>(len - buf.size(), custom::kReadSlice * 16));
          size_t old = buf.size();
          buf.resize(old + n);
          Status st = in_->readExact(buf.data() + old, n);
          if (!st.ok()) return std::move(st).error().prefixed("could not read data chunk").withDumpId(dumpId);
        }
        PGARC_TRY(out.write(buf));
        continue;
      }
      while (len > 0) {
        size_t n = static_cast<size_t>(std::min<uint64_t>(len, custom::kReadSlice));
        buf.resize(n);
        Status st = in_->readExact(buf.data(), n);
        if (!st.ok()) return std::move(st).error().prefixed("could not read data chunk").withDumpId(dumpId);
        uint64_t at = in_->position();
        st = dec->write(buf);
        if (!st.ok()) return std::move(st).error().withFile(in_->name()).withOffset(at).withDumpId(dumpId);
        len -= n;
      }
    }
    if (dec) {
      Status st = dec->finish();
      if (!st.ok())
        return std::move(st).error().prefixed("could not decompress data starting at offset " + std::to_string(start))
            .withFile(in_->name())
            .withOffset(in_->position())
            .withDumpId(dumpId);
    }
    return {};
  }

  Status readBlobList(BlobSink& sink, int dumpId) {
    for (;;) {
      PGARC_ASSIGN(uint32_t oid, readBlobOid(dumpId));
      if (oid == 0) return {};
      PGARC_TRY(sink.beginBlob(oid));
      BlobDataAdapter adapter(sink);
      Status st = readStream(adapter, dumpId);
      if (!st.ok()) return std::move(st).error().prefixed("large object " + std::to_string(oid));
      PGARC_TRY(sink.endBlob(oid));
    }
  }

  std::unique_ptr<InputStream> in_;
  ByteReader reader_;
  ArchiveToc toc_;
  uint64_t dataStart_;
  uint64_t scanPos_;  // first block not yet walked by a forward scan
  bool broken_ = false;
  std::map<int, uint64_t> blockPositions_;  // blocks passed while scanning
  std::unordered_map<int, uint64_t> storedSizes_;
};

}  // namespace

Result<std::unique_ptr<ArchiveReader>> openCustomArchive(std::unique_ptr<InputStream> in) {
  if (!in) return makeError("no input stream");
  ByteReader r(*in);
  PGARC_ASSIGN(ArchiveHeader header, readHeader(r, ArchiveFormat::Custom));
  auto entries = readToc(r, header, TocExtra::CustomOffset);
  if (!entries.ok()) return std::move(entries).error().withFile(in->name());
  ArchiveToc toc{std::move(header), std::move(entries).value(), {}};
  uint64_t dataStart = in->position();
  return std::unique_ptr<ArchiveReader>(std::make_unique<CustomReader>(std::move(in), std::move(toc), dataStart));
}

}  // namespace pgarc
