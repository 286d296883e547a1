// Structural walk of a tar-format archive in one forward pass: every member
// header (checksum, magic, type, size), the member order pg_restore relies
// on, each member's payload, and the two zero blocks that end the archive.
#include <array>
#include <map>
#include <set>

#include "format/header_toc.hpp"
#include "format/primitives.hpp"
#include "verify/walk_support.hpp"

namespace pgarc {
namespace {

constexpr size_t kBlock = 512;
constexpr size_t kPiece = 256 * 1024;
constexpr uint64_t kMaxTocSize = 1ull << 30;

struct MemberHeader {
  std::string name;
  uint64_t size = 0;
  char type = '0';
};

bool allZero(const char* p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (p[i] != 0) return false;
  }
  return true;
}

// Octal number in a header field: optional leading spaces, digits, then a
// space or NUL (or the end of the field).
std::optional<uint64_t> parseOctal(const char* p, size_t n) {
  size_t i = 0;
  while (i < n && p[i] == ' ') i++;
  uint64_t v = 0;
  size_t digits = 0;
  for (; i < n && p[i] >= '0' && p[i] <= '7'; i++, digits++) {
    if (v >> 60) return std::nullopt;
    v = v * 8 + static_cast<uint64_t>(p[i] - '0');
  }
  if (digits == 0) return std::nullopt;
  for (; i < n; i++) {
    if (p[i] != ' ' && p[i] != '\0') return std::nullopt;
  }
  return v;
}

std::optional<uint64_t> parseSize(const char* field) {
  if (static_cast<unsigned char>(field[0]) == 0x80) {  // GNU base-256
    uint64_t v = 0;
    for (int i = 1; i < 12; i++) {
      if (v >> 56) return std::nullopt;
      v = (v << 8) | static_cast<unsigned char>(field[i]);
    }
    return v;
  }
  return parseOctal(field, 12);
}

bool isDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

class TarWalker {
 public:
  TarWalker(ReadAheadInput& in, const WalkOptions& options, Report& report)
      : in_(in), options_(options), report_(report), file_(in.name()) {}

  void run() {
    walkMembers();
    finishChecks();
  }

 private:
  void problem(const TocEntry* e, std::string what, std::optional<uint64_t> offset) {
    reportProblem(report_, file_, e, std::move(what), offset);
  }

  // Reads one 512-byte block; returns the bytes obtained (0 at a clean end).
  size_t readBlock(char* buf) {
    size_t got = 0;
    while (got < kBlock) {
      auto r = in_.read(buf + got, kBlock - got);
      if (!r.ok()) {
        problem(nullptr, "read error: " + r.error().message, in_.position());
        return got;
      }
      if (*r == 0) break;
      got += *r;
    }
    return got;
  }

  void walkMembers() {
    std::array<char, kBlock> block{};
    bool sawZeroBlock = false;
    for (;;) {
      const uint64_t at = in_.position();
      size_t got = readBlock(block.data());
      if (got == 0) {
        problem(nullptr,
                sawZeroBlock ? "tar archive ends after one zero block (expected two)"
                             : "tar archive ends without its two end-of-archive zero blocks (truncated?)",
                at);
        truncated_ = true;
        return;
      }
      if (got < kBlock) {
        problem(nullptr, "truncated tar header (" + std::to_string(got) + " of 512 bytes)", at);
        truncated_ = true;
        return;
      }
      if (allZero(block.data(), kBlock)) {
        if (sawZeroBlock) {
          checkAfterEnd();
          return;
        }
        sawZeroBlock = true;
        continue;
      }
      if (sawZeroBlock) {
        problem(nullptr, "zero block followed by another member header", at - kBlock);
        sawZeroBlock = false;
      }
      MemberHeader h;
      memberCount_++;
      if (!parseHeader(block.data(), at, h)) {
        stopped_ = true;
        return;
      }
      if (!handleMember(h, at)) return;
    }
  }

