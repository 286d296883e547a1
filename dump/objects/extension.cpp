// getExtensions / getExtensionMembership / dumpExtension: extensions as
// pg_dump 15 dumps them (CREATE EXTENSION IF NOT EXISTS ... WITH SCHEMA);
// their member objects are only dumped for non-initial ACLs, security labels
// and policies (see checkExtensionMembership).
#include "dump/objects/extension.hpp"

#include <cstdlib>

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

namespace {

// pg_dump's makeTableDataInfo for an extension configuration table.
void makeConfigTableData(CatalogContext& ctx, TableInfo& t, const std::string& condition) {
  if (t.dataObj) return;
  if (t.relkind == 'v' || t.relkind == 'p') return;
  if (t.relkind == 'f' && !ctx.selection.foreignServerInclude.count(t.foreign_server)) return;
  if (t.relpersistence == 'u' && ctx.options.noUnloggedTableData) return;
  if (ctx.selection.tableDataExclude.count(t.catId.oid)) return;
  ObjectType type = t.relkind == 'm' ? ObjectType::RefreshMatview
                    : t.relkind == 'S' ? ObjectType::SequenceSet
                                       : ObjectType::TableData;
  auto td = std::make_unique<TableDataInfo>(type);
  td->catId = {0, t.catId.oid};
  td->name = t.name;
  td->ns = t.ns;
  td->table = &t;
  td->dump = kCompAll;
  td->components |= kCompData;
  td->filtercond = condition;
  TableDataInfo* raw = ctx.store.add(std::move(td));
  addDependency(*raw, t.dumpId);
  t.dataObj = raw;
  t.interesting = true;
}

}  // namespace

// Extension configuration tables get their data dumped (with the
// extension's filter condition) although the tables themselves are not.
Status processExtensionTables(CatalogContext& ctx) {
  bool any = false;
  for (const auto& o : ctx.store.all()) {
    if (o->type != ObjectType::Extension) continue;
    any = true;
    auto& ext = static_cast<ExtensionInfo&>(*o);
    if (ext.extconfig.empty() && ext.extcondition.empty()) continue;
    auto config = parsePgArray(ext.extconfig.empty() ? "{}" : ext.extconfig);
    auto conditions = parsePgArray(ext.extcondition.empty() ? "{}" : ext.extcondition);
    if (!config || !conditions || config->size() != conditions->size())
      return makeError("could not parse extconfig array of extension \"" + ext.name + "\"");
    for (size_t j = 0; j < config->size(); j++) {
      TableInfo* tbl = ctx.store.findTable(static_cast<uint32_t>(std::strtoul((*config)[j].c_str(), nullptr, 10)));
      if (!tbl) continue;
      bool dumpobj = (ext.dump & kCompDefinition) != 0;
      if (!dumpobj) {
        if (ctx.selection.anyTableInclude && ctx.selection.tableInclude.count(tbl->catId.oid)) dumpobj = true;
        if (tbl->ns && (tbl->ns->dump & kCompData)) dumpobj = true;
      }
      if (ctx.selection.tableExclude.count(tbl->catId.oid)) dumpobj = false;
      if (tbl->ns && ctx.selection.schemaExclude.count(tbl->ns->catId.oid)) dumpobj = false;
      if (dumpobj) makeConfigTableData(ctx, *tbl, (*conditions)[j]);
    }
  }
  if (!any) return {};
  // Referencing configuration tables' data is restored after the data it references.
  PGARC_ASSIGN(QueryResult r, ctx.conn.query("SELECT conrelid, confrelid FROM pg_constraint JOIN pg_depend ON (objid = "
                                             "confrelid) WHERE contype = 'f' AND refclassid = "
                                             "'pg_extension'::regclass AND classid = 'pg_class'::regclass;"));
  for (int i = 0; i < r.rows(); i++) {
    TableInfo* con = ctx.store.findTable(r.oid(i, 0));
    TableInfo* ref = ctx.store.findTable(r.oid(i, 1));
    if (!con || !ref || !con->dataObj || !ref->dataObj) continue;
    addDependency(*con->dataObj, ref->dataObj->dumpId);
  }
  return {};
}

namespace {

// A binary upgrade must reproduce the extension exactly: it is created empty
// at its old version, and each member object is restored normally and added
// to it (ALTER EXTENSION ... ADD, see dump/binary_upgrade.hpp). The DROP
// covers an extension that already exists (plpgsql dropped and recreated).
std::string binaryUpgradeCreateExtension(const EmitContext& ctx, const ExtensionInfo& e) {
  const Quoter& q = ctx.quote;
  std::string s = "-- For binary upgrade, create an empty extension and insert objects into it\n";
  s += "DROP EXTENSION IF EXISTS " + q.id(e.name) + ";\n";
  s += "SELECT pg_catalog.binary_upgrade_create_empty_extension(" + q.literal(e.name) + ", " + q.literal(e.nspname) +
       ", " + (e.relocatable ? "true" : "false") + ", " + q.literal(e.extversion) + ", ";
  // extconfig holds pg_class oids, which a binary upgrade keeps.
  s += (e.extconfig.size() > 2 ? q.literal(e.extconfig) : std::string("NULL")) + ", ";
  s += (e.extcondition.size() > 2 ? q.literal(e.extcondition) : std::string("NULL")) + ", ARRAY[";
  int n = 0;
  for (DumpId d : e.dependencies) {
    const DumpableObject* required = ctx.store.byDumpId(d);
    if (!required || required->type != ObjectType::Extension) continue;
    if (n++ > 0) s += ",";
    s += q.literal(required->name);
  }
  return s + "]::pg_catalog.text[]);\n";
}

}  // namespace

Status dumpExtension(EmitContext& ctx, DumpableObject& obj) {
  auto& e = static_cast<ExtensionInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const std::string qextname = ctx.quote.id(e.name);
  if (e.dump & kCompDefinition) {
    std::string sql = ctx.options.binaryUpgrade
                          ? binaryUpgradeCreateExtension(ctx, e)
                          : "CREATE EXTENSION IF NOT EXISTS " + qextname + " WITH SCHEMA " + ctx.quote.id(e.nspname) + ";\n";
    EntrySpec spec = definitionEntry(e, e.name, "EXTENSION", Section::PreData, std::move(sql),
                                     "DROP EXTENSION " + qextname + ";\n", false);
    spec.owner.reset();
    ctx.add(std::move(spec));
  }
  return dumpCommentSecLabelAcl(ctx, e, "EXTENSION", qextname, "", nullptr);
}

}  // namespace pgarc::dump
