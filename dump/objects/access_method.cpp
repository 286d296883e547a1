// getAccessMethods / dumpAccessMethod: access methods as pg_dump 15 dumps them.
#include "dump/objects/kinds.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds_b_common.hpp"

namespace pgarc::dump {

namespace {
struct AccessMethodInfo : DumpableObject {
  AccessMethodInfo() : DumpableObject(ObjectType::AccessMethod) {}
  char amtype = 'i';
  std::string amhandler;  // regproc text
};
}  // namespace

Status getAccessMethods(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r, ctx.conn.query("SELECT tableoid, oid, amname, amtype, "
                                             "amhandler::pg_catalog.regproc AS amhandler FROM pg_catalog.pg_am"));
  for (int i = 0; i < r.rows(); i++) {
    auto a = std::make_unique<AccessMethodInfo>();
    a->catId = {r.oid(i, 0), r.oid(i, 1)};
    a->name = r.str(i, 2);
    a->amtype = r.ch(i, 3);
    a->amhandler = r.str(i, 4);
    AccessMethodInfo* am = ctx.store.add(std::move(a));
    selectDumpableBuiltinCutoff(ctx, *am);
  }
  return {};
}

Status dumpAccessMethod(EmitContext& ctx, DumpableObject& obj) {
  auto& a = static_cast<AccessMethodInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const std::string qname = ctx.quote.id(a.name);
  std::string sql = "CREATE ACCESS METHOD " + qname + " ";
  switch (a.amtype) {
    case 'i': sql += "TYPE INDEX "; break;
    case 't': sql += "TYPE TABLE "; break;
    default: return makeError("invalid type \"" + std::string(1, a.amtype) + "\" of access method \"" + a.name + "\"");
  }
  sql += "HANDLER " + a.amhandler + ";\n";
  PGARC_TRY(appendExtensionMember(ctx, sql, a, "ACCESS METHOD", qname));
  if (a.dump & kCompDefinition)
    ctx.add(plainDefinitionEntry(a, a.name, "ACCESS METHOD", sql, "DROP ACCESS METHOD " + qname + ";\n", false, false));
  return dumpCommentSecLabelAcl(ctx, a, "ACCESS METHOD", qname, "", nullptr);
}

}  // namespace pgarc::dump
