// The verify corruption suite: stock pg_dump 15 archives of a real database
// (and pgarc rewrites of them) in every format, damaged in every way the
// issue lists. verify must find each fault (exit 1, or 2 where nothing can be
// checked), name the entry when there is one, never crash, and pass every
// intact archive.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <random>

#include "format/header_toc.hpp"
#include "format/io.hpp"
#include "format/primitives.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"

using namespace pgarc;
using namespace pgarc::test;
namespace fs = std::filesystem;

namespace {

struct Archive {
  std::string name;       // label in messages
  std::string path;
  std::string kind;       // custom, directory, tar
  bool compressed;        // data streams carry their own checksums (gzip)
  bool stockReadable = true;  // archive version 1.14: pg_restore 15 reads it
};

class VerifyCorruption : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new PgServer();
    ASSERT_TRUE(server_->started()) << server_->startupError();
    dir_ = makeTempDir("pgarc-verify-corrupt-");
    server_->createDatabase("corrupt");
    auto r = server_->psql("corrupt", R"SQL(
      CREATE SCHEMA app;
      CREATE TABLE app.customers (id int PRIMARY KEY, name text, note text, balance numeric);
      INSERT INTO app.customers
        SELECT g, 'name ' || g || ' ünïcødé ✓', CASE WHEN g % 7 = 0 THEN NULL ELSE E'tab\there\nnl\\bs' END, g * 1.5
        FROM generate_series(1, 6000) g;
      CREATE TABLE "odd name" ("c d" int, "E" text);
      INSERT INTO "odd name" VALUES (1, 'x'), (2, NULL), (3, E'\\.'), (4, E'a\r\nb');
      CREATE TABLE empty (a int);
      SELECT lo_from_bytea(424242, decode(repeat('abcdef0123', 5000), 'escape'));
      SELECT lo_from_bytea(424243, '\x00ff');
    )SQL");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    auto dump = [&](const std::string& file, std::vector<std::string> extra) {
      std::vector<std::string> argv = {pgBinDir() + "/pg_dump"};
      for (const auto& a : server_->clientArgs()) argv.push_back(a);
      for (auto& a : extra) argv.push_back(a);
      argv.push_back("-f");
      argv.push_back(dir_ + "/" + file);
      argv.push_back("corrupt");
      auto d = run(argv);
      ASSERT_EQ(d.exitCode, 0) << d.err;
    };
    dump("stock.custom", {"-Fc"});
    dump("stock-z0.custom", {"-Fc", "-Z0"});
    dump("stock.dir", {"-Fd"});
    dump("stock-z0.dir", {"-Fd", "-Z0"});
    dump("stock.tar", {"-Ft"});
    // A piped custom archive has no data offsets (flag 1): blocks found by scanning.
    auto p = runShell(pgBinDir() + "/pg_dump -Fc -h " + shellQuote(server_->socketDir()) + " -p " +
                      std::to_string(server_->port()) + " -U postgres corrupt | cat > " +
                      shellQuote(dir_ + "/stock-pipe.custom"));
    ASSERT_EQ(p.exitCode, 0) << p.err;
    // pgarc's own writers, other codecs and archive versions.
    auto convert = [&](const std::string& out, std::vector<std::string> args) {
      std::vector<std::string> argv = {pgarcBinary(), "convert"};
      for (auto& a : args) argv.push_back(a);
      argv.push_back("-f");
      argv.push_back(dir_ + "/" + out);
      argv.push_back(dir_ + "/stock.custom");
      auto c = run(argv);
      ASSERT_EQ(c.exitCode, 0) << c.err;
    };
    convert("pgarc.custom", {"-F", "c"});
    convert("pgarc-lz4.custom", {"-F", "c", "-Z", "lz4"});
    convert("pgarc-zstd16.dir", {"-F", "d", "-Z", "zstd", "--archive-version=1.16"});
    convert("pgarc16.tar", {"-F", "t", "--archive-version=1.16"});
  }

  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    removeTree(dir_);
  }

  static std::vector<Archive> archives() {
    return {{"stock custom", dir_ + "/stock.custom", "custom", true},
            {"stock custom -Z0", dir_ + "/stock-z0.custom", "custom", false},
            {"stock custom piped", dir_ + "/stock-pipe.custom", "custom", true},
            {"stock directory", dir_ + "/stock.dir", "directory", true},
            {"stock directory -Z0", dir_ + "/stock-z0.dir", "directory", false},
            {"stock tar", dir_ + "/stock.tar", "tar", false},
            {"pgarc custom", dir_ + "/pgarc.custom", "custom", true},
            {"pgarc custom lz4", dir_ + "/pgarc-lz4.custom", "custom", false, false},
            {"pgarc directory zstd 1.16", dir_ + "/pgarc-zstd16.dir", "directory", false, false},
            {"pgarc tar 1.16", dir_ + "/pgarc16.tar", "tar", false, false}};
  }

  static CommandResult verify(const std::string& path, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {pgarcBinary(), "verify"};
    for (auto& a : extra) argv.push_back(a);
    argv.push_back(path);
    return run(argv);
  }

  // A copy of an archive (file or directory) under a scratch name.
  static std::string copyOf(const Archive& a, const std::string& label) {
    std::string dst = dir_ + "/work-" + label;
    removeTree(dst);
    fs::remove(dst + ".manifest.json");
    fs::copy(a.path, dst, fs::copy_options::recursive);
    return dst;
  }

  static void expectDetected(const CommandResult& r, const std::string& what, bool entryNamed) {
    ASSERT_EQ(r.signal, 0) << what << ": verify crashed\n" << r.err;
    EXPECT_TRUE(r.exitCode == 1 || r.exitCode == 2) << what << ": exit " << r.exitCode << "\n" << r.out << r.err;
    if (entryNamed && r.exitCode == 1) {
      EXPECT_NE(r.out.find(": entry "), std::string::npos) << what << ": no entry named\n" << r.out;
    }
  }

  static void flipBit(const std::string& path, uint64_t offset, int bit) {
    std::string d = readFile(path);
    ASSERT_LT(offset, d.size());
    d[offset] = static_cast<char>(d[offset] ^ (1 << bit));
    writeFile(path, d);
  }

  // Where the data blocks of a custom archive start (end of the TOC).
  static uint64_t customDataStart(const std::string& path) {
    auto in = openInputFile(path);
    EXPECT_TRUE(in.ok());
    ByteReader r(**in);
    auto h = readHeader(r, ArchiveFormat::Custom);
    EXPECT_TRUE(h.ok());
    auto t = readToc(r, *h, TocExtra::CustomOffset);
    EXPECT_TRUE(t.ok());
    return r.position();
  }

  struct TarMember {
    std::string name;
    uint64_t header, data, size;
  };
  static std::vector<TarMember> tarMembers(const std::string& path) {
    std::string d = readFile(path);
    std::vector<TarMember> out;
    for (uint64_t at = 0; at + 512 <= d.size();) {
      if (d.compare(at, 512, std::string(512, '\0')) == 0) break;
      TarMember m;
      m.name = std::string(d.c_str() + at);
      m.header = at;
      m.data = at + 512;
      m.size = std::stoull(d.substr(at + 124, 11), nullptr, 8);
      out.push_back(m);
      at = m.data + (m.size + 511) / 512 * 512;
    }
    return out;
  }

  static PgServer* server_;
  static std::string dir_;
};

