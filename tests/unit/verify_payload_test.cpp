// Unit tests of verify's building blocks: SHA-256 and CRC-32C, the COPY text
// checker, the COPY column-list parser, JSON and the manifest round trip.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <set>

#include "verify/json.hpp"
#include "verify/manifest.hpp"
#include "verify/payload_checker.hpp"
#include "verify/checksum.hpp"
#include "verify/crc32c.hpp"
#include "verify/sha256.hpp"

using namespace pgarc;
using namespace std::string_literals;

namespace {

std::string sha(std::string_view s, bool hw) {
  Sha256 h(hw);
  h.update(s);
  return h.hexDigest();
}

std::string sum(ChecksumAlgorithm a, std::string_view s) {
  Checksum c(a);
  c.update(s);
  return c.hexDigest();
}

uint32_t crc(std::string_view s, bool hw) {
  Crc32c c(hw);
  c.update(s);
  return c.value();
}

struct Fault {
  std::string what;
  uint64_t offset;
};

std::vector<Fault> checkCopy(std::string_view payload, std::optional<size_t> columns, bool utf8 = true,
                             size_t pieceSize = 0) {
  std::vector<Fault> faults;
  CopyTextChecker c(columns, utf8, [&](std::string what, uint64_t off) { faults.push_back({std::move(what), off}); });
  if (pieceSize == 0) {
    c.feed(payload);
  } else {
    for (size_t i = 0; i < payload.size(); i += pieceSize) c.feed(payload.substr(i, pieceSize));
  }
  c.finish();
  return faults;
}

}  // namespace

