// The vectorised COPY text scanner against the byte-at-a-time checker: on any
// payload, cut into any pieces, both must report the same faults in the same
// order, the same rows and the same end state.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "verify/copy_text_scan.hpp"
#include "verify/payload_checker.hpp"

using namespace pgarc;

namespace {

struct Fault {
  std::string what;
  uint64_t offset;
  bool operator==(const Fault& o) const { return what == o.what && offset == o.offset; }
};

struct Outcome {
  std::vector<Fault> faults;
  uint64_t rows = 0;
  uint64_t rowBytes = 0;
  bool terminated = false;
  bool markerSeen = false;
  uint64_t fastPieces = 0;
  uint64_t pieces = 0;
  bool operator==(const Outcome& o) const {
    return faults == o.faults && rows == o.rows && rowBytes == o.rowBytes && terminated == o.terminated &&
           markerSeen == o.markerSeen;
  }
};

Outcome runChecker(const std::string& payload, std::optional<size_t> columns, bool utf8,
                   const std::vector<size_t>& pieces, CopyTextChecker::Scan scan) {
  Outcome o;
  CopyTextChecker c(
      columns, utf8, [&](std::string what, uint64_t off) { o.faults.push_back({std::move(what), off}); }, scan);
  size_t at = 0, k = 0;
  while (at < payload.size()) {
    size_t len = pieces.empty() ? payload.size() : std::max<size_t>(1, pieces[k++ % pieces.size()]);
    len = std::min(len, payload.size() - at);
    c.feed(std::string_view(payload).substr(at, len));
    at += len;
    o.pieces++;
  }
  c.finish();
  o.rows = c.rows();
  o.rowBytes = c.rowBytes();
  o.terminated = c.terminated();
  o.markerSeen = c.markerSeen();
  o.fastPieces = c.fastPieces();
  return o;
}

std::string describe(const Outcome& o) {
  std::string s = "rows " + std::to_string(o.rows) + ", rowBytes " + std::to_string(o.rowBytes) + ", faults:";
  for (const auto& f : o.faults) s += " [" + std::to_string(f.offset) + " " + f.what + "]";
  return s;
}

// Pieces of COPY text: mostly what pg_dump writes, now and then a fault.
rc::Gen<std::string> genToken() {
  return rc::gen::weightedOneOf<std::string>({
      {30, rc::gen::container<std::string>(rc::gen::inRange<char>('0', 'z'))},
      {6, rc::gen::element<std::string>("\xc3\xbc", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xed\x9f\xbf",
                                        "\xf4\x8f\xbf\xbf", "\xe0\xa0\x80")},
      {6, rc::gen::element<std::string>("\\n", "\\t", "\\\\", "\\r", "\\b", "\\f", "\\v", "\\\\x41")},
      {4, rc::gen::just<std::string>("\\N")},
      {1, rc::gen::element<std::string>("\r", std::string(1, '\0'), "\\q", "\\", "\\.", "\\N", "\t", "\n", "\\\t",
                                        "\\\n")},
      {1, rc::gen::element<std::string>("\xc3", "\xff", "\x80", "\xc0\xaf", "\xe0\x80\x80", "\xed\xa0\x80",
                                        "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xe2\x82", "\xf0\x9f\x98")},
  });
}

rc::Gen<std::string> genPayload(size_t columns) {
  return rc::gen::map(
      rc::gen::pair(rc::gen::container<std::vector<std::vector<std::vector<std::string>>>>(
                        rc::gen::container<std::vector<std::vector<std::string>>>(
                            columns, rc::gen::container<std::vector<std::string>>(genToken()))),
                    rc::gen::element<std::string>("\\.\n", "\\.\n\n\n", "", "\\.x\n", "\\.\nz")),
      [](const auto& parts) {
        std::string s;
        for (const auto& row : parts.first) {
          for (size_t f = 0; f < row.size(); f++) {
            if (f > 0) s += '\t';
            for (const auto& t : row[f]) s += t;
          }
          s += '\n';
        }
        return s + parts.second;
      });
}

}  // namespace

TEST(VerifyCopyScan, VectorisedScannerIsAvailableHere) {
  // The bench machine and CI are x86-64 with AVX2; without it every property
  // below would compare the scalar checker with itself.
  EXPECT_TRUE(copyScanVectorised());
}

