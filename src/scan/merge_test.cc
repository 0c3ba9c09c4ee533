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

TEST(ResolveStatedStartTest, ATimeRangeKeepsItsEnd) {
  const auto now = At("2026-06-01T12:00:00Z");
  model::Event e = Plan("Demo Night", "apr 10, 6–9pm", "2026-03-26T18:22:20Z", "p");
  ResolveStatedStart(&e, now);
  EXPECT_EQ(e.start, "2026-04-10T18:00");
  EXPECT_EQ(e.end, "2026-04-10T21:00");
  model::Event days = Plan("Hackathon", "may 2–3", "2026-03-19", "p");
  ResolveStatedStart(&days, now);
  EXPECT_EQ(days.start, "2026-05-02");
  EXPECT_EQ(days.end, "2026-05-03");
}

TEST(NormalizeStartTest, AbsoluteDatesInWordsBecomeIso) {
  const auto now = At("2017-01-14T00:00:00Z");
  model::Event e;
  e.start = "20. und 21. 1. 2010";
  NormalizeStart(&e, now);
  EXPECT_EQ(e.start, "2010-01-20");
  EXPECT_EQ(e.end, "2010-01-21");
  model::Event timed;
  timed.start = "Dienstag, 3. Februar 2026, 19:00 Uhr";
  NormalizeStart(&timed, now);
  EXPECT_EQ(timed.start, "2026-02-03T19:00");
  for (const char* relative : {"Friday", "12 March", "morgen", "2026-02-03T19:00:00+01:00"}) {
    model::Event r;
    r.start = relative;
    NormalizeStart(&r, now);
    EXPECT_EQ(r.start, relative);  // depends on the day it is read, or is ISO already
  }
}

