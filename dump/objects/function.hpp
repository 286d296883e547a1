#pragma once
// Functions and procedures (pg_dump's DO_FUNC), also the shared shape of
// aggregates (DO_AGG).
#include <string>
#include <utility>
#include <vector>

#include "dump/model.hpp"

namespace pgarc::dump {

struct FuncInfo : DumpableObject {
  explicit FuncInfo(ObjectType t = ObjectType::Func) : DumpableObject(t) {}
  AclInfo dacl;
  uint32_t lang = 0;
  uint32_t rettype = 0;
  std::vector<uint32_t> argtypes;
  std::vector<std::string> argTypeNames;  // format_type(argtype, NULL), for tags and casts
  // (schema, typname) of each argument type: DOTypeNameCompare's tie-break.
  std::vector<std::pair<std::string, std::string>> argTypeKeys;
  bool postponed_def = false;
  std::vector<std::string> dependsOnExtensions;  // ALTER ... DEPENDS ON EXTENSION

  // What dumpFunc needs (read in one batch for dumpable functions).
  bool detailsLoaded = false;
  bool proretset = false;
  std::string prosrc, probin;
  char provolatile = 'v';
  bool proisstrict = false, prosecdef = false, proleakproof = false;
  std::string lanname;
  std::string proconfig;       // text[] as text, "" when NULL
  std::string procost, prorows;
  std::string funcargs, funciargs, funcresult;
  bool funcresultNull = true;
  std::string protrftypes;     // space-separated type oids
  std::vector<std::string> trfTypeNames;
  char proparallel = 'u';
  char prokind = 'f';
  std::string prosupport;      // regproc text, "-" when none
  std::string prosqlbody;
  bool prosqlbodyNull = true;

  int sortTieBreak(const DumpableObject& other) const override;
};

// "name(type, type)" with format_type names; name quoted when `quoteName`
// (pg_dump's format_function_signature).
std::string functionSignature(const FuncInfo& f, bool quoteName, const class Quoter& q);

}  // namespace pgarc::dump
