// getProcLangs / dumpProcLang: procedural languages as pg_dump 15 dumps them.
#include "dump/objects/function.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_a_common.hpp"

namespace pgarc::dump {

namespace {
constexpr uint32_t kLastBuiltinOid = 16383;

struct ProcLangInfo : DumpableObject {
  ProcLangInfo() : DumpableObject(ObjectType::ProcLang) {}
  AclInfo dacl;
  bool lanpltrusted = false;
  uint32_t lanplcallfoid = 0, laninline = 0, lanvalidator = 0;
};

// The function if it is being dumped, else nullptr (pg_dump treats a
// not-dumped function as not found).
const FuncInfo* dumpedFunc(const EmitContext& ctx, uint32_t oid) {
  DumpableObject* o = ctx.store.findByOid("pg_proc", oid);
  if (!o || o->type != ObjectType::Func || o->dump == kCompNone) return nullptr;
  return static_cast<const FuncInfo*>(o);
}
}  // namespace

Status getProcLangs(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT tableoid, oid, lanname, lanpltrusted, lanplcallfoid, laninline, lanvalidator, "
                              "lanacl, acldefault('l', lanowner) AS acldefault, pg_catalog.pg_get_userbyid(lanowner), "
                              "(SELECT pip.privtype FROM pg_init_privs pip WHERE pip.objoid = pg_language.oid AND "
                              "pip.classoid = 'pg_language'::regclass AND pip.objsubid = 0), (SELECT pip.initprivs "
                              "FROM pg_init_privs pip WHERE pip.objoid = pg_language.oid AND pip.classoid = "
                              "'pg_language'::regclass AND pip.objsubid = 0) "
                              "FROM pg_language WHERE lanispl ORDER BY oid"));
  for (int i = 0; i < r.rows(); i++) {
    auto l = std::make_unique<ProcLangInfo>();
    l->catId = {r.oid(i, 0), r.oid(i, 1)};
    l->name = r.str(i, 2);
    l->lanpltrusted = r.boolean(i, 3);
    l->lanplcallfoid = r.oid(i, 4);
    l->laninline = r.oid(i, 5);
    l->lanvalidator = r.oid(i, 6);
    l->dacl.acl = r.str(i, 7);
    l->dacl.acldefault = r.str(i, 8);
    l->owner = r.str(i, 9);
    l->dacl.privtype = r.str(i, 10);
    l->dacl.initprivs = r.str(i, 11);
    ProcLangInfo* lang = ctx.store.add(std::move(l));
    if (!r.isNull(i, 7)) lang->components |= kCompAcl;
    // pg_dump's selectDumpableProcLang.
    if (checkExtensionMembership(ctx, *lang)) continue;
    if (!includeEverything(ctx))
      lang->dump = kCompNone;
    else if (lang->catId.oid <= kLastBuiltinOid)
      lang->dump = kCompAcl;
    else
      lang->dump = kCompAll;
  }
  return {};
}

Status dumpProcLang(EmitContext& ctx, DumpableObject& obj) {
  auto& l = static_cast<ProcLangInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const Quoter& q = ctx.quote;
  const std::string qlanname = q.id(l.name);
  const FuncInfo* handler = dumpedFunc(ctx, l.lanplcallfoid);
  const FuncInfo* inl = l.laninline ? dumpedFunc(ctx, l.laninline) : nullptr;
  const FuncInfo* validator = l.lanvalidator ? dumpedFunc(ctx, l.lanvalidator) : nullptr;
  const bool useParams = handler && (inl || l.laninline == 0) && (validator || l.lanvalidator == 0);
  std::string sql;
  if (useParams) {
    sql = std::string("CREATE ") + (l.lanpltrusted ? "TRUSTED " : "") + "PROCEDURAL LANGUAGE " + qlanname;
    sql += " HANDLER " + q.qualified(schemaName(*handler), handler->name);
    if (inl) sql += " INLINE " + q.qualified(schemaName(*inl), inl->name);
    if (validator) sql += " VALIDATOR " + q.qualified(schemaName(*validator), validator->name);
  } else {
    sql = "CREATE OR REPLACE PROCEDURAL LANGUAGE " + qlanname;
  }
  sql += ";\n";
  PGARC_TRY(appendExtensionMember(ctx, sql, l, "LANGUAGE", qlanname));
  if (l.dump & kCompDefinition)
    ctx.add(definitionEntry(l, l.name, "PROCEDURAL LANGUAGE", Section::PreData, sql,
                            "DROP PROCEDURAL LANGUAGE " + qlanname + ";\n", false));
  return dumpCommentSecLabelAcl(ctx, l, "LANGUAGE", qlanname, "", l.lanpltrusted ? &l.dacl : nullptr);
}

}  // namespace pgarc::dump
