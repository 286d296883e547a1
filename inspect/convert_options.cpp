#include "inspect/convert_options.hpp"

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>

#include "inspect/command_line.hpp"
#include "inspect/inspect_options.hpp"

namespace pgarc {

namespace {

const std::string kCommand = "pgarc convert";

enum Opt { kFormat = 1, kVersion, kCompress, kFile, kRestrictKey, kVerbose };

const std::vector<OptionSpec>& convertSpecs() {
  static const std::vector<OptionSpec> specs = {
      {"format", 'F', true, kFormat},
      {"archive-version", 0, true, kVersion},
      {"compress", 'Z', true, kCompress},
      {"file", 'f', true, kFile},
      {"restrict-key", 0, true, kRestrictKey},
      {"verbose", 'v', false, kVerbose},
  };
  return specs;
}

std::optional<int> parseInt(const std::string& s) {
  if (s.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long v = std::strtol(s.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE || v < INT_MIN || v > INT_MAX) return std::nullopt;
  return static_cast<int>(v);
}

bool allDigits(const std::string& s) {
  if (s.empty()) return false;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

std::optional<bool> parseBool(const std::string& s) {
  if (s == "on" || s == "true" || s == "yes" || s == "1") return true;
  if (s == "off" || s == "false" || s == "no" || s == "0") return false;
  return std::nullopt;
}

Status checkLevel(const CompressionSpec& spec, const std::string& name) {
  int lo = 0, hi = 0;
  std::string dflt;
  switch (spec.algorithm) {
    case CompressionAlgorithm::None: return {};
    case CompressionAlgorithm::Gzip: lo = 1; hi = 9; dflt = "-1"; break;
    case CompressionAlgorithm::Lz4: lo = 1; hi = 12; dflt = "0"; break;
    case CompressionAlgorithm::Zstd: lo = -131072; hi = 22; dflt = "3"; break;
  }
  if (spec.level < lo || spec.level > hi)
    return makeError("invalid compression specification: compression algorithm \"" + name +
                     "\" expects a compression level between " + std::to_string(lo) + " and " + std::to_string(hi) +
                     " (default at " + dflt + ")");
  return {};
}

}  // namespace

Result<CompressionSpec> parseCompressionSpec(const std::string& text) {
  CompressionSpec spec;
  // pg_dump 15 syntax, still accepted by 16: a bare level, 0 = none.
  if (allDigits(text)) {
    auto v = parseInt(text);
    if (!v || *v < 0 || *v > 9) return makeError("-Z/--compress must be in range 0..9");
    if (*v == 0) return spec;
    spec.algorithm = CompressionAlgorithm::Gzip;
    spec.level = *v;
    return spec;
  }
  size_t colon = text.find(':');
  std::string method = text.substr(0, colon);
  std::optional<std::string> detail;
  if (colon != std::string::npos) detail = text.substr(colon + 1);
  if (method == "none") {
    spec.algorithm = CompressionAlgorithm::None;
  } else if (method == "gzip") {
    spec = {CompressionAlgorithm::Gzip, -1, false};
  } else if (method == "lz4") {
    spec = {CompressionAlgorithm::Lz4, 0, false};
  } else if (method == "zstd") {
    spec = {CompressionAlgorithm::Zstd, 3, false};
  } else {
    return makeError("invalid compression specification: unrecognized compression algorithm: \"" + method + "\"");
  }
  if (!detail) return spec;
  const std::string prefix = "invalid compression specification: ";
  if (detail->empty()) return makeError(prefix + "found empty string where a compression option was expected");
  if (allDigits(*detail)) {
    if (spec.algorithm == CompressionAlgorithm::None)
      return makeError(prefix + "compression algorithm \"none\" does not accept a compression level");
    auto v = parseInt(*detail);
    if (!v) return makeError(prefix + "value for compression option \"level\" must be an integer");
    spec.level = *v;
    PGARC_TRY(checkLevel(spec, method));
    return spec;
  }
  size_t pos = 0;
  while (pos <= detail->size()) {
    size_t comma = detail->find(',', pos);
    std::string item = detail->substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? detail->size() + 1 : comma + 1;
    if (item.empty()) return makeError(prefix + "found empty string where a compression option was expected");
    size_t eq = item.find('=');
    std::string keyword = item.substr(0, eq);
    std::optional<std::string> value;
    if (eq != std::string::npos) value = item.substr(eq + 1);
    if (keyword == "level") {
      auto v = value ? parseInt(*value) : std::nullopt;
      if (!v) return makeError(prefix + "value for compression option \"level\" must be an integer");
      if (spec.algorithm == CompressionAlgorithm::None)
        return makeError(prefix + "compression algorithm \"none\" does not accept a compression level");
      spec.level = *v;
      PGARC_TRY(checkLevel(spec, method));
    } else if (keyword == "long") {
      std::optional<bool> b = value ? parseBool(*value) : std::optional<bool>(true);
      if (!b) return makeError(prefix + "value for compression option \"long\" must be a Boolean value");
      if (spec.algorithm != CompressionAlgorithm::Zstd)
        return makeError(prefix + "compression algorithm \"" + method + "\" does not support long-distance mode");
      spec.longDistance = *b;
    } else if (keyword == "workers") {
      return makeError(prefix + "compression algorithm \"" + method +
                       "\" does not accept a worker count (pgarc does not use compression workers)");
    } else {
      return makeError(prefix + "unrecognized compression option: \"" + keyword + "\"");
    }
  }
  return spec;
}

Result<ArchiveVersion> parseArchiveVersion(const std::string& text) {
  if (text == "1.14") return ArchiveVersion{1, 14, 0};
  if (text == "1.15") return ArchiveVersion{1, 15, 0};
  if (text == "1.16") return ArchiveVersion{1, 16, 0};
  return makeError("invalid archive version \"" + text + "\": expected 1.14, 1.15 or 1.16");
}

Result<ConvertOptions> parseConvertOptions(const std::vector<std::string>& args) {
  ConvertOptions o;
  if (!args.empty() && (args[0] == "--help" || args[0] == "-?")) {
    o.help = true;
    return o;
  }
  PGARC_ASSIGN(ParsedCommandLine cl, parseCommandLine(args, convertSpecs(), kCommand));
  std::optional<std::string> formatName;
  bool haveOutput = false;
  for (const ParsedOption& p : cl.options) {
    switch (p.id) {
      case kFormat: formatName = p.value; break;
      case kVersion: { PGARC_ASSIGN(o.version, parseArchiveVersion(p.value)); break; }
      case kCompress: { PGARC_ASSIGN(o.compression, parseCompressionSpec(p.value)); break; }
      case kFile: o.output = p.value; haveOutput = true; break;
      case kRestrictKey: o.restrictKey = p.value; break;
      case kVerbose: o.verbose = true; break;
      default: break;
    }
  }
  if (!cl.operands.empty()) o.input = cl.operands[0];
  if (cl.operands.size() > 1)
    return usageError("too many command-line arguments (first is \"" + cl.operands[1] + "\")", kCommand);
  if (!formatName) return usageError("no target format given: use -F c, d, t or p", kCommand);
  std::optional<ArchiveKind> kind = archiveKindFromLetter(*formatName, true);
  if (!kind)
    return makeError("invalid output format \"" + *formatName + "\"; please specify \"c\", \"d\", \"t\" or \"p\"");
  o.target = *kind;
  if (!haveOutput || o.output.empty()) return usageError("no output given: use -f FILE (or -f - for stdout)", kCommand);
  if (o.target == ArchiveKind::Directory && o.output == "-")
    return makeError("directory format needs a directory name, not standard output");
  if (o.restrictKey && o.target != ArchiveKind::Plain)
    return makeError("option --restrict-key applies only to -F p (plain script) output");
  if (o.restrictKey && !validRestrictKey(*o.restrictKey)) return makeError("invalid restrict key");
  if (o.target == ArchiveKind::Tar && o.compression && o.compression->algorithm != CompressionAlgorithm::None)
    return makeError("compression is not supported by tar archive format");
  if (o.target == ArchiveKind::Plain && o.compression && o.compression->algorithm != CompressionAlgorithm::None)
    return makeError("pgarc convert writes plain scripts uncompressed; drop -Z for -F p");
  if (o.target == ArchiveKind::Plain && o.version) return makeError("--archive-version does not apply to -F p");
  if (o.version && o.compression && !o.version->atLeast(1, 15) &&
      (o.compression->algorithm == CompressionAlgorithm::Lz4 || o.compression->algorithm == CompressionAlgorithm::Zstd))
    return makeError(std::string("compression method ") + compressionName(o.compression->algorithm) +
                     " needs archive version 1.15 or later (pg_restore 16+); archive version 1.14 allows only gzip "
                     "or none");
  return o;
}

const char* convertUsage() {
  return "pgarc convert rewrites an archive made by pg_dump in another format, archive version or compression.\n"
         "\n"
         "Usage:\n"
         "  pgarc convert -F c|d|t|p -f OUTPUT [OPTION]... [ARCHIVE]\n"
         "\n"
         "Options:\n"
         "  -F, --format=c|d|t|p         target format: custom, directory, tar, or plain SQL script\n"
         "  -f, --file=OUTPUT            output file or directory (- for stdout, not for directory)\n"
         "  --archive-version=1.14|1.15|1.16\n"
         "                               archive version to write (default: the input's when the target\n"
         "                               compression allows it; 1.15 when lz4/zstd need it; 1.14 for older inputs)\n"
         "  -Z, --compress=SPEC          0-9 (pg_dump 15), or none, gzip[:N], lz4[:N], zstd[:N|level=N,long]\n"
         "                               (default: keep the input's compression; tar is always uncompressed)\n"
         "  --restrict-key=KEY           psql \\restrict key for -F p\n"
         "  -v, --verbose                report what is converted\n"
         "  -?, --help                   show this help, then exit\n"
         "\n"
         "Converting between 1.16 and older versions regroups large objects: 1.16 uses BLOB METADATA\n"
         "entries and one BLOBS entry per group (pg_dump 17); 1.14/1.15 use one BLOB entry per large object\n"
         "and a single BLOBS entry. If no input file name is supplied, standard input is used.\n";
}

}  // namespace pgarc
