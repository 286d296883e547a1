#include "format/script/selection.hpp"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "format/script/sql_text.hpp"

namespace pgarc::script {
namespace {

// pg_restore reads the list file through a 100-byte fgets buffer and only
// looks at the first chunk of each physical line.
constexpr size_t kListLineChunk = 99;

struct NameFilter {
  const std::vector<std::string>& names;
  std::set<std::string> touched;
  bool active() const { return !names.empty(); }
  bool member(const std::string& value) {
    if (std::find(names.begin(), names.end(), value) == names.end()) return false;
    touched.insert(value);
    return true;
  }
  const std::string* firstUntouched() const {
    for (const auto& n : names)
      if (!touched.count(n)) return &n;
    return nullptr;
  }
};

bool isLargeObjectTag(const TocEntry& e) { return startsWith(e.tagStr(), "LARGE OBJECT "); }

bool isLargeObjectDependent(const TocEntry& e) {
  const std::string d = e.descStr();
  return (d == "ACL" || d == "COMMENT" || d == "SECURITY LABEL") && isLargeObjectTag(e);
}

}  // namespace

class Marker {
 public:
  Marker(const ArchiveToc& toc, const RestoreOptions& options)
      : toc_(toc),
        opt_(options),
        schemas_{options.schemaNames, {}},
        excluded_{options.excludeSchemaNames, {}},
        tables_{options.tableNames, {}},
        indexes_{options.indexNames, {}},
        functions_{options.functionNames, {}},
        triggers_{options.triggerNames, {}} {
    for (size_t i = 0; i < toc.entries.size(); ++i) byDumpId_[toc.entries[i].dumpId] = i;
  }

  void setWanted(std::unordered_set<int> wanted) { wanted_ = std::move(wanted); hasWanted_ = true; }

  // Marks entries in `order`, reading parents' marks from `parentReqs`
  // and (when `store`) writing each result there as it goes. With `runs`,
  // the TOC's runs are walked where they stand (`order` is then the TOC's).
  Result<std::vector<unsigned>> mark(const std::vector<size_t>& order, std::vector<unsigned>& parentReqs, bool store,
                                     RunMarks* runs = nullptr) {
    std::vector<unsigned> out(toc_.entries.size(), 0);
    Section cur = Section::PreData;
    size_t run = 0;
    for (size_t idx : order) {
      if (runs)
        for (; run < toc_.runs.size() && toc_.runs[run].at <= idx; run++) PGARC_TRY(markRun(run, cur, *runs));
      const TocEntry& e = toc_.entries[idx];
      if (e.section != Section::None) cur = e.section;
      unsigned r = required(e, cur, parentReqs);
      out[idx] = r;
      if (store) parentReqs[idx] = r;
    }
    if (runs)
      for (; run < toc_.runs.size(); run++) PGARC_TRY(markRun(run, cur, *runs));
    return out;
  }

  // A run's entry, in the section its run is in (see RunMarks).
  unsigned runEntryRequired(const TocEntry& e, Section section) {
    static const std::vector<unsigned> kNoParents;
    return required(e, section, kNoParents);
  }

  Status strictNamesCheck() const {
    if (!opt_.strictNames) return {};
    struct Check { const NameFilter* filter; const char* what; };
    const Check checks[] = {{&schemas_, "schema"}, {&tables_, "table"}, {&indexes_, "index"},
                            {&functions_, "function"}, {&triggers_, "trigger"}};
    for (const auto& c : checks) {
      if (!c.filter->active()) continue;
      if (const std::string* missing = c.filter->firstUntouched())
        return makeError(std::string(c.what) + " \"" + *missing + "\" not found");
    }
    return {};
  }

 private:
  bool selTypes() const {
    return !opt_.tableNames.empty() || !opt_.indexNames.empty() || !opt_.functionNames.empty() ||
           !opt_.triggerNames.empty();
  }

  bool sectionWanted(Section s) const {
    int bits = opt_.sections == 0 ? 7 : opt_.sections;
    switch (s) {
      case Section::PreData: return bits & 1;
      case Section::Data: return bits & 2;
      case Section::PostData: return bits & 4;
      default: return false;
    }
  }

  Status markRun(size_t run, Section& cur, RunMarks& marks) {
    const Section before = cur;
    std::optional<Section> section;
    PGARC_TRY(toc_.runs[run].run->forEach([&](TocEntry& e) -> Status {
      if (e.section != Section::None) cur = e.section;
      if (section && *section != cur) return makeError("a generated run of TOC entries spans two sections");
      section = cur;
      marks.reqsUnion |= required(e, cur, marks.noParents);
      return {};
    }));
    marks.sections.push_back(section.value_or(before));
    return {};
  }