TEST(VerifySha256, Fips180Vectors) {
  for (bool hw : {false, true}) {
    EXPECT_EQ(sha("", hw), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha("abc", hw), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", hw),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha(std::string(1000000, 'a'), hw), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }
}

TEST(VerifySha256, PiecewiseEqualsOneShot) {
  EXPECT_TRUE(rc::check("any split of the input gives the same digest", [](const std::string& data, size_t cut) {
    for (bool hw : {false, true}) {
      Sha256 h(hw);
      size_t at = data.empty() ? 0 : cut % (data.size() + 1);
      h.update(std::string_view(data).substr(0, at));
      h.update(std::string_view(data).substr(at));
      RC_ASSERT(h.hexDigest() == sha(data, false));
    }
  }));
}

TEST(VerifyCopyColumns, ParsesQuotedAndEmptyLists) {
  EXPECT_EQ(copyColumnCount("COPY app.customers (id, name, note, balance) FROM stdin;\n"), 4u);
  EXPECT_EQ(copyColumnCount("COPY public.\"odd name\" (\"c d\", \"E\") FROM stdin;\n"), 2u);
  EXPECT_EQ(copyColumnCount("COPY public.\"a \"\"(,)\"\" b\" (\"x, y\", z) FROM stdin;\n"), 2u);
  EXPECT_EQ(copyColumnCount("COPY public.allgone  FROM stdin;\n"), 0u);
  EXPECT_FALSE(copyColumnCount("INSERT INTO t VALUES (1);").has_value());
  EXPECT_FALSE(copyColumnCount("COPY t (a, b FROM stdin;").has_value());
}

TEST(VerifyCopyText, AcceptsPgDumpOutput) {
  std::string payload = "1\tplain\t\\N\t1.50\n2\ttab\\there\\\\bs\t\xc3\xbc\t2\n\\.\n\n\n";
  EXPECT_TRUE(checkCopy(payload, 4).empty());
  EXPECT_TRUE(checkCopy(payload, 4, true, 1).empty());
  EXPECT_TRUE(checkCopy("\\.\n\n\n", 3).empty());
  EXPECT_TRUE(checkCopy("\n\n\\.\n\n\n", 0).empty());  // all columns dropped: empty rows
}

TEST(VerifyCopyText, FindsEachKindOfFault) {
  auto one = [](std::string_view payload, size_t cols, const std::string& needle) {
    auto f = checkCopy(payload, cols);
    ASSERT_FALSE(f.empty()) << payload;
    bool found = false;
    for (const auto& x : f) found |= x.what.find(needle) != std::string::npos;
    EXPECT_TRUE(found) << "expected \"" << needle << "\" for payload " << payload << ", got " << f[0].what;
  };
  one("1\t2\n\\.\n", 3, "has 2 fields, expected 3");
  one("1\t2\t3\t4\n\\.\n", 3, "has 4 fields");
  one("1\\q\n\\.\n", 1, "invalid escape \\q");
  one("1\\\n\\.\n", 1, "backslash at the end of a line");
  one("a\\Nb\n\\.\n", 1, "\\N in the middle");
  one("\\Nx\n\\.\n", 1, "\\N followed by more data");
  one("1\r\n\\.\n", 1, "carriage return");
  one("1\n", 1, "without the end-of-data marker");
  one("1\n2", 1, "ends inside row 2");
  one("1\n\\.\nx", 1, "data after the end-of-data marker");
  one("1\n\\.x\n", 1, "followed by 'x'");
  one("\xc3\n\\.\n", 1, "invalid UTF8");
  one("\xff\n\\.\n", 1, "invalid UTF8");
  one("\xed\xa0\x80\n\\.\n", 1, "invalid UTF8");  // surrogate
  one("a\0b\n\\.\n"s, 1, "NUL byte");
  EXPECT_TRUE(checkCopy("\xff\n\\.\n", 1, /*utf8=*/false).empty());
}

TEST(VerifyCopyText, SplitPointsDoNotChangeTheVerdict) {
  EXPECT_TRUE(rc::check("feeding in pieces finds the same faults", [](const std::vector<std::string>& cells, size_t piece) {
    std::string payload;
    for (const auto& c : cells) payload += c + (c.size() % 3 == 0 ? "\n" : "\t");
    payload += "\\.\n\n\n";
    // Encoding and structure faults may interleave differently; compare as sets.
    auto key = [](const std::vector<Fault>& f) {
      std::multiset<std::pair<uint64_t, std::string>> k;
      for (const auto& x : f) k.insert({x.offset, x.what});
      return k;
    };
    auto whole = checkCopy(payload, std::nullopt);
    auto split = checkCopy(payload, std::nullopt, true, piece % 7 + 1);
    RC_ASSERT(key(whole) == key(split));
  }));
}

TEST(VerifyPayload, RowsChecksumExcludesTheTerminator) {
  TocEntry e;
  e.dumpId = 7;
  e.desc = "TABLE DATA";
  e.copyStmt = "COPY t (a) FROM stdin;\n";
  std::string rows = "1\n\\\\x\n3\n";
  std::string payload = rows + "\\.\n\n\n";
  for (auto algorithm : {ChecksumAlgorithm::Sha256, ChecksumAlgorithm::Crc32c}) {
    for (size_t piece : {1, 2, 3, 100}) {
      Report report;
      PayloadChecker c(e, PayloadOptions{TextEncoding::Utf8, algorithm}, report, "f");
      for (size_t i = 0; i < payload.size(); i += piece)
        ASSERT_TRUE(c.write(std::string_view(payload).substr(i, piece)).ok());
      EntryOutcome o = c.finish(true);
      EXPECT_TRUE(report.clean());
      EXPECT_EQ(o.rows, 3u);
      EXPECT_EQ(o.checksum, sum(algorithm, payload));
      EXPECT_EQ(o.rowsChecksum, sum(algorithm, rows)) << "piece " << piece;
    }
  }
  Report report;
  PayloadChecker none(e, PayloadOptions{TextEncoding::Utf8, ChecksumAlgorithm::None}, report, "f");
  ASSERT_TRUE(none.write(payload).ok());
  EntryOutcome o = none.finish(true);
  EXPECT_EQ(o.rows, 3u);
  EXPECT_TRUE(o.checksum.empty());
  EXPECT_TRUE(o.rowsChecksum.empty());
}

// One hash serves the payload and its rows: the payload digest covers every
// byte, whatever was held back as a possible marker line or follows the marker.
TEST(VerifyPayload, PayloadHashCoversHeldBackAndTrailingBytes) {
  TocEntry e;
  e.dumpId = 7;
  e.desc = "TABLE DATA";
  e.copyStmt = "COPY t (a) FROM stdin;\n";
  const std::string rows = "1\n\\x\n3\n";
  struct Case {
    std::string payload;
    bool clean;
    std::optional<std::string> rowsHashed;
  };
  const Case cases[] = {
      {rows + "\\", false, rows},                       // cut inside what may be the marker
      {rows + "\\.", false, rows},                      // cut inside the marker itself
      {rows + "4", false, rows + "4"},                   // cut inside a row
      {rows + "\\.\n\n\nextra\n", true, rows},          // bytes after the marker
      {rows, true, std::nullopt},                        // clean end without a marker: no rows digest
  };
  for (const Case& c : cases) {
    for (size_t piece : {1, 2, 5, 100}) {
      Report report;
      PayloadChecker checker(e, PayloadOptions{TextEncoding::Utf8, ChecksumAlgorithm::Sha256}, report, "f");
      for (size_t i = 0; i < c.payload.size(); i += piece)
        ASSERT_TRUE(checker.write(std::string_view(c.payload).substr(i, piece)).ok());
      EntryOutcome o = checker.finish(c.clean);
      EXPECT_EQ(o.checksum, Sha256::hex(c.payload)) << c.payload << " piece " << piece;
      if (c.rowsHashed)
        EXPECT_EQ(o.rowsChecksum, Sha256::hex(*c.rowsHashed)) << c.payload << " piece " << piece;
      else
        EXPECT_TRUE(o.rowsChecksum.empty()) << c.payload;
    }
  }
}

TEST(VerifyJson, ParsesAndQuotes) {
  auto v = json::parse(R"({"a": [1, 18446744073709551615, "x\n\u00fc"], "b": null, "c": true})");
  ASSERT_TRUE(v.ok()) << v.error().describe();
  EXPECT_EQ(v->find("a")->array[1].asUint(), 18446744073709551615ull);
  EXPECT_EQ(v->find("a")->array[2].string, "x\n\xc3\xbc");
  EXPECT_FALSE(json::parse("{\"a\": }").ok());
  EXPECT_FALSE(json::parse(std::string(100, '[')).ok());  // depth limit
  EXPECT_EQ(json::quote("a\"\\\x01\xff"), "\"a\\\"\\\\\\u0001\\u00ff\"");
}

Manifest sampleManifest(ChecksumAlgorithm algorithm) {
  const size_t n = checksumHexLength(algorithm);
  Manifest m;
  m.format = "custom";
  m.checksum = algorithm;
  m.files.push_back({"x.dump", 10, std::string(n, 'a')});
  ManifestEntry e;
  e.dumpId = 3353;
  e.desc = "TABLE DATA";
  e.namespace_ = "app";
  e.tag = "odd \"name\"";
  e.bytes = 99;
  e.checksum = std::string(n, 'b');
  e.rows = 5;
  e.rowsChecksum = std::string(n, 'c');
  m.entries.push_back(e);
  m.largeObjects.push_back({4000000000u, 3, std::string(n, 'd')});
  return m;
}

TEST(VerifyManifest, JsonRoundTrip) {
  for (auto algorithm : {ChecksumAlgorithm::Crc32c, ChecksumAlgorithm::Sha256, ChecksumAlgorithm::None}) {
    Manifest m = sampleManifest(algorithm);
    std::string json = manifestToJson(m);
    auto back = parseManifest(json);
    ASSERT_TRUE(back.ok()) << back.error().describe();
    EXPECT_EQ(back->checksum, algorithm);
    EXPECT_EQ(back->entries.at(0).tag, m.entries[0].tag);
    EXPECT_EQ(back->entries.at(0).rows, 5u);
    EXPECT_EQ(back->entries.at(0).rowsChecksum, m.entries[0].rowsChecksum);
    EXPECT_EQ(back->largeObjects.at(0).oid, 4000000000u);
    EXPECT_EQ(manifestToJson(*back), json);
    EXPECT_EQ(json.find("\"checksum\"") == std::string::npos, algorithm == ChecksumAlgorithm::None) << json;
  }
  EXPECT_FALSE(parseManifest(R"({"pgarc_manifest": 3, "format": "x", "files": [], "entries": [], "large_objects": []})").ok());
  EXPECT_FALSE(parseManifest(R"({"pgarc_manifest": 2, "format": "x", "files": [], "entries": [], "large_objects": []})").ok());
  EXPECT_FALSE(parseManifest(R"({"pgarc_manifest": 2, "format": "x", "checksum_algorithm": "MD5", "files": [], "entries": [], "large_objects": []})").ok());
}

// A checksum of the wrong length for the manifest's algorithm is refused.
TEST(VerifyManifest, ChecksumLengthFollowsTheAlgorithm) {
  Manifest m = sampleManifest(ChecksumAlgorithm::Crc32c);
  m.entries[0].checksum = std::string(64, 'b');
  auto parsed = parseManifest(manifestToJson(m));
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("CRC32C"), std::string::npos) << parsed.error().message;
}

// Manifests written before checksums were selectable (version 1: SHA-256
// under the keys "sha256" and "rows_sha256") are still read.
TEST(VerifyManifest, ReadsVersionOne) {
  const std::string a(64, 'a'), b(64, 'b'), c(64, 'c'), d(64, 'd');
  std::string json = R"({"pgarc_manifest": 1, "format": "custom",
    "files": [{"path": "x.dump", "size": 10, "sha256": ")" + a + R"("}],
    "entries": [{"dump_id": 3, "desc": "TABLE DATA", "namespace": "s", "tag": "t", "bytes": 9,
                 "sha256": ")" + b + R"(", "rows": 2, "rows_sha256": ")" + c + R"("}],
    "large_objects": [{"oid": 42, "bytes": 3, "sha256": ")" + d + R"("}]})";
  auto m = parseManifest(json);
  ASSERT_TRUE(m.ok()) << m.error().describe();
  EXPECT_EQ(m->checksum, ChecksumAlgorithm::Sha256);
  EXPECT_EQ(m->files.at(0).checksum, a);
  EXPECT_EQ(m->entries.at(0).checksum, b);
  EXPECT_EQ(m->entries.at(0).rowsChecksum, c);
  EXPECT_EQ(m->largeObjects.at(0).checksum, d);
}

