// Table data (COPY or INSERT), sequence values and large objects. Data is
// produced only when the writer asks for it, streamed row by row: the same
// sequence of writes pg_dump makes, so uncompressed archives match block for block.
#include <cstring>

#include "dump/objects/kinds.hpp"
#include "dump/snapshot.hpp"
#include "format/script/sql_text.hpp"

namespace pgarc::dump {

namespace {

std::string nsOf(const DumpableObject& o) { return o.ns ? o.ns->name : ""; }

std::string copyColumnList(const Quoter& q, const TableInfo& t) {
  std::string cols;
  for (const AttributeInfo& a : t.attrs) {
    if (a.isdropped || a.generated) continue;
    if (!cols.empty()) cols += ", ";
    cols += q.id(a.name);
  }
  return cols.empty() ? std::string() : "(" + cols + ")";
}

const TableInfo* rootTable(const TableInfo* t) {
  while (t->ispartition && !t->parents.empty()) t = t->parents[0];
  return t;
}

// The table a partition's data is loaded through: its root with
// --load-via-partition-root, or when an ancestor's partitioning is unsafe to
// reload directly (getPartitioningInfo); else the partition itself.
const TableInfo* loadTarget(const DumpOptions& o, const TableInfo& t) {
  if (!t.ispartition) return &t;
  if (o.loadViaPartitionRoot) return rootTable(&t);
  for (const TableInfo* p = &t; p->ispartition && !p->parents.empty();) {
    p = p->parents[0];
    if (p->unsafe_partitions) return rootTable(&t);
  }
  return &t;
}

Status copyData(Connection& conn, const Quoter& q, const TableInfo& t, const std::string& filter, ChunkSink& out) {
  const std::string cols = copyColumnList(q, t);
  const std::string qrel = q.qualified(nsOf(t), t.name);
  std::string sql;
  if (!filter.empty() || t.relkind == 'f') {
    sql = "COPY (SELECT ";
    if (cols.size() > 2)
      sql += cols.substr(1, cols.size() - 2) + " ";
    else
      sql += "* ";
    sql += "FROM " + qrel + " " + filter + ") TO stdout;";
  } else {
    sql = "COPY " + qrel + " " + cols + " TO stdout;";
  }
  CopyBuffer* direct = out.copyBuffer();
  Status st = direct ? conn.copyOutInto(sql, *direct)
                     : conn.copyOut(sql, [&](std::string_view row) { return out.write(row); });
  if (!st.ok()) {
    Error e = std::move(st).error();
    e.message = "Dumping the contents of table \"" + t.name + "\" failed: " + e.message;
    return e;
  }
  return out.write("\\.\n\n\n");
}

constexpr uint32_t kInt2 = 21, kInt4 = 23, kInt8 = 20, kOid = 26, kFloat4 = 700, kFloat8 = 701, kNumeric = 1700,
                   kBit = 1560, kVarbit = 1562, kBool = 16;

Status insertData(Connection& conn, const Quoter& q, const DumpOptions& o, const TableInfo& t,
                  const std::string& filter, ChunkSink& out) {
  std::string sql = "DECLARE _pg_dump_cursor CURSOR FOR SELECT ";
  std::vector<bool> generated;
  bool needsOverride = false;
  int nfields = 0;
  for (const AttributeInfo& a : t.attrs) {
    if (a.isdropped) continue;
    if (a.identity == 'a') needsOverride = true;
    if (a.generated && o.columnInserts) continue;
    if (nfields > 0) sql += ", ";
    sql += a.generated ? std::string("NULL") : q.id(a.name);
    generated.push_back(a.generated != '\0');
    nfields++;
  }
  if (nfields == 0) sql += "NULL";
  sql += " FROM ONLY " + q.qualified(nsOf(t), t.name);
  if (!filter.empty()) sql += " " + filter;
  PGARC_TRY(conn.exec(sql));
  std::string insertStmt;
  bool haveStmt = false;
  int rowsThis = 0;
  const int rowsPer = o.rowsPerInsert;
  for (;;) {
    PGARC_ASSIGN(QueryResult r, conn.query("FETCH 100 FROM _pg_dump_cursor"));
    if (!haveStmt) {
      haveStmt = true;
      const TableInfo* target = loadTarget(o, t);
      insertStmt = "INSERT INTO " + q.qualified(nsOf(*target), target->name) + " ";
      if (nfields == 0) {
        insertStmt += "DEFAULT VALUES;\n";
      } else {
        if (o.columnInserts) {
          insertStmt += "(";
          for (int f = 0; f < nfields; f++) {
            if (f > 0) insertStmt += ", ";
            insertStmt += q.id(r.fname(f));
          }
          insertStmt += ") ";
        }
        if (needsOverride) insertStmt += "OVERRIDING SYSTEM VALUE ";
        insertStmt += "VALUES";
      }
    }
    for (int row = 0; row < r.rows(); row++) {
      if (rowsThis == 0) PGARC_TRY(out.write(insertStmt));
      if (nfields == 0) continue;
      if (rowsPer == 1)
        PGARC_TRY(out.write(" ("));
      else if (rowsThis > 0)
        PGARC_TRY(out.write(",\n\t("));
      else
        PGARC_TRY(out.write("\n\t("));
      for (int f = 0; f < nfields; f++) {
        if (f > 0) PGARC_TRY(out.write(", "));
        if (generated[f]) {
          PGARC_TRY(out.write("DEFAULT"));
          continue;
        }
        if (r.isNull(row, f)) {
          PGARC_TRY(out.write("NULL"));
          continue;
        }
        std::string_view v = r.get(row, f);
        switch (r.ftype(f)) {
          case kInt2: case kInt4: case kInt8: case kOid: case kFloat4: case kFloat8: case kNumeric:
            if (v.find_first_not_of("0123456789 +-eE.") == std::string_view::npos)
              PGARC_TRY(out.write(v));
            else
              PGARC_TRY(out.write("'" + std::string(v) + "'"));
            break;
          case kBit: case kVarbit:
            PGARC_TRY(out.write("B'" + std::string(v) + "'"));
            break;
          case kBool:
            PGARC_TRY(out.write(v == "t" ? "true" : "false"));
            break;
          default:
            PGARC_TRY(out.write(q.literal(v)));
        }
      }
      PGARC_TRY(out.write(")"));
      if (++rowsThis >= rowsPer) {
        PGARC_TRY(out.write(o.onConflictDoNothing ? " ON CONFLICT DO NOTHING;\n" : ";\n"));
        rowsThis = 0;
      }
    }
    if (r.rows() <= 0) break;
  }
  if (rowsThis > 0) PGARC_TRY(out.write(o.onConflictDoNothing ? " ON CONFLICT DO NOTHING;\n" : ";\n"));
  PGARC_TRY(out.write("\n\n"));
  return conn.exec("CLOSE _pg_dump_cursor");
}

// The bytes of pg_catalog.encode(..., 'hex'), which unlike bytea's own text
// output does not follow bytea_output (a database or role may set 'escape').
std::string hexDecode(std::string_view hex) {
  std::string out;
  out.reserve(hex.size() / 2);
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
  };
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(nib(hex[i]) << 4 | nib(hex[i + 1])));
  return out;
}

