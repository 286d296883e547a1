// pg_dump 15's command line: GNU getopt_long behaviour (permutation, unique
// long-option prefixes, --opt=value and --opt value, clustered short options)
// and pg_dump's checks and messages.
#include <climits>
#include <cstdlib>
#include <string_view>

#include "dump/options.hpp"
#include "inspect/convert_options.hpp"
#include "inspect/inspect_options.hpp"

namespace pgarc::dump {

namespace {

enum class Arg { None, Required };

struct LongOption {
  const char* name;
  Arg arg;
  int id;  // short option char, or >= 256 for long-only
  bool pgarcOnly = false;  // not pg_dump's: must not make a pg_dump abbreviation ambiguous
};

enum LongOnly {
  kBinaryUpgrade = 256, kColumnInserts, kDisableDollarQuoting, kDisableTriggers, kEnableRowSecurity,
  kExcludeTableData, kExtraFloatDigits, kIfExists, kIncludeForeignData, kInserts, kLoadViaPartitionRoot,
  kLockWaitTimeout, kNoComments, kNoPublications, kNoSecurityLabels, kNoSubscriptions, kNoSync,
  kNoTableAccessMethod, kNoTablespaces, kNoToastCompression, kNoUnloggedTableData, kOnConflictDoNothing,
  kQuoteAllIdentifiers, kRestrictKey, kRole, kRowsPerInsert, kSection, kSerializableDeferrable, kSnapshot,
  kStrictNames, kUseSetSessionAuthorization, kArchiveVersion, kTargetPgRestore,
  kNoManifest, kManifest, kManifestChecksums
};

constexpr LongOption kLongOptions[] = {
    {"data-only", Arg::None, 'a'},
    {"blobs", Arg::None, 'b'},
    {"no-blobs", Arg::None, 'B'},
    {"clean", Arg::None, 'c'},
    {"create", Arg::None, 'C'},
    {"dbname", Arg::Required, 'd'},
    {"extension", Arg::Required, 'e'},
    {"file", Arg::Required, 'f'},
    {"format", Arg::Required, 'F'},
    {"host", Arg::Required, 'h'},
    {"jobs", Arg::Required, 'j'},
    {"no-reconnect", Arg::None, 'R'},
    {"no-owner", Arg::None, 'O'},
    {"port", Arg::Required, 'p'},
    {"schema", Arg::Required, 'n'},
    {"exclude-schema", Arg::Required, 'N'},
    {"schema-only", Arg::None, 's'},
    {"superuser", Arg::Required, 'S'},
    {"table", Arg::Required, 't'},
    {"exclude-table", Arg::Required, 'T'},
    {"no-password", Arg::None, 'w'},
    {"password", Arg::None, 'W'},
    {"username", Arg::Required, 'U'},
    {"verbose", Arg::None, 'v'},
    {"no-privileges", Arg::None, 'x'},
    {"no-acl", Arg::None, 'x'},
    {"compress", Arg::Required, 'Z'},
    {"encoding", Arg::Required, 'E'},
    {"help", Arg::None, '?'},
    {"version", Arg::None, 'V'},
    {"attribute-inserts", Arg::None, kColumnInserts},
    {"binary-upgrade", Arg::None, kBinaryUpgrade},
    {"column-inserts", Arg::None, kColumnInserts},
    {"disable-dollar-quoting", Arg::None, kDisableDollarQuoting},
    {"disable-triggers", Arg::None, kDisableTriggers},
    {"enable-row-security", Arg::None, kEnableRowSecurity},
    {"exclude-table-data", Arg::Required, kExcludeTableData},
    {"extra-float-digits", Arg::Required, kExtraFloatDigits},
    {"if-exists", Arg::None, kIfExists},
    {"inserts", Arg::None, kInserts},
    {"lock-wait-timeout", Arg::Required, kLockWaitTimeout},
    {"no-table-access-method", Arg::None, kNoTableAccessMethod},
    {"no-tablespaces", Arg::None, kNoTablespaces},
    {"quote-all-identifiers", Arg::None, kQuoteAllIdentifiers},
    {"load-via-partition-root", Arg::None, kLoadViaPartitionRoot},
    {"role", Arg::Required, kRole},
    {"section", Arg::Required, kSection},
    {"serializable-deferrable", Arg::None, kSerializableDeferrable},
    {"snapshot", Arg::Required, kSnapshot},
    {"strict-names", Arg::None, kStrictNames},
    {"use-set-session-authorization", Arg::None, kUseSetSessionAuthorization},
    {"no-comments", Arg::None, kNoComments},
    {"no-publications", Arg::None, kNoPublications},
    {"no-security-labels", Arg::None, kNoSecurityLabels},
    {"no-subscriptions", Arg::None, kNoSubscriptions},
    {"no-toast-compression", Arg::None, kNoToastCompression},
    {"no-unlogged-table-data", Arg::None, kNoUnloggedTableData},
    {"no-sync", Arg::None, kNoSync},
    {"no-manifest", Arg::None, kNoManifest, true},
    {"manifest", Arg::Required, kManifest, true},
    {"manifest-checksums", Arg::Required, kManifestChecksums, true},
    {"on-conflict-do-nothing", Arg::None, kOnConflictDoNothing},
    {"rows-per-insert", Arg::Required, kRowsPerInsert},
    {"include-foreign-data", Arg::Required, kIncludeForeignData},
    {"restrict-key", Arg::Required, kRestrictKey},
    {"archive-version", Arg::Required, kArchiveVersion, true},
    {"target-pg-restore", Arg::Required, kTargetPgRestore, true},
};

constexpr std::string_view kShortOptions = "abBcCd:e:E:f:F:h:j:n:N:Op:RsS:t:T:U:vwWxZ:";

Error usageError(const std::string& msg) {
  return makeError(msg + " (try \"pgarc dump --help\" for more information)");
}

// option_parse_int: whole string an integer within [min, max].
Result<int> parseIntOption(const std::string& value, const char* name, long min, long max) {
  const char* s = value.c_str();
  while (*s == ' ' || *s == '\t') s++;
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(s, &end, 10);
  while (end && (*end == ' ' || *end == '\t' || *end == '\n')) end++;
  if (end == s || (end && *end != '\0') || errno == ERANGE) {
    return makeError("invalid value \"" + value + "\" for option " + name);
  }
  if (v < min || v > max) {
    return makeError(std::string(name) + " must be in range " + std::to_string(min) + ".." + std::to_string(max));
  }
  return static_cast<int>(v);
}

Result<ArchiveKind> parseFormat(const std::string& f) {
  std::string l;
  for (char c : f) l.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (l == "c" || l == "custom") return ArchiveKind::Custom;
  if (l == "d" || l == "directory") return ArchiveKind::Directory;
  if (l == "p" || l == "plain") return ArchiveKind::Plain;
  if (l == "t" || l == "tar") return ArchiveKind::Tar;
  return makeError("invalid output format \"" + f + "\" specified");
}

Status applyOption(ParsedCommandLine& p, int id, const std::string& value) {
  DumpOptions& o = p.options;
  switch (id) {
    case 'a': o.dataOnly = true; break;
    case 'b': o.includeBlobs = true; break;
    case 'B': o.excludeBlobs = true; break;
    case 'c': o.clean = true; break;
    case 'C': o.create = true; break;
    case 'd': o.dbname = value; break;
    case 'e': o.extensionPatterns.push_back(value); break;
    case 'E': o.encoding = value; break;
    case 'f': o.file = value; break;
    case 'F': {
      PGARC_ASSIGN(o.format, parseFormat(value));
      break;
    }
    case 'h': o.host = value; break;
    case 'j': {
      PGARC_ASSIGN(o.jobs, parseIntOption(value, "-j/--jobs", 1, INT_MAX));
      break;
    }
    case 'n': o.schemaPatterns.push_back(value); break;
    case 'N': o.excludeSchemaPatterns.push_back(value); break;
    case 'O': o.noOwner = true; break;
    case 'p': o.port = value; break;
    case 'R': break;  // accepted for compatibility, no effect
    case 's': o.schemaOnly = true; break;
    case 'S': o.superuser = value; break;
    case 't': o.tablePatterns.push_back(value); break;
    case 'T': o.excludeTablePatterns.push_back(value); break;
    case 'U': o.username = value; break;
    case 'v': o.verbose = true; break;
    case 'w': o.noPassword = true; break;
    case 'W': o.forcePassword = true; break;
    case 'x': o.noPrivileges = true; break;
    case 'Z': {
      // pg_dump 15's bare level or pg_dump 16's METHOD[:DETAIL].
      PGARC_ASSIGN(CompressionSpec spec, parseCompressionSpec(value));
      o.compression = spec;
      if (spec.algorithm == CompressionAlgorithm::None) o.compressLevel = 0;
      else if (spec.algorithm == CompressionAlgorithm::Gzip) o.compressLevel = spec.level;
      else o.compressLevel.reset();
      break;
    }
    case '?': p.action = ParsedCommandLine::Action::Help; break;
    case 'V': p.action = ParsedCommandLine::Action::Version; break;
    case kBinaryUpgrade: o.binaryUpgrade = true; break;
    case kColumnInserts: o.columnInserts = true; break;
    case kDisableDollarQuoting: o.disableDollarQuoting = true; break;
    case kDisableTriggers: o.disableTriggers = true; break;
    case kEnableRowSecurity: o.enableRowSecurity = true; break;
    case kExcludeTableData: o.excludeTableDataPatterns.push_back(value); break;
    case kExtraFloatDigits: {
      PGARC_ASSIGN(int v, parseIntOption(value, "--extra-float-digits", -15, 3));
      o.extraFloatDigits = v;
      break;
    }
    case kIfExists: o.ifExists = true; break;
    case kIncludeForeignData: o.includeForeignDataPatterns.push_back(value); break;
    case kInserts:
      if (o.rowsPerInsert == 0) o.rowsPerInsert = 1;
      o.inserts = true;
      break;
    case kLoadViaPartitionRoot: o.loadViaPartitionRoot = true; break;
    case kLockWaitTimeout: o.lockWaitTimeout = value; break;
    case kNoComments: o.noComments = true; break;
    case kNoPublications: o.noPublications = true; break;
    case kNoSecurityLabels: o.noSecurityLabels = true; break;
    case kNoSubscriptions: o.noSubscriptions = true; break;
    case kNoSync: o.noSync = true; break;
    case kNoManifest: o.noManifest = true; break;
    case kManifest: o.manifestFile = value; break;
    case kManifestChecksums: {
      auto algorithm = parseChecksumAlgorithm(value);
      if (!algorithm) return makeError("unrecognized manifest checksum algorithm: \"" + value + "\"");
      o.manifestChecksums = *algorithm;
      break;
    }
    case kNoTableAccessMethod: o.noTableAccessMethod = true; break;
    case kNoTablespaces: o.noTablespaces = true; break;
    case kNoToastCompression: o.noToastCompression = true; break;
    case kNoUnloggedTableData: o.noUnloggedTableData = true; break;
    case kOnConflictDoNothing: o.onConflictDoNothing = true; break;
    case kQuoteAllIdentifiers: o.quoteAllIdentifiers = true; break;
    case kRestrictKey: o.restrictKey = value; break;
    case kRole: o.role = value; break;
    case kRowsPerInsert: {
      PGARC_ASSIGN(o.rowsPerInsert, parseIntOption(value, "--rows-per-insert", 1, INT_MAX));
      break;
    }
    case kSection:
      if (value == "pre-data") o.sections |= 1;
      else if (value == "data") o.sections |= 2;
      else if (value == "post-data") o.sections |= 4;
      else return usageError("unrecognized section name: \"" + value + "\"");
      break;
    case kSerializableDeferrable: o.serializableDeferrable = true; break;
    case kSnapshot: o.snapshot = value; break;
    case kStrictNames: o.strictNames = true; break;
    case kUseSetSessionAuthorization: o.useSetSessionAuthorization = true; break;
    case kArchiveVersion: {
      PGARC_ASSIGN(o.archiveVersion, parseArchiveVersion(value));
      break;
    }
    case kTargetPgRestore: {
      // The newest archive version each pg_restore reads.
      if (value == "15") o.archiveVersion = ArchiveVersion{1, 14, 0};
      else if (value == "16") o.archiveVersion = ArchiveVersion{1, 15, 0};
      else if (value == "17" || value == "18") o.archiveVersion = ArchiveVersion{1, 16, 0};
      else return usageError("invalid value \"" + value + "\" for option --target-pg-restore, expected 15, 16, 17 or 18");
      break;
    }
    default: return usageError("unhandled option");
  }
  return {};
}

// Validations in pg_dump 15's order once all arguments are read.
Status checkOptions(DumpOptions& o) {
  if (o.dataOnly && o.schemaOnly) return makeError("options -s/--schema-only and -a/--data-only cannot be used together");
  if (o.schemaOnly && !o.includeForeignDataPatterns.empty())
    return makeError("options -s/--schema-only and --include-foreign-data cannot be used together");
  if (o.jobs > 1 && !o.includeForeignDataPatterns.empty())
    return makeError("option --include-foreign-data is not supported with parallel backup");
  if (o.dataOnly && o.clean) return makeError("options -c/--clean and -a/--data-only cannot be used together");
  if (o.ifExists && !o.clean) return makeError("option --if-exists requires option -c/--clean");
  if (o.columnInserts && o.rowsPerInsert == 0) o.rowsPerInsert = 1;
  if (o.onConflictDoNothing && o.rowsPerInsert == 0)
    return makeError("option --on-conflict-do-nothing requires option --inserts, --rows-per-insert, or --column-inserts");
  // pg_dump 15.14's psql \restrict key (CVE-2025-8714): only a plain script
  // has one, and it must be letters and digits.
  if (o.format == ArchiveKind::Plain && o.restrictKey && !validRestrictKey(*o.restrictKey))
    return makeError("invalid restrict key");
  if (o.format != ArchiveKind::Plain && o.restrictKey)
    return makeError("option --restrict-key can only be used with --format=plain");
  if (o.compression && o.compression->algorithm != CompressionAlgorithm::None && o.format == ArchiveKind::Tar)
    return makeError("compression is not supported by tar archive format");
  // Plain output is a compressed file, not an archive: no version applies.
  if (o.compression && o.format != ArchiveKind::Plain && (o.compression->algorithm == CompressionAlgorithm::Lz4 ||
                        o.compression->algorithm == CompressionAlgorithm::Zstd) &&
      !o.archiveVersion.atLeast(1, 15))
    return makeError(std::string("compression method ") + compressionName(o.compression->algorithm) +
                     " requires archive version 1.15 or later (pg_restore 16 or later), found " +
                     std::to_string(o.archiveVersion.major) + "." + std::to_string(o.archiveVersion.minor) + "; use --archive-version=1.15 or --target-pg-restore=16");
  // Beyond pg_dump: custom format dumps in parallel into one file too.
  if (o.jobs > 1 && o.format != ArchiveKind::Directory && o.format != ArchiveKind::Custom)
    return makeError("parallel backup only supported by the directory format");
  return {};
}

// GNU getopt_long matching: an exact name, else a unique prefix (aliases of one
// option count once). pgarc's own options are matched only when no pg_dump
// option has the prefix, so every abbreviation pg_dump 15 accepts means the same.
const LongOption* findLong(std::string_view name, Error& err) {
  const LongOption* match[2] = {nullptr, nullptr};  // [pg_dump's, pgarc's]
  int count[2] = {0, 0};
  for (const auto& lo : kLongOptions) {
    std::string_view n = lo.name;
    if (n == name) return &lo;
    if (n.substr(0, name.size()) != name) continue;
    const int side = lo.pgarcOnly ? 1 : 0;
    if (!match[side] || match[side]->id != lo.id) count[side]++;
    if (!match[side]) match[side] = &lo;
  }
  const int side = count[0] > 0 ? 0 : 1;
  if (count[side] == 1) return match[side];
  if (count[side] > 1)
    err = usageError("option '--" + std::string(name) + "' is ambiguous");
  else
    err = usageError("unrecognized option '--" + std::string(name) + "'");
  return nullptr;
}

}  // namespace

Result<ParsedCommandLine> parseDumpCommandLine(const std::vector<std::string>& args) {
  ParsedCommandLine p;
  // pg_dump answers --help / --version / -? / -V as the first argument before anything else.
  if (!args.empty()) {
    if (args[0] == "--help" || args[0] == "-?") {
      p.action = ParsedCommandLine::Action::Help;
      return p;
    }
    if (args[0] == "--version" || args[0] == "-V") {
      p.action = ParsedCommandLine::Action::Version;
      return p;
    }
  }
  std::vector<std::string> positional;
  bool onlyPositional = false;
  for (size_t i = 0; i < args.size(); i++) {
    const std::string& a = args[i];
    if (onlyPositional || a.size() < 2 || a[0] != '-') {
      positional.push_back(a);
      continue;
    }
    if (a == "--") {
      onlyPositional = true;
      continue;
    }
    if (a.compare(0, 2, "--") == 0) {
      std::string body = a.substr(2);
      std::optional<std::string> inlineValue;
      size_t eq = body.find('=');
      if (eq != std::string::npos) {
        inlineValue = body.substr(eq + 1);
        body = body.substr(0, eq);
      }
      Error err = makeError("");
      const LongOption* lo = findLong(body, err);
      if (!lo) return err;
      std::string value;
      if (lo->arg == Arg::Required) {
        if (inlineValue) {
          value = *inlineValue;
        } else if (i + 1 < args.size()) {
          value = args[++i];
        } else {
          return usageError("option '--" + std::string(lo->name) + "' requires an argument");
        }
      } else if (inlineValue) {
        return usageError("option '--" + std::string(lo->name) + "' doesn't allow an argument");
      }
      PGARC_TRY(applyOption(p, lo->id, value));
      continue;
    }
    for (size_t j = 1; j < a.size(); j++) {
      char c = a[j];
      size_t pos = kShortOptions.find(c);
      if (pos == std::string_view::npos || c == ':') return usageError(std::string("invalid option -- '") + c + "'");
      bool needsArg = pos + 1 < kShortOptions.size() && kShortOptions[pos + 1] == ':';
      if (!needsArg) {
        PGARC_TRY(applyOption(p, c, ""));
        continue;
      }
      std::string value;
      if (j + 1 < a.size()) {
        value = a.substr(j + 1);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return usageError(std::string("option requires an argument -- '") + c + "'");
      }
      PGARC_TRY(applyOption(p, c, value));
      break;
    }
  }
  if (p.action != ParsedCommandLine::Action::Dump) return p;
  if (!positional.empty()) {
    p.options.dbname = positional[0];
    if (positional.size() > 1)
      return usageError("too many command-line arguments (first is \"" + positional[1] + "\")");
  }
  PGARC_TRY(checkOptions(p.options));
  return p;
}

std::string dumpHelpText() {
  return R"(pgarc dump dumps a database as a text file or to other formats, as pg_dump 15 does.

Usage:
  pgarc dump [OPTION]... [DBNAME]

General options:
  -f, --file=FILENAME          output file or directory name
  -F, --format=c|d|t|p         output file format (custom, directory, tar,
                               plain text (default))
  -j, --jobs=NUM               use this many parallel jobs to dump
  -v, --verbose                verbose mode
  -V, --version                output version information, then exit
  -Z, --compress=0-9|METHOD[:DETAIL]
                               compress as given (none, gzip, lz4, zstd)
  --archive-version=1.14|1.15|1.16
                               archive version to write (default 1.14)
  --target-pg-restore=15|16|17|18
                               write the archive version this pg_restore reads
  --lock-wait-timeout=TIMEOUT  fail after waiting TIMEOUT for a table lock
  --no-sync                    do not wait for changes to be written safely to disk
  --manifest=FILE              write the pgarc manifest (checksums) to FILE
  --manifest-checksums=CRC32C|SHA256|NONE
                               the manifest's checksums (default CRC32C)
  --no-manifest                do not write the pgarc manifest
  -?, --help                   show this help, then exit

Options controlling the output content:
  -a, --data-only              dump only the data, not the schema
  -b, --blobs                  include large objects in dump
  -B, --no-blobs               exclude large objects in dump
  -c, --clean                  clean (drop) database objects before recreating
  -C, --create                 include commands to create database in dump
  -e, --extension=PATTERN      dump the specified extension(s) only
  -E, --encoding=ENCODING      dump the data in encoding ENCODING
  -n, --schema=PATTERN         dump the specified schema(s) only
  -N, --exclude-schema=PATTERN do NOT dump the specified schema(s)
  -O, --no-owner               skip restoration of object ownership in
                               plain-text format
  -s, --schema-only            dump only the schema, no data
  -S, --superuser=NAME         superuser user name to use in plain-text format
  -t, --table=PATTERN          dump the specified table(s) only
  -T, --exclude-table=PATTERN  do NOT dump the specified table(s)
  -x, --no-privileges          do not dump privileges (grant/revoke)
  --binary-upgrade             for use by upgrade utilities only
  --column-inserts             dump data as INSERT commands with column names
  --disable-dollar-quoting     disable dollar quoting, use SQL standard quoting
  --disable-triggers           disable triggers during data-only restore
  --enable-row-security        enable row security (dump only content user has
                               access to)
  --exclude-table-data=PATTERN do NOT dump data for the specified table(s)
  --extra-float-digits=NUM     override default setting for extra_float_digits
  --if-exists                  use IF EXISTS when dropping objects
  --include-foreign-data=PATTERN
                               include data of foreign tables on foreign
                               servers matching PATTERN
  --inserts                    dump data as INSERT commands, rather than COPY
  --load-via-partition-root    load partitions via the root table
  --no-comments                do not dump comments
  --no-publications            do not dump publications
  --no-security-labels         do not dump security label assignments
  --no-subscriptions           do not dump subscriptions
  --no-table-access-method     do not dump table access methods
  --no-tablespaces             do not dump tablespace assignments
  --no-toast-compression       do not dump TOAST compression methods
  --no-unlogged-table-data     do not dump unlogged table data
  --on-conflict-do-nothing     add ON CONFLICT DO NOTHING to INSERT commands
  --quote-all-identifiers      quote all identifiers, even if not key words
  --restrict-key=RESTRICT_KEY  use provided string as psql \restrict key
  --rows-per-insert=NROWS      number of rows per INSERT; implies --inserts
  --section=SECTION            dump named section (pre-data, data, or post-data)
  --serializable-deferrable    wait until the dump can run without anomalies
  --snapshot=SNAPSHOT          use given snapshot for the dump
  --strict-names               require table and/or schema include patterns to
                               match at least one entity each
  --use-set-session-authorization
                               use SET SESSION AUTHORIZATION commands instead of
                               ALTER OWNER commands to set ownership

Connection options:
  -d, --dbname=DBNAME      database to dump
  -h, --host=HOSTNAME      database server host or socket directory
  -p, --port=PORT          database server port number
  -U, --username=NAME      connect as specified database user
  -w, --no-password        never prompt for password
  -W, --password           force password prompt (should happen automatically)
  --role=ROLENAME          do SET ROLE before dump

If no database name is supplied, then the PGDATABASE environment
variable value is used.
)";
}

}  // namespace pgarc::dump
