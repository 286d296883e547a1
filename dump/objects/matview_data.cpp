// refreshMatViewData: the MATERIALIZED VIEW DATA entry (REFRESH) of a
// populated materialized view, as pg_dump 15 writes it.
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_a_common.hpp"

namespace pgarc::dump {

Status refreshMatViewData(EmitContext& ctx, DumpableObject& obj) {
  auto& td = static_cast<TableDataInfo&>(obj);
  if (!td.table || !td.table->relispopulated) return {};
  const TableInfo& tbl = *td.table;
  if (!(td.dump & kCompData)) return {};
  EntrySpec e = definitionEntry(td, tbl.name, "MATERIALIZED VIEW DATA", Section::PostData,
                                "REFRESH MATERIALIZED VIEW " + ctx.quote.qualified(schemaName(tbl), tbl.name) + ";\n",
                                std::nullopt);
  e.namespace_ = schemaName(tbl);
  e.owner = tbl.owner;
  e.deps = td.dependencies;  // pg_dump passes these explicitly (refreshMatViewData)
  ctx.add(std::move(e));
  return {};
}

}  // namespace pgarc::dump
