#include "inspect/inspect_options.hpp"

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>

#include "inspect/command_line.hpp"

namespace pgarc {

namespace {

const std::string kCommand = "pgarc inspect";

enum Opt {
  kDataOnly = 1, kClean, kCreate, kDbname, kExitOnError, kFile, kFormat, kHost, kIndex, kJobs, kList, kUseList,
  kSchema, kExcludeSchema, kNoOwner, kPort, kFunction, kNoReconnect, kSchemaOnly, kSuperuser, kTable, kTrigger,
  kUsername, kVerbose, kNoPassword, kPassword, kNoPrivileges, kSingleTransaction, kDisableTriggers,
  kEnableRowSecurity, kIfExists, kNoComments, kNoDataForFailedTables, kNoPublications, kNoSecurityLabels,
  kNoSubscriptions, kNoTableAccessMethod, kNoTablespaces, kRole, kSection, kStrictNames,
  kUseSetSessionAuthorization, kRestrictKey, kJson, kEntry, kData,
};

// pg_restore 15's table, in its order (prefix ambiguity follows from it),
// then pgarc's additions.
const std::vector<OptionSpec>& inspectSpecs() {
  static const std::vector<OptionSpec> specs = {
      {"clean", 'c', false, kClean},
      {"create", 'C', false, kCreate},
      {"data-only", 'a', false, kDataOnly},
      {"dbname", 'd', true, kDbname},
      {"exit-on-error", 'e', false, kExitOnError},
      {"exclude-schema", 'N', true, kExcludeSchema},
      {"file", 'f', true, kFile},
      {"format", 'F', true, kFormat},
      {"function", 'P', true, kFunction},
      {"host", 'h', true, kHost},
      {"index", 'I', true, kIndex},
      {"jobs", 'j', true, kJobs},
      {"list", 'l', false, kList},
      {"no-privileges", 'x', false, kNoPrivileges},
      {"no-acl", 0, false, kNoPrivileges},
      {"no-owner", 'O', false, kNoOwner},
      {"no-reconnect", 'R', false, kNoReconnect},
      {"port", 'p', true, kPort},
      {"no-password", 'w', false, kNoPassword},
      {"password", 'W', false, kPassword},
      {"schema", 'n', true, kSchema},
      {"schema-only", 's', false, kSchemaOnly},
      {"superuser", 'S', true, kSuperuser},
      {"table", 't', true, kTable},
      {"trigger", 'T', true, kTrigger},
      {"use-list", 'L', true, kUseList},
      {"username", 'U', true, kUsername},
      {"verbose", 'v', false, kVerbose},
      {"single-transaction", '1', false, kSingleTransaction},
      {"if-exists", 0, false, kIfExists},
      {"disable-triggers", 0, false, kDisableTriggers},
      {"enable-row-security", 0, false, kEnableRowSecurity},
      {"no-data-for-failed-tables", 0, false, kNoDataForFailedTables},
      {"no-table-access-method", 0, false, kNoTableAccessMethod},
      {"no-tablespaces", 0, false, kNoTablespaces},
      {"role", 0, true, kRole},
      {"section", 0, true, kSection},
      {"strict-names", 0, false, kStrictNames},
      {"use-set-session-authorization", 0, false, kUseSetSessionAuthorization},
      {"no-comments", 0, false, kNoComments},
      {"no-publications", 0, false, kNoPublications},
      {"no-security-labels", 0, false, kNoSecurityLabels},
      {"no-subscriptions", 0, false, kNoSubscriptions},
      {"restrict-key", 0, true, kRestrictKey},
      {"json", 0, false, kJson},
      {"entry", 0, true, kEntry},
      {"data", 0, true, kData},
  };
  return specs;
}

// pg_restore's option_parse_int: strtol, trailing blanks allowed.
Result<int> parseJobs(const std::string& text) {
  errno = 0;
  char* end = nullptr;
  long v = std::strtol(text.c_str(), &end, 10);
  while (*end != '\0' && std::isspace(static_cast<unsigned char>(*end))) ++end;
  if (*end != '\0') return makeError("invalid value \"" + text + "\" for option -j/--jobs");
  if (errno == ERANGE || v < 1 || v > INT_MAX) return makeError("-j/--jobs must be in range 1.." + std::to_string(INT_MAX));
  return static_cast<int>(v);
}

Result<int> parseDumpId(const std::string& text, const std::string& option) {
  char* end = nullptr;
  errno = 0;
  long v = text.empty() || !std::isdigit(static_cast<unsigned char>(text[0])) ? -1 : std::strtol(text.c_str(), &end, 10);
  if (v <= 0 || errno == ERANGE || v > INT_MAX || (end && *end != '\0'))
    return makeError("invalid value \"" + text + "\" for option " + option + ": expected a dump ID (a positive integer)");
  return static_cast<int>(v);
}

Status addSection(const std::string& name, int& sections) {
  if (name == "pre-data") sections |= 1;
  else if (name == "data") sections |= 2;
  else if (name == "post-data") sections |= 4;
  else return usageError("unrecognized section name: \"" + name + "\"", kCommand);
  return {};
}

}  // namespace

std::optional<ArchiveKind> archiveKindFromLetter(const std::string& name, bool allowPlain) {
  if (name.empty()) return std::nullopt;
  switch (name[0]) {
    case 'c': case 'C': return ArchiveKind::Custom;
    case 'd': case 'D': return ArchiveKind::Directory;
    case 't': case 'T': return ArchiveKind::Tar;
    case 'p': case 'P': if (allowPlain) return ArchiveKind::Plain; return std::nullopt;
    default: return std::nullopt;
  }
}

bool validRestrictKey(const std::string& key) {
  if (key.empty()) return false;
  for (unsigned char c : key)
    if (!std::isalnum(c) || c > 0x7f) return false;
  return true;
}

Result<InspectOptions> parseInspectOptions(const std::vector<std::string>& args) {
  InspectOptions o;
  if (!args.empty() && (args[0] == "--help" || args[0] == "-?")) {
    o.action = InspectAction::Help;
    return o;
  }
  if (!args.empty() && (args[0] == "--version" || args[0] == "-V")) {
    o.action = InspectAction::Version;
    return o;
  }
  PGARC_ASSIGN(ParsedCommandLine cl, parseCommandLine(args, inspectSpecs(), kCommand));

  RestoreOptions& r = o.restore;
  r.mode = ScriptMode::Restore;
  bool list = false, ifExists = false;
  std::optional<std::string> dbname, formatName;
  for (const ParsedOption& p : cl.options) {
    const std::string& v = p.value;
    switch (p.id) {
      case kDataOnly: r.dataOnly = true; break;
      case kClean: r.clean = true; break;
      case kCreate: r.create = true; break;
      case kDbname: dbname = v; break;
      case kExitOnError: r.exitOnError = true; break;
      case kFile: o.outputFile = v; break;
      case kFormat: if (!v.empty()) formatName = v; break;
      case kHost: case kPort: case kUsername: case kNoPassword: case kPassword: case kNoReconnect:
        break;  // connection settings: meaningless offline, accepted as pg_restore -l accepts them
      case kIndex: r.indexNames.push_back(v); break;
      case kJobs: { PGARC_ASSIGN(o.jobs, parseJobs(v)); break; }
      case kList: list = true; break;
      case kUseList: o.listFilePath = v; break;
      case kSchema: r.schemaNames.push_back(v); break;
      case kExcludeSchema: r.excludeSchemaNames.push_back(v); break;
      case kNoOwner: r.noOwner = true; break;
      case kFunction: r.functionNames.push_back(v); break;
      case kSchemaOnly: r.schemaOnly = true; break;
      case kSuperuser: if (!v.empty()) r.superuser = v; break;
      case kTable: r.tableNames.push_back(v); break;
      case kTrigger: r.triggerNames.push_back(v); break;
      case kVerbose: r.verbose = true; break;
      case kNoPrivileges: r.noPrivileges = true; break;
      case kSingleTransaction: r.singleTransaction = true; r.exitOnError = true; break;
      case kDisableTriggers: r.disableTriggers = true; break;
      case kEnableRowSecurity: r.enableRowSecurity = true; break;
      case kIfExists: ifExists = true; break;
      case kNoComments: r.noComments = true; break;
      case kNoDataForFailedTables: break;  // only matters when restoring into a database
      case kNoPublications: r.noPublications = true; break;
      case kNoSecurityLabels: r.noSecurityLabels = true; break;
      case kNoSubscriptions: r.noSubscriptions = true; break;
      case kNoTableAccessMethod: r.noTableAccessMethod = true; break;
      case kNoTablespaces: r.noTablespaces = true; break;
      case kRole: r.role = v; break;
      case kSection: PGARC_TRY(addSection(v, r.sections)); break;
      case kStrictNames: r.strictNames = true; break;
      case kUseSetSessionAuthorization: r.useSetSessionAuthorization = true; break;
      case kRestrictKey: r.restrictKey = v; break;
      case kJson: o.json = true; break;
      case kEntry: { PGARC_ASSIGN(int id, parseDumpId(v, "--entry")); o.entries.push_back(id); break; }
      case kData: {
        if (o.dataEntry) return makeError("option --data may be given only once");
        PGARC_ASSIGN(int id, parseDumpId(v, "--data"));
        o.dataEntry = id;
        break;
      }
      default: break;
    }
  }

  if (!cl.operands.empty()) o.archive = cl.operands[0];
  if (cl.operands.size() > 1)
    return usageError("too many command-line arguments (first is \"" + cl.operands[1] + "\")", kCommand);

  if (o.dataEntry) o.action = InspectAction::Data;
  else if (!o.entries.empty()) o.action = InspectAction::Entries;
  else if (o.json) o.action = InspectAction::Json;
  else if (list) o.action = InspectAction::List;
  else o.action = InspectAction::Script;

  // pg_restore's checks, in pg_restore's order.
  if (o.action == InspectAction::Script && !dbname && !o.outputFile)
    return makeError("one of -d/--dbname and -f/--file must be specified");
  if (dbname && o.outputFile)
    return usageError("options -d/--dbname and -f/--file cannot be used together", kCommand);
  if (dbname && r.restrictKey) return makeError("options -d/--dbname and --restrict-key cannot be used together");
  if (r.restrictKey && !validRestrictKey(*r.restrictKey)) return makeError("invalid restrict key");
  if (r.dataOnly && r.schemaOnly)
    return makeError("options -s/--schema-only and -a/--data-only cannot be used together");
  if (r.dataOnly && r.clean) return makeError("options -c/--clean and -a/--data-only cannot be used together");
  if (r.create && r.singleTransaction)
    return makeError("options -C/--create and -1/--single-transaction cannot be used together");
  if (r.singleTransaction && o.jobs > 1) return makeError("cannot specify both --single-transaction and multiple jobs");
  if (ifExists && !r.clean) return makeError("option --if-exists requires option -c/--clean");
  r.ifExists = ifExists;
  if (formatName) {
    o.format = archiveKindFromLetter(*formatName, false);
    if (!o.format)
      return makeError("unrecognized archive format \"" + *formatName + "\"; please specify \"c\", \"d\", or \"t\"");
  }

  // pgarc's own options.
  if (o.dataEntry && (list || o.json || !o.entries.empty()))
    return makeError("option --data cannot be used together with -l/--list, --json or --entry");
  if (!o.entries.empty() && list) return makeError("options --entry and -l/--list cannot be used together");

  if (dbname) {
    if (o.action == InspectAction::Script)
      return makeError("pgarc inspect works offline and cannot restore into a database (-d/--dbname \"" + *dbname +
                       "\"); use pg_restore -d to restore, or \"pgarc verify --restore-check\" to test that the "
                       "archive restores, or -f FILE to write the SQL script");
    r.dbname = dbname;  // pg_restore -l -d only lists
  }
  return o;
}

const char* inspectUsage() {
  return "pgarc inspect lists an archive made by pg_dump, or prints the SQL script pg_restore would run.\n"
         "It accepts pg_restore's options that need no database.\n"
         "\n"
         "Usage:\n"
         "  pgarc inspect [OPTION]... [FILE]\n"
         "\n"
         "General options:\n"
         "  -f, --file=FILENAME      output file name (- for stdout)\n"
         "  -F, --format=c|d|t       archive format (checked against the detected format)\n"
         "  -l, --list               print summarized TOC of the archive\n"
         "  -v, --verbose            verbose mode\n"
         "  -V, --version            output version information, then exit\n"
         "  -?, --help               show this help, then exit\n"
         "\n"
         "Options controlling the script:\n"
         "  -a, --data-only              only the data, no schema\n"
         "  -c, --clean                  drop database objects before recreating them\n"
         "  -C, --create                 include the commands creating the database\n"
         "  -e, --exit-on-error          accepted (no effect on a script)\n"
         "  -I, --index=NAME             only the named index\n"
         "  -j, --jobs=NUM               accepted (no effect on a script)\n"
         "  -L, --use-list=FILENAME      select and order entries from this listing\n"
         "  -n, --schema=NAME            only objects in this schema\n"
         "  -N, --exclude-schema=NAME    not objects in this schema\n"
         "  -O, --no-owner               skip object ownership\n"
         "  -P, --function=NAME(args)    only the named function\n"
         "  -s, --schema-only            only the schema, no data\n"
         "  -S, --superuser=NAME         superuser name for disabling triggers\n"
         "  -t, --table=NAME             only the named relation\n"
         "  -T, --trigger=NAME           only the named trigger\n"
         "  -x, --no-privileges          skip access privileges (grant/revoke)\n"
         "  -1, --single-transaction     wrap the script in one transaction\n"
         "  --disable-triggers           disable triggers during data-only restore\n"
         "  --enable-row-security        enable row security\n"
         "  --if-exists                  use IF EXISTS when dropping objects\n"
         "  --no-comments                skip comments\n"
         "  --no-data-for-failed-tables  accepted (no effect on a script)\n"
         "  --no-publications            skip publications\n"
         "  --no-security-labels         skip security labels\n"
         "  --no-subscriptions           skip subscriptions\n"
         "  --no-table-access-method     skip table access methods\n"
         "  --no-tablespaces             skip tablespace assignments\n"
         "  --restrict-key=RESTRICT_KEY  use this psql \\restrict key\n"
         "  --role=ROLENAME              SET ROLE at the start of the script\n"
         "  --section=SECTION            only this section (pre-data, data, or post-data)\n"
         "  --strict-names               require -n/-t patterns to match something\n"
         "  --use-set-session-authorization\n"
         "                               SET SESSION AUTHORIZATION instead of ALTER OWNER\n"
         "\n"
         "pgarc additions:\n"
         "  --json                   print the header and every TOC entry as JSON\n"
         "  --entry=DUMPID           print one entry in full (repeatable; JSON with --json)\n"
         "  --data=DUMPID            write one entry's decompressed data\n"
         "\n"
         "-d/--dbname is refused without -l: to restore into a database use pg_restore,\n"
         "or \"pgarc verify --restore-check\" to test a restore. Connection options\n"
         "(-h, -p, -U, -w, -W) are accepted and ignored.\n"
         "\n"
         "If no input file name is supplied, then standard input is used.\n";
}

}  // namespace pgarc
