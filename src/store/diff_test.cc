#include "store/diff.h"

#include <gtest/gtest.h>

#include "store/scan_codec.h"
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
  EXPECT_EQ(ContactKey(MakeContact("  Carol   Smith ", "")), ContactKey(MakeContact("carol smith", "")));
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
  after.contacts.erase(after.contacts.begin());  // Bob gone
  after.contacts.push_back(MakeContact("Dave", "https://example.org/dave"));
  after.contacts.push_back(MakeContact("Eve", "https://example.org/eve"));
  // Carol reappears with a different case: not new.
  after.contacts[0].name = "CAROL";
  model::Changes c = Diff(before, after, 1);
  EXPECT_EQ(Names(c.new_contacts), (std::vector<std::string>{"Dave", "Eve"}));
  EXPECT_EQ(Names(c.removed_contacts), (std::vector<std::string>{"Bob Builder"}));
  EXPECT_TRUE(HasNewExposure(c));
}

TEST(DiffTest, NewAndRemovedInteractionsPerKind) {
  auto before = AnnScan();
  auto after = AnnScan();
  const model::Evidence ev = before.contacts[0].evidence[0];
  using Kind = model::InteractionKind;
  before.interactions = {{"Eve", "https://eve.example/", Kind::kComment, {ev}},
                         {"Frank", "", Kind::kReaction, {ev}}};
  after.interactions = {{"Eve", "https://eve.example/", Kind::kComment, {ev}},
                        {"Eve", "https://eve.example/", Kind::kReaction, {ev}},
                        {"Gina", "", Kind::kMention, {ev}}};
  model::Changes c = Diff(before, after, 1);
  ASSERT_EQ(c.new_interactions.size(), 2u);
  EXPECT_EQ(c.new_interactions[0].kind, Kind::kReaction);  // Eve again, but reacting now
  EXPECT_EQ(c.new_interactions[1].name, "Gina");
  ASSERT_EQ(c.removed_interactions.size(), 1u);
  EXPECT_EQ(c.removed_interactions[0].name, "Frank");
  EXPECT_FALSE(HasNewExposure(c));  // weak ties: no alert
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
  after.identity.facts.push_back(
      {"phone", "+49 1", testing::Seen("https://x", model::Visibility::kMembersOnly)});
  after.identity.names.push_back("Ann E.");
  after.identity.profiles.push_back("HTTPS://EXAMPLE.ORG/ann");  // same profile, other spelling
  model::Changes c = Diff(before, after, 1);
  std::vector<std::string> got;
  for (const auto& f : c.newly_public) got.push_back(f.kind + "=" + f.value);
  EXPECT_EQ(got, (std::vector<std::string>{"name=Ann E.", "email=ann@example.org", "location=Leipzig"}));
}

TEST(DiffTest, DuplicatesInAfterAreReportedOnce) {
  auto before = AnnScan();
  auto after = AnnScan();
  after.contacts.push_back(MakeContact("Dave", "https://example.org/dave"));
  after.contacts.push_back(MakeContact("Dave again", "https://example.org/dave/"));
  model::Changes c = Diff(before, after, 1);
  EXPECT_EQ(Names(c.new_contacts), (std::vector<std::string>{"Dave"}));
}

// A removed item is listed once per key, in the earlier scan's order, as
// the first of its duplicates.
TEST(DiffTest, RemovedItemsKeepTheEarlierOrderOnceEach) {
  auto before = AnnScan();
  before.contacts = {MakeContact("Zed", "https://example.org/zed"),
                     MakeContact("Bob Builder", "https://example.org/bob"),
                     MakeContact("Robert", "https://example.org/bob/"), MakeContact("Carol", "")};
  before.events.push_back(MakeEvent("Meetup", "2025-03-01", model::Tense::kPast));
  before.events.push_back(MakeEvent("MEETUP", "2025-03-01", model::Tense::kFuture));
  auto after = AnnScan();
  after.contacts = {MakeContact("carol", "")};
  model::Changes c = Diff(before, after, 1);
  EXPECT_EQ(Names(c.removed_contacts), (std::vector<std::string>{"Zed", "Bob Builder"}));
  EXPECT_EQ(Names(c.removed_events), (std::vector<std::string>{"Meetup"}));
  EXPECT_TRUE(c.removed_plans.empty());
  EXPECT_TRUE(c.new_contacts.empty());
}

// Duplicates are reduced to their first before unseen sites are left out:
// when the first is on a site one scan did not see, none is reported.
TEST(DiffTest, FirstOfDuplicatesDecidesWhetherItIsCompared) {
  auto walled = MakeContact("Olga", "https://other.example/olga");
  walled.evidence[0].page_url = "https://other.example/friends";
  auto before = AnnScan();
  before.coverage = {{"https://other.example/", "other.example", model::Seen::kWalled, "login wall"}};
  auto after = AnnScan();
  after.contacts.push_back(walled);
  after.contacts.push_back(MakeContact("Olga again", "https://other.example/olga"));
  EXPECT_TRUE(Diff(before, after, 1).new_contacts.empty());
  // The other way round: gone from a site this scan did not see.
  std::swap(before.contacts, after.contacts);
  std::swap(before.coverage, after.coverage);
  EXPECT_TRUE(Diff(before, after, 1).removed_contacts.empty());
  // Seen by both: the first is reported.
  after.coverage.clear();
  EXPECT_EQ(Names(Diff(before, after, 1).removed_contacts), std::vector<std::string>{"Olga"});
}

// DiffBuilder, fed the earlier scan item by item as the history reads it,
// gives what Diff gives, with names and profiles taken from Finish's scan.
TEST(DiffBuilderTest, ItemsAddedOneAtATimeGiveTheDiff) {
  auto before = AnnScan();
  before.identity.names.push_back("Ann E.");
  auto after = AnnScan();
  after.contacts.erase(after.contacts.begin());
  after.contacts.push_back(MakeContact("Dave", "https://example.org/dave"));
  after.events.push_back(MakeEvent("Team offsite", "2026-06-01", model::Tense::kFuture));
  after.identity.facts[1].evidence.visibility = model::Visibility::kPublic;
  after.identity.names = {"Ann E.", "Annie"};
  DiffBuilder builder(after);
  for (const auto& contact : before.contacts) builder.AddBefore(contact);
  for (const auto& event : before.events) builder.AddBefore(event);
  for (const auto& fact : before.identity.facts) builder.AddBefore(fact);
  model::ScanResult rest = before;
  rest.contacts.clear();
  rest.events.clear();
  rest.identity.facts.clear();
  model::Changes built = builder.Finish(rest, 4);
  model::Changes c = Diff(before, after, 4);
  EXPECT_EQ(EncodeChangesJson(built, 0), EncodeChangesJson(c, 0));
  EXPECT_EQ(Names(built.new_contacts), std::vector<std::string>{"Dave"});
  EXPECT_EQ(Names(built.removed_contacts), std::vector<std::string>{"Bob Builder"});
  EXPECT_EQ(Names(built.new_plans), std::vector<std::string>{"Team offsite"});
  std::vector<std::string> got;
  for (const auto& f : built.newly_public) got.push_back(f.kind + "=" + f.value);
  EXPECT_EQ(got, (std::vector<std::string>{"name=Annie", "email=ann@example.org"}));
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
  EXPECT_EQ(alerts.reasons[0], "0 new contacts and 1 new plan visible since scan 1");
  EXPECT_FALSE(CheckAlerts(scan, {}).tripped());
}

}  // namespace
}  // namespace telescreen::store
