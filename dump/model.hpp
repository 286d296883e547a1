#pragma once
// The object model of `pgarc dump`: every catalog object pg_dump 15 reads
// becomes a DumpableObject. Objects are numbered (dumpId) in the order they are
// read, system objects included, exactly as pg_dump numbers them, because the
// dumpIds end up in the archive.
//
// Kinds live in dump/objects/<kind>.cpp behind the ObjectKind interface
// (dump/object_kind.hpp); see dump/OBJECT_KINDS.md.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace pgarc::dump {

// Mirrors pg_dump's DumpableObjectType (DO_*), in the same order.
enum class ObjectType {
  Namespace,
  Extension,
  Type,
  ShellType,
  Func,
  Agg,
  Operator,
  AccessMethod,
  Opclass,
  Opfamily,
  Collation,
  Conversion,
  Table,
  TableAttach,
  Attrdef,
  Index,
  IndexAttach,
  StatsExt,
  Rule,
  Trigger,
  Constraint,
  FkConstraint,
  ProcLang,
  Cast,
  TableData,
  SequenceSet,
  DummyType,
  TSParser,
  TSDict,
  TSTemplate,
  TSConfig,
  FDW,
  ForeignServer,
  DefaultAcl,
  Transform,
  Blob,
  BlobData,
  PreDataBoundary,
  PostDataBoundary,
  EventTrigger,
  RefreshMatview,
  Policy,
  Publication,
  PublicationRel,
  PublicationTableInSchema,
  Subscription,
};
inline constexpr int kObjectTypeCount = static_cast<int>(ObjectType::Subscription) + 1;
const char* objectTypeName(ObjectType t);  // "NAMESPACE", "TABLE", ... for messages

struct CatalogId {
  uint32_t tableoid = 0;  // oid of the catalog the object lives in (pg_class, pg_proc, ...)
  uint32_t oid = 0;
  friend bool operator==(const CatalogId&, const CatalogId&) = default;
  friend auto operator<=>(const CatalogId&, const CatalogId&) = default;
};

struct CatalogIdHash {
  size_t operator()(const CatalogId& id) const noexcept {
    return std::hash<uint64_t>{}(uint64_t{id.tableoid} << 32 | id.oid);
  }
};

// Which parts of an object are emitted (pg_dump's DUMP_COMPONENT_* bits).
enum Component : uint32_t {
  kCompNone = 0,
  kCompDefinition = 1 << 0,
  kCompData = 1 << 1,
  kCompComment = 1 << 2,
  kCompSecLabel = 1 << 3,
  kCompAcl = 1 << 4,
  kCompPolicy = 1 << 5,
  kCompUserMap = 1 << 6,
  kCompAll = 0xFFFF,
};
using Components = uint32_t;

using DumpId = int;

struct NamespaceInfo;

// A part of an object that most objects of its kind lack, allocated when
// first written; reads of an absent one see a default T.
template <class T>
class OnDemand {
 public:
  const T& get() const {
    static const T kAbsent;
    return part_ ? *part_ : kAbsent;
  }
  T& edit() {
    if (!part_) part_ = std::make_unique<T>();
    return *part_;
  }

 private:
  std::unique_ptr<T> part_;
};

// ACL columns pg_dump reads for any object that has privileges.
struct AclInfo {
  std::string acl;        // aclitem[] text, "" when NULL
  std::string acldefault; // acldefault(kind, owner) text
  std::string privtype;   // pg_init_privs type ('i' or 'e'), "" when none
  std::string initprivs;  // pg_init_privs.initprivs text, "" when none
};

// The fields every object has. Kind-specific data lives in derived structs.
struct DumpableObject {
  explicit DumpableObject(ObjectType t) : type(t) {}
  virtual ~DumpableObject() = default;
  DumpableObject(const DumpableObject&) = delete;
  DumpableObject& operator=(const DumpableObject&) = delete;

  ObjectType type;
  CatalogId catId;
  DumpId dumpId = 0;
  std::string name;
  const NamespaceInfo* ns = nullptr;   // containing schema, if any
  std::string owner;                   // role name ("" when the kind has none)
  Components dump = kCompNone;         // components to emit
  Components dumpContains = kCompNone; // components of contained objects (schemas, extensions)
  Components components = kCompDefinition;  // components that exist (comment/acl/... present)
  bool ext_member = false;             // member of an extension
  bool depends_on_ext = false;         // depends on an extension (ALTER ... DEPENDS ON)
  std::vector<DumpId> dependencies;    // objects that must come first

