#include "core/text.h"

#include <gtest/gtest.h>

namespace telescreen::core {
namespace {

TEST(TextTest, CaseFoldingIsAsciiOnly) {
  EXPECT_EQ(AsciiLower("X-WR-CalName Ünïcode"), "x-wr-calname Ünïcode");
  EXPECT_EQ(AsciiUpper("accepted é"), "ACCEPTED é");
  EXPECT_TRUE(EqualsIgnoreAsciiCase("Content-Type", "content-TYPE"));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("Content-Type", "Content-Typ"));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("É", "é"));
  EXPECT_TRUE(StartsWithIgnoreAsciiCase("JavaScript:alert(1)", "javascript:"));
  EXPECT_FALSE(StartsWithIgnoreAsciiCase("java", "javascript:"));
  EXPECT_TRUE(EndsWithIgnoreAsciiCase("/Talks.ICS", ".ics"));
  EXPECT_FALSE(EndsWithIgnoreAsciiCase("ics", ".ics"));
}

TEST(TextTest, TrimAndTokens) {
  EXPECT_EQ(Trim(" \t\n a b \r\f"), "a b");
  EXPECT_EQ(Trim("\va\v"), "\va\v");  // not HTML whitespace
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(Trim(""), "");
  const auto t = SplitTokens("  h-card\tvcard\n  author ");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0], "h-card");
  EXPECT_EQ(t[1], "vcard");
  EXPECT_EQ(t[2], "author");
  EXPECT_TRUE(SplitTokens(" \n ").empty());
}

TEST(TextTest, TrimByAGivenSetLeavesOtherBytes) {
  EXPECT_EQ(Trim("\t value \r", " \t\r"), "value");
  EXPECT_EQ(Trim("\nvalue\n", " \t"), "\nvalue\n");
  EXPECT_EQ(Trim(" \t ", " \t"), "");
  EXPECT_EQ(Trim("", " "), "");
  EXPECT_EQ(Trim("a b", " "), "a b");
}

TEST(TextTest, HexDigitValueTakesEitherCase) {
  EXPECT_EQ(HexDigitValue('0'), 0);
  EXPECT_EQ(HexDigitValue('9'), 9);
  EXPECT_EQ(HexDigitValue('a'), 10);
  EXPECT_EQ(HexDigitValue('F'), 15);
  EXPECT_EQ(HexDigitValue('g'), -1);
  EXPECT_EQ(HexDigitValue('%'), -1);
}

}  // namespace
}  // namespace telescreen::core
