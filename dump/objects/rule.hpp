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
};

}  // namespace pgarc::dump