  // Type-specific tie-break after type, namespace and name compare equal
  // (pg_dump's DOTypeNameCompare): negative, zero or positive. Both objects
  // have the same type.
  virtual int sortTieBreak(const DumpableObject&) const { return 0; }
  // The object's privileges, for kinds that have them (pg_init_privs are
  // applied through this after the catalog pass).
  virtual AclInfo* aclInfo() { return nullptr; }
  // The object as pg_dump 15.4 and later name it in a dependency loop it
  // cannot break: "TABLE name  (ID 7 OID 16384)".
  virtual std::string loopDescription() const;
};

struct NamespaceInfo : DumpableObject {
  NamespaceInfo() : DumpableObject(ObjectType::Namespace) {}
  AclInfo dacl;
  AclInfo* aclInfo() override { return &dacl; }
  uint32_t nspowner = 0;
  bool create = true;   // false for public (initdb creates it)
};

struct TableInfo;

// One column of a table (pg_attribute plus what pg_dump derives).
// The one-letter catalog codes are chars, '\0' for none (a table has one of
// these per column; pg_dump's are chars too).
struct AttributeInfo {
  std::string name;
  std::string typname;         // format_type(atttypid, atttypmod)
  // Texts few columns have, "" when absent.
  struct RareTexts {
    std::string attoptions;    // "opt=val, ..." or ""
    std::string collation;     // collation name qualified, "" when default for the type
    std::string attfdwoptions;
    std::string missingval;
  };
  const RareTexts& rare() const { return rare_.get(); }
  RareTexts& editRare() { return rare_.edit(); }
  int typmod = -1;
  int stattarget = -1;
  int inhcount = 0;
  uint32_t typid = 0;          // atttypid (0 for a domain) and attcollation,
  uint32_t collid = 0;         // for the index definitions getIndexes writes
  char storage = '\0';         // attstorage
  char typstorage = '\0';      // the type's default storage
  char identity = '\0';        // attidentity: '\0', 'a', 'd'
  char generated = '\0';       // attgenerated: '\0', 's'
  char compression = '\0';     // attcompression: '\0', 'p', 'l'
  char attalign = '\0';        // --binary-upgrade recreates dropped columns with attlen and attalign
  int16_t attlen = 0;
  bool isdropped = false;
  bool notnull = false;
  bool hasdef = false;
  bool islocal = true;
  bool hasmissing = false;
  bool inheritedNotNull = false;  // pg_dump's notnull from parent (flagInhAttrs)

 private:
  OnDemand<RareTexts> rare_;
};

// A column default (DO_ATTRDEF).
struct AttrDefInfo : DumpableObject {
  AttrDefInfo() : DumpableObject(ObjectType::Attrdef) {}
  TableInfo* table = nullptr;
  int adnum = 0;
  std::string adef_expr;   // pg_get_expr(adbin, adrelid)
  bool separate = false;   // emitted as ALTER TABLE ... SET DEFAULT
};

// CHECK / PRIMARY KEY / UNIQUE / EXCLUDE / FOREIGN KEY constraints (DO_CONSTRAINT,
// DO_FK_CONSTRAINT); a domain's CHECK constraints use it too (table == nullptr).
struct ConstraintInfo : DumpableObject {
  explicit ConstraintInfo(ObjectType t = ObjectType::Constraint) : DumpableObject(t) {}
  TableInfo* table = nullptr;
  DumpableObject* domain = nullptr;  // contype 'c' on a domain
  char contype = 'c';
  std::string condef;                // pg_get_constraintdef
  uint32_t confrelid = 0;
  DumpId conindex = 0;               // dumpId of the index of a PK/UNIQUE/EXCLUDE
  bool condeferrable = false;
  bool condeferred = false;
  bool conislocal = true;
  bool separate = false;             // must be emitted outside CREATE TABLE
  // Same-named constraints: domain constraints first (by domain name), then
  // table constraints by table name, as pg_dump sorts them.
  int sortTieBreak(const DumpableObject& other) const override;
};

struct IndxInfo : DumpableObject {
  IndxInfo() : DumpableObject(ObjectType::Index) {}
  TableInfo* table = nullptr;
  std::string indexdef;       // pg_get_indexdef
  // What few indexes have, "" or empty when absent.
  struct RareParts {
    std::string tablespace;
    std::string indstatcols;  // column numbers with statistics targets
    std::string indstatvals;
    std::vector<DumpableObject*> partattaches;  // INDEX ATTACH objects of a partitioned index
  };
  const RareParts& rare() const { return rare_.get(); }
  RareParts& editRare() { return rare_.edit(); }
  int indnkeyattrs = 0;
  int indnattrs = 0;
  bool indisclustered = false;
  bool indisreplident = false;
  bool indnullsnotdistinct = false;
  uint32_t parentidx = 0;      // partitioned parent index oid
  uint32_t indexconstraint = 0;  // oid of the owning constraint, 0 if none

 private:
  OnDemand<RareParts> rare_;
};

