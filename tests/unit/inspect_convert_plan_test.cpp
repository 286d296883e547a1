// TOC rewriting for `pgarc convert` between archive versions: large objects
// grouped (1.16, pg_dump 17) and ungrouped (1.14/1.15, pg_dump 15).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <set>

#include "inspect/blob_grouping.hpp"

using namespace pgarc;

namespace {

struct Lo {
  uint32_t oid;
  std::string owner;
  std::string grantee;   // "" = no ACL entry
  bool comment;
};

std::string grant(uint32_t oid, const std::string& grantee) {
  return "GRANT SELECT ON LARGE OBJECT " + std::to_string(oid) + " TO " + grantee + ";\n";
}

// A TOC shaped like pg_dump 15's: table, BLOB entries with their comment and
// ACL, TABLE DATA, BLOBS.
ArchiveToc pg15Toc(const std::vector<Lo>& los, bool withData = true) {
  ArchiveToc toc;
  toc.header.version = {1, 14, 0};
  int id = 100;
  TocEntry table;
  table.dumpId = ++id;
  table.desc = "TABLE";
  table.tag = "t";
  table.defn = "CREATE TABLE app.t (\n    id integer\n);\n";
  table.section = Section::PreData;
  toc.entries.push_back(table);
  TocEntry part = table;
  part.dumpId = ++id;
  part.tag = "p";
  part.defn = "CREATE TABLE app.p (\n    id integer\n)\nPARTITION BY RANGE (id);\n";
  toc.entries.push_back(part);
  for (const Lo& lo : los) {
    TocEntry b;
    b.dumpId = ++id;
    b.tableoid = "2613";
    b.oid = std::to_string(lo.oid);
    b.tag = std::to_string(lo.oid);
    b.desc = "BLOB";
    b.section = Section::PreData;
    b.defn = "SELECT pg_catalog.lo_create('" + std::to_string(lo.oid) + "');\n";
    b.dropStmt = "SELECT pg_catalog.lo_unlink('" + std::to_string(lo.oid) + "');\n";
    b.owner = lo.owner;
    toc.entries.push_back(b);
    if (lo.comment) {
      TocEntry c;
      c.dumpId = ++id;
      c.desc = "COMMENT";
      c.tag = "LARGE OBJECT " + std::to_string(lo.oid);
      c.defn = "COMMENT ON LARGE OBJECT " + std::to_string(lo.oid) + " IS 'c';\n";
      c.owner = lo.owner;
      c.dependencies = {std::to_string(b.dumpId)};
      toc.entries.push_back(c);
    }
    if (!lo.grantee.empty()) {
      TocEntry a;
      a.dumpId = ++id;
      a.desc = "ACL";
      a.tag = "LARGE OBJECT " + std::to_string(lo.oid);
      a.defn = grant(lo.oid, lo.grantee);
      a.owner = lo.owner;
      a.dependencies = {std::to_string(b.dumpId)};
      toc.entries.push_back(a);
    }
  }
  TocEntry data;
  data.dumpId = ++id;
  data.hadDumper = true;
  data.desc = "TABLE DATA";
  data.tag = "t";
  data.section = Section::Data;
  data.dependencies = {std::to_string(table.dumpId)};
  toc.entries.push_back(data);
  if (withData && !los.empty()) {
    TocEntry blobs;
    blobs.dumpId = ++id;
    blobs.hadDumper = true;
    blobs.desc = "BLOBS";
    blobs.tag = "BLOBS";
    blobs.section = Section::Data;
    toc.entries.push_back(blobs);
  }
  return toc;
}

std::vector<const TocEntry*> withDesc(const ArchiveToc& toc, const std::string& desc) {
  std::vector<const TocEntry*> out;
  for (const auto& e : toc.entries)
    if (e.descStr() == desc) out.push_back(&e);
  return out;
}

void expectConsistentIds(const ArchiveToc& toc) {
  std::set<int> ids;
  for (const auto& e : toc.entries) EXPECT_TRUE(ids.insert(e.dumpId).second) << "duplicate dumpId " << e.dumpId;
  for (const auto& e : toc.entries)
    for (int d : e.dependencyIds()) EXPECT_TRUE(ids.count(d)) << e.dumpId << " depends on missing " << d;
}

}  // namespace

TEST(ConvertPlan, SameGroupingKeepsEntriesAndData) {
  ArchiveToc toc = pg15Toc({{5000, "a", "", true}});
  auto plan = planConversion(toc, {1, 15, 0});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->toc.entries, toc.entries);
  EXPECT_EQ(plan->toc.header.version, (ArchiveVersion{1, 15, 0}));
  ASSERT_EQ(plan->data.size(), 2u);
  for (const auto& [id, p] : plan->data) {
    EXPECT_EQ(p.sourceIds, std::vector<int>{id});
    EXPECT_FALSE(p.oids.has_value());
  }
}

