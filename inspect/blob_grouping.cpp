#include "inspect/blob_grouping.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <tuple>

namespace pgarc {

namespace {

const std::string kBlob = "BLOB";
const std::string kBlobs = "BLOBS";
const std::string kBlobMetadata = "BLOB METADATA";
const std::string kLoTagPrefix = "LARGE OBJECT ";
const std::string kLoGroupTagPrefix = "LARGE OBJECTS ";

std::optional<uint32_t> parseOid(const std::string& s) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > 0xffffffffull) return std::nullopt;
  return static_cast<uint32_t>(v);
}

bool startsWith(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }

}  // namespace

std::string replaceLoOid(const std::string& text, uint32_t from, const std::string& to) {
  const std::string needle = kLoTagPrefix + std::to_string(from);
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t hit = text.find(needle, pos);
    if (hit == std::string::npos) break;
    size_t end = hit + needle.size();
    bool bounded = end >= text.size() || text[end] < '0' || text[end] > '9';
    out.append(text, pos, hit - pos);
    out += bounded ? kLoTagPrefix + to : needle;
    pos = end;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

namespace {

std::optional<std::string> replaceLoOid(const std::optional<std::string>& text, uint32_t from, const std::string& to) {
  if (!text) return std::nullopt;
  return pgarc::replaceLoOid(*text, from, to);
}

bool isLoAttachment(const TocEntry& e) {
  std::string d = e.descStr();
  return (d == "COMMENT" || d == "SECURITY LABEL" || d == "ACL") && startsWith(e.tagStr(), kLoTagPrefix.substr(0, 12));
}

int maxDumpId(const ArchiveToc& toc) {
  int m = 0;
  for (const auto& e : toc.entries) m = std::max(m, e.dumpId);
  return m;
}

std::string groupTag(const std::vector<uint32_t>& oids) { return largeObjectGroupTag(oids.front(), oids.back(), oids.size()); }

void remapDependencies(std::vector<TocEntry>& entries, const std::map<int, int>& remap) {
  for (auto& e : entries) {
    for (auto& d : e.dependencies) {
      auto id = parseOid(d);
      if (!id) continue;
      auto it = remap.find(static_cast<int>(*id));
      if (it != remap.end()) d = std::to_string(it->second);
    }
  }
}

}  // namespace

std::string largeObjectGroupTag(uint32_t first, uint32_t last, size_t count) {
  if (count == 1) return std::to_string(first);
  return std::to_string(first) + ".." + std::to_string(last);
}

TocEntry largeObjectMetadataEntry(int dumpId, uint32_t firstOid, const std::string& tag, std::string oidLines,
                                  const OptString& owner) {
  TocEntry meta;
  meta.dumpId = dumpId;
  meta.tableoid = "2613";
  meta.oid = std::to_string(firstOid);
  meta.tag = tag;
  meta.desc = kBlobMetadata;
  meta.section = Section::Data;
  meta.defn = std::move(oidLines);
  meta.dropStmt = std::string("-- dummy");
  meta.owner = owner;
  return meta;
}

TocEntry largeObjectBlobsEntry(int dumpId, const std::string& tag, const OptString& owner, std::vector<std::string> deps) {
  TocEntry e;
  e.dumpId = dumpId;
  e.hadDumper = true;
  e.tag = tag;
  e.desc = kBlobs;
  e.section = Section::Data;
  e.owner = owner;
  e.dependencies = std::move(deps);
  e.offsetFlag = OffsetFlag::NotSet;
  return e;
}

namespace {

void addIdentityData(const std::vector<TocEntry>& entries, std::map<int, DataSourcePlan>& data) {
  for (const auto& e : entries)
    if (e.hadDumper && !data.count(e.dumpId)) data[e.dumpId] = DataSourcePlan{{e.dumpId}, std::nullopt};
}

}  // namespace

int inferRelkind(const TocEntry& e) {
  std::string d = e.descStr();
  if (d == "TABLE") {
    bool partitioned = e.defn && e.defn->find("\nPARTITION BY ") != std::string::npos;
    return partitioned ? 'p' : 'r';
  }
  if (d == "VIEW") return 'v';
  if (d == "MATERIALIZED VIEW") return 'm';
  if (d == "FOREIGN TABLE") return 'f';
  return 0;
}

Result<ArchiveToc> groupLargeObjects(const ArchiveToc& input, std::map<int, DataSourcePlan>& data) {
  struct Lo {
    uint32_t oid;
    int blobId;
    OptString owner;
    std::string aclKey;
    const TocEntry* acl = nullptr;
    std::vector<const TocEntry*> attachments;  // comments, security labels
  };
  std::vector<Lo> los;
  std::map<int, size_t> loByBlobId;
  std::vector<int> sourceBlobs;
  std::set<int> removed;
  for (const auto& e : input.entries) {
    if (e.descStr() == kBlob) {
      auto oid = parseOid(e.oid);
      if (!oid || *oid == 0) oid = parseOid(e.tagStr());
      if (!oid || *oid == 0)
        return Error{"BLOB entry has no valid large object OID: expected a decimal OID, found \"" + e.oid + "\"", {},
                     {}, e.dumpId};
      loByBlobId[e.dumpId] = los.size();
      los.push_back(Lo{*oid, e.dumpId, e.owner, {}, nullptr, {}});
      removed.insert(e.dumpId);
    } else if (e.descStr() == kBlobs) {
      sourceBlobs.push_back(e.dumpId);
      removed.insert(e.dumpId);
    }
  }
  if (los.empty() && sourceBlobs.empty()) {
    addIdentityData(input.entries, data);
    return input;
  }
  for (const auto& e : input.entries) {
    if (!isLoAttachment(e)) continue;
    for (int dep : e.dependencyIds()) {
      auto it = loByBlobId.find(dep);
      if (it == loByBlobId.end()) continue;
      Lo& lo = los[it->second];
      if (e.descStr() == "ACL") {
        lo.acl = &e;
        lo.aclKey = replaceLoOid(e.defn.value_or(""), lo.oid, "{}");
      } else {
        lo.attachments.push_back(&e);
      }
      removed.insert(e.dumpId);
      break;
    }
  }
  // pg_dump 17 orders by owner, ACL, OID (owner by role OID there; by name here).
  std::vector<const Lo*> order;
  for (const auto& lo : los) order.push_back(&lo);
  std::stable_sort(order.begin(), order.end(), [](const Lo* a, const Lo* b) {
    return std::tie(a->owner, a->aclKey, a->oid) < std::tie(b->owner, b->aclKey, b->oid);
  });
  std::vector<std::vector<const Lo*>> groups;
  for (const Lo* lo : order) {
    if (groups.empty() || groups.back().size() >= kMaxLargeObjectsPerGroup ||
        groups.back().front()->owner != lo->owner || groups.back().front()->aclKey != lo->aclKey)
      groups.emplace_back();
    groups.back().push_back(lo);
  }

  int nextId = maxDumpId(input);
  std::map<int, int> remap;
  std::vector<TocEntry> block, blobsBlock;
  for (const auto& g : groups) {
    std::vector<uint32_t> oids;
    for (const Lo* lo : g) oids.push_back(lo->oid);
    std::string tag = groupTag(oids);
    std::string defn;
    for (uint32_t oid : oids) defn += std::to_string(oid) + "\n";
    TocEntry meta = largeObjectMetadataEntry(++nextId, oids.front(), tag, std::move(defn), g.front()->owner);
    block.push_back(meta);
    for (const Lo* lo : g) {
      remap[lo->blobId] = meta.dumpId;
      for (const TocEntry* a : lo->attachments) {
        TocEntry c = *a;
        c.dependencies = {std::to_string(meta.dumpId)};
        block.push_back(std::move(c));
      }
    }
    if (g.front()->acl) {
      TocEntry acl = *g.front()->acl;
      if (g.size() > 1) acl.tag = kLoGroupTagPrefix + tag;
      acl.dependencies = {std::to_string(meta.dumpId)};
      block.push_back(std::move(acl));
    }
    if (!sourceBlobs.empty()) {
      int id = ++nextId;
      blobsBlock.push_back(largeObjectBlobsEntry(id, tag, g.front()->owner, {std::to_string(meta.dumpId)}));
      data[id] = DataSourcePlan{sourceBlobs, oids};
    }
  }
  for (int id : sourceBlobs)
    if (!blobsBlock.empty()) remap[id] = blobsBlock.front().dumpId;
  block.insert(block.end(), blobsBlock.begin(), blobsBlock.end());

  // The new block goes where the BLOBS entry was (end of the data section),
  // or where the first BLOB entry was in a dump without data.
  ArchiveToc out;
  out.header = input.header;
  int anchor = sourceBlobs.empty() ? los.front().blobId : sourceBlobs.front();
  bool placed = false;
  for (const auto& e : input.entries) {
    if (e.dumpId == anchor && !placed) {
      out.entries.insert(out.entries.end(), block.begin(), block.end());
      placed = true;
    }
    if (!removed.count(e.dumpId)) out.entries.push_back(e);
  }
  if (!placed) out.entries.insert(out.entries.end(), block.begin(), block.end());
  remapDependencies(out.entries, remap);
  addIdentityData(out.entries, data);
  return out;
}

Result<ArchiveToc> ungroupLargeObjects(const ArchiveToc& input, std::map<int, DataSourcePlan>& data) {
  struct Group {
    const TocEntry* meta;
    std::vector<uint32_t> oids;
    std::vector<const TocEntry*> attachments;
    const TocEntry* acl = nullptr;
  };
  std::vector<Group> groups;
  std::map<int, size_t> groupByMetaId;
  std::vector<int> sourceBlobs;
  std::set<int> removed;
  for (const auto& e : input.entries) {
    if (e.descStr() == kBlobMetadata) {
      Group g{&e, {}, {}, nullptr};
      const std::string defn = e.defn.value_or("");
      size_t pos = 0;
      while (pos < defn.size()) {
        size_t nl = defn.find('\n', pos);
        std::string line = defn.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? defn.size() : nl + 1;
        if (line.empty()) continue;
        auto oid = parseOid(line);
        if (!oid || *oid == 0)
          return Error{"BLOB METADATA entry lists an invalid large object OID: expected a decimal OID, found \"" +
                           line + "\"",
                       {}, {}, e.dumpId};
        g.oids.push_back(*oid);
      }
      groupByMetaId[e.dumpId] = groups.size();
      groups.push_back(std::move(g));
      removed.insert(e.dumpId);
    } else if (e.descStr() == kBlobs) {
      sourceBlobs.push_back(e.dumpId);
      removed.insert(e.dumpId);
    }
  }
  if (groups.empty() && sourceBlobs.empty()) {
    addIdentityData(input.entries, data);
    return input;
  }
  for (const auto& e : input.entries) {
    if (!isLoAttachment(e)) continue;
    for (int dep : e.dependencyIds()) {
      auto it = groupByMetaId.find(dep);
      if (it == groupByMetaId.end()) continue;
      if (e.descStr() == "ACL") groups[it->second].acl = &e;
      else groups[it->second].attachments.push_back(&e);
      removed.insert(e.dumpId);
      break;
    }
  }

  // pg_dump 15 sorts BLOB entries by name, i.e. by the OID's text.
  struct Item { std::string oidText; size_t group; size_t index; };
  std::vector<Item> items;
  for (size_t gi = 0; gi < groups.size(); ++gi)
    for (size_t i = 0; i < groups[gi].oids.size(); ++i) items.push_back({std::to_string(groups[gi].oids[i]), gi, i});
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.oidText < b.oidText; });

  int nextId = maxDumpId(input);
  std::map<int, int> remap;
  std::vector<TocEntry> block;
  for (const Item& item : items) {
    {
      const Group& g = groups[item.group];
      size_t i = item.index;
      const std::string& oidText = item.oidText;
      TocEntry blob;
      blob.dumpId = ++nextId;
      blob.tableoid = "2613";
      blob.oid = oidText;
      blob.tag = oidText;
      blob.desc = kBlob;
      blob.section = Section::PreData;
      blob.defn = "SELECT pg_catalog.lo_create('" + oidText + "');\n";
      blob.dropStmt = "SELECT pg_catalog.lo_unlink('" + oidText + "');\n";
      blob.owner = g.meta->owner;
      if (i == 0) remap[g.meta->dumpId] = blob.dumpId;
      block.push_back(blob);
      for (const TocEntry* a : g.attachments) {
        if (a->tagStr() != kLoTagPrefix + oidText) continue;
        TocEntry c = *a;
        c.dependencies = {std::to_string(blob.dumpId)};
        block.push_back(std::move(c));
      }
      if (g.acl) {
        TocEntry acl = *g.acl;
        acl.tag = kLoTagPrefix + oidText;
        acl.defn = replaceLoOid(g.acl->defn, g.oids.front(), oidText);
        acl.dropStmt = replaceLoOid(g.acl->dropStmt, g.oids.front(), oidText);
        if (i > 0) acl.dumpId = ++nextId;
        acl.dependencies = {std::to_string(blob.dumpId)};
        block.push_back(std::move(acl));
      }
    }
  }
  // Attachments whose tag names an OID missing from their group stay, as
  // pg_dump would never write them; keep them rather than lose them.
  for (const auto& g : groups)
    for (const TocEntry* a : g.attachments) {
      bool used = false;
      for (uint32_t oid : g.oids) used = used || a->tagStr() == kLoTagPrefix + std::to_string(oid);
      if (!used) removed.erase(a->dumpId);
    }

  ArchiveToc out;
  out.header = input.header;
  // BLOB entries end the pre-data section, as pg_dump 15 sorts them; the
  // single BLOBS entry takes the place of the first grouped one.
  bool blobsPlaced = false, blockPlaced = false;
  for (const auto& e : input.entries) {
    if (!blockPlaced && (e.section == Section::Data || e.section == Section::PostData) && !removed.count(e.dumpId)) {
      out.entries.insert(out.entries.end(), block.begin(), block.end());
      blockPlaced = true;
    }
    if (!sourceBlobs.empty() && e.dumpId == sourceBlobs.front() && !blobsPlaced) {
      if (!blockPlaced) {
        out.entries.insert(out.entries.end(), block.begin(), block.end());
        blockPlaced = true;
      }
      out.entries.push_back(largeObjectBlobsEntry(sourceBlobs.front(), kBlobs, std::nullopt, {}));
      data[sourceBlobs.front()] = DataSourcePlan{sourceBlobs, std::nullopt};
      blobsPlaced = true;
    }
    if (!removed.count(e.dumpId)) out.entries.push_back(e);
  }
  if (!blockPlaced) out.entries.insert(out.entries.end(), block.begin(), block.end());
  for (size_t i = 1; i < sourceBlobs.size(); ++i) remap[sourceBlobs[i]] = sourceBlobs.front();
  remapDependencies(out.entries, remap);
  addIdentityData(out.entries, data);
  return out;
}

Result<ConversionPlan> planConversion(const ArchiveToc& input, ArchiveVersion target) {
  ConversionPlan plan;
  bool inputGrouped = input.header.version.atLeast(1, 16);
  bool targetGrouped = target.atLeast(1, 16);
  if (inputGrouped == targetGrouped) {
    plan.toc = input;
    addIdentityData(plan.toc.entries, plan.data);
  } else if (targetGrouped) {
    PGARC_ASSIGN(plan.toc, groupLargeObjects(input, plan.data));
  } else {
    PGARC_ASSIGN(plan.toc, ungroupLargeObjects(input, plan.data));
  }
  plan.toc.header.version = target;
  for (auto& e : plan.toc.entries) {
    if (!targetGrouped) e.relkind = 0;
    else if (!inputGrouped) e.relkind = inferRelkind(e);
  }
  return plan;
}

}  // namespace pgarc