PgServer* VerifyCorruption::server_ = nullptr;
std::string VerifyCorruption::dir_;

TEST_F(VerifyCorruption, IntactArchivesPass) {
  for (const auto& a : archives()) {
    auto r = verify(a.path);
    EXPECT_EQ(r.exitCode, 0) << a.name << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find("6004 rows"), std::string::npos) << a.name << "\n" << r.out;
    EXPECT_NE(r.out.find("2 large objects"), std::string::npos) << a.name << "\n" << r.out;
  }
}

TEST_F(VerifyCorruption, IntactArchivesPassWithTheirManifest) {
  for (const auto& a : archives()) {
    std::string p = copyOf(a, "manifest");
    auto w = verify(p, {"--write-manifest"});
    ASSERT_EQ(w.exitCode, 0) << a.name << w.out << w.err;
    auto r = verify(p);
    EXPECT_EQ(r.exitCode, 0) << a.name << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find("checked against manifest"), std::string::npos) << a.name << r.out;
    // Stock pg_restore 15 still reads the archive with the manifest beside or inside it.
    if (a.stockReadable) {
      auto l = run({pgBinDir() + "/pg_restore", "-l", p});
      EXPECT_EQ(l.exitCode, 0) << a.name << l.err;
    }
  }
}

TEST_F(VerifyCorruption, TruncationAtManyPointsIsDetected) {
  for (const auto& a : archives()) {
    if (a.kind == "directory") continue;
    std::string full = readFile(a.path);
    uint64_t dataStart = a.kind == "custom" ? customDataStart(a.path) : 0;
    uint64_t dataEnd = full.size();
    if (a.kind == "tar") {
      auto members = tarMembers(a.path);
      ASSERT_GE(members.size(), 3u);
      dataStart = members[1].header;
      dataEnd = members.back().header;  // restore.sql holds no entry's data
    }
    std::vector<uint64_t> cuts = {0, 1, 5, 20, 100, dataStart, dataStart + 1, full.size() - 1};
    for (int i = 1; i < 40; i++) cuts.push_back(full.size() * static_cast<uint64_t>(i) / 40);
    std::string p = dir_ + "/work-truncated";
    for (uint64_t cut : cuts) {
      writeFile(p, full.substr(0, cut));
      auto r = verify(p, {"--no-manifest"});
      bool inData = cut >= dataStart + 1 && cut < dataEnd;
      expectDetected(r, a.name + " truncated to " + std::to_string(cut) + " bytes", inData);
    }
  }
}

