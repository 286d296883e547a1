#pragma once
// Helpers shared by the kinds in group A (functions, types, languages,
// extensions, casts, collations, conversions, triggers, rules, event
// triggers, policies, materialized view data): pg_dump's object selection
// rules and the boilerplate of definition/comment/ACL entries.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dump/acl.hpp"
#include "dump/comments.hpp"
#include "dump/object_kind.hpp"

namespace pgarc::dump {

// "'{1,2,3}'::pg_catalog.oid[]" for batching per-object reads with unnest/ANY.
std::string oidArrayLiteral(const std::vector<uint32_t>& oids);

// pg_dump's include_everything: no -n and no -t given.
bool includeEverything(const CatalogContext& ctx);

// pg_dump's checkExtensionMembership: marks extension members (only their
// ACL/seclabel/policy components remain dumpable) and returns true for them.
bool checkExtensionMembership(CatalogContext& ctx, DumpableObject& obj);

// pg_dump's selectDumpableObject: extension members as above, otherwise the
// containing schema's dumpContains, otherwise everything or nothing.
void selectDumpableObject(CatalogContext& ctx, DumpableObject& obj);

// Name of the object's schema, "" when it has none.
std::string schemaName(const DumpableObject& obj);

// The definition entry of an object (pg_dump's ArchiveEntry with the
// object's own dumpId, catalog id, namespace, owner and dependencies).
EntrySpec definitionEntry(const DumpableObject& obj, std::string tag, std::string desc, Section section,
                          std::string defn, std::optional<std::string> dropStmt, bool withNamespace = true);

// Emits COMMENT, SECURITY LABEL and ACL entries for an object as pg_dump's
// dumpComment/dumpSecLabel/dumpACL calls do, each gated on the object's
// dump components. `type` is "FUNCTION", "TYPE"...; `name` already quoted.
// `acl` nullptr when the kind has no privileges.
Status dumpCommentSecLabelAcl(EmitContext& ctx, const DumpableObject& obj, const std::string& type,
                              const std::string& name, const std::string& nspname, const AclInfo* acl,
                              const std::string& aclType = {});

// Splits a GUC list value as SplitGUCList does (no downcasing); nullopt on
// malformed input.
std::optional<std::vector<std::string>> splitGucList(const std::string& value);
// Whether the GUC is marked GUC_LIST_QUOTE in PostgreSQL 15.
bool isGucListQuote(const std::string& name);

// "\n    SET name TO value" lines for a proconfig-style array (name=value items).
std::string formatSetClauses(const Quoter& q, const std::vector<std::string>& configItems);

// pg_dump's append_depends_on_extension: for objects marked (pg_depend
// deptype 'x') as depending on an extension, the names of every extension
// they depend on, keyed by object oid. One query for the whole catalog.
Result<std::map<uint32_t, std::vector<std::string>>> extensionDependencies(CatalogContext& ctx,
                                                                           const std::string& catalog);
// "ALTER <keyword> <name> DEPENDS ON EXTENSION <ext>;\n" for each extension.
std::string dependsOnExtensionClauses(const Quoter& q, const std::vector<std::string>& extnames,
                                      const std::string& keyword, const std::string& name);

}  // namespace pgarc::dump
