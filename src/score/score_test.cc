#include "score/score.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "score/constants.h"
#include "score/fixture.h"

namespace telescreen::score {
namespace {

using model::Evidence;
using model::ScanResult;

core::TimePoint Now() { return core::ParseNow(testing::kFixtureNow).value(); }

int Total(ScanResult r) {
  ScoreScan(&r, Now());
  return r.score.total;
}

// Everything a report shows, as one string, to compare two scorings.
std::string Fingerprint(ScanResult r) {
  ScoreScan(&r, Now());
  std::string s = std::to_string(r.score.total) + r.score.level + "\n";
  for (const auto& c : r.score.categories) {
    s += c.id + " " + std::to_string(c.score) + " " + c.summary + "\n";
  }
  for (const auto& f : r.findings) {
    s += f.id + "|" + f.category + "|" + f.title + "|" + std::to_string(f.points) + "|" +
         std::to_string(f.visibility) + "|" + f.remediation + "\n";
    for (const auto& e : f.evidence) s += "  " + e.page_url + " " + e.via + " " + e.excerpt + "\n";
  }
  for (const auto& x : r.fixes) {
    s += x.id + "|" + x.text + "|" + x.settings_url + "|" + std::to_string(x.score_after) + "|" +
         std::to_string(x.cumulative_after) + "|";
    for (const auto& id : x.findings) s += id.str() + ",";
    s += "\n";
  }
  return s;
}

template <typename T>
void Shuffle(std::vector<T>* v, std::mt19937* rng) {
  std::shuffle(v->begin(), v->end(), *rng);
}

ScanResult Shuffled(ScanResult r, std::mt19937* rng) {
  Shuffle(&r.contacts, rng);
  Shuffle(&r.events, rng);
  Shuffle(&r.identity.facts, rng);
  Shuffle(&r.identity.profiles, rng);
  for (auto& c : r.contacts) Shuffle(&c.evidence, rng);
  for (auto& e : r.events) Shuffle(&e.evidence, rng);
  return r;
}

TEST(ScoreTest, EmptyScanIsZeroAndLow) {
  ScanResult r;
  ScoreScan(&r, Now());
  EXPECT_EQ(r.score.total, 0);
  EXPECT_EQ(r.score.level, "low");
  EXPECT_TRUE(r.findings.empty());
  ASSERT_EQ(r.score.categories.size(), std::size(kCategories));
  for (const auto& c : r.score.categories) {
    EXPECT_EQ(c.score, 0) << c.id;
    EXPECT_FALSE(c.summary.empty()) << c.id;
    EXPECT_FALSE(c.label.empty()) << c.id;
  }
}

// A walled or failed target: the total is a lower bound and the summary
// never says that little is public.
TEST(ScoreTest, APartialViewIsNeverAnAllClear) {
  ScanResult r;
  r.coverage = {{"https://www.linkedin.com/in/ann", "linkedin.com", model::Seen::kWalled, "HTTP 999"},
                {"https://ann.example/", "ann.example", model::Seen::kFull, ""}};
  ScoreScan(&r, Now());
  EXPECT_EQ(r.score.total, 0);
  EXPECT_FALSE(r.score.complete);
  EXPECT_EQ(r.score.level_summary.find("Little about you"), std::string::npos);
  EXPECT_EQ(r.score.level_summary.rfind("1 of 2 targets was not fully seen", 0), 0u) << r.score.level_summary;
  EXPECT_EQ(PartialSentence(2, 2).rfind("None of the 2 targets was fully seen", 0), 0u);
  EXPECT_EQ(PartialSentence(2, 3).rfind("2 of 3 targets were not fully seen", 0), 0u);
  EXPECT_EQ(PartialSentence(1, 1).rfind("The target was not fully seen", 0), 0u);
  r.coverage[0].seen = model::Seen::kFull;
  ScoreScan(&r, Now());
  EXPECT_TRUE(r.score.complete);
  EXPECT_EQ(r.score.level_summary, LevelSentence(0));
}

TEST(ScoreTest, FixtureIsHighWithEveryCategory) {
  ScanResult r = testing::RealisticScan();
  ScoreScan(&r, Now());
  EXPECT_GE(r.score.total, 45);
  EXPECT_LE(r.score.total, 100);
  for (const auto& c : r.score.categories) EXPECT_GT(c.score, 0) << c.id;
  for (const auto& f : r.findings) {
    EXPECT_FALSE(f.title.empty()) << f.id;
    EXPECT_FALSE(f.remediation.empty()) << f.id;
    EXPECT_FALSE(f.evidence.empty()) << f.id;
    EXPECT_GT(f.points, 0) << f.id;
  }
  // Highest points first.
  for (std::size_t i = 1; i < r.findings.size(); ++i) {
    EXPECT_GE(r.findings[i - 1].points, r.findings[i].points);
  }
}

TEST(ScoreTest, DeterministicAndIndependentOfInputOrder) {
  const ScanResult base = testing::RealisticScan();
  const std::string expected = Fingerprint(base);
  EXPECT_EQ(Fingerprint(base), expected);
  std::mt19937 rng(7);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(Fingerprint(Shuffled(base, &rng)), expected) << "shuffle " << i;
  }
}

TEST(ScoreTest, RandomScansAreIndependentOfOrder) {
  for (unsigned seed = 1; seed <= 30; ++seed) {
    const ScanResult base = testing::RandomScan(seed);
    const std::string expected = Fingerprint(base);
    std::mt19937 rng(seed);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(Fingerprint(Shuffled(base, &rng)), expected) << seed;
  }
}

TEST(ScoreTest, BoundedEvenWhenHuge) {
  ScanResult r = testing::RealisticScan();
  for (int i = 0; i < 5000; ++i) {
    model::Contact c;
    c.name = "Contact " + std::to_string(i);
    c.url = "https://site" + std::to_string(i % 7) + ".example/u/" + std::to_string(i);
    c.evidence.push_back(testing::Ev(c.url, "json-ld", c.name, true, model::Visibility::kPublic));
    r.contacts.push_back(c);
  }
  ScoreScan(&r, Now());
  EXPECT_LE(r.score.total, 100);
  EXPECT_GE(r.score.total, 0);
  for (const auto& c : r.score.categories) {
    EXPECT_LE(c.score, 100);
    EXPECT_GE(c.score, 0);
  }
  for (const auto& f : r.findings) EXPECT_LE(f.evidence.size(), 12u);
  for (unsigned seed = 1; seed <= 40; ++seed) {
    int t = Total(testing::RandomScan(seed));
    EXPECT_GE(t, 0);
    EXPECT_LE(t, 100);
  }
}

TEST(ScoreTest, MonotonicWhenAddingItems) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    ScanResult grow;
    grow.now = testing::kFixtureNow;
    const ScanResult source = testing::RandomScan(seed);
    int last = 0;
    std::vector<double> last_cats(std::size(kCategories), 0);
    auto check = [&](const char* what) {
      ScanResult scored = grow;
      ScoreScan(&scored, Now());
      EXPECT_GE(scored.score.total, last) << "seed " << seed << " adding " << what;
      for (std::size_t i = 0; i < last_cats.size(); ++i) {
        EXPECT_GE(scored.score.categories[i].score, last_cats[i])
            << "seed " << seed << " category " << scored.score.categories[i].id << " adding " << what;
        last_cats[i] = scored.score.categories[i].score;
      }
      last = scored.score.total;
    };
    for (const auto& f : source.identity.facts) {
      grow.identity.facts.push_back(f);
      check("fact");
    }
    for (const auto& e : source.events) {
      grow.events.push_back(e);
      check("event");
    }
    for (const auto& c : source.contacts) {
      grow.contacts.push_back(c);
      check("contact");
    }
    for (const auto& p : source.identity.profiles) {
      grow.identity.profiles.push_back(p);
      check("profile");
    }
  }
}

