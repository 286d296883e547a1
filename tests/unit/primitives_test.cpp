#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "format/header_toc.hpp"
#include "format/primitives.hpp"
#include "tests/support/generators.hpp"

using namespace pgarc;

TEST(Primitives, IntEncodingMatchesPgDump) {
  ByteWriter w;
  w.integer(25);
  w.integer(-1);
  EXPECT_EQ(w.bytes(), std::string("\x00\x19\x00\x00\x00\x01\x01\x00\x00\x00", 10));
}

TEST(Primitives, StrNullAndEmptyDiffer) {
  ByteWriter w;
  w.str(OptString{});
  w.str(std::string_view(""));
  auto in = openInputMemory(w.take());
  ByteReader r(*in);
  auto a = r.str();
  auto b = r.str();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_FALSE(a->has_value());
  ASSERT_TRUE(b->has_value());
  EXPECT_EQ(**b, "");
}

TEST(Primitives, TruncatedStrFailsWithOffset) {
  ByteWriter w;
  w.str(std::string_view("hello world"));
  std::string bytes = w.take();
  bytes.resize(9);
  auto in = openInputMemory(bytes, "x.dump");
  ByteReader r(*in);
  auto s = r.str();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().describe().find("x.dump"), std::string::npos);
}

TEST(Primitives, HugeStrLengthRejectedBeforeAllocation) {
  ByteWriter w;
  w.integer(0x7fffffff);
  auto in = nonSeekable(openInputMemory(w.take()));
  ByteReader r(*in);
  auto s = r.str();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("expected string length"), std::string::npos);
}

RC_GTEST_PROP(Primitives, IntRoundTrip, (int32_t v)) {
  ByteWriter w;
  w.integer(v);
  auto in = openInputMemory(w.take());
  ByteReader r(*in);
  auto got = r.integer();
  RC_ASSERT(got.ok());
  RC_ASSERT(*got == v);
}

RC_GTEST_PROP(Primitives, StrRoundTrip, (std::optional<std::string> s)) {
  ByteWriter w;
  w.str(s);
  auto in = openInputMemory(w.take());
  ByteReader r(*in);
  auto got = r.str();
  RC_ASSERT(got.ok());
  RC_ASSERT(*got == s);
}

RC_GTEST_PROP(Primitives, OffsetRoundTrip, (uint64_t off, uint8_t flagSeed)) {
  auto flag = static_cast<OffsetFlag>(1 + flagSeed % 3);
  ByteWriter w;
  w.offset(flag, off);
  auto in = openInputMemory(w.take());
  ByteReader r(*in);
  auto got = r.offset();
  RC_ASSERT(got.ok());
  RC_ASSERT(got->flag == flag);
  RC_ASSERT(got->offset == off);
}
