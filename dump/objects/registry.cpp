// The catalog pass order and the emitter table. The order of the steps is
// pg_dump 15's getSchemaData order: it decides every object's dumpId.
#include "dump/objects/kinds.hpp"

namespace pgarc::dump {

const std::vector<CatalogStep>& catalogSteps() {
  static const std::vector<CatalogStep> steps = {
      {"reading extensions", getExtensions},
      {"identifying extension members", getExtensionMembership},
      {"reading schemas", getNamespaces},
      {"reading user-defined tables", getTables},
      {nullptr, getOwnedSeqs},
      {"reading user-defined functions", getFuncs},
      {"reading user-defined types", getTypes},
      {"reading procedural languages", getProcLangs},
      {"reading user-defined aggregate functions", getAggregates},
      {"reading user-defined operators", getOperators},
      {"reading user-defined access methods", getAccessMethods},
      {"reading user-defined operator classes", getOpclasses},
      {"reading user-defined operator families", getOpfamilies},
      {"reading user-defined text search parsers", getTSParsers},
      {"reading user-defined text search templates", getTSTemplates},
      {"reading user-defined text search dictionaries", getTSDictionaries},
      {"reading user-defined text search configurations", getTSConfigurations},
      {"reading user-defined foreign-data wrappers", getForeignDataWrappers},
      {"reading user-defined foreign servers", getForeignServers},
      {"reading default privileges", getDefaultACLs},
      {"reading user-defined collations", getCollations},
      {"reading user-defined conversions", getConversions},
      {"reading type casts", getCasts},
      {"reading transforms", getTransforms},
      {"reading table inheritance information", getInherits},
      {"reading event triggers", getEventTriggers},
      {"finding extension tables", processExtensionTables},
      {"finding inheritance relationships", flagInhTables},
      {"reading column info for interesting tables", getTableAttrs},
      {"flagging inherited columns in subtables", flagInhAttrs},
      {"reading partitioning data", getPartitioningInfo},
      {"reading indexes", getIndexes},
      {"flagging indexes in partitioned tables", flagInhIndexes},
      {"reading extended statistics", getExtendedStatistics},
      {"reading constraints", getConstraints},
      {"reading triggers", getTriggers},
      {"reading rewrite rules", getRules},
      {"reading policies", getPolicies},
      {"reading publications", getPublications},
      {"reading publication membership of tables", getPublicationTables},
      {"reading publication membership of schemas", getPublicationNamespaces},
      {"reading subscriptions", getSubscriptions},
  };
  return steps;
}

Emitter emitterFor(ObjectType t) {
  switch (t) {
    case ObjectType::Namespace: return dumpNamespace;
    case ObjectType::Extension: return dumpExtension;
    case ObjectType::Type: return dumpType;
    case ObjectType::ShellType: return dumpShellType;
    case ObjectType::Func: return dumpFunc;
    case ObjectType::Agg: return dumpAgg;
    case ObjectType::Operator: return dumpOpr;
    case ObjectType::AccessMethod: return dumpAccessMethod;
    case ObjectType::Opclass: return dumpOpclass;
    case ObjectType::Opfamily: return dumpOpfamily;
    case ObjectType::Collation: return dumpCollation;
    case ObjectType::Conversion: return dumpConversion;
    case ObjectType::Table: return dumpTable;
    case ObjectType::TableAttach: return dumpTableAttach;
    case ObjectType::Attrdef: return dumpAttrDef;
    case ObjectType::Index: return dumpIndex;
    case ObjectType::IndexAttach: return dumpIndexAttach;
    case ObjectType::StatsExt: return dumpStatisticsExt;
    case ObjectType::Rule: return dumpRule;
    case ObjectType::Trigger: return dumpTrigger;
    case ObjectType::Constraint: return dumpConstraint;
    case ObjectType::FkConstraint: return dumpConstraint;
    case ObjectType::ProcLang: return dumpProcLang;
    case ObjectType::Cast: return dumpCast;
    case ObjectType::TableData: return dumpTableData;
    case ObjectType::SequenceSet: return dumpSequenceData;
    case ObjectType::DummyType: return nullptr;
    case ObjectType::TSParser: return dumpTSParser;
    case ObjectType::TSDict: return dumpTSDictionary;
    case ObjectType::TSTemplate: return dumpTSTemplate;
    case ObjectType::TSConfig: return dumpTSConfig;
    case ObjectType::FDW: return dumpForeignDataWrapper;
    case ObjectType::ForeignServer: return dumpForeignServer;
    case ObjectType::DefaultAcl: return dumpDefaultACL;
    case ObjectType::Transform: return dumpTransform;
    case ObjectType::Blob: return dumpBlob;
    case ObjectType::BlobData: return dumpBlobs;
    case ObjectType::PreDataBoundary: return nullptr;
    case ObjectType::PostDataBoundary: return nullptr;
    case ObjectType::EventTrigger: return dumpEventTrigger;
    case ObjectType::RefreshMatview: return refreshMatViewData;
    case ObjectType::Policy: return dumpPolicy;
    case ObjectType::Publication: return dumpPublication;
    case ObjectType::PublicationRel: return dumpPublicationTable;
    case ObjectType::PublicationTableInSchema: return dumpPublicationNamespace;
    case ObjectType::Subscription: return dumpSubscription;
  }
  return nullptr;
}

}  // namespace pgarc::dump