// Removing every public item leaves members-only ones: the bottom level.
TEST(ScoreTest, WithoutPublicFindingsTheLevelIsLow) {
  auto members_only = [](ScanResult r) {
    auto strip = [](std::vector<Evidence>* ev) {
      std::erase_if(*ev, [](const Evidence& e) { return e.visibility == model::Visibility::kPublic; });
      return ev->empty();
    };
    std::erase_if(r.contacts, [&](model::Contact& c) { return strip(&c.evidence); });
    std::erase_if(r.events, [&](model::Event& e) { return strip(&e.evidence); });
    std::erase_if(r.identity.facts, [](const model::IdentityFact& f) {
      return f.evidence.visibility == model::Visibility::kPublic;
    });
    r.identity.profiles.clear();
    return r;
  };
  for (unsigned seed = 1; seed <= 30; ++seed) {
    ScanResult r = members_only(testing::RandomScan(seed));
    ScoreScan(&r, Now());
    EXPECT_EQ(r.score.level, "low") << seed << " total " << r.score.total;
  }
  // All-members-only version of the fixture: lots of items, still low.
  ScanResult all = testing::RealisticScan();
  for (auto& c : all.contacts)
    for (auto& e : c.evidence) e.visibility = model::Visibility::kMembersOnly;
  for (auto& ev : all.events)
    for (auto& e : ev.evidence) e.visibility = model::Visibility::kMembersOnly;
  for (auto& f : all.identity.facts) f.evidence.visibility = model::Visibility::kMembersOnly;
  all = members_only(all);
  ScoreScan(&all, Now());
  EXPECT_EQ(all.score.level, "low");
  EXPECT_GT(all.score.total, 0);  // still counted, just capped
  EXPECT_FALSE(all.findings.empty());
}

