#pragma once
// pg_dump_sort.c's behaviour as a pure module: order objects by type
// priority, namespace, name, type-specific tie-break and OID; then a
// topological sort that keeps that order wherever the dependencies allow,
// repairing dependency loops the way pg_dump does.
#include <functional>
#include <string>
#include <vector>

#include "dump/model.hpp"
#include "format/result.hpp"

namespace pgarc::dump {

// pg_dump 15's sort priority of an object type (lower sorts first).
int typePriority(ObjectType t);

// Stable order by (priority, namespace name, name, tie-break, oid); NULL
// namespaces sort after non-NULL ones.
void sortByTypeName(std::vector<DumpableObject*>& objs);

// Looks an object up by dumpId (nullptr when unknown).
using ObjectLookup = std::function<DumpableObject*(DumpId)>;

// Topological sort preserving the input order where possible. Loops are
// repaired (dependencies removed or objects marked separate); loops no rule
// covers are broken arbitrarily and reported through `warn`.
std::vector<DumpableObject*> sortByDependencies(std::vector<DumpableObject*> objs, DumpId maxDumpId,
                                                const ObjectLookup& lookup,
                                                const std::function<void(const std::string&)>& warn);

// One topological pass; returns false and the objects left unsorted on a loop.
bool topoSort(const std::vector<DumpableObject*>& objs, DumpId maxDumpId, std::vector<DumpableObject*>& ordering);

}  // namespace pgarc::dump
