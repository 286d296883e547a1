#include "dump/objects/placeholder.hpp"

namespace pgarc::dump {

Status addPlaceholdersIf(CatalogContext& ctx, ObjectType type, const std::string& sql,
                         const std::function<bool(const QueryResult&, int)>& keep) {
  PGARC_ASSIGN(QueryResult r, ctx.conn.query(sql));
  for (int i = 0; i < r.rows(); i++) {
    if (keep && !keep(r, i)) continue;
    auto obj = std::make_unique<PlainObject>(type);
    obj->catId = {r.oid(i, 0), r.oid(i, 1)};
    ctx.store.add(std::move(obj));
  }
  return {};
}

Status addPlaceholders(CatalogContext& ctx, ObjectType type, const std::string& sql) {
  return addPlaceholdersIf(ctx, type, sql, nullptr);
}

std::string interestingTableOids(CatalogContext& ctx, const std::function<bool(const TableInfo&)>& pred) {
  std::string oids = "{";
  bool first = true;
  for (const auto& o : ctx.store.all()) {
    if (o->type != ObjectType::Table) continue;
    auto& t = static_cast<const TableInfo&>(*o);
    if (!t.interesting || !pred(t)) continue;
    if (!first) oids += ",";
    first = false;
    oids += std::to_string(t.catId.oid);
  }
  return oids + "}";
}

}  // namespace pgarc::dump
