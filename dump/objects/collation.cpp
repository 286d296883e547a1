// getCollations / dumpCollation: collations as pg_dump 15 dumps them.
#include "dump/objects/kinds.hpp"
#include "dump/binary_upgrade.hpp"
#include "dump/objects/kinds_a_common.hpp"

#include <cstdio>
#include <optional>

namespace pgarc::dump {

namespace {
struct CollInfo : DumpableObject {
  CollInfo() : DumpableObject(ObjectType::Collation) {}
  bool detailsLoaded = false;
  char provider = 'c';
  bool deterministic = true;
  // Absent (NULL) or set: which ones a provider carries decides the locale clause.
  std::optional<std::string> iculocale, collate, ctype;
  std::optional<std::string> collversion;  // kept by --binary-upgrade
  int encoding = -1;
  // Same schema and name: by encoding (the catalog's unique key).
  int sortTieBreak(const DumpableObject& other) const override {
    const int e = static_cast<const CollInfo&>(other).encoding;
    return encoding == e ? 0 : (encoding < e ? -1 : 1);
  }
};
// The locale options by provider, as pg_dump 15.5 and later write them. The
// default collation (seen only when dumping pg_catalog) has none: it cannot be
// restored anyway. Settings that contradict the provider draw a warning.
std::string collationLocaleClause(const CollInfo& c, const Quoter& q, int serverVersion) {
  auto orEmpty = [&](const std::optional<std::string>& v) { return q.literal(v ? *v : ""); };
  bool consistent = true;
  std::string clause;
  if (c.provider == 'd') {
    consistent = !c.collate && !c.ctype && !c.iculocale;
  } else if (c.provider == 'i' && serverVersion >= 150000) {
    consistent = !c.collate && !c.ctype && c.iculocale;
    clause = ", locale = " + orEmpty(c.iculocale);
  } else if (c.provider == 'i') {
    consistent = c.collate && c.ctype && !c.iculocale && *c.collate == *c.ctype;
    clause = ", locale = " + orEmpty(c.collate);
  } else {
    consistent = !c.iculocale && c.collate && c.ctype;
    if (c.collate && c.ctype && *c.collate == *c.ctype)
      clause = ", locale = " + orEmpty(c.collate);
    else
      clause = ", lc_collate = " + orEmpty(c.collate) + ", lc_ctype = " + orEmpty(c.ctype);
  }
  if (!consistent) std::fprintf(stderr, "pgarc dump: warning: invalid collation \"%s\"\n", q.id(c.name).c_str());
  return clause;
}

}  // namespace

Status getCollations(CatalogContext& ctx) {
  PGARC_ASSIGN(QueryResult r, ctx.conn.query("SELECT tableoid, oid, collname, collnamespace, "
                                             "pg_catalog.pg_get_userbyid(collowner), collencoding FROM pg_collation"));
  std::map<uint32_t, CollInfo*> dumpable;
  for (int i = 0; i < r.rows(); i++) {
    auto c = std::make_unique<CollInfo>();
    c->catId = {r.oid(i, 0), r.oid(i, 1)};
    c->name = r.str(i, 2);
    c->ns = ctx.store.findNamespace(r.oid(i, 3));
    c->owner = r.str(i, 4);
    c->encoding = static_cast<int>(r.integer(i, 5));
    CollInfo* coll = ctx.store.add(std::move(c));
    selectDumpableObject(ctx, *coll);
    if (coll->dump != kCompNone) dumpable[coll->catId.oid] = coll;
  }
  if (dumpable.empty()) return {};
  std::vector<uint32_t> oids;
  for (auto& [oid, c] : dumpable) oids.push_back(oid);
  const std::string icu = ctx.serverVersion >= 150000 ? "colliculocale" : "NULL";
  const std::string det = ctx.serverVersion >= 120000 ? "collisdeterministic" : "true";
  const std::string version = ctx.serverVersion >= 100000 ? "collversion" : "NULL";
  PGARC_ASSIGN(QueryResult d, ctx.conn.query("SELECT oid, collprovider, " + det + ", " + icu +
                                             ", collcollate, collctype, " + version + " FROM pg_catalog.pg_collation c "
                                             "WHERE c.oid = ANY(" + oidArrayLiteral(oids) + ")"));
  for (int i = 0; i < d.rows(); i++) {
    auto it = dumpable.find(d.oid(i, 0));
    if (it == dumpable.end()) continue;
    CollInfo& c = *it->second;
    c.detailsLoaded = true;
    c.provider = d.ch(i, 1);
    c.deterministic = d.get(i, 2) != "f";
    auto nullable = [&](int col) { return d.isNull(i, col) ? std::nullopt : std::optional<std::string>(d.str(i, col)); };
    c.iculocale = nullable(3);
    c.collate = nullable(4);
    c.ctype = nullable(5);
    // Before 15 these were non-null names, empty when unset.
    if (ctx.serverVersion < 150000) {
      if (c.collate && c.collate->empty()) c.collate.reset();
      if (c.ctype && c.ctype->empty()) c.ctype.reset();
    }
    if (!d.isNull(i, 6)) c.collversion = d.str(i, 6);
  }
  return {};
}

Status dumpCollation(EmitContext& ctx, DumpableObject& obj) {
  auto& c = static_cast<CollInfo&>(obj);
  if (ctx.options.dataOnly) return {};
  if (!c.detailsLoaded) return makeError("collation \"" + c.name + "\" vanished during the dump");
  const Quoter& q = ctx.quote;
  const std::string nsp = schemaName(c);
  const std::string qualified = q.qualified(nsp, c.name);
  std::string sql = "CREATE COLLATION " + qualified + " (provider = ";
  switch (c.provider) {
    case 'c': sql += "libc"; break;
    case 'i': sql += "icu"; break;
    case 'd': sql += "default"; break;
    default: return makeError("unrecognized collation provider: " + std::string(1, c.provider));
  }
  if (!c.deterministic) sql += ", deterministic = false";
  sql += collationLocaleClause(c, q, ctx.serverVersion);
  // A binary upgrade keeps the collation version; a plain restore computes it anew.
  if (ctx.binaryUpgrade && c.collversion) sql += ", version = " + q.literal(*c.collversion);
  sql += ");\n";
  PGARC_TRY(appendExtensionMember(ctx, sql, c, "COLLATION", q.id(c.name), nsp));
  if (c.dump & kCompDefinition)
    ctx.add(definitionEntry(c, c.name, "COLLATION", Section::PreData, sql, "DROP COLLATION " + qualified + ";\n"));
  return dumpCommentSecLabelAcl(ctx, c, "COLLATION", q.id(c.name), nsp, nullptr);
}

}  // namespace pgarc::dump