  // A dependent entry (ACL, comment, label) follows any dependency that is
  // being restored, ignoring dependencies of its own kind: a column ACL also
  // depends on its table's ACL only to order the GRANTs.
  bool anyParentRequired(const TocEntry& e, const std::vector<unsigned>& parentReqs) const {
    const std::string desc = e.descStr();
    for (int id : e.dependencyIds()) {
      auto it = byDumpId_.find(id);
      if (it == byDumpId_.end()) continue;
      if (toc_.entries[it->second].descStr() == desc) continue;
      if (parentReqs[it->second] & (kReqSchema | kReqData)) return true;
    }
    return false;
  }

  // Selection by -n/-N/-t/-I/-P/-T for entries that stand alone.
  bool standaloneSelected(const TocEntry& e) {
    const std::string desc = e.descStr();
    if (schemas_.active()) {
      if (!e.namespace_) return false;
      if (!schemas_.member(*e.namespace_)) return false;
    }
    if (excluded_.active() && e.namespace_ && excluded_.member(*e.namespace_)) return false;
    if (!selTypes()) return true;
    static const std::set<std::string> kRelationDescs = {
        "TABLE", "TABLE DATA", "VIEW", "FOREIGN TABLE", "MATERIALIZED VIEW",
        "MATERIALIZED VIEW DATA", "SEQUENCE", "SEQUENCE SET"};
    NameFilter* filter = nullptr;
    if (kRelationDescs.count(desc)) filter = &tables_;
    else if (desc == "INDEX") filter = &indexes_;
    else if (desc == "FUNCTION" || desc == "AGGREGATE" || desc == "PROCEDURE") filter = &functions_;
    else if (desc == "TRIGGER") filter = &triggers_;
    if (filter == nullptr || !filter->active()) return false;
    return filter->member(e.tagStr());
  }

  unsigned required(const TocEntry& e, Section cur, const std::vector<unsigned>& parentReqs) {
    const std::string desc = e.descStr();
    const std::string tag = e.tagStr();
    if (desc == "ENCODING" || desc == "STDSTRINGS" || desc == "SEARCHPATH") return kReqSpecial;
    if (desc == "DATABASE" || desc == "DATABASE PROPERTIES") return opt_.create ? kReqSchema : 0;

    if (opt_.noPrivileges && isAclDesc(desc)) return 0;
    if (opt_.noComments && desc == "COMMENT") return 0;
    if (opt_.noPublications &&
        (desc == "PUBLICATION" || desc == "PUBLICATION TABLE" || desc == "PUBLICATION TABLES IN SCHEMA"))
      return 0;
    if (opt_.noSecurityLabels && desc == "SECURITY LABEL") return 0;
    // A publication's or subscription's comment and label go with it (pg_restore
    // 15.15 and later; the tag's prefix, as pg_restore compares it).
    const bool describes = desc == "COMMENT" || desc == "SECURITY LABEL";
    if (opt_.noPublications && describes && startsWith(tag, "PUBLICATION")) return 0;
    if (opt_.noSubscriptions && describes && startsWith(tag, "SUBSCRIPTION")) return 0;
    if (opt_.noSubscriptions && desc == "SUBSCRIPTION") return 0;
    if (!sectionWanted(cur)) return 0;
    if (hasWanted_ && !wanted_.count(e.dumpId)) return 0;

    if (desc == "ACL" || desc == "COMMENT" || desc == "SECURITY LABEL") {
      if (startsWith(tag, "DATABASE ")) {
        if (!opt_.create) return 0;
      } else if (schemas_.active() || excluded_.active() || selTypes()) {
        if (!anyParentRequired(e, parentReqs)) return 0;
      }
    } else if (!standaloneSelected(e)) {
      return 0;
    }

    unsigned res = kReqSchema | kReqData;
    if (!e.hadDumper) {
      bool dataLike = desc == "SEQUENCE SET" || desc == "BLOB" || desc == "BLOB METADATA" ||
                      isLargeObjectDependent(e);
      res &= dataLike ? kReqData : ~kReqData;
    }
    // A partition's data loaded through its root carries only a comment as defn.
    if (!e.defn || e.defn->empty() || startsWith(*e.defn, "-- load via partition root ")) res &= ~kReqSchema;
    if (desc == "<Init>" && tag == "Max OID") return 0;
    // pg_dump --binary-upgrade implies sequence data and keeps large objects'
    // definitions, comments and privileges in a schema-only script.
    const bool keptBySchemaOnly =
        opt_.binaryUpgrade && (desc == "SEQUENCE SET" || desc == "BLOB" || isLargeObjectDependent(e));
    if (opt_.schemaOnly && !keptBySchemaOnly) res &= kReqSchema;
    if (opt_.dataOnly) res &= kReqData;
    return res;
  }

