#include "dump/catalog.hpp"

#include <malloc.h>

#include "dump/acl.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/database.hpp"
#include "dump/objects/large_objects.hpp"
#include "dump/objects/type.hpp"
#include "dump/selection.hpp"
#include "dump/side_queries.hpp"
#include "dump/sort.hpp"

#include <cstdio>
#include <map>
#include <optional>

namespace pgarc::dump {

namespace {

// makeTableDataObject for every table whose data is dumped.
void getTableData(ObjectStore& store, const DumpOptions& o, const Selection& sel, char onlyRelkind) {
  std::vector<TableInfo*> tables;
  for (const auto& obj : store.all())
    if (obj->type == ObjectType::Table) tables.push_back(static_cast<TableInfo*>(obj.get()));
  for (TableInfo* t : tables) {
    if (!(t->dump & kCompData)) continue;
    if (onlyRelkind && t->relkind != onlyRelkind) continue;
    if (t->dataObj) continue;
    if (t->relkind == 'v' || t->relkind == 'c') continue;
    // Foreign tables: data only from the servers --include-foreign-data names.
    if (t->relkind == 'f' && !sel.foreignServerInclude.count(t->foreign_server)) continue;
    if (t->relkind == 'p') continue;
    if (t->relpersistence == 'u' && o.noUnloggedTableData) continue;
    if (sel.tableDataExclude.count(t->catId.oid)) continue;
    ObjectType type = t->relkind == 'm' ? ObjectType::RefreshMatview
                      : t->relkind == 'S' ? ObjectType::SequenceSet
                                          : ObjectType::TableData;
    auto td = std::make_unique<TableDataInfo>(type);
    td->catId = {0, t->catId.oid};
    td->name = t->name;
    td->ns = t->ns;
    td->table = t;
    td->dump = kCompAll;
    td->components |= kCompData;
    TableDataInfo* raw = store.add(std::move(td));
    addDependency(*raw, t->dumpId);
    t->dataObj = raw;
    t->interesting = true;
  }
}

// A materialized view's REFRESH waits for the REFRESH of every materialized
// view it reads, directly or through plain views; one that reads an
// unpopulated materialized view is not refreshed either.
Status buildMatViewRefreshDependencies(Connection& conn, ObjectStore& store) {
  PGARC_ASSIGN(QueryResult r,
               conn.query("WITH RECURSIVE reads(mv, rel, relkind) AS ("
                          "SELECT rw.ev_class, d.refobjid, c.relkind "
                          "FROM pg_catalog.pg_class m "
                          "JOIN pg_catalog.pg_rewrite rw ON rw.ev_class = m.oid "
                          "JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass "
                          "AND d.objid = rw.oid AND d.refobjid <> m.oid "
                          "JOIN pg_catalog.pg_class c ON c.oid = d.refobjid AND c.relkind IN ('m', 'v') "
                          "WHERE m.relkind = 'm' "
                          "UNION "
                          "SELECT reads.mv, d.refobjid, c.relkind FROM reads "
                          "JOIN pg_catalog.pg_rewrite rw ON rw.ev_class = reads.rel "
                          "JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass "
                          "AND d.objid = rw.oid AND d.refobjid <> reads.rel "
                          "JOIN pg_catalog.pg_class c ON c.oid = d.refobjid AND c.relkind IN ('m', 'v')) "
                          "SELECT mv, rel FROM reads WHERE relkind = 'm'"));
  for (int i = 0; i < r.rows(); i++) {
    TableInfo* mv = store.findTable(r.oid(i, 0));
    TableInfo* ref = store.findTable(r.oid(i, 1));
    if (!mv || !mv->dataObj || !ref || !ref->dataObj) continue;
    addDependency(*mv->dataObj, ref->dataObj->dumpId);
    if (!ref->relispopulated) mv->relispopulated = false;
  }
  return {};
}

// Data-only dumps load referenced tables first: each referencing table's
// data depends on the referenced table's data.
void getTableDataFKConstraints(ObjectStore& store) {
  for (const auto& up : store.all()) {
    if (up->type != ObjectType::FkConstraint) continue;
    auto& c = static_cast<ConstraintInfo&>(*up);
    if (!c.table || !c.table->dataObj) continue;
    TableInfo* ref = store.findTable(c.confrelid);
    if (!ref || !ref->dataObj) continue;
    addDependency(*c.table->dataObj, ref->dataObj->dumpId);
  }
}

// A view's dependencies are recorded on its ON SELECT rule; they are
// attributed to the view itself (pg_dump makes the view depend on the rule
// and drops the rule's dependency on the view).
const char* const kDependencyQuery =
    "SELECT classid, objid, refclassid, refobjid, deptype FROM pg_catalog.pg_depend "
    "WHERE deptype != 'p' AND deptype != 'e'\n"
    "UNION ALL\n"
    " SELECT 'pg_catalog.pg_opfamily'::pg_catalog.regclass AS classid, amopfamily AS objid, refclassid, "
    "refobjid, deptype FROM pg_catalog.pg_depend d, pg_catalog.pg_amop o "
    "WHERE deptype NOT IN ('p', 'e', 'i') AND classid = 'pg_catalog.pg_amop'::pg_catalog.regclass "
    "AND objid = o.oid AND NOT (refclassid = 'pg_catalog.pg_opfamily'::pg_catalog.regclass "
    "AND amopfamily = refobjid)\n"
    "UNION ALL\n"
    " SELECT 'pg_catalog.pg_opfamily'::pg_catalog.regclass AS classid, amprocfamily AS objid, refclassid, "
    "refobjid, deptype FROM pg_catalog.pg_depend d, pg_catalog.pg_amproc p "
    "WHERE deptype NOT IN ('p', 'e', 'i') AND classid = 'pg_catalog.pg_amproc'::pg_catalog.regclass "
    "AND objid = p.oid AND NOT (refclassid = 'pg_catalog.pg_opfamily'::pg_catalog.regclass "
    "AND amprocfamily = refobjid)\n"
    "ORDER BY 1,2";

const char* const kCommentsQuery =
    "SELECT description, '', classoid, objoid, objsubid FROM pg_catalog.pg_description "
    "ORDER BY classoid, objoid, objsubid";
// The pg_seclabels view (15.15 and later) also holds shared objects' labels,
// which subscriptions need.
const char* const kSecLabelsQuery =
    "SELECT label, provider, classoid, objoid, objsubid FROM pg_catalog.pg_seclabels "
    "ORDER BY classoid, objoid, objsubid";

// Reads that need nothing from the catalog pass and call no ruleutils
// function, queued on the side connections before the pass starts.
void prefetchCatalogReads(SideQueries& side, const DumpOptions& o) {
  side.prefetch(kTypesQuery);
  side.prefetch(kDependencyQuery);
  if (!o.noComments) side.prefetch(kCommentsQuery);
}

Status getDependencies(Connection& conn, SideQueries* side, ObjectStore& store) {
  PGARC_ASSIGN(QueryResult r, catalogQuery(conn, side, kDependencyQuery));
  for (int i = 0; i < r.rows(); i++) {
    CatalogId src{r.oid(i, 0), r.oid(i, 1)};
    DumpableObject* obj = store.byCatalogId(src);
    if (!obj) continue;
    DumpableObject* ref = store.byCatalogId({r.oid(i, 2), r.oid(i, 3)});
    if (!ref || ref == obj) continue;
    if (r.ch(i, 4) == 'i' && obj->type == ObjectType::Table && ref->type == ObjectType::Type)
      addDependency(*ref, obj->dumpId);
    else
      addDependency(*obj, ref->dumpId);
  }
  return {};
}

Status collectComments(Connection& conn, SideQueries* side, ObjectStore& store, CommentMap& out, bool seclabels) {
  PGARC_ASSIGN(QueryResult r, catalogQuery(conn, side, seclabels ? kSecLabelsQuery : kCommentsQuery));
  for (int i = 0; i < r.rows(); i++) {
    CatalogId id{r.oid(i, 2), r.oid(i, 3)};
    out[id].push_back(CommentItem{static_cast<int>(r.integer(i, 4)), r.str(i, 0), r.str(i, 1)});
    if (DumpableObject* o = store.byCatalogId(id)) o->components |= seclabels ? kCompSecLabel : kCompComment;
  }
  return {};
}

// Column privileges of every relation, catalogs included (pg_dump dumps a
// changed grant on a pg_catalog column too). Any column with an ACL or an
// initial-privileges entry, even a dropped one, gives its table an ACL
// component; the dropped ones are not dumped.
const char* const kColumnAclsQuery =
    "SELECT a.attrelid, a.attname, a.attisdropped, a.attacl, pip.privtype, pip.initprivs "
    "FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_init_privs pip ON "
    "(a.attrelid = pip.objoid AND pip.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass "
    "AND a.attnum = pip.objsubid) "
    "WHERE a.attacl IS NOT NULL OR pip.initprivs IS NOT NULL ORDER BY a.attrelid, a.attnum";

Status getColumnAcls(Connection& conn, SideQueries* side, ObjectStore& store) {
  PGARC_ASSIGN(QueryResult r, catalogQuery(conn, side, kColumnAclsQuery));
  for (int i = 0; i < r.rows(); i++) {
    TableInfo* t = store.findTable(r.oid(i, 0));
    if (!t) continue;
    t->hascolumnACLs = true;
    t->components |= kCompAcl;
    if (r.boolean(i, 2)) continue;
    TableInfo::ColumnAcl c;
    c.name = r.str(i, 1);
    c.dacl.acl = r.str(i, 3);
    c.dacl.acldefault = "{}";  // columns have no default privileges
    c.dacl.privtype = r.str(i, 4);
    c.dacl.initprivs = r.str(i, 5);
    t->columnAcls.push_back(std::move(c));
  }
  return {};
}

}  // namespace

void prefetchLateCatalogReads(SideQueries& side, const DumpOptions& o) {
  if (!o.noPrivileges) side.prefetch(kColumnAclsQuery);
}

namespace {

// pg_init_privs for objects (sub-id 0): the base their ACLs are compared with.
Status getAdditionalAcls(Connection& conn, SideQueries* side, ObjectStore& store) {
  PGARC_TRY(getColumnAcls(conn, side, store));
  PGARC_ASSIGN(QueryResult r, conn.query("SELECT objoid, classoid, objsubid, privtype, initprivs "
                                         "FROM pg_catalog.pg_init_privs pip ORDER BY objoid, classoid, objsubid"));
  for (int i = 0; i < r.rows(); i++) {
    if (r.integer(i, 2) != 0) continue;  // columns: getColumnAcls
    DumpableObject* obj = store.byCatalogId({r.oid(i, 1), r.oid(i, 0)});
    if (!obj) continue;
    // The public schema's base ACL is synthesized in getNamespaces, as pg_dump 15 does.
    if (obj->type == ObjectType::Namespace && obj->name == "public") continue;
    AclInfo* acl = obj->aclInfo();
    if (!acl) continue;
    obj->components |= kCompAcl;
    acl->privtype = r.str(i, 3);
    acl->initprivs = r.str(i, 4);
  }
  return {};
}

bool isPreData(ObjectType t) {
  switch (t) {
    case ObjectType::Namespace: case ObjectType::Extension: case ObjectType::Type: case ObjectType::ShellType:
    case ObjectType::Func: case ObjectType::Agg: case ObjectType::Operator: case ObjectType::AccessMethod:
    case ObjectType::Opclass: case ObjectType::Opfamily: case ObjectType::Collation: case ObjectType::Conversion:
    case ObjectType::Table: case ObjectType::TableAttach: case ObjectType::Attrdef: case ObjectType::ProcLang:
    case ObjectType::Cast: case ObjectType::DummyType: case ObjectType::TSParser: case ObjectType::TSDict:
    case ObjectType::TSTemplate: case ObjectType::TSConfig: case ObjectType::FDW: case ObjectType::ForeignServer:
    case ObjectType::Transform: case ObjectType::Blob:
      return true;
    default:
      return false;
  }
}

void addBoundaryDependencies(ObjectStore& store, DumpableObject& pre, DumpableObject& post) {
  for (const auto& up : store.all()) {
    DumpableObject* o = up.get();
    switch (o->type) {
      case ObjectType::TableData: case ObjectType::SequenceSet: case ObjectType::BlobData:
        addDependency(*o, pre.dumpId);
        addDependency(post, o->dumpId);
        break;
      case ObjectType::Index: case ObjectType::IndexAttach: case ObjectType::StatsExt:
      case ObjectType::RefreshMatview: case ObjectType::Trigger: case ObjectType::EventTrigger:
      case ObjectType::DefaultAcl: case ObjectType::Policy: case ObjectType::Publication:
      case ObjectType::PublicationRel: case ObjectType::PublicationTableInSchema: case ObjectType::Subscription:
        addDependency(*o, post.dumpId);
        break;
      case ObjectType::Rule:
        break;  // rules of this build are never separate
      case ObjectType::Constraint: case ObjectType::FkConstraint:
        if (static_cast<ConstraintInfo*>(o)->separate) addDependency(*o, post.dumpId);
        break;
      case ObjectType::PreDataBoundary:
        break;
      case ObjectType::PostDataBoundary:
        addDependency(*o, pre.dumpId);
        break;
      default:
        if (isPreData(o->type)) addDependency(pre, o->dumpId);
    }
  }
}

// Sequence parameters and values, and view definitions, in a few batched queries.
Status loadDetails(Connection& conn, ObjectStore& store) {
  std::string seqOids, viewOids;
  std::vector<TableDataInfo*> seqSets;
  for (const auto& up : store.all()) {
    if (up->type == ObjectType::Table) {
      auto& t = static_cast<TableInfo&>(*up);
      if (!t.dump) continue;
      if (t.relkind == 'S') seqOids += (seqOids.empty() ? "" : ",") + std::to_string(t.catId.oid);
      if ((t.relkind == 'v' || t.relkind == 'm') && (t.dump & kCompDefinition))
        viewOids += (viewOids.empty() ? "" : ",") + std::to_string(t.catId.oid);
    } else if (up->type == ObjectType::SequenceSet) {
      seqSets.push_back(static_cast<TableDataInfo*>(up.get()));
    }
  }
  if (!seqOids.empty()) {
    PGARC_ASSIGN(QueryResult r, conn.query("SELECT seqrelid, pg_catalog.format_type(seqtypid, NULL), seqstart, "
                                           "seqincrement, seqmax, seqmin, seqcache, seqcycle "
                                           "FROM pg_catalog.pg_sequence WHERE seqrelid = ANY('{" + seqOids +
                                           "}'::pg_catalog.oid[])"));
    for (int i = 0; i < r.rows(); i++) {
      TableInfo* t = store.findTable(r.oid(i, 0));
      if (!t) continue;
      t->seq = std::make_unique<TableInfo::SequenceParams>(TableInfo::SequenceParams{
          r.str(i, 1), r.str(i, 2), r.str(i, 3), r.str(i, 4), r.str(i, 5), r.str(i, 6), r.boolean(i, 7)});
    }
  }
  if (!viewOids.empty()) {
    PGARC_ASSIGN(QueryResult r, conn.query("SELECT v.oid, pg_catalog.pg_get_viewdef(v.oid) FROM unnest('{" + viewOids +
                                           "}'::pg_catalog.oid[]) AS v(oid)"));
    for (int i = 0; i < r.rows(); i++)
      if (TableInfo* t = store.findTable(r.oid(i, 0))) t->editRare().viewdef = r.str(i, 1);
  }
  // Sequence values: one UNION ALL query per batch of sequences.
  Quoter q;
  for (size_t start = 0; start < seqSets.size(); start += 500) {
    std::string sql;
    size_t end = std::min(seqSets.size(), start + 500);
    for (size_t i = start; i < end; i++) {
      const TableInfo& t = *seqSets[i]->table;
      if (!sql.empty()) sql += " UNION ALL ";
      sql += "SELECT " + std::to_string(i) + ", last_value, is_called FROM " +
             q.qualified(t.ns ? t.ns->name : "", t.name);
    }
    PGARC_ASSIGN(QueryResult r, conn.query(sql));
    for (int i = 0; i < r.rows(); i++) {
      size_t idx = static_cast<size_t>(r.integer(i, 0));
      if (idx < seqSets.size()) seqSets[idx]->filtercond = r.str(i, 1) + ", " + (r.boolean(i, 2) ? "true" : "false");
    }
  }
  return {};
}

// About how many TOC entries the objects make: a definition (or data) and
// their comment, security label and ACL; column comments are not foreseen.
size_t expectedEntryCount(const std::vector<DumpableObject*>& objs) {
  size_t n = 16;  // ENCODING, STDSTRINGS, SEARCHPATH, DATABASE and its properties
  for (const DumpableObject* obj : objs) {
    const Components c = obj->dump & obj->components;
    if (c == kCompNone || !emitterFor(obj->type)) continue;
    n += 1 + ((c & kCompComment) != 0) + ((c & kCompSecLabel) != 0) + ((c & kCompAcl) != 0);
  }
  return n;
}

}  // namespace

Result<DumpPlan> buildDumpPlan(Connection& conn, const DumpOptions& o, const Quoter& quote, ObjectStore& store,
                               const InfoLog& info, SideQueries* side) {
  const int serverVersion = conn.serverVersion();
  if (serverVersion / 10000 > 15)
    return makeError("aborting because of server version mismatch\nserver version: " + conn.serverVersionString() +
                     "; pg_dump version: 15");
  if (side) prefetchCatalogReads(*side, o);
  // The system catalogs (oids below FirstNormalObjectId, 16384): the bound
  // reads pg_class through its oid index instead of scanning it (9 ms with
  // 10,000 tables, before anything else can start).
  PGARC_ASSIGN(QueryResult cats, conn.query("SELECT relname, oid FROM pg_catalog.pg_class WHERE oid < 16384 AND "
                                            "relnamespace = 'pg_catalog'::pg_catalog.regnamespace AND relkind = 'r'"));
  for (int i = 0; i < cats.rows(); i++) store.catalogOids[cats.str(i, 0)] = cats.oid(i, 1);
  if (info) info("last built-in OID is 16383");

  PGARC_ASSIGN(Selection selection, resolveSelection(conn, o));
  CatalogContext cctx{conn, o, store, selection, serverVersion, info, {}, {}, side, {}, {}};
  PGARC_ASSIGN(QueryResult roles, conn.query("SELECT oid, rolname FROM pg_catalog.pg_roles ORDER BY 1"));
  for (int i = 0; i < roles.rows(); i++) cctx.roles[roles.oid(i, 0)] = roles.str(i, 1);
  for (const CatalogStep& step : catalogSteps()) {
    if (step.message && info) info(step.message);
    PGARC_TRY(step.run(cctx));
  }

  const bool includeEverything = o.schemaPatterns.empty() && o.tablePatterns.empty() && o.extensionPatterns.empty();
  if (!o.schemaOnly) {
    getTableData(store, o, selection, 0);
    PGARC_TRY(buildMatViewRefreshDependencies(conn, store));
    if (o.dataOnly) getTableDataFKConstraints(store);
  }
  // --binary-upgrade implies sequence data (pg_dump's sequence_data), even with -s.
  if (o.schemaOnly && o.binaryUpgrade) getTableData(store, o, selection, 'S');
  bool outputBlobs = o.includeBlobs || (includeEverything && !o.schemaOnly && !o.excludeBlobs);
  if (o.excludeBlobs) outputBlobs = false;
  // A binary upgrade copies pg_largeobject but not the large objects' metadata.
  if (outputBlobs || o.binaryUpgrade) {
    if (info) info("reading large objects");
    PGARC_TRY(readLargeObjects(conn, store));
  }
  if (info) info("reading dependency data");
  PGARC_TRY(getDependencies(conn, side, store));

  if (!o.noPrivileges) PGARC_TRY(getAdditionalAcls(conn, side, store));

  EmitContext ectx(o, store, quote, &conn);
  ectx.serverVersion = serverVersion;
  std::optional<BinaryUpgradeOids> upgradeOids;
  if (o.binaryUpgrade) {
    PGARC_ASSIGN(upgradeOids, BinaryUpgradeOids::read(conn));
    ectx.binaryUpgrade = &*upgradeOids;
  }
  ectx.info = info;
  if (!o.noComments) PGARC_TRY(collectComments(conn, side, store, ectx.comments, false));
  if (!o.noSecurityLabels) PGARC_TRY(collectComments(conn, side, store, ectx.seclabels, true));

  auto pre = std::make_unique<PlainObject>(ObjectType::PreDataBoundary);
  pre->name = "PRE-DATA BOUNDARY";
  pre->dump = kCompAll;
  DumpableObject* preB = store.add(std::move(pre));
  auto post = std::make_unique<PlainObject>(ObjectType::PostDataBoundary);
  post->name = "POST-DATA BOUNDARY";
  post->dump = kCompAll;
  DumpableObject* postB = store.add(std::move(post));
  addBoundaryDependencies(store, *preB, *postB);

  PGARC_TRY(loadDetails(conn, store));

  std::vector<DumpableObject*> objs;
  for (const auto& up : store.all()) objs.push_back(up.get());
  sortByTypeName(objs);
  const DumpId maxId = store.lastDumpId();
  objs = sortByDependencies(std::move(objs), maxId, [&](DumpId id) { return store.byDumpId(id); },
                            [](const std::string& w) { std::fprintf(stderr, "pgarc dump: warning: %s\n", w.c_str()); });

  // The catalog's query results are freed by now; their pages lie inside
  // the heap and the side connections' malloc arenas, where the TOC made
  // next would reuse only part of them: hand them back to the system first
  // (10,000 tables: 15 MB less peak RSS).
  malloc_trim(0);
  ectx.entries.reserve(expectedEntryCount(objs));
  ectx.specs.reserve(ectx.entries.capacity());
  PGARC_TRY(emitSpecialEntries(ectx, conn));
  // pg_dump makes the database's entries for archives always, for a plain script only with -C;
  // without them a plain script's dumpIds (shown by -v) start one lower.
  if (o.create || o.format != ArchiveKind::Plain) PGARC_TRY(emitDatabase(ectx, conn));
  for (DumpableObject* obj : objs) {
    obj->dump &= obj->components;
    if (obj->dump == kCompNone) continue;
    Emitter emit = emitterFor(obj->type);
    if (!emit) continue;
    Status st = emit(ectx, *obj);
    if (!st.ok()) return std::move(st).error().withDumpId(obj->dumpId);
  }

  DumpPlan plan;
  plan.entries = std::move(ectx.entries);
  plan.specs = std::move(ectx.specs);
  plan.producers = std::move(ectx.producers);  // a deque's move keeps its elements in place
  plan.runs = std::move(ectx.runs);
  plan.dbname = conn.database();
  plan.serverVersion = conn.serverVersionString();
  return plan;
}

}  // namespace pgarc::dump