constexpr size_t kLoBufSize = 16384;         // pg_dump's LOBBUFSIZE: one write per lo_read
constexpr int64_t kFirstChunk = 65536;       // bytes fetched per object in the batched query
constexpr int64_t kLaterChunk = 1 << 20;
constexpr int kBlobBatch = 1000;

Status writeBlobBytes(BlobOutput& out, std::string_view data) {
  for (size_t off = 0; off < data.size(); off += kLoBufSize)
    PGARC_TRY(out.write(data.substr(off, std::min(kLoBufSize, data.size() - off))));
  return {};
}

// All large objects, in oid order, many per round trip (pg_dump 15 opens,
// reads and closes each one separately). Objects larger than the first chunk
// are completed with further lo_get calls; memory is bounded per batch.
// With `only`, just those objects (a 1.16 BLOBS group).
Status blobsData(Connection& conn, BlobOutput& out, const std::vector<uint32_t>* only) {
  uint32_t after = 0;
  bool first = true;
  std::string onlyList;
  if (only) {
    if (only->empty()) return {};
    onlyList = "'{";
    for (size_t i = 0; i < only->size(); i++) onlyList += (i ? "," : "") + std::to_string((*only)[i]);
    onlyList += "}'::pg_catalog.oid[]";
  }
  for (;;) {
    std::string sql = "SELECT oid, pg_catalog.encode(pg_catalog.lo_get(oid, 0, " + std::to_string(kFirstChunk + 1) +
                      "), 'hex') FROM pg_catalog.pg_largeobject_metadata WHERE true";
    if (only) sql += " AND oid = ANY(" + onlyList + ")";
    if (!first) sql += " AND oid > '" + std::to_string(after) + "'::pg_catalog.oid";
    sql += " ORDER BY 1 LIMIT " + std::to_string(kBlobBatch);
    first = false;
    PGARC_ASSIGN(QueryResult r, conn.query(sql));
    if (r.rows() == 0) break;
    for (int i = 0; i < r.rows(); i++) {
      uint32_t oid = r.oid(i, 0);
      after = oid;
      PGARC_TRY(out.beginBlob(oid));
      std::string data = hexDecode(r.get(i, 1));
      // lo_read splits at LOBBUFSIZE boundaries of the whole object, so keep
      // a carry-over buffer and write complete 16 KiB pieces.
      std::string pending;
      int64_t offset = 0;
      bool more = static_cast<int64_t>(data.size()) > kFirstChunk;
      if (more) data.resize(kFirstChunk);
      offset = static_cast<int64_t>(data.size());
      pending = std::move(data);
      while (more) {
        PGARC_ASSIGN(QueryResult c, conn.query("SELECT pg_catalog.encode(pg_catalog.lo_get('" + std::to_string(oid) +
                                               "'::pg_catalog.oid, " + std::to_string(offset) + ", " +
                                               std::to_string(kLaterChunk) + "), 'hex')"));
        std::string chunk = hexDecode(c.get(0, 0));
        more = static_cast<int64_t>(chunk.size()) == kLaterChunk;
        offset += static_cast<int64_t>(chunk.size());
        pending += chunk;
        size_t whole = pending.size() - pending.size() % kLoBufSize;
        PGARC_TRY(writeBlobBytes(out, std::string_view(pending).substr(0, whole)));
        pending.erase(0, whole);
        if (chunk.empty()) break;
      }
      PGARC_TRY(writeBlobBytes(out, pending));
      PGARC_TRY(out.endBlob(oid));
    }
    if (r.rows() < kBlobBatch) break;
  }
  return {};
}

}  // namespace

