// Custom format: writer -> reader round trips per codec, version and output
// seekability; data location with and without offsets; corrupt archives.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "format/archive_reader.hpp"
#include "format/archive_writer.hpp"
#include "format/io.hpp"
#include "tests/support/generators.hpp"

using namespace pgarc;

namespace {

struct Lob {
  uint32_t oid;
  std::vector<std::string> pieces;
  friend bool operator==(const Lob&, const Lob&) = default;
};

// What goes into an entry: table data as write() pieces, or large objects.
struct Payload {
  bool blobs = false;
  std::vector<std::string> pieces;
  std::vector<Lob> lobs;
};

TocEntry entry(int id, const char* desc, bool hadDumper, Section section, std::vector<std::string> deps = {}) {
  TocEntry e;
  e.dumpId = id;
  e.hadDumper = hadDumper;
  e.tableoid = hadDumper ? "0" : "1259";
  e.oid = std::to_string(16000 + id);
  e.tag = std::string("t") + std::to_string(id);
  e.desc = desc;
  e.section = section;
  e.defn = std::string("-- definition of ") + desc + "\n";
  e.dropStmt = std::string("");
  if (std::string(desc) == "TABLE DATA") e.copyStmt = "COPY public.t" + std::to_string(id) + " (a, b) FROM stdin;\n";
  e.namespace_ = std::string("public");
  e.tablespace = std::string("");
  e.tableam = std::string("heap");
  e.relkind = std::string(desc) == "TABLE" ? 'r' : 0;
  e.owner = std::string("postgres");
  e.dependencies = std::move(deps);
  return e;
}

ArchiveVersion version(int minor) { return ArchiveVersion{1, static_cast<uint8_t>(minor), 0}; }

struct Sample {
  ArchiveToc toc;
  std::map<int, Payload> data;
};

Sample sample(int minor) {
  Sample s;
  s.toc.header.version = version(minor);
  s.toc.header.created = CreationTime{26, 38, 22, 25, 10, 126, 0};
  s.toc.header.dbname = "specdb";
  s.toc.header.serverVersion = "15.18";
  s.toc.header.dumpVersion = "15.18";
  s.toc.entries = {entry(10, "ENCODING", false, Section::PreData), entry(11, "TABLE", false, Section::PreData),
                   entry(12, "TABLE", false, Section::PreData),    entry(20, "TABLE DATA", true, Section::Data, {"11"}),
                   entry(21, "TABLE DATA", true, Section::Data, {"12"}), entry(22, "BLOBS", true, Section::Data),
                   entry(23, "TABLE DATA", true, Section::Data),   entry(30, "INDEX", false, Section::PostData, {"11"})};
  std::vector<std::string> rows;
  for (int i = 0; i < 3000; ++i) rows.push_back(std::to_string(i) + "\tvalue " + std::to_string(i * 31 % 97) + " caf\xc3\xa9\n");
  rows.push_back("\\.\n\n\n");
  s.data[20].pieces = rows;
  s.data[21].pieces = {"\\.\n\n\n"};
  s.data[22].blobs = true;
  s.data[22].lobs = {{424242, {std::string(20000, 'x'), "tail"}}, {3000000000u, {}}, {2147483648u, {std::string("\x00\x01\x02", 3)}}};
  s.data[23].pieces = {};
  if (minor < 16)
    for (auto& e : s.toc.entries) e.relkind = 0;  // not stored before 1.16
  return s;
}

std::string writeArchive(const Sample& s, const CompressionSpec& spec, bool seekable, Status* failure = nullptr) {
  auto mem = std::make_unique<MemoryOutput>(seekable);
  MemoryOutput* raw = mem.get();
  auto w = createCustomWriter(std::move(mem), WriterOptions{ArchiveKind::Custom, spec});
  EXPECT_TRUE(w.ok());
  auto fail = [&](Status st) {
    if (failure) *failure = st;
    else ADD_FAILURE() << st.error().describe();
    return std::string();
  };
  if (Status st = (*w)->begin(s.toc); !st.ok()) return fail(st);
  for (const auto& e : s.toc.entries) {
    if (!e.hadDumper) continue;
    const Payload& p = s.data.at(e.dumpId);
    if (p.blobs) {
      auto bs = (*w)->openBlobs(e.dumpId);
      if (!bs.ok()) return fail(bs.error());
      for (const auto& lob : p.lobs) {
        EXPECT_TRUE((*bs)->beginBlob(lob.oid).ok());
        for (const auto& piece : lob.pieces) EXPECT_TRUE((*bs)->write(piece).ok());
        EXPECT_TRUE((*bs)->endBlob().ok());
      }
      EXPECT_TRUE((*bs)->close().ok());
    } else {
      auto ds = (*w)->openTableData(e.dumpId);
      if (!ds.ok()) return fail(ds.error());
      for (const auto& piece : p.pieces) EXPECT_TRUE((*ds)->write(piece).ok());
      EXPECT_TRUE((*ds)->close().ok());
    }
  }
  if (Status st = (*w)->finish(); !st.ok()) return fail(st);
  EXPECT_TRUE(raw->committed());
  return raw->data();
}

struct Chunks : DataSink {
  Status data(std::string_view b) override {
    chunks.emplace_back(b);
    return {};
  }
  std::string joined() const {
    std::string s;
    for (const auto& c : chunks) s += c;
    return s;
  }
  std::vector<std::string> chunks;
};

struct Lobs : BlobSink {
  Status beginBlob(uint32_t oid) override {
    lobs.push_back({oid, {}});
    return {};
  }
  Status data(std::string_view b) override {
    lobs.back().pieces.emplace_back(b);
    return {};
  }
  Status endBlob(uint32_t oid) override {
    if (lobs.empty() || lobs.back().oid != oid) return makeError("endBlob oid mismatch");
    return {};
  }
  std::vector<Lob> lobs;
};

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x;
  return s;
}

