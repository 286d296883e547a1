// getPublicationTables / dumpPublicationTable and getPublicationNamespaces /
// dumpPublicationNamespace: ALTER PUBLICATION ... ADD TABLE ONLY / ADD TABLES
// IN SCHEMA entries as pg_dump 15 writes them.
#include "dump/acl.hpp"
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_b_common.hpp"
#include "dump/objects/publication.hpp"

namespace pgarc::dump {

namespace {
struct PublicationRelInfo : DumpableObject {
  PublicationRelInfo() : DumpableObject(ObjectType::PublicationRel) {}
  const PublicationInfo* publication = nullptr;
  const TableInfo* table = nullptr;
  std::optional<std::string> qual;     // pg_get_expr(prqual)
  std::optional<std::vector<std::string>> columns;  // published column names
  // Same (schema, name) as the table: pg_dump then sorts by publication name.
  int sortTieBreak(const DumpableObject& other) const override {
    return publication->name.compare(static_cast<const PublicationRelInfo&>(other).publication->name);
  }
};

struct PublicationSchemaInfo : DumpableObject {
  PublicationSchemaInfo() : DumpableObject(ObjectType::PublicationTableInSchema) {}
  const PublicationInfo* publication = nullptr;
  const NamespaceInfo* schema = nullptr;
  int sortTieBreak(const DumpableObject& other) const override {
    return publication->name.compare(static_cast<const PublicationSchemaInfo&>(other).publication->name);
  }
};

const PublicationInfo* findPublication(const CatalogContext& ctx, uint32_t oid) {
  DumpableObject* o = ctx.store.findByOid("pg_publication", oid);
  return o && o->type == ObjectType::Publication ? static_cast<const PublicationInfo*>(o) : nullptr;
}

// pg_dump's selectDumpablePublicationObject.
void selectDumpablePublicationObject(CatalogContext& ctx, DumpableObject& obj) {
  if (checkExtensionMembership(ctx, obj)) return;
  obj.dump = includeEverything(ctx) ? kCompAll : kCompNone;
}
}  // namespace

Status getPublicationTables(CatalogContext& ctx) {
  if (ctx.options.noPublications || ctx.serverVersion < 100000) return {};
  std::string sql;
  if (ctx.serverVersion >= 150000)
    sql = "SELECT tableoid, oid, prpubid, prrelid, pg_catalog.pg_get_expr(prqual, prrelid) AS prrelqual, "
          "(CASE\n  WHEN pr.prattrs IS NOT NULL THEN\n    (SELECT array_agg(attname)\n       FROM\n"
          "         pg_catalog.generate_series(0, pg_catalog.array_upper(pr.prattrs::pg_catalog.int2[], 1)) s,\n"
          "         pg_catalog.pg_attribute\n      WHERE attrelid = pr.prrelid AND attnum = prattrs[s])\n"
          "  ELSE NULL END) prattrs FROM pg_catalog.pg_publication_rel pr";
  else
    sql = "SELECT tableoid, oid, prpubid, prrelid, NULL AS prrelqual, NULL AS prattrs "
          "FROM pg_catalog.pg_publication_rel";
  PGARC_ASSIGN(QueryResult r, ctx.conn.query(sql));
  for (int i = 0; i < r.rows(); i++) {
    const PublicationInfo* pub = findPublication(ctx, r.oid(i, 2));
    if (!pub) continue;
    const TableInfo* tbl = ctx.store.findTable(r.oid(i, 3));
    if (!tbl || !(tbl->dump & kCompDefinition)) continue;
    auto p = std::make_unique<PublicationRelInfo>();
    p->catId = {r.oid(i, 0), r.oid(i, 1)};
    p->ns = tbl->ns;
    p->name = tbl->name;
    p->publication = pub;
    p->table = tbl;
    if (!r.isNull(i, 4)) p->qual = r.str(i, 4);
    if (!r.isNull(i, 5)) {
      auto names = parsePgArray(r.str(i, 5));
      if (!names) return makeError("could not parse prattrs array \"" + r.str(i, 5) + "\"");
      p->columns = std::move(*names);
    }
    selectDumpablePublicationObject(ctx, *ctx.store.add(std::move(p)));
  }
  return {};
}

Status getPublicationNamespaces(CatalogContext& ctx) {
  if (ctx.options.noPublications || ctx.serverVersion < 150000) return {};
  PGARC_ASSIGN(QueryResult r, ctx.conn.query("SELECT tableoid, oid, pnpubid, pnnspid "
                                             "FROM pg_catalog.pg_publication_namespace"));
  for (int i = 0; i < r.rows(); i++) {
    const PublicationInfo* pub = findPublication(ctx, r.oid(i, 2));
    if (!pub) continue;
    const NamespaceInfo* nsp = ctx.store.findNamespace(r.oid(i, 3));
    if (!nsp) return makeError("could not find schema with OID " + std::to_string(r.oid(i, 3)));
    if (nsp->dump == kCompNone) continue;
    auto p = std::make_unique<PublicationSchemaInfo>();
    p->catId = {r.oid(i, 0), r.oid(i, 1)};
    p->ns = nsp->ns;
    p->name = nsp->name;
    p->publication = pub;
    p->schema = nsp;
    selectDumpablePublicationObject(ctx, *ctx.store.add(std::move(p)));
  }
  return {};
}

Status dumpPublicationTable(EmitContext& ctx, DumpableObject& obj) {
  auto& p = static_cast<PublicationRelInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const Quoter& q = ctx.quote;
  std::string sql = "ALTER PUBLICATION " + q.id(p.publication->name) + " ADD TABLE ONLY " +
                    q.qualified(schemaName(*p.table), p.table->name);
  if (p.columns) {
    std::string cols;
    for (const std::string& c : *p.columns) cols += (cols.empty() ? "" : ", ") + q.id(c);
    sql += " (" + cols + ")";
  }
  if (p.qual) sql += " WHERE (" + *p.qual + ")";
  sql += ";\n";
  if (p.dump & kCompDefinition) {
    EntrySpec e;
    e.dumpId = p.dumpId;
    e.catId = p.catId;
    e.tag = p.publication->name + " " + p.table->name;
    e.namespace_ = schemaName(*p.table);
    e.owner = p.publication->owner;
    e.desc = "PUBLICATION TABLE";
    e.section = Section::PostData;
    e.defn = sql;
    ctx.add(std::move(e));
  }
  return {};
}

Status dumpPublicationNamespace(EmitContext& ctx, DumpableObject& obj) {
  auto& p = static_cast<PublicationSchemaInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  if (p.dump & kCompDefinition) {
    EntrySpec e;
    e.dumpId = p.dumpId;
    e.catId = p.catId;
    e.tag = p.publication->name + " " + p.schema->name;
    e.namespace_ = p.schema->name;
    e.owner = p.publication->owner;
    e.desc = "PUBLICATION TABLES IN SCHEMA";
    e.section = Section::PostData;
    e.defn = "ALTER PUBLICATION " + ctx.quote.id(p.publication->name) + " ADD TABLES IN SCHEMA " +
             ctx.quote.id(p.schema->name) + ";\n";
    ctx.add(std::move(e));
  }
  return {};
}

}  // namespace pgarc::dump
