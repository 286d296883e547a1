#pragma once
// COMMENT ON and SECURITY LABEL entries (pg_dump's dumpComment,
// dumpTableComment, dumpSecLabel).
#include <string>

#include "dump/object_kind.hpp"

namespace pgarc::dump {

struct CommentTarget {
  std::string type;        // "SCHEMA", "INDEX", "CONSTRAINT c ON", ...
  std::string name;        // already quoted
  std::string nspname;     // "" when none; prefixes name in the statement
  std::string owner;
  CatalogId catId;
  int subid = 0;
  DumpId dumpId = 0;       // the entry the comment depends on
};

// Emits the COMMENT entry for the object if it has one. `initdbComment`
// (public schema) suppresses a comment equal to it and adds an empty one
// when there is none.
void dumpComment(EmitContext& ctx, const CommentTarget& t, const char* initdbComment = nullptr);
// Table comments and column comments ("COLUMN t.c").
void dumpTableComment(EmitContext& ctx, const TableInfo& tbl, const std::string& reltypename);
// SECURITY LABEL entries for the object (and columns when `tbl` given).
void dumpSecLabel(EmitContext& ctx, const CommentTarget& t);
void dumpTableSecLabel(EmitContext& ctx, const TableInfo& tbl, const std::string& reltypename);

}  // namespace pgarc::dump