// ALTER INDEX parent ATTACH PARTITION child.
struct IndexAttachInfo : DumpableObject {
  IndexAttachInfo() : DumpableObject(ObjectType::IndexAttach) {}
  IndxInfo* parentIdx = nullptr;
  IndxInfo* partitionIdx = nullptr;
};

struct TableDataInfo;

// Tables, views, sequences, matviews, foreign tables, partitioned tables and
// composite types' relations (relkind distinguishes them, as in pg_class).
struct TableInfo : DumpableObject {
  TableInfo() : DumpableObject(ObjectType::Table) {}
  AclInfo dacl;
  AclInfo* aclInfo() override { return &dacl; }
  char relkind = 'r';
  char relpersistence = 'p';
  char relreplident = 'd';
  std::string tablespace;      // "" = database default
  std::string amname;          // table access method, "" for non-tables
  bool hasindex = false;
  bool hasrules = false;
  bool hastriggers = false;
  bool rowsec = false;
  bool forcerowsec = false;
  bool hasoids = false;
  bool ispartition = false;
  bool relispopulated = true; // matviews: REFRESH only when populated
  bool interesting = false;    // pg_dump's "interesting": columns are read
  bool dummy_view = false;     // view emitted first as a dummy table (loops)
  bool postponed_def = false;  // matview/view definition emitted later
  uint32_t frozenxid = 0, minmxid = 0, toast_frozenxid = 0, toast_minmxid = 0;
  uint32_t toast_oid = 0;
  uint32_t reltype = 0;
  uint32_t reloftype_oid = 0;
  uint32_t foreign_server = 0;
  uint32_t owning_tab = 0;     // sequence OWNED BY table oid
  int owning_col = 0;
  bool is_identity_sequence = false;
  int relpages = 0;
  bool unsafe_partitions = false;
  // Texts that only some relations have, "" when absent: allocated for those
  // (a plain table without options has none of them).
  struct RareTexts {
    std::string reloptions;      // "a=b, c=d" inside WITH (...)
    std::string checkoption;     // views: local / cascaded
    std::string toast_reloptions;
    std::string reloftype;       // OF type name
    std::string ftserver;        // foreign tables: server name and OPTIONS text (read by getForeignServers)
    std::string ftoptions;
    std::string partkeydef;      // pg_get_partkeydef
    std::string partbound;       // pg_get_expr(relpartbound)
    std::string viewdef;         // pg_get_viewdef for views/matviews
  };
  const RareTexts& rare() const { return rare_.get(); }
  RareTexts& editRare() { return rare_.edit(); }
  int ncheck = 0;
  bool hascolumnACLs = false;
  // Columns whose privileges differ or have a pg_init_privs base, in attnum
  // order (system columns included, as pg_dump reads them).
  struct ColumnAcl {
    std::string name;
    AclInfo dacl;
  };
  std::vector<ColumnAcl> columnAcls;
  // Sequence parameters (relkind 'S'), read in one batch; null for other
  // relations (most tables: kept out of every TableInfo).
  struct SequenceParams {
    std::string type, start, increment, max, min, cache;
    bool cycle = false;
  };
  std::unique_ptr<SequenceParams> seq;

  std::vector<AttributeInfo> attrs;        // index = attnum-1
  std::vector<AttrDefInfo*> attrdefs;      // per attnum-1, nullptr when none
  std::vector<ConstraintInfo*> checkexprs; // CHECK constraints
  std::vector<TableInfo*> parents;         // inheritance parents, in inhseqno order
  std::vector<IndxInfo*> indexes;
  TableDataInfo* dataObj = nullptr;
  int numParents() const { return static_cast<int>(parents.size()); }

 private:
  OnDemand<RareTexts> rare_;
};

// ALTER TABLE parent ATTACH PARTITION child FOR VALUES ...
struct TableAttachInfo : DumpableObject {
  TableAttachInfo() : DumpableObject(ObjectType::TableAttach) {}
  TableInfo* parentTbl = nullptr;
  TableInfo* partitionTbl = nullptr;
};

// The data of one table (DO_TABLE_DATA), or a sequence's value (DO_SEQUENCE_SET
// uses the same struct).
struct TableDataInfo : DumpableObject {
  explicit TableDataInfo(ObjectType t = ObjectType::TableData) : DumpableObject(t) {}
  TableInfo* table = nullptr;
  std::string filtercond;      // WHERE clause for partial dumps, "" for none
};

