// getTypes / dumpType / dumpShellType: enum, composite, range, domain, base
// and undefined pseudo types as pg_dump 15 dumps them. The per-type reads
// pg_dump does while dumping are batched here, one query per type kind.
#include "dump/objects/type.hpp"

#include <cstdio>

#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds.hpp"
#include "dump/objects/kinds_a_common.hpp"
#include "dump/side_queries.hpp"

#include <unordered_map>

namespace pgarc::dump {

namespace {


std::string collationColumns(const std::string& oidExpr) {
  return "(SELECT n.nspname FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace n ON n.oid = "
         "co.collnamespace WHERE co.oid = " + oidExpr + "), (SELECT co.collname FROM pg_catalog.pg_collation co "
         "WHERE co.oid = " + oidExpr + ")";
}

CollationRef collationAt(const QueryResult& r, int row, int col) {
  CollationRef c;
  if (!r.isNull(row, col + 1)) {
    c.nspname = r.str(row, col);
    c.name = r.str(row, col + 1);
  }
  return c;
}

std::string formatCollation(const Quoter& q, const CollationRef& c) {
  return q.qualified(c.nspname, c.name);
}

Status loadEnums(CatalogContext& ctx, std::map<uint32_t, TypeInfo*>& types) {
  std::vector<uint32_t> oids;
  for (auto& [oid, t] : types) oids.push_back(oid);
  PGARC_ASSIGN(QueryResult r, ctx.conn.query("SELECT enumtypid, enumlabel, oid FROM pg_catalog.pg_enum WHERE enumtypid = ANY(" +
                                             oidArrayLiteral(oids) + ") ORDER BY enumtypid, enumsortorder"));
  for (int i = 0; i < r.rows(); i++)
    if (auto it = types.find(r.oid(i, 0)); it != types.end()) {
      it->second->enumLabels.push_back(r.str(i, 1));
      it->second->enumOids.push_back(r.oid(i, 2));
    }
  return {};
}

Status loadComposites(CatalogContext& ctx, std::map<uint32_t, TypeInfo*>& types) {
  std::vector<uint32_t> oids;
  for (auto& [oid, t] : types) oids.push_back(oid);
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT ct.oid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS atttypdefn, "
                              "a.attisdropped, " +
                              collationColumns("CASE WHEN a.attcollation <> at.typcollation THEN a.attcollation "
                                               "ELSE 0 END") +
                              ", a.attlen, a.attalign FROM pg_catalog.pg_type ct JOIN pg_catalog.pg_attribute a ON a.attrelid = ct.typrelid "
                              "LEFT JOIN pg_catalog.pg_type at ON at.oid = a.atttypid WHERE ct.oid = ANY(" +
                              oidArrayLiteral(oids) + ") AND a.attnum > 0 ORDER BY ct.oid, a.attnum"));
  for (int i = 0; i < r.rows(); i++) {
    auto it = types.find(r.oid(i, 0));
    if (it == types.end()) continue;
    TypeAttribute a;
    a.name = r.str(i, 1);
    a.typdefn = r.str(i, 2);
    a.isdropped = r.boolean(i, 3);
    a.collation = collationAt(r, i, 4);
    a.attlen = r.str(i, 6);
    a.attalign = r.str(i, 7);
    it->second->attributes.push_back(std::move(a));
  }
  return {};
}