TEST(VerifyCopyScan, FastAndScalarAgreeOnAnyPayload) {
  EXPECT_TRUE(rc::check("same faults, rows and end state for any piece sizes", [] {
    const size_t columns = *rc::gen::inRange<size_t>(1, 5);
    const std::string payload = *genPayload(columns);
    const auto pieces = *rc::gen::container<std::vector<size_t>>(rc::gen::inRange<size_t>(1, 400));
    const bool utf8 = *rc::gen::weightedElement<bool>({{4, true}, {1, false}});
    const auto declared = *rc::gen::element<std::optional<size_t>>(columns, std::nullopt, columns + 1);
    Outcome fast = runChecker(payload, declared, utf8, pieces, CopyTextChecker::Scan::Fast);
    Outcome scalar = runChecker(payload, declared, utf8, pieces, CopyTextChecker::Scan::ScalarOnly);
    if (!(fast == scalar)) RC_FAIL(describe(fast) + " vs " + describe(scalar));
  }));
}

TEST(VerifyCopyScan, FastPathTakesWellFormedData) {
  std::string payload;
  for (int i = 0; i < 5000; i++) {
    payload += std::to_string(i) + "\tname " + std::to_string(i * 7) + " \xc3\xbcn\xc3\xaf" "c\xc3\xb8" +
               "d\xc3\xa9\\tx\t" + (i % 5 == 0 ? "\\N" : "line\\nbreak") + "\t\\\\x0a1b2c\n";
  }
  payload += "\\.\n\n\n";
  std::vector<size_t> pieces{4096, 65536, 7, 100000};
  Outcome fast = runChecker(payload, 4, true, pieces, CopyTextChecker::Scan::Fast);
  Outcome scalar = runChecker(payload, 4, true, pieces, CopyTextChecker::Scan::ScalarOnly);
  EXPECT_TRUE(fast.faults.empty()) << describe(fast);
  EXPECT_EQ(fast.rows, 5000u);
  EXPECT_TRUE(fast == scalar) << describe(fast) << " vs " << describe(scalar);
  // All but the piece holding \. go the fast way.
  EXPECT_GE(fast.pieces, 8u);
  EXPECT_EQ(fast.fastPieces, fast.pieces - 1);
  EXPECT_EQ(scalar.fastPieces, 0u);
}

TEST(VerifyCopyScan, RowStartingWithAnEscapeThenNullMarkerIsMidField) {
  // "\t\N" as a whole field: the \N follows an escape, so it is not a null.
  Outcome o = runChecker("\\t\\N\n\\.\n", 1, true, {}, CopyTextChecker::Scan::ScalarOnly);
  ASSERT_EQ(o.faults.size(), 1u) << describe(o);
  EXPECT_NE(o.faults[0].what.find("\\N in the middle of a field"), std::string::npos);
}

TEST(VerifyCopyScan, Utf8FastAgreesWithByteWise) {
  EXPECT_TRUE(rc::check("whole-buffer verdict and end state equal byte-at-a-time decoding", [] {
    const auto parts = *rc::gen::container<std::vector<std::string>>(rc::gen::weightedOneOf<std::string>({
        {10, rc::gen::container<std::string>(rc::gen::inRange<char>(1, 127))},
        {10, rc::gen::element<std::string>("\xc3\xbc", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xbf\xbf",
                                           "\xf4\x8f\xbf\xbf", "\xe0\xa0\x80", "\xed\x9f\xbf", "\xc2\x80")},
        {1, rc::gen::container<std::string>(rc::gen::arbitrary<char>())},
    }));
    std::string bytes;
    for (const auto& p : parts) bytes += p;
    const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
    const size_t cut = bytes.empty() ? 0 : *rc::gen::inRange<size_t>(0, bytes.size() + 1);
    Utf8Progress whole;
    bool wholeOk = scanUtf8Fast(whole, p, cut) && scanUtf8Fast(whole, p + cut, bytes.size() - cut);
    Utf8Progress byteWise;
    bool byteOk = true;
    for (size_t i = 0; i < bytes.size() && byteOk; i++) byteOk = scanUtf8Fast(byteWise, p + i, 1);
    RC_ASSERT(wholeOk == byteOk);
    if (wholeOk) {
      RC_ASSERT(whole.need == byteWise.need);
      RC_ASSERT(whole.lo == byteWise.lo);
      RC_ASSERT(whole.hi == byteWise.hi);
    }
  }));
}
