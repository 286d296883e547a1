#pragma once
// Comparing pgarc's text output (pg_restore -l listings, SQL scripts) with
// stock pg_dump's in test failure messages.
#include <gtest/gtest.h>

#include <string>

namespace pgarc::test {

// A pg_restore -l listing without its "; Archive created at" line, the one
// line that differs between two dumps of the same database.
std::string withoutArchiveTimestamp(const std::string& listing);
// A custom-format archive or a directory archive's toc.dat with the creation
// time in its header zeroed, so that two dumps of the same database compare
// byte for byte; other bytes unchanged (an unrecognized header too).
std::string withoutCreationTime(std::string archive);
// A tar-format archive with every member's modification time and header
// checksum zeroed and toc.dat's creation time too (withoutCreationTime).
std::string withoutTarTimes(std::string archive);
// Where two texts first differ, with the differing line and a little of what
// follows from each, for assertion messages.
std::string firstDifference(const std::string& ours, const std::string& stock);
// Equality of two long texts for EXPECT_TRUE, reporting firstDifference on a
// mismatch. gtest's own EXPECT_EQ on multi-line strings prints a line diff
// whose memory grows with the product of the line counts: two differing
// scripts of a few megabytes took 23 GB.
::testing::AssertionResult sameText(const std::string& ours, const std::string& stock);

}  // namespace pgarc::test
