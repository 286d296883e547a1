// Tar-format (-Ft) reader. Works forward-only, so a pipe on stdin can be
// read as pg_restore reads it; on a seekable input every member is indexed
// first and data can be read in any order (archive-format.md section 7).
#include <functional>
#include <map>
#include <set>

#include "format/archive_reader.hpp"
#include "format/blob_index.hpp"
#include "format/header_toc.hpp"
#include "format/io.hpp"
#include "format/primitives.hpp"
#include "format/tar_header.hpp"

namespace pgarc {

namespace {

// The bytes of one member, read straight from the archive stream.
class MemberInput : public InputStream {
 public:
  MemberInput(InputStream& parent, uint64_t size, std::string name)
      : parent_(parent), size_(size), name_(std::move(name)) {}
  Result<size_t> read(char* buf, size_t n) override {
    uint64_t left = size_ - pos_;
    if (left == 0) return size_t{0};
    size_t want = static_cast<size_t>(std::min<uint64_t>(n, left));
    PGARC_ASSIGN(size_t got, parent_.read(buf, want));
    if (got == 0) return Error{"truncated tar archive: member ends early", name_, pos_, {}};
    pos_ += got;
    return got;
  }
  uint64_t position() const override { return pos_; }
  bool seekable() const override { return false; }
  Status seek(uint64_t pos) override { return Error{"cannot seek in a tar member", name_, pos, {}}; }
  std::optional<uint64_t> size() const override { return size_; }
  const std::string& name() const override { return name_; }
  uint64_t remaining() const { return size_ - pos_; }

 private:
  InputStream& parent_;
  uint64_t size_;
  uint64_t pos_ = 0;
  std::string name_;
};

struct Member {
  TarMemberHeader header;
  uint64_t headerPos = 0;
  uint64_t dataPos = 0;
};

class TarReader : public ArchiveReader {
 public:
  explicit TarReader(std::unique_ptr<InputStream> in) : in_(std::move(in)), path_(in_->name()) {}

  Status open() {
    PGARC_ASSIGN(auto first, nextHeader());
    if (!first) return Error{"tar archive is empty", path_, 0, {}};
    if (first->header.name != "toc.dat") {
      return Error{"expected \"toc.dat\" as the first tar member, found \"" + first->header.name + "\"", path_,
                   first->headerPos, {}};
    }
    MemberInput tocIn(*in_, first->header.size, path_ + ":toc.dat");
    ByteReader r(tocIn);
    PGARC_ASSIGN(toc_.header, readHeader(r, ArchiveFormat::Tar));
    PGARC_ASSIGN(toc_.entries, readToc(r, toc_.header, TocExtra::Filename));
    PGARC_TRY(in_->skip(tocIn.remaining() + tarPadding(first->header.size)));
    if (in_->seekable()) PGARC_TRY(indexMembers());
    return {};
  }

  const ArchiveToc& toc() const override { return toc_; }
  ArchiveKind kind() const override { return ArchiveKind::Tar; }
  const std::string& path() const override { return path_; }

  Status readTableData(const TocEntry& entry, DataSink& sink) override {
    auto st = readTableDataImpl(entry, sink);
    if (!st.ok()) return std::move(st).error().withDumpId(entry.dumpId);
    return st;
  }

  Status readBlobs(const TocEntry& entry, BlobSink& sink) override {
    auto st = indexed_ ? readBlobsIndexed(entry, sink) : readBlobsForward(entry, sink);
    if (!st.ok()) return std::move(st).error().withDumpId(entry.dumpId);
    return st;
  }

  std::optional<uint64_t> storedDataSize(const TocEntry& entry) const override {
    if (!indexed_ || isBlobs(entry) || !entry.filename) return std::nullopt;
    auto it = byName_.find(*entry.filename);
    if (it == byName_.end()) return std::nullopt;
    return members_[it->second].header.size;
  }

  std::string dataLocation(const TocEntry& entry) const override {
    if (isBlobs(entry)) return blobIndexName(toc_.header.version, entry.dumpId);
    return entry.filename.value_or("");
  }

 private:
  static bool isBlobs(const TocEntry& e) { return e.desc && *e.desc == "BLOBS"; }

