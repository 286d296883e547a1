#include "format/blob_index.hpp"

namespace pgarc {

Status validateMemberName(std::string_view name) {
  if (name.empty()) return makeError("empty file name in archive");
  if (name.find('/') != std::string_view::npos || name.find("..") != std::string_view::npos ||
      name.find('\0') != std::string_view::npos) {
    return makeError("invalid file name in archive: \"" + std::string(name) +
                     "\" (expected a plain file name without \"/\" or \"..\")");
  }
  return {};
}

std::string dataFileName(int dumpId) { return std::to_string(dumpId) + ".dat"; }

std::string blobFileName(uint32_t oid) { return "blob_" + std::to_string(oid) + ".dat"; }

std::string blobIndexName(const ArchiveVersion& version, int dumpId) {
  if (version.atLeast(1, 16)) return "blobs_" + std::to_string(dumpId) + ".toc";
  return "blobs.toc";
}

namespace {
// Strict unsigned decimal that fits an OID; no sign, no leading garbage.
std::optional<uint32_t> parseOid(std::string_view s) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(v);
}
}  // namespace

std::optional<uint32_t> blobOidFromName(std::string_view name) {
  constexpr std::string_view prefix = "blob_", suffix = ".dat";
  if (name.size() <= prefix.size() + suffix.size() || name.substr(0, prefix.size()) != prefix ||
      name.substr(name.size() - suffix.size()) != suffix) {
    return std::nullopt;
  }
  auto oid = parseOid(name.substr(prefix.size(), name.size() - prefix.size() - suffix.size()));
  if (!oid || *oid == 0) return std::nullopt;
  return oid;
}

std::string blobIndexLine(uint32_t oid) { return std::to_string(oid) + " " + blobFileName(oid) + "\n"; }

Result<std::vector<BlobIndexLine>> parseBlobIndex(std::string_view text, const std::string& file) {
  std::vector<BlobIndexLine> lines;
  size_t pos = 0;
  int lineNo = 0;
  while (pos < text.size()) {
    lineNo++;
    size_t end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    uint64_t lineStart = pos;
    pos = end == std::string_view::npos ? text.size() : end + 1;
    auto bad = [&](const std::string& why) {
      std::string shown(line.substr(0, 80));
      return Error{"invalid line " + std::to_string(lineNo) + " in large object TOC file: " + why + ", found \"" +
                       shown + "\"",
                   file, lineStart, {}};
    };
    size_t space = line.find(' ');
    if (space == std::string_view::npos) return bad("expected \"<oid> <file name>\"");
    auto oid = parseOid(line.substr(0, space));
    if (!oid || *oid == 0) return bad("expected a non-zero decimal OID");
    std::string_view name = line.substr(space + 1);
    if (name.find_first_of(" \t\r") != std::string_view::npos) return bad("expected one file name after the OID");
    if (auto st = validateMemberName(name); !st.ok()) return bad(st.error().message);
    lines.push_back(BlobIndexLine{*oid, std::string(name)});
  }
  return lines;
}

}  // namespace pgarc