// The large objects, compactly: a dump may hold millions of them, and
// pg_dump's one DumpableObject per object (DO_BLOB) costs hundreds of bytes
// each. Their dumpIds are a range given in the order the server returned
// them; the archive lists them by oid as text (pg_dump's name sort).
struct LargeObjectTable {
  struct Record {
    uint32_t oid = 0;
    uint32_t scanIndex = 0;  // position in the server's order: dumpId = firstDumpId + scanIndex
  };
  std::vector<Record> records;          // archive order
  std::vector<std::string> ownerNames;  // interned
  std::vector<uint32_t> ownerOf;        // by scanIndex; empty when every object has ownerNames[0]
  std::map<uint32_t, AclInfo> acls;     // objects whose lomacl is not NULL
  DumpId firstDumpId = 0;
  uint32_t catalogOid = 0;              // pg_largeobject, the catalog pg_dump files them under
  const std::string& ownerOfRecord(const Record& r) const {
    static const std::string kNone;
    if (ownerNames.empty()) return kNone;
    return ownerOf.empty() ? ownerNames[0] : ownerNames[ownerOf[r.scanIndex]];
  }
};

// Stands for all large objects in the sort (they sort as one run: same
// priority, no dependencies of their own) and emits their entries as a
// generated run of the TOC. It holds the first of their dumpIds.
struct LargeObjectsInfo : DumpableObject {
  LargeObjectsInfo() : DumpableObject(ObjectType::Blob) {}
  std::shared_ptr<const LargeObjectTable> table;
};

// Section boundaries (DO_PRE_DATA_BOUNDARY / DO_POST_DATA_BOUNDARY) and the
// BLOBS data object have no kind-specific fields.
struct PlainObject : DumpableObject {
  explicit PlainObject(ObjectType t) : DumpableObject(t) {}
};

// Every object read, owned here, indexed the ways pg_dump looks them up.
class ObjectStore {
 public:
  // Takes ownership, assigns the next dumpId (pg_dump's AssignDumpId) and indexes it.
  template <class T>
  T* add(std::unique_ptr<T> obj) {
    T* raw = obj.get();
    raw->dumpId = ++lastDumpId_;
    const size_t slot = slotOf(raw->dumpId);
    byDumpId_.resize(slot + 1, nullptr);
    byDumpId_[slot] = raw;
    if (raw->catId.oid != 0) byCatalogId_[raw->catId] = raw;
    objects_.push_back(std::move(obj));
    return raw;
  }
  // A dumpId for an entry that is not an object (comments, ACLs, ENCODING...).
  DumpId newDumpId() { return ++lastDumpId_; }
  // Uses up `count` dumpIds that belong to no object here (large objects).
  // They get no slot in the dumpId index.
  void skipDumpIds(DumpId count) {
    if (count <= 0) return;
    skipped_.push_back({lastDumpId_ + 1, count});
    lastDumpId_ += count;
  }
  DumpId lastDumpId() const { return lastDumpId_; }

  DumpableObject* byDumpId(DumpId id) const {
    if (id <= 0) return nullptr;
    const size_t slot = slotOf(id);
    return slot < byDumpId_.size() ? byDumpId_[slot] : nullptr;
  }
  DumpableObject* byCatalogId(CatalogId id) const {
    auto it = byCatalogId_.find(id);
    return it == byCatalogId_.end() ? nullptr : it->second;
  }
  // Objects in dumpId order.
  const std::vector<std::unique_ptr<DumpableObject>>& all() const { return objects_; }

  // Catalog oids of the system catalogs, filled at the start of the catalog pass.
  std::map<std::string, uint32_t> catalogOids;  // "pg_class" -> 1259 ...
  uint32_t catalogOid(const std::string& name) const {
    auto it = catalogOids.find(name);
    return it == catalogOids.end() ? 0 : it->second;
  }
  // Lookups by plain oid for the common catalogs.
  NamespaceInfo* findNamespace(uint32_t oid) const;
  TableInfo* findTable(uint32_t oid) const;
  DumpableObject* findByOid(const std::string& catalog, uint32_t oid) const {
    return byCatalogId(CatalogId{catalogOid(catalog), oid});
  }

 private:
  std::vector<std::unique_ptr<DumpableObject>> objects_;
  // The index of byDumpId_ for `id`: ids skipped before it take no slot;
  // a skipped id has none (an index past the end).
  size_t slotOf(DumpId id) const {
    DumpId slot = id;
    for (const auto& [first, count] : skipped_) {
      if (id >= first + count) slot -= count;
      else if (id >= first) return SIZE_MAX;
    }
    return static_cast<size_t>(slot);
  }
  std::vector<DumpableObject*> byDumpId_{nullptr};
  std::vector<std::pair<DumpId, DumpId>> skipped_;  // (first, count) ranges of skipDumpIds
  std::unordered_map<CatalogId, DumpableObject*, CatalogIdHash> byCatalogId_;  // only looked up, never walked
  DumpId lastDumpId_ = 0;
};

// Like pg_dump's addObjectDependency: duplicates are kept (they show in the
// archive's dependency lists).
inline void addDependency(DumpableObject& obj, DumpId refId) { obj.dependencies.push_back(refId); }

}  // namespace pgarc::dump