  // Next member header at the current position, skipping all-zero blocks as
  // pg_restore does; nullopt at the end of the archive.
  Result<std::optional<Member>> nextHeader() {
    std::string block(kTarBlockSize, '\0');
    for (;;) {
      uint64_t pos = in_->position();
      size_t got = 0;
      while (got < kTarBlockSize) {
        PGARC_ASSIGN(size_t n, in_->read(block.data() + got, kTarBlockSize - got));
        if (n == 0) break;
        got += n;
      }
      if (got == 0) return std::optional<Member>();
      if (got != kTarBlockSize) {
        return Error{"incomplete tar header found (" + std::to_string(got) + " bytes)", path_, pos, {}};
      }
      if (isZeroBlock(block)) continue;
      std::optional<uint64_t> limit;
      if (auto sz = in_->size()) limit = *sz - std::min(*sz, pos + kTarBlockSize);
      auto header = parseTarHeader(block, limit);
      if (!header.ok()) return std::move(header).error().withFile(path_).withOffset(pos);
      return std::optional<Member>(Member{std::move(*header), pos, pos + kTarBlockSize});
    }
  }

  Status indexMembers() {
    for (;;) {
      PGARC_ASSIGN(auto m, nextHeader());
      if (!m) break;
      PGARC_TRY(in_->skip(m->header.size + tarPadding(m->header.size)));
      byName_.emplace(m->header.name, members_.size());  // first one wins, as a forward search finds
      members_.push_back(std::move(*m));
    }
    indexed_ = true;
    return {};
  }