Status loadDomains(CatalogContext& ctx, std::map<uint32_t, TypeInfo*>& types) {
  std::vector<uint32_t> oids;
  for (auto& [oid, t] : types) oids.push_back(oid);
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT t.oid, t.typnotnull, pg_catalog.format_type(t.typbasetype, t.typtypmod) AS typdefn, "
                              "pg_catalog.pg_get_expr(t.typdefaultbin, 'pg_catalog.pg_type'::pg_catalog.regclass) AS "
                              "typdefaultbin, t.typdefault, " +
                              collationColumns("CASE WHEN t.typcollation <> u.typcollation THEN t.typcollation "
                                               "ELSE 0 END") +
                              " FROM pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_type u ON (t.typbasetype = u.oid) "
                              "WHERE t.oid = ANY(" + oidArrayLiteral(oids) + ")"));
  for (int i = 0; i < r.rows(); i++) {
    auto it = types.find(r.oid(i, 0));
    if (it == types.end()) continue;
    TypeInfo& t = *it->second;
    t.detailsLoaded = true;
    t.typnotnull = r.boolean(i, 1);
    t.typdefn = r.str(i, 2);
    if (!r.isNull(i, 3)) {
      t.hasDefault = true;
      t.typdefault = r.str(i, 3);
    } else if (!r.isNull(i, 4)) {
      t.hasDefault = t.defaultIsLiteral = true;
      t.typdefault = r.str(i, 4);
    }
    t.collation = collationAt(r, i, 5);
  }
  return {};
}

Status loadRanges(CatalogContext& ctx, std::map<uint32_t, TypeInfo*>& types) {
  std::vector<uint32_t> oids;
  for (auto& [oid, t] : types) oids.push_back(oid);
  std::string multi = ctx.serverVersion >= 140000 ? "pg_catalog.format_type(rngmultitypid, NULL)" : "NULL";
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT rngtypid, " + multi + " AS rngmultitype, "
                              "pg_catalog.format_type(rngsubtype, NULL) AS rngsubtype, opc.opcname AS opcname, "
                              "(SELECT nspname FROM pg_catalog.pg_namespace nsp WHERE nsp.oid = opc.opcnamespace) AS "
                              "opcnsp, opc.opcdefault, rngcanonical, rngsubdiff, " +
                              collationColumns("CASE WHEN rngcollation = st.typcollation THEN 0 ELSE rngcollation END") +
                              " FROM pg_catalog.pg_range r, pg_catalog.pg_type st, pg_catalog.pg_opclass opc "
                              "WHERE st.oid = rngsubtype AND opc.oid = rngsubopc AND rngtypid = ANY(" +
                              oidArrayLiteral(oids) + ")"));
  for (int i = 0; i < r.rows(); i++) {
    auto it = types.find(r.oid(i, 0));
    if (it == types.end()) continue;
    TypeInfo& t = *it->second;
    t.detailsLoaded = true;
    t.rngmultitypeNull = r.isNull(i, 1);
    t.rngmultitype = r.str(i, 1);
    t.rngsubtype = r.str(i, 2);
    t.opcname = r.str(i, 3);
    t.opcnsp = r.str(i, 4);
    t.opcdefault = r.boolean(i, 5);
    t.rngcanonical = r.str(i, 6);
    t.rngsubdiff = r.str(i, 7);
    t.collation = collationAt(r, i, 8);
  }
  return {};
}

