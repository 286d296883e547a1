#include "dump/comments.hpp"

namespace pgarc::dump {

namespace {

const std::vector<CommentItem>* find(const CommentMap& m, CatalogId id) {
  auto it = m.find(id);
  return it == m.end() ? nullptr : &it->second;
}

std::optional<std::string> optNs(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

}  // namespace

void addObjectNoteEntry(EmitContext& ctx, const char* desc, const std::string& tag, const std::string& nspname,
                        const std::string& owner, std::string sql, DumpId dep) {
  EntrySpec e;
  e.dumpId = ctx.store.newDumpId();
  e.tag = tag;
  e.namespace_ = optNs(nspname);
  e.owner = owner;
  e.desc = desc;
  e.section = Section::None;
  e.defn = std::move(sql);
  e.deps.push_back(dep);
  ctx.add(std::move(e));
}

void dumpComment(EmitContext& ctx, const CommentTarget& t, const char* initdbComment) {
  // Comments are schema, except those on large objects, which go with the data.
  if (ctx.options.noComments || (ctx.options.dataOnly && t.type != "LARGE OBJECT")) return;
  const CommentItem* found = nullptr;
  if (const auto* items = find(ctx.comments, t.catId)) {
    for (const auto& c : *items)
      if (c.objsubid == t.subid) {
        found = &c;
        break;
      }
  }
  static const CommentItem kEmpty{};
  if (initdbComment) {
    if (!found)
      found = &kEmpty;
    else if (found->descr == initdbComment)
      found = nullptr;
  }
  if (!found) return;
  std::string sql = "COMMENT ON " + t.type + " ";
  if (!t.nspname.empty()) sql += ctx.quote.id(t.nspname) + ".";
  sql += t.name + " IS " + ctx.quote.literal(found->descr) + ";\n";
  addObjectNoteEntry(ctx, "COMMENT", t.type + " " + t.name, t.nspname, t.owner, std::move(sql), t.dumpId);
}

void dumpTableComment(EmitContext& ctx, const TableInfo& tbl, const std::string& reltypename) {
  if (ctx.options.noComments || ctx.options.dataOnly) return;
  const auto* items = find(ctx.comments, tbl.catId);
  if (!items) return;
  const std::string nsName = tbl.ns ? tbl.ns->name : "";
  const std::string qualified = ctx.quote.qualified(nsName, tbl.name);
  for (const auto& c : *items) {
    if (c.objsubid == 0) {
      std::string sql = "COMMENT ON " + reltypename + " " + qualified + " IS " + ctx.quote.literal(c.descr) + ";\n";
      addObjectNoteEntry(ctx, "COMMENT", reltypename + " " + ctx.quote.id(tbl.name), nsName, tbl.owner, std::move(sql),
                         tbl.dumpId);
    } else if (c.objsubid > 0 && static_cast<size_t>(c.objsubid) <= tbl.attrs.size()) {
      const std::string col = ctx.quote.id(tbl.attrs[c.objsubid - 1].name);
      std::string sql = "COMMENT ON COLUMN " + qualified + "." + col + " IS " + ctx.quote.literal(c.descr) + ";\n";
      addObjectNoteEntry(ctx, "COMMENT", "COLUMN " + ctx.quote.id(tbl.name) + "." + col, nsName, tbl.owner,
                         std::move(sql), tbl.dumpId);
    }
  }
}

void dumpSecLabel(EmitContext& ctx, const CommentTarget& t) {
  if (ctx.options.noSecurityLabels || (ctx.options.dataOnly && t.type != "LARGE OBJECT")) return;
  const auto* items = find(ctx.seclabels, t.catId);
  if (!items) return;
  std::string sql;
  for (const auto& l : *items) {
    if (l.objsubid != t.subid) continue;
    sql += "SECURITY LABEL FOR " + ctx.quote.id(l.provider) + " ON " + t.type + " ";
    if (!t.nspname.empty()) sql += ctx.quote.id(t.nspname) + ".";
    sql += t.name + " IS " + ctx.quote.literal(l.descr) + ";\n";
  }
  if (!sql.empty())
    addObjectNoteEntry(ctx, "SECURITY LABEL", t.type + " " + t.name, t.nspname, t.owner, std::move(sql), t.dumpId);
}

void dumpTableSecLabel(EmitContext& ctx, const TableInfo& tbl, const std::string& reltypename) {
  if (ctx.options.noSecurityLabels || ctx.options.dataOnly) return;
  const auto* items = find(ctx.seclabels, tbl.catId);
  if (!items) return;
  const std::string nsName = tbl.ns ? tbl.ns->name : "";
  const std::string qualified = ctx.quote.qualified(nsName, tbl.name);
  // The relation's and its columns' labels go in one entry, as pg_dump writes them.
  std::string sql;
  for (const auto& l : *items) {
    if (l.objsubid < 0 || static_cast<size_t>(l.objsubid) > tbl.attrs.size()) continue;
    const std::string target =
        l.objsubid == 0 ? reltypename + " " + qualified
                        : "COLUMN " + qualified + "." + ctx.quote.id(tbl.attrs[l.objsubid - 1].name);
    sql += "SECURITY LABEL FOR " + ctx.quote.id(l.provider) + " ON " + target + " IS " + ctx.quote.literal(l.descr) +
           ";\n";
  }
  if (!sql.empty())
    addObjectNoteEntry(ctx, "SECURITY LABEL", reltypename + " " + ctx.quote.id(tbl.name), nsName, tbl.owner,
                       std::move(sql), tbl.dumpId);
}

}  // namespace pgarc::dump
