// What each fix is worth: score_after is the scan re-scored with exactly
// what the fix names taken out, and the order is greedy by the drop.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "score/fixture.h"
#include "score/score.h"

namespace telescreen::score {
namespace {

using model::ScanResult;
using testing::Ev;
using testing::RealisticScan;

core::TimePoint Now() { return core::ParseNow(testing::kFixtureNow).value(); }

ScanResult Scored(ScanResult r) {
  ScoreScan(&r, Now());
  return r;
}

int Total(ScanResult r) { return Scored(std::move(r)).score.total; }

// The fix whose findings include one with this id prefix.
const model::Fix* FixFor(const ScanResult& r, const std::string& prefix) {
  for (const auto& fix : r.fixes) {
    for (const auto& id : fix.findings) {
      if (id.view().rfind(prefix, 0) == 0) return &fix;
    }
  }
  return nullptr;
}

bool OnSite(const std::vector<model::Evidence>& ev, const std::string& site) {
  return std::any_of(ev.begin(), ev.end(), [&](const model::Evidence& e) {
    return e.page_url.view().find(site) != std::string_view::npos;
  });
}

TEST(FixesTest, FindingsThatShareAFixAreOneFix) {
  ScanResult r = Scored(RealisticScan());
  ASSERT_FALSE(r.fixes.empty());
  std::set<std::string> ids, texts, answered;
  for (const auto& fix : r.fixes) {
    EXPECT_TRUE(ids.insert(fix.id).second) << fix.id;
    EXPECT_TRUE(texts.insert(fix.text).second) << fix.text;
    EXPECT_EQ(fix.id.rfind("fix.", 0), 0u);
    for (const auto& id : fix.findings) EXPECT_TRUE(answered.insert(id.str()).second) << id.view();
  }
  // Every finding with a remediation is answered by exactly the fix of its text.
  std::map<std::string, std::string> fix_of;
  for (const auto& fix : r.fixes) {
    for (const auto& id : fix.findings) fix_of[id.str()] = fix.id;
  }
  std::map<std::string, std::string> by_text;
  for (const auto& f : r.findings) {
    ASSERT_FALSE(f.remediation.empty()) << f.id.view();
    ASSERT_TRUE(fix_of.count(f.id.str())) << f.id.view();
    auto [it, fresh] = by_text.emplace(f.remediation.str(), fix_of[f.id.str()]);
    EXPECT_EQ(it->second, fix_of[f.id.str()]) << f.id.view();
  }
  EXPECT_EQ(answered.size(), r.findings.size());
}

TEST(FixesTest, ScoreAfterIsTheScanWithoutWhatTheFixRemoves) {
  const ScanResult base = RealisticScan();
  const ScanResult r = Scored(base);

  // The contact list on connect.example, hidden.
  const model::Fix* contacts = FixFor(r, "network.site.");
  ASSERT_NE(contacts, nullptr);
  ScanResult no_contacts = base;
  // Which site's list is it? The fix's own text names it.
  const std::string site =
      contacts->text.find("connect.example") != std::string::npos ? "connect.example" : "social.example";
  std::erase_if(no_contacts.contacts, [&](const model::Contact& c) { return OnSite(c.evidence, site); });
  EXPECT_EQ(contacts->score_after, Total(no_contacts)) << contacts->text;
  EXPECT_LT(contacts->score_after, r.score.total);

  // The email address, removed.
  const model::Fix* email = FixFor(r, "reach.email.");
  ASSERT_NE(email, nullptr);
  ScanResult no_email = base;
  std::erase_if(no_email.identity.facts, [](const model::IdentityFact& f) { return f.kind == "email"; });
  EXPECT_EQ(email->score_after, Total(no_email));

  // The plans on events.example, hidden: every future event there.
  const model::Fix* plans = FixFor(r, "plans.event.");
  ASSERT_NE(plans, nullptr);
  ScanResult no_plans = base;
  std::erase_if(no_plans.events, [](const model::Event& e) { return e.tense == model::Tense::kFuture; });
  EXPECT_EQ(plans->findings.size(), 2u);
  EXPECT_EQ(plans->score_after, Total(no_plans));

  // The weekly bouldering night, not posted: the routine's events.
  const model::Fix* routine = FixFor(r, "plans.routine.");
  ASSERT_NE(routine, nullptr);
  ScanResult no_routine = base;
  std::erase_if(no_routine.events, [](const model::Event& e) { return e.name == "Bouldering night"; });
  EXPECT_EQ(routine->score_after, Total(no_routine));

  // The links between profiles, removed.
  const model::Fix* links = FixFor(r, "linkage.profiles");
  ASSERT_NE(links, nullptr);
  ScanResult unlinked = base;
  std::erase_if(unlinked.identity.facts, [](const model::IdentityFact& f) { return f.kind == "profile"; });
  unlinked.identity.profiles.clear();
  EXPECT_EQ(links->score_after, Total(unlinked));

  // The phone number is members-only: its fix is capped as the total caps
  // members-only items.
  const model::Fix* phone = FixFor(r, "reach.phone.");
  ASSERT_NE(phone, nullptr);
  ScanResult no_phone = base;
  std::erase_if(no_phone.identity.facts, [](const model::IdentityFact& f) { return f.kind == "phone"; });
  EXPECT_EQ(phone->score_after, Total(no_phone));
}

TEST(FixesTest, OrderIsGreedyByTheDropAndEndsAtNothing) {
  const ScanResult r = Scored(RealisticScan());
  ASSERT_GE(r.fixes.size(), 3u);
  // The first fix is the single best one.
  for (const auto& fix : r.fixes) EXPECT_GE(fix.score_after, r.fixes.front().score_after) << fix.text;
  EXPECT_EQ(r.fixes.front().cumulative_after, r.fixes.front().score_after);
  int before = r.score.total;
  for (const auto& fix : r.fixes) {
    EXPECT_LE(fix.cumulative_after, before) << fix.text;
    EXPECT_LE(fix.cumulative_after, fix.score_after) << fix.text;
    EXPECT_LE(fix.score_after, r.score.total) << fix.text;
    before = fix.cumulative_after;
  }
  // Done all, nothing the scan saw is left to score.
  EXPECT_EQ(r.fixes.back().cumulative_after, 0);
}

TEST(FixesTest, APatternRulesSettingsPageIsItsOwnField) {
  ScanResult base = RealisticScan();
  for (auto& c : base.contacts) {
    for (auto& e : c.evidence) {
      if (e.page_url.view().find("connect.example") != std::string_view::npos) {
        e.remediation = "Hide your connections (https://connect.example/settings/privacy)";
      }
    }
  }
  const ScanResult r = Scored(base);
  const model::Fix* connect = nullptr;
  for (const auto& f : r.fixes) connect = f.text == "Hide your connections" ? &f : connect;
  ASSERT_NE(connect, nullptr);
  EXPECT_EQ(connect->settings_url, "https://connect.example/settings/privacy");
  // Our own texts name no settings page, even with parentheses in them.
  for (const auto& f : r.fixes) {
    if (&f != connect) {
      EXPECT_EQ(f.settings_url, "") << f.text;
    }
  }
}

TEST(FixesTest, SameScanInAnyOrderGivesTheSameFixes) {
  const ScanResult r = Scored(RealisticScan());
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    ScanResult s = RealisticScan();
    std::shuffle(s.contacts.begin(), s.contacts.end(), rng);
    std::shuffle(s.events.begin(), s.events.end(), rng);
    std::shuffle(s.identity.facts.begin(), s.identity.facts.end(), rng);
    s = Scored(std::move(s));
    ASSERT_EQ(s.fixes.size(), r.fixes.size());
    for (std::size_t i = 0; i < r.fixes.size(); ++i) {
      EXPECT_EQ(s.fixes[i].id, r.fixes[i].id);
      EXPECT_EQ(s.fixes[i].score_after, r.fixes[i].score_after);
      EXPECT_EQ(s.fixes[i].cumulative_after, r.fixes[i].cumulative_after);
    }
  }
}

TEST(FixesTest, RandomScansKeepTheInvariants) {
  for (unsigned seed = 1; seed <= 60; ++seed) {
    const ScanResult r = Scored(testing::RandomScan(seed));
    std::size_t answered = 0;
    int before = r.score.total;
    for (const auto& fix : r.fixes) {
      answered += fix.findings.size();
      EXPECT_LE(fix.cumulative_after, before) << "seed " << seed << ": " << fix.text;
      EXPECT_LE(fix.score_after, r.score.total) << "seed " << seed << ": " << fix.text;
      before = fix.cumulative_after;
    }
    EXPECT_EQ(answered, r.findings.size()) << "seed " << seed;
    if (!r.fixes.empty()) {
      EXPECT_EQ(r.fixes.back().cumulative_after, 0) << "seed " << seed;
    }
  }
}

TEST(FixesTest, NoFindingsNoFixes) {
  ScanResult r;
  ScoreScan(&r, Now());
  EXPECT_TRUE(r.fixes.empty());
}

}  // namespace
}  // namespace telescreen::score
