#include "verify/report.hpp"

#include "verify/json.hpp"

namespace pgarc {

void Report::add(Problem p) {
  if (beforeAdd_ && !inBeforeAdd_) {
    inBeforeAdd_ = true;
    beforeAdd_();
    inBeforeAdd_ = false;
  }
  if (p.dumpId) {
    int& n = perEntry_[*p.dumpId];
    if (++n > kMaxListedPerEntry) {
      suppressed_++;
      return;
    }
  }
  problems_.push_back(std::move(p));
}

void Report::addForEntry(const TocEntry& entry, std::string file, std::string what, std::optional<uint64_t> offset,
                         OffsetKind kind) {
  Problem p;
  p.file = std::move(file);
  p.dumpId = entry.dumpId;
  p.desc = entry.descStr();
  p.tag = entry.tagStr();
  p.what = std::move(what);
  p.offset = offset;
  p.offsetKind = kind;
  add(std::move(p));
}

std::string formatProblem(const Problem& p) {
  std::string s = "pgarc verify: " + p.file + ": ";
  if (p.dumpId) {
    s += "entry " + std::to_string(*p.dumpId);
    if (!p.desc.empty() || !p.tag.empty()) s += " (" + p.desc + (p.tag.empty() ? "" : " " + p.tag) + ")";
    s += ": ";
  }
  s += p.what;
  if (p.offset) s += (p.offsetKind == OffsetKind::Payload ? " at payload offset " : " at offset ") + std::to_string(*p.offset);
  return s;
}

std::string formatSummary(const Report& r) {
  std::string s = "pgarc verify: " + r.archivePath + ": ";
  s += r.clean() ? "OK" : "FAILED";
  s += " (" + (r.formatName.empty() ? std::string("unknown format") : r.formatName + " archive") + "): ";
  s += std::to_string(r.stats.entriesChecked) + " entries checked, ";
  s += std::to_string(r.stats.dataEntries) + " data streams, ";
  s += std::to_string(r.stats.bytesRead) + " bytes read, ";
  s += std::to_string(r.stats.bytesDecompressed) + " bytes decompressed, ";
  s += std::to_string(r.stats.rows) + " rows, ";
  s += std::to_string(r.stats.largeObjects) + " large objects, ";
  uint64_t n = r.problemCount();
  s += std::to_string(n) + (n == 1 ? " problem" : " problems");
  if (r.suppressedCount() > 0) s += " (" + std::to_string(r.suppressedCount()) + " not listed)";
  return s;
}

std::string reportJson(const Report& r) {
  using json::quote;
  std::string s = "{\n";
  s += "  \"archive\": " + quote(r.archivePath) + ",\n";
  s += "  \"format\": " + quote(r.formatName) + ",\n";
  s += "  \"ok\": " + std::string(r.clean() ? "true" : "false") + ",\n";
  s += "  \"entries_checked\": " + std::to_string(r.stats.entriesChecked) + ",\n";
  s += "  \"data_streams\": " + std::to_string(r.stats.dataEntries) + ",\n";
  s += "  \"bytes_read\": " + std::to_string(r.stats.bytesRead) + ",\n";
  s += "  \"bytes_decompressed\": " + std::to_string(r.stats.bytesDecompressed) + ",\n";
  s += "  \"rows\": " + std::to_string(r.stats.rows) + ",\n";
  s += "  \"large_objects\": " + std::to_string(r.stats.largeObjects) + ",\n";
  s += "  \"problem_count\": " + std::to_string(r.problemCount()) + ",\n";
  s += "  \"problems\": [";
  bool first = true;
  for (const auto& p : r.problems()) {
    s += first ? "\n" : ",\n";
    first = false;
    s += "    {\"file\": " + quote(p.file);
    if (p.dumpId) {
      s += ", \"dump_id\": " + std::to_string(*p.dumpId) + ", \"desc\": " + quote(p.desc) + ", \"tag\": " + quote(p.tag);
    }
    s += ", \"problem\": " + quote(p.what);
    if (p.offset) {
      s += std::string(", \"") + (p.offsetKind == OffsetKind::Payload ? "payload_offset" : "offset") +
           "\": " + std::to_string(*p.offset);
    }
    s += "}";
  }
  s += first ? "],\n" : "\n  ],\n";
  s += "  \"notes\": [";
  for (size_t i = 0; i < r.notes.size(); i++) s += (i ? ", " : "") + quote(r.notes[i]);
  s += "]\n}\n";
  return s;
}

}  // namespace pgarc
