#include "fetch/robots.h"

#include <gtest/gtest.h>

namespace telescreen::fetch {
namespace {

// RFC 9309 section 2.2.2: "the most specific match found MUST be used. The
// most specific match is the match that has the most octets."
TEST(RobotsTest, LongestMatchWins) {
  RobotsRules r = RobotsRules::Parse(
      "User-agent: *\n"
      "Disallow: /private\n"
      "Allow: /private/open\n",
      "telescreen");
  EXPECT_TRUE(r.IsAllowed("/"));
  EXPECT_FALSE(r.IsAllowed("/private"));
  EXPECT_FALSE(r.IsAllowed("/private/x"));
  EXPECT_TRUE(r.IsAllowed("/private/open"));
  EXPECT_TRUE(r.IsAllowed("/private/open/more"));
}

// Section 2.2.2: "If an allow rule and a disallow rule are equivalent, then
// the allow rule SHOULD be used."
TEST(RobotsTest, AllowWinsTie) {
  RobotsRules r = RobotsRules::Parse("user-agent: *\ndisallow: /page\nallow: /page\n", "telescreen");
  EXPECT_TRUE(r.IsAllowed("/page"));
  RobotsRules order = RobotsRules::Parse("user-agent: *\nallow: /page\ndisallow: /page\n", "telescreen");
  EXPECT_TRUE(order.IsAllowed("/page"));
}

// Section 2.2.1: the product token is matched case-insensitively and a
// matching group replaces the "*" group.
TEST(RobotsTest, SpecificGroupReplacesStarGroup) {
  std::string body =
      "User-agent: *\n"
      "Disallow: /\n"
      "\n"
      "User-agent: TeleScreen\n"
      "Disallow: /secret\n";
  RobotsRules r = RobotsRules::Parse(body, "telescreen");
  EXPECT_TRUE(r.IsAllowed("/profile"));
  EXPECT_FALSE(r.IsAllowed("/secret/x"));
  RobotsRules other = RobotsRules::Parse(body, "otherbot");
  EXPECT_FALSE(other.IsAllowed("/profile"));
}

// Section 2.2.1: a user-agent value "telescreen/1.0" names the token
// "telescreen".
TEST(RobotsTest, UserAgentValueWithVersionMatchesToken) {
  RobotsRules r = RobotsRules::Parse("User-agent: telescreen/1.0\nDisallow: /x\n", "telescreen");
  EXPECT_FALSE(r.IsAllowed("/x"));
  RobotsRules prefix = RobotsRules::Parse("User-agent: telescreenbot\nDisallow: /x\n", "telescreen");
  EXPECT_TRUE(prefix.IsAllowed("/x"));
}

// Section 2.2.1: "If there is more than one group matching the user-agent,
// the matching groups' rules MUST be combined into one group."
TEST(RobotsTest, MatchingGroupsAreMerged) {
  RobotsRules r = RobotsRules::Parse(
      "User-agent: telescreen\nDisallow: /a\n\n"
      "User-agent: other\nDisallow: /b\n\n"
      "User-agent: telescreen\nDisallow: /c\n",
      "telescreen");
  EXPECT_FALSE(r.IsAllowed("/a"));
  EXPECT_TRUE(r.IsAllowed("/b"));
  EXPECT_FALSE(r.IsAllowed("/c"));
}

// Section 2.1: several user-agent lines open one group.
TEST(RobotsTest, SeveralUserAgentsShareAGroup) {
  RobotsRules r = RobotsRules::Parse(
      "User-agent: a\nUser-agent: telescreen\nUser-agent: b\nDisallow: /shared\n", "telescreen");
  EXPECT_FALSE(r.IsAllowed("/shared"));
}

// Section 2.2.3: "*" matches any sequence, "$" the end of the path.
TEST(RobotsTest, WildcardAndEndAnchor) {
  RobotsRules r = RobotsRules::Parse(
      "User-agent: *\n"
      "Disallow: /*.pdf$\n"
      "Disallow: /people/*/private\n"
      "Allow: /$\n"
      "Disallow: /\n",
      "telescreen");
  EXPECT_TRUE(r.IsAllowed("/"));
  EXPECT_FALSE(r.IsAllowed("/index.html"));
  RobotsRules files =
      RobotsRules::Parse("User-agent: *\nDisallow: /*.pdf$\nDisallow: /people/*/private\n", "telescreen");
  EXPECT_FALSE(files.IsAllowed("/docs/cv.pdf"));
  EXPECT_TRUE(files.IsAllowed("/docs/cv.pdf?download=1"));
  EXPECT_TRUE(files.IsAllowed("/docs/cv.pdfx"));
  EXPECT_FALSE(files.IsAllowed("/people/ann/private"));
  EXPECT_FALSE(files.IsAllowed("/people/ann/bob/private/x"));
  EXPECT_TRUE(files.IsAllowed("/people/ann/public"));
}

TEST(RobotsTest, PatternMatcher) {
  EXPECT_TRUE(RobotsPatternMatches("/a", "/abc"));
  EXPECT_FALSE(RobotsPatternMatches("/a$", "/abc"));
  EXPECT_TRUE(RobotsPatternMatches("/a*c$", "/abc"));
  EXPECT_TRUE(RobotsPatternMatches("*", ""));
  EXPECT_TRUE(RobotsPatternMatches("/*/*/z", "/x/y/z"));
  EXPECT_FALSE(RobotsPatternMatches("/*/*/z", "/x/z"));
  EXPECT_TRUE(RobotsPatternMatches("/**$", "/anything"));
  EXPECT_FALSE(RobotsPatternMatches("/b", "/a"));
}

TEST(RobotsTest, HostilePatternStaysFast) {
  // Many stars against a long path: the matcher is iterative and quadratic
  // at worst, never exponential.
  std::string pattern = "/";
  for (int i = 0; i < 200; ++i) pattern += "*a";
  pattern += "b";
  std::string path = "/" + std::string(4000, 'a');
  EXPECT_FALSE(RobotsPatternMatches(pattern, path));
}

// Section 2.2.2: "The crawler MUST NOT ... [disallow] /robots.txt" -- the
// file itself is always allowed.
TEST(RobotsTest, RobotsTxtAlwaysAllowed) {
  RobotsRules r = RobotsRules::Parse("User-agent: *\nDisallow: /\n", "telescreen");
  EXPECT_FALSE(r.IsAllowed("/anything"));
  EXPECT_TRUE(r.IsAllowed("/robots.txt"));
}

// Section 2.2.2: rules are compared after percent-encoding normalisation.
TEST(RobotsTest, PercentEncodingNormalised) {
  RobotsRules r =
      RobotsRules::Parse("User-agent: *\nDisallow: /%7Eann/\nDisallow: /caf\xC3\xA9\n", "telescreen");
  EXPECT_FALSE(r.IsAllowed("/~ann/page"));
  EXPECT_FALSE(r.IsAllowed("/caf%c3%a9"));
}

// Section 2.2.2: an empty Disallow matches nothing.
TEST(RobotsTest, EmptyDisallowAllowsAll) {
  RobotsRules r = RobotsRules::Parse("User-agent: *\nDisallow:\n", "telescreen");
  EXPECT_TRUE(r.IsAllowed("/x"));
}

TEST(RobotsTest, CommentsCrlfBomAndUnknownLines) {
  RobotsRules r = RobotsRules::Parse(
      "\xEF\xBB\xBF# comment\r\nUser-agent: * # all\r\nSitemap: /s.xml\r\nCrawl-delay: 5\r\n"
      "Disallow: /tmp # temp\r\nnonsense line\r\n",
      "telescreen");
  EXPECT_FALSE(r.IsAllowed("/tmp/x"));
  EXPECT_TRUE(r.IsAllowed("/ok"));
  EXPECT_EQ(r.rule_count(), 1u);
}

TEST(RobotsTest, NoMatchingGroupAllowsAll) {
  RobotsRules r = RobotsRules::Parse("User-agent: otherbot\nDisallow: /\n", "telescreen");
  EXPECT_TRUE(r.IsAllowed("/x"));
}

TEST(RobotsTest, RulesBeforeAnyUserAgentIgnored) {
  RobotsRules r = RobotsRules::Parse("Disallow: /\nUser-agent: *\nDisallow: /x\n", "telescreen");
  EXPECT_TRUE(r.IsAllowed("/y"));
  EXPECT_FALSE(r.IsAllowed("/x"));
}

// Section 2.5: at least 500 KiB must be parsed; we stop there.
TEST(RobotsTest, ParsesOnly500KiB) {
  std::string body = "User-agent: *\n";
  while (body.size() < kMaxRobotsBytes) body += "Disallow: /filler\n";
  body += "Disallow: /beyond\n";
  RobotsRules r = RobotsRules::Parse(body, "telescreen");
  EXPECT_FALSE(r.IsAllowed("/filler"));
  EXPECT_TRUE(r.IsAllowed("/beyond"));
}

// Crawl-delay is not in RFC 9309; section 2.2.4 lets crawlers read "other
// records". It belongs to the group that applies, like the rules do.
TEST(RobotsTest, CrawlDelayOfTheApplyingGroup) {
  std::string body =
      "User-agent: *\nCrawl-delay: 7\nDisallow: /x\n\n"
      "User-agent: telescreen\nCrawl-delay: 2.5\nDisallow: /y\n\n"
      "User-agent: otherbot\nCrawl-delay: 30\n";
  RobotsRules ours = RobotsRules::Parse(body, "telescreen");
  ASSERT_TRUE(ours.crawl_delay().has_value());
  EXPECT_EQ(*ours.crawl_delay(), std::chrono::milliseconds(2500));
  RobotsRules star = RobotsRules::Parse(body, "somebot");
  ASSERT_TRUE(star.crawl_delay().has_value());
  EXPECT_EQ(*star.crawl_delay(), std::chrono::seconds(7));
  RobotsRules other = RobotsRules::Parse(body, "otherbot");
  EXPECT_EQ(*other.crawl_delay(), std::chrono::seconds(30));
}

TEST(RobotsTest, CrawlDelayOnlyFromOurGroupWhenOneMatches) {
  // Our group says no delay: the "*" group's delay does not apply.
  RobotsRules r = RobotsRules::Parse(
      "User-agent: *\nCrawl-delay: 9\n\nUser-agent: telescreen\nDisallow: /y\n", "telescreen");
  EXPECT_FALSE(r.crawl_delay().has_value());
  // Several matching groups: the longest delay wins.
  RobotsRules merged = RobotsRules::Parse(
      "User-agent: telescreen\nCrawl-delay: 1\n\nUser-agent: Telescreen/2\nCrawl-delay: 4\n", "telescreen");
  EXPECT_EQ(*merged.crawl_delay(), std::chrono::seconds(4));
  // Before any user-agent line it belongs to no group.
  EXPECT_FALSE(RobotsRules::Parse("Crawl-delay: 5\nUser-agent: *\nDisallow: /x\n", "telescreen")
                   .crawl_delay()
                   .has_value());
}

TEST(RobotsTest, CrawlDelayEndsTheUserAgentLines) {
  // "User-agent: a / Crawl-delay / User-agent: b" is two groups: b's rules
  // are not a's.
  RobotsRules a = RobotsRules::Parse(
      "User-agent: telescreen\nCrawl-delay: 3\nUser-agent: otherbot\nDisallow: /\n", "telescreen");
  EXPECT_TRUE(a.IsAllowed("/page"));
  EXPECT_EQ(*a.crawl_delay(), std::chrono::seconds(3));
}

TEST(RobotsTest, CrawlDelayValues) {
  using std::chrono::milliseconds;
  EXPECT_EQ(ParseCrawlDelay("10"), milliseconds(10000));
  EXPECT_EQ(ParseCrawlDelay("0.5"), milliseconds(500));
  EXPECT_EQ(ParseCrawlDelay(".25"), milliseconds(250));
  EXPECT_EQ(ParseCrawlDelay("2."), milliseconds(2000));
  EXPECT_EQ(ParseCrawlDelay("0"), milliseconds(0));
  EXPECT_EQ(ParseCrawlDelay("1.23456789"), milliseconds(1234));
  EXPECT_EQ(ParseCrawlDelay("99999999999999999999999999"), kMaxParsedCrawlDelay);
  for (const char* bad : {"", ".", "-1", "+1", "1e3", "5s", "1.2.3", "ten", " 1"}) {
    EXPECT_FALSE(ParseCrawlDelay(bad).has_value()) << bad;
  }
  // A bad value is skipped, not taken as zero.
  EXPECT_FALSE(
      RobotsRules::Parse("User-agent: *\nCrawl-delay: soon\n", "telescreen").crawl_delay().has_value());
  // Comments and CRLF around the value.
  EXPECT_EQ(RobotsRules::Parse("User-agent: *\r\ncrawl-DELAY:  1.5 # slow\r\n", "telescreen").crawl_delay(),
            milliseconds(1500));
}

// Section 2.3.1.3: 4xx means no restrictions; 2.3.1.4: 5xx or unreachable
// means complete disallow.
TEST(RobotsTest, StatusPolicy) {
  EXPECT_TRUE(RobotsRules::ForStatus(404, "", "telescreen").IsAllowed("/x"));
  EXPECT_TRUE(RobotsRules::ForStatus(403, "", "telescreen").IsAllowed("/x"));
  EXPECT_FALSE(RobotsRules::ForStatus(500, "", "telescreen").IsAllowed("/x"));
  EXPECT_FALSE(RobotsRules::ForStatus(503, "", "telescreen").IsAllowed("/x"));
  EXPECT_FALSE(RobotsRules::ForStatus(0, "", "telescreen").IsAllowed("/x"));
  EXPECT_TRUE(RobotsRules::ForStatus(0, "", "telescreen").disallow_all());
  EXPECT_FALSE(RobotsRules::ForStatus(429, "", "telescreen").IsAllowed("/x"));
  EXPECT_FALSE(RobotsRules::ForStatus(200, "User-agent: *\nDisallow: /x\n", "telescreen").IsAllowed("/x"));
}

}  // namespace
}  // namespace telescreen::fetch
