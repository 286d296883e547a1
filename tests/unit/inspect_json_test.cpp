// `pgarc inspect --json`: the string escaper and the TOC document. A small
// strict JSON parser below (RFC 8259 grammar, UTF-8 checked) reads the output
// back, so the tests prove the output is JSON and says what the TOC says.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <memory>
#include <variant>

#include "inspect/json_writer.hpp"
#include "inspect/toc_report.hpp"

using namespace pgarc;

namespace {

struct JsonValue;
using JsonObject = std::map<std::string, std::shared_ptr<JsonValue>>;
using JsonArray = std::vector<std::shared_ptr<JsonValue>>;
struct JsonValue {
  std::variant<std::nullptr_t, bool, double, std::string, JsonArray, JsonObject> v;
  bool isNull() const { return v.index() == 0; }
  const std::string& str() const { return std::get<std::string>(v); }
  double num() const { return std::get<double>(v); }
  bool boolean() const { return std::get<bool>(v); }
  const JsonArray& arr() const { return std::get<JsonArray>(v); }
  const JsonValue& operator[](const std::string& k) const { return *std::get<JsonObject>(v).at(k); }
  bool has(const std::string& k) const { return std::get<JsonObject>(v).count(k) > 0; }
};

class StrictJsonParser {
 public:
  explicit StrictJsonParser(std::string_view s) : s_(s) {}
  // Throws std::runtime_error on anything that is not exactly one JSON value.
  JsonValue parseDocument() {
    JsonValue v = value();
    ws();
    if (i_ != s_.size()) fail("trailing characters");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error(what + " at byte " + std::to_string(i_));
  }
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  char peek() { return i_ < s_.size() ? s_[i_] : '\0'; }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++i_;
  }
  void literal(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) fail("bad literal");
    i_ += w.size();
  }
  JsonValue value() {
    ws();
    char c = peek();
    if (c == '{') return object();
    if (c == '[') return array();
    if (c == '"') return JsonValue{string()};
    if (c == 't') { literal("true"); return JsonValue{true}; }
    if (c == 'f') { literal("false"); return JsonValue{false}; }
    if (c == 'n') { literal("null"); return JsonValue{nullptr}; }
    return number();
  }
  JsonValue object() {
    expect('{');
    JsonObject o;
    ws();
    if (peek() == '}') { ++i_; return JsonValue{o}; }
    while (true) {
      ws();
      std::string k = string();
      ws();
      expect(':');
      o[k] = std::make_shared<JsonValue>(value());
      ws();
      if (peek() == ',') { ++i_; continue; }
      expect('}');
      return JsonValue{o};
    }
  }
  JsonValue array() {
    expect('[');
    JsonArray a;
    ws();
    if (peek() == ']') { ++i_; return JsonValue{a}; }
    while (true) {
      a.push_back(std::make_shared<JsonValue>(value()));
      ws();
      if (peek() == ',') { ++i_; continue; }
      expect(']');
      return JsonValue{a};
    }
  }
  JsonValue number() {
    size_t start = i_;
    if (peek() == '-') ++i_;
    if (peek() == '0') ++i_;
    else if (peek() >= '1' && peek() <= '9') while (std::isdigit(static_cast<unsigned char>(peek()))) ++i_;
    else fail("bad number");
    if (peek() == '.') { ++i_; if (!std::isdigit(static_cast<unsigned char>(peek()))) fail("bad fraction"); while (std::isdigit(static_cast<unsigned char>(peek()))) ++i_; }
    if (peek() == 'e' || peek() == 'E') { ++i_; if (peek() == '+' || peek() == '-') ++i_; if (!std::isdigit(static_cast<unsigned char>(peek()))) fail("bad exponent"); while (std::isdigit(static_cast<unsigned char>(peek()))) ++i_; }
    return JsonValue{std::stod(std::string(s_.substr(start, i_ - start)))};
  }
  static void putUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) out += static_cast<char>(cp);
    else if (cp < 0x800) { out += static_cast<char>(0xc0 | (cp >> 6)); out += static_cast<char>(0x80 | (cp & 0x3f)); }
    else if (cp < 0x10000) { out += static_cast<char>(0xe0 | (cp >> 12)); out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f)); out += static_cast<char>(0x80 | (cp & 0x3f)); }
    else { out += static_cast<char>(0xf0 | (cp >> 18)); out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f)); out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f)); out += static_cast<char>(0x80 | (cp & 0x3f)); }
  }
  uint32_t hex4() {
    if (i_ + 4 > s_.size()) fail("short \\u escape");
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= c - '0';
      else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
      else fail("bad hex digit");
    }
    return v;
  }
  std::string string() {
    expect('"');
    std::string out;
    while (true) {
      if (i_ >= s_.size()) fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') { ++i_; return out; }
      if (c < 0x20) fail("raw control character in string");
      if (c == '\\') {
        ++i_;
        char e = peek();
        ++i_;
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            uint32_t cp = hex4();
            if (cp >= 0xd800 && cp <= 0xdbff) {
              if (s_.substr(i_, 2) != "\\u") fail("lone high surrogate");
              i_ += 2;
              uint32_t lo = hex4();
              if (lo < 0xdc00 || lo > 0xdfff) fail("bad low surrogate");
              cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
              fail("lone low surrogate");
            }
            putUtf8(out, cp);
            break;
          }
          default: fail("bad escape");
        }
        continue;
      }
      // Raw bytes must form valid UTF-8.
      size_t n = c < 0x80 ? 1 : (c >= 0xc2 && c <= 0xdf) ? 2 : (c >= 0xe0 && c <= 0xef) ? 3 : (c >= 0xf0 && c <= 0xf4) ? 4 : 0;
      if (n == 0 || i_ + n > s_.size()) fail("invalid UTF-8 lead byte");
      uint32_t cp = n == 1 ? c : c & (0xff >> (n + 1));
      for (size_t k = 1; k < n; ++k) {
        unsigned char cc = static_cast<unsigned char>(s_[i_ + k]);
        if ((cc & 0xc0) != 0x80) fail("invalid UTF-8 continuation");
        cp = (cp << 6) | (cc & 0x3f);
      }
      if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        fail("invalid UTF-8 code point");
      out.append(s_.substr(i_, n));
      i_ += n;
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

