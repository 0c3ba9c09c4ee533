#include "store/diff.h"

#include <gtest/gtest.h>

#include "store/testing_scans.h"

namespace telescreen::store {
namespace {

using testing::AnnScan;
using testing::MakeContact;
using testing::MakeEvent;

std::vector<std::string> Names(const std::vector<model::Contact>& list) {
  std::vector<std::string> out;
  for (const auto& c : list) out.push_back(c.name);
  return out;
}

std::vector<std::string> Names(const std::vector<model::Event>& list) {
  std::vector<std::string> out;
  for (const auto& e : list) out.push_back(e.name.str());
  return out;
}

TEST(ContactKeyTest, NormalisesUrls) {
  EXPECT_EQ(ContactKey(MakeContact("Bob", "HTTPS://Example.org:443/bob#top")),
            ContactKey(MakeContact("Robert", "https://example.org/bob")));
  EXPECT_NE(ContactKey(MakeContact("Bob", "https://example.org/bob")),
            ContactKey(MakeContact("Bob", "https://example.org/bobby")));
}

TEST(ContactKeyTest, FallsBackToLowerCaseName) {
  EXPECT_EQ(ContactKey(MakeContact("  Carol   Smith ", "")),
            ContactKey(MakeContact("carol smith", "")));
  // A non-http "url" does not identify anyone; the name does.
  EXPECT_EQ(ContactKey(MakeContact("Carol", "mailto:carol@example.org")),
            ContactKey(MakeContact("CAROL", "")));
  // A name that looks like a URL must not collide with a URL key.
  EXPECT_NE(ContactKey(MakeContact("https://example.org/x", "")),
            ContactKey(MakeContact("X", "https://example.org/x")));
}

TEST(EventKeyTest, NameCaseInsensitiveStartExact) {
  auto a = MakeEvent("FOSDEM  2025", "2025-02-01", model::Tense::kPast);
  auto b = MakeEvent("fosdem 2025", "2025-02-01", model::Tense::kFuture);
  auto c = MakeEvent("FOSDEM 2025", "2025-02-02", model::Tense::kPast);
  EXPECT_EQ(EventKey(a), EventKey(b));
  EXPECT_NE(EventKey(a), EventKey(c));
}

TEST(TargetKeyTest, OrderAndDuplicatesDoNotMatter) {
  EXPECT_EQ(TargetKey({"https://b.example/x", "https://A.example/"}),
            TargetKey({"https://a.example", "https://b.example/x", "https://b.example/x"}));
  EXPECT_NE(TargetKey({"https://a.example/"}), TargetKey({"https://a.example/", "b.html"}));
  EXPECT_EQ(TargetKey({"saved/page.html"}), "saved/page.html");
}

TEST(DiffTest, IdenticalScansHaveNoChanges) {
  auto scan = AnnScan();
  model::Changes c = Diff(scan, scan, 7);
  EXPECT_EQ(c.previous_scan_id, 7);
  EXPECT_EQ(c.previous_now, scan.now);
  EXPECT_EQ(c.previous_score, 40);
  EXPECT_TRUE(c.new_contacts.empty());
  EXPECT_TRUE(c.removed_contacts.empty());
  EXPECT_TRUE(c.new_events.empty());
  EXPECT_TRUE(c.new_plans.empty());
  EXPECT_TRUE(c.removed_events.empty());
  EXPECT_TRUE(c.removed_plans.empty());
  EXPECT_TRUE(c.newly_public.empty());
  EXPECT_FALSE(HasNewExposure(c));
}

// Only what both scans saw is compared: a site walled in the earlier scan
// has nothing "new", a site walled now has nothing "gone"; other sites are
// compared as usual.
TEST(DiffTest, SitesEitherScanDidNotSeeAreLeftOut) {
  auto before = AnnScan();
  auto after = AnnScan();
  after.contacts.push_back(MakeContact("Dave", "https://example.org/dave"));
  auto other = MakeContact("Olga", "https://other.example/olga");
  other.evidence[0].page_url = "https://other.example/friends";
  after.contacts.push_back(other);
  before.coverage = {{"https://example.org/ann", "example.org", model::Seen::kWalled, "login wall"}};
  before.score.complete = false;
  model::Changes c = Diff(before, after, 1);
  EXPECT_EQ(Names(c.new_contacts), std::vector<std::string>{"Olga"});
  EXPECT_FALSE(c.previous_complete);

  // Now example.org is walled: its contacts are hidden, not removed.
  auto hidden = AnnScan();
  hidden.contacts.clear();
  hidden.coverage = {{"https://example.org/ann", "example.org", model::Seen::kWalled, "login wall"}};
  c = Diff(AnnScan(), hidden, 2);
  EXPECT_TRUE(c.removed_contacts.empty());
  EXPECT_TRUE(c.previous_complete);
  // Seen fully in both: removals count again.
  hidden.coverage[0].seen = model::Seen::kFull;
  c = Diff(AnnScan(), hidden, 3);
  EXPECT_EQ(c.removed_contacts.size(), AnnScan().contacts.size());
}

TEST(DiffTest, NewAndRemovedContacts) {
  auto before = AnnScan();
  auto after = AnnScan();
  after.contacts.erase(after.contacts.begin());             // Bob gone
  after.contacts.push_back(MakeContact("Dave", "https://example.org/dave"));
  after.contacts.push_back(MakeContact("Eve", "https://example.org/eve"));
  // Carol reappears with a different case: not new.
  after.contacts[0].name = "CAROL";
  model::Changes c = Diff(before, after, 1);
  EXPECT_EQ(Names(c.new_contacts), (std::vector<std::string>{"Dave", "Eve"}));
  EXPECT_EQ(Names(c.removed_contacts), (std::vector<std::string>{"Bob Builder"}));
  EXPECT_TRUE(HasNewExposure(c));
}

TEST(DiffTest, EventsAndPlansAreSeparated) {
  auto before = AnnScan();
  auto after = AnnScan();
  after.events.push_back(MakeEvent("Team offsite", "2026-06-01", model::Tense::kFuture));
  after.events.push_back(MakeEvent("PyCon", "2024-05-01", model::Tense::kPast));
  after.events.erase(after.events.begin());  // FOSDEM (past) gone
  model::Changes c = Diff(before, after, 1);
  EXPECT_EQ(Names(c.new_plans), (std::vector<std::string>{"Team offsite"}));
  EXPECT_EQ(Names(c.new_events), (std::vector<std::string>{"PyCon"}));
  EXPECT_EQ(Names(c.removed_events), (std::vector<std::string>{"FOSDEM"}));
  EXPECT_TRUE(c.removed_plans.empty());
  EXPECT_TRUE(HasNewExposure(c));
}

TEST(DiffTest, RemovedPlanIsReportedAsPlan) {
  auto before = AnnScan();
  auto after = AnnScan();
  after.events.pop_back();
  model::Changes c = Diff(before, after, 1);
  EXPECT_EQ(Names(c.removed_plans), (std::vector<std::string>{"Chaos Communication Congress"}));
  EXPECT_FALSE(HasNewExposure(c));  // something disappearing needs no action
}

TEST(DiffTest, PlanThatBecamePastIsNotNew) {
  auto before = AnnScan();
  auto after = AnnScan("2027-01-01T00:00:00Z");
  after.events[1].tense = model::Tense::kPast;
  model::Changes c = Diff(before, after, 1);
  EXPECT_TRUE(c.new_events.empty());
  EXPECT_TRUE(c.removed_plans.empty());
}

TEST(DiffTest, NewlyPublicIdentityFacts) {
  auto before = AnnScan();
  auto after = AnnScan();
  // The email was members-only before and is public now.
  after.identity.facts[1].evidence.visibility = model::Visibility::kPublic;
  after.identity.facts.push_back({"location", "Leipzig", testing::Seen("https://example.org/ann")});
  after.identity.facts.push_back({"phone", "+49 1", testing::Seen("https://x", model::Visibility::kMembersOnly)});
  after.identity.names.push_back("Ann E.");
  after.identity.profiles.push_back("HTTPS://EXAMPLE.ORG/ann");  // same profile, other spelling
  model::Changes c = Diff(before, after, 1);
  std::vector<std::string> got;
  for (const auto& f : c.newly_public) got.push_back(f.kind + "=" + f.value);
  EXPECT_EQ(got, (std::vector<std::string>{"name=Ann E.", "email=ann@example.org",
                                           "location=Leipzig"}));
}

TEST(DiffTest, DuplicatesInAfterAreReportedOnce) {
  auto before = AnnScan();
  auto after = AnnScan();
  after.contacts.push_back(MakeContact("Dave", "https://example.org/dave"));
  after.contacts.push_back(MakeContact("Dave again", "https://example.org/dave/"));
  model::Changes c = Diff(before, after, 1);
  EXPECT_EQ(Names(c.new_contacts), (std::vector<std::string>{"Dave"}));
}

TEST(CheckAlertsTest, FailAboveIsStrict) {
  auto scan = AnnScan();  // score 40
  AlertRules at40;
  at40.fail_above = 40;
  EXPECT_FALSE(CheckAlerts(scan, at40).tripped());
  AlertRules at39;
  at39.fail_above = 39;
  auto alerts = CheckAlerts(scan, at39);
  ASSERT_TRUE(alerts.tripped());
  EXPECT_EQ(alerts.reasons[0], "score 40 is above 39");
  EXPECT_FALSE(CheckAlerts(scan, {}).tripped());
}

TEST(CheckAlertsTest, FailOnNewNeedsChanges) {
  auto scan = AnnScan();
  AlertRules rules;
  rules.fail_on_new = true;
  EXPECT_FALSE(CheckAlerts(scan, rules).tripped());  // first scan: nothing to compare
  auto before = AnnScan();
  scan.changes = Diff(before, scan, 1);
  EXPECT_FALSE(CheckAlerts(scan, rules).tripped());
  scan.events.push_back(MakeEvent("Dentist", "2026-01-05T09:00", model::Tense::kFuture));
  scan.changes = Diff(before, scan, 1);
  auto alerts = CheckAlerts(scan, rules);
  ASSERT_TRUE(alerts.tripped());
  EXPECT_EQ(alerts.reasons[0], "0 new contact(s) and 1 new plan(s) visible since scan 1");
  EXPECT_FALSE(CheckAlerts(scan, {}).tripped());
}

}  // namespace
}  // namespace telescreen::store
