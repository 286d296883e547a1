// DDL of tables, views, sequences: dumpTable (dumpTableSchema / dumpSequence
// plus ACLs), dumpAttrDef, dumpTableAttach.
#include "dump/objects/rule.hpp"
#include "dump/acl.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/comments.hpp"
#include "dump/objects/kinds.hpp"

namespace pgarc::dump {

bool shouldPrintColumn(const DumpOptions& o, const TableInfo& t, size_t j) {
  if (o.binaryUpgrade) return true;
  if (t.attrs[j].isdropped) return false;
  return t.attrs[j].islocal || t.ispartition;
}

std::string reloptionsText(const Quoter& q, const std::string& arrayText, const std::string& prefix) {
  std::string out;
  auto items = parsePgArrayText(arrayText);
  for (size_t i = 0; i < items.size(); i++) {
    const std::string& opt = items[i];
    size_t eq = opt.find('=');
    std::string name = eq == std::string::npos ? opt : opt.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : opt.substr(eq + 1);
    if (i > 0) out += ", ";
    out += prefix + q.id(name) + "=";
    out += q.id(value) == value ? value : q.literal(value);
  }
  return out;
}

namespace {

bool nonemptyReloptions(const std::string& s) { return !s.empty() && s != "{}"; }

const char* relTypeName(char relkind) {
  switch (relkind) {
    case 'v': return "VIEW";
    case 'm': return "MATERIALIZED VIEW";
    case 'f': return "FOREIGN TABLE";
    default: return "TABLE";
  }
}

std::string nsOf(const DumpableObject& o) { return o.ns ? o.ns->name : ""; }

// What --binary-upgrade appends to CREATE TABLE: missing values, dropped and
// inherited columns (CREATE TABLE listed every column to keep the physical
// column order), inherited CHECK constraints, inheritance and typed tables
// set up by ALTER TABLE, freeze horizons, a materialized view's populated flag.
std::string binaryUpgradeTableFixups(const Quoter& quote, const TableInfo& t, const std::string& qrel) {
  std::string q;
  const std::string relLiteral = quote.literal(qrel);
  for (const AttributeInfo& a : t.attrs) {
    if (a.rare().missingval.empty()) continue;
    q += "\n-- set missing value.\nSELECT pg_catalog.binary_upgrade_set_missing_value(" + relLiteral +
         "::pg_catalog.regclass," + quote.literal(a.name) + "," + quote.literal(a.rare().missingval) + ");\n\n";
  }
  const std::string foreign = t.relkind == 'f' ? "FOREIGN " : "";
  if (t.relkind == 'r' || t.relkind == 'f' || t.relkind == 'p') {
    for (const AttributeInfo& a : t.attrs) {
      if (a.isdropped) {
        q += "\n-- For binary upgrade, recreate dropped column.\nUPDATE pg_catalog.pg_attribute\nSET attlen = " +
             std::to_string(a.attlen) + ", attalign = '" + std::string(1, a.attalign) + "', attbyval = false\nWHERE attname = " +
             quote.literal(a.name) + "\n  AND attrelid = " + relLiteral + "::pg_catalog.regclass;\n";
        q += (t.relkind == 'f' ? "ALTER FOREIGN TABLE ONLY " : "ALTER TABLE ONLY ") + qrel + " DROP COLUMN " +
             quote.id(a.name) + ";\n";
      } else if (!a.islocal) {
        q += "\n-- For binary upgrade, recreate inherited column.\nUPDATE pg_catalog.pg_attribute\n"
             "SET attislocal = false\nWHERE attname = " + quote.literal(a.name) + "\n  AND attrelid = " + relLiteral +
             "::pg_catalog.regclass;\n";
      }
    }
    for (const ConstraintInfo* c : t.checkexprs) {
      if (c->separate || c->conislocal || t.ispartition) continue;
      q += "\n-- For binary upgrade, set up inherited constraint.\nALTER " + foreign + "TABLE ONLY " + qrel +
           " ADD CONSTRAINT " + quote.id(c->name) + " " + c->condef + ";\n";
      q += "UPDATE pg_catalog.pg_constraint\nSET conislocal = false\nWHERE contype = 'c' AND conname = " +
           quote.literal(c->name) + "\n  AND conrelid = " + relLiteral + "::pg_catalog.regclass;\n";
    }
    if (!t.parents.empty() && !t.ispartition) {
      q += "\n-- For binary upgrade, set up inheritance this way.\n";
      for (const TableInfo* p : t.parents)
        q += "ALTER " + foreign + "TABLE ONLY " + qrel + " INHERIT " + quote.qualified(nsOf(*p), p->name) + ";\n";
    }
    if (t.reloftype_oid != 0)
      q += "\n-- For binary upgrade, set up typed tables this way.\nALTER TABLE ONLY " + qrel + " OF " + t.rare().reloftype +
           ";\n";
  }
  if (t.relkind == 'r' || t.relkind == 'm') {
    q += "\n-- For binary upgrade, set heap's relfrozenxid and relminmxid\nUPDATE pg_catalog.pg_class\n"
         "SET relfrozenxid = '" + std::to_string(t.frozenxid) + "', relminmxid = '" + std::to_string(t.minmxid) +
         "'\nWHERE oid = " + relLiteral + "::pg_catalog.regclass;\n";
    if (t.toast_oid != 0)
      q += "\n-- For binary upgrade, set toast's relfrozenxid and relminmxid\nUPDATE pg_catalog.pg_class\n"
           "SET relfrozenxid = '" + std::to_string(t.toast_frozenxid) + "', relminmxid = '" +
           std::to_string(t.toast_minmxid) + "'\nWHERE oid = '" + std::to_string(t.toast_oid) + "';\n";
  }
  if (t.relkind == 'm' && t.relispopulated)
    q += "\n-- For binary upgrade, mark materialized view as populated\nUPDATE pg_catalog.pg_class\n"
         "SET relispopulated = 't'\nWHERE oid = " + relLiteral + "::pg_catalog.regclass;\n";
  return q;
}

Status dumpTableSchema(EmitContext& ctx, TableInfo& t) {
  const DumpOptions& o = ctx.options;
  const std::string nsName = nsOf(t);
  const std::string qrel = ctx.quote.qualified(nsName, t.name);
  std::string q, delq;
  std::string reltypename = relTypeName(t.relkind);
  // Objects of pg_catalog come here for their privileges only.
  const BinaryUpgradeOids* upgrade = (t.dump & kCompDefinition) ? ctx.binaryUpgrade : nullptr;
  if (upgrade) {
    PGARC_ASSIGN(q, upgrade->setTypeOidsByRel(t));
  }
  if (t.relkind == 'v') {
    delq = "DROP VIEW " + qrel + ";\n";
    if (upgrade) {
      PGARC_ASSIGN(std::string oids, upgrade->setPgClassOids(t.catId.oid, false));
      q += oids;
    }
    q += "CREATE VIEW " + qrel;
    if (t.dummy_view) {
      // The real definition comes later with the split-out ON SELECT rule.
      q += " AS\n" + dummyViewAsClause(ctx.quote, t);
    } else {
      if (nonemptyReloptions(t.rare().reloptions)) q += " WITH (" + reloptionsText(ctx.quote, t.rare().reloptions, "") + ")";
      std::string def = t.rare().viewdef;
      if (!def.empty() && def.back() == ';') def.pop_back();
      q += " AS\n" + def;
    }
    if (!t.rare().checkoption.empty() && !t.dummy_view) q += "\n  WITH " + t.rare().checkoption + " CHECK OPTION";
    q += ";\n";
  } else {
    const std::string foreign = t.relkind == 'f' ? "FOREIGN " : "";
    delq = "DROP " + reltypename + " " + qrel + ";\n";
    if (upgrade) {
      PGARC_ASSIGN(std::string oids, upgrade->setPgClassOids(t.catId.oid, false));
      q += oids;
    }
    q += "CREATE " + std::string(t.relpersistence == 'u' ? "UNLOGGED " : "") + reltypename + " " + qrel;
    if (t.reloftype_oid != 0 && !o.binaryUpgrade) q += " OF " + t.rare().reloftype;
    int actual = 0;
    const bool isMatview = t.relkind == 'm';  // its columns come from the AS clause
    for (size_t j = 0; !isMatview && j < t.attrs.size(); j++) {
      const AttributeInfo& a = t.attrs[j];
      if (!shouldPrintColumn(o, t, j)) continue;
      const AttrDefInfo* def = t.attrdefs[j];
      bool printDefault = def && def->dump && !def->separate;
      bool printNotNull = a.notnull && (!a.inheritedNotNull || t.ispartition || o.binaryUpgrade);
      if (t.reloftype_oid != 0 && !printDefault && !printNotNull && !o.binaryUpgrade) continue;
      q += actual == 0 ? " (" : ",";
      q += "\n    ";
      actual++;
      q += ctx.quote.id(a.name);
      if (a.isdropped) {
        q += " INTEGER /* dummy */";
        continue;
      }
      if (o.binaryUpgrade || t.reloftype_oid == 0) q += " " + a.typname;
      if (printDefault) {
        if (a.generated == 's')
          q += " GENERATED ALWAYS AS (" + def->adef_expr + ") STORED";
        else
          q += " DEFAULT " + def->adef_expr;
      }
      if (printNotNull) q += " NOT NULL";
      if (!a.rare().collation.empty()) q += " COLLATE " + a.rare().collation;
    }
    for (ConstraintInfo* c : t.checkexprs) {
      if (c->separate || (!c->conislocal && !t.ispartition)) continue;
      q += actual == 0 ? " (\n    " : ",\n    ";
      q += "CONSTRAINT " + ctx.quote.id(c->name) + " " + c->condef;
      actual++;
    }
    if (isMatview) {
    } else if (actual)
      q += "\n)";
    else if (!(t.reloftype_oid != 0 && !o.binaryUpgrade))
      q += " (\n)";
    if (!t.parents.empty() && !t.ispartition && !o.binaryUpgrade) {
      q += "\nINHERITS (";
      for (size_t k = 0; k < t.parents.size(); k++) {
        if (k) q += ", ";
        q += ctx.quote.qualified(nsOf(*t.parents[k]), t.parents[k]->name);
      }
      q += ")";
    }
    if (t.relkind == 'p') q += "\nPARTITION BY " + t.rare().partkeydef;
    if (t.relkind == 'f') {  // foreign tables have no WITH (...) storage options
      q += "\nSERVER " + ctx.quote.id(t.rare().ftserver);
      if (!t.rare().ftoptions.empty()) q += "\nOPTIONS (\n    " + t.rare().ftoptions + "\n)";
    }
    if (nonemptyReloptions(t.rare().reloptions) || nonemptyReloptions(t.rare().toast_reloptions)) {
      q += "\nWITH (";
      bool comma = false;
      if (nonemptyReloptions(t.rare().reloptions)) {
        q += reloptionsText(ctx.quote, t.rare().reloptions, "");
        comma = true;
      }
      if (nonemptyReloptions(t.rare().toast_reloptions)) {
        if (comma) q += ", ";
        q += reloptionsText(ctx.quote, t.rare().toast_reloptions, "toast.");
      }
      q += ")";
    }
    if (isMatview) {
      std::string def = t.rare().viewdef;
      if (!def.empty() && def.back() == ';') def.pop_back();
      q += " AS\n" + def + "\n  WITH NO DATA;\n";
    } else {
      q += ";\n";
    }
    if (upgrade) q += binaryUpgradeTableFixups(ctx.quote, t, qrel);

    for (size_t j = 0; j < t.attrs.size(); j++) {
      const AttributeInfo& a = t.attrs[j];
      if (a.isdropped) continue;
      const std::string col = ctx.quote.id(a.name);
      const std::string alter = "ALTER " + foreign + "TABLE ONLY " + qrel + " ALTER COLUMN " + col;
      if (!shouldPrintColumn(o, t, j) && a.notnull && !a.inheritedNotNull) q += alter + " SET NOT NULL;\n";
      if (a.stattarget >= 0) q += alter + " SET STATISTICS " + std::to_string(a.stattarget) + ";\n";
      if (a.storage != a.typstorage) {
        const char* storage = nullptr;
        if (a.storage == 'p') storage = "PLAIN";
        else if (a.storage == 'e') storage = "EXTERNAL";
        else if (a.storage == 'x') storage = "EXTENDED";
        else if (a.storage == 'm') storage = "MAIN";
        if (storage) q += alter + " SET STORAGE " + storage + ";\n";
      }
      if (!o.noToastCompression) {
        if (a.compression == 'p') q += alter + " SET COMPRESSION pglz;\n";
        else if (a.compression == 'l') q += alter + " SET COMPRESSION lz4;\n";
      }
      if (!a.rare().attoptions.empty()) q += alter + " SET (" + a.rare().attoptions + ");\n";
      if (t.relkind == 'f' && !a.rare().attfdwoptions.empty())
        q += "ALTER FOREIGN TABLE " + qrel + " ALTER COLUMN " + col + " OPTIONS (\n    " + a.rare().attfdwoptions + "\n);\n";
    }
    if (t.relkind == 'r' || t.relkind == 'p' || t.relkind == 'm') {
      if (t.relreplident == 'n') q += "\nALTER TABLE ONLY " + qrel + " REPLICA IDENTITY NOTHING;\n";
      else if (t.relreplident == 'f') q += "\nALTER TABLE ONLY " + qrel + " REPLICA IDENTITY FULL;\n";
    }
    if (t.forcerowsec) q += "\nALTER TABLE ONLY " + qrel + " FORCE ROW LEVEL SECURITY;\n";
  }
  if (upgrade) {
    PGARC_ASSIGN(std::string member,
                 extensionMemberClause(ctx.store, ctx.quote, t, reltypename, ctx.quote.id(t.name), nsName));
    q += member;
  }

  if (t.dump & kCompDefinition) {
    EntrySpec e;
    e.dumpId = t.dumpId;
    e.catId = t.catId;
    e.tag = t.name;
    e.namespace_ = nsName;
    if (t.relkind != 'v' && t.relkind != 'f') e.tablespace = t.tablespace;  // pg_dump: RELKIND_HAS_TABLESPACE
    if (t.relkind == 'r' || t.relkind == 'm') e.tableam = t.amname;
    e.owner = t.owner;
    e.desc = reltypename;
    e.section = t.postponed_def ? Section::PostData : Section::PreData;
    e.defn = q;
    e.dropStmt = delq;
    ctx.add(std::move(e));
  }
  if (t.dump & kCompComment) dumpTableComment(ctx, t, reltypename);
  if (t.dump & kCompSecLabel) dumpTableSecLabel(ctx, t, reltypename);
  for (ConstraintInfo* c : t.checkexprs) {
    if (c->separate || !c->conislocal) continue;
    if (c->dump & kCompComment)
      dumpComment(ctx, {"CONSTRAINT " + ctx.quote.id(c->name) + " ON", ctx.quote.id(t.name), nsName, t.owner,
                        c->catId, 0, t.dumpId});
  }
  return {};
}

// Default MINVALUE/MAXVALUE of a sequence type, as text.
void seqDefaults(const std::string& type, bool ascending, std::string& minv, std::string& maxv) {
  if (type == "smallint") {
    minv = ascending ? "1" : "-32768";
    maxv = ascending ? "32767" : "-1";
  } else if (type == "integer") {
    minv = ascending ? "1" : "-2147483648";
    maxv = ascending ? "2147483647" : "-1";
  } else {
    minv = ascending ? "1" : "-9223372036854775808";
    maxv = ascending ? "9223372036854775807" : "-1";
  }
}

Status dumpSequence(EmitContext& ctx, TableInfo& t) {
  const std::string nsName = nsOf(t);
  const std::string qseq = ctx.quote.qualified(nsName, t.name);
  const TableInfo::SequenceParams& seq = t.seq ? *t.seq : TableInfo::SequenceParams{};
  bool ascending = seq.increment.empty() || seq.increment[0] != '-';
  std::string defMin, defMax;
  seqDefaults(seq.type, ascending, defMin, defMax);
  std::string q, delq;
  if (!t.is_identity_sequence) delq = "DROP SEQUENCE " + qseq + ";\n";
  TableInfo* owner = t.owning_tab ? ctx.store.findTable(t.owning_tab) : nullptr;
  // Servers 14+ give sequences no row type, so only the pg_class oids are kept.
  const BinaryUpgradeOids* upgrade = (t.dump & kCompDefinition) ? ctx.binaryUpgrade : nullptr;
  if (upgrade) {
    PGARC_ASSIGN(q, upgrade->setPgClassOids(t.catId.oid, false));
  }
  if (t.is_identity_sequence && owner && t.owning_col > 0 && static_cast<size_t>(t.owning_col) <= owner->attrs.size()) {
    const AttributeInfo& col = owner->attrs[t.owning_col - 1];
    q += "ALTER TABLE " + ctx.quote.qualified(nsOf(*owner), owner->name) + " ALTER COLUMN " + ctx.quote.id(col.name) +
        " ADD GENERATED ";
    if (col.identity == 'a') q += "ALWAYS";
    else if (col.identity == 'd') q += "BY DEFAULT";
    q += " AS IDENTITY (\n    SEQUENCE NAME " + qseq + "\n";
    // Only when it differs from the table's, so older servers read the rest.
    if (t.relpersistence != owner->relpersistence) q += t.relpersistence == 'u' ? "    UNLOGGED\n" : "    LOGGED\n";
  } else {
    q += std::string("CREATE ") + (t.relpersistence == 'u' ? "UNLOGGED " : "") + "SEQUENCE " + qseq + "\n";
    if (seq.type != "bigint") q += "    AS " + seq.type + "\n";
  }
  q += "    START WITH " + seq.start + "\n";
  q += "    INCREMENT BY " + seq.increment + "\n";
  q += seq.min != defMin ? "    MINVALUE " + seq.min + "\n" : std::string("    NO MINVALUE\n");
  q += seq.max != defMax ? "    MAXVALUE " + seq.max + "\n" : std::string("    NO MAXVALUE\n");
  q += "    CACHE " + seq.cache + (seq.cycle ? "\n    CYCLE" : "");
  q += t.is_identity_sequence ? "\n);\n" : ";\n";
  if (upgrade) {
    PGARC_ASSIGN(std::string member, extensionMemberClause(ctx.store, ctx.quote, t, "SEQUENCE", ctx.quote.id(t.name), nsName));
    q += member;
  }
  if (t.dump & kCompDefinition) {
    EntrySpec e;
    e.dumpId = t.dumpId;
    e.catId = t.catId;
    e.tag = t.name;
    e.namespace_ = nsName;
    e.owner = t.owner;
    e.desc = "SEQUENCE";
    e.section = Section::PreData;
    e.defn = q;
    e.dropStmt = delq;
    ctx.add(std::move(e));
  }
  if (t.owning_tab != 0 && !t.is_identity_sequence && owner && (owner->dump & kCompDefinition) &&
      t.owning_col > 0 && static_cast<size_t>(t.owning_col) <= owner->attrs.size()) {
    std::string s = "ALTER SEQUENCE " + qseq + " OWNED BY " + ctx.quote.qualified(nsOf(*owner), owner->name) + "." +
                    ctx.quote.id(owner->attrs[t.owning_col - 1].name) + ";\n";
    if (t.dump & kCompDefinition) {
      EntrySpec e;
      e.dumpId = ctx.store.newDumpId();
      e.tag = t.name;
      e.namespace_ = nsName;
      e.owner = t.owner;
      e.desc = "SEQUENCE OWNED BY";
      e.section = Section::PreData;
      e.defn = s;
      e.deps.push_back(t.dumpId);
      ctx.add(std::move(e));
    }
  }
  CommentTarget ct{"SEQUENCE", ctx.quote.id(t.name), nsName, t.owner, t.catId, 0, t.dumpId};
  if (t.dump & kCompComment) dumpComment(ctx, ct);
  if (t.dump & kCompSecLabel) dumpSecLabel(ctx, ct);
  return {};
}

}  // namespace

Status dumpTable(EmitContext& ctx, DumpableObject& obj) {
  auto& t = static_cast<TableInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  if (t.relkind == 'c') return {};  // composite types are dumped as types
  if (t.relkind == 'S')
    PGARC_TRY(dumpSequence(ctx, t));
  else
    PGARC_TRY(dumpTableSchema(ctx, t));
  const std::string nsName = nsOf(t);
  const std::string qname = ctx.quote.id(t.name);
  DumpId tableAcl = 0;
  if (t.dump & kCompAcl) {
    PGARC_ASSIGN(tableAcl, dumpAcl(ctx, t.dumpId, 0, t.relkind == 'S' ? "SEQUENCE" : "TABLE", qname, "", nsName,
                                   t.owner, t.dacl));
  }
  if (t.hascolumnACLs && (t.dump & kCompAcl)) {
    for (const TableInfo::ColumnAcl& c : t.columnAcls) {
      PGARC_ASSIGN(DumpId ignored,
                   dumpAcl(ctx, t.dumpId, tableAcl, "TABLE", qname, ctx.quote.id(c.name), nsName, t.owner, c.dacl));
      (void)ignored;
    }
  }
  return {};
}

Status dumpAttrDef(EmitContext& ctx, DumpableObject& obj) {
  auto& d = static_cast<AttrDefInfo&>(obj);
  const TableInfo& t = *d.table;
  if (!t.dump || ctx.options.dataOnly || !d.separate) return {};
  const std::string foreign = t.relkind == 'f' ? "FOREIGN " : "";
  const std::string qrel = ctx.quote.qualified(nsOf(t), t.name);
  const std::string col = t.attrs[d.adnum - 1].name;
  if (!(d.dump & kCompDefinition)) return {};
  EntrySpec e;
  e.dumpId = d.dumpId;
  e.catId = d.catId;
  e.tag = t.name + " " + col;
  e.namespace_ = nsOf(t);
  e.owner = t.owner;
  e.desc = "DEFAULT";
  e.section = Section::PreData;
  e.defn = "ALTER " + foreign + "TABLE ONLY " + qrel + " ALTER COLUMN " + ctx.quote.id(col) + " SET DEFAULT " +
           d.adef_expr + ";\n";
  e.dropStmt = "ALTER " + foreign + "TABLE " + qrel + " ALTER COLUMN " + ctx.quote.id(col) + " DROP DEFAULT;\n";
  ctx.add(std::move(e));
  return {};
}

Status dumpTableAttach(EmitContext& ctx, DumpableObject& obj) {
  auto& a = static_cast<TableAttachInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  EntrySpec e;
  e.dumpId = a.dumpId;
  e.tag = a.name;
  e.namespace_ = nsOf(a);
  e.owner = a.partitionTbl->owner;
  e.desc = "TABLE ATTACH";
  e.section = Section::PreData;
  e.defn = "ALTER TABLE ONLY " + ctx.quote.qualified(nsOf(*a.parentTbl), a.parentTbl->name) + " ATTACH PARTITION " +
           ctx.quote.qualified(nsOf(*a.partitionTbl), a.partitionTbl->name) + " " + a.partitionTbl->rare().partbound + ";\n";
  ctx.add(std::move(e));
  return {};
}

}  // namespace pgarc::dump