  void checkAfterEnd() {
    // pg_dump writes nothing after the two zero blocks; other tar writers pad
    // with more zero blocks, which is harmless.
    std::array<char, kBlock> block{};
    for (;;) {
      const uint64_t at = in_.position();
      size_t got = readBlock(block.data());
      if (got == 0) return;
      if (!allZero(block.data(), got)) {
        problem(nullptr, "unexpected data after the end of the tar archive", at);
        return;
      }
    }
  }

  bool parseHeader(const char* b, uint64_t at, MemberHeader& h) {
    size_t nameLen = 0;
    while (nameLen < 100 && b[nameLen] != '\0') nameLen++;
    h.name.assign(b, nameLen);
    std::string who = h.name.empty() ? std::string("tar member") : "tar member \"" + h.name + "\"";
    bool checksumBad = false;
    auto stored = parseOctal(b + 148, 8);
    uint64_t sum = 0;
    for (size_t i = 0; i < kBlock; i++) sum += (i >= 148 && i < 156) ? 0x20 : static_cast<unsigned char>(b[i]);
    if (!stored || *stored != sum) {
      problem(memberEntry(h.name), who + " header checksum mismatch: stored " +
                                       (stored ? std::to_string(*stored) : std::string("(unreadable)")) +
                                       ", computed " + std::to_string(sum),
              at);
      checksumBad = true;
    }
    std::string_view magic(b + 257, 8);
    if (magic != std::string_view("ustar\0" "00", 8) && magic != std::string_view("ustar  \0", 8) &&
        magic != std::string_view("ustar00\0", 8)) {
      problem(memberEntry(h.name), who + " has no ustar magic", at + 257);
      // Without checksum or magic there is no reason to trust the size.
      if (checksumBad) return false;
    }
    if (b[345] != '\0') {
      size_t pl = 0;
      while (pl < 155 && b[345 + pl] != '\0') pl++;
      h.name = std::string(b + 345, pl) + "/" + h.name;
    }
    h.type = b[156];
    auto size = parseSize(b + 124);
    if (!size) {
      problem(memberEntry(h.name), who + " has an unreadable size field", at + 124);
      return false;
    }
    h.size = *size;
    if (auto total = in_.size(); total && h.size > *total - in_.position()) {
      problem(memberEntry(h.name),
              who + " claims " + std::to_string(h.size) + " bytes but only " +
                  std::to_string(*total - in_.position()) + " remain (truncated archive?)",
              at);
      truncated_ = true;
      return false;
    }
    if (h.type != '0' && h.type != '\0') {
      problem(memberEntry(h.name), who + " has type '" + std::string(1, h.type) + "', expected a regular file ('0')",
              at + 156);
    }
    return true;
  }

  // Streams the member's data (and skips its padding); false if the file
  // ended. The pieces are handed over as they lie in the read-ahead blocks.
  template <class Feed>
  bool readMemberData(const MemberHeader& h, Feed&& feed) {
    uint64_t left = h.size;
    while (left > 0) {
      const uint64_t at = in_.position();
      auto bytes = in_.readView(static_cast<size_t>(std::min<uint64_t>(left, kPiece)));
      if (!bytes.ok() || bytes->empty()) {
        problem(memberEntry(h.name), "unexpected end of file inside tar member \"" + h.name + "\"", in_.position());
        truncated_ = true;
        return false;
      }
      feed(*bytes, at);
      left -= bytes->size();
    }
    size_t pad = static_cast<size_t>((kBlock - h.size % kBlock) % kBlock);
    if (pad > 0) {
      char padding[kBlock];
      const uint64_t at = in_.position();
      Status s = in_.readExact(padding, pad);
      if (!s.ok()) {
        problem(memberEntry(h.name), "tar member \"" + h.name + "\" is missing its padding (truncated archive?)", at);
        truncated_ = true;
        return false;
      }
      if (!allZero(padding, pad)) {
        problem(memberEntry(h.name), "tar member \"" + h.name + "\" has non-zero bytes in its padding", at);
      }
    }
    return true;
  }

