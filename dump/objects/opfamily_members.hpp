#pragma once
// The pg_amop / pg_amproc rows that belong (through pg_depend) to operator
// classes or operator families, read for all of them in two queries.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dump/object_kind.hpp"
#include "dump/quoting.hpp"

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

// What operator classes and families have in common: an access method and
// pg_amop/pg_amproc members.
struct AmMemberOwnerInfo : DumpableObject {
  using DumpableObject::DumpableObject;
  bool detailsLoaded = false;
  OpfamilyMembers members;
  std::string methodName;  // access method, for sorting ("" when unknown)
  // Same-named classes/families of different access methods sort by method.
  int sortTieBreak(const DumpableObject& other) const override;
};

// Runs `listQuery` (tableoid, oid, name, namespace oid, owner oid, method oid)
// and adds one object per row, made by `make`; returns those selected for
// dumping, by oid.
Result<std::map<uint32_t, AmMemberOwnerInfo*>> readAmMemberOwners(
    CatalogContext& ctx, const std::string& listQuery, const std::function<std::unique_ptr<AmMemberOwnerInfo>()>& make);

// Appends the OPERATOR and FUNCTION items of a CREATE OPERATOR CLASS or ALTER
// OPERATOR FAMILY ... ADD, each preceded by " ,\n    " when something came
// before (`needComma`, updated). Families always name a function's operand
// types; classes only when both are known.
void appendAmMembers(std::string& sql, const Quoter& q, const OpfamilyMembers& m, bool procTypesAlways,
                     bool& needComma);

// `refCatalog` is "pg_opclass" or "pg_opfamily"; `oidArray` an oid[] literal
// of the owners; rows go to members[owner oid] in pg_dump's per-owner order
// (operators by strategy, functions by number).
Status readOpfamilyMembers(CatalogContext& ctx, const std::string& refCatalog, const std::string& oidArray,
                           const std::map<uint32_t, OpfamilyMembers*>& members);

}  // namespace pgarc::dump
