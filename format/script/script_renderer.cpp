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

void printDropPass(ScriptContext& ctx, const Selection& sel) {
  for (auto it = sel.order.rbegin(); it != sel.order.rend(); ++it) {
    const TocEntry& e = ctx.toc.entries[*it];
    const std::string desc = e.descStr();
    bool isDatabase = desc == "DATABASE" || desc == "DATABASE PROPERTIES";
    // With -C only the database itself is dropped; its contents go with it.
    if (ctx.opt.create && !isDatabase) continue;
    if ((sel.reqs[*it] & (kReqSchema | kReqData)) == 0) continue;
    if (e.dropStmt) logInfo(ctx, "dropping " + desc + " " + e.tagStr());
    printDropStatement(ctx, e);
  }
  // The schema named by a SET search_path may just have been dropped.
  ctx.currSchema.reset();
}

}  // namespace
}  // namespace script

Status renderScript(const ArchiveToc& toc, DataSource& data, const RestoreOptions& options, OutputStream& out,
                    const ScriptInfoLog& info) {
  using namespace script;
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
    bool anySchema = false;
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

  if (options.clean) printDropPass(ctx, sel);

  bool haveAcl = false, havePostAcl = false;
  for (size_t idx : sel.order) {
    unsigned reqs = sel.reqs[idx];
    if ((reqs & (kReqSchema | kReqData)) == 0) continue;
    switch (restorePassOf(toc.entries[idx])) {
      case RestorePass::Main: restoreEntry(ctx, toc.entries[idx], reqs, data); break;
      case RestorePass::Acl: haveAcl = true; break;
      case RestorePass::PostAcl: havePostAcl = true; break;
    }
    if (!printer.ok()) break;
  }
  for (RestorePass pass : {RestorePass::Acl, RestorePass::PostAcl}) {
    if ((pass == RestorePass::Acl && !haveAcl) || (pass == RestorePass::PostAcl && !havePostAcl)) continue;
    for (size_t idx : sel.order) {
      unsigned reqs = sel.reqs[idx];
      if ((reqs & (kReqSchema | kReqData)) != 0 && restorePassOf(toc.entries[idx]) == pass)
        restoreEntry(ctx, toc.entries[idx], reqs, data);
    }
  }

  if (options.singleTransaction) printer.put("COMMIT;\n\n");
  if (options.verbose) printTimestamp(ctx, "Completed on", static_cast<long long>(std::time(nullptr)));
  printer.put("--\n-- PostgreSQL database dump complete\n--\n\n");
  if (printRestrict) printer.put("\\unrestrict " + ctx.restrictKey + "\n\n");
  return printer.finish();
}

}  // namespace pgarc
