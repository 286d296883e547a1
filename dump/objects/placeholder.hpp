#pragma once
// Helpers for catalog steps that only need to count pg_dump's rows.
#include <functional>
#include <string>

#include "dump/object_kind.hpp"

namespace pgarc::dump {

// Runs `sql` (first two columns tableoid, oid) and adds one PlainObject per row.
Status addPlaceholders(CatalogContext& ctx, ObjectType type, const std::string& sql);
Status addPlaceholdersIf(CatalogContext& ctx, ObjectType type, const std::string& sql,
                         const std::function<bool(const QueryResult&, int)>& keep);
// "{oid,oid,...}" of interesting tables matching `pred` (for unnest() batching).
std::string interestingTableOids(CatalogContext& ctx, const std::function<bool(const TableInfo&)>& pred);

}  // namespace pgarc::dump
