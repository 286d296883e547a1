// getForeignDataWrappers / dumpForeignDataWrapper: foreign-data wrappers as
// pg_dump 15 dumps them.
#include "dump/objects/kinds.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds_b_common.hpp"

namespace pgarc::dump {

namespace {
struct FdwInfo : DumpableObject {
  FdwInfo() : DumpableObject(ObjectType::FDW) {}
  AclInfo dacl;
  AclInfo* aclInfo() override { return &dacl; }
  std::string handler, validator;  // regproc text, "-" when none
  std::string options;             // "name 'value',\n    ..."
};
}  // namespace

Status getForeignDataWrappers(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT tableoid, oid, fdwname, fdwowner, fdwhandler::pg_catalog.regproc, "
                              "fdwvalidator::pg_catalog.regproc, fdwacl, acldefault('F', fdwowner) AS acldefault, "
                              "array_to_string(ARRAY(SELECT quote_ident(option_name) || ' ' || "
                              "quote_literal(option_value) FROM pg_options_to_table(fdwoptions) "
                              "ORDER BY option_name), E',\\n    ') AS fdwoptions "
                              "FROM pg_foreign_data_wrapper"));
  for (int i = 0; i < r.rows(); i++) {
    auto f = std::make_unique<FdwInfo>();
    f->catId = {r.oid(i, 0), r.oid(i, 1)};
    f->name = r.str(i, 2);
    f->owner = ctx.roleName(r.oid(i, 3));
    f->handler = r.str(i, 4);
    f->validator = r.str(i, 5);
    f->dacl.acl = r.str(i, 6);
    f->dacl.acldefault = r.str(i, 7);
    f->options = r.str(i, 8);
    FdwInfo* fdw = ctx.store.add(std::move(f));
    selectDumpableObject(ctx, *fdw);
    if (!r.isNull(i, 6)) fdw->components |= kCompAcl;
  }
  return {};
}

Status dumpForeignDataWrapper(EmitContext& ctx, DumpableObject& obj) {
  auto& f = static_cast<FdwInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  const std::string qname = ctx.quote.id(f.name);
  std::string sql = "CREATE FOREIGN DATA WRAPPER " + qname;
  if (f.handler != "-") sql += " HANDLER " + f.handler;
  if (f.validator != "-") sql += " VALIDATOR " + f.validator;
  sql += optionsClause(f.options) + ";\n";
  PGARC_TRY(appendExtensionMember(ctx, sql, f, "FOREIGN DATA WRAPPER", qname));
  if (f.dump & kCompDefinition)
    ctx.add(plainDefinitionEntry(f, f.name, "FOREIGN DATA WRAPPER", sql,
                                 "DROP FOREIGN DATA WRAPPER " + qname + ";\n", false));
  return dumpCommentSecLabelAcl(ctx, f, "FOREIGN DATA WRAPPER", qname, "", &f.dacl);
}

}  // namespace pgarc::dump