  // The entry a member belongs to: its data entry, or the BLOBS entry whose
  // large objects are being read.
  const TocEntry* memberEntry(const std::string& name) const {
    auto it = dataByName_.find(name);
    if (it != dataByName_.end()) return it->second;
    if (name.rfind("blob_", 0) == 0 || name.rfind("blobs", 0) == 0) return currentBlobsEntry();
    return nullptr;
  }

  bool handleMember(const MemberHeader& h, uint64_t at) {
    if (memberCount_ == 1 && h.name != "toc.dat") {
      problem(nullptr, "first tar member is \"" + h.name + "\", expected toc.dat", at);
    }
    if (h.name == "toc.dat") return tocMember(h, at);
    if (restoreSqlSeen_) problem(memberEntry(h.name), "tar member \"" + h.name + "\" after restore.sql", at);
    if (h.name == "restore.sql") {
      restoreSqlSeen_ = true;
      return readMemberData(h, [](std::string_view, uint64_t) {});
    }
    if (auto it = dataByName_.find(h.name); it != dataByName_.end()) return dataMember(*it->second, h, at);
    if (h.name.rfind("blob_", 0) == 0 && h.name.size() > 9 && h.name.compare(h.name.size() - 4, 4, ".dat") == 0) {
      auto oid = parseOid(std::string_view(h.name).substr(5, h.name.size() - 9));
      if (oid && *oid != 0) return blobMember(*oid, h, at);
    }
    if (h.name == "blobs.toc" || (h.name.rfind("blobs_", 0) == 0 && h.name.size() > 10 &&
                                  h.name.compare(h.name.size() - 4, 4, ".toc") == 0)) {
      return blobIndexMember(h, at);
    }
    std::string what = "unexpected tar member \"" + h.name + "\"";
    if (toc_ && h.name.size() > 4 && h.name.compare(h.name.size() - 4, 4, ".dat") == 0 &&
        isDigits(std::string_view(h.name).substr(0, h.name.size() - 4))) {
      what += " (no data entry in the TOC uses this file)";
    }
    problem(nullptr, what, at);
    return readMemberData(h, [](std::string_view, uint64_t) {});
  }

  bool tocMember(const MemberHeader& h, uint64_t at) {
    if (toc_) {
      problem(nullptr, "second toc.dat member", at);
      return readMemberData(h, [](std::string_view, uint64_t) {});
    }
    if (h.size > kMaxTocSize) {
      problem(nullptr, "toc.dat member larger than " + std::to_string(kMaxTocSize) + " bytes", at);
      return false;
    }
    std::string bytes;
    const uint64_t dataStart = in_.position();
    if (!readMemberData(h, [&](std::string_view piece, uint64_t) { bytes.append(piece); })) return false;
    auto mem = openInputMemory(std::move(bytes), file_ + ":toc.dat");
    ByteReader r(*mem);
    auto header = readHeader(r, ArchiveFormat::Tar);
    auto shift = [&](const Error& e) -> std::optional<uint64_t> {
      return e.offset ? std::optional<uint64_t>(dataStart + *e.offset) : std::nullopt;
    };
    if (!header.ok()) {
      problem(nullptr, "could not read header in toc.dat: " + header.error().message, shift(header.error()));
      return true;
    }
    auto entries = pgarc::readToc(r, *header, TocExtra::Filename);
    if (!entries.ok()) {
      report_.add(Problem{file_, entries.error().dumpId, {}, {}, "could not read TOC: " + entries.error().message,
                          shift(entries.error()), OffsetKind::File});
      return true;
    }
    if (mem->position() != h.size) {
      problem(nullptr, std::to_string(h.size - mem->position()) + " unexpected bytes after the TOC in toc.dat",
              dataStart + mem->position());
    }
    payload_ = adoptToc(report_, *header, std::move(*entries), file_, options_);
    toc_ = &*report_.toc;
    if (header->compression != CompressionAlgorithm::None) {
      problem(nullptr, std::string("tar archive header says ") + compressionName(header->compression) +
                           " compression, which tar archives cannot use",
              dataStart);
    }
    for (const auto& e : toc_->entries) {
      if (!e.hadDumper) continue;
      if (e.desc == "BLOBS") {
        blobsOrder_.push_back(&e);
        continue;
      }
      dataOrder_.push_back(&e);
      if (!e.filename || e.filename->empty()) {
        problem(&e, "entry has data but no member file name in the TOC", {});
      } else {
        dataByName_[*e.filename] = &e;
      }
    }
    return true;
  }