TEST(ScoreTest, MembersOnlyCapKeepsTheTotalLow) {
  double keep = 1.0;
  for (const auto& c : kCategories) keep *= 1.0 - c.weight * kMembersOnlyCategoryCap / 100.0;
  EXPECT_LT(100.0 * (1.0 - keep), 19.5);
  EXPECT_EQ(LevelName(static_cast<int>(std::lround(100.0 * (1.0 - keep)))), "low");
}

model::Event Plan(const std::string& start, const std::string& location) {
  model::Event e;
  e.name = "Meetup";
  e.start = start;
  e.location = location;
  e.tense = model::Tense::kFuture;
  e.evidence.push_back(
      testing::Ev("https://events.example/e/1", "json-ld", "Meetup", true, model::Visibility::kPublic));
  return e;
}

double PlanPoints(const model::Event& e) {
  ScanResult r;
  r.events.push_back(e);
  auto f = BuildFindings(r, Now());
  EXPECT_EQ(f.size(), 1u);
  return f.empty() ? 0 : f[0].points;
}

TEST(ScoreTest, PlansWeighUpAsTheDateNearsAndTheVenueIsPrecise) {
  // kFixtureNow is 2026-11-26.
  double imminent = PlanPoints(Plan("2026-12-03T19:00:00Z", "Berlin"));
  double soon = PlanPoints(Plan("2027-01-10T19:00:00Z", "Berlin"));
  double far = PlanPoints(Plan("2027-06-10T19:00:00Z", "Berlin"));
  EXPECT_GT(imminent, soon);
  EXPECT_GT(soon, far);
  double precise = PlanPoints(Plan("2027-06-10T19:00:00Z", "Hall 2, Alexanderplatz 1, Berlin"));
  double none = PlanPoints(Plan("2027-06-10T19:00:00Z", ""));
  EXPECT_GT(precise, far);
  EXPECT_GT(far, none);
}

template <typename E>
bool SetStatus(E* e, const char* status) {
  if constexpr (requires { e->status; }) {
    e->status = status;
    return true;
  } else {
    return false;
  }
}

TEST(ScoreTest, CancelledPlansDoNotCount) {
  model::Event e = Plan("2026-12-03T19:00:00Z", "Hall 2, Fair Rd 1");
  if (!SetStatus(&e, "cancelled")) GTEST_SKIP() << "model::Event has no status yet";
  ScanResult r;
  r.events.push_back(e);
  EXPECT_TRUE(BuildFindings(r, Now()).empty());
  model::Event online = Plan("2026-12-03T19:00:00Z", "Hall 2, Fair Rd 1");
  SetStatus(&online, "moved-online");
  EXPECT_LT(PlanPoints(online), PlanPoints(Plan("2026-12-03T19:00:00Z", "Hall 2, Fair Rd 1")));
}

