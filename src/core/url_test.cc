#include "core/url.h"

#include <gtest/gtest.h>

namespace telescreen::core {
namespace {

std::string Norm(std::string_view s) {
  auto u = Url::Parse(s);
  return u.ok() ? u.value().ToString() : "ERROR: " + u.error().message;
}

std::string Res(std::string_view base, std::string_view ref) {
  auto b = Url::Parse(base);
  EXPECT_TRUE(b.ok());
  auto r = b.value().Resolve(ref);
  return r.ok() ? r.value().ToString() : "ERROR";
}

TEST(UrlTest, NormalisesCaseDefaultPortTrailingDotAndFragment) {
  EXPECT_EQ(Norm("HTTP://Example.ORG.:80/a#frag"), "http://example.org/a");
  EXPECT_EQ(Norm("https://example.org:443"), "https://example.org/");
  EXPECT_EQ(Norm("http://example.org:8080/x?y=1"), "http://example.org:8080/x?y=1");
}

TEST(UrlTest, NormalUrlOrKeepsWhatIsNoUrl) {
  EXPECT_EQ(NormalUrlOr("HTTP://Example.COM:80"), "http://example.com/");
  EXPECT_EQ(NormalUrlOr("not a url"), "not a url");
  EXPECT_EQ(NormalUrlOr(""), "");
}

TEST(UrlTest, NormalisesPercentEncodingRfc3986Section6_2_2) {
  EXPECT_EQ(Norm("http://a.example/%7Euser/%2fx"), "http://a.example/~user/%2Fx");
  EXPECT_EQ(Norm("http://a.example/a b"), "http://a.example/a%20b");
  EXPECT_EQ(Norm("http://a.example/K%C3%B6ln"), "http://a.example/K%C3%B6ln");
}

// As browsers do (WHATWG URL): tabs and newlines anywhere are dropped,
// leading and trailing spaces trimmed, backslashes read as slashes.
TEST(UrlTest, PastedUrlsWithTabsNewlinesAndBackslashes) {
  auto u = Url::Parse("  https://exa\tmple.org/a\n/b\r  ");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u.value().ToString(), "https://example.org/a/b");
  auto b = Url::Parse("http:\\\\example.org\\x\\y");
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b.value().ToString(), "http://example.org/x/y");
  EXPECT_EQ(Url::Parse("https://example.org/plain").value().ToString(), "https://example.org/plain");
}

TEST(UrlTest, RemovesDotSegments) {
  EXPECT_EQ(Norm("http://a.example/a/b/../c/./d"), "http://a.example/a/c/d");
  EXPECT_EQ(Norm("http://a.example/../../x"), "http://a.example/x");
}

TEST(UrlTest, RejectsOtherSchemesAndJunk) {
  EXPECT_FALSE(Url::Parse("ftp://example.org/").ok());
  EXPECT_FALSE(Url::Parse("file:///etc/passwd").ok());
  EXPECT_FALSE(Url::Parse("javascript:alert(1)").ok());
  EXPECT_FALSE(Url::Parse("example.org").ok());
  EXPECT_FALSE(Url::Parse("http://").ok());
  EXPECT_FALSE(Url::Parse("http://exa mple.org/").ok());
  EXPECT_FALSE(Url::Parse("http://example.org:99999/").ok());
  auto e = Url::Parse("ftp://example.org/");
  EXPECT_NE(e.error().message.find("ftp"), std::string::npos);
}

TEST(UrlTest, ParsesIpv6AndDropsUserinfo) {
  auto u = Url::Parse("http://[::1]:8080/x");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u.value().host(), "::1");
  EXPECT_EQ(u.value().ToString(), "http://[::1]:8080/x");
  EXPECT_EQ(Norm("http://user:pw@example.org/"), "http://example.org/");
}

