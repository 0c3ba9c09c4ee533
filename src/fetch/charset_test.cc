#include "fetch/charset.h"

#include <gtest/gtest.h>

namespace telescreen::fetch {
namespace {

TEST(CharsetTest, HeaderCharsetWins) {
  EXPECT_EQ(DetectCharset("<meta charset=utf-8>", "text/html; charset=ISO-8859-2"), "iso-8859-2");
  EXPECT_EQ(ToUtf8("Gda\xF1sk", "text/html; charset=iso-8859-2"), "Gda\xC5\x84sk");
}

TEST(CharsetTest, Latin1LabelReadAsWindows1252) {
  EXPECT_EQ(DetectCharset("x", "text/html; charset=\"ISO-8859-1\""), "windows-1252");
  // 0x80 is the euro sign in windows-1252 (a C1 control in strict Latin-1).
  EXPECT_EQ(ToUtf8("\x80 5", "text/html; charset=latin1"), "\xE2\x82\xAC 5");
}

TEST(CharsetTest, ByteOrderMarks) {
  EXPECT_EQ(ToUtf8("\xEF\xBB\xBFhi", "text/html; charset=latin1"), "hi");
  EXPECT_EQ(ToUtf8(std::string("\xFF\xFEh\0i\0", 6), "text/html"), "hi");
  EXPECT_EQ(ToUtf8(std::string("\xFE\xFF\0h\0i", 6), "text/plain"), "hi");
}

TEST(CharsetTest, MetaCharsetInFirst1024Bytes) {
  std::string page = "<html><head><meta charset=\"windows-1252\"><title>Caf\xE9</title>";
  EXPECT_EQ(DetectCharset(page, "text/html"), "windows-1252");
  EXPECT_NE(ToUtf8(page, "text/html").find("Caf\xC3\xA9"), std::string::npos);
  std::string equiv = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">\xF0\xD2";
  EXPECT_EQ(DetectCharset(equiv, "text/html"), "koi8-r");
  std::string late = std::string(1100, ' ') + "<meta charset=koi8-r>";
  EXPECT_EQ(DetectCharset(late, "text/html"), "utf-8");
}

TEST(CharsetTest, UnlabelledLatin1FallsBackToWindows1252) {
  std::string page = "<p>M\xFCller aus K\xF6ln</p>";
  EXPECT_EQ(DetectCharset(page, "text/html"), "windows-1252");
  EXPECT_EQ(ToUtf8(page, "text/html"), "<p>M\xC3\xBCller aus K\xC3\xB6ln</p>");
}

TEST(CharsetTest, ValidUtf8Unchanged) {
  std::string s = "Zo\xC3\xAB \xE2\x82\xAC \xF0\x9F\x98\x80";
  EXPECT_EQ(ToUtf8(s, "text/html"), s);
}

TEST(CharsetTest, InvalidBytesReplaced) {
  EXPECT_EQ(ToUtf8("a\xC3(b", "text/html; charset=utf-8"), "a\xEF\xBF\xBD(b");
  EXPECT_EQ(SanitizeUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(SanitizeUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong
  EXPECT_EQ(SanitizeUtf8("ok\xF0\x9F"), "ok\xEF\xBF\xBD\xEF\xBF\xBD");              // cut short
  // Shift_JIS lead byte without its trail byte at the end.
  std::string sjis = ToUtf8("\x82\xA0\x82", "text/html; charset=shift_jis");
  EXPECT_EQ(sjis, "\xE3\x81\x82\xEF\xBF\xBD");
}

TEST(CharsetTest, UnknownOrHostileLabelFallsBackToUtf8) {
  EXPECT_EQ(ToUtf8("abc\xFF", "text/html; charset=x-no-such-charset"), "abc\xEF\xBF\xBD");
  EXPECT_EQ(ToUtf8("abc", "text/html; charset=../../etc/passwd"), "abc");
}

TEST(CharsetTest, TextTypes) {
  EXPECT_TRUE(IsTextContentType("text/html; charset=utf-8"));
  EXPECT_TRUE(IsTextContentType("application/xhtml+xml"));
  EXPECT_TRUE(IsTextContentType("application/activity+json"));
  EXPECT_TRUE(IsTextContentType("application/ld+json"));
  EXPECT_TRUE(IsTextContentType("text/calendar"));
  EXPECT_FALSE(IsTextContentType("image/png"));
  EXPECT_FALSE(IsTextContentType(""));
}

}  // namespace
}  // namespace telescreen::fetch