Status loadBaseTypes(CatalogContext& ctx, std::map<uint32_t, TypeInfo*>& types) {
  std::vector<uint32_t> oids;
  for (auto& [oid, t] : types) oids.push_back(oid);
  PGARC_ASSIGN(QueryResult r,
               ctx.conn.query("SELECT oid, typlen, typinput, typoutput, typreceive, typsend, typreceive::pg_catalog.oid, "
                              "typsend::pg_catalog.oid, typanalyze, typanalyze::pg_catalog.oid, typdelim, typbyval, "
                              "typalign, typstorage, typmodin, typmodout, typmodin::pg_catalog.oid, "
                              "typmodout::pg_catalog.oid, typcategory, typispreferred, (typcollation <> 0), "
                              "pg_catalog.pg_get_expr(typdefaultbin, 0), typdefault, typsubscript, "
                              "typsubscript::pg_catalog.oid, CASE WHEN typelem <> 0 THEN "
                              "pg_catalog.format_type(typelem, NULL) END FROM pg_catalog.pg_type WHERE oid = ANY(" +
                              oidArrayLiteral(oids) + ")"));
  for (int i = 0; i < r.rows(); i++) {
    auto it = types.find(r.oid(i, 0));
    if (it == types.end()) continue;
    TypeInfo& t = *it->second;
    t.detailsLoaded = true;
    t.typlen = r.str(i, 1);
    t.typinput = r.str(i, 2);
    t.typoutput = r.str(i, 3);
    t.typreceive = r.str(i, 4);
    t.typsend = r.str(i, 5);
    t.hasReceive = r.oid(i, 6) != 0;
    t.hasSend = r.oid(i, 7) != 0;
    t.typanalyze = r.str(i, 8);
    t.hasAnalyze = r.oid(i, 9) != 0;
    t.typdelim = r.str(i, 10);
    t.typbyval = r.boolean(i, 11);
    t.typalign = r.str(i, 12);
    t.typstorage = r.str(i, 13);
    t.typmodin = r.str(i, 14);
    t.typmodout = r.str(i, 15);
    t.hasModin = r.oid(i, 16) != 0;
    t.hasModout = r.oid(i, 17) != 0;
    t.typcategory = r.str(i, 18);
    t.typispreferred = r.boolean(i, 19);
    t.typcollatable = r.boolean(i, 20);
    if (!r.isNull(i, 21)) {
      t.hasDefault = true;
      t.typdefault = r.str(i, 21);
    } else if (!r.isNull(i, 22)) {
      t.hasDefault = t.defaultIsLiteral = true;
      t.typdefault = r.str(i, 22);
    }
    t.typsubscript = r.str(i, 23);
    t.hasSubscript = r.oid(i, 24) != 0;
    t.elemTypeName = r.str(i, 25);
  }
  return {};
}

// pg_dump's selectDumpableType.
void selectDumpableType(CatalogContext& ctx, TypeCore& t) {
  if (t.typrelid != 0 && t.typrelkind != 'c') {
    t.type = ObjectType::DummyType;
    TableInfo* tbl = ctx.store.findTable(t.typrelid);
    t.dump = tbl ? tbl->dump : kCompNone;
    return;
  }
  if (t.isArray || t.isMultirange) t.type = ObjectType::DummyType;
  if (checkExtensionMembership(ctx, t)) return;
  t.dump = t.ns ? t.ns->dumpContains : kCompNone;
}

// typrelkind and isarray, which pg_dump's query computes with a subquery per
// row (half of its server time on 10,000 tables): the relation's relkind from
// getTables (every relkind with a row type is one it reads; others are looked
// up), and whether the element type's typarray is the row's own oid, from the
// query's other rows.
struct TypeKinds {
  std::unordered_map<uint32_t, uint32_t> arrayOf;  // type oid -> its typarray
  std::unordered_map<uint32_t, char> otherRelkinds;

  static Result<TypeKinds> read(CatalogContext& ctx, const QueryResult& r) {
    TypeKinds k;
    k.arrayOf.reserve(static_cast<size_t>(r.rows()));
    std::vector<uint32_t> unknown;
    for (int i = 0; i < r.rows(); i++) {
      k.arrayOf.emplace(r.oid(i, 1), r.oid(i, 13));
      if (uint32_t rel = r.oid(i, 8); rel != 0 && !ctx.store.findTable(rel)) unknown.push_back(rel);
    }
    if (!unknown.empty()) {
      PGARC_ASSIGN(QueryResult rk, ctx.conn.query("SELECT oid, relkind FROM pg_catalog.pg_class WHERE oid = ANY (" +
                                                  oidArrayLiteral(unknown) + ")"));
      for (int i = 0; i < rk.rows(); i++) k.otherRelkinds[rk.oid(i, 0)] = rk.ch(i, 1);
    }
    return k;
  }
  char relkind(CatalogContext& ctx, uint32_t rel) const {
    if (rel == 0) return ' ';
    if (const TableInfo* t = ctx.store.findTable(rel)) return t->relkind;
    auto it = otherRelkinds.find(rel);
    return it == otherRelkinds.end() ? '\0' : it->second;  // '\0': no such relation, as the subquery's NULL
  }
  bool isArray(const QueryResult& r, int i) const {
    if (!r.boolean(i, 12)) return false;  // typname[0] = '_' AND typelem != 0
    auto it = arrayOf.find(r.oid(i, 7));
    return it != arrayOf.end() && it->second == r.oid(i, 1);
  }
};

