// renderScript: pg_restore 15's RestoreArchive to a script, serial mode.
#include "format/script_renderer.hpp"

#include <ctime>

#include "format/script/data_printer.hpp"
#include "format/script/entry_printer.hpp"
#include "format/script/script_context.hpp"
#include "format/script/selection.hpp"
#include "format/script/sql_text.hpp"

namespace pgarc {
namespace script {
namespace {

enum class RestorePass { Main, Acl, PostAcl };

RestorePass restorePassOf(const TocEntry& e) {
  const std::string desc = e.descStr();
  if (isAclDesc(desc)) return RestorePass::Acl;
  if (desc == "EVENT TRIGGER" || desc == "MATERIALIZED VIEW DATA") return RestorePass::PostAcl;
  // Comments and labels go with their parent; event triggers come last.
  if ((desc == "COMMENT" || desc == "SECURITY LABEL") && startsWith(e.tagStr(), "EVENT TRIGGER "))
    return RestorePass::PostAcl;
  return RestorePass::Main;
}

ExtraTocStyle extraTocStyleOf(DataSource& data) {
  auto* reader = dynamic_cast<ArchiveReader*>(&data);
  if (reader == nullptr) return ExtraTocStyle::None;
  switch (reader->kind()) {
    case ArchiveKind::Custom: return ExtraTocStyle::DataPosition;
    case ArchiveKind::Directory:
    case ArchiveKind::Tar: return ExtraTocStyle::FileName;
    default: return ExtraTocStyle::None;
  }
}

void logInfo(const ScriptContext& ctx, const std::string& message) {
  if (ctx.info) ctx.info(message);
}

std::string qualifiedTag(const TocEntry& e) {
  return e.namespace_ ? *e.namespace_ + "." + e.tagStr() : e.tagStr();
}

void restoreEntry(ScriptContext& ctx, const TocEntry& e, unsigned reqs, DataSource& data) {
  bool defnDumped = false;
  const std::string desc = e.descStr();
  if (reqs & kReqSchema) {
    logInfo(ctx, "creating " + desc + " \"" + qualifiedTag(e) + "\"");
    printTocEntry(ctx, e, false);
    defnDumped = true;
    if (desc == "DATABASE" || desc == "DATABASE PROPERTIES") {
      logInfo(ctx, "connecting to new database \"" + e.tagStr() + "\"");
      reconnectTo(ctx, e.tagStr());
    }
  }
  if (reqs & kReqData) {
    if (e.hadDumper) {
      if (desc == "BLOBS" || desc == "BLOB COMMENTS")
        logInfo(ctx, "processing " + desc);
      else
        logInfo(ctx, "processing data for table \"" + qualifiedTag(e) + "\"");
      printEntryData(ctx, e, data);
    } else if (!defnDumped) {
      logInfo(ctx, "executing " + desc + " " + e.tagStr());
      printTocEntry(ctx, e, false);
    }
  }
}

// Each entry in processing order (last first when `reverse`) with its
// requirement bits, the runs' entries made where their runs stand (the order
// is the TOC's when it has runs, see runsMarkable).
using SelectedVisitor = std::function<Status(const TocEntry&, unsigned)>;
Status forEachSelected(const ArchiveToc& toc, const Selection& sel, RunEntryMarker& runMarker, bool reverse,
                       const SelectedVisitor& visit) {
  auto visitRun = [&](size_t r) -> Status {
    auto each = [&](TocEntry& e) { return visit(e, runMarker.reqs(e, sel.runs.sections[r])); };
    return reverse ? toc.runs[r].run->forEachReverse(each) : toc.runs[r].run->forEach(each);
  };
  if (!reverse) {
    size_t run = 0;
    for (size_t idx : sel.order) {
      for (; run < toc.runs.size() && toc.runs[run].at <= idx; run++) PGARC_TRY(visitRun(run));
      PGARC_TRY(visit(toc.entries[idx], sel.reqs[idx]));
    }
    for (; run < toc.runs.size(); run++) PGARC_TRY(visitRun(run));
    return {};
  }
  size_t run = toc.runs.size();
  for (auto it = sel.order.rbegin(); it != sel.order.rend(); ++it) {
    for (; run > 0 && toc.runs[run - 1].at > *it; run--) PGARC_TRY(visitRun(run - 1));
    PGARC_TRY(visit(toc.entries[*it], sel.reqs[*it]));
  }
  for (; run > 0; run--) PGARC_TRY(visitRun(run - 1));
  return {};
}

Status printDropPass(ScriptContext& ctx, const Selection& sel, RunEntryMarker& runMarker) {
  PGARC_TRY(forEachSelected(ctx.toc, sel, runMarker, true, [&ctx](const TocEntry& e, unsigned reqs) -> Status {
    const std::string desc = e.descStr();
    bool isDatabase = desc == "DATABASE" || desc == "DATABASE PROPERTIES";
    // With -C only the database itself is dropped; its contents go with it.
    if (ctx.opt.create && !isDatabase) return {};
    if ((reqs & (kReqSchema | kReqData)) == 0) return {};
    if (e.dropStmt) logInfo(ctx, "dropping " + desc + " " + e.tagStr());
    printDropStatement(ctx, e);
    return {};
  }));
  // The schema named by a SET search_path may just have been dropped.
  ctx.currSchema.reset();
  return {};
}

}  // namespace
}  // namespace script

Status renderScript(const ArchiveToc& toc, DataSource& data, const RestoreOptions& options, OutputStream& out,
                    const ScriptInfoLog& info) {
  using namespace script;
  if (!toc.runs.empty() && !runsMarkable(options)) {
    ArchiveToc expanded = toc;
    PGARC_TRY(expandRuns(expanded));
    return renderScript(expanded, data, options, out, info);
  }
  PGARC_TRY(checkOptionConflicts(options));
  PGARC_ASSIGN(Selection sel, selectEntries(toc, options));
  if (sel.strictNamesError) return *sel.strictNamesError;

  Printer printer(out);
  ScriptContext ctx(toc, options, printer);
  ctx.info = info;
  PGARC_TRY(applySpecialEntries(ctx));
  ctx.extraToc = extraTocStyleOf(data);
  // pg_dump writes tar's restore.sql with no key: the script then has no
  // \restrict/\unrestrict pair, and the lines around \connect print "(null)".
  const bool printRestrict = options.restrictKey || options.mode != ScriptMode::TarRestoreSql;
  if (options.restrictKey) ctx.restrictKey = *options.restrictKey;
  else if (options.mode == ScriptMode::TarRestoreSql) ctx.restrictKey = "(null)";
  else ctx.restrictKey = randomRestrictKey();

  ctx.dataOnly = options.dataOnly;
  if (!ctx.dataOnly) {
    bool anySchema = (sel.runs.reqsUnion & kReqSchema) != 0;
    for (unsigned r : sel.reqs) anySchema = anySchema || (r & kReqSchema);
    ctx.dataOnly = !anySchema;
    if (ctx.dataOnly) logInfo(ctx, "implied data-only restore");
  }

  printer.put("--\n-- PostgreSQL database dump\n--\n\n");
  if (printRestrict) printer.put("\\restrict " + ctx.restrictKey + "\n\n");
  if (toc.header.version.atLeast(1, 10)) {
    printer.put("-- Dumped from database version " + toc.header.serverVersion + "\n");
    printer.put("-- Dumped by pg_dump version " + toc.header.dumpVersion + "\n");
  }
  printer.put("\n");
  if (options.verbose) printTimestamp(ctx, "Started on", archiveCreationTime(toc.header));
  if (options.singleTransaction) printer.put("BEGIN;\n\n");
  printFixedOutputState(ctx);

  RunEntryMarker runMarker(toc, options);
  // A visitor's error only stops the walk when the output failed; the
  // printer then holds the error.
  const Error outputFailed = makeError("script output failed");
  auto walked = [&printer](const Status& st) -> Status {
    if (st.ok()) return {};
    return printer.ok() ? st : printer.finish();
  };
  if (options.clean) PGARC_TRY(walked(printDropPass(ctx, sel, runMarker)));

  bool haveAcl = false, havePostAcl = false;
  PGARC_TRY(walked(forEachSelected(toc, sel, runMarker, false, [&](const TocEntry& e, unsigned reqs) -> Status {
    if ((reqs & (kReqSchema | kReqData)) == 0) return {};
    switch (restorePassOf(e)) {
      case RestorePass::Main: restoreEntry(ctx, e, reqs, data); break;
      case RestorePass::Acl: haveAcl = true; break;
      case RestorePass::PostAcl: havePostAcl = true; break;
    }
    return printer.ok() ? Status() : outputFailed;
  })));
  for (RestorePass pass : {RestorePass::Acl, RestorePass::PostAcl}) {
    if ((pass == RestorePass::Acl && !haveAcl) || (pass == RestorePass::PostAcl && !havePostAcl)) continue;
    PGARC_TRY(walked(forEachSelected(toc, sel, runMarker, false, [&](const TocEntry& e, unsigned reqs) -> Status {
      if ((reqs & (kReqSchema | kReqData)) != 0 && restorePassOf(e) == pass) restoreEntry(ctx, e, reqs, data);
      return {};
    })));
  }

  if (options.singleTransaction) printer.put("COMMIT;\n\n");
  if (options.verbose) printTimestamp(ctx, "Completed on", static_cast<long long>(std::time(nullptr)));
  printer.put("--\n-- PostgreSQL database dump complete\n--\n\n");
  if (printRestrict) printer.put("\\unrestrict " + ctx.restrictKey + "\n\n");
  return printer.finish();
}

}  // namespace pgarc