// Reads every data entry in the given order and compares with the sample.
void expectData(ArchiveReader& r, const Sample& s, CompressionAlgorithm alg, const std::vector<int>& order) {
  for (int id : order) {
    const TocEntry* e = nullptr;
    for (const auto& x : r.toc().entries)
      if (x.dumpId == id) e = &x;
    ASSERT_NE(e, nullptr);
    const Payload& p = s.data.at(id);
    if (p.blobs) {
      Lobs got;
      Status st = r.readBlobs(*e, got);
      ASSERT_TRUE(st.ok()) << st.error().describe();
      ASSERT_EQ(got.lobs.size(), p.lobs.size());
      for (size_t i = 0; i < p.lobs.size(); ++i) {
        EXPECT_EQ(got.lobs[i].oid, p.lobs[i].oid);
        EXPECT_EQ(join(got.lobs[i].pieces), join(p.lobs[i].pieces));
        if (alg == CompressionAlgorithm::None) {
          EXPECT_EQ(got.lobs[i].pieces, p.lobs[i].pieces);
        }
      }
    } else {
      Chunks got;
      Status st = r.readTableData(*e, got);
      ASSERT_TRUE(st.ok()) << st.error().describe();
      EXPECT_EQ(got.joined(), join(p.pieces)) << "entry " << id;
      // Uncompressed data keeps pg_dump's chunking: one chunk per write.
      if (alg == CompressionAlgorithm::None) {
        EXPECT_EQ(got.chunks, p.pieces) << "entry " << id;
      }
    }
  }
}

const std::vector<CompressionSpec> kSpecs = {{CompressionAlgorithm::None, 0, false}, {CompressionAlgorithm::Gzip, -1, false},
                                             {CompressionAlgorithm::Gzip, 9, false}, {CompressionAlgorithm::Lz4, 0, false},
                                             {CompressionAlgorithm::Zstd, 3, true}};

}  // namespace