TEST_F(VerifyCorruption, TruncatedDirectoryFilesAreDetected) {
  for (const auto& a : archives()) {
    if (a.kind != "directory") continue;
    // An uncompressed large object has no length or checksum of its own:
    // its truncation shows only against the manifest.
    std::string base = copyOf(a, "dirtrunc-base");
    auto w = verify(base, {"--write-manifest"});
    ASSERT_EQ(w.exitCode, 0) << w.out << w.err;
    for (const auto& f : fs::directory_iterator(a.path)) {
      std::string name = f.path().filename().string();
      if (name == "toc.dat") continue;
      std::string p = dir_ + "/work-dirtrunc";
      removeTree(p);
      fs::copy(base, p, fs::copy_options::recursive);
      std::string file = p + "/" + name;
      std::string d = readFile(file);
      if (d.size() < 2) continue;
      writeFile(file, d.substr(0, d.size() / 2));
      auto r = verify(p);
      expectDetected(r, a.name + ": " + name + " cut in half", true);
    }
  }
}

TEST_F(VerifyCorruption, FlippedBitInCompressedDataIsDetected) {
  std::mt19937_64 rng(20261126);
  for (const auto& a : archives()) {
    if (!a.compressed) continue;
    std::vector<std::pair<std::string, uint64_t>> regions;  // file, data start
    std::string p = copyOf(a, "flipz");
    if (a.kind == "custom") {
      regions.push_back({p, customDataStart(p)});
    } else {
      for (const auto& f : fs::directory_iterator(p)) {
        std::string n = f.path().filename().string();
        if (n.size() > 3 && n.compare(n.size() - 3, 3, ".gz") == 0) regions.push_back({f.path().string(), 0});
      }
    }
    ASSERT_FALSE(regions.empty()) << a.name;
    for (int i = 0; i < 25; i++) {
      std::string q = copyOf(a, "flipz");
      auto [file, start] = regions[rng() % regions.size()];
      std::string target = q + file.substr(p.size());
      uint64_t size = fs::file_size(target);
      // Bytes 4-9 of a gzip file header (mtime, flags, OS) are not covered
      // by any checksum and do not change the data.
      uint64_t from = a.kind == "directory" ? 10 : start;
      uint64_t off = from + rng() % (size - from);
      int bit = static_cast<int>(rng() % 8);
      flipBit(target, off, bit);
      auto r = verify(q, {"--no-manifest"});
      expectDetected(r, a.name + ": bit " + std::to_string(bit) + " flipped at " + std::to_string(off) + " in " + target,
                     true);
    }
  }
}

