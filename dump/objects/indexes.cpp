// Indexes and the constraints that own an index (PRIMARY KEY, UNIQUE,
// EXCLUDE): getIndexes, flagInhIndexes, dumpIndex, dumpIndexAttach.
#include "dump/acl.hpp"
#include "dump/comments.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_a_common.hpp"
#include "dump/side_queries.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

namespace pgarc::dump {

namespace {

// Whether the client writes an index's definition itself (the server leaves
// indexdef NULL): an index no constraint owns, on plain columns, with no
// predicate, options, INCLUDE columns, NULLS NOT DISTINCT, DESC / NULLS FIRST
// or opclass options. Whether its operator classes and collations are the
// columns' defaults is checked on the client (plainIndexColumns), which knows
// the columns' types and collations from getTableAttrs.
constexpr const char* kWritesIndexDef =
    "coalesce(c.oid IS NULL AND i.indexprs IS NULL AND i.indpred IS NULL AND t.relkind = 'i' "
    "AND t.reloptions IS NULL AND i.indnatts = i.indnkeyatts AND NOT i.indnullsnotdistinct "
    "AND 0 = ALL (i.indoption::pg_catalog.int2[]) AND am.amname IS NOT NULL AND NOT ia.anyopts, false)";
// Whether the client writes a constraint's definition: PRIMARY KEY and UNIQUE
// without INCLUDE columns.
constexpr const char* kWritesConstraintDef =
    "coalesce(c.contype IN ('p', 'u') AND i.indnatts = pg_catalog.cardinality(c.conkey), false)";

// The indexes of the tables `oids` (ascending), ordered by table and index
// name; rows of invalid indexes come too (getIndexes keeps those of
// partitioned tables, as pg_dump's query does).
//
// pg_get_indexdef and pg_get_constraintdef were this query's main cost, and
// so were the joins that put a plain index's definition together in SQL
// (~20 us an index). The definitions of plain indexes and of PRIMARY KEY /
// UNIQUE constraints are now written by the client from the catalog columns
// returned here and the column names read by getTableAttrs, exactly as
// ruleutils writes them; every other shape still comes from the server.
std::string indexQuery(const std::vector<uint32_t>& oids) {
  const auto [lo, hi] = std::minmax_element(oids.begin(), oids.end());
  return std::string("SELECT t.tableoid, t.oid, i.indrelid, t.relname AS indexname, "
                     "CASE WHEN c.oid IS NOT NULL OR ") + kWritesIndexDef +
         " THEN NULL ELSE pg_catalog.pg_get_indexdef(i.indexrelid) END AS indexdef, "
         "i.indkey, i.indisclustered, "
         "c.contype, c.conname, c.condeferrable, c.condeferred, c.tableoid AS contableoid, c.oid AS conoid, "
         "CASE WHEN " + kWritesConstraintDef + " THEN NULL ELSE pg_catalog.pg_get_constraintdef(c.oid, false) END "
         "AS condef, s.spcname AS tablespace, t.reloptions AS indreloptions, i.indisreplident, "
         "inh.inhparent AS parentidx, i.indnkeyatts AS indnkeyatts, i.indnatts AS indnatts, "
         "ia.statcols AS indstatcols, ia.statvals AS indstatvals, i.indnullsnotdistinct, "
         "i.indisvalid, i.indisunique, am.amname, i.indclass, i.indcollation, c.conkey, c.convalidated, " + kWritesIndexDef + ", " +
         kWritesConstraintDef + " "
         "FROM pg_catalog.pg_index i "
         // A probe of pg_class's oid index per index (the planner hashed
         // all of pg_class for each piece).
         "JOIN LATERAL (SELECT t.tableoid, t.oid, t.relname, t.relkind, t.reloptions, t.relam, t.reltablespace "
         "FROM pg_catalog.pg_class t WHERE t.oid = i.indexrelid OFFSET 0) t ON true "
         "LEFT JOIN pg_catalog.pg_am am ON (am.oid = t.relam) "
         "LEFT JOIN pg_catalog.pg_tablespace s ON (s.oid = t.reltablespace) "
         "LEFT JOIN pg_catalog.pg_constraint c ON (i.indrelid = c.conrelid AND i.indexrelid = c.conindid "
         "AND c.contype IN ('p', 'u', 'x')) "
         "LEFT JOIN pg_catalog.pg_inherits inh ON (inh.inhrelid = i.indexrelid) "
         // Statistics targets (dumpIndex writes them only for indexes no
         // constraint owns) and whether a column has opclass options.
         "LEFT JOIN LATERAL (SELECT pg_catalog.array_agg(a.attnum ORDER BY a.attnum) "
         "FILTER (WHERE a.attstattarget >= 0) AS statcols, "
         "pg_catalog.array_agg(a.attstattarget ORDER BY a.attnum) FILTER (WHERE a.attstattarget >= 0) AS statvals, "
         "pg_catalog.bool_or(a.attoptions IS NOT NULL) AS anyopts "
         "FROM pg_catalog.pg_attribute a WHERE a.attrelid = i.indexrelid AND c.oid IS NULL) ia ON true "
         // pg_index read through its indrelid index for the pieces' range,
         // the tables picked by a hashed = ANY filter (as an index condition
         // it descended the index once per table).
         "WHERE i.indrelid BETWEEN " + std::to_string(oids.empty() ? 0 : *lo) + " AND " +
         std::to_string(oids.empty() ? 0 : *hi) + " AND i.indrelid::pg_catalog.int8 = ANY (" + oidArrayLiteral(oids) +
         "::pg_catalog.int8[]) AND i.indisready "
         "ORDER BY i.indrelid, indexname";
}

// Tables whose indexes getIndexes reads.
bool readsIndexes(const TableInfo& t) { return t.hasindex && t.interesting; }

// The numbers of an int2vector / oidvector ("1 2") or of a one-dimensional
// array of non-negative numbers ("{1,2}").
std::vector<uint32_t> numbersIn(std::string_view text) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < text.size();) {
    if (text[i] < '0' || text[i] > '9') {
      i++;
      continue;
    }
    uint32_t v = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') v = v * 10 + static_cast<uint32_t>(text[i++] - '0');
    out.push_back(v);
  }
  return out;
}