  // Streams the current member's data (positioned at its first byte) and
  // its padding.
  Status streamMember(const Member& m, const std::function<Status(std::string_view)>& out) {
    std::string buf(1 << 16, '\0');
    uint64_t left = m.header.size;
    while (left > 0) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), left));
      auto st = in_->readExact(buf.data(), want);
      if (!st.ok()) {
        return Error{"truncated tar archive detected while reading member \"" + m.header.name + "\"", path_,
                     in_->position(), {}};
      }
      PGARC_TRY(out(std::string_view(buf.data(), want)));
      left -= want;
    }
    return in_->skip(tarPadding(m.header.size));
  }

  Result<std::string> memberText(const Member& m) {
    if (m.header.size > kMaxInMemoryMember) {
      return Error{"tar member \"" + m.header.name + "\" is too large: " + std::to_string(m.header.size) + " bytes",
                   path_, m.headerPos, {}};
    }
    std::string text;
    PGARC_TRY(streamMember(m, [&](std::string_view d) -> Status {
      text.append(d);
      return {};
    }));
    return text;
  }

  // Seekable input: jump to the member.
  Result<const Member*> seekTo(const std::string& name) {
    auto it = byName_.find(name);
    if (it == byName_.end()) return Error{"could not find file \"" + name + "\" in tar archive", path_, {}, {}};
    const Member& m = members_[it->second];
    PGARC_TRY(in_->seek(m.dataPos));
    return &m;
  }

  // pg_restore reads a tar archive strictly forward, even from a file, so a
  // restore order that needs an earlier member (a reordered -L list) fails
  // there; refuse it the same way rather than print a script it would not.
  Status refuseBackwards(const Member& m) {
    if (lastMember_ && m.headerPos < lastMember_->headerPos) {
      return Error{"restoring data out of order is not supported in this archive format: \"" + m.header.name +
                       "\" is required, but comes before \"" + lastMember_->header.name + "\" in the archive file.",
                   path_, {}, {}};
    }
    lastMember_ = &m;
    return {};
  }

  // Forward-only input: the next member, whatever its name.
  Result<std::optional<Member>> advance() { return nextHeader(); }

  Status skipMember(const Member& m) {
    passed_.insert(m.header.name);
    return in_->skip(m.header.size + tarPadding(m.header.size));
  }

  // Forward-only input: skips to the named member; fails if it was passed.
  Result<Member> forwardTo(const std::string& name) {
    for (;;) {
      PGARC_ASSIGN(auto m, advance());
      if (!m) {
        if (passed_.count(name)) {
          return Error{"restoring data out of order is not supported in this archive format: \"" + name +
                           "\" is required, but comes before the current position in the archive file",
                       path_, {}, {}};
        }
        return Error{"could not find header for file \"" + name + "\" in tar archive", path_, {}, {}};
      }
      if (m->header.name == name) return std::move(*m);
      PGARC_TRY(skipMember(*m));
    }
  }

  Status readTableDataImpl(const TocEntry& entry, DataSink& sink) {
    if (!entry.hadDumper) return makeError("TOC entry has no data");
    if (!entry.filename || entry.filename->empty()) return makeError("TOC entry has data but no member name");
    PGARC_TRY(validateMemberName(*entry.filename));
    auto forward = [&](std::string_view d) { return sink.data(d); };
    if (indexed_) {
      PGARC_ASSIGN(const Member* m, seekTo(*entry.filename));
      PGARC_TRY(refuseBackwards(*m));
      return streamMember(*m, forward);
    }
    PGARC_ASSIGN(Member m, forwardTo(*entry.filename));
    return streamMember(m, forward);
  }

  Status streamBlob(const Member& m, uint32_t oid, BlobSink& sink) {
    PGARC_TRY(sink.beginBlob(oid));
    PGARC_TRY(streamMember(m, [&](std::string_view d) { return sink.data(d); }));
    return sink.endBlob(oid);
  }

  // Seekable input: the index names the members.
  Status readBlobsIndexed(const TocEntry& entry, BlobSink& sink) {
    std::string indexName = blobIndexName(toc_.header.version, entry.dumpId);
    // Large objects may be read again (convert splits one BLOBS entry into
    // 1.16 groups); only table data keeps pg_restore's forward-only rule.
    PGARC_ASSIGN(const Member* index, seekTo(indexName));
    PGARC_ASSIGN(std::string text, memberText(*index));
    PGARC_ASSIGN(auto lines, parseBlobIndex(text, path_ + ":" + indexName));
    for (const auto& line : lines) {
      PGARC_ASSIGN(const Member* m, seekTo(line.file));
      PGARC_TRY(streamBlob(*m, line.oid, sink));
    }
    return {};
  }

  // Forward-only input: blob_<oid>.dat members as they come, then the index,
  // which must list exactly the large objects seen.
  Status readBlobsForward(const TocEntry& entry, BlobSink& sink) {
    std::string indexName = blobIndexName(toc_.header.version, entry.dumpId);
    std::vector<uint32_t> seen;
    for (;;) {
      PGARC_ASSIGN(auto m, advance());
      if (!m) {
        return Error{"could not find large object index \"" + indexName + "\" in tar archive", path_, {}, {}};
      }
      if (auto oid = blobOidFromName(m->header.name)) {
        PGARC_TRY(streamBlob(*m, *oid, sink));
        seen.push_back(*oid);
        continue;
      }
      if (m->header.name == indexName) {
        PGARC_ASSIGN(std::string text, memberText(*m));
        PGARC_ASSIGN(auto lines, parseBlobIndex(text, path_ + ":" + indexName));
        bool same = lines.size() == seen.size();
        for (size_t i = 0; same && i < lines.size(); i++) {
          same = lines[i].oid == seen[i] && lines[i].file == blobFileName(seen[i]);
        }
        if (!same) {
          return Error{"large object index \"" + indexName + "\" lists " + std::to_string(lines.size()) +
                           " objects that do not match the " + std::to_string(seen.size()) +
                           " large object members before it",
                       path_, m->headerPos, {}};
        }
        return {};
      }
      if (!seen.empty()) {
        return Error{"expected large object member or \"" + indexName + "\", found \"" + m->header.name + "\"",
                     path_, m->headerPos, {}};
      }
      PGARC_TRY(skipMember(*m));
    }
  }

  std::unique_ptr<InputStream> in_;
  std::string path_;
  ArchiveToc toc_;
  bool indexed_ = false;
  std::vector<Member> members_;
  std::map<std::string, size_t> byName_;
  std::set<std::string> passed_;
  const Member* lastMember_ = nullptr;  // furthest data member read (indexed mode)
};

}  // namespace

Result<std::unique_ptr<ArchiveReader>> openTarArchive(std::unique_ptr<InputStream> in) {
  auto reader = std::make_unique<TarReader>(std::move(in));
  PGARC_TRY(reader->open());
  return std::unique_ptr<ArchiveReader>(std::move(reader));
}

}  // namespace pgarc
