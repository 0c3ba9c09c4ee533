// Findings in the reader's language: titles and fixes translated, ids and
// fix ids the same in every language, pattern fixes from a translation map.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/i18n.h"
#include "score/fixture.h"
#include "score/score.h"

namespace telescreen::score {
namespace {

using core::Language;
using testing::Ev;
using testing::MakeContact;
using testing::RealisticScan;

core::TimePoint Now() { return core::ParseNow(testing::kFixtureNow).value(); }

// Scores in `lang` for the test's length, English again afterwards.
class ScoreLanguageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(core::FindLocaleDir().empty()) << "the build puts locale/ beside the binaries";
  }
  void TearDown() override { core::UseLanguage(Language::kEnglish); }

  static model::ScanResult Scored(model::ScanResult r, Language lang,
                                  const FixTexts* translations = nullptr) {
    core::UseLanguage(lang);
    ScoreScan(&r, Now(), translations);
    core::UseLanguage(Language::kEnglish);
    return r;
  }
};

const model::Finding* Find(const model::ScanResult& r, std::string_view prefix) {
  auto it = std::find_if(r.findings.begin(), r.findings.end(),
                         [&](const model::Finding& f) { return f.id.view().rfind(prefix, 0) == 0; });
  return it == r.findings.end() ? nullptr : &*it;
}

// A scan with one contact on one site and three on another.
model::ScanResult OneAndThreeContacts() {
  model::ScanResult r;
  r.contacts.push_back(MakeContact("Ada", "https://one.example/ada", "friend",
                                   Ev("https://one.example/friends", "h-card", "Ada")));
  for (const char* n : {"Bo", "Cy", "Di"}) {
    r.contacts.push_back(MakeContact(n, std::string("https://three.example/") + n, "friend",
                                     Ev("https://three.example/friends", "h-card", n)));
  }
  return r;
}

TEST_F(ScoreLanguageTest, GermanTitlesAndFixesReadAsGermanWithPlurals) {
  const model::ScanResult de = Scored(OneAndThreeContacts(), Language::kGerman);
  std::vector<std::string> titles;
  for (const auto& f : de.findings) titles.push_back(f.title.str());
  EXPECT_NE(std::find(titles.begin(), titles.end(), "1 Kontakt sichtbar auf one.example"), titles.end());
  EXPECT_NE(std::find(titles.begin(), titles.end(), "3 Kontakte sichtbar auf three.example"), titles.end());
  const model::Finding* site = Find(de, "network.site.");
  ASSERT_NE(site, nullptr);
  EXPECT_EQ(site->remediation.view().rfind("Stellen Sie auf ", 0), 0u) << site->remediation.view();
  // The key stays English: it is what fix ids are made from.
  EXPECT_EQ(site->fix_key.view().rfind("On ", 0), 0u) << site->fix_key.view();
  ASSERT_FALSE(de.fixes.empty());
  EXPECT_EQ(de.fixes.front().text.rfind("Stellen Sie auf ", 0), 0u) << de.fixes.front().text;
}

TEST_F(ScoreLanguageTest, RealisticScanReadsAsGerman) {
  const model::ScanResult de = Scored(RealisticScan(), Language::kGerman);
  const model::Finding* phone = Find(de, "reach.phone.");
  ASSERT_NE(phone, nullptr);
  EXPECT_EQ(phone->title, "Telefonnummer für Mitglieder sichtbar: +49 341 5550123");
  EXPECT_EQ(phone->remediation.view().rfind("Entfernen Sie die Telefonnummer", 0), 0u);
  const model::Finding* plan = Find(de, "plans.event.");
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(plan->title.view().rfind("Zugesagt: „", 0), 0u) << plan->title.view();
  EXPECT_NE(plan->title.view().find(" Tagen)"), std::string_view::npos) << plan->title.view();
  const model::Finding* linked = Find(de, "linkage.profiles");
  ASSERT_NE(linked, nullptr);
  EXPECT_NE(linked->title.view().find(" Profile auf "), std::string_view::npos) << linked->title.view();
  EXPECT_NE(linked->title.view().find(" Websites sind miteinander verknüpft"), std::string_view::npos);
}

