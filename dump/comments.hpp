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
// The SECURITY LABEL entry for the object; a table's names its columns' too.
void dumpSecLabel(EmitContext& ctx, const CommentTarget& t);
void dumpTableSecLabel(EmitContext& ctx, const TableInfo& tbl, const std::string& reltypename);
// A COMMENT or SECURITY LABEL entry (`desc`) holding `sql`, depending on `dep`;
// `nspname` "" for none.
void addObjectNoteEntry(EmitContext& ctx, const char* desc, const std::string& tag, const std::string& nspname,
                        const std::string& owner, std::string sql, DumpId dep);

}  // namespace pgarc::dump