TEST(ConvertPlan, GroupsByOwnerAndAclLikePgDump17) {
  std::vector<Lo> los = {{300, "b", "", false}, {100, "a", "", true}, {200, "a", "", false},
                         {400, "a", "alice", true}, {500, "a", "alice", false}, {600, "a", "bob", false}};
  auto plan = planConversion(pg15Toc(los), {1, 16, 0});
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  const ArchiveToc& t = plan->toc;
  expectConsistentIds(t);
  EXPECT_TRUE(withDesc(t, "BLOB").empty());
  auto metas = withDesc(t, "BLOB METADATA");
  auto blobs = withDesc(t, "BLOBS");
  ASSERT_EQ(metas.size(), 4u);
  ASSERT_EQ(blobs.size(), 4u);
  // Owner, then ACL, then OID.
  EXPECT_EQ(metas[0]->tagStr(), "100..200");
  EXPECT_EQ(metas[0]->defn, std::optional<std::string>("100\n200\n"));
  EXPECT_EQ(metas[1]->tagStr(), "400..500");
  EXPECT_EQ(metas[2]->tagStr(), "600");
  EXPECT_EQ(metas[3]->tagStr(), "300");
  EXPECT_EQ(metas[3]->owner, std::optional<std::string>("b"));
  for (const TocEntry* m : metas) {
    EXPECT_EQ(m->tableoid, "2613");
    EXPECT_EQ(m->oid, m->tagStr().substr(0, 3));
    EXPECT_EQ(m->section, Section::Data);
    EXPECT_EQ(m->dropStmt, std::optional<std::string>("-- dummy"));
    EXPECT_FALSE(m->hadDumper);
  }
  for (size_t i = 0; i < blobs.size(); ++i) {
    EXPECT_TRUE(blobs[i]->hadDumper);
    EXPECT_EQ(blobs[i]->tagStr(), metas[i]->tagStr());
    EXPECT_EQ(blobs[i]->owner, metas[i]->owner);
    EXPECT_EQ(blobs[i]->dependencyIds(), std::vector<int>{metas[i]->dumpId});
    const DataSourcePlan& p = plan->data.at(blobs[i]->dumpId);
    ASSERT_TRUE(p.oids.has_value());
  }
  EXPECT_EQ(*plan->data.at(blobs[0]->dumpId).oids, (std::vector<uint32_t>{100, 200}));
  // The group ACL names the group and keeps the first object's GRANT.
  auto acls = withDesc(t, "ACL");
  ASSERT_EQ(acls.size(), 2u);
  EXPECT_EQ(acls[0]->tagStr(), "LARGE OBJECTS 400..500");
  EXPECT_EQ(acls[0]->defn, std::optional<std::string>(grant(400, "alice")));
  EXPECT_EQ(acls[0]->dependencyIds(), std::vector<int>{metas[1]->dumpId});
  EXPECT_EQ(acls[1]->tagStr(), "LARGE OBJECT 600");
  // Comments stay per object and depend on their group's metadata.
  auto comments = withDesc(t, "COMMENT");
  ASSERT_EQ(comments.size(), 2u);
  EXPECT_EQ(comments[0]->tagStr(), "LARGE OBJECT 100");
  EXPECT_EQ(comments[0]->dependencyIds(), std::vector<int>{metas[0]->dumpId});
  // relkind from the relation definitions.
  EXPECT_EQ(t.entries[0].relkind, 'r');
  EXPECT_EQ(t.entries[1].relkind, 'p');
  // TABLE DATA keeps its own data.
  auto td = withDesc(t, "TABLE DATA");
  ASSERT_EQ(td.size(), 1u);
  EXPECT_EQ(plan->data.at(td[0]->dumpId).sourceIds, std::vector<int>{td[0]->dumpId});
}

TEST(ConvertPlan, AtMostThousandPerGroup) {
  std::vector<Lo> los;
  for (uint32_t i = 0; i < 2001; ++i) los.push_back({10000 + i, "a", "", false});
  auto plan = planConversion(pg15Toc(los), {1, 16, 0});
  ASSERT_TRUE(plan.ok());
  auto metas = withDesc(plan->toc, "BLOB METADATA");
  ASSERT_EQ(metas.size(), 3u);
  EXPECT_EQ(metas[0]->tagStr(), "10000..10999");
  EXPECT_EQ(metas[1]->tagStr(), "11000..11999");
  EXPECT_EQ(metas[2]->tagStr(), "12000");
}