TEST_F(ScoreLanguageTest, IdsAndFixIdsAreTheSameInEveryLanguage) {
  const model::ScanResult en = Scored(RealisticScan(), Language::kEnglish);
  const model::ScanResult de = Scored(RealisticScan(), Language::kGerman);
  ASSERT_EQ(en.findings.size(), de.findings.size());
  std::size_t translated = 0;
  for (std::size_t i = 0; i < en.findings.size(); ++i) {
    EXPECT_EQ(en.findings[i].id, de.findings[i].id);
    EXPECT_EQ(en.findings[i].fix_key, de.findings[i].fix_key);
    // In English what is shown is the key itself.
    EXPECT_EQ(en.findings[i].remediation, en.findings[i].fix_key);
    translated += en.findings[i].title != de.findings[i].title ? 1 : 0;
  }
  EXPECT_EQ(translated, en.findings.size());
  ASSERT_EQ(en.fixes.size(), de.fixes.size());
  for (std::size_t i = 0; i < en.fixes.size(); ++i) {
    EXPECT_EQ(en.fixes[i].id, de.fixes[i].id);
    EXPECT_EQ(en.fixes[i].findings, de.fixes[i].findings);
    EXPECT_NE(en.fixes[i].text, de.fixes[i].text) << en.fixes[i].text;
  }
  EXPECT_EQ(en.score.total, de.score.total);
}

TEST_F(ScoreLanguageTest, PatternFixesShowTheirTranslation) {
  const std::string english = "Hide your friends (https://three.example/settings)";
  model::ScanResult r = OneAndThreeContacts();
  for (auto& c : r.contacts) {
    if (c.url.find("three.example") != std::string::npos) c.evidence[0].remediation = english;
  }
  const FixTexts translations = {{english, "Verbergen Sie Ihre Freunde (https://three.example/settings)"}};
  const model::ScanResult plain = Scored(r, Language::kGerman);
  const model::ScanResult de = Scored(r, Language::kGerman, &translations);
  const model::Finding* site = nullptr;
  for (const auto& f : de.findings) {
    if (f.title.view().find("three.example") != std::string_view::npos) site = &f;
  }
  ASSERT_NE(site, nullptr);
  EXPECT_EQ(site->remediation, "Verbergen Sie Ihre Freunde (https://three.example/settings)");
  EXPECT_EQ(site->fix_key, english);
  auto fix = std::find_if(de.fixes.begin(), de.fixes.end(), [&](const model::Fix& x) {
    return std::find(x.findings.begin(), x.findings.end(), site->id) != x.findings.end();
  });
  ASSERT_NE(fix, de.fixes.end());
  EXPECT_EQ(fix->text, "Verbergen Sie Ihre Freunde");
  EXPECT_EQ(fix->settings_url, "https://three.example/settings");
  // Without the map the rule's English shows, under the same fix id.
  auto same = std::find_if(plain.fixes.begin(), plain.fixes.end(),
                           [&](const model::Fix& x) { return x.id == fix->id; });
  ASSERT_NE(same, plain.fixes.end());
  EXPECT_EQ(same->text, "Hide your friends");
}

TEST_F(ScoreLanguageTest, FixesWithoutKeyFallBackToRemediation) {
  // A scan stored before fix_key existed: its findings have only remediation.
  model::ScanResult r = Scored(RealisticScan(), Language::kEnglish);
  const std::vector<model::Fix> before = r.fixes;
  for (auto& f : r.findings) f.fix_key = core::SharedString();
  ScoreScan(&r, Now());
  EXPECT_EQ(r.fixes, before);
}

}  // namespace
}  // namespace telescreen::score
