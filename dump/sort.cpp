#include "dump/sort.hpp"

#include "dump/objects/function.hpp"
#include "dump/objects/rule.hpp"
#include "dump/objects/type.hpp"

#include <algorithm>
#include <cstring>
#include <deque>
#include <queue>
#include <unordered_map>

namespace pgarc::dump {

int typePriority(ObjectType t) {
  // pg_dump 15's dbObjectTypePriorities, in rank order.
  switch (t) {
    case ObjectType::Namespace: return 1;
    case ObjectType::ProcLang: return 2;
    case ObjectType::Collation: return 3;
    case ObjectType::Transform: return 4;
    case ObjectType::Extension: return 5;
    case ObjectType::Type: case ObjectType::ShellType: return 6;
    case ObjectType::Cast: return 7;
    case ObjectType::Func: return 8;
    case ObjectType::Agg: return 9;
    case ObjectType::AccessMethod: return 10;
    case ObjectType::Operator: return 11;
    case ObjectType::Opfamily: case ObjectType::Opclass: return 12;
    case ObjectType::Conversion: return 13;
    case ObjectType::TSParser: return 14;
    case ObjectType::TSTemplate: return 15;
    case ObjectType::TSDict: return 16;
    case ObjectType::TSConfig: return 17;
    case ObjectType::FDW: return 18;
    case ObjectType::ForeignServer: return 19;
    case ObjectType::Table: return 20;
    case ObjectType::TableAttach: return 21;
    case ObjectType::DummyType: return 22;
    case ObjectType::Attrdef: return 23;
    case ObjectType::Blob: return 24;
    case ObjectType::PreDataBoundary: return 25;
    case ObjectType::TableData: return 26;
    case ObjectType::SequenceSet: return 27;
    case ObjectType::BlobData: return 28;
    case ObjectType::PostDataBoundary: return 29;
    case ObjectType::Constraint: return 30;
    case ObjectType::Index: return 31;
    case ObjectType::IndexAttach: return 32;
    case ObjectType::StatsExt: return 33;
    case ObjectType::Rule: return 34;
    case ObjectType::Trigger: return 35;
    case ObjectType::FkConstraint: return 36;
    case ObjectType::Policy: return 37;
    case ObjectType::Publication: return 38;
    case ObjectType::PublicationRel: return 39;
    case ObjectType::PublicationTableInSchema: return 40;
    case ObjectType::Subscription: return 41;
    case ObjectType::DefaultAcl: return 42;
    case ObjectType::EventTrigger: return 43;
    case ObjectType::RefreshMatview: return 44;
  }
  return 100;
}

namespace {

int compareTypeName(const DumpableObject* a, const DumpableObject* b) {
  int c = typePriority(a->type) - typePriority(b->type);
  if (c != 0) return c;
  if (a->ns) {
    if (!b->ns) return -1;
    c = std::strcmp(a->ns->name.c_str(), b->ns->name.c_str());
    if (c != 0) return c;
  } else if (b->ns) {
    return 1;
  }
  c = std::strcmp(a->name.c_str(), b->name.c_str());
  if (c != 0) return c;
  // Types sharing a priority (opclass and opfamily) go in ObjectType order,
  // which is pg_dump's DO_* order.
  if (a->type != b->type) return static_cast<int>(a->type) < static_cast<int>(b->type) ? -1 : 1;
  {
    c = a->sortTieBreak(*b);
    if (c != 0) return c;
    if (a->type == ObjectType::Attrdef) {
      int an = static_cast<const AttrDefInfo*>(a)->adnum, bn = static_cast<const AttrDefInfo*>(b)->adnum;
      if (an != bn) return an < bn ? -1 : 1;
    }
  }
  if (a->catId.oid != b->catId.oid) return a->catId.oid < b->catId.oid ? -1 : 1;
  return 0;
}

void removeDependency(DumpableObject& obj, DumpId id) {
  obj.dependencies.erase(std::remove(obj.dependencies.begin(), obj.dependencies.end(), id), obj.dependencies.end());
}

// pg_dump's findLoop: depth-first search for a path from `obj` back to
// `start`, following dependencies in their stored order.
int findLoop(DumpableObject* obj, DumpId start, std::vector<bool>& processed, std::vector<DumpId>& searchFailed,
             std::vector<DumpableObject*>& workspace, int depth, const ObjectLookup& lookup) {
  if (processed[obj->dumpId]) return 0;
  if (searchFailed[obj->dumpId] == start) return 0;
  for (int i = 0; i < depth; i++)
    if (workspace[i] == obj) return 0;
  if (static_cast<size_t>(depth) >= workspace.size()) return 0;
  workspace[depth++] = obj;
  for (DumpId d : obj->dependencies)
    if (d == start) return depth;
  for (DumpId d : obj->dependencies) {
    DumpableObject* next = lookup(d);
    if (!next) continue;
    int newDepth = findLoop(next, start, processed, searchFailed, workspace, depth, lookup);
    if (newDepth > 0) return newDepth;
  }
  searchFailed[obj->dumpId] = start;
  return 0;
}

bool isTableCheck(const DumpableObject* c, const DumpableObject* table) {
  if (c->type != ObjectType::Constraint) return false;
  auto* con = static_cast<const ConstraintInfo*>(c);
  return con->contype == 'c' && con->table == table;
}

bool isTableDefault(const DumpableObject* d, const DumpableObject* table) {
  return d->type == ObjectType::Attrdef && static_cast<const AttrDefInfo*>(d)->table == table;
}

// pg_dump's repairDependencyLoop for the kinds this module knows; returns
// false when no rule applies.
bool isViewSelectRule(const DumpableObject* rule, const DumpableObject* view) {
  if (rule->type != ObjectType::Rule || view->type != ObjectType::Table) return false;
  auto* r = static_cast<const RuleInfo*>(rule);
  char rk = static_cast<const TableInfo*>(view)->relkind;
  return (rk == 'v' || rk == 'm') && r->ev_type == '1' && r->is_instead && r->table == view;
}

bool repairLoop(const std::vector<DumpableObject*>& loop, DumpId postDataBoundary) {
  const size_t n = loop.size();
  // A type and one of its I/O functions: the function depends on the shell type instead.
  if (n == 2) {
    for (int k = 0; k < 2; k++) {
      if (loop[k]->type == ObjectType::Type && loop[1 - k]->type == ObjectType::Func) {
        auto* type = static_cast<TypeInfo*>(loop[k]);
        DumpableObject* func = loop[1 - k];
        removeDependency(*func, type->dumpId);
        if (type->shellType) {
          addDependency(*func, type->shellType->dumpId);
          if (func->dump) type->shellType->dump = func->dump | kCompDefinition;
        }
        return true;
      }
    }
  }
  // A domain and one of its CHECK constraints: the constraint stops depending
  // on the domain (pg_dump's repairDomainConstraintLoop).
  if (n == 2) {
    for (int k = 0; k < 2; k++) {
      if (loop[k]->type == ObjectType::Type && loop[1 - k]->type == ObjectType::Constraint &&
          static_cast<ConstraintInfo*>(loop[1 - k])->contype == 'c' &&
          static_cast<ConstraintInfo*>(loop[1 - k])->domain == loop[k]) {
        removeDependency(*loop[1 - k], loop[k]->dumpId);
        return true;
      }
    }
  }
  // Indirect loop through a domain and its CHECK constraint: the constraint
  // is dumped separately, in post-data (repairDomainConstraintMultiLoop).
  if (n > 2) {
    for (DumpableObject* d : loop) {
      if (d->type != ObjectType::Type) continue;
      for (DumpableObject* c : loop) {
        if (c->type != ObjectType::Constraint) continue;
        auto* con = static_cast<ConstraintInfo*>(c);
        if (con->contype != 'c' || con->domain != d) continue;
        removeDependency(*d, c->dumpId);
        con->separate = true;
        addDependency(*c, d->dumpId);
        if (postDataBoundary) addDependency(*c, postDataBoundary);
        return true;
      }
    }
  }
  // A view and its ON SELECT rule: drop the rule's dependency on the view.
  if (n == 2) {
    for (int k = 0; k < 2; k++) {
      if (isViewSelectRule(loop[1 - k], loop[k])) {
        removeDependency(*loop[1 - k], loop[k]->dumpId);
        return true;
      }
    }
  }
  // Indirect loop through a view (not a matview) and its ON SELECT rule: the
  // view is dumped as a dummy and the rule separately, after the data.
  if (n > 2) {
    for (DumpableObject* v : loop) {
      if (v->type != ObjectType::Table || static_cast<TableInfo*>(v)->relkind != 'v') continue;
      for (DumpableObject* r : loop) {
        if (!isViewSelectRule(r, v)) continue;
        removeDependency(*v, r->dumpId);
        static_cast<TableInfo*>(v)->dummy_view = true;
        static_cast<RuleInfo*>(r)->separate = true;
        addDependency(*r, v->dumpId);
        if (postDataBoundary) addDependency(*r, postDataBoundary);
        return true;
      }
    }
  }
  // Indirect loop through a matview and the pre-data boundary: the matview
  // is postponed into post-data.
  if (n > 2) {
    for (DumpableObject* m : loop) {
      if (m->type != ObjectType::Table || static_cast<TableInfo*>(m)->relkind != 'm') continue;
      for (size_t j = 0; j < n; j++) {
        if (loop[j]->type != ObjectType::PreDataBoundary) continue;
        DumpableObject* next = j + 1 < n ? loop[j + 1] : loop[0];
        removeDependency(*loop[j], next->dumpId);
        if (next->type == ObjectType::Table && static_cast<TableInfo*>(next)->relkind == 'm')
          static_cast<TableInfo*>(next)->postponed_def = true;
        return true;
      }
    }
  }
  // Indirect loop through a function and the pre-data boundary: a
  // SQL-standard body that needs a constraint (GROUP BY on a primary key).
  // The function is postponed into post-data, after the constraint.
  if (n > 2) {
    for (DumpableObject* f : loop) {
      if (f->type != ObjectType::Func) continue;
      for (size_t j = 0; j < n; j++) {
        if (loop[j]->type != ObjectType::PreDataBoundary) continue;
        DumpableObject* next = j + 1 < n ? loop[j + 1] : loop[0];
        removeDependency(*loop[j], next->dumpId);
        if (next->type == ObjectType::Func) static_cast<FuncInfo*>(next)->postponed_def = true;
        return true;
      }
    }
  }
  if (n == 2) {
    for (int k = 0; k < 2; k++) {
      DumpableObject* a = loop[k];
      DumpableObject* b = loop[1 - k];
      if (a->type == ObjectType::Table && isTableCheck(b, a)) {
        removeDependency(*b, a->dumpId);
        return true;
      }
      if (a->type == ObjectType::Table && isTableDefault(b, a)) {
        removeDependency(*b, a->dumpId);
        return true;
      }
    }
  }
  if (n > 2) {
    for (DumpableObject* t : loop) {
      if (t->type != ObjectType::Table) continue;
      for (DumpableObject* c : loop) {
        if (isTableCheck(c, t)) {
          removeDependency(*t, c->dumpId);
          static_cast<ConstraintInfo*>(c)->separate = true;
          addDependency(*c, t->dumpId);
          return true;
        }
      }
    }
    for (DumpableObject* t : loop) {
      if (t->type != ObjectType::Table) continue;
      for (DumpableObject* d : loop) {
        if (isTableDefault(d, t)) {
          removeDependency(*t, d->dumpId);
          static_cast<AttrDefInfo*>(d)->separate = true;
          addDependency(*d, t->dumpId);
          return true;
        }
      }
    }
  }
  return false;
}

}  // namespace

void sortByTypeName(std::vector<DumpableObject*>& objs) {
  std::stable_sort(objs.begin(), objs.end(),
                   [](const DumpableObject* a, const DumpableObject* b) { return compareTypeName(a, b) < 0; });
}

bool topoSort(const std::vector<DumpableObject*>& objs, DumpId maxDumpId, std::vector<DumpableObject*>& ordering) {
  const size_t n = objs.size();
  std::vector<int> before(static_cast<size_t>(maxDumpId) + 1, 0);
  std::vector<int> idMap(static_cast<size_t>(maxDumpId) + 1, -1);
  for (size_t i = 0; i < n; i++) {
    idMap[objs[i]->dumpId] = static_cast<int>(i);
    for (DumpId d : objs[i]->dependencies)
      if (d > 0 && d <= maxDumpId) before[d]++;
  }
  // Max-heap of input positions ready to be placed, filling the output from the end.
  std::priority_queue<int> ready;
  for (size_t i = 0; i < n; i++)
    if (before[objs[i]->dumpId] == 0) ready.push(static_cast<int>(i));
  ordering.assign(n, nullptr);
  size_t remaining = n;
  while (!ready.empty()) {
    int j = ready.top();
    ready.pop();
    DumpableObject* obj = objs[j];
    ordering[--remaining] = obj;
    for (DumpId d : obj->dependencies) {
      if (d <= 0 || d > maxDumpId) continue;
      if (--before[d] == 0 && idMap[d] >= 0) ready.push(idMap[d]);
    }
  }
  if (remaining == 0) return true;
  // The objects left over, in dumpId order (where loop search starts).
  ordering.clear();
  for (DumpId id = 1; id <= maxDumpId; id++)
    if (before[id] != 0 && idMap[id] >= 0) ordering.push_back(objs[idMap[id]]);
  return false;
}

std::vector<DumpableObject*> sortByDependencies(std::vector<DumpableObject*> objs, DumpId maxDumpId,
                                                const ObjectLookup& lookup,
                                                const std::function<void(const std::string&)>& warn) {
  // Dependencies on objects outside the set are ignored, as pg_dump ignores
  // ids it has no object for.
  std::vector<bool> present(static_cast<size_t>(maxDumpId) + 1, false);
  for (auto* o : objs) present[o->dumpId] = true;
  for (auto* o : objs) {
    auto& deps = o->dependencies;
    deps.erase(std::remove_if(deps.begin(), deps.end(),
                              [&](DumpId d) { return d <= 0 || d > maxDumpId || !present[d]; }),
               deps.end());
  }
  DumpId postBoundary = 0;
  for (auto* o : objs)
    if (o->type == ObjectType::PostDataBoundary) postBoundary = o->dumpId;
  std::vector<DumpableObject*> ordering;
  for (int guard = 0; guard < 100000; guard++) {
    if (topoSort(objs, maxDumpId, ordering)) return ordering;
    // findDependencyLoops: one pass over the unsorted objects (dumpId order),
    // repairing every loop found that does not overlap an earlier one.
    std::vector<bool> processed(static_cast<size_t>(maxDumpId) + 1, false);
    std::vector<DumpId> searchFailed(static_cast<size_t>(maxDumpId) + 1, 0);
    std::vector<DumpableObject*> workspace(objs.size() + 1, nullptr);
    bool fixed = false;
    for (DumpableObject* obj : ordering) {
      int len = findLoop(obj, obj->dumpId, processed, searchFailed, workspace, 0, lookup);
      if (len > 0) {
        std::vector<DumpableObject*> loop(workspace.begin(), workspace.begin() + len);
        if (!repairLoop(loop, postBoundary)) {
          // A loop of table data only is a cycle of foreign keys (a data-only
          // dump), which pg_dump reports by table name with its advice.
          const bool allData = std::all_of(loop.begin(), loop.end(),
                                           [](const DumpableObject* o) { return o->type == ObjectType::TableData; });
          if (warn && allData) {
            std::string msg = loop.size() == 1 ? "there are circular foreign-key constraints on this table:"
                                               : "there are circular foreign-key constraints among these tables:";
            for (auto* o : loop) msg += "\ndetail: " + o->name;
            msg += "\nhint: You might not be able to restore the dump without using --disable-triggers or "
                   "temporarily dropping the constraints.";
            msg += "\nhint: Consider using a full dump instead of a --data-only dump to avoid this problem.";
            warn(msg);
          } else if (warn) {
            std::string msg = "could not resolve dependency loop among these items:";
            for (auto* o : loop) msg += "\ndetail: " + o->loopDescription();
            warn(msg);
          }
          if (loop.size() > 1)
            removeDependency(*loop[0], loop[1]->dumpId);
          else
            removeDependency(*loop[0], loop[0]->dumpId);
        }
        fixed = true;
        for (auto* o : loop) processed[o->dumpId] = true;
      } else {
        processed[obj->dumpId] = true;
      }
    }
    if (!fixed) break;
  }
  return objs;
}

}  // namespace pgarc::dump