TEST(ConvertPlan, SchemaOnlyDumpGetsMetadataWithoutBlobs) {
  auto plan = planConversion(pg15Toc({{7, "a", "", false}}, false), {1, 16, 0});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(withDesc(plan->toc, "BLOB METADATA").size(), 1u);
  EXPECT_TRUE(withDesc(plan->toc, "BLOBS").empty());
  expectConsistentIds(plan->toc);
}

TEST(ConvertPlan, UngroupRejectsBadMetadata) {
  ArchiveToc toc;
  toc.header.version = {1, 16, 0};
  TocEntry m;
  m.dumpId = 3;
  m.desc = "BLOB METADATA";
  m.defn = "12\nnot-an-oid\n";
  toc.entries.push_back(m);
  auto plan = planConversion(toc, {1, 14, 0});
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().message.find("found \"not-an-oid\""), std::string::npos);
  EXPECT_EQ(plan.error().dumpId, std::optional<int>(3));
}

RC_GTEST_PROP(ConvertPlan, GroupThenUngroupKeepsEveryObjectOwnerCommentAndGrant, ()) {
  auto oids = *rc::gen::unique<std::vector<uint32_t>>(rc::gen::inRange<uint32_t>(1, 4000000000u));
  std::vector<Lo> los;
  for (uint32_t oid : oids) {
    std::string owner = *rc::gen::element<std::string>("a", "b", "c");
    std::string grantee = *rc::gen::element<std::string>("", "alice", "bob");
    los.push_back({oid, owner, grantee, *rc::gen::arbitrary<bool>()});
  }
  ArchiveToc original = pg15Toc(los);
  auto up = planConversion(original, {1, 16, 0});
  RC_ASSERT(up.ok());
  auto down = planConversion(up->toc, {1, 14, 0});
  RC_ASSERT(down.ok());
  const ArchiveToc& t = down->toc;

  std::set<int> ids;
  for (const auto& e : t.entries) RC_ASSERT(ids.insert(e.dumpId).second);
  for (const auto& e : t.entries)
    for (int d : e.dependencyIds()) RC_ASSERT(ids.count(d) == 1u);
  RC_ASSERT(withDesc(t, "BLOB METADATA").empty());

  std::map<uint32_t, std::string> owners;
  std::map<int, uint32_t> oidByBlobId;
  for (const TocEntry* b : withDesc(t, "BLOB")) {
    uint32_t oid = static_cast<uint32_t>(std::stoul(b->oid));
    RC_ASSERT(owners.emplace(oid, b->owner.value_or("")).second);
    oidByBlobId[b->dumpId] = oid;
    RC_ASSERT(b->defn == std::optional<std::string>("SELECT pg_catalog.lo_create('" + b->oid + "');\n"));
  }
  std::map<uint32_t, std::string> grants;
  std::set<uint32_t> commented;
  for (const auto& e : t.entries) {
    if (e.descStr() != "ACL" && e.descStr() != "COMMENT") continue;
    auto deps = e.dependencyIds();
    RC_ASSERT(deps.size() == 1u);
    RC_ASSERT(oidByBlobId.count(deps[0]) == 1u);
    uint32_t oid = oidByBlobId[deps[0]];
    RC_ASSERT(e.tagStr() == "LARGE OBJECT " + std::to_string(oid));
    if (e.descStr() == "ACL") grants[oid] = e.defn.value_or("");
    else commented.insert(oid);
  }
  for (const Lo& lo : los) {
    RC_ASSERT(owners.at(lo.oid) == lo.owner);
    RC_ASSERT(commented.count(lo.oid) == (lo.comment ? 1u : 0u));
    if (lo.grantee.empty()) RC_ASSERT(grants.count(lo.oid) == 0u);
    else RC_ASSERT(grants.at(lo.oid) == grant(lo.oid, lo.grantee));
  }
  RC_ASSERT(owners.size() == los.size());
  auto blobs = withDesc(t, "BLOBS");
  if (los.empty()) {
    RC_ASSERT(blobs.empty());
  } else {
    RC_ASSERT(blobs.size() == 1u);
    RC_ASSERT(!blobs[0]->owner.has_value());
    // Its data comes from every 1.16 BLOBS entry, in their order.
    std::vector<int> groupBlobs;
    for (const TocEntry* b : withDesc(up->toc, "BLOBS")) groupBlobs.push_back(b->dumpId);
    RC_ASSERT(down->data.at(blobs[0]->dumpId).sourceIds == groupBlobs);
    // BLOB entries end the pre-data section.
    size_t lastBlob = 0, firstData = t.entries.size();
    for (size_t i = 0; i < t.entries.size(); ++i) {
      if (t.entries[i].descStr() == "BLOB") lastBlob = i;
      if (t.entries[i].section == Section::Data && firstData == t.entries.size()) firstData = i;
    }
    RC_ASSERT(lastBlob < firstData);
  }
}