TEST(ScoreTest, RoutineRaisesPlansWithoutAPostedPlan) {
  ScanResult r;
  // Three Wednesdays at the same climbing gym, all in the past.
  for (const char* d : {"2026-10-07T18:00", "2026-10-14T18:00", "2026-10-21T18:00"}) {
    model::Event e;
    e.name = std::string("Climbing ") + d;
    e.start = d;
    e.location = "Boulderhaus, Main St 5";
    e.tense = model::Tense::kPast;
    e.evidence.push_back(
        testing::Ev("https://meet.example/u/ann", "h-event", e.name.str(), true, model::Visibility::kPublic));
    r.events.push_back(e);
  }
  ScoreScan(&r, Now());
  const auto& plans = r.score.categories[0];
  ASSERT_EQ(plans.id, "plans");
  EXPECT_GT(plans.score, 0);
  bool found = false;
  for (const auto& f : r.findings) {
    if (f.id.rfind("plans.routine.", 0) == 0) {
      found = true;
      EXPECT_NE(f.title.find("Wednesdays"), std::string::npos) << f.title;
    }
  }
  EXPECT_TRUE(found);
  // Two visits are not yet a routine.
  r.events.pop_back();
  ScoreScan(&r, Now());
  EXPECT_EQ(r.score.categories[0].score, 0);
}

TEST(ScoreTest, FourDatedPlacesAddTheReidentificationFinding) {
  ScanResult r;
  auto has_points = [&] {
    ScoreScan(&r, Now());
    for (const auto& f : r.findings) {
      if (f.id == "past.points") return true;
    }
    return false;
  };
  const char* places[] = {"Cafe A", "Museum B", "Park C", "Bar D"};
  for (int i = 0; i < 4; ++i) {
    model::Event e;
    e.name = "Event " + std::to_string(i);
    e.start = "2026-0" + std::to_string(i + 3) + "-1" + std::to_string(i) + "T20:00:00Z";
    e.location = places[i];
    e.tense = model::Tense::kPast;
    e.evidence.push_back(
        testing::Ev("https://ev.example/p", "json-ld", e.name.str(), true, model::Visibility::kPublic));
    r.events.push_back(e);
    EXPECT_EQ(has_points(), i == 3) << i;
  }
}

TEST(ScoreTest, LevelsHaveNamesAndSentences) {
  EXPECT_EQ(LevelName(0), "low");
  EXPECT_EQ(LevelName(19), "low");
  EXPECT_EQ(LevelName(20), "moderate");
  EXPECT_EQ(LevelName(45), "high");
  EXPECT_EQ(LevelName(100), "severe");
  EXPECT_NE(LevelSentence(0), LevelSentence(100));
}

TEST(ScoreTest, MachineReadableCountsMoreThanPlainPublic) {
  auto one = [](bool machine, model::Visibility v) {
    ScanResult r;
    model::IdentityFact f;
    f.kind = "email";
    f.value = "ann@example.org";
    f.evidence = testing::Ev("https://ann.example/", "h-card", "ann@example.org", machine, v);
    r.identity.facts.push_back(f);
    auto found = BuildFindings(r, Now());
    return found.empty() ? 0.0 : found[0].points;
  };
  EXPECT_GT(one(true, model::Visibility::kPublic), one(false, model::Visibility::kPublic));
  EXPECT_GT(one(false, model::Visibility::kPublic), one(false, model::Visibility::kMembersOnly));
  EXPECT_GT(one(false, model::Visibility::kMembersOnly), 0);
}

