#include "format/script/entry_printer.hpp"

#include <cstdlib>
#include <set>

#include "format/script/selection.hpp"
#include "format/script/sql_text.hpp"

namespace pgarc::script {
namespace {

// Descs whose objects have owners pg_restore sets with ALTER ... OWNER TO.
const std::set<std::string>& ownedDescs() {
  static const std::set<std::string> k = {
      "AGGREGATE", "BLOB", "BLOB METADATA", "COLLATION", "CONVERSION", "DATABASE", "DOMAIN", "FUNCTION",
      "OPERATOR", "OPERATOR CLASS", "OPERATOR FAMILY", "PROCEDURE", "PROCEDURAL LANGUAGE", "SCHEMA",
      "EVENT TRIGGER", "TABLE", "TYPE", "VIEW", "MATERIALIZED VIEW", "SEQUENCE", "FOREIGN TABLE",
      "TEXT SEARCH DICTIONARY", "TEXT SEARCH CONFIGURATION", "FOREIGN DATA WRAPPER", "SERVER",
      "STATISTICS", "PUBLICATION", "SUBSCRIPTION"};
  return k;
}

// The object named in ALTER <description> OWNER TO, per pg_restore's rules.
std::string objectDescription(const TocEntry& e, bool quoteAll) {
  std::string type = e.descStr();
  if (type == "VIEW" || type == "SEQUENCE" || type == "MATERIALIZED VIEW") type = "TABLE";
  static const std::set<std::string> kPlain = {
      "COLLATION", "CONVERSION", "DOMAIN", "TABLE", "TYPE", "FOREIGN TABLE", "TEXT SEARCH DICTIONARY",
      "TEXT SEARCH CONFIGURATION", "STATISTICS", "DATABASE", "PROCEDURAL LANGUAGE", "SCHEMA",
      "EVENT TRIGGER", "FOREIGN DATA WRAPPER", "SERVER", "PUBLICATION", "SUBSCRIPTION", "USER MAPPING"};
  if (kPlain.count(type)) {
    std::string out = type + " ";
    if (e.namespace_ && !e.namespace_->empty()) out += quoteIdent(*e.namespace_, quoteAll) + ".";
    return out + quoteIdent(e.tagStr(), quoteAll);
  }
  if (type == "BLOB") return "LARGE OBJECT " + e.tagStr();
  static const std::set<std::string> kFromDrop = {"AGGREGATE", "FUNCTION", "OPERATOR", "OPERATOR CLASS",
                                                  "OPERATOR FAMILY", "PROCEDURE"};
  if (kFromDrop.count(type) && e.dropStmt && e.dropStmt->size() >= 5) {
    std::string rest = e.dropStmt->substr(5);
    while (!rest.empty() && (rest.back() == '\n' || rest.back() == ';')) rest.pop_back();
    return rest;
  }
  return {};  // pg_restore warns "don't know how to set owner" and prints nothing here
}

// 17+ BLOB METADATA: one command per large-object OID listed in defn.
void printPerBlob(ScriptContext& ctx, const TocEntry& e, const std::string& begin, const std::string& end) {
  const std::string defn = e.defn ? *e.defn : std::string();
  size_t pos = 0;
  for (size_t nl = defn.find('\n', pos); nl != std::string::npos; nl = defn.find('\n', pos)) {
    ctx.out.put(begin + defn.substr(pos, nl - pos) + end + ";\n");
    pos = nl + 1;
  }
  ctx.out.put("\n");
}

void printCommentBlock(ScriptContext& ctx, const TocEntry& e, bool isData) {
  Printer& out = ctx.out;
  out.put("--\n");
  if (ctx.opt.verbose) {
    out.put("-- TOC entry " + std::to_string(e.dumpId) + " (class " + catalogNumber(e.tableoid) + " OID " +
            catalogNumber(e.oid) + ")\n");
    if (!e.dependencies.empty()) {
      std::string line = "-- Dependencies:";
      for (const auto& d : e.dependencies) line += " " + std::to_string(std::atoi(d.c_str()));
      out.put(line + "\n");
    }
  }
  std::string line = std::string("-- ") + (isData ? "Data for " : "") + "Name: " + sanitizeLine(e.tag, false) +
                     "; Type: " + e.descStr() + "; Schema: " + sanitizeLine(e.namespace_, true) +
                     "; Owner: " + sanitizeLine(ctx.opt.noOwner ? std::nullopt : e.owner, true);
  if (e.tablespace && !e.tablespace->empty() && !ctx.opt.noTablespaces)
    line += "; Tablespace: " + sanitizeLine(e.tablespace, false);
  out.put(line + "\n");
  if (ctx.opt.verbose) {
    if (ctx.extraToc == ExtraTocStyle::DataPosition)
      out.put("-- Data Pos: " + std::to_string(static_cast<long long>(e.dataOffset)) + "\n");
    else if (ctx.extraToc == ExtraTocStyle::FileName && e.filename && !e.filename->empty())
      out.put("-- File: " + *e.filename + "\n");
  }
  out.put("--\n\n");
}

}  // namespace

void printTocEntry(ScriptContext& ctx, const TocEntry& e, bool isData) {
  const std::string desc = e.descStr();
  becomeOwner(ctx, e);
  selectSchema(ctx, e.namespace_);
  selectTablespace(ctx, e.tablespace);
  selectTableAccessMethod(ctx, e.tableam);
  printCommentBlock(ctx, e, isData);

  if (ctx.opt.noOwner && desc == "SCHEMA") {
    // pg_restore rewrites CREATE SCHEMA to drop any AUTHORIZATION clause.
    ctx.out.put("CREATE SCHEMA " + quoteIdent(e.tagStr(), ctx.opt.quoteAllIdentifiers) + ";\n\n\n");
  } else if (desc == "BLOB METADATA") {
    printPerBlob(ctx, e, "SELECT pg_catalog.lo_create('", "')");
  } else if (e.defn && !e.defn->empty()) {
    ctx.out.put(*e.defn);
    ctx.out.put("\n\n");
  }

  if (!ctx.opt.noOwner && !ctx.opt.useSetSessionAuthorization && e.owner && !e.owner->empty() && e.dropStmt &&
      !e.dropStmt->empty() && ownedDescs().count(desc)) {
    if (desc == "BLOB METADATA") {
      printPerBlob(ctx, e, "ALTER LARGE OBJECT ", " OWNER TO " + quoteIdent(*e.owner, ctx.opt.quoteAllIdentifiers));
    } else {
      ctx.out.put("ALTER " + objectDescription(e, ctx.opt.quoteAllIdentifiers) + " OWNER TO " +
                  quoteIdent(*e.owner, ctx.opt.quoteAllIdentifiers) + ";\n\n");
    }
  }

  // GRANT/REVOKE scripts may switch the session user themselves.
  if (isAclDesc(desc)) ctx.currUser.reset();
}

std::string withIfExists(const TocEntry& e) {
  const std::string desc = e.descStr();
  std::string stmt = e.dropStmt ? *e.dropStmt : std::string();
  std::string result;
  std::string_view rest = stmt;
  if (startsWith(rest, "ALTER TABLE")) {
    result = "ALTER TABLE IF EXISTS";
    rest.remove_prefix(11);
  }
  if (desc == "DEFAULT" || desc == "DATABASE PROPERTIES" || startsWith(rest, "CREATE OR REPLACE VIEW")) {
    result += rest;
    return result;
  }
  std::string keyword = (desc == "CONSTRAINT" || desc == "CHECK CONSTRAINT" || desc == "FK CONSTRAINT")
                            ? std::string("DROP CONSTRAINT")
                            : "DROP " + desc;
  // pg_restore builds this search key in a 40-byte buffer.
  if (keyword.size() > 39) keyword.resize(39);
  size_t mark = rest.find(keyword);
  if (mark == std::string_view::npos) {
    result += rest;  // pg_restore warns and keeps the statement
    return result;
  }
  result += rest.substr(0, mark);
  result += keyword + " IF EXISTS";
  result += rest.substr(mark + keyword.size());
  return result;
}

void printDropStatement(ScriptContext& ctx, const TocEntry& e) {
  if (!e.dropStmt) return;
  becomeOwner(ctx, e);
  selectSchema(ctx, e.namespace_);
  if (e.dropStmt->empty()) return;
  if (e.descStr() == "BLOB METADATA") {
    // 1.16 groups large objects: the stored drop is a dummy, one unlink per OID.
    if (ctx.opt.ifExists)
      printPerBlob(ctx, e, "SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid = '",
                   "'");
    else
      printPerBlob(ctx, e, "SELECT pg_catalog.lo_unlink('", "')");
    return;
  }
  if (!ctx.opt.ifExists) {
    ctx.out.put(*e.dropStmt);
  } else if (startsWith(e.descStr(), "BLOB")) {
    ctx.out.put("SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid = '" +
                catalogNumber(e.oid) + "';\n");
  } else {
    ctx.out.put(withIfExists(e));
  }
}

}  // namespace pgarc::script