  const ArchiveToc& toc_;
  const RestoreOptions& opt_;
  NameFilter schemas_, excluded_, tables_, indexes_, functions_, triggers_;
  std::unordered_map<int, size_t> byDumpId_;
  std::unordered_set<int> wanted_;
  bool hasWanted_ = false;
};

namespace {

bool nameFiltered(const RestoreOptions& o) {
  return !o.schemaNames.empty() || !o.excludeSchemaNames.empty() || !o.tableNames.empty() ||
         !o.indexNames.empty() || !o.functionNames.empty() || !o.triggerNames.empty();
}

}  // namespace

bool runsMarkable(const RestoreOptions& options) { return !options.listFile && !nameFiltered(options); }

RunEntryMarker::RunEntryMarker(const ArchiveToc& toc, const RestoreOptions& options)
    : marker_(std::make_unique<Marker>(toc, options)) {}
RunEntryMarker::~RunEntryMarker() = default;
unsigned RunEntryMarker::reqs(const TocEntry& e, Section section) { return marker_->runEntryRequired(e, section); }

bool isAclDesc(const std::string& desc) {
  return desc == "ACL" || desc == "ACL LANGUAGE" || desc == "DEFAULT ACL";
}

std::vector<int> parseListFile(const std::string& text) {
  std::vector<int> ids;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string::npos ? text.size() : nl + 1;
    std::string line = text.substr(pos, std::min(end - pos, kListLineChunk));
    pos = end;
    if (size_t semi = line.find(';'); semi != std::string::npos) line.resize(semi);
    if (line.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    const char* begin = line.c_str();
    char* after = nullptr;
    long id = std::strtol(begin, &after, 10);
    if (after == begin || id <= 0 || id > 0x7fffffffL) id = -1;
    ids.push_back(static_cast<int>(id));
  }
  return ids;
}

Status checkOptionConflicts(const RestoreOptions& o) {
  if (o.dataOnly && o.schemaOnly)
    return makeError("options -s/--schema-only and -a/--data-only cannot be used together");
  if (o.dataOnly && o.clean) return makeError("options -c/--clean and -a/--data-only cannot be used together");
  if (o.ifExists && !o.clean) return makeError("option --if-exists requires option -c/--clean");
  if (o.create && o.singleTransaction)
    return makeError("options -C/--create and -1/--single-transaction cannot be used together");
  return {};
}

Result<Selection> selectEntries(const ArchiveToc& toc, const RestoreOptions& options) {
  Selection sel;
  const size_t n = toc.entries.size();
  Marker marker(toc, options);
  for (size_t i = 0; i < n; ++i) sel.order.push_back(i);

  if (options.listFile) {
    int maxDumpId = 0;
    std::unordered_map<int, size_t> byDumpId;
    for (size_t i = 0; i < n; ++i) {
      maxDumpId = std::max(maxDumpId, toc.entries[i].dumpId);
      byDumpId[toc.entries[i].dumpId] = i;
    }
    std::unordered_set<int> wanted;
    std::vector<size_t> moved;
    for (int id : parseListFile(*options.listFile)) {
      if (id <= 0 || id > maxDumpId || wanted.count(id)) continue;  // pg_restore warns "line ignored"
      auto it = byDumpId.find(id);
      if (it == byDumpId.end()) return makeError("could not find entry for ID " + std::to_string(id));
      wanted.insert(id);
      moved.push_back(it->second);
    }
    // Selected entries move to the end in list order; the rest keep their
    // relative order at the front.
    std::vector<bool> isMoved(n, false);
    for (size_t i : moved) isMoved[i] = true;
    sel.order.clear();
    for (size_t i = 0; i < n; ++i)
      if (!isMoved[i]) sel.order.push_back(i);
    sel.order.insert(sel.order.end(), moved.begin(), moved.end());
    sel.listFileUsed = true;
    sel.wanted = wanted;
    marker.setWanted(std::move(wanted));
  }

  sel.reqs.assign(n, 0);
  if (!toc.runs.empty() && !runsMarkable(options))
    return makeError("a TOC with generated runs cannot be restored with a list file or name filters");
  PGARC_TRY(marker.mark(sel.order, sel.reqs, true, toc.runs.empty() ? nullptr : &sel.runs));
  if (Status strict = marker.strictNamesCheck(); !strict.ok()) sel.strictNamesError = std::move(strict).error();
  return sel;
}

std::vector<unsigned> listingReqs(const ArchiveToc& toc, const RestoreOptions& options, const Selection& selection) {
  Marker marker(toc, options);
  if (selection.listFileUsed) marker.setWanted(selection.wanted);
  std::vector<unsigned> parents = selection.reqs;
  auto marks = marker.mark(selection.order, parents, false);
  return marks.ok() ? std::move(marks).value() : std::vector<unsigned>(toc.entries.size(), 0);
}

}  // namespace pgarc::script
