#pragma once
// pg_restore's options that shape the SQL script or the listing (no database
// needed). Shared by `pgarc inspect`, the tar writer's restore.sql, and
// `pgarc dump -Fp` (pg_dump renders plain output through the same path).
#include <optional>
#include <string>
#include <vector>

namespace pgarc {

enum class ScriptMode {
  Restore,      // what `pg_restore -f -` prints
  PlainDump,    // what `pg_dump -Fp` prints (same renderer, pg_dump's defaults)
  TarRestoreSql // the tar member restore.sql (COPY ... FROM '$$PATH$$/N.dat')
};

struct RestoreOptions {
  ScriptMode mode = ScriptMode::Restore;
  bool dataOnly = false;              // -a
  bool schemaOnly = false;            // -s
  bool clean = false;                 // -c
  bool ifExists = false;              // --if-exists
  bool create = false;                // -C
  bool noOwner = false;               // -O
  bool noPrivileges = false;          // -x
  bool exitOnError = false;           // -e (no effect on script text)
  bool singleTransaction = false;     // -1
  bool verbose = false;               // -v
  std::vector<std::string> schemaNames;          // -n
  std::vector<std::string> excludeSchemaNames;   // -N
  std::vector<std::string> tableNames;           // -t
  std::vector<std::string> triggerNames;         // -T
  std::vector<std::string> indexNames;           // -I
  std::vector<std::string> functionNames;        // -P
  // --section: bit 1 pre-data, 2 data, 4 post-data; 0 = all.
  int sections = 0;
  std::optional<std::string> listFile;           // -L contents (not path)
  std::optional<std::string> superuser;          // -S
  bool noComments = false;
  bool noPublications = false;
  bool noSecurityLabels = false;
  bool noSubscriptions = false;
  bool noTablespaces = false;
  bool noTableAccessMethod = false;
  bool useSetSessionAuthorization = false;
  bool quoteAllIdentifiers = false;  // pg_dump -Fp --quote-all-identifiers (pg_restore has no such option)
  bool binaryUpgrade = false;        // pg_dump -Fp --binary-upgrade: -s keeps SEQUENCE SET and large objects
  bool disableTriggers = false;
  bool enableRowSecurity = false;
  bool strictNames = false;
  std::optional<std::string> restrictKey;        // --restrict-key; random when unset
  std::optional<std::string> role;               // --role (SET ROLE in preamble)
  std::optional<std::string> dbname;             // -d, only used for \connect naming if relevant
};

}  // namespace pgarc
