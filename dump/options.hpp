#pragma once
// pg_dump 15's command line as a value. Parsed once, passed down; nothing
// reads options from anywhere else.
#include <optional>
#include <string>
#include <vector>

#include "format/archive.hpp"
#include "format/archive_reader.hpp"
#include "format/result.hpp"
#include "verify/checksum.hpp"

namespace pgarc::dump {

struct DumpOptions {
  // General
  std::optional<std::string> file;          // -f; stdout when unset (plain/custom/tar)
  ArchiveKind format = ArchiveKind::Plain;  // -F
  int jobs = 1;                             // -j
  bool verbose = false;                     // -v
  std::optional<int> compressLevel;         // -Z 0..9 (pg_dump 15 spelling); unset = format default
  std::optional<CompressionSpec> compression;  // -Z in either spelling; unset = format default
  ArchiveVersion archiveVersion{1, 14, 0};  // --archive-version / --target-pg-restore
  std::optional<std::string> lockWaitTimeout;
  bool noSync = false;
  bool noManifest = false;                  // --no-manifest
  std::optional<std::string> manifestFile;  // --manifest=FILE (pgarc verify's checksums)
  std::optional<ChecksumAlgorithm> manifestChecksums;  // --manifest-checksums; unset = CRC32C

  // Output content
  bool dataOnly = false;                    // -a
  bool schemaOnly = false;                  // -s
  bool includeBlobs = false;                // -b
  bool excludeBlobs = false;                // -B
  bool clean = false;                       // -c
  bool create = false;                      // -C
  std::vector<std::string> extensionPatterns;        // -e
  std::optional<std::string> encoding;      // -E
  std::vector<std::string> schemaPatterns;           // -n
  std::vector<std::string> excludeSchemaPatterns;    // -N
  bool noOwner = false;                     // -O
  std::optional<std::string> superuser;     // -S
  std::vector<std::string> tablePatterns;            // -t
  std::vector<std::string> excludeTablePatterns;     // -T
  bool noPrivileges = false;                // -x
  bool binaryUpgrade = false;
  bool columnInserts = false;
  bool disableDollarQuoting = false;
  bool disableTriggers = false;
  bool enableRowSecurity = false;
  std::vector<std::string> excludeTableDataPatterns;
  std::optional<int> extraFloatDigits;
  bool ifExists = false;
  std::vector<std::string> includeForeignDataPatterns;
  bool inserts = false;
  bool loadViaPartitionRoot = false;
  bool noComments = false;
  bool noPublications = false;
  bool noSecurityLabels = false;
  bool noSubscriptions = false;
  bool noTableAccessMethod = false;
  bool noTablespaces = false;
  bool noToastCompression = false;
  bool noUnloggedTableData = false;
  bool onConflictDoNothing = false;
  bool quoteAllIdentifiers = false;
  std::optional<std::string> restrictKey;
  int rowsPerInsert = 0;                    // 0 = not given (1 when --inserts)
  int sections = 0;                         // bits: 1 pre-data, 2 data, 4 post-data; 0 = all
  bool serializableDeferrable = false;
  std::optional<std::string> snapshot;
  bool strictNames = false;
  bool useSetSessionAuthorization = false;

  // Connection
  std::optional<std::string> dbname;        // -d or the positional argument
  std::optional<std::string> host;
  std::optional<std::string> port;
  std::optional<std::string> username;
  bool noPassword = false;                  // -w
  bool forcePassword = false;               // -W
  std::optional<std::string> role;

  // Derived as pg_dump derives them.
  bool dumpSections(int bit) const { return sections == 0 || (sections & bit) != 0; }
  bool schemaWanted() const { return !dataOnly; }
  bool dataWanted() const { return !schemaOnly; }
  bool useInserts() const { return rowsPerInsert > 0; }
  bool dollarQuoting() const { return !disableDollarQuoting; }
};

// What the parser decided: run a dump, or print help/version.
struct ParsedCommandLine {
  enum class Action { Dump, Help, Version } action = Action::Dump;
  DumpOptions options;
};

// Parses pg_dump 15's arguments (after "pgarc dump"). Errors carry pg_dump's
// wording, e.g. "options -s/--schema-only and -a/--data-only cannot be used together".
Result<ParsedCommandLine> parseDumpCommandLine(const std::vector<std::string>& args);
std::string dumpHelpText();

}  // namespace pgarc::dump