TEST_F(VerifyCorruption, FlippedBitInUncompressedDataIsDetectedWithManifest) {
  std::mt19937_64 rng(42);
  for (const auto& a : archives()) {
    if (a.compressed) continue;
    std::string base = copyOf(a, "flip0-base");
    auto w = verify(base, {"--write-manifest"});
    ASSERT_EQ(w.exitCode, 0) << a.name << w.out << w.err;
    // Byte ranges holding entry data: custom data blocks, tar data members,
    // directory data files.
    std::vector<std::tuple<std::string, uint64_t, uint64_t>> ranges;  // relative file, begin, end
    if (a.kind == "custom") {
      ranges.push_back({"", customDataStart(base), fs::file_size(base)});
    } else if (a.kind == "tar") {
      for (const auto& m : tarMembers(base)) {
        if (m.name != "toc.dat" && m.name != "restore.sql" && m.name.find(".toc") == std::string::npos && m.size > 0) {
          ranges.push_back({"", m.data, m.data + m.size});
        }
      }
    } else {
      for (const auto& f : fs::directory_iterator(base)) {
        std::string n = f.path().filename().string();
        if (n != "toc.dat" && n != "manifest.json" && n != "blobs.toc" && n.rfind("blobs_", 0) != 0 &&
            f.file_size() > 0) {
          ranges.push_back({"/" + n, 0, f.file_size()});
        }
      }
    }
    ASSERT_FALSE(ranges.empty()) << a.name;
    for (int i = 0; i < 25; i++) {
      std::string q = dir_ + "/work-flip0";
      removeTree(q);
      fs::remove(q + ".manifest.json");
      fs::copy(base, q, fs::copy_options::recursive);
      if (a.kind != "directory") fs::copy_file(base + ".manifest.json", q + ".manifest.json");
      auto [rel, begin, end] = ranges[rng() % ranges.size()];
      uint64_t off = begin + rng() % (end - begin);
      int bit = static_cast<int>(rng() % 8);
      flipBit(q + rel, off, bit);
      auto r = verify(q);
      expectDetected(r, a.name + ": bit " + std::to_string(bit) + " flipped at " + std::to_string(off) + " in " + q + rel,
                     true);
    }
  }
}

TEST_F(VerifyCorruption, MissingAndExtraDirectoryFilesAreDetected) {
  for (const auto& a : archives()) {
    if (a.kind != "directory") continue;
    for (const auto& f : fs::directory_iterator(a.path)) {
      std::string name = f.path().filename().string();
      std::string p = copyOf(a, "dirmissing");
      fs::remove(p + "/" + name);
      auto r = verify(p, {"--no-manifest"});
      // Without toc.dat nothing is an entry; every other file belongs to one.
      expectDetected(r, a.name + ": " + name + " removed", name != "toc.dat");
    }
    std::string p = copyOf(a, "dirextra");
    writeFile(p + "/9999.dat", "1\n\\.\n");
    auto r = verify(p, {"--no-manifest"});
    expectDetected(r, a.name + ": extra file", false);
    EXPECT_NE(r.out.find("9999.dat: unexpected file"), std::string::npos) << r.out;
  }
}

