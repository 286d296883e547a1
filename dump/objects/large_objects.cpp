// Large objects' metadata: read into a compact table (dump/model.hpp), sorted
// as one run, and emitted as a generated run of TOC entries that is made again
// each time a writer walks the TOC, so no per-object entry is ever held.
// Their data (the BLOBS entry) is streamed by dumpBlobs in table_data.cpp.
#include "dump/objects/large_objects.hpp"

#include <algorithm>
#include <map>

#include "dump/acl.hpp"
#include "dump/comments.hpp"
#include "dump/objects/kinds.hpp"

namespace pgarc::dump {

namespace {

constexpr int kFetchRows = 10000;

// Whether oid `a` comes before `b` as pg_dump orders their names: as decimal
// text ("100000" < "16385"). The shorter number is scaled to the other's
// digit count and compared; when the two are then equal the shorter text is a
// prefix of the longer, so it comes first.
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
  // ACLs take (handed out now, in emission order, as pg_dump does).
  Result<DumpId> count() {
    DumpId lastId = 0;
    size_t n = 0;
    PGARC_TRY(generate([&n](TocEntry&) -> Status {
      n++;
      return {};
    }, lastId));
    count_ = n;
    return lastId - (firstExtraId_ - 1);
  }

  size_t size() const override { return count_; }

  Status forEach(const std::function<Status(TocEntry&)>& visit) const override {
    DumpId lastId = 0;
    return generate(visit, lastId);
  }

 private:
  Status generate(const std::function<Status(TocEntry&)>& visit, DumpId& lastId) const {
    ObjectStore ids;  // hands out the comments' and ACLs' dumpIds
    ids.skipDumpIds(firstExtraId_ - 1);
    EmitContext ctx(options_, ids, quote_, nullptr);
    ctx.serverVersion = serverVersion_;
    ctx.dbOwner = dbOwner_;
    ctx.comments = comments_;
    ctx.seclabels = seclabels_;
    for (const auto& r : table_->records) {
      PGARC_TRY(emitLargeObject(ctx, *table_, r, mask_));
      for (TocEntry& e : ctx.entries) PGARC_TRY(visit(e));
      ctx.entries.clear();
      ctx.specs.clear();
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

}  // namespace pgarc::dump