TEST(CustomFormat, RoundTripPerCodecVersionAndSeekability) {
  for (int minor : {14, 15, 16}) {
    for (const auto& spec : kSpecs) {
      bool modern = spec.algorithm == CompressionAlgorithm::Lz4 || spec.algorithm == CompressionAlgorithm::Zstd;
      if (minor < 15 && modern) continue;
      for (bool seekable : {true, false}) {
        SCOPED_TRACE("1." + std::to_string(minor) + " " + compressionName(spec.algorithm) + " level " +
                     std::to_string(spec.level) + (seekable ? " seekable" : " piped"));
        Sample s = sample(minor);
        std::string bytes = writeArchive(s, spec, seekable);
        ASSERT_FALSE(bytes.empty());
        for (bool seekableInput : {true, false}) {
          auto in = openInputMemory(bytes, "test.dump");
          auto r = openCustomArchive(seekableInput ? std::move(in) : nonSeekable(std::move(in)));
          ASSERT_TRUE(r.ok()) << r.error().describe();
          const ArchiveToc& toc = (*r)->toc();
          EXPECT_EQ(toc.header.format, ArchiveFormat::Custom);
          EXPECT_EQ(toc.header.compression, spec.algorithm);
          if (minor == 14) {
            EXPECT_EQ(toc.header.compressionLevel, spec.algorithm == CompressionAlgorithm::None ? 0 : spec.level);
          }
          EXPECT_EQ(toc.header.dbname, "specdb");
          ASSERT_EQ(toc.entries.size(), s.toc.entries.size());
          for (size_t i = 0; i < toc.entries.size(); ++i) {
            TocEntry got = toc.entries[i];
            const TocEntry& want = s.toc.entries[i];
            if (!want.hadDumper) EXPECT_EQ(got.offsetFlag, OffsetFlag::NoData);
            else if (seekable) {
              EXPECT_EQ(got.offsetFlag, OffsetFlag::Set);
              ASSERT_LT(got.dataOffset, bytes.size());
              EXPECT_EQ(bytes[got.dataOffset], s.data.at(want.dumpId).blobs ? 3 : 1);
              EXPECT_EQ((*r)->dataLocation(got), "offset " + std::to_string(got.dataOffset));
              if (seekableInput) {
                EXPECT_TRUE((*r)->storedDataSize(got).has_value());
              }
            } else {
              EXPECT_EQ(got.offsetFlag, OffsetFlag::NotSet);
              EXPECT_EQ(got.dataOffset, 0u);
            }
            got.offsetFlag = want.offsetFlag;
            got.dataOffset = want.dataOffset;
            EXPECT_EQ(got, want);
          }
          expectData(**r, s, spec.algorithm, {20, 21, 22, 23});
        }
      }
    }
  }
}

TEST(CustomFormat, SeekableWithoutOffsetsReadsAnyOrderByScanning) {
  Sample s = sample(14);
  std::string bytes = writeArchive(s, {CompressionAlgorithm::Gzip, -1, false}, /*seekable=*/false);
  auto r = openCustomArchive(openInputMemory(bytes, "piped.dump"));
  ASSERT_TRUE(r.ok());
  expectData(**r, s, CompressionAlgorithm::Gzip, {23, 21, 20, 22, 23, 20});
}

TEST(CustomFormat, NonSeekableInputRejectsOutOfOrderRequests) {
  Sample s = sample(14);
  std::string bytes = writeArchive(s, {CompressionAlgorithm::None, 0, false}, true);
  auto r = openCustomArchive(nonSeekable(openInputMemory(bytes, "pipe")));
  ASSERT_TRUE(r.ok());
  expectData(**r, s, CompressionAlgorithm::None, {21, 22});  // skips 20 going forward
  Chunks sink;
  Status st = (*r)->readTableData((*r)->toc().entries[3], sink);  // entry 20, already passed
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("could not find block ID 20 in archive -- possibly due to out-of-order restore request"),
            std::string::npos)
      << st.error().message;
  EXPECT_EQ(st.error().dumpId, 20);
}

TEST(CustomFormat, WrongOffsetIsReportedWithBothIds) {
  Sample s = sample(15);
  std::string bytes = writeArchive(s, {CompressionAlgorithm::Gzip, -1, false}, true);
  auto r0 = openCustomArchive(openInputMemory(bytes));
  ASSERT_TRUE(r0.ok());
  uint64_t off20 = (*r0)->toc().entries[3].dataOffset, off21 = (*r0)->toc().entries[4].dataOffset;
  // Point entry 20's offset at entry 21's block: patch the 8 offset bytes.
  std::string patched = bytes;
  std::string needle(1, '\x02');
  for (int i = 0; i < 8; ++i) needle += static_cast<char>((off20 >> (8 * i)) & 0xff);
  size_t at = patched.find(needle);
  ASSERT_NE(at, std::string::npos);
  for (int i = 0; i < 8; ++i) patched[at + 1 + i] = static_cast<char>((off21 >> (8 * i)) & 0xff);
  auto r = openCustomArchive(openInputMemory(patched));
  ASSERT_TRUE(r.ok());
  Chunks sink;
  Status st = (*r)->readTableData((*r)->toc().entries[3], sink);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "found unexpected block ID (21) when reading data -- expected 20");
}

