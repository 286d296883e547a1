// The manifest `pgarc dump` writes: beside custom and tar archives, inside
// directory archives, equal to the one verify computes from the finished
// archive; verify finds it and passes; a flipped bit in uncompressed table
// data that keeps the COPY text well formed is caught only through it;
// --no-manifest and stdout write none; stock pg_restore reads a directory
// archive with manifest.json inside exactly as without it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "tests/support/pg_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/text_compare.hpp"

using namespace pgarc::test;
namespace fs = std::filesystem;

namespace {

class VerifyDumpManifest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new PgServer();
    ASSERT_TRUE(server_->started()) << server_->startupError();
    dir_ = makeTempDir("pgarc-dump-manifest-");
    server_->createDatabase("src");
    auto r = server_->psql("src", R"SQL(
      CREATE SCHEMA app;
      CREATE TABLE app.items (id int PRIMARY KEY, label text, price numeric, raw bytea);
      INSERT INTO app.items SELECT g, 'ünïcødé marker' || g || E'\t\\', g / 3.0, decode(md5(g::text), 'hex')
        FROM generate_series(1, 3000) g;
      CREATE TABLE evens (a int CHECK (a % 2 = 0));
      INSERT INTO evens SELECT g * 2 FROM generate_series(1, 50) g;
      CREATE TABLE empty_one (x text);
      SELECT lo_from_bytea(777, 'large object');
    )SQL");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    for (auto [file, fmt] : {std::pair{"a.custom", "-Fc"}, {"a.dir", "-Fd"}, {"a.tar", "-Ft"}, {"z0.custom", "-Fc"},
                             {"z0.dir", "-Fd"}}) {
      std::vector<std::string> extra;
      if (std::string(file).rfind("z0", 0) == 0) extra.push_back("-Z0");
      auto d = dump(fmt, dir_ + "/" + file, extra);
      ASSERT_EQ(d.exitCode, 0) << file << ": " << d.err;
    }
  }
  static void TearDownTestSuite() {
    delete server_;
    removeTree(dir_);
  }

  static CommandResult dump(const std::string& fmt, const std::string& file, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {pgarcBinary(), "dump", fmt};
    argv.insert(argv.end(), extra.begin(), extra.end());
    for (const auto& a : server_->clientArgs()) argv.push_back(a);
    if (!file.empty()) argv.insert(argv.end(), {"-f", file});
    argv.push_back("src");
    return run(argv);
  }
  static CommandResult verify(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {pgarcBinary(), "verify", "--no-progress"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv);
  }
  static std::string manifestOf(const std::string& archive) {
    return fs::is_directory(archive) ? archive + "/manifest.json" : archive + ".manifest.json";
  }
  static std::vector<std::string> listing(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  // Manifests put one file, entry or large object per line; the directory
  // member order differs (dump lists names sorted, verify in reading order).
  static std::vector<std::string> sortedLines(const std::string& text) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
      size_t nl = text.find('\n', start);
      if (nl == std::string::npos) nl = text.size();
      std::string line = text.substr(start, nl - start);
      if (!line.empty() && line.back() == ',') line.pop_back();
      lines.push_back(line);
      start = nl + 1;
    }
    std::sort(lines.begin(), lines.end());
    return lines;
  }
  static void flipByteOf(const std::string& path, const std::string& needle, char replacement) {
    std::string bytes = readFile(path);
    size_t at = bytes.find(needle);
    ASSERT_NE(at, std::string::npos) << needle << " not found in " << path;
    ASSERT_EQ(bytes.find(needle, at + 1), std::string::npos) << needle << " occurs twice in " << path;
    size_t digit = at + needle.size() - 1;
    ASSERT_NE(bytes[digit], replacement);
    bytes[digit] = replacement;
    writeFile(path, bytes);
  }

  static PgServer* server_;
  static std::string dir_;
};

PgServer* VerifyDumpManifest::server_ = nullptr;
std::string VerifyDumpManifest::dir_;