// RFC 3986 section 5.4.1, normal examples.
TEST(UrlTest, ResolvesRfc3986NormalExamples) {
  const char* base = "http://a/b/c/d;p?q";
  EXPECT_EQ(Res(base, "g"), "http://a/b/c/g");
  EXPECT_EQ(Res(base, "./g"), "http://a/b/c/g");
  EXPECT_EQ(Res(base, "g/"), "http://a/b/c/g/");
  EXPECT_EQ(Res(base, "/g"), "http://a/g");
  EXPECT_EQ(Res(base, "//g"), "http://g/");
  EXPECT_EQ(Res(base, "?y"), "http://a/b/c/d;p?y");
  EXPECT_EQ(Res(base, "g?y"), "http://a/b/c/g?y");
  EXPECT_EQ(Res(base, "#s"), "http://a/b/c/d;p?q");
  EXPECT_EQ(Res(base, ""), "http://a/b/c/d;p?q");
  EXPECT_EQ(Res(base, ".."), "http://a/b/");
  EXPECT_EQ(Res(base, "../g"), "http://a/b/g");
  EXPECT_EQ(Res(base, "../../g"), "http://a/g");
  EXPECT_EQ(Res(base, "../../../g"), "http://a/g");
  EXPECT_EQ(Res(base, "https://other.example/x"), "https://other.example/x");
  EXPECT_EQ(Res(base, "mailto:x@y"), "ERROR");
}

TEST(UrlTest, SiteKeyIgnoresWwwAndIncludesPort) {
  EXPECT_EQ(Url::Parse("https://www.xing.com/x").value().SiteKey(),
            Url::Parse("https://xing.com/y").value().SiteKey());
  EXPECT_NE(Url::Parse("http://127.0.0.1:1/").value().SiteKey(),
            Url::Parse("http://127.0.0.1:2/").value().SiteKey());
}

// Links a report must not show as links: what a browser would run or
// open as a document of its own.
TEST(UrlTest, OnlyHttpMailtoAndTelLinksAreSafe) {
  EXPECT_TRUE(IsSafeLink("https://example.org/ann"));
  EXPECT_TRUE(IsSafeLink("HTTP://example.org/"));
  EXPECT_TRUE(IsSafeLink("mailto:ann@example.org"));
  EXPECT_TRUE(IsSafeLink("tel:+49301234"));
  EXPECT_TRUE(IsSafeLink("/people/ann"));
  EXPECT_TRUE(IsSafeLink("Ann Example"));
  EXPECT_TRUE(IsSafeLink(""));
  EXPECT_FALSE(IsSafeLink("javascript:alert(1)"));
  EXPECT_FALSE(IsSafeLink("  JavaScript:alert(1)"));
  EXPECT_FALSE(IsSafeLink("java\tscript:alert(1)"));
  EXPECT_FALSE(IsSafeLink("\x01javascript:alert(1)"));
  EXPECT_FALSE(IsSafeLink("data:text/html,<script>x</script>"));
  EXPECT_FALSE(IsSafeLink("vbscript:msgbox"));
  EXPECT_FALSE(IsSafeLink("file:///etc/passwd"));
  EXPECT_EQ(LinkScheme("Data:x"), "data");
  EXPECT_EQ(LinkScheme("a/b:c"), "");
  EXPECT_EQ(LinkScheme("1abc:x"), "");
}

// RFC 3986 section 2.3: only ALPHA DIGIT - . _ ~ stay as they are.
TEST(UrlTest, PercentEncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(PercentEncode("Jane.Doe-1_~"), "Jane.Doe-1_~");
  EXPECT_EQ(PercentEncode("a b/c?d#e&f=g%"), "a%20b%2Fc%3Fd%23e%26f%3Dg%25");
  EXPECT_EQ(PercentEncode("\xc3\xa9"), "%C3%A9");
  EXPECT_EQ(PercentDecode(PercentEncode("../{x}\n")), "../{x}\n");
}

TEST(NormalizePercentEncodingTest, DecodesUnreservedAndEscapesByPolicy) {
  // Section 6.2.2.2: %7E is '~'; %2f stays escaped, hex upper-cased.
  EXPECT_EQ(NormalizePercentEncoding("/a%7Eb%2fc", RawBytes::kEscapeUnsafe), "/a~b%2Fc");
  EXPECT_EQ(NormalizePercentEncoding("/a b\xC3\xA9", RawBytes::kEscapeUnsafe), "/a%20b%C3%A9");
  // robots.txt paths keep their wildcards and other bytes as written.
  EXPECT_EQ(NormalizePercentEncoding("/*{x}$%", RawBytes::kEscapeUnsafe), "/*{x}$%");
  EXPECT_EQ(NormalizePercentEncoding("/{x}|%zz", RawBytes::kEscapeForUrl), "/%7Bx%7D%7C%25zz");
  EXPECT_EQ(NormalizePercentEncoding("%4", RawBytes::kEscapeForUrl), "%254");
}

}  // namespace
}  // namespace telescreen::core
