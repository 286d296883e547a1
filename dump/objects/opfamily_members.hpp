#pragma once
// The pg_amop / pg_amproc rows that belong (through pg_depend) to operator
// classes or operator families, read for all of them in two queries.
#include <map>
#include <string>
#include <vector>

#include "dump/object_kind.hpp"

namespace pgarc::dump {

struct OpfamilyMembers {
  struct Op {
    std::string strategy, opr, sortFamily, sortFamilyNsp;
  };
  struct Proc {
    std::string procnum, proc, lefttype, righttype;
  };
  std::vector<Op> ops;
  std::vector<Proc> procs;
};

// `refCatalog` is "pg_opclass" or "pg_opfamily"; `oidArray` an oid[] literal
// of the owners; rows go to members[owner oid] in pg_dump's per-owner order
// (operators by strategy, functions by number).
Status readOpfamilyMembers(CatalogContext& ctx, const std::string& refCatalog, const std::string& oidArray,
                           const std::map<uint32_t, OpfamilyMembers*>& members);

}  // namespace pgarc::dump
