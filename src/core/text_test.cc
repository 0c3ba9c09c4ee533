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

TEST(TextTest, DecodeHexEscapesKeepsWhatIsNoEscape) {
  EXPECT_EQ(DecodeHexEscapes("a%20b%2fc", '%'), "a b/c");
  EXPECT_EQ(DecodeHexEscapes("caf=C3=A9 =3D", '='), "caf\xC3\xA9 =");
  EXPECT_EQ(DecodeHexEscapes("100% %g1 %4", '%'), "100% %g1 %4");
  EXPECT_EQ(HexEscapeAt("x%41", 1, '%'), 0x41);
  EXPECT_EQ(HexEscapeAt("x%41", 0, '%'), -1);
  EXPECT_EQ(HexEscapeAt("%4", 0, '%'), -1);
}

TEST(TextTest, Utf8ValidityFollowsRfc3629) {
  EXPECT_TRUE(IsValidUtf8("plain ASCII, longer than one 8-byte step"));
  EXPECT_TRUE(IsValidUtf8("M\xC3\xA4rz \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("abcdefgh\xE2\x82"));  // cut off
  EXPECT_EQ(Utf8SequenceLength("\xE2\x82\xAC", 0), 3u);
  EXPECT_EQ(Utf8SequenceLength("\x82\xAC", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("a", 0), 1u);
}

TEST(TextTest, TokensReadsInPlace) {
  std::vector<std::string_view> seen;
  for (std::string_view t : Tokens("\t h-card  vcard\nx \f")) seen.push_back(t);
  EXPECT_EQ(seen, (std::vector<std::string_view>{"h-card", "vcard", "x"}));
  EXPECT_TRUE(Tokens(" \n ").empty());
  EXPECT_TRUE(Tokens("a b").Contains("b"));
  EXPECT_FALSE(Tokens("ab").Contains("a"));
}

TEST(TextTest, MediaTypeEssenceDropsParameters) {
  EXPECT_EQ(MediaTypeEssence(" Text/HTML ; charset=utf-8"), "text/html");
  EXPECT_EQ(MediaTypeEssence("application/ld+json"), "application/ld+json");
  EXPECT_EQ(MediaTypeEssence(""), "");
}

TEST(TextTest, WithoutPrefixIgnoresAsciiCase) {
  EXPECT_EQ(WithoutPrefixIgnoreAsciiCase("MAILTO:ann@example.org", "mailto:"), "ann@example.org");
  EXPECT_EQ(WithoutPrefixIgnoreAsciiCase("ann@example.org", "mailto:"), "ann@example.org");
  EXPECT_EQ(WithoutPrefixIgnoreAsciiCase("mail", "mailto:"), "mail");
}

TEST(TextTest, AppendUtf8WritesEachLength) {
  std::string out;
  for (char32_t cp : {U'A', U'\u00e9', U'\u20ac', U'\U0001F600'}) AppendUtf8(&out, cp);
  EXPECT_EQ(out, "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
}

TEST(TextTest, HtmlReferencesNamed) {
  EXPECT_EQ(DecodeHtmlReferences("&quot;a&quot; &amp; &lt;b&gt; &apos;c&apos;"), "\"a\" & <b> 'c'");
  // &nbsp; is U+00A0 unless the caller collapses it into a space.
  EXPECT_EQ(DecodeHtmlReferences("a&nbsp;b"),
            "a\xc2\xa0"
            "b");
  EXPECT_EQ(DecodeHtmlReferences("a&nbsp;b", NoBreakSpace::kAsSpace), "a b");
  // Decoded once: "&amp;lt;" is the text "&lt;", not "<".
  EXPECT_EQ(DecodeHtmlReferences("&amp;lt;"), "&lt;");
}

TEST(TextTest, HtmlReferencesDecimalAndHex) {
  EXPECT_EQ(DecodeHtmlReferences("it&#39;s &#8217;"), "it's \xe2\x80\x99");
  EXPECT_EQ(DecodeHtmlReferences("&#x27;&#X2019;&#x1F600;"), "'\xe2\x80\x99\xf0\x9f\x98\x80");
  // Nothing a page may name as a character: 0, surrogates, beyond U+10FFFF.
  EXPECT_EQ(DecodeHtmlReferences("&#0;&#xD800;&#x110000;"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(TextTest, HtmlReferencesUnknownStayAsWritten) {
  EXPECT_EQ(DecodeHtmlReferences("&eacute; &copy; AT&T"), "&eacute; &copy; AT&T");
}

TEST(TextTest, HtmlReferencesMalformedStayAsWritten) {
  EXPECT_EQ(DecodeHtmlReferences("&amp &#39 &#; &#x; &#xZZ; &# &"), "&amp &#39 &#; &#x; &#xZZ; &# &");
  // More than 7 digits is no reference (the value could overflow).
  EXPECT_EQ(DecodeHtmlReferences("&#00000039;"), "&#00000039;");
  EXPECT_EQ(DecodeHtmlReferences("&#0000039;"), "'");
}

TEST(TextTest, AppendHtmlReferenceReportsItsLength) {
  std::string out = "x";
  EXPECT_EQ(AppendHtmlReference("a&lt;b", 1, NoBreakSpace::kKeep, &out), 4u);
  EXPECT_EQ(out, "x<");
  EXPECT_EQ(AppendHtmlReference("a&lt;b", 0, NoBreakSpace::kKeep, &out), 0u);
  EXPECT_EQ(AppendHtmlReference("&lt", 0, NoBreakSpace::kKeep, &out), 0u);
  EXPECT_EQ(AppendHtmlReference("&#x41;", 0, NoBreakSpace::kKeep, &out), 6u);
  EXPECT_EQ(out, "x<A");
}

}  // namespace
TEST(Utf8Prefix, NeverSplitsASequence) {
  EXPECT_EQ(Utf8Prefix("a\xE2\x82\xAC", 3), "a");
  EXPECT_EQ(Utf8Prefix("a\xE2\x82\xAC", 4), "a\xE2\x82\xAC");
  EXPECT_EQ(Utf8Prefix("\xE2\x82\xAC", 2), "");
  EXPECT_EQ(CutUtf8("ab\xC3\xA9", 3), "ab");
}

}  // namespace telescreen::core
