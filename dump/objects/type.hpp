#pragma once
// Types (DO_TYPE, DO_DUMMY_TYPE for table row types and automatic array and
// multirange types) and shell types (DO_SHELL_TYPE) of base and range types.
#include <string>
#include <vector>

#include "dump/model.hpp"
#include "dump/object_kind.hpp"

namespace pgarc::dump {

struct ShellTypeInfo;

// getTypes' main query (no ruleutils calls: the side connections may read it
// ahead, see dump/side_queries.hpp).
extern const char* const kTypesQuery;

// A collation referenced by a type definition (COLLATE clause).
struct CollationRef {
  std::string nspname;  // "" when none
  std::string name;
};

struct TypeAttribute {   // a composite type's column
  std::string name;
  std::string typdefn;   // format_type
  bool isdropped = false;
  CollationRef collation;
  std::string attlen, attalign;  // --binary-upgrade recreates dropped attributes with these
};

// What every pg_type row keeps. Table row types and automatic array and
// multirange types (DO_DUMMY_TYPE: never dumped, but numbered, sorted and
// depended on; two for every table) are objects of just this size.
struct TypeCore : DumpableObject {
  TypeCore() : DumpableObject(ObjectType::Type) {}
  uint32_t typelem = 0;
  uint32_t typrelid = 0;
  char typrelkind = ' ';
  char typtype = 'b';
  bool isDefined = true;
  bool isArray = false;
  bool isMultirange = false;
  // pg_dump's test for a DO_DUMMY_TYPE (selectDumpableType).
  bool isDummy() const { return (typrelid != 0 && typrelkind != 'c') || isArray || isMultirange; }
};

// A type that may be dumped (ObjectType::Type), with what dumpType needs.
struct TypeInfo : TypeCore {
  AclInfo dacl;
  ShellTypeInfo* shellType = nullptr;
  std::vector<ConstraintInfo*> domChecks;  // domain CHECK constraints, by name

  // Details for dumpType, loaded in batches for dumpable types.
  bool detailsLoaded = false;
  std::vector<std::string> enumLabels;
  std::vector<uint32_t> enumOids;  // pg_enum oids, in label order
  std::vector<TypeAttribute> attributes;
  // domain
  bool typnotnull = false;
  std::string typdefn;
  std::string typdefault;
  bool hasDefault = false, defaultIsLiteral = false;
  CollationRef collation;  // domain: when differing from base type; range: rngcollation
  // range
  std::string rngsubtype, rngmultitype, opcname, opcnsp, rngcanonical, rngsubdiff;
  bool rngmultitypeNull = true, opcdefault = true;
  // base
  std::string typlen, typinput, typoutput, typreceive, typsend, typmodin, typmodout, typanalyze;
  bool hasReceive = false, hasSend = false, hasModin = false, hasModout = false, hasAnalyze = false;
  std::string typdelim, typalign, typstorage, typcategory, typsubscript, elemTypeName;
  bool typbyval = false, typispreferred = false, typcollatable = false, hasSubscript = false;
};

struct ShellTypeInfo : DumpableObject {
  ShellTypeInfo() : DumpableObject(ObjectType::ShellType) {}
  TypeCore* baseType = nullptr;
};

}  // namespace pgarc::dump

namespace pgarc::dump {
// The ALTER DOMAIN ... ADD CONSTRAINT entry of a domain CHECK constraint that
// is dumped separately (NOT VALID, or split out of a dependency loop); called
// by dumpConstraint for constraints without a table.
Status dumpDomainConstraint(EmitContext& ctx, ConstraintInfo& con);
}  // namespace pgarc::dump