TEST_F(VerifyCorruption, BrokenTarMemberHeadersAreDetected) {
  for (const auto& a : archives()) {
    if (a.kind != "tar") continue;
    auto members = tarMembers(a.path);
    for (const auto& m : members) {
      bool entryData = m.name != "toc.dat" && m.name != "restore.sql";
      for (uint64_t field : {0u, 124u, 148u, 257u}) {  // name, size, checksum, magic
        std::string p = copyOf(a, "tarhdr");
        flipBit(p, m.header + field + (field == 124 ? 6 : 1), 1);
        auto r = verify(p, {"--no-manifest"});
        expectDetected(r, a.name + ": header of " + m.name + " damaged at +" + std::to_string(field),
                       entryData && m.name.find(".toc") == std::string::npos);
      }
    }
  }
}

// Rewrites the TOC of a custom archive after `edit`, keeping every data
// offset pointing at the same block.
std::string rewriteCustomToc(const std::string& bytes, const std::function<void(std::vector<TocEntry>&)>& edit) {
  auto in = openInputMemory(bytes);
  ByteReader r(*in);
  auto h = readHeader(r, ArchiveFormat::Custom);
  auto t = readToc(r, *h, TocExtra::CustomOffset);
  uint64_t oldEnd = r.position();
  std::vector<TocEntry> entries = *t;
  ByteWriter probe;
  writeHeader(probe, *h);
  writeToc(probe, entries, *h, TocExtra::CustomOffset);
  edit(entries);
  ByteWriter w;
  writeHeader(w, *h);
  writeToc(w, entries, *h, TocExtra::CustomOffset);
  int64_t delta = static_cast<int64_t>(w.bytes().size()) - static_cast<int64_t>(probe.bytes().size());
  for (auto& e : entries) {
    if (e.offsetFlag == OffsetFlag::Set && e.dataOffset >= oldEnd) e.dataOffset += delta;
  }
  ByteWriter out;
  writeHeader(out, *h);
  writeToc(out, entries, *h, TocExtra::CustomOffset);
  return out.bytes() + bytes.substr(oldEnd);
}

TEST_F(VerifyCorruption, TocEntryPointingNowhereIsDetected) {
  for (const auto& a : archives()) {
    if (a.kind != "custom") continue;
    std::string bytes = readFile(a.path);
    // The rewrite itself must keep the archive sound.
    std::string p = dir_ + "/work-toc.custom";
    writeFile(p, rewriteCustomToc(bytes, [](std::vector<TocEntry>&) {}));
    auto same = verify(p, {"--no-manifest"});
    ASSERT_EQ(same.exitCode, 0) << a.name << same.out;

    writeFile(p, rewriteCustomToc(bytes, [](std::vector<TocEntry>& es) {
      for (auto& e : es) {
        if (e.desc == "TABLE DATA") {
          e.dependencies = {"99999"};
          break;
        }
      }
    }));
    auto dep = verify(p, {"--no-manifest"});
    expectDetected(dep, a.name + ": dependency on a missing entry", true);
    EXPECT_NE(dep.out.find("depends on entry 99999"), std::string::npos) << dep.out;

    if (a.name.find("piped") != std::string::npos) continue;  // no offsets to damage
    for (uint64_t bogus : {uint64_t{1} << 40, uint64_t{7}}) {
      writeFile(p, rewriteCustomToc(bytes, [&](std::vector<TocEntry>& es) {
        for (auto& e : es) {
          if (e.desc == "TABLE DATA" && e.tag == "odd name") e.dataOffset = bogus;
        }
      }));
      auto off = verify(p, {"--no-manifest"});
      expectDetected(off, a.name + ": data offset " + std::to_string(bogus), true);
      EXPECT_NE(off.out.find("(TABLE DATA odd name): TOC offset " + std::to_string(bogus)), std::string::npos)
          << off.out;
    }
  }
}

