#include "fetch/cookies.h"

#include <gtest/gtest.h>

namespace telescreen::fetch {
namespace {

constexpr std::int64_t kNow = 1700000000;

core::Url U(const std::string& s) {
  auto u = core::Url::Parse(s);
  EXPECT_TRUE(u.ok()) << s;
  return u.value();
}

CookieJar Jar(const std::string& text) {
  auto jar = CookieJar::Parse(text, "cookies.txt", kNow);
  EXPECT_TRUE(jar.ok()) << (jar.ok() ? "" : jar.error().message);
  return jar.ok() ? jar.value() : CookieJar();
}

TEST(CookiesTest, MatchesDomainPathAndScheme) {
  CookieJar jar =
      Jar("# Netscape HTTP Cookie File\n"
          ".social.test\tTRUE\t/\tTRUE\t0\tsession\tS3CR3T\n"
          "social.test\tFALSE\t/people\tFALSE\t0\tpref\tdark\n"
          "other.test\tFALSE\t/\tFALSE\t0\tx\ty\n");
  EXPECT_EQ(jar.size(), 3u);
  EXPECT_EQ(jar.HeaderFor(U("https://social.test/people/ann")), "pref=dark; session=S3CR3T");
  EXPECT_EQ(jar.HeaderFor(U("http://social.test/people/ann")),
            "pref=dark");                                                     // secure only on https
  EXPECT_EQ(jar.HeaderFor(U("https://www.social.test/")), "session=S3CR3T");  // subdomain
  EXPECT_EQ(jar.HeaderFor(U("https://social.test/peoplex")), "session=S3CR3T");
  EXPECT_EQ(jar.HeaderFor(U("https://evilsocial.test/")), "");
  EXPECT_EQ(jar.HeaderFor(U("https://social.test.evil/")), "");
  EXPECT_EQ(jar.HeaderFor(U("http://unrelated.test/")), "");
}

TEST(CookiesTest, HostOnlyCookieNotSentToSubdomains) {
  CookieJar jar = Jar("social.test\tFALSE\t/\tFALSE\t0\ta\tb\n");
  EXPECT_EQ(jar.HeaderFor(U("http://social.test/")), "a=b");
  EXPECT_EQ(jar.HeaderFor(U("http://m.social.test/")), "");
}

TEST(CookiesTest, HttpOnlyPrefixAndExpiry) {
  CookieJar jar =
      Jar("#HttpOnly_social.test\tFALSE\t/\tFALSE\t1800000000\tlive\t1\n"
          "social.test\tFALSE\t/\tFALSE\t1600000000\texpired\t1\n");
  EXPECT_EQ(jar.HeaderFor(U("http://social.test/")), "live=1");
}

TEST(CookiesTest, PathMatch) {
  // RFC 6265 section 5.1.4.
  EXPECT_TRUE(CookiePathMatches("/", "/anything"));
  EXPECT_TRUE(CookiePathMatches("/a", "/a"));
  EXPECT_TRUE(CookiePathMatches("/a", "/a/b"));
  EXPECT_TRUE(CookiePathMatches("/a/", "/a/b"));
  EXPECT_FALSE(CookiePathMatches("/a", "/ab"));
  EXPECT_FALSE(CookiePathMatches("/a/b", "/a"));
}

TEST(CookiesTest, ErrorsNameFileAndLineButNeverTheValue) {
  auto bad = CookieJar::Parse("social.test\tFALSE\t/\tMAYBE\t0\tsid\tTOPSECRET\n", "jar.txt", kNow);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("jar.txt: line 1"), std::string::npos);
  EXPECT_EQ(bad.error().message.find("TOPSECRET"), std::string::npos);

  auto fields = CookieJar::Parse("\n\nsocial.test\tFALSE\t/\n", "jar.txt", kNow);
  ASSERT_FALSE(fields.ok());
  EXPECT_NE(fields.error().message.find("line 3"), std::string::npos);

  auto injected = CookieJar::Parse("s.test\tFALSE\t/\tFALSE\t0\ta\tx; admin=1\n", "j", kNow);
  ASSERT_FALSE(injected.ok());
  EXPECT_EQ(injected.error().message.find("admin=1"), std::string::npos);
}

TEST(CookiesTest, MissingFileIsNotFound) {
  auto jar = CookieJar::Load("/nonexistent/cookies.txt", kNow);
  ASSERT_FALSE(jar.ok());
  EXPECT_EQ(jar.error().code, core::ErrorCode::kNotFound);
  EXPECT_NE(jar.error().message.find("/nonexistent/cookies.txt"), std::string::npos);
}

TEST(CookiesTest, CrlfAndBlankLines) {
  CookieJar jar = Jar("\r\n  \r\nsocial.test\tFALSE\t/\tFALSE\t0\ta\tb\r\n");
  EXPECT_EQ(jar.HeaderFor(U("http://social.test/")), "a=b");
}

}  // namespace
}  // namespace telescreen::fetch
