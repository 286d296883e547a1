#include "format/header_toc.hpp"

#include <charconv>
#include <unordered_set>

namespace pgarc {

const char* compressionName(CompressionAlgorithm a) {
  switch (a) {
    case CompressionAlgorithm::None: return "none";
    case CompressionAlgorithm::Gzip: return "gzip";
    case CompressionAlgorithm::Lz4: return "lz4";
    case CompressionAlgorithm::Zstd: return "zstd";
  }
  return "unknown";
}

std::vector<int> TocEntry::dependencyIds() const {
  std::vector<int> ids;
  ids.reserve(dependencies.size());
  for (const auto& d : dependencies) {
    int v = 0;
    auto [p, ec] = std::from_chars(d.data(), d.data() + d.size(), v);
    if (ec == std::errc() && p == d.data() + d.size()) ids.push_back(v);
  }
  return ids;
}

namespace {
constexpr char kMagic[] = "PGDMP";

const char* formatName(ArchiveFormat f) {
  switch (f) {
    case ArchiveFormat::Custom: return "custom";
    case ArchiveFormat::Tar: return "tar";
    case ArchiveFormat::Directory: return "directory";
    default: return "unknown";
  }
}
}  // namespace

Result<ArchiveHeader> readHeader(ByteReader& r, ArchiveFormat expected) {
  ArchiveHeader h;
  uint64_t start = r.position();
  std::string magic;
  PGARC_TRY(r.rawBytes(magic, 5));
  if (magic != kMagic) return Error{"did not find magic string in file header", r.stream().name(), start, {}};
  PGARC_ASSIGN(h.version.major, r.byte());
  PGARC_ASSIGN(h.version.minor, r.byte());
  if (h.version.major > 1 || (h.version.major == 1 && h.version.minor > 0)) {
    PGARC_ASSIGN(h.version.revision, r.byte());
  } else {
    h.version.revision = 0;
  }
  if (h.version.value() < kMinReadVersion || h.version.value() > kMaxReadVersion) {
    return Error{"unsupported version (" + std::to_string(h.version.major) + "." + std::to_string(h.version.minor) +
                     ") in file header",
                 r.stream().name(), start + 5, {}};
  }
  PGARC_ASSIGN(h.intSize, r.byte());
  if (h.intSize < 1 || h.intSize > 8) {
    return Error{"sanity check on integer size (" + std::to_string(h.intSize) + ") failed", r.stream().name(),
                 r.position() - 1, {}};
  }
  PGARC_ASSIGN(h.offSize, r.byte());
  if (h.offSize < 1 || h.offSize > 16) {
    return Error{"unsupported file offset size " + std::to_string(h.offSize), r.stream().name(), r.position() - 1, {}};
  }
  r.setSizes(h.intSize, h.offSize);
  PGARC_ASSIGN(uint8_t fmt, r.byte());
  h.format = static_cast<ArchiveFormat>(fmt);
  if (expected != ArchiveFormat::Unknown && h.format != expected) {
    return Error{"expected format (" + std::to_string(static_cast<int>(expected)) +
                     ") differs from format found in file (" + std::to_string(fmt) + ")",
                 r.stream().name(), r.position() - 1, {}};
  }
  if (h.version.atLeast(1, 15)) {
    PGARC_ASSIGN(uint8_t algo, r.byte());
    if (algo > 3) return Error{"invalid compression code: " + std::to_string(algo), r.stream().name(), r.position() - 1, {}};
    h.compression = static_cast<CompressionAlgorithm>(algo);
    h.compressionLevel = algo == 0 ? 0 : -1;
  } else {
    PGARC_ASSIGN(int64_t level, r.integer());
    if (level < -1 || level > 9) {
      return Error{"invalid compression level " + std::to_string(level), r.stream().name(), r.position(), {}};
    }
    h.compressionLevel = static_cast<int>(level);
    h.compression = level != 0 ? CompressionAlgorithm::Gzip : CompressionAlgorithm::None;
  }
  PGARC_ASSIGN(h.created.sec, r.int32());
  PGARC_ASSIGN(h.created.min, r.int32());
  PGARC_ASSIGN(h.created.hour, r.int32());
  PGARC_ASSIGN(h.created.mday, r.int32());
  PGARC_ASSIGN(h.created.mon, r.int32());
  PGARC_ASSIGN(h.created.year, r.int32());
  PGARC_ASSIGN(h.created.isdst, r.int32());
  PGARC_ASSIGN(h.dbname, r.strNotNull("database name"));
  PGARC_ASSIGN(OptString sv, r.str());
  PGARC_ASSIGN(OptString dv, r.str());
  h.serverVersion = sv.value_or("");
  h.dumpVersion = dv.value_or("");
  (void)formatName;
  return h;
}

void writeHeader(ByteWriter& w, const ArchiveHeader& h) {
  w.setSizes(h.intSize, h.offSize);
  w.raw(kMagic);
  w.byte(h.version.major);
  w.byte(h.version.minor);
  w.byte(h.version.revision);
  w.byte(h.intSize);
  w.byte(h.offSize);
  w.byte(static_cast<uint8_t>(h.format));
  if (h.version.atLeast(1, 15)) {
    w.byte(static_cast<uint8_t>(h.compression));
  } else {
    w.integer(h.compressionLevel);
  }
  w.integer(h.created.sec);
  w.integer(h.created.min);
  w.integer(h.created.hour);
  w.integer(h.created.mday);
  w.integer(h.created.mon);
  w.integer(h.created.year);
  w.integer(h.created.isdst);
  w.str(std::string_view(h.dbname));
  w.str(std::string_view(h.serverVersion));
  w.str(std::string_view(h.dumpVersion));
}

Result<std::vector<TocEntry>> readToc(ByteReader& r, const ArchiveHeader& h, TocExtra extra) {
  uint64_t countPos = r.position();
  PGARC_ASSIGN(int64_t count, r.integer());
  if (count < 0 || count > kMaxTocEntries) {
    return Error{"invalid TOC entry count " + std::to_string(count), r.stream().name(), countPos, {}};
  }
  // Each entry takes at least ~40 bytes; a count the file cannot hold is corrupt.
  if (auto sz = r.stream().size(); sz && static_cast<uint64_t>(count) * 40 > *sz) {
    return Error{"TOC entry count " + std::to_string(count) + " is larger than the file can hold", r.stream().name(),
                 countPos, {}};
  }
  std::vector<TocEntry> entries;
  entries.reserve(static_cast<size_t>(std::min<int64_t>(count, 1 << 16)));
  std::unordered_set<int> seen;
  const bool v1_16 = h.version.atLeast(1, 16);
  for (int64_t i = 0; i < count; i++) {
    TocEntry e;
    uint64_t entryPos = r.position();
    auto fail = [&](Error err) {
      err.message = "could not read TOC entry " + std::to_string(i + 1) + " of " + std::to_string(count) + ": " + err.message;
      if (e.dumpId > 0) err.dumpId = e.dumpId;
      return err;
    };
#define TOC_FIELD(lhs, expr)                          \
  do {                                                \
    auto v_ = (expr);                                 \
    if (!v_.ok()) return fail(std::move(v_).error()); \
    lhs = std::move(v_).value();                      \
  } while (0)
    TOC_FIELD(e.dumpId, r.int32());
    if (e.dumpId <= 0) {
      return Error{"entry ID " + std::to_string(e.dumpId) + " out of range -- perhaps a corrupt TOC",
                   r.stream().name(), entryPos, {}};
    }
    if (!seen.insert(e.dumpId).second) {
      return Error{"duplicate TOC entry ID " + std::to_string(e.dumpId), r.stream().name(), entryPos, e.dumpId};
    }
    int hadDumper = 0;
    TOC_FIELD(hadDumper, r.int32());
    e.hadDumper = hadDumper != 0;
    std::string s;
    TOC_FIELD(e.tableoid, r.strNotNull("table OID"));
    TOC_FIELD(e.oid, r.strNotNull("OID"));
    TOC_FIELD(e.tag, r.str());
    TOC_FIELD(e.desc, r.str());
    int section = 0;
    TOC_FIELD(section, r.int32());
    if (section < 1 || section > 4) {
      return fail(Error{"invalid section " + std::to_string(section), r.stream().name(), r.position(), {}});
    }
    e.section = static_cast<Section>(section);
    TOC_FIELD(e.defn, r.str());
    TOC_FIELD(e.dropStmt, r.str());
    TOC_FIELD(e.copyStmt, r.str());
    TOC_FIELD(e.namespace_, r.str());
    TOC_FIELD(e.tablespace, r.str());
    if (h.version.atLeast(1, 14)) TOC_FIELD(e.tableam, r.str());
    if (v1_16) TOC_FIELD(e.relkind, r.int32());
    TOC_FIELD(e.owner, r.str());
    TOC_FIELD(e.withOids, r.str());
    for (;;) {
      OptString dep;
      TOC_FIELD(dep, r.str());
      if (!dep) break;
      if (e.dependencies.size() > 1'000'000) return fail(r.error("too many dependencies"));
      e.dependencies.push_back(std::move(*dep));
    }
    if (extra == TocExtra::CustomOffset) {
      ByteReader::OffsetValue off{};
      TOC_FIELD(off, r.offset());
      e.offsetFlag = off.flag;
      e.dataOffset = off.offset;
    } else {
      TOC_FIELD(e.filename, r.str());
    }
#undef TOC_FIELD
    entries.push_back(std::move(e));
  }
  return entries;
}

void writeTocEntry(ByteWriter& w, const TocEntry& e, const ArchiveHeader& h, TocExtra extra) {
  w.integer(e.dumpId);
  w.integer(e.hadDumper ? 1 : 0);
  w.str(std::string_view(e.tableoid));
  w.str(std::string_view(e.oid));
  w.str(e.tag);
  w.str(e.desc);
  w.integer(static_cast<int>(e.section));
  w.str(e.defn);
  w.str(e.dropStmt);
  w.str(e.copyStmt);
  w.str(e.namespace_);
  w.str(e.tablespace);
  if (h.version.atLeast(1, 14)) w.str(e.tableam);
  if (h.version.atLeast(1, 16)) w.integer(e.relkind);
  w.str(e.owner);
  w.str(e.withOids);
  for (const auto& d : e.dependencies) w.str(std::string_view(d));
  w.nullStr();
  if (extra == TocExtra::CustomOffset) {
    w.offset(e.offsetFlag, e.offsetFlag == OffsetFlag::Set ? e.dataOffset : 0);
  } else {
    w.str(e.filename);
  }
}

void writeToc(ByteWriter& w, const std::vector<TocEntry>& entries, const ArchiveHeader& h, TocExtra extra) {
  w.integer(static_cast<int64_t>(entries.size()));
  for (const auto& e : entries) writeTocEntry(w, e, h, extra);
}

Status writeTocInPieces(const ArchiveToc& toc, TocExtra extra, const std::function<Status(std::string_view)>& out) {
  constexpr size_t kPiece = 1 << 16;
  const ArchiveHeader& h = toc.header;
  ByteWriter w(h.intSize, h.offSize);
  w.integer(static_cast<int64_t>(tocEntryCount(toc)));
  auto put = [&](const TocEntry& e) -> Status {
    writeTocEntry(w, e, h, extra);
    if (w.bytes().size() >= kPiece) {
      PGARC_TRY(out(w.bytes()));
      w.clear();
    }
    return {};
  };
  size_t run = 0;
  for (size_t i = 0; i <= toc.entries.size(); i++) {
    for (; run < toc.runs.size() && toc.runs[run].at == i; run++) {
      PGARC_TRY(toc.runs[run].run->forEach([&](TocEntry& e) -> Status {
        e.offsetFlag = OffsetFlag::NoData;
        e.dataOffset = 0;
        if (extra == TocExtra::Filename) e.filename = std::string();
        return put(e);
      }));
    }
    if (i < toc.entries.size()) PGARC_TRY(put(toc.entries[i]));
  }
  return out(w.bytes());
}

size_t tocEntryCount(const ArchiveToc& toc) {
  size_t n = toc.entries.size();
  for (const auto& r : toc.runs) n += r.run->size();
  return n;
}

Status forEachTocEntry(const ArchiveToc& toc, const std::function<Status(const TocEntry&)>& visit) {
  size_t run = 0;
  for (size_t i = 0; i <= toc.entries.size(); i++) {
    for (; run < toc.runs.size() && toc.runs[run].at == i; run++)
      PGARC_TRY(toc.runs[run].run->forEach([&](TocEntry& e) { return visit(e); }));
    if (i < toc.entries.size()) PGARC_TRY(visit(toc.entries[i]));
  }
  return {};
}

Status expandRuns(ArchiveToc& toc) {
  if (toc.runs.empty()) return {};
  std::vector<TocEntry> all;
  all.reserve(tocEntryCount(toc));
  size_t run = 0;
  for (size_t i = 0; i <= toc.entries.size(); i++) {
    for (; run < toc.runs.size() && toc.runs[run].at == i; run++) {
      PGARC_TRY(toc.runs[run].run->forEach([&](TocEntry& e) -> Status {
        all.push_back(std::move(e));
        return {};
      }));
    }
    if (i < toc.entries.size()) all.push_back(std::move(toc.entries[i]));
  }
  toc.entries = std::move(all);
  toc.runs.clear();
  return {};
}

}  // namespace pgarc
