#include "inspect/toc_report.hpp"

#include <cstdio>

#include "inspect/json_writer.hpp"

namespace pgarc {

const char* kindName(ArchiveKind k) {
  switch (k) {
    case ArchiveKind::Custom: return "CUSTOM";
    case ArchiveKind::Directory: return "DIRECTORY";
    case ArchiveKind::Tar: return "TAR";
    case ArchiveKind::Plain: return "PLAIN";
  }
  return "UNKNOWN";
}

const char* sectionName(Section s) {
  switch (s) {
    case Section::None: return "none";
    case Section::PreData: return "pre-data";
    case Section::Data: return "data";
    case Section::PostData: return "post-data";
  }
  return "unknown";
}

std::string isoCreationTime(const CreationTime& t) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", t.year + 1900, t.mon + 1, t.mday, t.hour, t.min,
                t.sec);
  return buf;
}

namespace {

const char* offsetFlagName(OffsetFlag f) {
  switch (f) {
    case OffsetFlag::NotSet: return "not set";
    case OffsetFlag::Set: return "set";
    case OffsetFlag::NoData: return "no data";
  }
  return "invalid";
}

bool storesCompressionLevel(const ArchiveHeader& h) { return !h.version.atLeast(1, 15); }

void writeHeader(JsonWriter& w, const ArchiveDescription& a) {
  const ArchiveHeader& h = a.toc->header;
  w.key("header");
  w.beginObject();
  w.field("version", h.version.toString());
  w.field("versionMajor", int64_t{h.version.major});
  w.field("versionMinor", int64_t{h.version.minor});
  w.field("versionRevision", int64_t{h.version.revision});
  w.field("format", std::string(kindName(a.kind)));
  w.field("formatCode", int64_t{static_cast<int>(h.format)});
  w.field("intSize", int64_t{h.intSize});
  w.field("offSize", int64_t{h.offSize});
  w.key("compressionLevel");
  if (storesCompressionLevel(h)) w.number(h.compressionLevel);
  else w.null();  // 1.15+ archives record the algorithm only
  w.field("compressionAlgorithm", std::string(compressionName(h.compression)));
  w.key("created");
  w.beginObject();
  w.field("sec", int64_t{h.created.sec});
  w.field("min", int64_t{h.created.min});
  w.field("hour", int64_t{h.created.hour});
  w.field("mday", int64_t{h.created.mday});
  w.field("mon", int64_t{h.created.mon});
  w.field("year", int64_t{h.created.year});
  w.field("isdst", int64_t{h.created.isdst});
  w.field("iso", isoCreationTime(h.created));
  w.endObject();
  w.field("dbname", h.dbname);
  w.field("serverVersion", h.serverVersion);
  w.field("dumpVersion", h.dumpVersion);
  w.endObject();
}

void writeEntry(JsonWriter& w, const TocEntry& e, const ArchiveDescription& a) {
  const ArchiveHeader& h = a.toc->header;
  w.beginObject();
  w.field("dumpId", int64_t{e.dumpId});
  w.field("hadDumper", e.hadDumper);
  w.field("tableoid", e.tableoid);
  w.field("oid", e.oid);
  w.field("desc", e.desc);
  w.field("tag", e.tag);
  w.field("namespace", e.namespace_);
  w.field("owner", e.owner);
  w.field("section", std::string(sectionName(e.section)));
  w.field("sectionCode", int64_t{static_cast<int>(e.section)});
  w.field("tablespace", e.tablespace);
  w.field("tableam", e.tableam);
  w.key("relkind");
  if (h.version.atLeast(1, 16)) w.number(e.relkind);
  else w.null();  // not stored before 1.16
  w.field("withOids", e.withOids);
  w.key("dependencies");
  w.beginArray();
  for (int d : e.dependencyIds()) w.number(d);
  w.endArray();
  w.field("defn", e.defn);
  w.field("dropStmt", e.dropStmt);
  w.field("copyStmt", e.copyStmt);
  if (a.kind == ArchiveKind::Custom) {
    w.field("offsetFlag", std::string(offsetFlagName(e.offsetFlag)));
    w.key("dataOffset");
    if (e.offsetFlag == OffsetFlag::Set) w.unsignedNumber(e.dataOffset);
    else w.null();
  } else {
    w.field("filename", e.filename);
  }
  EntryDataInfo info;
  if (a.dataInfo) info = a.dataInfo(e);
  w.key("dataLocation");
  if (info.location.empty()) w.null();
  else w.string(info.location);
  w.key("storedDataSize");
  if (info.storedSize) w.unsignedNumber(*info.storedSize);
  else w.null();
  w.endObject();
}

Result<const TocEntry*> findEntry(const ArchiveToc& toc, int id) {
  for (const auto& e : toc.entries)
    if (e.dumpId == id) return &e;
  return makeError("no TOC entry with dump ID " + std::to_string(id));
}

void appendTextField(std::string& out, const char* name, const std::optional<std::string>& v) {
  out += name;
  out += ": ";
  out += v ? *v : std::string("(null)");
  out += '\n';
}

void appendTextBlock(std::string& out, const char* name, const std::optional<std::string>& v) {
  out += name;
  if (!v) {
    out += ": (null)\n";
    return;
  }
  out += ":\n";
  out += *v;
  if (v->empty() || v->back() != '\n') out += '\n';
}

}  // namespace

