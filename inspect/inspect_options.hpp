#pragma once
// `pgarc inspect` command line: pg_restore 15's options that need no
// database, with pg_restore's checks and messages, plus --json, --entry and
// --data. Parsing is pure (no file access) so it can be unit-tested.
#include <optional>
#include <string>
#include <vector>

#include "format/archive_reader.hpp"
#include "format/restore_options.hpp"
#include "format/result.hpp"

namespace pgarc {

enum class InspectAction {
  Help,     // --help / -? as the first argument
  Version,  // --version / -V as the first argument
  Script,   // pg_restore -f FILE
  List,     // pg_restore -l
  Json,     // --json: header and every TOC entry
  Entries,  // --entry N...: full details of chosen entries (text, or JSON with --json)
  Data,     // --data N: one entry's decompressed payload
};

struct InspectOptions {
  InspectAction action = InspectAction::Script;
  RestoreOptions restore;
  std::string archive = "-";                  // "-" = stdin, also when omitted
  std::optional<std::string> outputFile;      // -f; "-" = stdout
  std::optional<ArchiveKind> format;          // -F, checked against the detected format
  std::optional<std::string> listFilePath;    // -L; contents go to restore.listFile
  int jobs = 1;                               // -j: accepted, no effect on a script
  bool json = false;
  std::vector<int> entries;                   // --entry
  std::optional<int> dataEntry;               // --data
};

Result<InspectOptions> parseInspectOptions(const std::vector<std::string>& args);

const char* inspectUsage();

// Helpers shared with `pgarc convert`.
// pg_restore's -F: the first letter decides (c, d, t, case-insensitive).
std::optional<ArchiveKind> archiveKindFromLetter(const std::string& name, bool allowPlain);
// pg_restore's --restrict-key rule: non-empty, ASCII letters and digits only.
bool validRestrictKey(const std::string& key);

}  // namespace pgarc