TEST_F(VerifyCorruption, DirectoryTocDependencyPointingNowhereIsDetected) {
  for (const auto& a : archives()) {
    if (a.kind != "directory") continue;
    std::string p = copyOf(a, "dirtoc");
    std::string bytes = readFile(p + "/toc.dat");
    auto in = openInputMemory(bytes);
    ByteReader r(*in);
    auto h = readHeader(r, ArchiveFormat::Tar);
    ASSERT_TRUE(h.ok());
    auto t = readToc(r, *h, TocExtra::Filename);
    ASSERT_TRUE(t.ok());
    for (auto& e : *t) {
      if (e.desc == "BLOBS") e.dependencies = {"123456"};
    }
    ByteWriter w;
    writeHeader(w, *h);
    writeToc(w, *t, *h, TocExtra::Filename);
    writeFile(p + "/toc.dat", w.bytes());
    auto res = verify(p, {"--no-manifest"});
    expectDetected(res, a.name + ": BLOBS depends on a missing entry", true);
    EXPECT_NE(res.out.find("(BLOBS"), std::string::npos) << res.out;
  }
}

TEST_F(VerifyCorruption, PgRestoreListAcceptsWhatVerifyRejects) {
  std::string full = readFile(dir_ + "/stock.custom");
  uint64_t dataStart = customDataStart(dir_ + "/stock.custom");
  std::string p = dir_ + "/work-listable.custom";
  writeFile(p, full.substr(0, dataStart + (full.size() - dataStart) * 6 / 10));
  auto list = run({pgBinDir() + "/pg_restore", "-l", p});
  EXPECT_EQ(list.exitCode, 0) << list.err;
  EXPECT_NE(list.out.find("TABLE DATA app customers"), std::string::npos);
  auto r = verify(p);
  EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("entry "), std::string::npos) << r.out;
  // And a real restore of it does fail: verify told the truth.
  auto restore = run({pgBinDir() + "/pg_restore", "-f", "/dev/null", p});
  EXPECT_NE(restore.exitCode, 0);
}

TEST_F(VerifyCorruption, RandomByteDamageNeverCrashes) {
  std::mt19937_64 rng(7);
  for (const auto& a : archives()) {
    if (a.kind == "directory") continue;
    std::string full = readFile(a.path);
    std::string p = dir_ + "/work-random";
    for (int i = 0; i < 60; i++) {
      std::string d = full;
      int n = 1 + static_cast<int>(rng() % 4);
      for (int k = 0; k < n; k++) d[rng() % d.size()] = static_cast<char>(rng());
      writeFile(p, d);
      auto r = verify(p, {"--no-manifest"});
      ASSERT_EQ(r.signal, 0) << a.name << " mutation " << i << " crashed verify\n" << r.err;
      EXPECT_TRUE(r.exitCode >= 0 && r.exitCode <= 2) << a.name << r.out << r.err;
    }
  }
}

TEST_F(VerifyCorruption, JsonReportNamesTheEntry) {
  std::string full = readFile(dir_ + "/stock.custom");
  std::string p = dir_ + "/work-json.custom";
  writeFile(p, full.substr(0, full.size() - 3));
  auto r = verify(p, {"--json", "--no-manifest"});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.out.find("\"ok\": false"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"dump_id\": "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"desc\": \"BLOBS\""), std::string::npos) << r.out;
}

TEST_F(VerifyCorruption, CannotCheckExitsTwo) {
  auto missing = verify(dir_ + "/does-not-exist.dump");
  EXPECT_EQ(missing.exitCode, 2) << missing.out << missing.err;
  std::string p = dir_ + "/work-text.sql";
  writeFile(p, "SELECT 1;\n");
  auto text = verify(p);
  EXPECT_EQ(text.exitCode, 2) << text.out << text.err;
}

}  // namespace