// The kTypesQuery columns that say what kind of type a row is.
void readTypeKind(CatalogContext& ctx, const QueryResult& r, int i, const TypeKinds& kinds, TypeCore& t) {
  t.typelem = r.oid(i, 7);
  t.typrelid = r.oid(i, 8);
  t.typrelkind = kinds.relkind(ctx, t.typrelid);
  t.typtype = r.ch(i, 10);
  t.isDefined = r.boolean(i, 11);
  t.isArray = kinds.isArray(r, i);
  t.isMultirange = t.typtype == 'm';
}

}  // namespace

// pg_dump 15's query without its two per-row subqueries (TypeKinds); the
// rows come in the same order (pg_type's sequential scan), which decides the
// dumpIds.
const char* const kTypesQuery =
    "SELECT tableoid, oid, typname, typnamespace, typacl, acldefault('T', typowner) AS "
    "acldefault, typowner, typelem, typrelid, NULL AS typrelkind, typtype, "
    "typisdefined, typname[0] = '_' AND typelem != 0 AS maybearray, typarray FROM pg_type";

Status getTypes(CatalogContext& ctx) {
  // Domain CHECK constraints of every domain, read at once; pg_dump reads
  // them per dumpable domain, ordered by name.
  PGARC_ASSIGN(QueryResult dc,
               ctx.conn.query("SELECT c.contypid, c.tableoid, c.oid, c.conname, "
                              "pg_catalog.pg_get_constraintdef(c.oid) AS consrc, c.convalidated "
                              "FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_type t ON t.oid = c.contypid "
                              "WHERE t.typtype = 'd' ORDER BY c.contypid, c.conname"));
  std::map<uint32_t, std::vector<int>> domainRows;
  for (int i = 0; i < dc.rows(); i++) domainRows[dc.oid(i, 0)].push_back(i);

  PGARC_ASSIGN(QueryResult r, catalogQuery(ctx.conn, ctx.side, kTypesQuery));
  PGARC_ASSIGN(const TypeKinds kinds, TypeKinds::read(ctx, r));
  // Owners come from the role map, and initial privileges from
  // getAdditionalAcls (per-row subqueries here made the query several times
  // slower on databases with many tables).
  std::map<uint32_t, TypeInfo*> enums, composites, domains, ranges, bases;
  for (int i = 0; i < r.rows(); i++) {
    TypeCore row;
    readTypeKind(ctx, r, i, kinds, row);
    std::unique_ptr<TypeCore> t = row.isDummy() ? std::make_unique<TypeCore>() : std::make_unique<TypeInfo>();
    readTypeKind(ctx, r, i, kinds, *t);
    TypeInfo* full = row.isDummy() ? nullptr : static_cast<TypeInfo*>(t.get());
    if (full) {
      full->dacl.acl = r.str(i, 4);
      full->dacl.acldefault = r.str(i, 5);
    }
    t->catId = {r.oid(i, 0), r.oid(i, 1)};
    t->name = r.str(i, 2);
    t->ns = ctx.store.findNamespace(r.oid(i, 3));
    t->owner = ctx.roleName(r.oid(i, 6));
    TypeCore* ty = ctx.store.add(std::move(t));
    selectDumpableType(ctx, *ty);
    if (!r.isNull(i, 4)) ty->components |= kCompAcl;

    if ((ty->dump & kCompDefinition) && ty->typtype == 'd' && full) {
      auto rows = domainRows.find(ty->catId.oid);
      if (rows != domainRows.end()) {
        for (int k : rows->second) {
          auto c = std::make_unique<ConstraintInfo>(ObjectType::Constraint);
          c->catId = {dc.oid(k, 1), dc.oid(k, 2)};
          c->name = dc.str(k, 3);
          c->ns = ty->ns;
          c->owner = ty->owner;
          c->domain = ty;
          c->contype = 'c';
          c->condef = dc.str(k, 4);
          c->separate = !dc.boolean(k, 5);
          c->dump = kCompAll;
          ConstraintInfo* con = ctx.store.add(std::move(c));
          full->domChecks.push_back(con);
          if (!con->separate) addDependency(*ty, con->dumpId);
        }
      }
    }
    // As pg_dump, array types of dumped base types get a (never dumped) shell type too.
    if ((ty->dump & kCompDefinition) && (ty->typtype == 'b' || ty->typtype == 'r')) {
      auto s = std::make_unique<ShellTypeInfo>();
      s->name = ty->name;
      s->ns = ty->ns;
      s->owner = ty->owner;
      s->baseType = ty;
      s->dump = kCompNone;  // the dependency sort turns it on when the I/O functions need it
      ShellTypeInfo* shell = ctx.store.add(std::move(s));
      if (full) full->shellType = shell;
    }
    if (!full || full->type != ObjectType::Type || full->dump == kCompNone) continue;
    switch (full->typtype) {
      case 'e': enums[full->catId.oid] = full; full->detailsLoaded = true; break;
      case 'c': composites[full->catId.oid] = full; full->detailsLoaded = true; break;
      case 'd': domains[full->catId.oid] = full; break;
      case 'r': ranges[full->catId.oid] = full; break;
      case 'b': bases[full->catId.oid] = full; break;
      default: full->detailsLoaded = true; break;
    }
  }
  if (!enums.empty()) PGARC_TRY(loadEnums(ctx, enums));
  if (!composites.empty()) PGARC_TRY(loadComposites(ctx, composites));
  if (!domains.empty()) PGARC_TRY(loadDomains(ctx, domains));
  if (!ranges.empty()) PGARC_TRY(loadRanges(ctx, ranges));
  if (!bases.empty()) PGARC_TRY(loadBaseTypes(ctx, bases));
  return {};
}