std::string tocJson(const ArchiveDescription& a) {
  JsonWriter w;
  w.beginObject();
  w.field("archive", a.path);
  writeHeader(w, a);
  w.field("tocEntryCount", static_cast<int64_t>(a.toc->entries.size()));
  w.key("entries");
  w.beginArray();
  for (const auto& e : a.toc->entries) writeEntry(w, e, a);
  w.endArray();
  w.endObject();
  return w.take();
}

Result<std::string> entriesJson(const ArchiveDescription& a, const std::vector<int>& dumpIds) {
  JsonWriter w;
  w.beginArray();
  for (int id : dumpIds) {
    PGARC_ASSIGN(const TocEntry* e, findEntry(*a.toc, id));
    writeEntry(w, *e, a);
  }
  w.endArray();
  return w.take();
}

Result<std::string> entriesText(const ArchiveDescription& a, const std::vector<int>& dumpIds) {
  std::string out;
  for (size_t i = 0; i < dumpIds.size(); ++i) {
    PGARC_ASSIGN(const TocEntry* e, findEntry(*a.toc, dumpIds[i]));
    if (i > 0) out += '\n';
    out += "Dump ID: " + std::to_string(e->dumpId) + "\n";
    out += std::string("Had dumper: ") + (e->hadDumper ? "yes" : "no") + "\n";
    out += "Catalog ID: " + e->tableoid + " " + e->oid + "\n";
    appendTextField(out, "Desc", e->desc);
    appendTextField(out, "Tag", e->tag);
    appendTextField(out, "Namespace", e->namespace_);
    appendTextField(out, "Owner", e->owner);
    out += std::string("Section: ") + sectionName(e->section) + "\n";
    appendTextField(out, "Tablespace", e->tablespace);
    appendTextField(out, "Table access method", e->tableam);
    if (a.toc->header.version.atLeast(1, 16)) out += "Relkind: " + std::to_string(e->relkind) + "\n";
    out += "Dependencies:";
    for (int d : e->dependencyIds()) out += " " + std::to_string(d);
    out += "\n";
    EntryDataInfo info;
    if (a.dataInfo) info = a.dataInfo(*e);
    if (!info.location.empty()) out += "Data location: " + info.location + "\n";
    if (info.storedSize) out += "Stored data size: " + std::to_string(*info.storedSize) + "\n";
    appendTextBlock(out, "Definition", e->defn);
    appendTextBlock(out, "Drop statement", e->dropStmt);
    appendTextBlock(out, "Copy statement", e->copyStmt);
  }
  return out;
}

}  // namespace pgarc
