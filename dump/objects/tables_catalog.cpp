// Tables and everything read per table: getTables (with the ACCESS SHARE
// locks), getOwnedSeqs, getInherits, flagInhTables, getTableAttrs,
// flagInhAttrs. One query per step; per-table reads are batched with unnest().
// With side connections the column and index reads of the tables known after
// getTables are queued on them as soon as the tables are locked.


#include "dump/acl.hpp"
#include "dump/catalog.hpp"
#include "dump/objects/kinds.hpp"
#include "dump/pg_dump_version.hpp"
#include "dump/objects/kinds_a_common.hpp"
#include "dump/side_queries.hpp"

#include <algorithm>
#include <set>

namespace pgarc::dump {

namespace {
constexpr Components kLockComponents = kCompDefinition | kCompData | kCompPolicy;


std::string oidArray(const std::vector<uint32_t>& oids) {
  std::string s = "{";
  for (size_t i = 0; i < oids.size(); i++) {
    if (i) s += ",";
    s += std::to_string(oids[i]);
  }
  return s + "}";
}

// The columns of the tables `oids` (no ruleutils calls: the side connections
// may read them ahead, before flagInhTables settles which tables are read).
// The per-column subqueries run only for columns that have what they read
// (the client takes NULL as the empty string they give otherwise), and the
// attrelid range bounds the planner's scan of pg_attribute's index: together
// a third of the query's server time on 10,000 tables.
std::string attributesQuery(const std::vector<uint32_t>& oids) {
  const auto [lo, hi] = std::minmax_element(oids.begin(), oids.end());
  return "SELECT a.attrelid, a.attnum, a.attname, a.atttypmod, a.attstattarget, a.attstorage, t.typstorage, "
         "a.attnotnull, a.atthasdef, a.attisdropped, a.attislocal, "
         "pg_catalog.format_type(t.oid, a.atttypmod) AS atttypname, "
         + std::string(kHidesAttributeVersionOption
                           ? "CASE WHEN a.attoptions IS NOT NULL THEN "
                             "pg_catalog.array_to_string(ARRAY(SELECT o FROM pg_catalog.unnest(a.attoptions) o "
                             "WHERE pg_catalog.substr(o, 1, 10) <> 'pg_attver='), ', ') END AS attoptions, "
                           : "pg_catalog.array_to_string(a.attoptions, ', ') AS attoptions, ") +
         "CASE WHEN a.attcollation <> t.typcollation THEN a.attcollation ELSE 0 END AS attcollation, "
         "CASE WHEN a.attfdwoptions IS NOT NULL THEN "
         "pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(option_name) || ' ' || "
         "pg_catalog.quote_literal(option_value) FROM pg_catalog.pg_options_to_table(attfdwoptions) "
         "ORDER BY option_name), E',\n    ') END AS attfdwoptions, "
         "a.attcompression AS attcompression, a.attidentity, "
         "CASE WHEN a.atthasmissing AND NOT a.attisdropped THEN a.attmissingval ELSE null END AS attmissingval, "
         "a.attgenerated, "
         "CASE WHEN a.attcollation <> t.typcollation THEN "
         "(SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) "
         "FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace "
         "WHERE co.oid = a.attcollation) END AS collname, "
         // 0 for a domain: ruleutils compares an index's operator class with
         // the domain's base type's default (GetDefaultOpClass), which
         // getIndexes does not know, so such indexes go to pg_get_indexdef.
         "CASE WHEN t.typtype = 'd' THEN 0 ELSE a.atttypid END AS atttypid, a.attcollation AS attcollid, "
         "a.attlen, a.attalign "
         "FROM unnest('" + oidArray(oids) + "'::pg_catalog.oid[]) AS src(tbloid) "
         "JOIN pg_catalog.pg_attribute a ON (src.tbloid = a.attrelid) "
         "LEFT JOIN pg_catalog.pg_type t ON (a.atttypid = t.oid) "
         "WHERE a.attrelid BETWEEN " + std::to_string(oids.empty() ? 0 : *lo) + " AND " +
         std::to_string(oids.empty() ? 0 : *hi) + " AND a.attnum > 0::pg_catalog.int2 ORDER BY a.attrelid, a.attnum";
}

// Tables whose columns getTableAttrs reads.
bool readsAttributes(const TableInfo& t) { return t.relkind != 'S' && t.interesting; }

}  // namespace

Status getTables(CatalogContext& ctx) {
  // Variant for servers 15+ (relkinds, relam, relispartition, ...).
  const std::string sql =
      "SELECT c.tableoid, c.oid, c.relname, c.relnamespace, c.relkind, c.reltype, "
      "pg_catalog.pg_get_userbyid(c.relowner) AS rolname, c.relchecks, c.relhasindex, c.relhasrules, c.relpages, "
      "c.relhastriggers, c.relpersistence, c.reloftype, "
      "c.relacl, pg_catalog.acldefault(CASE WHEN c.relkind = 'S' THEN 's'::\"char\" ELSE 'r'::\"char\" END, "
      "c.relowner) AS acldefault, pip.privtype, pip.initprivs, "
      "CASE WHEN c.relkind = 'f' THEN (SELECT ftserver FROM pg_catalog.pg_foreign_table WHERE ftrelid = c.oid) "
      "ELSE 0 END AS foreignserver, "
      "c.relfrozenxid, tc.relfrozenxid AS tfrozenxid, tc.oid AS toid, tc.reloptions AS toast_reloptions, "
      "d.refobjid AS owning_tab, d.refobjsubid AS owning_col, tsp.spcname AS reltablespace, "
      "array_remove(array_remove(c.reloptions,'check_option=local'),'check_option=cascaded') AS reloptions, "
      "CASE WHEN 'check_option=local' = ANY (c.reloptions) THEN 'LOCAL'::text "
      "WHEN 'check_option=cascaded' = ANY (c.reloptions) THEN 'CASCADED'::text ELSE NULL END AS checkoption, "
      "am.amname, c.relispartition AS ispartition, c.relrowsecurity, c.relforcerowsecurity, c.relreplident, "
      "(d.deptype = 'i') IS TRUE AS is_identity_sequence, "
      "CASE WHEN c.reloftype <> 0 THEN c.reloftype::pg_catalog.regtype::text END AS reloftypename, "
      "CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partkeydef, "
      "CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partbound, "
      "c.relispopulated, c.relminmxid, tc.relminmxid AS tminmxid "
      "FROM pg_catalog.pg_class c "
      // A sequence's owner: pg_dump's LEFT JOIN, as a lateral probe of
      // pg_depend's index for sequences only (the join hashed all of
      // pg_depend, a third of the query's time on 10,000 tables).
      "LEFT JOIN LATERAL (SELECT d.refobjid, d.refobjsubid, d.deptype FROM pg_catalog.pg_depend d "
      "WHERE c.relkind = 'S' AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
      "AND d.objid = c.oid AND d.objsubid = 0 AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
      "AND d.deptype IN ('a', 'i') OFFSET 0) d ON true "
      "LEFT JOIN pg_catalog.pg_tablespace tsp ON (tsp.oid = c.reltablespace) "
      "LEFT JOIN pg_catalog.pg_am am ON (c.relam = am.oid) "
      "LEFT JOIN pg_catalog.pg_init_privs pip ON (c.oid = pip.objoid AND pip.classoid = "
      "'pg_catalog.pg_class'::pg_catalog.regclass AND pip.objsubid = 0) "
      "LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid AND c.relkind <> 'p') "
      "WHERE c.relkind IN ('r', 'S', 'v', 'c', 'm', 'f', 'p') "
      "ORDER BY c.oid";
  PGARC_ASSIGN(QueryResult r, ctx.conn.query(sql));
  ctx.store.catalogOids["pg_class"] = r.rows() > 0 ? r.oid(0, 0) : 1259;
  std::vector<TableInfo*> toLock;
  for (int i = 0; i < r.rows(); i++) {
    auto t = std::make_unique<TableInfo>();
    int c = 0;
    auto readRare = [&](std::string TableInfo::RareTexts::*field) {
      if (!r.isNull(i, c)) t->editRare().*field = r.str(i, c);
      c++;
    };
    t->catId = {r.oid(i, c), r.oid(i, c + 1)};
    c += 2;
    t->name = r.str(i, c++);
    t->ns = ctx.store.findNamespace(r.oid(i, c++));
    t->relkind = r.ch(i, c++);
    t->reltype = r.oid(i, c++);
    t->owner = r.str(i, c++);
    t->ncheck = static_cast<int>(r.integer(i, c++));
    t->hasindex = r.boolean(i, c++);
    t->hasrules = r.boolean(i, c++);
    t->relpages = static_cast<int>(r.integer(i, c++));
    t->hastriggers = r.boolean(i, c++);
    t->relpersistence = r.ch(i, c++);
    t->reloftype_oid = r.oid(i, c++);
    bool aclNull = r.isNull(i, c);
    t->dacl.acl = r.str(i, c++);
    t->dacl.acldefault = r.str(i, c++);
    t->dacl.privtype = r.str(i, c++);
    bool initNull = r.isNull(i, c);
    t->dacl.initprivs = r.str(i, c++);
    t->foreign_server = r.oid(i, c++);
    t->frozenxid = r.oid(i, c++);
    t->toast_frozenxid = r.oid(i, c++);
    t->toast_oid = r.oid(i, c++);
    readRare(&TableInfo::RareTexts::toast_reloptions);
    t->owning_tab = r.oid(i, c++);
    t->owning_col = static_cast<int>(r.integer(i, c++));
    t->tablespace = r.str(i, c++);
    readRare(&TableInfo::RareTexts::reloptions);
    readRare(&TableInfo::RareTexts::checkoption);
    t->amname = r.str(i, c++);
    t->ispartition = r.boolean(i, c++);
    t->rowsec = r.boolean(i, c++);
    t->forcerowsec = r.boolean(i, c++);
    t->relreplident = r.ch(i, c++);
    t->is_identity_sequence = r.boolean(i, c++);
    readRare(&TableInfo::RareTexts::reloftype);
    readRare(&TableInfo::RareTexts::partkeydef);
    readRare(&TableInfo::RareTexts::partbound);
    // Whether a materialized view is populated decides its REFRESH entry.
    t->relispopulated = t->relkind != 'm' || r.boolean(i, c);
    c++;
    t->minmxid = r.oid(i, c++);
    t->toast_minmxid = r.oid(i, c++);

    // selectDumpableTable
    const Selection& sel = ctx.selection;
    if (checkExtensionMembership(ctx, *t)) {
      // extension membership overrides all else (dump/objects/kinds_a_common.hpp)
    } else {
      if (sel.anyTableInclude)
        t->dump = sel.tableInclude.count(t->catId.oid) ? kCompAll : kCompNone;
      else
        t->dump = t->ns ? t->ns->dumpContains : kCompNone;
      if (t->dump && sel.tableExclude.count(t->catId.oid)) t->dump = kCompNone;
    }

    t->components |= kCompData;
    if (!aclNull || !initNull) t->components |= kCompAcl;
    if (t->rowsec) t->components |= kCompPolicy;
    t->interesting = (t->dump & kLockComponents) != 0;
    TableInfo* raw = ctx.store.add(std::move(t));
    if ((raw->dump & kLockComponents) && (raw->relkind == 'r' || raw->relkind == 'p')) toLock.push_back(raw);
  }

  // ACCESS SHARE locks on the tables we dump, a few hundred per statement.
  if (!toLock.empty()) {
    if (ctx.options.lockWaitTimeout)
      PGARC_TRY(ctx.conn.exec("SET statement_timeout = " + ctx.conn.literal(*ctx.options.lockWaitTimeout)));
    Quoter q;
    std::string stmt;
    auto flush = [&]() -> Status {
      if (stmt.empty()) return {};
      Status s = ctx.conn.exec(stmt + " IN ACCESS SHARE MODE");
      stmt.clear();
      return s;
    };
    for (TableInfo* t : toLock) {
      stmt += stmt.empty() ? "LOCK TABLE " : ", ";
      stmt += q.qualified(t->ns ? t->ns->name : "", t->name);
      if (stmt.size() > 100000) PGARC_TRY(flush());
    }
    PGARC_TRY(flush());
    if (ctx.options.lockWaitTimeout) PGARC_TRY(ctx.conn.exec("SET statement_timeout = 0"));
  }
  queueAttributeReads(ctx);
  queueIndexReads(ctx, toLock);
  if (ctx.side) prefetchLateCatalogReads(*ctx.side, ctx.options);
  return {};
}

void queueAttributeReads(CatalogContext& ctx) {
  std::vector<uint32_t> oids;
  for (const auto& o : ctx.store.all())
    if (o->type == ObjectType::Table && readsAttributes(static_cast<TableInfo&>(*o))) oids.push_back(o->catId.oid);
  ctx.queuedAttributeReads = prefetchInPieces(ctx.side, oids, 1, attributesQuery);
}

Status getOwnedSeqs(CatalogContext& ctx) {
  for (const auto& o : ctx.store.all()) {
    if (o->type != ObjectType::Table) continue;
    auto& seq = static_cast<TableInfo&>(*o);
    if (seq.relkind != 'S' || seq.owning_tab == 0) continue;
    TableInfo* owner = ctx.store.findTable(seq.owning_tab);
    if (!owner) continue;
    // An identity sequence is part of its table: exactly the table's
    // components, so none but the ACL for an extension member's (pg_dump
    // 15.11 and later). Other owned sequences add the table's to their own.
    if (seq.is_identity_sequence)
      seq.dump = owner->dump;
    else
      seq.dump |= owner->dump;
    if (seq.dump != kCompNone) {
      seq.interesting = true;
      owner->interesting = true;
    }
  }
  return {};
}


Status getInherits(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r, ctx.conn.query("SELECT inhrelid, inhparent FROM pg_catalog.pg_inherits "
                                             "ORDER BY inhrelid, inhseqno"));
  for (int i = 0; i < r.rows(); i++) {
    TableInfo* child = ctx.store.findTable(r.oid(i, 0));
    TableInfo* parent = ctx.store.findTable(r.oid(i, 1));
    if (child && parent) child->parents.push_back(parent);
  }
  return {};
}

