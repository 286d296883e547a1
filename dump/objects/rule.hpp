#pragma once
// Rewrite rules (DO_RULE). The dependency sort flips `separate` on a view's
// ON SELECT rule to break view loops (pg_dump's repairViewRuleMultiLoop).
#include <string>

#include "dump/model.hpp"

namespace pgarc::dump {

struct RuleInfo : DumpableObject {
  RuleInfo() : DumpableObject(ObjectType::Rule) {}
  TableInfo* table = nullptr;
  char ev_type = '1';
  bool is_instead = false;
  char ev_enabled = 'O';
  bool separate = true;
  std::string ruledef;        // pg_get_ruledef, read for separate rules
  bool ruledefLoaded = false;
  // Same-named rules in one schema sort by table name (DOTypeNameCompare).
  int sortTieBreak(const DumpableObject& o) const override {
    return table->name.compare(static_cast<const RuleInfo&>(o).table->name);
  }
};

// "SELECT NULL::type AS col, ..." standing in for a view's definition until
// its ON SELECT rule is restored (pg_dump's createDummyViewAsClause).
std::string dummyViewAsClause(const class Quoter& q, const TableInfo& t);

}  // namespace pgarc::dump
