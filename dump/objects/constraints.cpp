// Table constraints: getConstraints (foreign keys) and dumpConstraint for
// PRIMARY KEY / UNIQUE / EXCLUDE (read with their indexes), FOREIGN KEY and
// separately dumped CHECK constraints.
#include "dump/objects/type.hpp"
#include "dump/comments.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds.hpp"

namespace pgarc::dump {

Status getConstraints(CatalogContext& ctx) {
  std::string oids = "{";
  bool first = true;
  for (const auto& o : ctx.store.all()) {
    if (o->type != ObjectType::Table) continue;
    auto& t = static_cast<TableInfo&>(*o);
    if ((!t.hastriggers && t.relkind != 'p') || !(t.dump & kCompDefinition)) continue;
    if (!first) oids += ",";
    first = false;
    oids += std::to_string(t.catId.oid);
  }
  oids += "}";
  if (first) return {};
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT c.tableoid, c.oid, conrelid, conname, confrelid, conindid, "
                              "pg_catalog.pg_get_constraintdef(c.oid) AS condef "
                              "FROM unnest('" + oids + "'::pg_catalog.oid[]) AS src(tbloid) "
                              "JOIN pg_catalog.pg_constraint c ON (src.tbloid = c.conrelid) "
                              "WHERE contype = 'f' AND conparentid = 0 "
                              "ORDER BY conrelid, conname"));
  for (int i = 0; i < r.rows(); i++) {
    TableInfo* t = ctx.store.findTable(r.oid(i, 2));
    if (!t) continue;
    auto con = std::make_unique<ConstraintInfo>(ObjectType::FkConstraint);
    con->catId = {r.oid(i, 0), r.oid(i, 1)};
    con->name = r.str(i, 3);
    con->ns = t->ns;
    con->table = t;
    con->contype = 'f';
    con->condef = r.str(i, 6);
    con->confrelid = r.oid(i, 4);
    con->conislocal = true;
    con->separate = true;
    con->dump = kCompAll;
    ConstraintInfo* raw = ctx.store.add(std::move(con));
    // An FK referencing a partitioned table needs the partitions' indexes attached first.
    TableInfo* ref = ctx.store.findTable(raw->confrelid);
    uint32_t indexOid = r.oid(i, 5);
    if (ref && ref->relkind == 'p' && indexOid != 0) {
      for (IndxInfo* idx : ref->indexes) {
        if (idx->catId.oid != indexOid) continue;
        // Depth first, each attachment before its own sub-partitions' ones and
        // those before the next sibling: the order of pg_dump's
        // addConstrChildIdxDeps, which becomes the TOC entry's dependency order.
        std::vector<std::pair<IndxInfo*, size_t>> stack{{idx, 0}};
        while (!stack.empty()) {
          auto& [cur, next] = stack.back();
          if (!cur || next >= cur->rare().partattaches.size()) {
            stack.pop_back();
            continue;
          }
          DumpableObject* att = cur->rare().partattaches[next++];
          addDependency(*raw, att->dumpId);
          stack.emplace_back(static_cast<IndexAttachInfo*>(att)->partitionIdx, 0);
        }
      }
    }
  }
  return {};
}

Status dumpConstraint(EmitContext& ctx, DumpableObject& obj) {
  auto& con = static_cast<ConstraintInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  if (!con.table) return dumpDomainConstraint(ctx, con);  // dump/objects/type.cpp
  const TableInfo& t = *con.table;
  const std::string nsName = t.ns ? t.ns->name : "";
  const std::string qtab = ctx.quote.qualified(nsName, t.name);
  const std::string foreign = t.relkind == 'f' ? "FOREIGN " : "";
  const std::string qcon = ctx.quote.id(con.name);
  EntrySpec e;
  e.dumpId = con.dumpId;
  e.catId = con.catId;
  e.tag = t.name + " " + con.name;
  e.namespace_ = nsName;
  e.owner = t.owner;
  e.section = Section::PostData;
  bool emit = false;
  if (con.contype == 'p' || con.contype == 'u' || con.contype == 'x') {
    auto* idx = static_cast<IndxInfo*>(ctx.store.byDumpId(con.conindex));
    std::string q;
    if (ctx.binaryUpgrade) {
      if (!idx) return makeError("missing index for constraint \"" + con.name + "\"");
      PGARC_ASSIGN(q, ctx.binaryUpgrade->setPgClassOids(idx->catId.oid, true));
    }
    q += "ALTER " + foreign + "TABLE ONLY " + qtab + "\n    ADD CONSTRAINT " + qcon + " " + con.condef + ";\n";
    if (idx && idx->indisclustered)
      q += "\nALTER " + foreign + "TABLE " + qtab + " CLUSTER ON " + ctx.quote.id(idx->name) + ";\n";
    if (idx && idx->indisreplident)
      q += "\nALTER TABLE ONLY " + qtab + " REPLICA IDENTITY USING INDEX " + ctx.quote.id(idx->name) + ";\n";
    e.defn = q;
    e.dropStmt = "ALTER " + foreign + "TABLE ONLY " + qtab + " DROP CONSTRAINT " + qcon + ";\n";
    e.desc = "CONSTRAINT";
    e.tablespace = idx ? idx->rare().tablespace : std::string();
    emit = true;
  } else if (con.contype == 'f') {
    const std::string only = t.relkind == 'p' ? "" : "ONLY ";
    e.defn = "ALTER " + foreign + "TABLE " + only + qtab + "\n    ADD CONSTRAINT " + qcon + " " + con.condef + ";\n";
    e.dropStmt = "ALTER " + foreign + "TABLE " + only + qtab + " DROP CONSTRAINT " + qcon + ";\n";
    e.desc = "FK CONSTRAINT";
    emit = true;
  } else if (con.contype == 'c') {
    if (con.separate && con.conislocal) {
      e.defn = "ALTER " + foreign + "TABLE " + qtab + "\n    ADD CONSTRAINT " + qcon + " " + con.condef + ";\n";
      e.dropStmt = "ALTER " + foreign + "TABLE " + qtab + " DROP CONSTRAINT " + qcon + ";\n";
      e.desc = "CHECK CONSTRAINT";
      emit = true;
    }
  }
  if (emit && (con.dump & kCompDefinition)) ctx.add(std::move(e));
  if (con.separate && (con.dump & kCompComment))
    dumpComment(ctx, {"CONSTRAINT " + qcon + " ON", ctx.quote.id(t.name), nsName, t.owner, con.catId, 0, con.dumpId});
  return {};
}

}  // namespace pgarc::dump