JsonValue parseJson(const std::string& s) { return StrictJsonParser(s).parseDocument(); }

// Decoding rule documented in json_writer.hpp: a byte that does not start a
// valid UTF-8 sequence comes out as U+00XX. Independent re-statement here.
size_t validSequenceAt(const std::string& s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t n = (c >= 0xc2 && c <= 0xdf) ? 2 : (c >= 0xe0 && c <= 0xef) ? 3 : (c >= 0xf0 && c <= 0xf4) ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  uint32_t cp = c & (0xff >> (n + 1));
  for (size_t k = 1; k < n; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3f);
  }
  if (n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) return 0;
  if (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) return 0;
  return n;
}

std::string expectedDecoding(const std::string& raw) {
  std::string out;
  for (size_t i = 0; i < raw.size();) {
    size_t n = validSequenceAt(raw, i);
    if (n > 0) {
      out += raw.substr(i, n);
      i += n;
    } else {
      unsigned char b = static_cast<unsigned char>(raw[i++]);
      out += static_cast<char>(0xc0 | (b >> 6));
      out += static_cast<char>(0x80 | (b & 0x3f));
    }
  }
  return out;
}

ArchiveToc sampleToc() {
  ArchiveToc toc;
  toc.header.version = {1, 16, 0};
  toc.header.compression = CompressionAlgorithm::Zstd;
  toc.header.compressionLevel = -1;
  toc.header.created = {26, 38, 22, 25, 10, 126, 0};
  toc.header.dbname = "spec\"db\\";
  toc.header.serverVersion = "15.18";
  toc.header.dumpVersion = "15.18 (Debian)";
  TocEntry a;
  a.dumpId = 6;
  a.tableoid = "2615";
  a.oid = "16385";
  a.tag = "app";
  a.desc = "SCHEMA";
  a.section = Section::PreData;
  a.defn = "CREATE SCHEMA app;\n";
  a.dropStmt = "DROP SCHEMA app;\n";
  a.owner = "postgres";
  TocEntry d;
  d.dumpId = 3348;
  d.hadDumper = true;
  d.oid = "16386";
  d.tag = std::string("t\x01\xff\xc3\xa9", 5);
  d.desc = "TABLE DATA";
  d.section = Section::Data;
  d.copyStmt = "COPY app.t (id) FROM stdin;\n";
  d.namespace_ = "app";
  d.owner = "postgres";
  d.relkind = 0;
  d.dependencies = {"215", "x", "6"};
  d.offsetFlag = OffsetFlag::Set;
  d.dataOffset = 3549;
  TocEntry t;
  t.dumpId = 215;
  t.tag = "t";
  t.desc = "TABLE";
  t.relkind = 'r';
  t.tablespace = "";
  t.tableam = "heap";
  toc.entries = {a, t, d};
  return toc;
}

}  // namespace