TEST(CustomFormat, WriterRejectsBadRequests) {
  Sample s = sample(14);
  Status failure;
  EXPECT_TRUE(writeArchive(s, {CompressionAlgorithm::Lz4, 0, false}, true, &failure).empty());
  ASSERT_FALSE(failure.ok());
  EXPECT_NE(failure.error().message.find("compression lz4 requires archive version 1.15 or later"), std::string::npos);

  auto w = createCustomWriter(std::make_unique<MemoryOutput>(), WriterOptions{});
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->begin(s.toc).ok());
  auto wrong = (*w)->openTableData(21);  // 20 comes first
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("TOC order: expected entry 20, found entry 21"), std::string::npos)
      << wrong.error().message;
  EXPECT_FALSE((*w)->openTableData(11).ok());  // no data
  EXPECT_FALSE((*w)->finish().ok());           // data missing
}

TEST(CustomFormat, SchemaOnlyArchiveEndsAfterToc) {
  Sample s = sample(16);
  for (auto& e : s.toc.entries) e.hadDumper = false;
  std::string bytes = writeArchive(s, {CompressionAlgorithm::Zstd, 0, false}, true);
  auto r = openCustomArchive(openInputMemory(bytes));
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ((*r)->toc().entries.size(), s.toc.entries.size());
}

// Every truncation of a small archive fails (at open or when reading data),
// never crashes, never yields a complete read.
TEST(CustomFormat, EveryTruncationFails) {
  for (const auto& spec : {CompressionSpec{CompressionAlgorithm::None, 0, false}, CompressionSpec{CompressionAlgorithm::Gzip, -1, false},
                           CompressionSpec{CompressionAlgorithm::Zstd, 0, false}}) {
    Sample s = sample(16);
    s.data[20].pieces.resize(20);
    s.data[20].pieces.push_back("\\.\n\n\n");
    s.data[22].lobs[0].pieces = {"small"};
    for (bool seekable : {true, false}) {
      std::string bytes = writeArchive(s, spec, seekable);
      for (size_t len = 0; len < bytes.size(); ++len) {
        auto r = openCustomArchive(openInputMemory(bytes.substr(0, len), "cut.dump"));
        if (!r.ok()) continue;
        bool allOk = true;
        for (const auto& e : (*r)->toc().entries) {
          if (!e.hadDumper) continue;
          Status st;
          if (e.descStr() == "BLOBS") {
            Lobs lobs;
            st = (*r)->readBlobs(e, lobs);
          } else {
            Chunks c;
            st = (*r)->readTableData(e, c);
          }
          if (!st.ok()) {
            allOk = false;
            EXPECT_FALSE(st.error().message.empty());
          }
        }
        EXPECT_FALSE(allOk) << "prefix of " << len << " of " << bytes.size() << " read completely";
      }
    }
  }
}

namespace {

Sample randomSample(int minor) {
  Sample s;
  s.toc.header.version = version(minor);
  s.toc.header.dbname = *rc::gen::arbitrary<std::string>();
  s.toc.header.serverVersion = *rc::gen::arbitrary<std::string>();
  s.toc.header.created.sec = *rc::gen::inRange(0, 60);
  const int n = *rc::gen::inRange(0, 12);
  for (int i = 0; i < n; ++i) {
    const bool hasData = *rc::gen::arbitrary<bool>();
    const bool blobs = hasData && *rc::gen::inRange(0, 4) == 0;
    TocEntry e = entry(i + 1, blobs ? "BLOBS" : hasData ? "TABLE DATA" : "TABLE", hasData,
                       hasData ? Section::Data : Section::PreData);
    e.tag = *rc::gen::arbitrary<std::optional<std::string>>();
    e.defn = *rc::gen::arbitrary<std::optional<std::string>>();
    if (minor < 16) e.relkind = 0;
    s.toc.entries.push_back(e);
    if (!hasData) continue;
    Payload& p = s.data[e.dumpId];
    p.blobs = blobs;
    if (blobs) {
      const int count = *rc::gen::inRange(0, 4);
      for (int k = 0; k < count; ++k)
        p.lobs.push_back({*rc::gen::inRange<uint32_t>(1, 0xffffffffu), *rc::gen::arbitrary<std::vector<std::string>>()});
    } else {
      p.pieces = *rc::gen::arbitrary<std::vector<std::string>>();
    }
  }
  return s;
}

}  // namespace

