// The test helper that compares long texts without gtest's line diff.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/text_compare.hpp"

using pgarc::test::sameText;

TEST(TextCompare, SameTextReportsTheFirstDifference) {
  std::string a, b;
  for (int i = 0; i < 20000; i++) a += "line " + std::to_string(i) + "\n";
  b = a;
  EXPECT_TRUE(sameText(a, b));
  b[b.size() / 2] = '#';
  auto r = sameText(a, b);
  ASSERT_FALSE(r);
  std::string message = r.message();
  EXPECT_NE(message.find("first difference at byte " + std::to_string(b.size() / 2)), std::string::npos) << message;
  EXPECT_LT(message.size(), 1000u);
}
