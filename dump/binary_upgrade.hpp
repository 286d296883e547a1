#pragma once
// What `pgarc dump --binary-upgrade` adds for pg_upgrade: statements that make
// the restoring server reuse the old cluster's pg_type / pg_class oids and
// relfilenodes (so pg_upgrade can carry the data files over), and ALTER
// EXTENSION ... ADD lines for extension members. pg_dump 15 reads these oids
// one object at a time while it dumps; here they are read in one pass first.
#include <cstdint>
#include <string>
#include <unordered_map>

#include "dump/connection.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/model.hpp"
#include "dump/object_kind.hpp"
#include "dump/quoting.hpp"
#include "format/result.hpp"

namespace pgarc::dump {

class BinaryUpgradeOids {
 public:
  // Reads the storage oids of every user relation and the array / multirange
  // oids of every user type.
  static Result<BinaryUpgradeOids> read(Connection& conn);

  // "-- For binary upgrade, must preserve pg_type oid" and the array (and for
  // range types the multirange) oids that go with it.
  Result<std::string> setTypeOids(uint32_t typeOid, bool forceArrayType, bool includeMultirange) const;
  // The row type of a table, view... (nothing when it has none).
  Result<std::string> setTypeOidsByRel(const TableInfo& t) const;
  // "-- For binary upgrade, must preserve pg_class oids and relfilenodes":
  // the relation's, its TOAST table's and that table's index, or an index's.
  Result<std::string> setPgClassOids(uint32_t classOid, bool isIndex) const;

 private:
  struct Relation {
    char relkind = 'r';
    uint32_t relfilenode = 0;
    uint32_t toastOid = 0, toastRelfilenode = 0;
    uint32_t toastIndexOid = 0, toastIndexRelfilenode = 0;
  };
  struct Multirange {
    uint32_t oid = 0, arrayOid = 0;
  };
  std::unordered_map<uint32_t, Relation> relations_;
  std::unordered_map<uint32_t, uint32_t> arrayTypes_;       // type oid -> typarray (0 when none)
  std::unordered_map<uint32_t, Multirange> multiranges_;    // range type oid -> its multirange
};

// "-- For binary upgrade, handle extension membership the hard way" and
// ALTER EXTENSION ext ADD <objtype> [nsname.]name; for members of an
// extension, "" for other objects. `name` is already quoted, `nsname` not.
// With --binary-upgrade, appends extensionMemberClause to a definition.
Status appendExtensionMember(const EmitContext& ctx, std::string& sql, const DumpableObject& obj,
                             const std::string& objtype, const std::string& name, const std::string& nsname = {});

Result<std::string> extensionMemberClause(const ObjectStore& store, const Quoter& q, const DumpableObject& obj,
                                          const std::string& objtype, const std::string& name,
                                          const std::string& nsname = {});

}  // namespace pgarc::dump