Status dumpTableData(EmitContext& ctx, DumpableObject& obj) {
  auto& td = static_cast<TableDataInfo&>(obj);
  const TableInfo& t = *td.table;
  const DumpOptions& o = ctx.options;
  std::optional<std::string> copyStmt;
  std::optional<std::string> defn;
  const TableInfo* from = loadTarget(o, t);
  // The marker is a one-line SQL comment: a root whose name holds a newline
  // must not spill into the script as statements (CVE-2025-8715, 15.14).
  if (from != &t)
    defn = "-- load via partition root " + script::sanitizeLine(ctx.quote.qualified(nsOf(*from), from->name), true);
  if (!o.useInserts()) {
    copyStmt = "COPY " + ctx.quote.qualified(nsOf(*from), from->name) + " " + copyColumnList(ctx.quote, t) +
               " FROM stdin;\n";
  }
  if (!(td.dump & kCompData)) return {};
  EntrySpec e;
  e.dumpId = td.dumpId;
  e.catId = td.catId;
  e.tag = t.name;
  e.namespace_ = nsOf(t);
  e.owner = t.owner;
  e.desc = "TABLE DATA";
  e.section = Section::Data;
  e.copyStmt = copyStmt;
  e.defn = defn;
  e.deps.push_back(t.dumpId);
  Connection* conn = ctx.conn;
  const Quoter* q = &ctx.quote;
  const DumpOptions* opts = &ctx.options;
  const TableInfo* tp = &t;
  std::string filter = td.filtercond;
  e.tableDataOn = [q, opts, tp, filter](Connection& c, ChunkSink& out) -> Status {
    const bool foreign = tp->relkind == 'f';
    if (foreign) PGARC_TRY(restrictRelationKinds(c, kRestrictedKindsForForeignData));
    PGARC_TRY(opts->useInserts() ? insertData(c, *q, *opts, *tp, filter, out) : copyData(c, *q, *tp, filter, out));
    if (foreign) PGARC_TRY(restrictRelationKinds(c, kRestrictedKinds));
    return {};
  };
  e.tableData = [conn, on = e.tableDataOn](ChunkSink& out) -> Status {
    if (!conn) return makeError("no connection for table data");
    return on(*conn, out);
  };
  e.dataSize = t.relpages;
  ctx.add(std::move(e));
  return {};
}

Status dumpSequenceData(EmitContext& ctx, DumpableObject& obj) {
  auto& td = static_cast<TableDataInfo&>(obj);
  const TableInfo& t = *td.table;
  if (!(td.dump & kCompData)) return {};
  EntrySpec e;
  e.dumpId = ctx.store.newDumpId();
  e.tag = t.name;
  e.namespace_ = nsOf(t);
  e.owner = t.owner;
  e.desc = "SEQUENCE SET";
  e.section = Section::Data;
  e.defn = "SELECT pg_catalog.setval(" + ctx.quote.literal(ctx.quote.qualified(nsOf(t), t.name)) + ", " +
           td.filtercond + ");\n";
  e.deps.push_back(t.dumpId);
  ctx.add(std::move(e));
  return {};
}

Status dumpBlobs(EmitContext& ctx, DumpableObject& obj) {
  EntrySpec e;
  e.dumpId = obj.dumpId;
  e.tag = obj.name;
  e.desc = "BLOBS";
  e.section = Section::Data;
  Connection* conn = ctx.conn;
  e.blobs = [conn](BlobOutput& out) -> Status {
    if (!conn) return makeError("no connection for large objects");
    return blobsData(*conn, out, nullptr);
  };
  e.blobsOf = [conn](const std::vector<uint32_t>& oids, BlobOutput& out) -> Status {
    if (!conn) return makeError("no connection for large objects");
    return blobsData(*conn, out, &oids);
  };
  ctx.add(std::move(e));
  return {};
}

}  // namespace pgarc::dump