TEST(VerifyCrc32c, KnownValues) {
  for (bool hw : {false, true}) {
    EXPECT_EQ(crc("", hw), 0u);
    EXPECT_EQ(crc("123456789", hw), 0xe3069283u) << hw;  // the CRC-32C check value
    EXPECT_EQ(crc(std::string(32, '\0'), hw), 0x8a9136aau) << hw;  // RFC 3720 B.4
    EXPECT_EQ(crc(std::string(32, '\xff'), hw), 0x62a8ab43u) << hw;
  }
  EXPECT_EQ(sum(ChecksumAlgorithm::Crc32c, "123456789"), "e3069283");
  EXPECT_EQ(sum(ChecksumAlgorithm::None, "123456789"), "");
}

TEST(VerifyCrc32c, PiecewiseAndPortableEqualOneShot) {
  EXPECT_TRUE(rc::check("any split, either code path, gives the one-shot CRC", [] {
    const std::string data = *rc::gen::container<std::string>(rc::gen::arbitrary<char>());
    const auto cuts = *rc::gen::container<std::vector<size_t>>(rc::gen::inRange<size_t>(0, data.size() + 1));
    const bool hw = *rc::gen::arbitrary<bool>();
    std::set<size_t> at(cuts.begin(), cuts.end());
    at.insert(data.size());
    Crc32c c(hw);
    size_t from = 0;
    for (size_t to : at) {
      c.update(std::string_view(data).substr(from, to - from));
      from = to;
    }
    RC_ASSERT(c.value() == crc(data, false));
    RC_ASSERT(c.value() == crc(data, true));
  }));
}

