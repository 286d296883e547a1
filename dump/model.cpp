#include "dump/model.hpp"

namespace pgarc::dump {

const char* objectTypeName(ObjectType t) {
  static constexpr const char* kNames[kObjectTypeCount] = {
      "NAMESPACE", "EXTENSION", "TYPE", "SHELL TYPE", "FUNCTION", "AGGREGATE", "OPERATOR",
      "ACCESS METHOD", "OPERATOR CLASS", "OPERATOR FAMILY", "COLLATION", "CONVERSION", "TABLE",
      "TABLE ATTACH", "ATTRDEF", "INDEX", "INDEX ATTACH", "STATISTICS", "RULE", "TRIGGER",
      "CONSTRAINT", "FK CONSTRAINT", "PROCEDURAL LANGUAGE", "CAST", "TABLE DATA", "SEQUENCE SET",
      "DUMMY TYPE", "TEXT SEARCH PARSER", "TEXT SEARCH DICTIONARY", "TEXT SEARCH TEMPLATE",
      "TEXT SEARCH CONFIGURATION", "FOREIGN DATA WRAPPER", "SERVER", "DEFAULT ACL", "TRANSFORM",
      "BLOB", "BLOB DATA", "PRE-DATA BOUNDARY", "POST-DATA BOUNDARY", "EVENT TRIGGER",
      "REFRESH MATERIALIZED VIEW", "POLICY", "PUBLICATION", "PUBLICATION TABLE",
      "PUBLICATION TABLES IN SCHEMA", "SUBSCRIPTION"};
  int i = static_cast<int>(t);
  return i >= 0 && i < kObjectTypeCount ? kNames[i] : "UNKNOWN";
}

std::string DumpableObject::loopDescription() const {
  const std::string id = std::to_string(dumpId), oid = std::to_string(catId.oid);
  switch (type) {
    case ObjectType::Namespace: return "SCHEMA " + name + "  (ID " + id + " OID " + oid + ")";
    case ObjectType::ForeignServer: return "FOREIGN SERVER " + name + "  (ID " + id + " OID " + oid + ")";
    case ObjectType::EventTrigger: return "EVENT TRIGGER " + name + " (ID " + id + " OID " + oid + ")";
    case ObjectType::TableAttach:
    case ObjectType::IndexAttach: return std::string(objectTypeName(type)) + " " + name + "  (ID " + id + ")";
    case ObjectType::Attrdef: {
      const auto& d = static_cast<const AttrDefInfo&>(*this);
      const std::string column = d.table && d.adnum >= 1 && static_cast<size_t>(d.adnum) <= d.table->attrs.size()
                                     ? d.table->attrs[static_cast<size_t>(d.adnum) - 1].name
                                     : "";
      return "ATTRDEF " + (d.table ? d.table->name : "") + "." + column + "  (ID " + id + " OID " + oid + ")";
    }
    case ObjectType::Blob: return "BLOB  (ID " + id + " OID " + oid + ")";
    case ObjectType::BlobData:
    case ObjectType::PreDataBoundary:
    case ObjectType::PostDataBoundary: return std::string(objectTypeName(type)) + "  (ID " + id + ")";
    case ObjectType::Policy:
    case ObjectType::Publication:
    case ObjectType::PublicationRel:
    case ObjectType::PublicationTableInSchema:
    case ObjectType::Subscription: return std::string(objectTypeName(type)) + " (ID " + id + " OID " + oid + ")";
    default: return std::string(objectTypeName(type)) + " " + name + "  (ID " + id + " OID " + oid + ")";
  }
}

NamespaceInfo* ObjectStore::findNamespace(uint32_t oid) const {
  DumpableObject* o = findByOid("pg_namespace", oid);
  return o && o->type == ObjectType::Namespace ? static_cast<NamespaceInfo*>(o) : nullptr;
}

TableInfo* ObjectStore::findTable(uint32_t oid) const {
  DumpableObject* o = findByOid("pg_class", oid);
  return o && o->type == ObjectType::Table ? static_cast<TableInfo*>(o) : nullptr;
}

int ConstraintInfo::sortTieBreak(const DumpableObject& other) const {
  const auto& o = static_cast<const ConstraintInfo&>(other);
  if (domain) return o.domain ? domain->name.compare(o.domain->name) : -1;
  if (o.domain) return 1;
  return table && o.table ? table->name.compare(o.table->name) : 0;
}

}  // namespace pgarc::dump