TEST(ScoreTest, PatternFixesWinExceptAcrossSites) {
  ScanResult r;
  for (const char* site : {"http://127.0.0.1:4001/@ann/followers", "https://b.example/ann/contacts"}) {
    model::Evidence e = testing::Ev(site, "pattern:mastodon/followers", "Bo", false);
    e.remediation = "Mastodon: untick 'Show follows and followers on profile'";
    r.contacts.push_back(testing::MakeContact("Bo", "", "follower", e));
  }
  auto found = BuildFindings(r, Now());
  int site_findings = 0;
  for (const auto& f : found) {
    if (f.id.rfind("network.site.", 0) == 0) {
      ++site_findings;
      EXPECT_EQ(f.remediation, "Mastodon: untick 'Show follows and followers on profile'");
    }
    if (f.id == "network.overlap") {
      EXPECT_THAT(f.remediation, ::testing::Not(::testing::HasSubstr("Mastodon")));
    }
  }
  EXPECT_EQ(site_findings, 2);
  // A loopback host says nothing; the pattern pack names the site.
  bool labelled = false;
  for (const auto& f : found) labelled |= f.title == "1 contact visible on 127.0.0.1:4001 (mastodon)";
  EXPECT_TRUE(labelled);
}

TEST(ScoreTest, OnePhoneNumberInTwoSpellingsIsOneFinding) {
  ScanResult r;
  r.identity.facts.push_back(
      testing::MakeFact("phone", "+49 40 1234567", testing::Ev("https://a.example/", "h-card", "x", true)));
  r.identity.facts.push_back(testing::MakeFact("phone", "+49401234567",
                                               testing::Ev("https://b.example/", "pattern:text/phone", "x")));
  r.identity.facts.push_back(
      testing::MakeFact("email", "Ann@Example.org", testing::Ev("https://a.example/", "h-card", "x", true)));
  r.identity.facts.push_back(
      testing::MakeFact("email", "ann@example.org", testing::Ev("https://b.example/", "h-card", "x", true)));
  auto found = BuildFindings(r, Now());
  ASSERT_EQ(found.size(), 2u);
  for (const auto& f : found) EXPECT_THAT(f.title, ::testing::HasSubstr("(on 2 sites)")) << f.title;
}

TEST(ScoreTest, AnAddressWithoutNumbersIsATown) {
  ScanResult r;
  r.identity.facts.push_back(testing::MakeFact("address", "Hamburg, Deutschland",
                                               testing::Ev("https://a.example/", "h-card", "x", true)));
  r.identity.facts.push_back(testing::MakeFact("address", "Mühlenkamp 12, 22303 Hamburg",
                                               testing::Ev("https://a.example/", "h-card", "x", true)));
  auto found = BuildFindings(r, Now());
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].title, "Postal address public: Mühlenkamp 12, 22303 Hamburg");
  EXPECT_EQ(found[1].title, "Home town or city public: Hamburg, Deutschland");
}

TEST(ScoreTest, TextRuleFindsOffTheProfileCountLess) {
  ScanResult r;
  r.identity.profiles = {"https://social.example/@ann"};
  r.identity.facts.push_back(testing::MakeFact(
      "email", "ann@example.org", testing::Ev("https://social.example/@ann", "pattern:text/email", "x")));
  r.identity.facts.push_back(
      testing::MakeFact("email", "bo@example.org",
                        testing::Ev("https://social.example/@ann/followers", "pattern:text/email", "x")));
  r.identity.facts.push_back(testing::MakeFact(
      "email", "cy@example.org", testing::Ev("https://social.example/@ann/followers", "h-card", "x")));
  auto found = BuildFindings(r, Now());
  ASSERT_EQ(found.size(), 3u);
  EXPECT_THAT(found[0].title, ::testing::Not(::testing::HasSubstr("someone else")));
  EXPECT_THAT(found[1].title, ::testing::Not(::testing::HasSubstr("someone else")));
  EXPECT_THAT(found[2].title, ::testing::HasSubstr("bo@example.org"));
  EXPECT_THAT(found[2].title, ::testing::HasSubstr("may be someone else's"));
  EXPECT_NEAR(found[2].points, found[0].points * kOffProfileTextConfidence, 1e-3);
  EXPECT_EQ(found[2].visibility, found[0].visibility);  // still public, just less sure
}