// Long pieces take the three-chain path, whose block joins must give what
// the byte-at-a-time portable code gives, at any alignment and length.
TEST(VerifyCrc32c, LongPiecesEqualPortable) {
  std::string data(60000, '\0');
  uint32_t x = 12345;
  for (char& c : data) c = static_cast<char>((x = x * 1103515245u + 12345u) >> 23);
  for (size_t from : {0, 1, 7}) {
    for (size_t len : {6143, 6144, 6145, 12288, 20000, 59990}) {
      std::string_view piece = std::string_view(data).substr(from, len);
      EXPECT_EQ(crc(piece, true), crc(piece, false)) << from << " " << len;
      Crc32c split(true);
      split.update(piece.substr(0, len / 3));
      split.update(piece.substr(len / 3));
      EXPECT_EQ(split.value(), crc(piece, false)) << from << " " << len;
    }
  }
}

// A copy taken mid-stream carries the state: it gives the checksum of the
// bytes up to there, and the original goes on undisturbed.
TEST(VerifyChecksum, CopiesCarryTheState) {
  for (auto algorithm : {ChecksumAlgorithm::Crc32c, ChecksumAlgorithm::Sha256}) {
    Checksum running(algorithm);
    running.update("first half,");
    Checksum snapshot = running;
    running.update(" second half");
    EXPECT_EQ(snapshot.hexDigest(), sum(algorithm, "first half,"));
    EXPECT_EQ(running.hexDigest(), sum(algorithm, "first half, second half"));
  }
}

TEST(VerifyChecksum, AlgorithmNames) {
  EXPECT_EQ(parseChecksumAlgorithm("crc32c"), ChecksumAlgorithm::Crc32c);
  EXPECT_EQ(parseChecksumAlgorithm("SHA256"), ChecksumAlgorithm::Sha256);
  EXPECT_EQ(parseChecksumAlgorithm("None"), ChecksumAlgorithm::None);
  EXPECT_FALSE(parseChecksumAlgorithm("sha-256"));
  EXPECT_FALSE(parseChecksumAlgorithm(""));
}
