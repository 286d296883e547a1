// Large objects' metadata: read into a compact table (dump/model.hpp), sorted
// as one run, and emitted as a generated run of TOC entries that is made again
// each time a writer walks the TOC, so no per-object entry is ever held.
// Their data (the BLOBS entry) is streamed by dumpBlobs in table_data.cpp.
#include "dump/objects/large_objects.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

#include "dump/acl.hpp"
#include "dump/comments.hpp"
#include "dump/objects/kinds.hpp"
#include "inspect/blob_grouping.hpp"

namespace pgarc::dump {

namespace {

constexpr int kFetchRows = 10000;

// pg_dump's dumpBlob for one large object: its BLOB entry, then its COMMENT,
// SECURITY LABEL and ACL entries.
Status emitLargeObject(EmitContext& ctx, const LargeObjectTable& t, const LargeObjectTable::Record& r,
                       Components mask) {
  static const AclInfo kNoAcl;
  const CatalogId catId{t.catalogOid, r.oid};
  Components components = kCompDefinition | kCompData;
  auto acl = t.acls.find(r.oid);
  if (acl != t.acls.end()) components |= kCompAcl;
  if (ctx.comments.count(catId)) components |= kCompComment;
  if (ctx.seclabels.count(catId)) components |= kCompSecLabel;
  const Components dump = mask & components;
  if (dump == kCompNone) return {};
  const DumpId dumpId = t.firstDumpId + static_cast<DumpId>(r.scanIndex);
  const std::string name = std::to_string(r.oid);
  const std::string& owner = t.ownerOfRecord(r);
  if (dump & kCompDefinition) {
    EntrySpec e;
    e.dumpId = dumpId;
    e.catId = catId;
    e.tag = name;
    e.owner = owner;
    e.desc = "BLOB";
    e.section = Section::PreData;
    e.defn = "SELECT pg_catalog.lo_create('" + name + "');\n";
    e.dropStmt = "SELECT pg_catalog.lo_unlink('" + name + "');\n";
    ctx.add(std::move(e));
  }
  CommentTarget target{"LARGE OBJECT", name, "", owner, catId, 0, dumpId};
  if (dump & kCompComment) dumpComment(ctx, target);
  if (dump & kCompSecLabel) dumpSecLabel(ctx, target);
  if (dump & kCompAcl) {
    PGARC_ASSIGN(DumpId ignored, dumpAcl(ctx, dumpId, 0, "LARGE OBJECT", name, "", "", owner,
                                         acl != t.acls.end() ? acl->second : kNoAcl));
    (void)ignored;
  }
  return {};
}

// The run of the large objects' entries in the TOC.
class LargeObjectRun : public TocEntryRun {
 public:
  LargeObjectRun(std::shared_ptr<const LargeObjectTable> table, const EmitContext& ctx, Components mask)
      : table_(std::move(table)), options_(ctx.options), quote_(ctx.quote), mask_(mask),
        serverVersion_(ctx.serverVersion), dbOwner_(ctx.dbOwner), firstExtraId_(ctx.store.lastDumpId() + 1) {}

  // Takes the large objects' comments and security labels out of `ctx`.
  void takeComments(CommentMap& comments, CommentMap& seclabels) {
    auto take = [this](CommentMap& from, CommentMap& to) {
      auto it = from.lower_bound(CatalogId{table_->catalogOid, 0});
      while (it != from.end() && it->first.tableoid == table_->catalogOid) {
        to.insert(from.extract(it++));
      }
    };
    take(comments, comments_);
    take(seclabels, seclabels_);
  }

  // Makes the entries once to count them and the dumpIds their comments and
  // ACLs take (handed out now, in emission order, as pg_dump does), and notes
  // which objects have such entries, so that any object's entries can be made
  // again on their own.
  Result<DumpId> count() {
    DumpId lastId = 0;
    size_t n = 0;
    extras_.clear();
    PGARC_TRY(generate([&n, this](TocEntry& e) -> Status {
      n++;
      maxDumpId_ = std::max(maxDumpId_, e.dumpId);
      return {};
    }, lastId, &extras_));
    count_ = n;
    return lastId - (firstExtraId_ - 1);
  }

  size_t size() const override { return count_; }