// "a, b": the columns `attnums` of `t` as ruleutils lists them (quote_ident
// of each name); nullopt when one is not a known column.
std::optional<std::string> columnList(const TableInfo& t, const std::vector<uint32_t>& attnums, const Quoter& q) {
  std::string out;
  for (uint32_t n : attnums) {
    if (n == 0 || n > t.attrs.size() || t.attrs[n - 1].isdropped) return std::nullopt;
    if (!out.empty()) out += ", ";
    out += q.id(t.attrs[n - 1].name);
  }
  return out;
}

// The key columns of a plain index when pg_get_indexdef would print nothing
// but their names: each column's operator class is the default one for the
// column's type (get_opclass_name; columns of a domain type are left to the
// server, see AttributeInfo::typid), its collation none or the column's.
std::optional<std::string> plainIndexColumns(const TableInfo& t, const std::vector<uint32_t>& keys,
                                             const std::vector<uint32_t>& opclasses,
                                             const std::vector<uint32_t>& collations,
                                             const std::map<uint32_t, uint32_t>& defaultOpclassType,
                                             const Quoter& q) {
  if (keys.empty() || opclasses.size() != keys.size() || collations.size() != keys.size()) return std::nullopt;
  for (size_t k = 0; k < keys.size(); k++) {
    if (keys[k] == 0 || keys[k] > t.attrs.size()) return std::nullopt;
    const AttributeInfo& col = t.attrs[keys[k] - 1];
    auto opc = defaultOpclassType.find(opclasses[k]);
    if (opc == defaultOpclassType.end() || opc->second != col.typid) return std::nullopt;
    if (collations[k] != 0 && collations[k] != col.collid) return std::nullopt;
  }
  return columnList(t, keys, q);
}

