// The payload checks run on a second thread must leave the same report as
// when run in line: same problems, same order, also around problems the
// walker adds while the stream is still being checked.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "verify/check_pipeline.hpp"

using namespace pgarc;

namespace {

TocEntry copyEntry() {
  TocEntry e;
  e.dumpId = 42;
  e.desc = "TABLE DATA";
  e.tag = "t";
  e.copyStmt = "COPY public.t (a, b) FROM stdin;\n";
  return e;
}

std::vector<std::string> lines(const Report& r) {
  std::vector<std::string> out;
  for (const auto& p : r.problems()) out.push_back(formatProblem(p));
  return out;
}

// Feeds `payload` in `piece`-sized writes; before the write that starts at
// byte `walkerAt`, the walker adds a problem of its own.
Report run(const std::string& payload, size_t piece, size_t walkerAt, bool threaded, EntryOutcome& outcome) {
  Report report;
  const TocEntry entry = copyEntry();
  PayloadChecker checker(entry, PayloadOptions{TextEncoding::Utf8, ChecksumAlgorithm::Crc32c}, report, "f");
  {
    CheckPipeline pipeline(checker, report, threaded ? 64 : UINT64_MAX);
    bool walkerDone = false;
    for (size_t at = 0; at < payload.size(); at += piece) {
      if (!walkerDone && at >= walkerAt) {
        report.addForEntry(entry, "f", "walker problem", at);
        walkerDone = true;
      }
      EXPECT_TRUE(pipeline.write(std::string_view(payload).substr(at, piece)).ok());
    }
    if (!walkerDone) report.addForEntry(entry, "f", "walker problem", payload.size());
    pipeline.settle();
    EXPECT_EQ(pipeline.threaded(), threaded && payload.size() > 64);
  }
  outcome = checker.finish(true);
  return report;
}

std::string payloadWithFaults(int rows, int every) {
  std::string s;
  for (int i = 0; i < rows; i++) {
    s += std::to_string(i) + "\t" + (i % every == 0 ? "bad\\q" : "ok \xc3\xbc") + (i % (every * 3) == 1 ? "\t3" : "") +
         "\n";
  }
  return s + "\\.\n";
}

}  // namespace

TEST(VerifyCheckPipeline, SameReportAsInLine) {
  EXPECT_TRUE(rc::check("threaded checking reports what in-line checking reports, in order", [] {
    const int rows = *rc::gen::inRange(1, 3000);
    const int every = *rc::gen::inRange(2, 400);
    const size_t piece = *rc::gen::inRange<size_t>(1, 5000);
    const std::string payload = payloadWithFaults(rows, every);
    const size_t walkerAt = *rc::gen::inRange<size_t>(0, payload.size() + 1);
    EntryOutcome inLine, threaded;
    Report a = run(payload, piece, walkerAt, false, inLine);
    Report b = run(payload, piece, walkerAt, true, threaded);
    if (lines(a) != lines(b)) {
      std::string s;
      for (const auto& l : lines(a)) s += "  A " + l + "\n";
      for (const auto& l : lines(b)) s += "  B " + l + "\n";
      RC_FAIL(s);
    }
    RC_ASSERT(a.problemCount() == b.problemCount());
    RC_ASSERT(inLine.rows == threaded.rows);
    RC_ASSERT(inLine.checksum == threaded.checksum);
    RC_ASSERT(inLine.rowsChecksum == threaded.rowsChecksum);
  }));
}

TEST(VerifyCheckPipeline, FirstProblemKeepsItsEntryAndOffset) {
  std::string payload;
  for (int i = 0; i < 20000; i++) payload += std::to_string(i) + "\tvalue\n";
  const size_t badAt = payload.size() / 2 + 3;
  payload[badAt] = '\r';
  payload += "\\.\n";
  EntryOutcome o;
  Report r = run(payload, 4096, payload.size(), true, o);
  ASSERT_GE(r.problems().size(), 2u);
  EXPECT_EQ(r.problems()[0].dumpId, 42);
  EXPECT_EQ(r.problems()[0].offset, badAt);
  EXPECT_EQ(r.problems()[0].offsetKind, OffsetKind::Payload);
  EXPECT_NE(r.problems()[0].what.find("carriage return"), std::string::npos);
  EXPECT_EQ(r.problems().back().what, "walker problem");  // added after the stream, listed after its findings
  EXPECT_EQ(o.rows, 20000u);
}