  Status forEach(const std::function<Status(TocEntry&)>& visit) const override {
    DumpId lastId = 0;
    return generate(visit, lastId, nullptr);
  }

  Status forEachReverse(const std::function<Status(TocEntry&)>& visit) const override {
    ObjectStore ids;
    EmitContext shared = context(ids);
    std::vector<TocEntry> entries;
    for (size_t i = table_->records.size(); i-- > 0;) {
      entries.clear();
      PGARC_TRY(forRecord(i, shared, [&entries](TocEntry& e) -> Status {
        entries.push_back(std::move(e));
        return {};
      }));
      for (auto e = entries.rbegin(); e != entries.rend(); ++e) PGARC_TRY(visit(*e));
    }
    return {};
  }

  // The entries of records[i], made on their own. `shared` makes those of
  // objects whose entries take no dumpIds of their own (no comment, label or ACL).
  Status forRecord(size_t i, EmitContext& shared, const std::function<Status(TocEntry&)>& visit) const {
    auto extra = std::lower_bound(extras_.begin(), extras_.end(), i,
                                  [](const Extra& x, size_t record) { return x.record < record; });
    if (extra == extras_.end() || extra->record != i) return emitRecord(shared, i, visit);
    ObjectStore ids;
    ids.skipDumpIds(extra->firstId - 1);
    EmitContext ctx = context(ids);
    const CatalogId catId{table_->catalogOid, table_->records[i].oid};
    if (auto c = comments_.find(catId); c != comments_.end()) ctx.comments.insert(*c);
    if (auto c = seclabels_.find(catId); c != seclabels_.end()) ctx.seclabels.insert(*c);
    return emitRecord(ctx, i, visit);
  }

  EmitContext context(ObjectStore& ids) const {
    EmitContext ctx(options_, ids, quote_, nullptr);
    ctx.serverVersion = serverVersion_;
    ctx.dbOwner = dbOwner_;
    return ctx;
  }

  // Whether records[i] has entries besides its BLOB entry.
  bool hasOwnEntries(size_t i) const {
    return std::binary_search(extras_.begin(), extras_.end(), Extra{i, 0},
                              [](const Extra& a, const Extra& b) { return a.record < b.record; });
  }
  const LargeObjectTable& table() const { return *table_; }
  bool makesDefinitions() const { return (mask_ & kCompDefinition) != 0; }
  // The largest dumpId among the run's entries.
  DumpId maxDumpId() const { return maxDumpId_; }

 private:
  // An object whose entries take dumpIds from firstId on.
  struct Extra {
    size_t record;
    DumpId firstId;
  };

  Status emitRecord(EmitContext& ctx, size_t i, const std::function<Status(TocEntry&)>& visit) const {
    PGARC_TRY(emitLargeObject(ctx, *table_, table_->records[i], mask_));
    Status st;
    for (TocEntry& e : ctx.entries) {
      st = visit(e);
      if (!st.ok()) break;
    }
    ctx.entries.clear();
    ctx.specs.clear();
    return st;
  }

  Status generate(const std::function<Status(TocEntry&)>& visit, DumpId& lastId, std::vector<Extra>* extras) const {
    ObjectStore ids;  // hands out the comments' and ACLs' dumpIds
    ids.skipDumpIds(firstExtraId_ - 1);
    EmitContext ctx = context(ids);
    ctx.comments = comments_;
    ctx.seclabels = seclabels_;
    for (size_t i = 0; i < table_->records.size(); i++) {
      const DumpId before = ids.lastDumpId();
      PGARC_TRY(emitRecord(ctx, i, visit));
      if (extras && ids.lastDumpId() != before) extras->push_back(Extra{i, before + 1});
    }
    lastId = ids.lastDumpId();
    return {};
  }

  std::shared_ptr<const LargeObjectTable> table_;
  const DumpOptions& options_;
  const Quoter& quote_;
  Components mask_;
  int serverVersion_;
  std::string dbOwner_;
  DumpId firstExtraId_;
  CommentMap comments_, seclabels_;
  size_t count_ = 0;
  DumpId maxDumpId_ = 0;
  std::vector<Extra> extras_;
};

// The large objects as pg_dump 17 lays them out (archive version 1.16), made
// from a LargeObjectRun exactly as groupLargeObjects (inspect/blob_grouping.cpp)
// makes them from that run's entries: objects ordered by owner, ACL and oid,
// grouped by owner and ACL, at most kMaxLargeObjectsPerGroup a group; per
// group a BLOB METADATA entry, the objects' comments and labels and the
// first object's ACL. The groups' BLOBS entries are held apart (they have data).
class GroupedLargeObjectRun : public TocEntryRun {
 public:
  explicit GroupedLargeObjectRun(std::shared_ptr<const LargeObjectRun> base) : base_(std::move(base)) {}

