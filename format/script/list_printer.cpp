// renderList: what `pg_restore -l` prints (PrintTOCSummary).
#include <cstdlib>
#include <string>

#include "format/script/printer.hpp"
#include "format/script/script_context.hpp"
#include "format/script/selection.hpp"
#include "format/script/sql_text.hpp"
#include "format/script_renderer.hpp"

namespace pgarc {
namespace {

const char* listFormatName(ArchiveKind kind) {
  switch (kind) {
    case ArchiveKind::Custom: return "CUSTOM";
    case ArchiveKind::Directory: return "DIRECTORY";
    case ArchiveKind::Tar: return "TAR";
    default: return "UNKNOWN";
  }
}

std::string compressionText(const ArchiveHeader& h) {
  // 15 prints the stored Int level; 1.15+ archives store only an algorithm.
  if (!h.version.atLeast(1, 15)) return std::to_string(h.compressionLevel);
  return compressionName(h.compression);
}

}  // namespace

Status renderList(const ArchiveToc& toc, ArchiveKind kind, const RestoreOptions& options, OutputStream& out) {
  using namespace script;
  PGARC_ASSIGN(Selection sel, selectEntries(toc, options));
  std::vector<unsigned> reqs = listingReqs(toc, options, sel);
  const ArchiveHeader& h = toc.header;

  Printer p(out);
  std::string stamp = formatLocalTime(archiveCreationTime(h));
  if (stamp.empty()) stamp = "[unknown]";
  p.put(";\n; Archive created at " + stamp + "\n");
  p.put(";     dbname: " + sanitizeLine(h.dbname, false) + "\n");
  p.put(";     TOC Entries: " + std::to_string(toc.entries.size()) + "\n");
  p.put(";     Compression: " + compressionText(h) + "\n");
  p.put(";     Dump Version: " + std::to_string(h.version.major) + "." + std::to_string(h.version.minor) + "-" +
        std::to_string(h.version.revision) + "\n");
  p.put(std::string(";     Format: ") + listFormatName(kind) + "\n");
  p.put(";     Integer: " + std::to_string(h.intSize) + " bytes\n");
  p.put(";     Offset: " + std::to_string(h.offSize) + " bytes\n");
  if (h.version.atLeast(1, 10)) {
    p.put(";     Dumped from database version: " + h.serverVersion + "\n");
    p.put(";     Dumped by pg_dump version: " + h.dumpVersion + "\n");
  }
  p.put(";\n;\n; Selected TOC Entries:\n;\n");

  for (size_t idx : sel.order) {
    const TocEntry& e = toc.entries[idx];
    if (options.verbose || (reqs[idx] & (kReqSchema | kReqData)) != 0) {
      p.put(std::to_string(e.dumpId) + "; " + catalogNumber(e.tableoid) + " " + catalogNumber(e.oid) + " " +
            e.descStr() + " " + sanitizeLine(e.namespace_, true) + " " + sanitizeLine(e.tag, false) + " " +
            sanitizeLine(e.owner, false) + "\n");
    }
    if (options.verbose && !e.dependencies.empty()) {
      std::string line = ";\tdepends on:";
      for (const auto& d : e.dependencies) line += " " + std::to_string(std::atoi(d.c_str()));
      p.put(line + "\n");
    }
  }
  PGARC_TRY(p.finish());
  if (sel.strictNamesError) return *sel.strictNamesError;
  return {};
}

}  // namespace pgarc
