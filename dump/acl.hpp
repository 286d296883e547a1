#pragma once
// GRANT/REVOKE generation from aclitem[] text, as pg_dump's dumpACL and
// buildACLCommands do: the difference between the object's ACL and its base
// (pg_init_privs initprivs, else acldefault()).
#include <optional>
#include <string>
#include <vector>

#include "dump/object_kind.hpp"

namespace pgarc::dump {

// Parses PostgreSQL array text ("{a,\"b c\"}") into elements; nullopt if malformed.
std::optional<std::vector<std::string>> parsePgArray(const std::string& text);

// GRANT/REVOKE commands (possibly empty) turning `baseacls` into `acls`.
// `name` is already quoted; `subname` (quoted column) is "" for none.
// nullopt when an ACL cannot be parsed.
std::optional<std::string> buildAclCommands(const Quoter& q, const std::string& name, const std::string& subname,
                                            const std::string& nspname, const std::string& type,
                                            const std::string& acls, const std::string& baseacls,
                                            const std::string& owner);
// The same with every GRANT/REVOKE prefixed (default privileges:
// "ALTER DEFAULT PRIVILEGES FOR ROLE r IN SCHEMA s ").
std::optional<std::string> buildAclCommands(const Quoter& q, const std::string& name, const std::string& subname,
                                            const std::string& nspname, const std::string& type,
                                            const std::string& acls, const std::string& baseacls,
                                            const std::string& owner, const std::string& prefix);

// Emits the ACL entry of an object; returns its dumpId (0 if none emitted).
Result<DumpId> dumpAcl(EmitContext& ctx, DumpId objDumpId, DumpId altDumpId, const std::string& type,
                       const std::string& name, const std::string& subname, const std::string& nspname,
                       const std::string& owner, const AclInfo& acl);

}  // namespace pgarc::dump

namespace pgarc::dump {
// Elements of an array's text form, [] when not an array.
inline std::vector<std::string> parsePgArrayText(const std::string& text) {
  auto v = parsePgArray(text);
  return v ? *v : std::vector<std::string>{};
}
}  // namespace pgarc::dump
