#pragma once
// Extensions (DO_EXTENSION). processExtensionTables (config tables' data)
// reads extconfig/extcondition from here.
#include <string>

#include "dump/model.hpp"

namespace pgarc::dump {

struct ExtensionInfo : DumpableObject {
  ExtensionInfo() : DumpableObject(ObjectType::Extension) {}
  std::string nspname;       // schema the extension's objects live in
  bool relocatable = false;
  std::string extversion;
  std::string extconfig;     // oid[] text of configuration tables, "" when NULL
  std::string extcondition;  // text[] of their WHERE conditions
};

}  // namespace pgarc::dump