  // Orders and groups the objects, gives the groups their dumpIds (after
  // `lastUsedId`) and, with data, their BLOBS entries, and counts the entries.
  Status build(DumpId lastUsedId, bool withData, GroupedLargeObjects& out) {
    PGARC_TRY(order());
    DumpId nextId = std::max(lastUsedId, base_->maxDumpId());
    const LargeObjectTable& t = base_->table();
    for (size_t begin = 0; begin < order_.size();) {
      size_t end = begin + 1;
      const uint64_t cls = classOf(order_[begin]);
      while (end < order_.size() && end - begin < kMaxLargeObjectsPerGroup && classOf(order_[end]) == cls) end++;
      Group g{begin, end, ++nextId};
      groups_.push_back(g);
      if (withData) {
        const DumpId id = ++nextId;
        out.blobs.push_back(largeObjectBlobsEntry(id, tagOf(g), t.ownerOfRecord(t.records[order_[begin]]),
                                                  {std::to_string(g.metaId)}));
        std::vector<uint32_t> oids;
        oids.reserve(end - begin);
        for (size_t k = begin; k < end; k++) oids.push_back(t.records[order_[k]].oid);
        out.oids.push_back(std::move(oids));
      }
      begin = end;
    }
    aclRank_.clear();
    size_t n = 0;
    PGARC_TRY(forEach([&n](TocEntry&) -> Status {
      n++;
      return {};
    }));
    count_ = n;
    return {};
  }

  size_t size() const override { return count_; }

  Status forEach(const std::function<Status(TocEntry&)>& visit) const override {
    ObjectStore ids;
    EmitContext shared = base_->context(ids);
    for (const Group& g : groups_) PGARC_TRY(forGroup(g, shared, visit));
    return {};
  }

  Status forEachReverse(const std::function<Status(TocEntry&)>& visit) const override {
    ObjectStore ids;
    EmitContext shared = base_->context(ids);
    std::vector<TocEntry> entries;
    for (size_t i = groups_.size(); i-- > 0;) {
      entries.clear();
      PGARC_TRY(forGroup(groups_[i], shared, [&entries](TocEntry& e) -> Status {
        entries.push_back(std::move(e));
        return {};
      }));
      for (auto e = entries.rbegin(); e != entries.rend(); ++e) PGARC_TRY(visit(*e));
    }
    return {};
  }

 private:
  struct Group {
    size_t begin, end;  // in order_
    DumpId metaId;
  };

  std::string tagOf(const Group& g) const {
    const auto& r = base_->table().records;
    return largeObjectGroupTag(r[order_[g.begin]].oid, r[order_[g.end - 1]].oid, g.end - g.begin);
  }

  Status forGroup(const Group& g, EmitContext& shared, const std::function<Status(TocEntry&)>& visit) const {
    const LargeObjectTable& t = base_->table();
    const std::string tag = tagOf(g);
    std::string oidLines;
    for (size_t k = g.begin; k < g.end; k++) oidLines += std::to_string(t.records[order_[k]].oid) + "\n";
    TocEntry meta = largeObjectMetadataEntry(g.metaId, t.records[order_[g.begin]].oid, tag, std::move(oidLines),
                                             t.ownerOfRecord(t.records[order_[g.begin]]));
    PGARC_TRY(visit(meta));
    const std::vector<std::string> onMeta{std::to_string(g.metaId)};
    std::optional<TocEntry> acl;
    for (size_t k = g.begin; k < g.end; k++) {
      if (!base_->hasOwnEntries(order_[k])) continue;
      PGARC_TRY(base_->forRecord(order_[k], shared, [&](TocEntry& e) -> Status {
        if (e.desc == "BLOB") return {};
        if (e.desc == "ACL") {
          if (k == g.begin) acl = std::move(e);
          return {};
        }
        e.dependencies = onMeta;
        return visit(e);
      }));
    }
    if (!acl) return {};
    if (g.end - g.begin > 1) acl->tag = "LARGE OBJECTS " + tag;
    acl->dependencies = onMeta;
    return visit(*acl);
  }

