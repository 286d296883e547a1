// `pgarc verify`: command-line options, output and exit status.
#include "verify/verify_command.hpp"

#include <cstdio>

#include "verify/manifest.hpp"
#include "verify/verifier.hpp"

namespace pgarc {
namespace {

constexpr const char* kHelp =
    "pgarc verify audits a pg_dump archive (custom, directory or tar) without a server.\n\n"
    "Usage:\n"
    "  pgarc verify [OPTION]... ARCHIVE\n\n"
    "Options:\n"
    "  --json                   print the report as JSON on stdout\n"
    "  --manifest=FILE          check against this manifest (default: found beside the archive,\n"
    "                           or manifest.json inside a directory archive)\n"
    "  --no-manifest            do not look for a manifest\n"
    "  --write-manifest[=FILE]  write a manifest for ARCHIVE (after checking it)\n"
    "  --manifest-checksums=ALGORITHM\n"
    "                           checksums of a written manifest: CRC32C (default), SHA256\n"
    "                           or NONE\n"
    "  --restore-check          restore with pg_restore into a scratch database and compare\n"
    "  -h, --host=HOST          server for --restore-check (default: a throwaway local server)\n"
    "  -p, --port=PORT          port for --restore-check\n"
    "  -U, --username=NAME      user for --restore-check\n"
    "  -d, --dbname=NAME        maintenance database for --restore-check (default: postgres)\n"
    "  --pg-bin=DIR             where pg_restore, psql, initdb and pg_ctl live\n"
    "  --no-checksums           --restore-check compares row counts only\n"
    "  -q, --quiet              print only the summary line\n"
    "  --no-progress            never draw a progress bar\n"
    "  --help                   show this help\n\n"
    "Exit status: 0 sound, 1 problems found, 2 could not check.\n";

struct Args {
  std::string archive;
  bool json = false;
  bool quiet = false;
  bool progress = true;
  std::optional<std::string> writeManifest;
  VerifyOptions verify;
  bool help = false;
};

Result<Args> parseArgs(const std::vector<std::string>& args) {
  Args a;
  RestoreCheckOptions rc;
  bool restoreCheck = false;
  bool checksums = true;
  for (size_t i = 0; i < args.size(); i++) {
    const std::string& arg = args[i];
    auto value = [&](const std::string& longName, const std::string& shortName) -> std::optional<std::string> {
      if (arg == longName || (!shortName.empty() && arg == shortName)) {
        if (i + 1 >= args.size()) return std::nullopt;
        return args[++i];
      }
      if (arg.rfind(longName + "=", 0) == 0) return arg.substr(longName.size() + 1);
      if (!shortName.empty() && arg.size() > 2 && arg.rfind(shortName, 0) == 0 && arg[1] != '-') return arg.substr(2);
      return std::nullopt;
    };
    auto isOpt = [&](const std::string& longName, const std::string& shortName) {
      return arg == longName || arg.rfind(longName + "=", 0) == 0 ||
             (!shortName.empty() && arg.rfind(shortName, 0) == 0 && arg[1] != '-');
    };
    if (arg == "--help" || arg == "-?") {
      a.help = true;
    } else if (arg == "--json") {
      a.json = true;
    } else if (arg == "-q" || arg == "--quiet") {
      a.quiet = true;
    } else if (arg == "--no-progress") {
      a.progress = false;
    } else if (arg == "--no-manifest") {
      a.verify.useManifest = false;
    } else if (arg == "--restore-check") {
      restoreCheck = true;
    } else if (arg == "--no-checksums") {
      checksums = false;
    } else if (arg == "--write-manifest") {
      a.writeManifest = std::string();
    } else if (arg.rfind("--write-manifest=", 0) == 0) {
      a.writeManifest = arg.substr(17);
    } else if (isOpt("--manifest-checksums", "")) {
      auto v = value("--manifest-checksums", "");
      if (!v) return makeError("option --manifest-checksums requires an algorithm");
      a.verify.checksum = parseChecksumAlgorithm(*v);
      if (!a.verify.checksum) return makeError("unrecognized manifest checksum algorithm: \"" + *v + "\"");
    } else if (isOpt("--manifest", "")) {
      auto v = value("--manifest", "");
      if (!v) return makeError("option --manifest requires a file name");
      a.verify.manifestPath = *v;
    } else if (isOpt("--host", "-h")) {
      auto v = value("--host", "-h");
      if (!v) return makeError("option -h requires a host name");
      rc.host = *v;
    } else if (isOpt("--port", "-p")) {
      auto v = value("--port", "-p");
      if (!v) return makeError("option -p requires a port");
      rc.port = *v;
    } else if (isOpt("--username", "-U")) {
      auto v = value("--username", "-U");
      if (!v) return makeError("option -U requires a user name");
      rc.user = *v;
    } else if (isOpt("--dbname", "-d")) {
      auto v = value("--dbname", "-d");
      if (!v) return makeError("option -d requires a database name");
      rc.maintenanceDb = *v;
    } else if (isOpt("--pg-bin", "")) {
      auto v = value("--pg-bin", "");
      if (!v) return makeError("option --pg-bin requires a directory");
      rc.pgBinDir = *v;
    } else if (arg.size() > 1 && arg[0] == '-' && arg != "-") {
      return makeError("unrecognized option \"" + arg + "\"");
    } else if (a.archive.empty()) {
      a.archive = arg;
    } else {
      return makeError("too many arguments: \"" + arg + "\" (only one archive can be verified at a time)");
    }
  }
  if (restoreCheck) {
    rc.compareChecksums = checksums;
    a.verify.restoreCheck = rc;
  }
  if (!a.help && a.archive.empty()) return makeError("no archive given; try \"pgarc verify --help\"");
  return a;
}

}  // namespace

Result<int> runVerify(const std::vector<std::string>& argv) {
  PGARC_ASSIGN(Args args, parseArgs(argv));
  if (args.help) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  args.verify.progress = args.progress && !args.json;
  if (args.writeManifest) args.verify.digests = true;
  PGARC_ASSIGN(Report report, verifyArchive(args.archive, args.verify));
  if (args.json) {
    std::fputs(reportJson(report).c_str(), stdout);
  } else {
    if (!args.quiet) {
      for (const auto& p : report.problems()) std::printf("%s\n", formatProblem(p).c_str());
      for (const auto& n : report.notes) std::printf("pgarc verify: %s: %s\n", report.archivePath.c_str(), n.c_str());
    }
    std::printf("%s\n", formatSummary(report).c_str());
  }
  if (args.writeManifest) {
    if (!report.clean()) {
      return Error{"not writing a manifest for an archive with problems", args.archive, {}, {}};
    }
    std::string where = !args.writeManifest->empty()
                            ? *args.writeManifest
                            : defaultManifestPath(args.archive, report.formatName == "directory");
    PGARC_TRY(writeManifestFile(manifestFromReport(report), where));
  }
  return report.clean() ? 0 : 1;
}

}  // namespace pgarc