TEST(ScoreTest, HostileTextDoesNotBreakScoring) {
  ScanResult r = testing::HostileScan();
  ScoreScan(&r, Now());
  EXPECT_GE(r.score.total, 0);
  EXPECT_LE(r.score.total, 100);
  for (const auto& f : r.findings) EXPECT_LE(f.title.size(), 400u) << f.id;
}

// A finding over hundreds of pages keeps only the evidence it shows (the
// 12 smallest) while it is built, and still the pattern rule's fix that
// only the last page's evidence carries.
TEST(ScoreTest, AFindingOverManyPagesShowsTheFirstEvidenceAndKeepsTheRuleFix) {
  ScanResult r;
  for (int i = 0; i < 300; ++i) {
    char page[64];
    std::snprintf(page, sizeof page, "https://s.example/friends?page=%03d", i);
    model::Evidence e = testing::Ev(page, "pattern:klub/friends", "Friend " + std::to_string(i), false);
    if (i == 299) e.remediation = "Klub: Settings > Privacy > Friends: only me";
    r.contacts.push_back(testing::MakeContact("Friend " + std::to_string(i), "", "friend", e));
  }
  auto found = BuildFindings(r, Now());
  const model::Finding* site = nullptr;
  for (const auto& f : found) {
    if (f.id.starts_with("network.site.")) site = &f;
  }
  ASSERT_NE(site, nullptr);
  EXPECT_EQ(site->title, "300 contacts visible on s.example (klub)");
  EXPECT_EQ(site->remediation, "Klub: Settings > Privacy > Friends: only me");
  ASSERT_EQ(site->evidence.size(), 12u);
  EXPECT_EQ(site->evidence.front().page_url, "https://s.example/friends?page=000");
  EXPECT_EQ(site->evidence.back().page_url, "https://s.example/friends?page=011");
}

// The title names the event; the fix is the same for every event on the
// same site, one text the report's checklist offers once.
TEST(ScoreTest, EventsOnOneSiteShareOneFix) {
  ScanResult r;
  for (const char* name : {"Stammtisch", "Barcamp"}) {
    model::Event e;
    e.name = name;
    e.start = "2025-03-01";
    e.tense = model::Tense::kPast;
    e.evidence.push_back(testing::Ev("https://ev.example/u/ann", "h-event", name, true));
    r.events.push_back(e);
  }
  auto found = BuildFindings(r, Now());
  std::vector<const model::Finding*> past;
  for (const auto& f : found) {
    if (f.id.starts_with("past.event.")) past.push_back(&f);
  }
  ASSERT_EQ(past.size(), 2u);
  EXPECT_THAT(past[0]->title.str(),
              ::testing::AnyOf(::testing::HasSubstr("Stammtisch"), ::testing::HasSubstr("Barcamp")));
  EXPECT_EQ(past[0]->remediation,
            "Remove yourself from the event's attendee list on ev.example, or make your past events "
            "visible to you only.");
  EXPECT_TRUE(past[0]->remediation.SharesWith(past[1]->remediation));
}

// A site is a scheme, host and port; a URL that does not parse (another
// scheme) is its own site, whatever comes after its host.
TEST(ScoreTest, ProfilesAreCountedBySite) {
  ScanResult r;
  for (const char* url : {"ftp://h.example/a", "ftp://h.example/b", "https://www.a.example/x?y#z",
                          "https://a.example/", "https://a.example:8443\\p"}) {
    r.identity.facts.push_back(
        testing::MakeFact("profile", url, testing::Ev("https://a.example/", "rel-me", url, true)));
  }
  auto found = BuildFindings(r, Now());
  bool linked = false;
  for (const auto& f : found) {
    if (f.id == "linkage.profiles") {
      linked = true;
      EXPECT_EQ(f.title, "5 profiles on 4 sites are linked to each other (rel=me, sameAs, links)");
    }
  }
  EXPECT_TRUE(linked);
}

}  // namespace
}  // namespace telescreen::score