  // Objects ordered as groupLargeObjects orders them: by owner name, by the
  // text of their ACL entry with their own oid taken out, by oid.
  Status order() {
    const LargeObjectTable& t = base_->table();
    std::vector<size_t> byName(t.ownerNames.size());
    for (size_t i = 0; i < byName.size(); i++) byName[i] = i;
    std::sort(byName.begin(), byName.end(), [&t](size_t a, size_t b) { return t.ownerNames[a] < t.ownerNames[b]; });
    ownerRank_.assign(byName.size(), 0);
    for (size_t i = 0; i < byName.size(); i++) ownerRank_[byName[i]] = static_cast<uint32_t>(i);

    std::map<size_t, std::string> aclKeys;  // objects with an ACL entry
    ObjectStore ids;
    EmitContext shared = base_->context(ids);
    for (size_t i = 0; i < t.records.size(); i++) {
      if (!base_->hasOwnEntries(i)) continue;
      PGARC_TRY(base_->forRecord(i, shared, [&](TocEntry& e) -> Status {
        if (e.desc == "ACL") aclKeys[i] = replaceLoOid(e.defn.value_or(""), t.records[i].oid, "{}");
        return {};
      }));
    }
    std::vector<std::string> keys{std::string()};
    for (const auto& [record, key] : aclKeys) keys.push_back(key);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    keyCount_ = keys.size();
    for (const auto& [record, key] : aclKeys)
      aclRank_[record] = static_cast<uint32_t>(std::lower_bound(keys.begin(), keys.end(), key) - keys.begin());

    order_.resize(t.records.size());
    for (size_t i = 0; i < order_.size(); i++) order_[i] = static_cast<uint32_t>(i);
    std::sort(order_.begin(), order_.end(), [this, &t](uint32_t a, uint32_t b) {
      const uint64_t ca = classOf(a), cb = classOf(b);
      if (ca != cb) return ca < cb;
      return t.records[a].oid < t.records[b].oid;
    });
    return {};
  }

  // Owner and ACL as one number, ordered as they are.
  uint64_t classOf(size_t record) const {
    const LargeObjectTable& t = base_->table();
    const uint64_t owner = t.ownerOf.empty() ? 0 : ownerRank_[t.ownerOf[t.records[record].scanIndex]];
    uint64_t acl = 0;
    if (!aclRank_.empty()) {
      auto it = aclRank_.find(record);
      if (it != aclRank_.end()) acl = it->second;
    }
    return owner * keyCount_ + acl;
  }

