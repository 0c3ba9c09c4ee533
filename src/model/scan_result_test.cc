#include "model/scan_result.h"

#include <gtest/gtest.h>

#include "model/dom.h"

namespace telescreen::model {
namespace {

const core::TimePoint kNow = core::ParseNow("2026-11-26T12:00:00Z").value();

Event Plan(const std::string& start, Tense tense = Tense::kFuture) {
  Event e;
  e.name = "x";
  e.start = start;
  e.tense = tense;
  return e;
}

TEST(FoldTextTest, CollapsesSpaceAndLowersAsciiOnly) {
  EXPECT_EQ(FoldText("  Ann \t LEE\n"), "ann lee");
  EXPECT_EQ(FoldText("\xC3\x84rzte"), "\xC3\x84rzte");  // no Unicode case folding
}

TEST(EnumWordsTest, EachNameParsesBack) {
  for (Tense t : {Tense::kPast, Tense::kFuture, Tense::kUnknown}) EXPECT_EQ(ParseTense(TenseName(t)), t);
  for (Visibility v : {Visibility::kPublic, Visibility::kMembersOnly}) {
    EXPECT_EQ(ParseVisibility(VisibilityName(v)), v);
  }
  for (Wall w : {Wall::kNone, Wall::kLogin, Wall::kBlocked}) EXPECT_EQ(ParseWall(WallName(w)), w);
  for (Seen s : {Seen::kFull, Seen::kPartial, Seen::kWalled, Seen::kFailed})
    EXPECT_EQ(ParseSeen(SeenName(s)), s);
  for (InteractionKind k :
       {InteractionKind::kReaction, InteractionKind::kComment, InteractionKind::kMention}) {
    EXPECT_EQ(InteractionKindFrom(InteractionKindName(k)), k);
  }
  EXPECT_EQ(ParseTense("Past"), std::nullopt);  // exact words only
  EXPECT_EQ(InteractionKindFrom("like"), InteractionKind::kComment);
}

// A plan within 14 days is flagged imminent, counted in whole days, floored.
TEST(ImminentTest, WithinFourteenWholeDaysOfNow) {
  EXPECT_EQ(DaysUntilStart(Plan("2026-11-29T19:00:00Z"), kNow), 3);
  EXPECT_EQ(DaysUntilStart(Plan("2026-12-10T12:00:00Z"), kNow), 14);
  EXPECT_EQ(DaysUntilStart(Plan("2026-12-11T11:59:59Z"), kNow), 14);
  EXPECT_EQ(DaysUntilStart(Plan("2026-12-11T12:00:00Z"), kNow), 15);
  EXPECT_TRUE(IsImminent(Plan("2026-11-29T19:00:00Z"), kNow));
  EXPECT_TRUE(IsImminent(Plan("2026-12-11T11:59:59Z"), kNow));
  EXPECT_FALSE(IsImminent(Plan("2026-12-11T12:00:00Z"), kNow));
  EXPECT_TRUE(IsImminent(Plan("2026-12-10T12:00:00+01:00"), kNow));  // offset honoured: 13 days 23 h
}

TEST(ImminentTest, UnderWayCountsAsToday) {
  Event festival = Plan("2026-11-25");  // started yesterday, still on (tense future)
  festival.end = "2026-11-28";
  EXPECT_EQ(DaysUntilStart(festival, kNow), 0);
  EXPECT_TRUE(IsImminent(festival, kNow));
}

TEST(ImminentTest, OnlyPlansWithAnIsoStart) {
  EXPECT_FALSE(IsImminent(Plan("2026-11-29", Tense::kPast), kNow));
  EXPECT_FALSE(IsImminent(Plan("2026-11-29", Tense::kUnknown), kNow));
  EXPECT_FALSE(IsImminent(Plan("next Tuesday"), kNow));
  EXPECT_FALSE(IsImminent(Plan(""), kNow));
  EXPECT_FALSE(DaysUntilStart(Plan("next Tuesday"), kNow).has_value());
}

TEST(SiteOfUrlTest, HostWithoutWwwAndWithAPortOnlyWhenNotTheDefault) {
  EXPECT_EQ(SiteOfUrl("https://www.LinkedIn.com/in/someone"), "linkedin.com");
  EXPECT_EQ(SiteOfUrl("http://xing.com:80/profile/x"), "xing.com");
  EXPECT_EQ(SiteOfUrl("https://xing.com:443/"), "xing.com");
  EXPECT_EQ(SiteOfUrl("http://127.0.0.1:8081/a"), "127.0.0.1:8081");
  EXPECT_NE(SiteOfUrl("http://127.0.0.1:8081/"), SiteOfUrl("http://127.0.0.1:8082/"));
  EXPECT_EQ(SiteOfUrl("saved/profile.html"), "");
}

TEST(SiteTitleOfUrlTest, TheOriginWithoutSchemeAndWww) {
  EXPECT_EQ(SiteTitleOfUrl("https://www.social.example/@ann"), "social.example");
  EXPECT_EQ(SiteTitleOfUrl("http://127.0.0.1:33351/p"), "127.0.0.1:33351");
  EXPECT_EQ(SiteTitleOfUrl("https://xing.com:443/"), "xing.com");
  EXPECT_EQ(SiteTitleOfUrl("http://[::1]:8080/"), "[::1]:8080");
  EXPECT_FALSE(SiteTitleOfUrl("saved/profile.html").has_value());
}

TEST(SiteLabelTest, NamesThePackOnlyWhereTheSiteDoesNot) {
  EXPECT_EQ(SitePackOfVia("pattern:mastodon/followers"), "mastodon");
  EXPECT_EQ(SitePackOfVia("pattern:generic/email"), "");
  EXPECT_EQ(SitePackOfVia("pattern:text/phone"), "");
  EXPECT_EQ(SitePackOfVia("json-ld"), "");
  EXPECT_EQ(SiteLabel("127.0.0.1:33351", {"mastodon"}), "127.0.0.1:33351 (mastodon)");
  EXPECT_EQ(SiteLabel("mastodon.social", {"mastodon"}), "mastodon.social");
  EXPECT_EQ(SiteLabel("127.0.0.1:1", {"mastodon", "github"}), "127.0.0.1:1");
  EXPECT_EQ(SiteLabel("127.0.0.1:1", {}), "127.0.0.1:1");
}

TEST(LevelOfTest, BandsAtTwentyFortyFiveAndSeventy) {
  EXPECT_EQ(LevelOf(0), "low");
  EXPECT_EQ(LevelOf(19.9), "low");
  EXPECT_EQ(LevelOf(20), "moderate");
  EXPECT_EQ(LevelOf(44.9), "moderate");
  EXPECT_EQ(LevelOf(45), "high");
  EXPECT_EQ(LevelOf(69.9), "high");
  EXPECT_EQ(LevelOf(70), "severe");
  EXPECT_EQ(LevelOf(100), "severe");
}

}  // namespace
}  // namespace telescreen::model