namespace {

void emitType(EmitContext& ctx, TypeInfo& t, const char* desc, std::string sql, std::string drop) {
  if (t.dump & kCompDefinition) ctx.add(definitionEntry(t, t.name, desc, Section::PreData, std::move(sql), std::move(drop)));
}

std::string defaultClause(const Quoter& q, const TypeInfo& t) {
  return t.defaultIsLiteral ? q.literal(t.typdefault) : t.typdefault;
}

}  // namespace

Status dumpType(EmitContext& ctx, DumpableObject& obj) {
  auto& t = static_cast<TypeInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  if (!t.detailsLoaded) return makeError("type \"" + t.name + "\" vanished during the dump");
  const Quoter& q = ctx.quote;
  const std::string nsp = schemaName(t);
  const std::string qtypname = q.id(t.name);
  const std::string qualtypname = q.qualified(nsp, t.name);
  // Types of pg_catalog come here for their privileges only.
  const BinaryUpgradeOids* upgrade = (t.dump & kCompDefinition) ? ctx.binaryUpgrade : nullptr;
  std::string sql;
  // --binary-upgrade: the type's oids first, ALTER EXTENSION ... ADD last.
  auto setTypeOids = [&](bool forceArray, bool multirange) -> Status {
    if (upgrade) {
      PGARC_ASSIGN(sql, upgrade->setTypeOids(t.catId.oid, forceArray, multirange));
    }
    return {};
  };
  auto extensionMember = [&](const char* objtype) -> Status {
    if (!upgrade) return {};
    PGARC_ASSIGN(std::string member, extensionMemberClause(ctx.store, q, t, objtype, qtypname, nsp));
    sql += member;
    return {};
  };

  if (t.typtype == 'e') {
    PGARC_TRY(setTypeOids(false, false));
    sql += "CREATE TYPE " + qualtypname + " AS ENUM (";
    // A binary upgrade adds the labels one by one with their old oids.
    for (size_t i = 0; !upgrade && i < t.enumLabels.size(); i++) {
      if (i) sql += ",";
      sql += "\n    " + q.literal(t.enumLabels[i]);
    }
    sql += "\n);\n";
    for (size_t i = 0; upgrade && i < t.enumLabels.size() && i < t.enumOids.size(); i++) {
      if (i == 0) sql += "\n-- For binary upgrade, must preserve pg_enum oids\n";
      sql += "SELECT pg_catalog.binary_upgrade_set_next_pg_enum_oid('" + std::to_string(t.enumOids[i]) +
             "'::pg_catalog.oid);\n";
      sql += "ALTER TYPE " + qualtypname + " ADD VALUE " + q.literal(t.enumLabels[i]) + ";\n\n";
    }
    PGARC_TRY(extensionMember("TYPE"));
    emitType(ctx, t, "TYPE", sql, "DROP TYPE " + qualtypname + ";\n");
  } else if (t.typtype == 'c') {
    if (upgrade) {
      PGARC_TRY(setTypeOids(false, false));
      PGARC_ASSIGN(std::string classOids, upgrade->setPgClassOids(t.typrelid, false));
      sql += classOids;
    }
    sql += "CREATE TYPE " + qualtypname + " AS (";
    int actual = 0;
    std::string dropped;
    for (const auto& a : t.attributes) {
      if (a.isdropped && !upgrade) continue;
      if (actual++ > 0) sql += ",";
      sql += "\n\t";
      if (!a.isdropped) {
        sql += q.id(a.name) + " " + a.typdefn;
        if (!a.collation.name.empty()) sql += " COLLATE " + formatCollation(q, a.collation);
      } else {
        // A placeholder keeps the attribute numbers; it gets the dropped
        // attribute's length and alignment and is dropped right after.
        sql += q.id(a.name) + " INTEGER /* dummy */";
        dropped += "\n-- For binary upgrade, recreate dropped column.\nUPDATE pg_catalog.pg_attribute\nSET attlen = " +
                   a.attlen + ", attalign = '" + a.attalign + "', attbyval = false\nWHERE attname = " +
                   q.literal(a.name) + "\n  AND attrelid = " + q.literal(qualtypname) + "::pg_catalog.regclass;\n";
        dropped += "ALTER TYPE " + qualtypname + " DROP ATTRIBUTE " + q.id(a.name) + ";\n";
      }
    }
    sql += "\n);\n" + dropped;
    PGARC_TRY(extensionMember("TYPE"));
    emitType(ctx, t, "TYPE", sql, "DROP TYPE " + qualtypname + ";\n");
  } else if (t.typtype == 'd') {
    PGARC_TRY(setTypeOids(true, false));
    sql += "CREATE DOMAIN " + qualtypname + " AS " + t.typdefn;
    if (!t.collation.name.empty()) sql += " COLLATE " + formatCollation(q, t.collation);
    if (t.typnotnull) sql += " NOT NULL";
    if (t.hasDefault) sql += " DEFAULT " + defaultClause(q, t);
    for (const ConstraintInfo* c : t.domChecks)
      if (!c->separate) sql += "\n\tCONSTRAINT " + q.id(c->name) + " " + c->condef;
    sql += ";\n";
    PGARC_TRY(extensionMember("DOMAIN"));
    emitType(ctx, t, "DOMAIN", sql, "DROP DOMAIN " + qualtypname + ";\n");
    PGARC_TRY(dumpCommentSecLabelAcl(ctx, t, "DOMAIN", qtypname, nsp, &t.dacl, "TYPE"));
    // Each inline constraint's own comment, whether or not the domain has
    // one; a NOT VALID constraint's comment follows its own entry.
    for (const ConstraintInfo* c : t.domChecks) {
      if (!c->separate && (c->dump & c->components & kCompComment)) {
        CommentTarget ct;
        ct.type = "CONSTRAINT " + q.id(c->name) + " ON DOMAIN";
        ct.name = qtypname;
        ct.nspname = nsp;
        ct.owner = t.owner;
        ct.catId = c->catId;
        ct.dumpId = t.dumpId;
        dumpComment(ctx, ct);
      }
    }
    return {};
  } else if (t.typtype == 'r') {
    PGARC_TRY(setTypeOids(false, true));
    sql += "CREATE TYPE " + qualtypname + " AS RANGE (\n    subtype = " + t.rngsubtype;
    if (!t.rngmultitypeNull) sql += ",\n    multirange_type_name = " + t.rngmultitype;
    if (!t.opcdefault) sql += ",\n    subtype_opclass = " + q.id(t.opcnsp) + "." + q.id(t.opcname);
    if (!t.collation.name.empty()) sql += ",\n    collation = " + formatCollation(q, t.collation);
    if (t.rngcanonical != "-") sql += ",\n    canonical = " + t.rngcanonical;
    if (t.rngsubdiff != "-") sql += ",\n    subtype_diff = " + t.rngsubdiff;
    sql += "\n);\n";
    PGARC_TRY(extensionMember("TYPE"));
    emitType(ctx, t, "TYPE", sql, "DROP TYPE " + qualtypname + ";\n");
  } else if (t.typtype == 'b') {
    // There may be a shell type already; the array type's oid matters anyway.
    PGARC_TRY(setTypeOids(false, false));
    sql += "CREATE TYPE " + qualtypname + " (\n    INTERNALLENGTH = " + (t.typlen == "-1" ? std::string("variable") : t.typlen);
    sql += ",\n    INPUT = " + t.typinput + ",\n    OUTPUT = " + t.typoutput;
    if (t.hasReceive) sql += ",\n    RECEIVE = " + t.typreceive;
    if (t.hasSend) sql += ",\n    SEND = " + t.typsend;
    if (t.hasModin) sql += ",\n    TYPMOD_IN = " + t.typmodin;
    if (t.hasModout) sql += ",\n    TYPMOD_OUT = " + t.typmodout;
    if (t.hasAnalyze) sql += ",\n    ANALYZE = " + t.typanalyze;
    if (t.typcollatable) sql += ",\n    COLLATABLE = true";
    if (t.hasDefault) sql += ",\n    DEFAULT = " + defaultClause(q, t);
    if (t.hasSubscript) sql += ",\n    SUBSCRIPT = " + t.typsubscript;
    if (t.typelem != 0) sql += ",\n    ELEMENT = " + t.elemTypeName;
    if (t.typcategory != "U") sql += ",\n    CATEGORY = " + q.literal(t.typcategory);
    if (t.typispreferred) sql += ",\n    PREFERRED = true";
    if (!t.typdelim.empty() && t.typdelim != ",") sql += ",\n    DELIMITER = " + q.literal(t.typdelim);
    if (t.typalign == "c") sql += ",\n    ALIGNMENT = char";
    else if (t.typalign == "s") sql += ",\n    ALIGNMENT = int2";
    else if (t.typalign == "i") sql += ",\n    ALIGNMENT = int4";
    else if (t.typalign == "d") sql += ",\n    ALIGNMENT = double";
    if (t.typstorage == "p") sql += ",\n    STORAGE = plain";
    else if (t.typstorage == "e") sql += ",\n    STORAGE = external";
    else if (t.typstorage == "x") sql += ",\n    STORAGE = extended";
    else if (t.typstorage == "m") sql += ",\n    STORAGE = main";
    if (t.typbyval) sql += ",\n    PASSEDBYVALUE";
    sql += "\n);\n";
    PGARC_TRY(extensionMember("TYPE"));
    emitType(ctx, t, "TYPE", sql, "DROP TYPE " + qualtypname + " CASCADE;\n");
  } else if (t.typtype == 'p' && !t.isDefined) {
    PGARC_TRY(setTypeOids(false, false));
    sql += "CREATE TYPE " + qualtypname + ";\n";
    PGARC_TRY(extensionMember("TYPE"));
    emitType(ctx, t, "TYPE", sql, "DROP TYPE " + qualtypname + ";\n");
  } else {
    // Pseudo-types and the like, met when dumping pg_catalog itself.
    std::fprintf(stderr, "pgarc dump: warning: typtype of data type \"%s\" appears to be invalid\n", t.name.c_str());
    return {};
  }
  PGARC_TRY(dumpCommentSecLabelAcl(ctx, t, "TYPE", qtypname, nsp, &t.dacl));
  if (t.typtype == 'c' && (t.dump & kCompComment)) {
    // Column comments are stored against the type's pg_class row.
    const uint32_t pgClass = ctx.store.catalogOid("pg_class");
    int attnum = 0;
    for (const auto& a : t.attributes) {
      attnum++;
      if (a.isdropped) continue;
      CommentTarget ct;
      ct.type = "COLUMN";
      ct.name = qtypname + "." + q.id(a.name);
      ct.nspname = nsp;
      ct.owner = t.owner;
      ct.catId = {pgClass, t.typrelid};
      ct.subid = attnum;
      ct.dumpId = t.dumpId;
      dumpComment(ctx, ct);
    }
  }
  return {};
}

