#include "accounts/accounts_report.h"

#include <gtest/gtest.h>

namespace telescreen::accounts {
namespace {

AccountsReport Sample() {
  AccountsReport r;
  r.usernames = {"jdoe"};
  r.checked_at = "2026-01-15T00:00:00Z";
  r.results = {
      {"jdoe", "Site<script>", "https://a.example/jdoe", Status::kFound, "HTTP 200 with the presence text",
       "social"},
      {"jdoe", "Evil", "javascript:alert(1)", Status::kFound, "HTTP 200", "x\x1b[31m"},
      {"jdoe", "Busy", "https://b.example/jdoe", Status::kUnknown, "rate limited: HTTP 429", "coding"},
      {"jdoe", "Empty", "https://c.example/jdoe", Status::kAbsent, "HTTP 404", ""},
  };
  return r;
}

TEST(AccountsReportTest, JsonRoundTrips) {
  AccountsReport r = Sample();
  std::string json = RenderAccountsJson(r);
  EXPECT_NE(json.find("\"schema_version\": 1"), std::string::npos);
  auto back = ParseAccountsJson(json);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back.value(), r);
  EXPECT_FALSE(ParseAccountsJson("{\"schema_version\": 2}").ok());
  EXPECT_FALSE(ParseAccountsJson("not json").ok());
}

TEST(AccountsReportTest, HtmlEscapesEverythingAndLinksOnlyHttp) {
  std::string html = RenderAccountsHtml(Sample());
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("Site&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("href=\"javascript:"), std::string::npos);
  EXPECT_NE(html.find("href=\"https://a.example/jdoe\""), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src &#39;none&#39;"), std::string::npos);
  // Found profiles come before the rest.
  EXPECT_LT(html.find("id=\"found\""), html.find("id=\"unknown\""));
  EXPECT_LT(html.find("id=\"unknown\""), html.find("id=\"absent\""));
  // Nothing is loaded from elsewhere.
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
}

TEST(AccountsReportTest, TextListsFoundFirstWithoutTerminalControls) {
  AccountsReport r = Sample();
  r.results[0].site = "Bad\x1b]0;title\x07Site";
  std::string text = RenderAccountsText(r);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_LT(text.find("FOUND (2)"), text.find("COULD NOT TELL (1)"));
  EXPECT_NE(text.find("https://a.example/jdoe"), std::string::npos);
  EXPECT_NE(text.find("No profile on 1 site; 1 site could not be checked"), std::string::npos);
  EXPECT_NE(text.find("your own"), std::string::npos);
}

TEST(AccountsReportTest, StaleRulesNameTheSitesThatNoLongerDetect) {
  std::string text = RenderAccountsText(Sample(), TextKind::kStaleRules);
  EXPECT_NE(text.find("2 still detect, 2 no longer detect"), std::string::npos);
  EXPECT_NE(text.find("STALE Busy (known 'jdoe'): unknown, rate limited: HTTP 429"), std::string::npos);
}

TEST(AccountChangesTest, AppearedAndDisappearedButNotUnknown) {
  AccountsReport before = Sample();  // Site<script> and Evil found, Busy unknown, Empty absent
  AccountsReport after = Sample();
  after.checked_at = "2026-02-01T00:00:00Z";
  after.results[0].status = Status::kAbsent;   // Site<script>: gone
  after.results[1].status = Status::kUnknown;  // Evil: cannot tell now, not gone
  after.results[2].status = Status::kFound;    // Busy: appeared
  AccountChanges c = DiffAccounts(before, after);
  EXPECT_EQ(c.since, "2026-01-15T00:00:00Z");
  ASSERT_EQ(c.appeared.size(), 1u);
  EXPECT_EQ(c.appeared[0].site, "Busy");
  ASSERT_EQ(c.disappeared.size(), 1u);
  EXPECT_EQ(c.disappeared[0].site, "Site<script>");
  std::string text = RenderChangesText(c);
  EXPECT_NE(text.find("1 profile appeared, 1 disappeared"), std::string::npos);
  EXPECT_NE(text.find("  + Busy  https://b.example/jdoe  [jdoe]"), std::string::npos);
  EXPECT_EQ(UsernamesKey({"b", "a", "b"}), "a\nb");
}

}  // namespace
}  // namespace telescreen::accounts