TEST_F(VerifyDumpManifest, WrittenBesideOrInsideAndNothingElseLeftBehind) {
  for (const char* f : {"a.custom", "a.tar", "z0.custom"}) {
    EXPECT_TRUE(fs::is_regular_file(dir_ + "/" + f + ".manifest.json")) << f;
  }
  for (const char* f : {"a.dir", "z0.dir"}) EXPECT_TRUE(fs::is_regular_file(dir_ + "/" + f + "/manifest.json")) << f;
  for (const auto& name : listing(dir_)) EXPECT_EQ(name.find(".tmp"), std::string::npos) << name;
  for (const auto& name : listing(dir_ + "/a.dir")) EXPECT_EQ(name.find(".tmp"), std::string::npos) << name;
  std::string m = readFile(dir_ + "/a.custom.manifest.json");
  EXPECT_NE(m.find("\"pgarc_manifest\": 2"), std::string::npos) << m;
  EXPECT_NE(m.find("\"checksum_algorithm\": \"CRC32C\""), std::string::npos) << m;
  EXPECT_NE(m.find("\"format\": \"custom\""), std::string::npos) << m;
  EXPECT_NE(m.find("\"tag\": \"items\", \"bytes\""), std::string::npos) << m;
  EXPECT_NE(m.find("\"rows\": 3000"), std::string::npos) << m;
  EXPECT_NE(m.find("\"rows\": 50"), std::string::npos) << m;
  EXPECT_NE(m.find("\"rows\": 0"), std::string::npos) << m;
  EXPECT_NE(m.find("\"oid\": 777"), std::string::npos) << m;
}

// What dump recorded while streaming equals what verify computes by reading
// the finished archive (same JSON writer, so byte for byte).
TEST_F(VerifyDumpManifest, EqualsTheManifestVerifyComputesFromTheArchive) {
  for (const char* f : {"a.custom", "a.dir", "a.tar", "z0.custom", "z0.dir"}) {
    std::string archive = dir_ + "/" + f;
    std::string scanned = dir_ + "/scanned-" + f + ".json";
    auto r = verify({"--no-manifest", "--write-manifest=" + scanned, archive});
    ASSERT_EQ(r.exitCode, 0) << f << "\n" << r.out << r.err;
    EXPECT_EQ(sortedLines(readFile(manifestOf(archive))), sortedLines(readFile(scanned))) << f;
    fs::remove(scanned);
  }
}

TEST_F(VerifyDumpManifest, VerifyFindsTheManifestAndPasses) {
  for (const char* f : {"a.custom", "a.dir", "a.tar", "z0.custom", "z0.dir"}) {
    std::string archive = dir_ + "/" + f;
    auto r = verify({archive});
    EXPECT_EQ(r.exitCode, 0) << f << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find("checked against manifest " + manifestOf(archive)), std::string::npos) << f << "\n" << r.out;
  }
}

