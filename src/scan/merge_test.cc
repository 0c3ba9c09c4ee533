// Merging facts from several pages, and plans stated in posts: a relative
// start counts from the post's date, not from the scan's --now.
#include "scan/merge.h"

#include <gtest/gtest.h>

namespace telescreen::scan {
namespace {

core::TimePoint At(const char* iso) { return core::ParseNow(iso).value(); }

model::Event Plan(std::string name, std::string start, std::string stated_at, std::string page) {
  model::Event e;
  e.name = std::move(name);
  e.start = std::move(start);
  e.role = "plan";
  e.stated_at = std::move(stated_at);
  e.evidence.push_back(model::Evidence{std::move(page), "pattern:text/plan-de-event", "x", false,
                                       model::Visibility::kPublic, ""});
  return e;
}

TEST(ResolveStatedStartTest, RelativeDatesCountFromThePostNotFromNow) {
  const auto now = At("2026-06-01T12:00:00Z");
  model::Event e = Plan("re:publica", "morgen", "2026-05-04T08:15:00Z", "p");
  ResolveStatedStart(&e, now);
  EXPECT_EQ(e.start, "2026-05-05");
  EXPECT_EQ(e.end, "");
  EXPECT_EQ(TenseOf(e, now), model::Tense::kPast);  // said a month ago: it is over

  model::Event week = Plan("FOSDEM", "next week", "2026-01-25", "p");  // a Sunday
  ResolveStatedStart(&week, now);
  EXPECT_EQ(week.start, "2026-01-26");
  EXPECT_EQ(week.end, "2026-02-01");
}

TEST(ResolveStatedStartTest, AbsoluteOrUndatedStartsStayAsAuthored) {
  const auto now = At("2026-06-01T12:00:00Z");
  model::Event absolute = Plan("Konferenz", "12. März 2026", "2026-01-01", "p");
  ResolveStatedStart(&absolute, now);
  EXPECT_EQ(absolute.start, "12. März 2026");
  model::Event undated = Plan("Konferenz", "morgen", "", "p");
  ResolveStatedStart(&undated, now);
  EXPECT_EQ(undated.start, "morgen");
  model::Event bad_date = Plan("Konferenz", "morgen", "not a date", "p");
  ResolveStatedStart(&bad_date, now);
  EXPECT_EQ(bad_date.start, "morgen");
}

TEST(MergeFactsTest, SamePlanOnFeedAndPostPageIsOneEventOnTheRightDay) {
  MergeInput input;
  input.now = At("2026-01-08T12:00:00Z");
  model::PageFacts feed, post;
  feed.events.push_back(
      Plan("Hamburg Design Days", "nächste Woche", "2026-01-06T08:15:00Z", "https://s.example/@ann"));
  post.events.push_back(
      Plan("Hamburg Design Days", "nächste Woche", "2026-01-06T08:15:00Z", "https://s.example/@ann/1001"));
  input.facts.Add("https://s.example/@ann/1001", post);
  input.facts.Add("https://s.example/@ann", feed);
  model::ScanResult result;
  MergeFacts(input, &result);
  ASSERT_EQ(result.events.size(), 1u);
  const auto& e = result.events[0];
  EXPECT_EQ(e.start, "2026-01-12");  // the Monday after the post's Tuesday
  EXPECT_EQ(e.end, "2026-01-18");
  EXPECT_EQ(e.stated_at, "2026-01-06T08:15:00Z");
  EXPECT_EQ(e.evidence.size(), 2u);
  EXPECT_EQ(e.tense, model::Tense::kFuture);
  EXPECT_TRUE(e.imminent);
}

TEST(MergeFactsTest, SamePhraseInPostsOfDifferentDaysIsTwoEvents) {
  MergeInput input;
  input.now = At("2026-01-08T12:00:00Z");
  model::PageFacts feed;
  feed.events.push_back(Plan("Stammtisch", "morgen", "2026-01-01", "https://s.example/@ann"));
  feed.events.push_back(Plan("Stammtisch", "morgen", "2026-01-07", "https://s.example/@ann"));
  input.facts.Add("https://s.example/@ann", feed);
  model::ScanResult result;
  MergeFacts(input, &result);
  ASSERT_EQ(result.events.size(), 2u);
  EXPECT_EQ(result.events[0].start, "2026-01-02");
  EXPECT_EQ(result.events[0].tense, model::Tense::kPast);
  EXPECT_EQ(result.events[1].start, "2026-01-08");
  EXPECT_EQ(result.events[1].tense, model::Tense::kFuture);
}

}  // namespace
}  // namespace telescreen::scan