Status flagInhTables(CatalogContext& ctx) {
  std::vector<TableInfo*> tables;
  for (const auto& o : ctx.store.all())
    if (o->type == ObjectType::Table) tables.push_back(static_cast<TableInfo*>(o.get()));
  for (TableInfo* t : tables) {
    if (t->relkind == 'S' || t->relkind == 'v' || t->relkind == 'm') continue;
    if (!t->dump) continue;
    for (TableInfo* p : t->parents) p->interesting = true;
    if ((t->dump & kCompDefinition) && t->ispartition && t->parents.size() == 1) {
      auto a = std::make_unique<TableAttachInfo>();
      a->name = t->name;
      a->ns = t->ns;
      a->parentTbl = t->parents[0];
      a->partitionTbl = t;
      a->dump = kCompAll;
      TableAttachInfo* raw = ctx.store.add(std::move(a));
      addDependency(*raw, t->dumpId);
      addDependency(*raw, t->parents[0]->dumpId);
    }
  }
  return {};
}

Status getTableAttrs(CatalogContext& ctx) {
  std::vector<uint32_t> oids;
  std::vector<uint32_t> checkOids;
  for (const auto& o : ctx.store.all()) {
    if (o->type != ObjectType::Table) continue;
    auto& t = static_cast<TableInfo&>(*o);
    if (!readsAttributes(t)) continue;
    oids.push_back(t.catId.oid);
    if (t.ncheck > 0) checkOids.push_back(t.catId.oid);
  }
  if (oids.empty()) return {};
  const std::string arr = oidArray(oids);
  // The reads queued when the tables were locked, then one on the main
  // connection for the tables that became interesting since.
  const std::set<uint32_t> wanted(oids.begin(), oids.end());
  PGARC_ASSIGN(std::vector<QueryResult> results,
               takePieces(ctx.conn, ctx.side, ctx.queuedAttributeReads, wanted, attributesQuery));
  ctx.queuedAttributeReads.clear();
  for (const QueryResult& r : results) {
    for (int i = 0; i < r.rows(); i++) {
      if (!wanted.count(r.oid(i, 0))) continue;
      TableInfo* t = ctx.store.findTable(r.oid(i, 0));
      if (!t) continue;
      if (t->attrs.empty()) {  // rows come by table: size the vectors once
        int n = 1;
        while (i + n < r.rows() && r.oid(i + n, 0) == t->catId.oid) n++;
        t->attrs.reserve(static_cast<size_t>(n));
        t->attrdefs.reserve(static_cast<size_t>(n));
      }
      AttributeInfo a;
      a.name = r.str(i, 2);
      a.typmod = static_cast<int>(r.integer(i, 3));
      a.stattarget = static_cast<int>(r.integer(i, 4));
      a.storage = r.ch(i, 5);
      a.typstorage = r.ch(i, 6);
      a.notnull = r.boolean(i, 7);
      a.hasdef = r.boolean(i, 8);
      a.isdropped = r.boolean(i, 9);
      a.islocal = r.boolean(i, 10);
      a.typname = r.str(i, 11);
      if (!r.get(i, 12).empty()) a.editRare().attoptions = r.str(i, 12);
      if (!r.get(i, 14).empty()) a.editRare().attfdwoptions = r.str(i, 14);
      a.compression = r.ch(i, 15);
      a.identity = r.ch(i, 16);
      if (!r.get(i, 17).empty()) a.editRare().missingval = r.str(i, 17);
      a.generated = r.ch(i, 18);
      if (!r.get(i, 19).empty()) a.editRare().collation = r.str(i, 19);
      a.typid = r.oid(i, 20);
      a.collid = r.oid(i, 21);
      a.attlen = static_cast<int16_t>(r.integer(i, 22));
      a.attalign = r.ch(i, 23);
      t->attrs.push_back(std::move(a));
      t->attrdefs.push_back(nullptr);
    }
  }
  // Defaults and CHECK constraints only matter for schemas.
  if (ctx.options.dataOnly) return {};

  // Column defaults and generation expressions, all tables at once.
  PGARC_ASSIGN(QueryResult d,
               ctx.conn.query("SELECT a.tableoid, a.oid, adrelid, adnum, pg_catalog.pg_get_expr(adbin, adrelid) "
                              "AS adsrc FROM unnest('" + arr + "'::pg_catalog.oid[]) AS src(tbloid) "
                              "JOIN pg_catalog.pg_attrdef a ON (src.tbloid = a.adrelid) ORDER BY a.adrelid, a.adnum"));
  for (int i = 0; i < d.rows(); i++) {
    TableInfo* t = ctx.store.findTable(d.oid(i, 2));
    int adnum = static_cast<int>(d.integer(i, 3));
    if (!t || adnum <= 0 || static_cast<size_t>(adnum) > t->attrs.size()) continue;
    auto def = std::make_unique<AttrDefInfo>();
    def->catId = {d.oid(i, 0), d.oid(i, 1)};
    def->table = t;
    def->adnum = adnum;
    def->adef_expr = d.str(i, 4);
    def->name = t->name;
    def->ns = t->ns;
    def->dump = t->dump;
    // pg_dump's shouldPrintColumn: a default of a column CREATE TABLE lists goes inline.
    const bool printColumn = shouldPrintColumn(ctx.options, *t, static_cast<size_t>(adnum - 1));
    if (t->attrs[adnum - 1].generated)
      def->separate = false;
    else if (t->relkind == 'v')
      def->separate = true;
    else
      def->separate = !printColumn;
    AttrDefInfo* raw = ctx.store.add(std::move(def));
    t->attrdefs[adnum - 1] = raw;
    if (!raw->separate) addDependency(*t, raw->dumpId);
  }

  // CHECK constraints.
  if (!checkOids.empty()) {
    PGARC_ASSIGN(QueryResult c,
                 ctx.conn.query("SELECT c.tableoid, c.oid, conrelid, conname, "
                                "pg_catalog.pg_get_constraintdef(c.oid) AS consrc, conislocal, convalidated "
                                "FROM unnest('" + oidArray(checkOids) + "'::pg_catalog.oid[]) AS src(tbloid) "
                                "JOIN pg_catalog.pg_constraint c ON (src.tbloid = c.conrelid) "
                                "WHERE contype = 'c' ORDER BY c.conrelid, c.conname"));
    for (int i = 0; i < c.rows(); i++) {
      TableInfo* t = ctx.store.findTable(c.oid(i, 2));
      if (!t) continue;
      auto con = std::make_unique<ConstraintInfo>(ObjectType::Constraint);
      con->catId = {c.oid(i, 0), c.oid(i, 1)};
      con->name = c.str(i, 3);
      con->ns = t->ns;
      con->table = t;
      con->contype = 'c';
      con->condef = c.str(i, 4);
      con->conislocal = c.boolean(i, 5);
      bool validated = c.boolean(i, 6);
      con->separate = !validated;
      con->dump = t->dump;
      ConstraintInfo* raw = ctx.store.add(std::move(con));
      t->checkexprs.push_back(raw);
      // pg_depend already has the constraint depending on the table.
      if (!raw->separate) addDependency(*t, raw->dumpId);
    }
  }
  return {};
}