  std::shared_ptr<const LargeObjectRun> base_;
  std::vector<uint32_t> order_;  // indices into the table's records
  std::vector<Group> groups_;
  std::vector<uint32_t> ownerRank_;
  std::unordered_map<size_t, uint32_t> aclRank_;  // only while grouping
  uint64_t keyCount_ = 1;
  size_t count_ = 0;
};

}  // namespace

Status readLargeObjects(Connection& conn, ObjectStore& store) {
  PGARC_ASSIGN(QueryResult countResult, conn.query("SELECT pg_catalog.count(*) FROM pg_catalog.pg_largeobject_metadata"));
  const int64_t total = countResult.integer(0, 0);
  if (total == 0) return {};
  auto table = std::make_shared<LargeObjectTable>();
  table->catalogOid = store.catalogOid("pg_largeobject");
  table->records.reserve(static_cast<size_t>(total));
  std::map<std::string, uint32_t, std::less<>> ownerIndex;
  // No ORDER BY: the dumpIds follow the order the server returns the rows in,
  // as pg_dump's do. A cursor keeps one batch of rows in memory at a time.
  PGARC_TRY(conn.exec("DECLARE pgarc_large_objects NO SCROLL CURSOR FOR "
                      "SELECT oid, pg_catalog.pg_get_userbyid(lomowner), lomacl, "
                      "CASE WHEN lomacl IS NULL THEN NULL ELSE pg_catalog.acldefault('L', lomowner) END "
                      "FROM pg_catalog.pg_largeobject_metadata"));
  for (;;) {
    PGARC_ASSIGN(QueryResult r, conn.query("FETCH " + std::to_string(kFetchRows) + " FROM pgarc_large_objects"));
    for (int i = 0; i < r.rows(); i++) {
      const uint32_t scanIndex = static_cast<uint32_t>(table->records.size());
      table->records.push_back({r.oid(i, 0), scanIndex});
      std::string_view owner = r.get(i, 1);
      auto it = ownerIndex.find(owner);
      if (it == ownerIndex.end()) {
        it = ownerIndex.emplace(std::string(owner), static_cast<uint32_t>(table->ownerNames.size())).first;
        table->ownerNames.emplace_back(owner);
      }
      if (it->second != 0 && table->ownerOf.empty()) {
        // The first object with another owner: from here on owners are listed.
        table->ownerOf.reserve(static_cast<size_t>(total));
        table->ownerOf.assign(scanIndex, 0);
      }
      if (!table->ownerOf.empty() || it->second != 0) table->ownerOf.push_back(it->second);
      if (!r.isNull(i, 2)) table->acls[r.oid(i, 0)] = AclInfo{r.str(i, 2), r.str(i, 3), "", ""};
    }
    if (r.rows() < kFetchRows) break;
  }
  PGARC_TRY(conn.exec("CLOSE pgarc_large_objects"));
  std::sort(table->records.begin(), table->records.end(),
            [](const auto& a, const auto& b) { return textOrderLess(a.oid, b.oid); });

  auto placeholder = std::make_unique<LargeObjectsInfo>();
  placeholder->name = "LARGE OBJECTS";
  placeholder->dump = kCompAll;
  placeholder->components = kCompAll;  // each object's own components are applied when its entries are made
  LargeObjectsInfo* run = store.add(std::move(placeholder));
  table->firstDumpId = run->dumpId;
  store.skipDumpIds(static_cast<DumpId>(table->records.size()) - 1);
  run->table = std::move(table);

  auto data = std::make_unique<PlainObject>(ObjectType::BlobData);
  data->name = "BLOBS";
  data->dump = kCompAll;
  data->components |= kCompData;
  store.add(std::move(data));
  return {};
}

Status dumpBlob(EmitContext& ctx, DumpableObject& obj) {
  auto& lo = static_cast<LargeObjectsInfo&>(obj);
  auto run = std::make_shared<LargeObjectRun>(lo.table, ctx, lo.dump);
  run->takeComments(ctx.comments, ctx.seclabels);
  PGARC_ASSIGN(DumpId extraIds, run->count());
  ctx.store.skipDumpIds(extraIds);
  if (run->size() == 0) return {};
  // All of the run's entries are large-object entries, which go with the
  // data, in the pre-data section: so is the marker.
  TocEntry marker;
  marker.desc = "BLOB";
  marker.defn = "";
  marker.section = (lo.dump & kCompDefinition) ? Section::PreData : Section::None;
  ctx.addRun(std::move(run), std::move(marker));
  return {};
}

Result<std::optional<GroupedLargeObjects>> groupLargeObjectRun(const std::shared_ptr<const TocEntryRun>& run,
                                                               DumpId lastUsedId, bool withData) {
  auto base = std::dynamic_pointer_cast<const LargeObjectRun>(run);
  if (!base || !base->makesDefinitions() || base->table().records.empty()) return std::optional<GroupedLargeObjects>();
  GroupedLargeObjects out;
  auto grouped = std::make_shared<GroupedLargeObjectRun>(std::move(base));
  PGARC_TRY(grouped->build(lastUsedId, withData, out));
  out.metadata = std::move(grouped);
  return std::optional<GroupedLargeObjects>(std::move(out));
}

// The shorter number is scaled to the other's digit count and compared; when
// the two are then equal the shorter text is a prefix of the longer, so it
// comes first.
bool textOrderLess(uint32_t a, uint32_t b) {
  static constexpr uint64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};
  auto digits = [](uint32_t v) {
    int n = 1;
    while (n < 10 && v >= kPow10[n]) n++;
    return n;
  };
  const int da = digits(a), db = digits(b);
  uint64_t x = a, y = b;
  if (da < db) x *= kPow10[db - da];
  else y *= kPow10[da - db];
  if (x != y) return x < y;
  return da < db;
}

}  // namespace pgarc::dump
