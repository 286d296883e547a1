#include "tests/support/archive_content.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "format/codec.hpp"
#include "tests/support/process.hpp"

namespace pgarc::test {

TocEntry entry(int id, const std::string& desc, const std::string& tag, Section section, bool data) {
  TocEntry e;
  e.dumpId = id;
  e.desc = desc;
  e.tag = tag;
  e.section = section;
  e.hadDumper = data;
  e.owner = std::string("postgres");
  return e;
}

Content sampleContent(ArchiveVersion version) {
  Content c;
  c.toc.header.version = version;
  c.toc.header.dbname = "specdb";
  c.toc.header.serverVersion = "15.18";
  c.toc.header.dumpVersion = "15.18";
  c.toc.header.created = CreationTime{26, 38, 22, 25, 10, 126, 0};
  auto enc = entry(10, "ENCODING", "ENCODING", Section::PreData);
  enc.defn = std::string("SET client_encoding = 'UTF8';\n");
  c.toc.entries.push_back(enc);
  auto table = entry(20, "TABLE", "customers", Section::PreData);
  table.namespace_ = std::string("app");
  table.defn = std::string("CREATE TABLE app.customers (id integer, name text);\n");
  table.dropStmt = std::string("DROP TABLE app.customers;\n");
  if (version.atLeast(1, 16)) table.relkind = 'r';
  c.toc.entries.push_back(table);
  auto data = entry(30, "TABLE DATA", "customers", Section::Data, true);
  data.namespace_ = std::string("app");
  data.copyStmt = std::string("COPY app.customers (id, name) FROM stdin;\n");
  data.dependencies = {"20"};
  c.toc.entries.push_back(data);
  c.tableData[30] = "1\tZo\xc3\xab\n2\t\\N\n3\ttab\\there\n\\.\n\n\n";
  auto empty = entry(31, "TABLE DATA", "empty", Section::Data, true);
  empty.copyStmt = std::string("COPY app.empty (x) FROM stdin;\n");
  c.toc.entries.push_back(empty);
  c.tableData[31] = "\\.\n\n\n";
  auto blobs = entry(40, "BLOBS", "BLOBS", Section::Data, true);
  blobs.owner.reset();
  c.toc.entries.push_back(blobs);
  std::string big;
  for (int i = 0; i < 70000; i++) big.push_back(static_cast<char>(i * 7 % 256));
  c.blobs[40] = {Blob{424242, "hello large object"}, Blob{3000000000u, big}, Blob{17, ""}};
  return c;
}

Status writeContent(ArchiveWriter& w, const Content& c) {
  PGARC_TRY(w.begin(c.toc));
  for (const auto& e : c.toc.entries) {
    if (!e.hadDumper) continue;
    if (e.desc == "BLOBS") {
      PGARC_ASSIGN(auto s, w.openBlobs(e.dumpId));
      for (const auto& b : c.blobs.at(e.dumpId)) {
        PGARC_TRY(s->beginBlob(b.oid));
        // several writes per object, to exercise streaming
        for (size_t i = 0; i < b.bytes.size(); i += 5000) PGARC_TRY(s->write(std::string_view(b.bytes).substr(i, 5000)));
        PGARC_TRY(s->endBlob());
      }
      PGARC_TRY(s->close());
    } else {
      PGARC_ASSIGN(auto s, w.openTableData(e.dumpId));
      const std::string& d = c.tableData.at(e.dumpId);
      for (size_t i = 0; i < d.size(); i += 3) PGARC_TRY(s->write(std::string_view(d).substr(i, 3)));
      PGARC_TRY(s->close());
    }
  }
  return w.finish();
}

void expectContent(ArchiveReader& r, const Content& c) {
  ASSERT_EQ(r.toc().entries.size(), c.toc.entries.size());
  EXPECT_EQ(r.toc().header.version, c.toc.header.version);
  EXPECT_EQ(r.toc().header.dbname, c.toc.header.dbname);
  EXPECT_EQ(r.toc().header.created, c.toc.header.created);
  EXPECT_EQ(r.toc().header.format, ArchiveFormat::Tar);
  for (size_t i = 0; i < c.toc.entries.size(); i++) {
    TocEntry got = r.toc().entries[i];
    TocEntry want = c.toc.entries[i];
    got.filename.reset();
    want.filename.reset();
    EXPECT_EQ(got, want) << "entry " << want.dumpId;
  }
  for (const auto& e : r.toc().entries) {
    if (!e.hadDumper) continue;
    if (e.desc == "BLOBS") {
      CollectBlobs sink;
      auto st = r.readBlobs(e, sink);
      ASSERT_TRUE(st.ok()) << st.error().describe();
      EXPECT_EQ(sink.blobs, c.blobs.at(e.dumpId));
    } else {
      StringDataSink sink;
      auto st = r.readTableData(e, sink);
      ASSERT_TRUE(st.ok()) << st.error().describe();
      EXPECT_EQ(sink.out, c.tableData.at(e.dumpId));
    }
  }
}

std::string writeTar(const Content& c) {
  auto out = std::make_unique<MemoryOutput>(false, "mem.tar");
  MemoryOutput* raw = out.get();
  WriterOptions o;
  o.kind = ArchiveKind::Tar;
  o.compression = {CompressionAlgorithm::None, 0, false};
  auto w = createTarWriter(std::move(out), o);
  EXPECT_TRUE(w.ok());
  auto st = writeContent(**w, c);
  EXPECT_TRUE(st.ok()) << st.error().describe();
  EXPECT_TRUE(raw->committed());
  return raw->data();
}

bool exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}

Status StringDataSink::data(std::string_view b) {
  out.append(b);
  return {};
}

Status CollectBlobs::beginBlob(uint32_t oid) {
  if (open) return makeError("nested blob");
  open = true;
  blobs.push_back(Blob{oid, {}});
  return {};
}

Status CollectBlobs::data(std::string_view b) {
  blobs.back().bytes.append(b);
  return {};
}

Status CollectBlobs::endBlob(uint32_t oid) {
  if (!open || blobs.back().oid != oid) return makeError("endBlob mismatch");
  open = false;
  return {};
}

TempDir::TempDir() : path(makeTempDir("pgarc-dirtar-")) {}
TempDir::~TempDir() { removeTree(path); }

Status readAllData(ArchiveReader& r) {
  for (const auto& e : r.toc().entries) {
    if (!e.hadDumper) continue;
    StringDataSink ds;
    CollectBlobs bs;
    PGARC_TRY(e.desc == "BLOBS" ? r.readBlobs(e, bs) : r.readTableData(e, ds));
  }
  return {};
}

Status readEverything(std::unique_ptr<InputStream> in) {
  PGARC_ASSIGN(auto r, openTarArchive(std::move(in)));
  return readAllData(*r);
}

}  // namespace pgarc::test