Status flagInhAttrs(CatalogContext& ctx) {
  std::vector<TableInfo*> tables;
  for (const auto& o : ctx.store.all())
    if (o->type == ObjectType::Table) tables.push_back(static_cast<TableInfo*>(o.get()));
  for (TableInfo* t : tables) {
    if (t->relkind == 'S' || t->relkind == 'v' || t->relkind == 'm') continue;
    if (!t->dump || t->parents.empty()) continue;
    for (size_t j = 0; j < t->attrs.size(); j++) {
      AttributeInfo& col = t->attrs[j];
      if (col.isdropped) continue;
      // As pg_dump 15 does it: any default in a parent counts, including the
      // DEFAULT NULL made here for a parent processed earlier; a generated
      // column in any parent drops the child's own generation expression.
      bool foundNotNull = false, foundDefault = false, foundGenerated = false;
      for (TableInfo* p : t->parents) {
        for (size_t k = 0; k < p->attrs.size(); k++) {
          if (p->attrs[k].name != col.name) continue;
          foundNotNull |= p->attrs[k].notnull;
          foundDefault |= p->attrdefs[k] != nullptr && !p->attrs[k].generated;
          foundGenerated |= p->attrs[k].generated != '\0';
          break;
        }
      }
      col.inheritedNotNull = foundNotNull;
      if (foundDefault && !t->attrdefs[j]) {
        auto def = std::make_unique<AttrDefInfo>();
        def->table = t;
        def->adnum = static_cast<int>(j) + 1;
        def->adef_expr = "NULL";
        def->name = t->name;
        def->ns = t->ns;
        def->dump = t->dump;
        // A column CREATE TABLE does not list gets its DEFAULT NULL from an
        // ALTER TABLE after the table; a listed one needs no dependency.
        def->separate = !shouldPrintColumn(ctx.options, *t, j);
        AttrDefInfo* raw = ctx.store.add(std::move(def));
        if (raw->separate) addDependency(*raw, t->dumpId);
        t->attrdefs[j] = raw;
      }
      if (foundGenerated && !t->ispartition && !ctx.options.binaryUpgrade) t->attrdefs[j] = nullptr;
    }
  }
  return {};
}

// Partitioned tables whose partitioning is unsafe to reload directly: hash
// partitioning on an enum column (the hash follows the enum values' oids,
// which a restore does not keep). Their partitions' data is loaded through
// the root table, as with --load-via-partition-root (pg_dump 15.3 and later).
// All partitioned tables count, dumped or not.
Status getPartitioningInfo(CatalogContext& ctx) {
  if (ctx.serverVersion < 110000 || ctx.options.schemaOnly) return {};
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT partrelid FROM pg_partitioned_table WHERE\n"
                              "(SELECT c.oid FROM pg_opclass c JOIN pg_am a ON c.opcmethod = a.oid\n"
                              "WHERE opcname = 'enum_ops' AND opcnamespace = 'pg_catalog'::regnamespace "
                              "AND amname = 'hash') = ANY(partclass)"));
  for (int i = 0; i < r.rows(); i++) {
    TableInfo* t = ctx.store.findTable(r.oid(i, 0));
    if (!t)
      return makeError("failed sanity check, table OID " + r.str(i, 0) +
                       " appearing in pg_partitioned_table not found");
    t->unsafe_partitions = true;
  }
  return {};
}

}  // namespace pgarc::dump