  bool dataMember(const TocEntry& e, const MemberHeader& h, uint64_t at) {
    if (seen_.count(e.dumpId)) {
      problem(&e, "second tar member \"" + h.name + "\" for this entry", at);
      return readMemberData(h, [](std::string_view, uint64_t) {});
    }
    seen_.insert(e.dumpId);
    if (nextData_ < dataOrder_.size() && dataOrder_[nextData_] == &e) {
      nextData_++;
    } else {
      problem(&e, "tar member \"" + h.name + "\" out of TOC order (pg_restore cannot restore data out of order from tar)",
              at);
      for (size_t k = nextData_; k < dataOrder_.size(); k++) {
        if (dataOrder_[k] == &e) nextData_ = k + 1;
      }
    }
    EntryStreamCheck check(e, CompressionAlgorithm::None, CodecContainer::File, payload_, report_, file_);
    bool ok = readMemberData(h, [&](std::string_view piece, uint64_t pos) { check.feed(piece, pos); });
    check.finish(in_.position(), ok);
    return ok;
  }

  const TocEntry* currentBlobsEntry() const {
    return nextBlobs_ < blobsOrder_.size() ? blobsOrder_[nextBlobs_] : nullptr;
  }

  bool blobMember(uint32_t oid, const MemberHeader& h, uint64_t at) {
    const TocEntry* owner = currentBlobsEntry();
    if (!owner) {
      problem(nullptr, "tar member \"" + h.name + "\" holds a large object, but no BLOBS entry is left to own it", at);
      return readMemberData(h, [](std::string_view, uint64_t) {});
    }
    if (!pendingBlobs_.insert(oid).second || report_.blobs.count(oid)) {
      problem(owner, "large object " + std::to_string(oid) + " stored twice", at);
    }
    BlobStreamCheck check(oid, *owner, CompressionAlgorithm::None, CodecContainer::File, payload_.checksum, report_, file_);
    bool ok = readMemberData(h, [&](std::string_view piece, uint64_t pos) { check.feed(piece, pos); });
    check.finish(in_.position(), ok);
    return ok;
  }