RC_GTEST_PROP(CustomFormatProps, RandomTocAndDataRoundTrip, ()) {
  const int minor = *rc::gen::inRange(14, 17);
  auto alg = *rc::gen::element(CompressionAlgorithm::None, CompressionAlgorithm::Gzip, CompressionAlgorithm::Lz4,
                               CompressionAlgorithm::Zstd);
  if (minor < 15 && (alg == CompressionAlgorithm::Lz4 || alg == CompressionAlgorithm::Zstd)) alg = CompressionAlgorithm::Gzip;
  const CompressionSpec spec{alg, alg == CompressionAlgorithm::Gzip ? -1 : 0, false};
  const bool seekableOut = *rc::gen::arbitrary<bool>();
  const bool seekableIn = *rc::gen::arbitrary<bool>();
  Sample s = randomSample(minor);
  std::string bytes = writeArchive(s, spec, seekableOut);
  RC_ASSERT(!bytes.empty());
  auto in = openInputMemory(bytes);
  auto r = openCustomArchive(seekableIn ? std::move(in) : nonSeekable(std::move(in)));
  RC_ASSERT(r.ok());
  RC_ASSERT((*r)->toc().entries.size() == s.toc.entries.size());
  for (size_t i = 0; i < s.toc.entries.size(); ++i) {
    const TocEntry& stored = (*r)->toc().entries[i];
    TocEntry got = stored;
    got.offsetFlag = s.toc.entries[i].offsetFlag;
    got.dataOffset = 0;
    RC_ASSERT(got == s.toc.entries[i]);
    if (!got.hadDumper) continue;
    const Payload& p = s.data.at(got.dumpId);
    if (p.blobs) {
      Lobs lobs;
      Status st = (*r)->readBlobs(stored, lobs);
      if (!st.ok()) RC_FAIL(st.error().describe());
      RC_ASSERT(lobs.lobs.size() == p.lobs.size());
      for (size_t k = 0; k < p.lobs.size(); ++k) {
        RC_ASSERT(lobs.lobs[k].oid == p.lobs[k].oid);
        RC_ASSERT(join(lobs.lobs[k].pieces) == join(p.lobs[k].pieces));
      }
    } else {
      Chunks c;
      Status st = (*r)->readTableData(stored, c);
      if (!st.ok()) RC_FAIL(st.error().describe());
      RC_ASSERT(c.joined() == join(p.pieces));
    }
  }
}

RC_GTEST_PROP(CustomFormatProps, MutatedBytesGiveErrorsNotCrashes, ()) {
  Sample s = sample(*rc::gen::inRange(14, 17));
  s.data[20].pieces.resize(50);
  auto alg = *rc::gen::element(CompressionAlgorithm::None, CompressionAlgorithm::Gzip);
  std::string bytes = writeArchive(s, {alg, alg == CompressionAlgorithm::Gzip ? -1 : 0, false}, *rc::gen::arbitrary<bool>());
  const auto flips = *rc::gen::nonEmpty(rc::gen::container<std::vector<std::pair<size_t, uint8_t>>>(
      rc::gen::pair(rc::gen::inRange<size_t>(0, bytes.size()), rc::gen::inRange<uint8_t>(1, 255))));
  for (auto [pos, x] : flips) bytes[pos] = static_cast<char>(bytes[pos] ^ x);
  auto in = openInputMemory(bytes);
  auto r = openCustomArchive(*rc::gen::arbitrary<bool>() ? std::move(in) : nonSeekable(std::move(in)));
  if (!r.ok()) return;
  for (const auto& e : (*r)->toc().entries) {
    if (!e.hadDumper) continue;
    Chunks c;
    Lobs l;
    Status st = e.descStr() == "BLOBS" ? (*r)->readBlobs(e, l) : (*r)->readTableData(e, c);
    if (!st.ok()) RC_ASSERT(!st.error().message.empty());
  }
}
