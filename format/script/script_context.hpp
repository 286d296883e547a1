#pragma once
// State shared by the parts of the script renderer: the archive's session
// facts (encoding, standard strings, search_path), the options, and the
// imaginary session's current user/schema/tablespace/access method, which
// pg_restore tracks to emit SET commands only when they change.
#include <functional>
#include <optional>
#include <string>

#include "format/archive.hpp"
#include "format/restore_options.hpp"
#include "format/script/printer.hpp"

namespace pgarc::script {

// What an archive format adds to each entry's comment block with -v.
enum class ExtraTocStyle { None, DataPosition, FileName };

struct ScriptContext {
  ScriptContext(const ArchiveToc& t, const RestoreOptions& o, Printer& p) : toc(t), opt(o), out(p) {}

  const ArchiveToc& toc;
  const RestoreOptions& opt;
  Printer& out;

  std::string encoding = "SQL_ASCII";   // archive default before an ENCODING entry
  bool standardStrings = false;
  std::optional<std::string> searchPath;  // SEARCHPATH entry's defn, verbatim
  std::string restrictKey;
  bool dataOnly = false;                // -a, or implied by the selection
  ExtraTocStyle extraToc = ExtraTocStyle::None;
  std::function<void(const std::string&)> info;  // -v messages; unset = silent

  std::optional<std::string> currUser;
  std::optional<std::string> currSchema;
  std::optional<std::string> currTablespace;
  std::optional<std::string> currTableAm;
};

// ENCODING / STDSTRINGS / SEARCHPATH entries, applied as pg_restore does
// while reading the TOC (every entry, selected or not).
Status applySpecialEntries(ScriptContext& ctx);
// The SET block pg_restore emits at the start and after each \connect.
void printFixedOutputState(ScriptContext& ctx);
void becomeUser(ScriptContext& ctx, const std::optional<std::string>& user);
void becomeOwner(ScriptContext& ctx, const TocEntry& entry);
void selectSchema(ScriptContext& ctx, const std::optional<std::string>& schema);
void selectTablespace(ScriptContext& ctx, const std::optional<std::string>& tablespace);
void selectTableAccessMethod(ScriptContext& ctx, const std::optional<std::string>& tableam);
void reconnectTo(ScriptContext& ctx, const std::string& dbname);
// "-- <label> <local time>\n\n" as pg_restore's verbose timestamps.
void printTimestamp(ScriptContext& ctx, const char* label, long long epochSeconds);
// The archive's creation time as seconds since the epoch, read in local time.
long long archiveCreationTime(const ArchiveHeader& header);
std::string formatLocalTime(long long epochSeconds);
// A random 63-character alphanumeric key, as pg_restore makes for \restrict.
std::string randomRestrictKey();

}  // namespace pgarc::script