Status dumpShellType(EmitContext& ctx, DumpableObject& obj) {
  auto& s = static_cast<ShellTypeInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  if (s.dump & kCompDefinition) {
    std::string sql;
    if (ctx.binaryUpgrade && s.baseType) {
      PGARC_ASSIGN(sql, ctx.binaryUpgrade->setTypeOids(s.baseType->catId.oid, false, false));
    }
    sql += "CREATE TYPE " + ctx.quote.qualified(schemaName(s), s.name) + ";\n";
    EntrySpec e = definitionEntry(s, s.name, "SHELL TYPE", Section::PreData, std::move(sql), std::nullopt);
    if (s.baseType) e.owner = s.baseType->owner;
    ctx.add(std::move(e));
  }
  return {};
}

Status dumpDomainConstraint(EmitContext& ctx, ConstraintInfo& con) {
  if (!con.domain || !con.separate) return {};
  const auto& t = static_cast<const TypeInfo&>(*con.domain);
  const Quoter& q = ctx.quote;
  const std::string nsp = schemaName(t);
  const std::string qualtypname = q.qualified(nsp, t.name);
  const std::string qcon = q.id(con.name);
  if (con.dump & kCompDefinition) {
    EntrySpec e = definitionEntry(con, t.name + " " + con.name, "CHECK CONSTRAINT", Section::PostData,
                                  "ALTER DOMAIN " + qualtypname + "\n    ADD CONSTRAINT " + qcon + " " + con.condef + ";\n",
                                  "ALTER DOMAIN " + qualtypname + " DROP CONSTRAINT " + qcon + ";\n");
    e.namespace_ = nsp;
    e.owner = t.owner;
    ctx.add(std::move(e));
  }
  if (con.dump & kCompComment) {
    CommentTarget ct{"CONSTRAINT " + qcon + " ON DOMAIN", q.id(t.name), nsp, t.owner, con.catId, 0, con.dumpId};
    dumpComment(ctx, ct);
  }
  return {};
}

}  // namespace pgarc::dump
