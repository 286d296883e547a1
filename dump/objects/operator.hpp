#pragma once
// Operators (pg_dump's DO_OPERATOR).
#include <string>
#include <utility>

#include "dump/model.hpp"

namespace pgarc::dump {

struct OprInfo : DumpableObject {
  OprInfo() : DumpableObject(ObjectType::Operator) {}
  char oprkind = 'b';
  uint32_t oprcode = 0;
  // What dumpOpr needs, read in one batch for the dumpable operators.
  bool detailsLoaded = false;
  std::string code, left, right, rest, join;  // regprocedure / regtype text
  uint32_t com = 0, negate = 0;
  bool canmerge = false, canhash = false;
  // (schema, name) of the argument types' pg_type entries, "" schema when the
  // type is unknown (pg_dump's pgTypeNameCompare then calls them equal).
  std::pair<std::string, std::string> leftKey, rightKey;

  // pg_dump sorts same-named operators prefix, postfix, infix ('l' > 'b'),
  // then by argument type names.
  int sortTieBreak(const DumpableObject& other) const override;
};

// "OPERATOR(schema.name)" of an operator oid, nullopt-like "" when 0 or unknown
// (pg_dump's getFormattedOperatorName).
std::string formattedOperatorName(const ObjectStore& store, const class Quoter& q, uint32_t oid);

// A regproc/regprocedure text without its argument list, "" for "-"
// (pg_dump's convertRegProcReference).
std::string regProcReference(const std::string& proc);

}  // namespace pgarc::dump
