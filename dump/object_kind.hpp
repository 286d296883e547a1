#pragma once
// The extension point for object kinds. Each kind lives in
// dump/objects/<kind>.cpp and provides
//   (a) a catalog step: one batched query for all objects of the kind (with
//       per-server-version variants next to it) that adds objects to the store;
//   (b) an emitter: the TOC entries of one object (definition, plus its
//       COMMENT / SECURITY LABEL / ACL entries through the shared helpers).
// dump/objects/registry.cpp lists the steps in pg_dump's getSchemaData order
// and maps each ObjectType to its emitter. See dump/OBJECT_KINDS.md.
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dump/connection.hpp"
#include "dump/model.hpp"
#include "dump/options.hpp"
#include "dump/quoting.hpp"
#include "format/archive.hpp"
#include "format/result.hpp"

namespace pgarc::dump {

class SideQueries;
class BinaryUpgradeOids;

// Oid sets that -n/-N/-t/-T/-e/--exclude-table-data resolved to on the server.
struct Selection {
  std::set<uint32_t> schemaInclude, schemaExclude;
  std::set<uint32_t> tableInclude, tableExclude, tableDataExclude;
  std::set<uint32_t> extensionInclude;
  std::set<uint32_t> foreignServerInclude;
  bool anySchemaInclude = false, anyTableInclude = false, anyExtensionInclude = false;
};

// What the catalog steps share.
struct CatalogContext {
  Connection& conn;
  const DumpOptions& options;
  ObjectStore& store;
  const Selection& selection;
  int serverVersion = 0;
  std::function<void(const std::string&)> info;  // -v messages ("reading schemas")
  // Extension membership: catalog id of member -> extension object (pg_depend 'e').
  std::map<CatalogId, DumpableObject*> extensionMembers;
  // Role names by oid, read once (pg_dump's getRoleName cache).
  std::map<uint32_t, std::string> roles;
  // Extra connections in the dump's snapshot for queued reads (may be null).
  SideQueries* side = nullptr;
  // Index reads queued on `side` once the tables were locked: the oids of each
  // queued query (dump/objects/indexes.cpp).
  std::vector<std::vector<uint32_t>> queuedIndexReads;
  // Column reads queued on `side` (getTableAttrs).
  std::vector<std::vector<uint32_t>> queuedAttributeReads;
  std::string roleName(uint32_t oid) const {
    auto it = roles.find(oid);
    return it == roles.end() ? std::string() : it->second;
  }
};

// Receives the bytes of one TABLE DATA entry (COPY text or INSERT statements).
class ChunkSink {
 public:
  virtual ~ChunkSink() = default;
  virtual Status write(std::string_view bytes) = 0;
  // Set when COPY data may be read straight into the sink's memory: it then
  // takes the bytes in pieces that need not match the rows.
  virtual CopyBuffer* copyBuffer() { return nullptr; }
};

// Receives the large objects of the BLOBS entry.
class BlobOutput {
 public:
  virtual ~BlobOutput() = default;
  virtual Status beginBlob(uint32_t oid) = 0;
  virtual Status write(std::string_view bytes) = 0;
  virtual Status endBlob(uint32_t oid) = 0;
};

using TableDataProducer = std::function<Status(ChunkSink&)>;
using BlobsProducer = std::function<Status(BlobOutput&)>;
// The same table data read through a given connection (parallel dumps: a
// worker connection on the leader's exported snapshot).
using TableDataOnProducer = std::function<Status(Connection&, ChunkSink&)>;
// Only the given large objects (archive version 1.16 writes them in groups).
using BlobsOfProducer = std::function<Status(const std::vector<uint32_t>&, BlobOutput&)>;

// One TOC entry as a kind describes it (pg_dump's ArchiveEntry arguments).
struct EntrySpec {
  DumpId dumpId = 0;
  CatalogId catId;
  std::string tag;
  std::string desc;
  Section section = Section::PreData;
  std::optional<std::string> defn;      // NULL vs "" matters in the archive bytes
  std::optional<std::string> dropStmt;
  std::optional<std::string> copyStmt;
  std::optional<std::string> namespace_;
  std::optional<std::string> tablespace;
  std::optional<std::string> tableam;
  std::optional<std::string> owner;
  std::vector<DumpId> deps;
  TableDataProducer tableData;  // set for TABLE DATA entries
  BlobsProducer blobs;          // set for the BLOBS entry
  TableDataOnProducer tableDataOn;  // with tableData, for parallel dumps
  int64_t dataSize = 0;             // relpages, to dump the largest tables first
  BlobsOfProducer blobsOf;          // with blobs
};

// A pg_description or pg_seclabel row.
struct CommentItem {
  int objsubid = 0;
  std::string descr;
  std::string provider;   // security labels only
};
using CommentMap = std::map<CatalogId, std::vector<CommentItem>>;  // ordered by objsubid

// What emitters share: the store, options, quoting, and the growing TOC.
class EmitContext {
 public:
  EmitContext(const DumpOptions& o, ObjectStore& s, const Quoter& q, Connection* c)
      : options(o), store(s), quote(q), conn(c) {}
  const DumpOptions& options;
  ObjectStore& store;
  const Quoter& quote;
  Connection* conn;   // for data producers; nullptr in unit tests

  // Makes the spec's TOC entry at once (dump/toc_entries.cpp): the TOC is
  // held only as the entries the archive writer takes, never also as specs.
  void add(EntrySpec e);
  // Entries made by `run` when the TOC is written (the large objects'): a
  // marker entry stands in `entries` where they go, with the section and
  // desc that decide, as for any entry, whether the archive keeps them.
  void addRun(std::shared_ptr<const TocEntryRun> run, TocEntry marker);
  std::vector<ArchiveToc::Run> runs;  // `at`: the index of the run's marker in `entries`
  // In emission order = archive order. Sized before the emitters run
  // (growing would hold the whole TOC twice for a moment).
  std::vector<TocEntry> entries;
  std::vector<const EntrySpec*> specs;  // parallel to entries: the spec of an entry with data, else nullptr
  std::deque<EntrySpec> producers;      // those specs, for their data producers (their texts are in `entries`)
  // Data-less (0, oid) table data entries etc. are found through the store.
  CommentMap comments;              // collectComments
  CommentMap seclabels;             // collectSecLabels
  std::string dbOwner;              // owner of the database (for public schema etc.)
  int serverVersion = 0;
  std::function<void(const std::string&)> info;  // -v messages ("saving encoding = UTF8")
  const BinaryUpgradeOids* binaryUpgrade = nullptr;  // set with --binary-upgrade (dump/binary_upgrade.hpp)
};

// A step of the catalog pass (one pg_dump getXxx call).
struct CatalogStep {
  const char* message;                 // -v message, e.g. "reading schemas"
  Status (*run)(CatalogContext&);
};

using Emitter = Status (*)(EmitContext&, DumpableObject&);

// The catalog pass in pg_dump 15's getSchemaData order.
const std::vector<CatalogStep>& catalogSteps();
// The emitter of a type; nullptr for types that emit nothing themselves.
Emitter emitterFor(ObjectType t);

}  // namespace pgarc::dump