TEST_F(VerifyDumpManifest, FlippedBitInUncompressedDataCaughtThroughTheManifest) {
  // '7' -> '6' flips one bit and keeps the row well formed: only a checksum can tell.
  std::string custom = dir_ + "/flip.custom";
  fs::copy_file(dir_ + "/z0.custom", custom, fs::copy_options::overwrite_existing);
  flipByteOf(custom, "marker2717", '6');
  auto without = verify({"--no-manifest", custom});
  EXPECT_EQ(without.exitCode, 0) << "the flip should leave the COPY text valid\n" << without.out;
  fs::copy_file(dir_ + "/z0.custom.manifest.json", custom + ".manifest.json", fs::copy_options::overwrite_existing);
  auto with = verify({custom});
  EXPECT_EQ(with.exitCode, 1) << with.out << with.err;
  EXPECT_NE(with.out.find("items"), std::string::npos) << with.out;
  EXPECT_NE(with.out.find("payload CRC32C mismatch"), std::string::npos) << with.out;

  std::string dir = dir_ + "/flip.dir";
  fs::copy(dir_ + "/z0.dir", dir, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  bool flipped = false;
  for (const auto& name : listing(dir)) {
    if (name.size() > 4 && name.substr(name.size() - 4) == ".dat" && readFile(dir + "/" + name).find("marker2717") !=
                                                                              std::string::npos) {
      flipByteOf(dir + "/" + name, "marker2717", '6');
      flipped = true;
    }
  }
  ASSERT_TRUE(flipped);
  auto dirResult = verify({dir});
  EXPECT_EQ(dirResult.exitCode, 1) << dirResult.out << dirResult.err;
  EXPECT_NE(dirResult.out.find("items"), std::string::npos) << dirResult.out;
  removeTree(dir);
  fs::remove(custom);
  fs::remove(custom + ".manifest.json");
}

// --manifest-checksums picks the algorithm (pg_basebackup's names); verify
// sums with the manifest's own algorithm and writes the one asked for.
TEST_F(VerifyDumpManifest, ChecksumAlgorithmsChosenAndFollowed) {
  const std::string custom = dir_ + "/alg.custom";
  for (const char* algorithm : {"SHA256", "sha256", "NONE", "crc32c"}) {
    SCOPED_TRACE(algorithm);
    ASSERT_EQ(dump("-Fc", custom, {"-Z0", std::string("--manifest-checksums=") + algorithm}).exitCode, 0);
    std::string upper(algorithm);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string m = readFile(custom + ".manifest.json");
    EXPECT_NE(m.find("\"checksum_algorithm\": \"" + upper + "\""), std::string::npos) << m;
    EXPECT_EQ(m.find("\"checksum\"") == std::string::npos, upper == "NONE") << m;
    auto r = verify({custom});
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("checked against manifest"), std::string::npos) << r.out;
    std::string scanned = dir_ + "/scanned-alg.json";
    r = verify({"--no-manifest", "--manifest-checksums=" + upper, "--write-manifest=" + scanned, custom});
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_EQ(sortedLines(m), sortedLines(readFile(scanned)));
    fs::remove(scanned);
    // A changed byte: caught by either checksum, not by sizes alone.
    const std::string saved = readFile(custom);
    flipByteOf(custom, "marker2717", '6');
    r = verify({custom});
    EXPECT_EQ(r.exitCode, upper == "NONE" ? 0 : 1) << r.out << r.err;
    if (upper == "SHA256") {
      EXPECT_NE(r.out.find("payload SHA256 mismatch"), std::string::npos) << r.out;
    }
    writeFile(custom, saved);
    // Asking verify for another algorithm than the manifest's is refused.
    if (upper == "SHA256") {
      r = verify({"--manifest-checksums=CRC32C", "--write-manifest=" + scanned, custom});
      EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
      EXPECT_NE(r.err.find("manifest's checksums are SHA256"), std::string::npos) << r.err;
      EXPECT_FALSE(fs::exists(scanned));
    }
  }
  // A manifest without checksums still catches a truncated payload by its size.
  ASSERT_EQ(dump("-Fd", dir_ + "/alg.dir", {"-Z0", "--manifest-checksums=none"}).exitCode, 0);
  for (const auto& name : listing(dir_ + "/alg.dir")) {
    std::string path = dir_ + "/alg.dir/" + name;
    std::string data = readFile(path);
    if (data.find("marker2717") == std::string::npos) continue;
    fs::resize_file(path, data.size() - 10);
  }
  auto r = verify({dir_ + "/alg.dir"});
  EXPECT_EQ(r.exitCode, 1) << r.out;
  EXPECT_NE(r.out.find("manifest says"), std::string::npos) << r.out;
  EXPECT_NE(dump("-Fc", custom, {"--manifest-checksums=md5"}).exitCode, 0);
  EXPECT_NE(dump("-Fc", custom, {"--no-manifest", "--manifest-checksums=sha256"}).exitCode, 0);
  EXPECT_NE(dump("-Fp", dir_ + "/alg.sql", {"--manifest-checksums=sha256"}).exitCode, 0);
  EXPECT_NE(verify({"--manifest-checksums=md5", custom}).exitCode, 0);
  fs::remove(custom);
  fs::remove(custom + ".manifest.json");
  removeTree(dir_ + "/alg.dir");
}

TEST_F(VerifyDumpManifest, NoManifestWritesNone) {
  std::string custom = dir_ + "/none.custom", dir = dir_ + "/none.dir";
  ASSERT_EQ(dump("-Fc", custom, {"--no-manifest"}).exitCode, 0);
  ASSERT_EQ(dump("-Fd", dir, {"--no-manifest"}).exitCode, 0);
  EXPECT_TRUE(fs::exists(custom));
  EXPECT_FALSE(fs::exists(custom + ".manifest.json"));
  EXPECT_TRUE(fs::exists(dir + "/toc.dat"));
  EXPECT_FALSE(fs::exists(dir + "/manifest.json"));
  auto r = verify({custom});
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_EQ(r.out.find("checked against manifest"), std::string::npos) << r.out;
  EXPECT_NE(dump("-Fc", dir_ + "/both.custom", {"--no-manifest", "--manifest=" + dir_ + "/x.json"}).exitCode, 0);
  EXPECT_NE(dump("-Fp", dir_ + "/plain.sql", {"--manifest=" + dir_ + "/p.json"}).exitCode, 0);
  fs::remove(custom);
  removeTree(dir);
}

