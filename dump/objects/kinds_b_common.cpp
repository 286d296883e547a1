#include "dump/objects/kinds_b_common.hpp"

namespace pgarc::dump {

EntrySpec plainDefinitionEntry(const DumpableObject& obj, std::string tag, std::string desc, std::string defn,
                               std::string dropStmt, bool withNamespace, bool withOwner) {
  EntrySpec e = definitionEntry(obj, std::move(tag), std::move(desc), Section::PreData, std::move(defn),
                                std::move(dropStmt), withNamespace);
  e.deps.clear();
  if (!withOwner) e.owner.reset();
  return e;
}

void selectDumpableBuiltinCutoff(CatalogContext& ctx, DumpableObject& obj) {
  constexpr uint32_t kLastBuiltinOid = 16383;
  if (checkExtensionMembership(ctx, obj)) return;
  if (obj.catId.oid <= kLastBuiltinOid)
    obj.dump = kCompNone;
  else
    obj.dump = includeEverything(ctx) ? kCompAll : kCompNone;
}

std::string optionsClause(const std::string& options) {
  if (options.empty()) return {};
  return " OPTIONS (\n    " + options + "\n)";
}

}  // namespace pgarc::dump
