// getExtensions / getExtensionMembership / dumpExtension: extensions as
// pg_dump 15 dumps them (CREATE EXTENSION IF NOT EXISTS ... WITH SCHEMA);
// their member objects are only dumped for non-initial ACLs, security labels
// and policies (see checkExtensionMembership).
#include "dump/objects/extension.hpp"

#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_a_common.hpp"

namespace pgarc::dump {

namespace {
constexpr uint32_t kLastBuiltinOid = 16383;
}

Status getExtensions(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT x.tableoid, x.oid, x.extname, n.nspname, x.extrelocatable, x.extversion, "
                              "x.extconfig, x.extcondition FROM pg_extension x JOIN pg_namespace n ON n.oid = "
                              "x.extnamespace"));
  for (int i = 0; i < r.rows(); i++) {
    auto e = std::make_unique<ExtensionInfo>();
    e->catId = {r.oid(i, 0), r.oid(i, 1)};
    e->name = r.str(i, 2);
    e->nspname = r.str(i, 3);
    e->relocatable = r.boolean(i, 4);
    e->extversion = r.str(i, 5);
    e->extconfig = r.str(i, 6);
    e->extcondition = r.str(i, 7);
    ExtensionInfo* ext = ctx.store.add(std::move(e));
    // pg_dump's selectDumpableExtension.
    Components c;
    if (ext->catId.oid <= kLastBuiltinOid)
      c = kCompAcl;
    else if (ctx.selection.anyExtensionInclude)
      c = ctx.selection.extensionInclude.count(ext->catId.oid) ? kCompAll : kCompNone;
    else
      c = includeEverything(ctx) ? kCompAll : kCompNone;
    ext->dump = ext->dumpContains = c;
  }
  return {};
}

Status getExtensionMembership(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r, ctx.conn.query("SELECT classid, objid, refobjid FROM pg_depend WHERE refclassid = "
                                             "'pg_extension'::regclass AND deptype = 'e' ORDER BY 3"));
  const uint32_t pgExtension = ctx.store.catalogOid("pg_extension");
  for (int i = 0; i < r.rows(); i++) {
    DumpableObject* ext = ctx.store.byCatalogId(CatalogId{pgExtension, r.oid(i, 2)});
    if (!ext || ext->type != ObjectType::Extension) continue;
    ctx.extensionMembers[CatalogId{r.oid(i, 0), r.oid(i, 1)}] = ext;
  }
  return {};
}

Status dumpExtension(EmitContext& ctx, DumpableObject& obj) {
  auto& e = static_cast<ExtensionInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const std::string qextname = ctx.quote.id(e.name);
  if (e.dump & kCompDefinition) {
    EntrySpec spec = definitionEntry(e, e.name, "EXTENSION", Section::PreData,
                                     "CREATE EXTENSION IF NOT EXISTS " + qextname + " WITH SCHEMA " +
                                         ctx.quote.id(e.nspname) + ";\n",
                                     "DROP EXTENSION " + qextname + ";\n", false);
    spec.owner.reset();
    ctx.add(std::move(spec));
  }
  return dumpCommentSecLabelAcl(ctx, e, "EXTENSION", qextname, "", nullptr);
}

}  // namespace pgarc::dump