TEST_F(VerifyDumpManifest, StdoutOnlyWhenAsked) {
  auto before = listing(dir_);
  auto plain = dump("-Fc", "");
  ASSERT_EQ(plain.exitCode, 0) << plain.err;
  EXPECT_EQ(listing(dir_), before) << "a manifest was written for stdout output";
  for (const char* fmt : {"-Fc", "-Ft"}) {
    std::string manifest = dir_ + "/stdout.manifest.json";
    auto asked = dump(fmt, "", {"--manifest=" + manifest});
    ASSERT_EQ(asked.exitCode, 0) << asked.err;
    ASSERT_TRUE(fs::exists(manifest)) << fmt;
    std::string archive = dir_ + "/from-stdout.archive";
    writeFile(archive, asked.out);
    auto r = verify({"--manifest", manifest, archive});
    EXPECT_EQ(r.exitCode, 0) << fmt << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find("checked against manifest"), std::string::npos) << r.out;
    fs::remove(archive);
    fs::remove(manifest);
  }
}

TEST_F(VerifyDumpManifest, ParallelDumpsRecordTheSameManifest) {
  for (auto [file, fmt] : {std::pair{"j2.dir", "-Fd"}, {"j2.custom", "-Fc"}}) {
    std::string archive = dir_ + "/" + file;
    auto d = dump(fmt, archive, {"-j2"});
    ASSERT_EQ(d.exitCode, 0) << file << ": " << d.err;
    std::string scanned = dir_ + "/scanned-j2.json";
    auto r = verify({"--no-manifest", "--write-manifest=" + scanned, archive});
    ASSERT_EQ(r.exitCode, 0) << file << "\n" << r.out << r.err;
    EXPECT_EQ(sortedLines(readFile(manifestOf(archive))), sortedLines(readFile(scanned))) << file;
    fs::remove(scanned);
    auto v = verify({archive});
    EXPECT_EQ(v.exitCode, 0) << file << "\n" << v.out;
    if (fs::is_directory(archive)) removeTree(archive);
    else fs::remove(archive), fs::remove(archive + ".manifest.json");
  }
}

TEST_F(VerifyDumpManifest, StockPgRestoreIgnoresManifestInsideDirectory) {
  std::string dir = dir_ + "/a.dir";
  ASSERT_TRUE(fs::exists(dir + "/manifest.json"));
  // pg_restore 15.14+ brackets the script with a random \restrict key.
  auto script = [](std::string text) {
    std::string out;
    size_t start = 0;
    while (start < text.size()) {
      size_t nl = text.find('\n', start);
      if (nl == std::string::npos) nl = text.size();
      std::string line = text.substr(start, nl - start);
      if (line.rfind("\\restrict ", 0) != 0 && line.rfind("\\unrestrict ", 0) != 0) out += line + "\n";
      start = nl + 1;
    }
    return out;
  };
  auto with = run({pgBinDir() + "/pg_restore", "-f", "-", dir});
  ASSERT_EQ(with.exitCode, 0) << with.err;
  EXPECT_TRUE(sameText(with.err, ""));
  std::string copy = dir_ + "/no-manifest-copy.dir";
  fs::copy(dir, copy, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  fs::remove(copy + "/manifest.json");
  auto without = run({pgBinDir() + "/pg_restore", "-f", "-", copy});
  ASSERT_EQ(without.exitCode, 0) << without.err;
  EXPECT_TRUE(sameText(script(with.out), script(without.out)));
  EXPECT_NE(script(with.out).find("COPY app.items"), std::string::npos);
  removeTree(copy);

  server_->createDatabase("restored");
  std::vector<std::string> argv = {pgBinDir() + "/pg_restore", "--exit-on-error"};
  for (const auto& a : server_->clientArgs()) argv.push_back(a);
  argv.insert(argv.end(), {"-d", "restored", dir});
  auto r = run(argv);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto q = server_->psql("restored", "SELECT count(*), sum(length(label)) FROM app.items;");
  auto s = server_->psql("src", "SELECT count(*), sum(length(label)) FROM app.items;");
  EXPECT_NE(q.out.find("3000"), std::string::npos) << q.out;
  EXPECT_TRUE(sameText(q.out, s.out));
  server_->psql("postgres", "DROP DATABASE restored;");
}

TEST_F(VerifyDumpManifest, RestoreCheckPassesOnTheDump) {
  for (const char* f : {"a.custom", "a.dir", "a.tar"}) {
    std::vector<std::string> args = {"--restore-check"};
    for (const auto& a : server_->clientArgs()) args.push_back(a);
    args.push_back(dir_ + "/" + f);
    auto r = verify(args);
    EXPECT_EQ(r.exitCode, 0) << f << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find("checked against manifest"), std::string::npos) << f << "\n" << r.out;
    EXPECT_NE(r.out.find("3 of 3 tables match"), std::string::npos) << f << "\n" << r.out;
  }
}

}  // namespace
