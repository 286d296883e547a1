#include "verify/walk_support.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_set>

namespace pgarc {

MeteredInput::MeteredInput(std::unique_ptr<InputStream> in, ChecksumAlgorithm checksum,
                           std::function<void(uint64_t)> progress, uint64_t progressBase)
    : inner_(std::move(in)), checksum_(checksum), progress_(std::move(progress)), progressBase_(progressBase) {}

Result<size_t> MeteredInput::read(char* buf, size_t n) {
  PGARC_ASSIGN(size_t got, inner_->read(buf, n));
  if (got > 0) {
    checksum_.update(std::string_view(buf, got));
    uint64_t before = bytesRead_;
    bytesRead_ += got;
    // Report progress about every 4 MiB.
    if (progress_ && (before >> 22) != (bytesRead_ >> 22)) progress_(progressBase_ + bytesRead_);
  }
  return got;
}

Result<uint64_t> MeteredInput::drain() {
  char buf[65536];
  uint64_t total = 0;
  for (;;) {
    PGARC_ASSIGN(size_t got, read(buf, sizeof buf));
    if (got == 0) return total;
    total += got;
  }
}

Status walkReadingAhead(std::unique_ptr<InputStream> raw, const WalkOptions& options, Report& report,
                        const std::function<void(ReadAheadInput&)>& walk) {
  const std::string path = raw->name();
  MeteredInput in(std::move(raw), options.digests ? options.checksum : ChecksumAlgorithm::None, options.progress);
  uint64_t walked = 0;
  {
    ReadAheadInput ahead(in);
    const uint64_t start = ahead.position();
    walk(ahead);
    if (options.digests) {
      // The whole-file checksum and size need every byte, even those after a problem.
      for (;;) {
        PGARC_ASSIGN(std::string_view rest, ahead.readView(ReadAheadInput::kBlockSize));
        if (rest.empty()) break;
      }
    }
    walked = ahead.position() - start;
  }
  if (options.digests) report.files.push_back(FileDigest{path, in.bytesRead(), in.hexDigest()});
  // Without digests, what the walk consumed (the thread may have read further).
  report.stats.bytesRead += options.digests ? in.bytesRead() : walked;
  return {};
}

DecodeChain::DecodeChain(CompressionAlgorithm algorithm, CodecContainer container, ByteSink& sink,
                         const TocEntry& entry, Report& report, std::string file, std::string what)
    : entry_(entry), report_(report), file_(std::move(file)), what_(std::move(what)) {
  auto d = makeDecompressor(algorithm, container, sink);
  if (!d.ok()) {
    report_.addForEntry(entry_, file_, "cannot decompress " + what_ + ": " + d.error().message, {});
    failed_ = true;
    return;
  }
  decoder_ = std::move(d).value();
}

void DecodeChain::feed(std::string_view stored, uint64_t fileOffset) {
  if (failed_ || stored.empty()) return;
  Status s = decoder_->write(stored);
  if (!s.ok()) {
    failed_ = true;
    report_.addForEntry(entry_, file_, "corrupt " + what_ + ": " + s.error().message, fileOffset);
  }
}

bool DecodeChain::finish(uint64_t fileOffset) {
  if (failed_) return false;
  Status s = decoder_->finish();
  if (!s.ok()) {
    failed_ = true;
    report_.addForEntry(entry_, file_, "incomplete " + what_ + ": " + s.error().message, fileOffset);
    return false;
  }
  return true;
}

EntryStreamCheck::EntryStreamCheck(const TocEntry& entry, CompressionAlgorithm algorithm, CodecContainer container,
                                   const PayloadOptions& options, Report& report, std::string file)
    : entry_(entry),
      report_(report),
      checker_(entry, options, report, file),
      pipeline_(checker_, report),
      chain_(algorithm, container,
             algorithm == CompressionAlgorithm::None ? static_cast<ByteSink&>(checker_) : pipeline_, entry, report, file,
             algorithm == CompressionAlgorithm::None ? "data" : std::string(compressionName(algorithm)) + " data") {}

void EntryStreamCheck::finish(uint64_t fileOffset, bool inputComplete) {
  bool clean = inputComplete && chain_.finish(fileOffset);
  pipeline_.settle();
  EntryOutcome o = checker_.finish(clean);
  o.storedBytes = stored_;
  report_.stats.dataEntries++;
  report_.stats.bytesDecompressed += o.payloadBytes;
  report_.stats.rows += o.rows;
  report_.entries[entry_.dumpId] = std::move(o);
}

BlobStreamCheck::BlobStreamCheck(uint32_t oid, const TocEntry& blobsEntry, CompressionAlgorithm algorithm,
                                 CodecContainer container, ChecksumAlgorithm checksum, Report& report,
                                 std::string file)
    : report_(report),
      checker_(oid, blobsEntry.dumpId, checksum),
      chain_(algorithm, container, checker_, blobsEntry, report, std::move(file),
             "large object " + std::to_string(oid)) {}

void BlobStreamCheck::finish(uint64_t fileOffset, bool inputComplete) {
  bool clean = inputComplete && chain_.finish(fileOffset);
  BlobOutcome o = checker_.finish(clean);
  report_.stats.largeObjects++;
  report_.stats.bytesDecompressed += o.bytes;
  report_.blobs[o.oid] = std::move(o);
}

void reportProblem(Report& report, const std::string& file, const TocEntry* entry, std::string what,
                   std::optional<uint64_t> offset) {
  if (entry) {
    report.addForEntry(*entry, file, std::move(what), offset);
  } else {
    report.add(Problem{file, {}, {}, {}, std::move(what), offset, OffsetKind::File});
  }
}

PayloadOptions adoptToc(Report& report, ArchiveHeader header, std::vector<TocEntry> entries, const std::string& file,
                        const WalkOptions& options) {
  report.toc = ArchiveToc{std::move(header), std::move(entries), {}};
  report.stats.entriesChecked = report.toc->entries.size();
  checkTocStructure(report.toc->entries, report, file);
  PayloadOptions payload;
  payload.encoding = encodingOfToc(report.toc->entries);
  payload.checksum = options.digests ? options.checksum : ChecksumAlgorithm::None;
  return payload;
}

std::optional<uint32_t> parseOid(std::string_view s) {
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

void checkTocStructure(const std::vector<TocEntry>& entries, Report& report, const std::string& file) {
  std::unordered_set<int> ids;
  int maxId = 0;
  for (const auto& e : entries) {
    ids.insert(e.dumpId);
    maxId = std::max(maxId, e.dumpId);
  }
  // pg_dump itself writes dependencies on objects it did not dump (every
  // TABLE DATA of a --data-only dump, materialized view data), and pg_restore
  // ignores them. They always name an object pg_dump numbered before the
  // archive's own special entries, so only IDs above every entry's are corrupt.
  uint64_t dangling = 0;
  // pg_dump warns when writing an archive whose sections are out of order:
  // PRE_DATA may only follow PRE_DATA, DATA may not follow POST_DATA, and
  // NONE (comments, ACLs) may appear anywhere.
  Section current = Section::PreData;
  for (const auto& e : entries) {
    for (const auto& dep : e.dependencies) {
      int id = 0;
      auto [p, ec] = std::from_chars(dep.data(), dep.data() + dep.size(), id);
      if (ec != std::errc() || p != dep.data() + dep.size() || id <= 0) {
        report.addForEntry(e, file, "dependency \"" + dep + "\" is not a dump ID", {});
      } else if (id > maxId) {
        report.addForEntry(e, file,
                           "depends on entry " + dep + ", which is not in the TOC and above every dump ID in it (" +
                               std::to_string(maxId) + ")",
                           {});
      } else if (!ids.count(id)) {
        dangling++;
      } else if (id == e.dumpId) {
        report.addForEntry(e, file, "depends on itself", {});
      }
    }
    bool misplaced = (e.section == Section::PreData && current != Section::PreData) ||
                     (e.section == Section::Data && current == Section::PostData);
    if (misplaced) {
      static const char* names[] = {"", "NONE", "PRE_DATA", "DATA", "POST_DATA"};
      report.addForEntry(e, file,
                         std::string("section ") + names[static_cast<int>(e.section)] + " after an entry in section " +
                             names[static_cast<int>(current)] + " (sections out of order)",
                         {});
    }
    if (e.section != Section::None) current = e.section;
    if (e.hadDumper && e.desc != "TABLE DATA" && e.desc != "BLOBS") {
      report.addForEntry(e, file, "has data (hadDumper) but its desc is neither TABLE DATA nor BLOBS", {});
    }
  }
  if (dangling > 0) {
    report.notes.push_back(std::to_string(dangling) +
                           " dependencies name objects that are not in the archive (as pg_dump writes for "
                           "--data-only, --table and materialized view data; pg_restore ignores them)");
  }
}

std::map<uint32_t, const TocEntry*> expectedLargeObjects(const ArchiveToc& toc) {
  std::map<uint32_t, const TocEntry*> out;
  for (const auto& e : toc.entries) {
    if (e.desc == "BLOB") {
      if (auto oid = parseOid(e.oid)) out[*oid] = &e;
    } else if (e.desc == "BLOB METADATA" && e.defn) {
      std::string_view d = *e.defn;
      size_t start = 0;
      while (start < d.size()) {
        size_t nl = d.find('\n', start);
        if (nl == std::string_view::npos) nl = d.size();
        if (auto oid = parseOid(d.substr(start, nl - start))) out[*oid] = &e;
        start = nl + 1;
      }
    }
  }
  return out;
}

void checkLargeObjects(const ArchiveToc& toc, Report& report, const std::string& file) {
  const TocEntry* blobsEntry = nullptr;
  for (const auto& e : toc.entries) {
    if (e.desc == "BLOBS" && e.hadDumper) blobsEntry = &e;
  }
  auto expected = expectedLargeObjects(toc);
  for (const auto& [oid, entry] : expected) {
    auto it = report.blobs.find(oid);
    if (it == report.blobs.end()) {
      // Only meaningful when the archive holds LO data at all (not --schema-only).
      if (blobsEntry) report.addForEntry(*entry, file, "no data found for large object " + std::to_string(oid), {});
    } else if (!it->second.complete) {
      // The decode or truncation problem was already reported.
    }
  }
  // Archives before 1.12 have no per-object entries to compare against.
  if (!toc.header.version.atLeast(1, 12)) return;
  for (const auto& [oid, outcome] : report.blobs) {
    if (!expected.count(oid)) {
      const TocEntry* owner = nullptr;
      for (const auto& e : toc.entries) {
        if (e.dumpId == outcome.dumpId) owner = &e;
      }
      if (owner) {
        report.addForEntry(*owner, file,
                           "large object " + std::to_string(oid) + " has data but no BLOB entry in the TOC", {});
      }
    }
  }
}

}  // namespace pgarc