  bool blobIndexMember(const MemberHeader& h, uint64_t at) {
    const TocEntry* owner = currentBlobsEntry();
    if (h.size > kMaxTocSize) {
      problem(owner, "large-object index larger than " + std::to_string(kMaxTocSize) + " bytes", at);
      return false;
    }
    std::string text;
    const uint64_t dataStart = in_.position();
    if (!readMemberData(h, [&](std::string_view piece, uint64_t) { text.append(piece); })) return false;
    if (!owner) {
      problem(nullptr, "unexpected large-object index \"" + h.name + "\" (no BLOBS entry left in the TOC)", at);
      return true;
    }
    std::string expectedName = toc_ && toc_->header.version.atLeast(1, 16)
                                   ? "blobs_" + std::to_string(owner->dumpId) + ".toc"
                                   : "blobs.toc";
    if (h.name != expectedName) {
      problem(owner, "large-object index is named \"" + h.name + "\", expected \"" + expectedName + "\"", at);
    }
    std::set<uint32_t> listed;
    size_t start = 0;
    uint64_t lineNo = 0;
    while (start < text.size()) {
      lineNo++;
      size_t nl = text.find('\n', start);
      if (nl == std::string::npos) {
        problem(owner, "last line of the large-object index has no newline", dataStart + start);
        nl = text.size();
      }
      std::string_view line(text.data() + start, nl - start);
      const uint64_t lineAt = dataStart + start;
      start = nl + 1;
      size_t sp = line.find(' ');
      auto oid = sp == std::string_view::npos ? std::nullopt : parseOid(line.substr(0, sp));
      std::string_view name = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
      if (!oid || *oid == 0 || name.empty() || name.find(' ') != std::string_view::npos) {
        problem(owner,
                "malformed line " + std::to_string(lineNo) + " in the large-object index: \"" +
                    std::string(line.substr(0, 80)) + "\"",
                lineAt);
        continue;
      }
      listed.insert(*oid);
      if (!pendingBlobs_.count(*oid)) {
        problem(owner, "large object " + std::to_string(*oid) + " is listed in " + h.name +
                           " but its member " + std::string(name) + " is missing",
                lineAt);
      }
    }
    for (uint32_t oid : pendingBlobs_) {
      if (!listed.count(oid)) {
        problem(owner, "member blob_" + std::to_string(oid) + ".dat is not listed in " + h.name, at);
      }
    }
    pendingBlobs_.clear();
    blobIndexSeen_.insert(owner->dumpId);
    nextBlobs_++;
    return true;
  }

  void finishChecks() {
    if (memberCount_ == 0 && !truncated_) problem(nullptr, "tar archive has no members", 0);
    if (!toc_) {
      if (memberCount_ > 0 || truncated_) problem(nullptr, "no readable toc.dat member: the data cannot be checked", {});
      return;
    }
    std::string why;
    if (truncated_) why = " (the archive is truncated)";
    else if (stopped_) why = " (the walk stopped at a broken member header)";
    for (const TocEntry* e : dataOrder_) {
      if (!seen_.count(e->dumpId)) {
        problem(e, "tar member \"" + e->filename.value_or("") + "\" with this entry's data is missing" + why, {});
      }
    }
    for (const TocEntry* e : blobsOrder_) {
      if (!blobIndexSeen_.count(e->dumpId)) {
        problem(e, "large-object index for this entry is missing" + why, {});
      }
    }
    if (!pendingBlobs_.empty() && !truncated_ && !stopped_) {
      problem(currentBlobsEntry(), std::to_string(pendingBlobs_.size()) +
                                       " large-object members are not followed by their index", {});
    }
    if (!restoreSqlSeen_ && !truncated_ && !stopped_) problem(nullptr, "restore.sql member is missing", {});
    checkLargeObjects(*toc_, report_, file_);
  }

  ReadAheadInput& in_;
  const WalkOptions& options_;
  Report& report_;
  std::string file_;
  const ArchiveToc* toc_ = nullptr;
  PayloadOptions payload_;
  std::vector<const TocEntry*> dataOrder_;
  std::vector<const TocEntry*> blobsOrder_;
  std::map<std::string, const TocEntry*> dataByName_;
  std::set<int> seen_;
  size_t nextData_ = 0;
  size_t nextBlobs_ = 0;
  std::set<uint32_t> pendingBlobs_;
  std::set<int> blobIndexSeen_;
  uint64_t memberCount_ = 0;
  bool restoreSqlSeen_ = false;
  bool truncated_ = false;
  bool stopped_ = false;
};

}  // namespace

Status walkTarArchive(std::unique_ptr<InputStream> raw, const WalkOptions& options, Report& report) {
  return walkSingleFileArchive<TarWalker>(std::move(raw), options, report, "tar");
}

}  // namespace pgarc
