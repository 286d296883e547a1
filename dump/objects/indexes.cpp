// Indexes and the constraints that own an index (PRIMARY KEY, UNIQUE,
// EXCLUDE): getIndexes, flagInhIndexes, dumpIndex, dumpIndexAttach.
#include "dump/acl.hpp"
#include "dump/comments.hpp"
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_a_common.hpp"
#include "dump/side_queries.hpp"

#include <algorithm>
#include <set>

namespace pgarc::dump {

namespace {

// The indexes of the tables `oids`, ordered by table and index name.
//
// The definition is read only for indexes that no constraint owns
// (dumpConstraint builds the others). pg_get_indexdef is the query's main
// cost: it builds the table's relcache entry, 50-100 us a table. The
// definition of a plain index (key columns only, default operator classes and
// collations, default order, no options, expressions, predicate or INCLUDE
// columns) is put together here from the catalog instead, exactly as
// pg_get_indexdef writes it: "CREATE [UNIQUE ]INDEX name ON schema.table
// USING am (col, ...)", names quoted by the server's quote_ident. Any other
// index still goes through pg_get_indexdef.
std::string indexQuery(const std::vector<uint32_t>& oids) {
  return "SELECT t.tableoid, t.oid, i.indrelid, t.relname AS indexname, "
         "CASE WHEN c.oid IS NOT NULL THEN NULL "
         "WHEN i.indexprs IS NULL AND i.indpred IS NULL AND t.relkind = 'i' AND t.reloptions IS NULL "
         "AND i.indnatts = i.indnkeyatts AND NOT i.indnullsnotdistinct AND plain.simple "
         "THEN 'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX ' || "
         "pg_catalog.quote_ident(t.relname) || ' ON ' || pg_catalog.quote_ident(tn.nspname) || '.' || "
         "pg_catalog.quote_ident(t2.relname) || ' USING ' || pg_catalog.quote_ident(am.amname) || "
         "' (' || plain.cols || ')' "
         "ELSE pg_catalog.pg_get_indexdef(i.indexrelid) END AS indexdef, i.indkey, "
         "i.indisclustered, "
         "c.contype, c.conname, c.condeferrable, c.condeferred, c.tableoid AS contableoid, c.oid AS conoid, "
         "pg_catalog.pg_get_constraintdef(c.oid, false) AS condef, "
         "(SELECT spcname FROM pg_catalog.pg_tablespace s WHERE s.oid = t.reltablespace) AS tablespace, "
         "t.reloptions AS indreloptions, i.indisreplident, inh.inhparent AS parentidx, "
         "i.indnkeyatts AS indnkeyatts, i.indnatts AS indnatts, "
         "(SELECT pg_catalog.array_agg(attnum ORDER BY attnum) FROM pg_catalog.pg_attribute "
         "WHERE attrelid = i.indexrelid AND attstattarget >= 0) AS indstatcols, "
         "(SELECT pg_catalog.array_agg(attstattarget ORDER BY attnum) FROM pg_catalog.pg_attribute "
         "WHERE attrelid = i.indexrelid AND attstattarget >= 0) AS indstatvals, "
         "i.indnullsnotdistinct "
         "FROM unnest(" + oidArrayLiteral(oids) + ") AS src(tbloid) "
         "JOIN pg_catalog.pg_index i ON (src.tbloid = i.indrelid) "
         "JOIN pg_catalog.pg_class t ON (t.oid = i.indexrelid) "
         "JOIN pg_catalog.pg_class t2 ON (t2.oid = i.indrelid) "
         "LEFT JOIN pg_catalog.pg_namespace tn ON (tn.oid = t2.relnamespace) "
         "LEFT JOIN pg_catalog.pg_am am ON (am.oid = t.relam) "
         "LEFT JOIN pg_catalog.pg_constraint c ON (i.indrelid = c.conrelid AND i.indexrelid = c.conindid "
         "AND c.contype IN ('p','u','x')) "
         "LEFT JOIN pg_catalog.pg_inherits inh ON (inh.inhrelid = indexrelid) "
         // Per key column of an index no constraint owns: its name, and
         // whether pg_get_indexdef would add nothing to it: the operator class
         // is a default one declared for the column's type (not a domain),
         // the collation is the column's, no DESC / NULLS FIRST, no options.
         "LEFT JOIN LATERAL (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY k.n) "
         "AS cols, pg_catalog.bool_and(o.opcdefault AND o.opcintype = a.atttypid AND ty.typtype <> 'd' "
         "AND (k.coll = 0 OR k.coll = a.attcollation) AND k.opt = 0 AND ia.attoptions IS NULL) AS simple "
         "FROM unnest(i.indkey::pg_catalog.int2[], i.indclass::pg_catalog.oid[], "
         "i.indcollation::pg_catalog.oid[], i.indoption::pg_catalog.int2[]) WITH ORDINALITY AS k(attnum, opc, coll, "
         "opt, n) "
         "JOIN pg_catalog.pg_attribute a ON (a.attrelid = i.indrelid AND a.attnum = k.attnum) "
         "JOIN pg_catalog.pg_opclass o ON (o.oid = k.opc) "
         "JOIN pg_catalog.pg_type ty ON (ty.oid = a.atttypid) "
         "JOIN pg_catalog.pg_attribute ia ON (ia.attrelid = i.indexrelid AND ia.attnum = k.n) "
         "WHERE c.oid IS NULL) AS plain ON true "
         "WHERE (i.indisvalid OR t2.relkind = 'p') AND i.indisready "
         "ORDER BY i.indrelid, indexname";
}

// Tables whose indexes getIndexes reads.
bool readsIndexes(const TableInfo& t) { return t.hasindex && t.interesting; }

}  // namespace

void queueIndexReads(CatalogContext& ctx, const std::vector<TableInfo*>& locked) {
  std::vector<uint32_t> oids;
  for (const TableInfo* t : locked)
    if (readsIndexes(*t)) oids.push_back(t->catId.oid);
  std::sort(oids.begin(), oids.end());
  // A few pieces per connection, so connections busy with other reads share less.
  ctx.queuedIndexReads = prefetchInPieces(ctx.side, oids, 2, indexQuery);
}

Status getIndexes(CatalogContext& ctx) {
  std::set<uint32_t> wanted;
  for (const auto& o : ctx.store.all()) {
    if (o->type != ObjectType::Table) continue;
    auto& t = static_cast<TableInfo&>(*o);
    if (readsIndexes(t)) wanted.insert(t.catId.oid);
  }
  if (wanted.empty()) return {};
  // The queued reads, then one read on the main connection for the tables
  // that became interesting since.
  PGARC_ASSIGN(std::vector<QueryResult> results,
               takePieces(ctx.conn, ctx.side, ctx.queuedIndexReads, wanted, indexQuery));
  ctx.queuedIndexReads.clear();
  // Rows in pg_dump's order: by table oid, then index name (each table's rows
  // come from one result, already in name order).
  struct RowRef {
    uint32_t table;
    const QueryResult* result;
    int row;
  };
  std::vector<RowRef> rows;
  for (const QueryResult& r : results)
    for (int i = 0; i < r.rows(); i++)
      if (uint32_t table = r.oid(i, 2); wanted.count(table)) rows.push_back({table, &r, i});
  std::stable_sort(rows.begin(), rows.end(), [](const RowRef& a, const RowRef& b) { return a.table < b.table; });
  for (const RowRef& ref : rows) {
    const QueryResult& r = *ref.result;
    const int i = ref.row;
    TableInfo* t = ctx.store.findTable(ref.table);
    if (!t) continue;
    auto idx = std::make_unique<IndxInfo>();
    idx->catId = {r.oid(i, 0), r.oid(i, 1)};
    idx->name = r.str(i, 3);
    idx->ns = t->ns;
    idx->table = t;
    idx->indexdef = r.str(i, 4);
    idx->indisclustered = r.boolean(i, 6);
    idx->tablespace = r.str(i, 14);
    idx->indreloptions = r.str(i, 15);
    idx->indisreplident = r.boolean(i, 16);
    idx->parentidx = r.oid(i, 17);
    idx->indnkeyattrs = static_cast<int>(r.integer(i, 18));
    idx->indnattrs = static_cast<int>(r.integer(i, 19));
    idx->indstatcols = r.str(i, 20);
    idx->indstatvals = r.str(i, 21);
    idx->indnullsnotdistinct = r.boolean(i, 22);
    idx->dump = t->dump;
    IndxInfo* raw = ctx.store.add(std::move(idx));
    t->indexes.push_back(raw);
    char contype = r.ch(i, 7);
    if (contype == 'p' || contype == 'u' || contype == 'x') {
      auto con = std::make_unique<ConstraintInfo>(ObjectType::Constraint);
      con->catId = {r.oid(i, 11), r.oid(i, 12)};
      con->name = r.str(i, 8);
      con->ns = t->ns;
      con->table = t;
      con->contype = contype;
      con->condef = r.str(i, 13);
      con->conindex = raw->dumpId;
      con->condeferrable = r.boolean(i, 9);
      con->condeferred = r.boolean(i, 10);
      con->conislocal = true;
      con->separate = true;
      con->dump = t->dump;
      ConstraintInfo* c = ctx.store.add(std::move(con));
      raw->indexconstraint = static_cast<uint32_t>(c->dumpId);
    }
  }
  return {};
}

Status flagInhIndexes(CatalogContext& ctx) {
  std::vector<TableInfo*> tables;
  for (const auto& o : ctx.store.all())
    if (o->type == ObjectType::Table) tables.push_back(static_cast<TableInfo*>(o.get()));
  for (TableInfo* t : tables) {
    if (!t->ispartition || t->parents.empty()) continue;
    for (IndxInfo* idx : t->indexes) {
      if (idx->parentidx == 0) continue;
      DumpableObject* p = ctx.store.findByOid("pg_class", idx->parentidx);
      if (!p || p->type != ObjectType::Index) continue;
      auto* parent = static_cast<IndxInfo*>(p);
      auto a = std::make_unique<IndexAttachInfo>();
      a->name = idx->name;
      a->ns = t->ns;
      a->parentIdx = parent;
      a->partitionIdx = idx;
      a->dump = kCompAll;
      IndexAttachInfo* raw = ctx.store.add(std::move(a));
      addDependency(*raw, idx->dumpId);
      addDependency(*raw, parent->dumpId);
      addDependency(*raw, t->dumpId);
      addDependency(*raw, parent->table->dumpId);
      parent->partattaches.push_back(raw);
    }
  }
  return {};
}

Status dumpIndex(EmitContext& ctx, DumpableObject& obj) {
  auto& idx = static_cast<IndxInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const TableInfo& t = *idx.table;
  const std::string nsName = t.ns ? t.ns->name : "";
  const std::string qname = ctx.quote.id(idx.name);
  const std::string qqname = ctx.quote.qualified(nsName, idx.name);
  const bool isConstraint = idx.indexconstraint != 0;
  if (!isConstraint) {
    std::string q = idx.indexdef + ";\n";
    if (idx.indisclustered)
      q += "\nALTER TABLE " + ctx.quote.qualified(nsName, t.name) + " CLUSTER ON " + qname + ";\n";
    if (!idx.indstatcols.empty() || !idx.indstatvals.empty()) {
      auto cols = parsePgArrayText(idx.indstatcols);
      auto vals = parsePgArrayText(idx.indstatvals);
      for (size_t j = 0; j < cols.size() && j < vals.size(); j++)
        q += "ALTER INDEX " + qqname + " ALTER COLUMN " + cols[j] + " SET STATISTICS " + vals[j] + ";\n";
    }
    if (idx.indisreplident)
      q += "\nALTER TABLE ONLY " + ctx.quote.qualified(nsName, t.name) + " REPLICA IDENTITY USING INDEX " + qname + ";\n";
    if (idx.dump & kCompDefinition) {
      EntrySpec e;
      e.dumpId = idx.dumpId;
      e.catId = idx.catId;
      e.tag = idx.name;
      e.namespace_ = nsName;
      e.tablespace = idx.tablespace;
      e.owner = t.owner;
      e.desc = "INDEX";
      e.section = Section::PostData;
      e.defn = q;
      e.dropStmt = idx.parentidx == 0 ? "DROP INDEX " + qqname + ";\n" : std::string();
      ctx.add(std::move(e));
    }
  }
  if (idx.dump & kCompComment)
    dumpComment(ctx, {"INDEX", qname, nsName, t.owner, idx.catId, 0,
                      isConstraint ? static_cast<DumpId>(idx.indexconstraint) : idx.dumpId});
  return {};
}

Status dumpIndexAttach(EmitContext& ctx, DumpableObject& obj) {
  auto& a = static_cast<IndexAttachInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  if (!(a.partitionIdx->dump & kCompDefinition)) return {};
  const auto& pns = a.parentIdx->table->ns;
  const auto& cns = a.partitionIdx->table->ns;
  EntrySpec e;
  e.dumpId = a.dumpId;
  e.tag = a.name;
  e.namespace_ = a.ns ? a.ns->name : "";
  e.owner = a.parentIdx->table->owner;
  e.desc = "INDEX ATTACH";
  e.section = Section::PostData;
  e.defn = "ALTER INDEX " + ctx.quote.qualified(pns ? pns->name : "", a.parentIdx->name) + " ATTACH PARTITION " +
           ctx.quote.qualified(cns ? cns->name : "", a.partitionIdx->name) + ";\n";
  ctx.add(std::move(e));
  return {};
}

}  // namespace pgarc::dump
