#pragma once
// Every catalog step and emitter, one pair per kind file in dump/objects/.
// Steps not yet implemented are placeholders in dump/objects/pending.cpp:
// they only read the (tableoid, oid) rows pg_dump reads so that dumpIds stay
// aligned. Implementing a kind = moving its functions out of pending.cpp into
// dump/objects/<kind>.cpp (see dump/OBJECT_KINDS.md).
#include "dump/object_kind.hpp"

namespace pgarc::dump {

// Catalog steps (getSchemaData order is in registry.cpp).
Status getExtensions(CatalogContext&);
Status getExtensionMembership(CatalogContext&);
Status getNamespaces(CatalogContext&);
Status getTables(CatalogContext&);
Status getOwnedSeqs(CatalogContext&);
Status getFuncs(CatalogContext&);
Status getTypes(CatalogContext&);
Status getProcLangs(CatalogContext&);
Status getAggregates(CatalogContext&);
Status getOperators(CatalogContext&);
Status getAccessMethods(CatalogContext&);
Status getOpclasses(CatalogContext&);
Status getOpfamilies(CatalogContext&);
Status getTSParsers(CatalogContext&);
Status getTSTemplates(CatalogContext&);
Status getTSDictionaries(CatalogContext&);
Status getTSConfigurations(CatalogContext&);
Status getForeignDataWrappers(CatalogContext&);
Status getForeignServers(CatalogContext&);
Status getDefaultACLs(CatalogContext&);
Status getCollations(CatalogContext&);
Status getConversions(CatalogContext&);
Status getCasts(CatalogContext&);
Status getTransforms(CatalogContext&);
Status getInherits(CatalogContext&);
Status getEventTriggers(CatalogContext&);
Status processExtensionTables(CatalogContext&);
Status flagInhTables(CatalogContext&);
Status getTableAttrs(CatalogContext&);
// Queues getTableAttrs' column reads on the side connections, if any.
void queueAttributeReads(CatalogContext&);
Status flagInhAttrs(CatalogContext&);
Status getPartitioningInfo(CatalogContext&);
Status getIndexes(CatalogContext&);
// Queues getIndexes' reads for tables the main connection has locked on the
// side connections, if any (called by getTables once the locks are held).
void queueIndexReads(CatalogContext&, const std::vector<TableInfo*>& locked);
Status flagInhIndexes(CatalogContext&);
Status getExtendedStatistics(CatalogContext&);
Status getConstraints(CatalogContext&);
Status getTriggers(CatalogContext&);
Status getRules(CatalogContext&);
Status getPolicies(CatalogContext&);
Status getPublications(CatalogContext&);
Status getPublicationTables(CatalogContext&);
Status getPublicationNamespaces(CatalogContext&);
Status getSubscriptions(CatalogContext&);

// Emitters, one per ObjectType that writes entries.
Status dumpNamespace(EmitContext&, DumpableObject&);
Status dumpExtension(EmitContext&, DumpableObject&);
Status dumpType(EmitContext&, DumpableObject&);
Status dumpShellType(EmitContext&, DumpableObject&);
Status dumpFunc(EmitContext&, DumpableObject&);
Status dumpAgg(EmitContext&, DumpableObject&);
Status dumpOpr(EmitContext&, DumpableObject&);
Status dumpAccessMethod(EmitContext&, DumpableObject&);
Status dumpOpclass(EmitContext&, DumpableObject&);
Status dumpOpfamily(EmitContext&, DumpableObject&);
Status dumpCollation(EmitContext&, DumpableObject&);
Status dumpConversion(EmitContext&, DumpableObject&);
Status dumpTable(EmitContext&, DumpableObject&);
Status dumpTableAttach(EmitContext&, DumpableObject&);
Status dumpAttrDef(EmitContext&, DumpableObject&);
Status dumpIndex(EmitContext&, DumpableObject&);
Status dumpIndexAttach(EmitContext&, DumpableObject&);
Status dumpStatisticsExt(EmitContext&, DumpableObject&);
Status dumpRule(EmitContext&, DumpableObject&);
Status dumpTrigger(EmitContext&, DumpableObject&);
Status dumpConstraint(EmitContext&, DumpableObject&);
Status dumpProcLang(EmitContext&, DumpableObject&);
Status dumpCast(EmitContext&, DumpableObject&);
Status dumpTableData(EmitContext&, DumpableObject&);
Status dumpSequenceData(EmitContext&, DumpableObject&);
Status dumpTSParser(EmitContext&, DumpableObject&);
Status dumpTSDictionary(EmitContext&, DumpableObject&);
Status dumpTSTemplate(EmitContext&, DumpableObject&);
Status dumpTSConfig(EmitContext&, DumpableObject&);
Status dumpForeignDataWrapper(EmitContext&, DumpableObject&);
Status dumpForeignServer(EmitContext&, DumpableObject&);
Status dumpDefaultACL(EmitContext&, DumpableObject&);
Status dumpTransform(EmitContext&, DumpableObject&);
Status dumpBlob(EmitContext&, DumpableObject&);
Status dumpBlobs(EmitContext&, DumpableObject&);
Status dumpEventTrigger(EmitContext&, DumpableObject&);
Status refreshMatViewData(EmitContext&, DumpableObject&);
Status dumpPolicy(EmitContext&, DumpableObject&);
Status dumpPublication(EmitContext&, DumpableObject&);
Status dumpPublicationTable(EmitContext&, DumpableObject&);
Status dumpPublicationNamespace(EmitContext&, DumpableObject&);
Status dumpSubscription(EmitContext&, DumpableObject&);

// pg_dump's shouldPrintColumn: whether CREATE TABLE lists column j itself
// (local columns and every column of a partition; all in binary upgrade).
bool shouldPrintColumn(const DumpOptions& o, const TableInfo& t, size_t j);

}  // namespace pgarc::dump