TEST(JsonEscape, KnownCases) {
  EXPECT_EQ(jsonString("plain"), "\"plain\"");
  EXPECT_EQ(jsonString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(jsonString("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
  EXPECT_EQ(jsonString(std::string("\x00\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
  EXPECT_EQ(jsonString("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"), "\"h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80\"");
  // Invalid UTF-8: lone continuation, truncated sequence, overlong, surrogate, > U+10FFFF.
  EXPECT_EQ(jsonString("\x80"), "\"\\u0080\"");
  EXPECT_EQ(jsonString("\xc3"), "\"\\u00c3\"");
  EXPECT_EQ(jsonString("\xc0\xaf"), "\"\\u00c0\\u00af\"");
  EXPECT_EQ(jsonString("\xed\xa0\x80"), "\"\\u00ed\\u00a0\\u0080\"");
  EXPECT_EQ(jsonString("\xf4\x90\x80\x80"), "\"\\u00f4\\u0090\\u0080\\u0080\"");
  EXPECT_EQ(jsonString("\xe2\x82"), "\"\\u00e2\\u0082\"");
}

RC_GTEST_PROP(JsonEscape, AnyBytesGiveValidJsonThatDecodesPerTheDocumentedRule, (const std::string& raw)) {
  std::string json = jsonString(raw);
  JsonValue v = parseJson(json);  // throws (fails the property) if invalid
  RC_ASSERT(v.str() == expectedDecoding(raw));
}

RC_GTEST_PROP(JsonEscape, ValidUtf8RoundTripsExactly, (const std::vector<uint32_t>& seeds)) {
  std::string raw;
  for (uint32_t s : seeds) {
    uint32_t cp = s % 0x110000;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) raw += static_cast<char>(cp);
    else if (cp < 0x800) { raw += static_cast<char>(0xc0 | (cp >> 6)); raw += static_cast<char>(0x80 | (cp & 0x3f)); }
    else if (cp < 0x10000) { raw += static_cast<char>(0xe0 | (cp >> 12)); raw += static_cast<char>(0x80 | ((cp >> 6) & 0x3f)); raw += static_cast<char>(0x80 | (cp & 0x3f)); }
    else { raw += static_cast<char>(0xf0 | (cp >> 18)); raw += static_cast<char>(0x80 | ((cp >> 12) & 0x3f)); raw += static_cast<char>(0x80 | ((cp >> 6) & 0x3f)); raw += static_cast<char>(0x80 | (cp & 0x3f)); }
  }
  RC_ASSERT(parseJson(jsonString(raw)).str() == raw);
}

TEST(JsonWriter, NestingAndEmptyContainers) {
  JsonWriter w;
  w.beginObject();
  w.key("a");
  w.beginArray();
  w.endArray();
  w.key("b");
  w.beginObject();
  w.endObject();
  w.field("c", int64_t{-5});
  w.field("d", std::optional<std::string>());
  w.field("e", true);
  w.endObject();
  JsonValue v = parseJson(w.str());
  EXPECT_TRUE(v["a"].arr().empty());
  EXPECT_EQ(v["c"].num(), -5);
  EXPECT_TRUE(v["d"].isNull());
  EXPECT_TRUE(v["e"].boolean());
}

TEST(TocJson, HeaderAndEntriesAsStored) {
  ArchiveToc toc = sampleToc();
  ArchiveDescription a{&toc, ArchiveKind::Custom, "x.dump", [](const TocEntry& e) {
                         return e.hadDumper ? EntryDataInfo{"offset " + std::to_string(e.dataOffset), 256}
                                            : EntryDataInfo{};
                       }};
  JsonValue v = parseJson(tocJson(a));
  EXPECT_EQ(v["archive"].str(), "x.dump");
  const JsonValue& h = v["header"];
  EXPECT_EQ(h["version"].str(), "1.16-0");
  EXPECT_EQ(h["versionMinor"].num(), 16);
  EXPECT_EQ(h["format"].str(), "CUSTOM");
  EXPECT_EQ(h["formatCode"].num(), 1);
  EXPECT_EQ(h["intSize"].num(), 4);
  EXPECT_EQ(h["offSize"].num(), 8);
  EXPECT_TRUE(h["compressionLevel"].isNull());  // 1.15+ stores no level
  EXPECT_EQ(h["compressionAlgorithm"].str(), "zstd");
  EXPECT_EQ(h["created"]["iso"].str(), "2026-11-25T22:38:26");
  EXPECT_EQ(h["created"]["year"].num(), 126);
  EXPECT_EQ(h["dbname"].str(), "spec\"db\\");
  EXPECT_EQ(h["dumpVersion"].str(), "15.18 (Debian)");
  EXPECT_EQ(v["tocEntryCount"].num(), 3);
  const JsonArray& es = v["entries"].arr();
  ASSERT_EQ(es.size(), 3u);
  const JsonValue& s = *es[0];
  EXPECT_EQ(s["dumpId"].num(), 6);
  EXPECT_EQ(s["tableoid"].str(), "2615");
  EXPECT_EQ(s["section"].str(), "pre-data");
  EXPECT_TRUE(s["namespace"].isNull());
  EXPECT_TRUE(s["copyStmt"].isNull());
  EXPECT_EQ(s["defn"].str(), "CREATE SCHEMA app;\n");
  EXPECT_EQ(s["offsetFlag"].str(), "no data");
  EXPECT_TRUE(s["dataLocation"].isNull());
  const JsonValue& t = *es[1];
  EXPECT_EQ(t["relkind"].num(), 'r');
  EXPECT_EQ(t["tablespace"].str(), "");
  EXPECT_EQ(t["tableam"].str(), "heap");
  const JsonValue& d = *es[2];
  EXPECT_TRUE(d["hadDumper"].boolean());
  EXPECT_EQ(d["tag"].str(), std::string("t\x01\xc3\xbf\xc3\xa9"));  // 0xff -> U+00FF, é kept
  ASSERT_EQ(d["dependencies"].arr().size(), 2u);                      // "x" is not a dumpId
  EXPECT_EQ(d["dependencies"].arr()[0]->num(), 215);
  EXPECT_EQ(d["dependencies"].arr()[1]->num(), 6);
  EXPECT_EQ(d["dataOffset"].num(), 3549);
  EXPECT_EQ(d["dataLocation"].str(), "offset 3549");
  EXPECT_EQ(d["storedDataSize"].num(), 256);
  EXPECT_EQ(d["section"].str(), "data");
}

TEST(TocJson, PreV116HasLevelAndNoRelkind) {
  ArchiveToc toc = sampleToc();
  toc.header.version = {1, 14, 0};
  toc.header.compression = CompressionAlgorithm::Gzip;
  toc.header.compressionLevel = 6;
  ArchiveDescription a{&toc, ArchiveKind::Directory, "dir", {}};
  JsonValue v = parseJson(tocJson(a));
  EXPECT_EQ(v["header"]["compressionLevel"].num(), 6);
  EXPECT_EQ(v["header"]["format"].str(), "DIRECTORY");
  EXPECT_TRUE(v["entries"].arr()[1]->operator[]("relkind").isNull());
  EXPECT_TRUE(v["entries"].arr()[2]->has("filename"));
  EXPECT_FALSE(v["entries"].arr()[2]->has("offsetFlag"));
}

TEST(TocJson, ChosenEntries) {
  ArchiveToc toc = sampleToc();
  ArchiveDescription a{&toc, ArchiveKind::Tar, "x.tar", {}};
  auto j = entriesJson(a, {3348, 6});
  ASSERT_TRUE(j.ok());
  JsonValue v = parseJson(*j);
  ASSERT_EQ(v.arr().size(), 2u);
  EXPECT_EQ(v.arr()[0]->operator[]("dumpId").num(), 3348);
  EXPECT_EQ(v.arr()[1]->operator[]("dumpId").num(), 6);
  auto missing = entriesJson(a, {77});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "no TOC entry with dump ID 77");
  auto text = entriesText(a, {3348});
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("Dump ID: 3348\n"), std::string::npos);
  EXPECT_NE(text->find("Copy statement:\nCOPY app.t (id) FROM stdin;\n"), std::string::npos);
  EXPECT_NE(text->find("Dependencies: 215 6\n"), std::string::npos);
  EXPECT_NE(text->find("Definition: (null)\n"), std::string::npos);
}

TEST(TocJson, StrictParserRejectsInvalidJson) {
  for (std::string bad : {"", "{", "{\"a\":}", "[1,]", "\"\x01\"", "\"\\x\"", "\"\xff\"", "01", "tru", "{} x"}) {
    EXPECT_THROW(parseJson(bad), std::runtime_error) << bad;
  }
}