// Definitions the client could not write, from the server.
Status readServerDefinitions(Connection& conn, const std::string& function, const std::vector<uint32_t>& oids,
                             const std::function<void(size_t, std::string)>& take) {
  if (oids.empty()) return {};
  PGARC_ASSIGN(QueryResult r, conn.query("SELECT " + function + " FROM unnest(" + oidArrayLiteral(oids) +
                                         ") WITH ORDINALITY AS x(oid, n) ORDER BY x.n"));
  for (int i = 0; i < r.rows() && static_cast<size_t>(i) < oids.size(); i++) take(static_cast<size_t>(i), r.str(i, 0));
  return {};
}

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
  bool anyPlain = false;
  for (const QueryResult& r : results)
    for (int i = 0; i < r.rows(); i++)
      if (uint32_t table = r.oid(i, 2); wanted.count(table)) {
        rows.push_back({table, &r, i});
        anyPlain = anyPlain || r.boolean(i, 30);
      }
  std::stable_sort(rows.begin(), rows.end(), [](const RowRef& a, const RowRef& b) { return a.table < b.table; });
  // Input type of each default operator class, for plainIndexColumns.
  std::map<uint32_t, uint32_t> defaultOpclassType;
  if (anyPlain) {
    PGARC_ASSIGN(QueryResult opc,
                 ctx.conn.query("SELECT oid, opcintype FROM pg_catalog.pg_opclass WHERE opcdefault"));
    for (int i = 0; i < opc.rows(); i++) defaultOpclassType[opc.oid(i, 0)] = opc.oid(i, 1);
  }
  const Quoter q(ctx.options.quoteAllIdentifiers);
  std::vector<IndxInfo*> serverIndexDefs;
  std::vector<ConstraintInfo*> serverConstraintDefs;
  for (const RowRef& ref : rows) {
    const QueryResult& r = *ref.result;
    const int i = ref.row;
    TableInfo* t = ctx.store.findTable(ref.table);
    if (!t) continue;
    // pg_dump reads valid indexes, and the invalid ones of partitioned tables.
    if (!r.boolean(i, 23) && t->relkind != 'p') continue;
    auto idx = std::make_unique<IndxInfo>();
    idx->catId = {r.oid(i, 0), r.oid(i, 1)};
    idx->name = r.str(i, 3);
    idx->ns = t->ns;
    idx->table = t;
    idx->indexdef = r.str(i, 4);
    idx->indisclustered = r.boolean(i, 6);
    if (!r.get(i, 14).empty()) idx->editRare().tablespace = r.str(i, 14);
    idx->indisreplident = r.boolean(i, 16);
    idx->parentidx = r.oid(i, 17);
    idx->indnkeyattrs = static_cast<int>(r.integer(i, 18));
    idx->indnattrs = static_cast<int>(r.integer(i, 19));
    if (!r.get(i, 20).empty() || !r.get(i, 21).empty()) {
      idx->editRare().indstatcols = r.str(i, 20);
      idx->editRare().indstatvals = r.str(i, 21);
    }
    idx->indnullsnotdistinct = r.boolean(i, 22);
    idx->dump = t->dump;
    const std::vector<uint32_t> keys = numbersIn(r.get(i, 5));
    if (r.boolean(i, 30)) {
      // CREATE [UNIQUE ]INDEX name ON schema.table USING am (columns)
      if (auto cols = plainIndexColumns(*t, keys, numbersIn(r.get(i, 26)), numbersIn(r.get(i, 27)),
                                        defaultOpclassType, q))
        idx->indexdef = std::string("CREATE ") + (r.boolean(i, 24) ? "UNIQUE " : "") + "INDEX " + q.id(idx->name) +
                        " ON " + q.id(t->ns ? t->ns->name : "") + "." + q.id(t->name) + " USING " +
                        q.id(r.str(i, 25)) + " (" + *cols + ")";
    }
    IndxInfo* raw = ctx.store.add(std::move(idx));
    if (r.boolean(i, 30) && raw->indexdef.empty()) serverIndexDefs.push_back(raw);
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
      const bool clientDef = r.boolean(i, 31);
      if (clientDef) {
        // pg_get_constraintdef: PRIMARY KEY / UNIQUE [NULLS NOT DISTINCT] (columns) [DEFERRABLE]
        // [INITIALLY DEFERRED] [NOT VALID]
        if (auto cols = columnList(*t, numbersIn(r.get(i, 28)), q))
          con->condef = std::string(contype == 'p' ? "PRIMARY KEY " : "UNIQUE ") +
                        (contype == 'u' && raw->indnullsnotdistinct ? "NULLS NOT DISTINCT " : "") + "(" + *cols +
                        ")" + (con->condeferrable ? " DEFERRABLE" : "") +
                        (con->condeferred ? " INITIALLY DEFERRED" : "") + (r.boolean(i, 29) ? "" : " NOT VALID");
      }
      ConstraintInfo* c = ctx.store.add(std::move(con));
      raw->indexconstraint = static_cast<uint32_t>(c->dumpId);
      if (clientDef && c->condef.empty()) serverConstraintDefs.push_back(c);
    }
  }
  // The shapes the client turned down after all (a non-default operator
  // class or collation, a column it does not know).
  std::vector<uint32_t> oids;
  for (const IndxInfo* idx : serverIndexDefs) oids.push_back(idx->catId.oid);
  PGARC_TRY(readServerDefinitions(ctx.conn, "pg_catalog.pg_get_indexdef(x.oid)", oids,
                                  [&](size_t k, std::string def) { serverIndexDefs[k]->indexdef = std::move(def); }));
  oids.clear();
  for (const ConstraintInfo* c : serverConstraintDefs) oids.push_back(c->catId.oid);
  PGARC_TRY(readServerDefinitions(ctx.conn, "pg_catalog.pg_get_constraintdef(x.oid, false)", oids,
                                  [&](size_t k, std::string def) { serverConstraintDefs[k]->condef = std::move(def); }));
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
      parent->editRare().partattaches.push_back(raw);
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
    std::string q;
    if (ctx.binaryUpgrade) {
      PGARC_ASSIGN(q, ctx.binaryUpgrade->setPgClassOids(idx.catId.oid, true));
    }
    q += idx.indexdef + ";\n";
    if (idx.indisclustered)
      q += "\nALTER TABLE " + ctx.quote.qualified(nsName, t.name) + " CLUSTER ON " + qname + ";\n";
    if (!idx.rare().indstatcols.empty() || !idx.rare().indstatvals.empty()) {
      auto cols = parsePgArrayText(idx.rare().indstatcols);
      auto vals = parsePgArrayText(idx.rare().indstatvals);
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
      e.tablespace = idx.rare().tablespace;
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
