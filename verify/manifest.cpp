#include "verify/manifest.hpp"

#include <filesystem>
#include <map>

#include "format/io.hpp"
#include "verify/json.hpp"
#include "verify/walk_support.hpp"

namespace pgarc {
namespace {

constexpr uint64_t kMaxManifestSize = 1ull << 30;

std::string baseName(const std::string& path) {
  auto p = std::filesystem::path(path).filename().string();
  return p.empty() ? path : p;
}

bool validHex(const std::string& s, size_t length) {
  if (s.size() != length) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<std::string> requireString(const json::Value& obj, const char* key, const std::string& where) {
  const json::Value* v = obj.find(key);
  if (!v || !v->isString()) return makeError("manifest " + where + ": expected string \"" + key + "\"");
  return v->string;
}

Result<uint64_t> requireUint(const json::Value& obj, const char* key, const std::string& where) {
  const json::Value* v = obj.find(key);
  if (!v || !v->asUint()) return makeError("manifest " + where + ": expected unsigned integer \"" + key + "\"");
  return *v->asUint();
}

// The keys a manifest version uses for checksums.
struct ChecksumKeys {
  const char* checksum;
  const char* rowsChecksum;
};

// The checksum under `key`; none to read when the manifest has no checksums.
Result<std::string> requireChecksum(const json::Value& obj, const char* key, ChecksumAlgorithm algorithm,
                                    const std::string& where) {
  if (algorithm == ChecksumAlgorithm::None) return std::string();
  PGARC_ASSIGN(std::string h, requireString(obj, key, where));
  if (!validHex(h, checksumHexLength(algorithm))) {
    return makeError("manifest " + where + ": \"" + key + "\" is not a lowercase hex " +
                     checksumAlgorithmName(algorithm));
  }
  return h;
}

// ", \"checksum\": \"...\"" when the manifest has checksums.
std::string checksumJson(const Manifest& m, const char* key, const std::string& value) {
  if (m.checksum == ChecksumAlgorithm::None) return {};
  return std::string(", \"") + key + "\": " + json::quote(value);
}

}  // namespace

std::string defaultManifestPath(const std::string& archivePath, bool isDirectory) {
  if (isDirectory) return (std::filesystem::path(archivePath) / kDirectoryManifestName).string();
  return archivePath + ".manifest.json";
}

std::vector<ManifestEntry> manifestEntries(const ArchiveToc& toc, const std::map<int, EntryOutcome>& outcomes) {
  std::vector<ManifestEntry> out;
  for (const auto& e : toc.entries) {
    auto it = outcomes.find(e.dumpId);
    if (it == outcomes.end() || e.desc == "BLOBS") continue;
    ManifestEntry me;
    me.dumpId = e.dumpId;
    me.desc = e.descStr();
    me.namespace_ = e.namespace_;
    me.tag = e.tagStr();
    me.bytes = it->second.payloadBytes;
    me.checksum = it->second.checksum;
    if (it->second.rowsKnown) {
      me.rows = it->second.rows;
      me.rowsChecksum = it->second.rowsChecksum;
    }
    out.push_back(std::move(me));
  }
  return out;
}

Manifest manifestFromReport(const Report& report) {
  Manifest m;
  m.format = report.formatName;
  m.checksum = report.checksumAlgorithm;
  for (const auto& f : report.files) {
    m.files.push_back(ManifestFile{report.formatName == "directory" ? f.path : baseName(f.path), f.size, f.checksum});
  }
  if (report.toc) m.entries = manifestEntries(*report.toc, report.entries);
  for (const auto& [oid, b] : report.blobs) m.largeObjects.push_back(ManifestBlob{oid, b.bytes, b.checksum});
  return m;
}

namespace {

// The manifest's JSON up to the files' list, which the callers append.
std::string manifestJsonStart(const Manifest& m) {
  using json::quote;
  std::string s = "{\n  \"pgarc_manifest\": " + std::to_string(m.version) + ",\n";
  s += "  \"format\": " + quote(m.format) + ",\n";
  s += "  \"checksum_algorithm\": " + quote(checksumAlgorithmName(m.checksum)) + ",\n";
  s += "  \"files\": [";
  return s;
}

void appendFileJson(std::string& s, const Manifest& m, const ManifestFile& f, bool first) {
  using json::quote;
  s += first ? "\n    " : ",\n    ";
  s += "{\"path\": " + quote(f.path) + ", \"size\": " + std::to_string(f.size) + checksumJson(m, "checksum", f.checksum) + "}";
}

// From the end of the files' list to the start of the large objects' list.
std::string manifestJsonMiddle(const Manifest& m, bool anyFile) {
  using json::quote;
  std::string s = anyFile ? "\n  ],\n" : "],\n";
  s += "  \"entries\": [";
  for (size_t i = 0; i < m.entries.size(); i++) {
    const auto& e = m.entries[i];
    s += (i ? ",\n    " : "\n    ");
    s += "{\"dump_id\": " + std::to_string(e.dumpId) + ", \"desc\": " + quote(e.desc) + ", \"namespace\": " +
         (e.namespace_ ? quote(*e.namespace_) : std::string("null")) + ", \"tag\": " + quote(e.tag) +
         ", \"bytes\": " + std::to_string(e.bytes) + checksumJson(m, "checksum", e.checksum);
    if (e.rows) {
      s += ", \"rows\": " + std::to_string(*e.rows);
      if (!e.rowsChecksum.empty()) s += checksumJson(m, "rows_checksum", e.rowsChecksum);
    }
    s += "}";
  }
  s += m.entries.empty() ? "],\n" : "\n  ],\n";
  s += "  \"large_objects\": [";
  return s;
}

void appendBlobJson(std::string& s, const Manifest& m, const ManifestBlob& b, bool first) {
  s += first ? "\n    " : ",\n    ";
  s += "{\"oid\": " + std::to_string(b.oid) + ", \"bytes\": " + std::to_string(b.bytes) +
       checksumJson(m, "checksum", b.checksum) + "}";
}

const char* manifestJsonTail(bool anyBlob) { return anyBlob ? "\n  ]\n}\n" : "]\n}\n"; }

}  // namespace

std::string manifestToJson(const Manifest& m) {
  std::string s = manifestJsonStart(m);
  for (size_t i = 0; i < m.files.size(); i++) appendFileJson(s, m, m.files[i], i == 0);
  s += manifestJsonMiddle(m, !m.files.empty());
  for (size_t i = 0; i < m.largeObjects.size(); i++) appendBlobJson(s, m, m.largeObjects[i], i == 0);
  s += manifestJsonTail(!m.largeObjects.empty());
  return s;
}

Result<Manifest> parseManifest(std::string_view text) {
  PGARC_ASSIGN(json::Value root, json::parse(text));
  if (root.type != json::Value::Type::Object) return makeError("manifest: expected a JSON object");
  const json::Value* version = root.find("pgarc_manifest");
  if (!version || !version->asUint()) return makeError("manifest: missing \"pgarc_manifest\" version");
  if (*version->asUint() != 1 && *version->asUint() != 2) {
    return makeError("manifest: unsupported version " + std::to_string(*version->asUint()) + " (expected 1 or 2)");
  }
  Manifest m;
  m.version = static_cast<int>(*version->asUint());
  PGARC_ASSIGN(m.format, requireString(root, "format", "root"));
  ChecksumKeys keys{"sha256", "rows_sha256"};
  if (m.version == 1) {
    m.checksum = ChecksumAlgorithm::Sha256;
  } else {
    keys = {"checksum", "rows_checksum"};
    PGARC_ASSIGN(std::string name, requireString(root, "checksum_algorithm", "root"));
    auto algorithm = parseChecksumAlgorithm(name);
    if (!algorithm) return makeError("manifest: unknown checksum_algorithm \"" + name + "\"");
    m.checksum = *algorithm;
  }
  auto arrayOf = [&](const char* key) -> const std::vector<json::Value>* {
    const json::Value* v = root.find(key);
    if (!v || v->type != json::Value::Type::Array) return nullptr;
    return &v->array;
  };
  const auto* files = arrayOf("files");
  const auto* entries = arrayOf("entries");
  const auto* blobs = arrayOf("large_objects");
  if (!files || !entries || !blobs) return makeError("manifest: expected arrays \"files\", \"entries\", \"large_objects\"");
  for (size_t i = 0; i < files->size(); i++) {
    const auto& f = (*files)[i];
    std::string where = "file " + std::to_string(i + 1);
    ManifestFile mf;
    PGARC_ASSIGN(mf.path, requireString(f, "path", where));
    PGARC_ASSIGN(mf.size, requireUint(f, "size", where));
    PGARC_ASSIGN(mf.checksum, requireChecksum(f, keys.checksum, m.checksum, where));
    m.files.push_back(std::move(mf));
  }
  for (size_t i = 0; i < entries->size(); i++) {
    const auto& e = (*entries)[i];
    std::string where = "entry " + std::to_string(i + 1);
    ManifestEntry me;
    PGARC_ASSIGN(uint64_t id, requireUint(e, "dump_id", where));
    if (id == 0 || id > INT32_MAX) return makeError("manifest " + where + ": dump_id out of range");
    me.dumpId = static_cast<int>(id);
    PGARC_ASSIGN(me.desc, requireString(e, "desc", where));
    PGARC_ASSIGN(me.tag, requireString(e, "tag", where));
    if (const json::Value* ns = e.find("namespace"); ns && ns->isString()) me.namespace_ = ns->string;
    PGARC_ASSIGN(me.bytes, requireUint(e, "bytes", where));
    PGARC_ASSIGN(me.checksum, requireChecksum(e, keys.checksum, m.checksum, where));
    if (e.find("rows")) {
      PGARC_ASSIGN(uint64_t rows, requireUint(e, "rows", where));
      me.rows = rows;
      if (e.find(keys.rowsChecksum)) {
        PGARC_ASSIGN(me.rowsChecksum, requireChecksum(e, keys.rowsChecksum, m.checksum, where));
      }
    }
    m.entries.push_back(std::move(me));
  }
  for (size_t i = 0; i < blobs->size(); i++) {
    const auto& b = (*blobs)[i];
    std::string where = "large object " + std::to_string(i + 1);
    ManifestBlob mb;
    PGARC_ASSIGN(uint64_t oid, requireUint(b, "oid", where));
    if (oid == 0 || oid > UINT32_MAX) return makeError("manifest " + where + ": oid out of range");
    mb.oid = static_cast<uint32_t>(oid);
    PGARC_ASSIGN(mb.bytes, requireUint(b, "bytes", where));
    PGARC_ASSIGN(mb.checksum, requireChecksum(b, keys.checksum, m.checksum, where));
    m.largeObjects.push_back(std::move(mb));
  }
  return m;
}

Result<Manifest> readManifestFile(const std::string& path) {
  PGARC_ASSIGN(auto in, openInputFile(path));
  if (auto sz = in->size(); sz && *sz > kMaxManifestSize) {
    return Error{"manifest larger than " + std::to_string(kMaxManifestSize) + " bytes", path, {}, {}};
  }
  std::string text;
  char buf[65536];
  for (;;) {
    PGARC_ASSIGN(size_t got, in->read(buf, sizeof buf));
    if (got == 0) break;
    text.append(buf, got);
    if (text.size() > kMaxManifestSize) return Error{"manifest too large", path, {}, {}};
  }
  auto m = parseManifest(text);
  if (!m.ok()) return std::move(m).error().withFile(path);
  return m;
}

Status writeManifestFile(const Manifest& m, const std::string& path, SyncMode sync) {
  return writeManifestFile(
      m, path, sync, [](const ManifestFileVisitor&) -> Status { return {}; },
      [](const ManifestBlobVisitor&) -> Status { return {}; });
}

Status writeManifestFile(const Manifest& m, const std::string& path, SyncMode sync, const ManifestFileSource& moreFiles,
                         const ManifestBlobSource& more) {
  constexpr size_t kPiece = 1 << 16;
  PGARC_ASSIGN(auto out, createOutputFile(path, sync));
  std::string s = manifestJsonStart(m);
  auto written = [&]() -> Status {
    if (s.size() < kPiece) return {};
    PGARC_TRY(out->write(s));
    s.clear();
    return {};
  };
  size_t files = 0;
  auto addFile = [&](const ManifestFile& f) -> Status {
    appendFileJson(s, m, f, files++ == 0);
    return written();
  };
  for (const auto& f : m.files) PGARC_TRY(addFile(f));
  PGARC_TRY(moreFiles(addFile));
  s += manifestJsonMiddle(m, files > 0);
  PGARC_TRY(written());
  size_t count = 0;
  auto add = [&](const ManifestBlob& b) -> Status {
    appendBlobJson(s, m, b, count++ == 0);
    return written();
  };
  for (const auto& b : m.largeObjects) PGARC_TRY(add(b));
  PGARC_TRY(more(add));
  s += manifestJsonTail(count > 0);
  PGARC_TRY(out->write(s));
  return out->commit();
}

void checkAgainstManifest(const Manifest& m, const std::string& manifestPath, Report& report) {
  const std::string& file = report.archivePath;
  auto fileProblem = [&](std::string what) {
    report.add(Problem{file, {}, {}, {}, std::move(what) + " (manifest " + manifestPath + ")", {}, OffsetKind::File});
  };
  // The walk sums with the manifest's algorithm; with NONE there is nothing to compare.
  const std::string algorithm = checksumAlgorithmName(m.checksum);
  auto checksumsDiffer = [&m](const std::string& listed, const std::string& found) {
    return m.checksum != ChecksumAlgorithm::None && listed != found;
  };
  if (!m.format.empty() && m.format != report.formatName) {
    fileProblem("manifest describes a " + m.format + " archive, but this is a " + report.formatName + " archive");
  }
  std::map<std::string, const FileDigest*> seenFiles;
  for (const auto& f : report.files) {
    seenFiles[report.formatName == "directory" ? f.path : baseName(f.path)] = &f;
  }
  for (const auto& mf : m.files) {
    std::string key = report.formatName == "directory" ? mf.path : baseName(mf.path);
    auto it = seenFiles.find(key);
    if (it == seenFiles.end()) {
      // custom/tar: the archive may have been renamed; compare the single file.
      if (report.formatName != "directory" && m.files.size() == 1 && report.files.size() == 1) {
        it = seenFiles.begin();
      } else {
        fileProblem("file " + mf.path + " listed in the manifest is missing");
        continue;
      }
    }
    if (it->second->size != mf.size) {
      fileProblem("file " + mf.path + " has " + std::to_string(it->second->size) + " bytes, manifest says " +
                  std::to_string(mf.size));
    } else if (checksumsDiffer(mf.checksum, it->second->checksum)) {
      fileProblem("file " + mf.path + " " + algorithm + " mismatch: expected " + mf.checksum + ", found " +
                  it->second->checksum);
    }
  }
  if (report.formatName == "directory") {
    std::map<std::string, bool> listed;
    for (const auto& mf : m.files) listed[mf.path] = true;
    for (const auto& f : report.files) {
      if (!listed.count(f.path)) fileProblem("file " + f.path + " is not listed in the manifest");
    }
  }
  std::map<int, const TocEntry*> byId;
  if (report.toc) {
    for (const auto& e : report.toc->entries) byId[e.dumpId] = &e;
  }
  for (const auto& me : m.entries) {
    auto entryIt = byId.find(me.dumpId);
    if (entryIt == byId.end()) {
      report.add(Problem{file, me.dumpId, me.desc, me.tag, "entry listed in the manifest is not in the TOC", {},
                         OffsetKind::File});
      continue;
    }
    const TocEntry& e = *entryIt->second;
    auto it = report.entries.find(me.dumpId);
    if (it == report.entries.end() || !it->second.complete) {
      if (it == report.entries.end()) report.addForEntry(e, file, "manifest lists data for this entry, none was read", {});
      continue;  // incomplete data was already reported
    }
    const EntryOutcome& o = it->second;
    if (o.payloadBytes != me.bytes) {
      report.addForEntry(e, file, "payload is " + std::to_string(o.payloadBytes) + " bytes, manifest says " +
                                      std::to_string(me.bytes), {});
    } else if (checksumsDiffer(me.checksum, o.checksum)) {
      report.addForEntry(e, file, "payload " + algorithm + " mismatch: expected " + me.checksum + ", found " + o.checksum,
                         {});
    }
    if (me.rows && o.rowsKnown && *me.rows != o.rows) {
      report.addForEntry(e, file, "has " + std::to_string(o.rows) + " rows, manifest says " + std::to_string(*me.rows),
                         {});
    }
  }
  std::map<int, bool> inManifest;
  for (const auto& me : m.entries) inManifest[me.dumpId] = true;
  for (const auto& [id, o] : report.entries) {
    auto entryIt = byId.find(id);
    if (entryIt == byId.end() || entryIt->second->desc == "BLOBS") continue;
    if (!inManifest.count(id)) report.addForEntry(*entryIt->second, file, "data entry is not listed in the manifest", {});
  }
  // Large-object problems name the BLOB (or BLOB METADATA) entry that
  // announces the object, else the BLOBS entry holding its data.
  std::map<uint32_t, const TocEntry*> announced;
  if (report.toc) announced = expectedLargeObjects(*report.toc);
  auto blobProblem = [&](uint32_t oid, int holderId, std::string what) {
    const TocEntry* e = nullptr;
    if (auto a = announced.find(oid); a != announced.end()) e = a->second;
    if (!e) {
      if (auto h = byId.find(holderId); h != byId.end()) e = h->second;
    }
    if (e) {
      report.addForEntry(*e, file, std::move(what), {});
    } else {
      fileProblem(std::move(what));
    }
  };
  std::map<uint32_t, const ManifestBlob*> blobs;
  for (const auto& b : m.largeObjects) blobs[b.oid] = &b;
  for (const auto& [oid, b] : blobs) {
    auto it = report.blobs.find(oid);
    if (it == report.blobs.end()) {
      blobProblem(oid, 0, "large object " + std::to_string(oid) + " listed in the manifest is missing");
    } else if (it->second.complete && it->second.bytes != b->bytes) {
      blobProblem(oid, it->second.dumpId,
                  "large object " + std::to_string(oid) + " has " + std::to_string(it->second.bytes) +
                      " bytes, manifest says " + std::to_string(b->bytes));
    } else if (it->second.complete && checksumsDiffer(b->checksum, it->second.checksum)) {
      blobProblem(oid, it->second.dumpId,
                  "large object " + std::to_string(oid) + " " + algorithm + " mismatch: expected " + b->checksum +
                      ", found " + it->second.checksum);
    }
  }
  for (const auto& [oid, b] : report.blobs) {
    if (!blobs.count(oid)) {
      blobProblem(oid, b.dumpId, "large object " + std::to_string(oid) + " is not listed in the manifest");
    }
  }
}

}  // namespace pgarc