TEST(TenseOfTest, AnUndatedEventAttendedIsPastOtherwiseUnknown) {
  const auto now = At("2026-06-01T12:00:00Z");
  model::Event e;
  e.name = "Rechtsfragen im Web 2.0";
  e.role = "attended";
  EXPECT_EQ(TenseOf(e, now), model::Tense::kPast);
  e.role = "spoke";
  EXPECT_EQ(TenseOf(e, now), model::Tense::kPast);
  e.role = "rsvp-yes";
  EXPECT_EQ(TenseOf(e, now), model::Tense::kUnknown);
  e.role = "attended";
  e.start = "2026-07-01";  // a readable start decides, whatever the role says
  EXPECT_EQ(TenseOf(e, now), model::Tense::kFuture);
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

// A link a browser would run or open as a document of its own is no link
// the report may show: the contact and the event keep their names, the
// bare URL fact goes, and each drop is a warning that names the page.
TEST(MergeFactsTest, UnsafeLinksAreDroppedAndTheNamesStay) {
  MergeInput input;
  input.now = At("2026-01-08T12:00:00Z");
  model::PageFacts page;
  page.contacts.push_back(model::Contact{"Bob Builder", "javascript:alert(1)", "knows", {}});
  page.contacts.push_back(model::Contact{"", "data:text/html,x", "knows", {}});
  page.contacts.push_back(model::Contact{"Carol", "mailto:carol@example.org", "knows", {}});
  model::Event e = Plan("Meetup", "2026-02-01", "", "https://a.example/");
  e.url = "vbscript:msgbox";
  page.events.push_back(e);
  page.identity.push_back(model::IdentityFact{"profile", "javascript:void(0)", {}});
  page.identity.push_back(model::IdentityFact{"name", "Ann Example", {}});
  input.facts.Add("https://a.example/", page);
  model::ScanResult result;
  MergeFacts(input, &result);
  ASSERT_EQ(result.contacts.size(), 2u);
  EXPECT_EQ(result.contacts[0].name, "Bob Builder");
  EXPECT_EQ(result.contacts[0].url, "");
  EXPECT_EQ(result.contacts[1].url, "mailto:carol@example.org");
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_EQ(result.events[0].url, "");
  ASSERT_EQ(result.identity.facts.size(), 1u);
  EXPECT_EQ(result.identity.facts[0].kind, "name");
  EXPECT_TRUE(result.identity.profiles.empty());
  ASSERT_EQ(result.warnings.size(), 4u);
  EXPECT_EQ(result.warnings[1],
            "https://a.example/: contact \"Bob Builder\": javascript: link dropped "
            "(only http, https, mailto and tel links are kept)");
}

// Interactions are weak ties: whoever is a contact, or the person, is not
// listed again among them; one entry per person and kind across pages.
TEST(MergeFactsTest, InteractionsLeaveOutContactsAndThePerson) {
  MergeInput input;
  input.now = At("2026-01-08T12:00:00Z");
  using Kind = model::InteractionKind;
  model::PageFacts a, b;
  a.identity.push_back(model::IdentityFact{"name", "Ann Example", {}});
  a.contacts.push_back(model::Contact{"Bob Builder", "https://bob.example/", "knows", {}});
  a.interactions.push_back(model::Interaction{"Bob Builder", "https://bob.example/", Kind::kComment, {}});
  a.interactions.push_back(model::Interaction{"Ann Example", "", Kind::kReaction, {}});
  a.interactions.push_back(model::Interaction{"Eve", "https://eve.example", Kind::kComment, {}});
  b.interactions.push_back(model::Interaction{"Eve", "https://eve.example/", Kind::kComment, {}});
  b.interactions.push_back(model::Interaction{"Eve", "https://eve.example/", Kind::kReaction, {}});
  b.interactions.push_back(model::Interaction{"Mallory", "javascript:alert(1)", Kind::kMention, {}});
  input.facts.Add("https://a.example/", a);
  input.facts.Add("https://b.example/", b);
  model::ScanResult result;
  MergeFacts(input, &result);
  ASSERT_EQ(result.interactions.size(), 3u);
  EXPECT_EQ(result.interactions[0].name, "Eve");
  EXPECT_EQ(result.interactions[0].kind, Kind::kReaction);
  EXPECT_EQ(result.interactions[1].kind, Kind::kComment);
  EXPECT_EQ(result.interactions[2].name, "Mallory");
  EXPECT_EQ(result.interactions[2].url, "");
}

// The merge sorts its lists in place (a permutation, cycle by cycle): every
// item must land where the order says, whatever order the pages came in.
TEST(MergeFactsTest, EventsAndContactsComeOutInOrderWhateverThePageOrder) {
  MergeInput input;
  input.now = At("2026-06-01T12:00:00Z");
  // Days 1..9 of March spread over three pages so that the sort moves them
  // in cycles of different lengths, plus one event without a date.
  const int days[] = {7, 2, 9, 1, 5, 3, 8, 4, 6};
  for (int page = 0; page < 3; ++page) {
    model::PageFacts facts;
    const std::string url = "https://s.example/p" + std::to_string(page);
    for (int k = 0; k < 3; ++k) {
      const int day = days[page * 3 + k];
      facts.events.push_back(
          Plan("Event " + std::to_string(day), "2026-03-0" + std::to_string(day), "", url));
      model::Contact c;
      c.name = std::string(1, static_cast<char>('A' + (day * 5) % 9));  // letters A..I, scrambled
      c.url = "https://s.example/u/" + c.name;
      c.evidence.push_back(model::Evidence{url, "h-card", c.name, true, model::Visibility::kPublic, ""});
      facts.contacts.push_back(std::move(c));
    }
    if (page == 1) facts.events.push_back(Plan("Someday", "", "", url));
    // The same fact twice on a page is one fact; on another page it is another.
    model::IdentityFact name{"name", "Ann",
                             model::Evidence{url, "h-card", "Ann", true, model::Visibility::kPublic, ""}};
    facts.identity.push_back(name);
    facts.identity.push_back(name);
    input.facts.Add(url, facts);
  }
  model::ScanResult result;
  MergeFacts(input, &result);
  ASSERT_EQ(result.events.size(), 10u);
  for (int day = 1; day <= 9; ++day) {
    EXPECT_EQ(result.events[day - 1].name, "Event " + std::to_string(day));
    EXPECT_EQ(result.events[day - 1].evidence.size(), 1u);
  }
  EXPECT_EQ(result.events[9].name, "Someday");  // no date: last
  ASSERT_EQ(result.contacts.size(), 9u);
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(result.contacts[i].name, std::string(1, static_cast<char>('A' + i)));
    EXPECT_EQ(result.contacts[i].url, "https://s.example/u/" + result.contacts[i].name);
  }
  ASSERT_EQ(result.identity.facts.size(), 3u);
  EXPECT_EQ(result.identity.facts[0].evidence.page_url, "https://s.example/p0");
  EXPECT_EQ(result.identity.facts[2].evidence.page_url, "https://s.example/p2");
}

}  // namespace
}  // namespace telescreen::scan
