// Placeholder catalog steps for kinds not implemented yet. Each reads the
// rows pg_dump 15 reads for the kind (same selection, same order) and records
// them as PlainObject with no components, so that every later dumpId equals
// pg_dump's. Implementing a kind = deleting its step/emitter here and writing
// dump/objects/<kind>.cpp (see dump/OBJECT_KINDS.md).
#include "dump/objects/kinds.hpp"
#include "dump/objects/placeholder.hpp"

namespace pgarc::dump {

Status getOperators(CatalogContext& ctx) {
  return addPlaceholders(ctx, ObjectType::Operator, "SELECT tableoid, oid FROM pg_catalog.pg_operator");
}
Status getAccessMethods(CatalogContext& ctx) {
  return addPlaceholders(ctx, ObjectType::AccessMethod, "SELECT tableoid, oid FROM pg_catalog.pg_am");
}
Status getOpclasses(CatalogContext& ctx) {
  return addPlaceholders(ctx, ObjectType::Opclass, "SELECT tableoid, oid FROM pg_catalog.pg_opclass");
}
Status getOpfamilies(CatalogContext& ctx) {
  return addPlaceholders(ctx, ObjectType::Opfamily, "SELECT tableoid, oid FROM pg_catalog.pg_opfamily");
}
Status getTSParsers(CatalogContext& ctx) {
  return addPlaceholders(ctx, ObjectType::TSParser, "SELECT tableoid, oid FROM pg_catalog.pg_ts_parser");
}
Status getTSTemplates(CatalogContext& ctx) {
  return addPlaceholders(ctx, ObjectType::TSTemplate, "SELECT tableoid, oid FROM pg_catalog.pg_ts_template");
}
Status getTSDictionaries(CatalogContext& ctx) {
  return addPlaceholders(ctx, ObjectType::TSDict, "SELECT tableoid, oid FROM pg_catalog.pg_ts_dict");
}
Status getTSConfigurations(CatalogContext& ctx) {
  return addPlaceholders(ctx, ObjectType::TSConfig, "SELECT tableoid, oid FROM pg_catalog.pg_ts_config");
}
Status getForeignDataWrappers(CatalogContext& ctx) {
  return addPlaceholders(ctx, ObjectType::FDW, "SELECT tableoid, oid FROM pg_catalog.pg_foreign_data_wrapper");
}
Status getForeignServers(CatalogContext& ctx) {
  return addPlaceholders(ctx, ObjectType::ForeignServer, "SELECT tableoid, oid FROM pg_catalog.pg_foreign_server");
}
Status getDefaultACLs(CatalogContext& ctx) {
  return addPlaceholders(ctx, ObjectType::DefaultAcl, "SELECT tableoid, oid FROM pg_catalog.pg_default_acl");
}
Status getTransforms(CatalogContext& ctx) {
  return addPlaceholders(ctx, ObjectType::Transform,
                         "SELECT tableoid, oid, trftype, trflang FROM pg_catalog.pg_transform ORDER BY 3,4");
}
Status processExtensionTables(CatalogContext&) { return {}; }
Status getExtendedStatistics(CatalogContext& ctx) {
  return addPlaceholders(ctx, ObjectType::StatsExt, "SELECT tableoid, oid FROM pg_catalog.pg_statistic_ext");
}
Status getPublications(CatalogContext& ctx) {
  return addPlaceholders(ctx, ObjectType::Publication, "SELECT tableoid, oid FROM pg_catalog.pg_publication");
}
Status getPublicationTables(CatalogContext& ctx) {
  return addPlaceholdersIf(ctx, ObjectType::PublicationRel,
                           "SELECT tableoid, oid, prrelid FROM pg_catalog.pg_publication_rel",
                           [&](const QueryResult& r, int i) {
                             TableInfo* t = ctx.store.findTable(r.oid(i, 2));
                             return t && (t->dump & kCompDefinition);
                           });
}
Status getPublicationNamespaces(CatalogContext& ctx) {
  return addPlaceholdersIf(ctx, ObjectType::PublicationTableInSchema,
                           "SELECT tableoid, oid, pnnspid FROM pg_catalog.pg_publication_namespace",
                           [&](const QueryResult& r, int i) {
                             NamespaceInfo* n = ctx.store.findNamespace(r.oid(i, 2));
                             return n && (n->dump & kCompDefinition);
                           });
}
Status getSubscriptions(CatalogContext& ctx) {
  if (ctx.options.noSubscriptions) return {};
  return addPlaceholders(ctx, ObjectType::Subscription,
                         "SELECT s.tableoid, s.oid FROM pg_catalog.pg_subscription s WHERE s.subdbid = "
                         "(SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())");
}

Status dumpOpr(EmitContext&, DumpableObject&) { return {}; }
Status dumpAccessMethod(EmitContext&, DumpableObject&) { return {}; }
Status dumpOpclass(EmitContext&, DumpableObject&) { return {}; }
Status dumpOpfamily(EmitContext&, DumpableObject&) { return {}; }
Status dumpStatisticsExt(EmitContext&, DumpableObject&) { return {}; }
Status dumpTSParser(EmitContext&, DumpableObject&) { return {}; }
Status dumpTSDictionary(EmitContext&, DumpableObject&) { return {}; }
Status dumpTSTemplate(EmitContext&, DumpableObject&) { return {}; }
Status dumpTSConfig(EmitContext&, DumpableObject&) { return {}; }
Status dumpForeignDataWrapper(EmitContext&, DumpableObject&) { return {}; }
Status dumpForeignServer(EmitContext&, DumpableObject&) { return {}; }
Status dumpDefaultACL(EmitContext&, DumpableObject&) { return {}; }
Status dumpTransform(EmitContext&, DumpableObject&) { return {}; }
Status dumpPublication(EmitContext&, DumpableObject&) { return {}; }
Status dumpPublicationTable(EmitContext&, DumpableObject&) { return {}; }
Status dumpPublicationNamespace(EmitContext&, DumpableObject&) { return {}; }
Status dumpSubscription(EmitContext&, DumpableObject&) { return {}; }

}  // namespace pgarc::dump
