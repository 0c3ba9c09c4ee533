#include "patterns/pattern_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/resources.h"
#include "patterns/pack.h"
#include "patterns/samples.h"
#include "patterns/test_html.h"

namespace telescreen::patterns {
namespace {

using ::testing::HasSubstr;
using testing::ParseTestHtml;

core::Url U(const char* s) { return core::Url::Parse(s).value(); }

std::vector<PackError> Errors(const std::string& text) {
  std::vector<PackError> errors;
  PatternSet set;
  auto st = set.AddPack(text, "user/bad.json", "test", &errors);
  EXPECT_FALSE(st.ok());
  EXPECT_FALSE(errors.empty());
  return errors;
}

const char* kGoodPack = R"({
  "id": "demo",
  "name": "Demo",
  "version": "1",
  "checked": "2026-11-26",
  "urls": ["^https://demo\\.example/"],
  "follow": [
    {"id": "next", "selector": "a[rel=next]", "kind": "next"}
  ],
  "rules": [
    {"id": "contacts", "type": "list", "selector": "ul.people > li",
     "fields": [
       {"target": "contact.name", "selector": "a"},
       {"target": "contact.url", "selector": "a", "take": "attr:href"},
       {"target": "contact.relation", "value": "friend"}
     ],
     "visibility": "members",
     "remediation": {"text": "Hide your friends", "settings_url": "https://demo.example/settings"}},
    {"id": "name", "fields": [{"target": "identity.name", "selector": "h1", "regex": "^Profile: (.+)$"}]},
    {"id": "talks", "type": "list", "selector": ".talk",
     "fields": [
       {"target": "event.name", "selector": ".title"},
       {"target": "event.start", "selector": "time", "take": "attr:datetime"},
       {"target": "event.role", "value": "spoke"}
     ]}
  ]
})";

std::string FixPack(const std::string& remediation) {
  return R"({"id": "fx", "name": "Fx", "version": "1", "checked": "2026-11-26", "urls": ["."],
    "rules": [{"id": "r", "fields": [{"target": "identity.name", "selector": "h1"}],
               "remediation": )" +
         remediation + "}]}";
}

TEST(PatternSetTest, RemediationTextsMapEnglishEvidenceStringsToGerman) {
  PatternSet set;
  ASSERT_TRUE(set.AddPack(FixPack(R"({"text": {"en": "Hide it", "de": "Verbergen"},
                                       "settings_url": "https://fx.example/s"})"),
                          "fx.json", "test", nullptr)
                  .ok());
  auto de = set.RemediationTexts(core::Language::kGerman);
  ASSERT_EQ(de.size(), 1u);
  EXPECT_EQ(de.at("Hide it (https://fx.example/s)"), "Verbergen (https://fx.example/s)");
  EXPECT_TRUE(set.RemediationTexts(core::Language::kEnglish).empty());
  // A plain string is English only: no German entry, callers keep English.
  PatternSet plain;
  ASSERT_TRUE(plain.AddPack(FixPack(R"({"text": "Hide it"})"), "fx.json", "test", nullptr).ok());
  EXPECT_TRUE(plain.RemediationTexts(core::Language::kGerman).empty());
}

TEST(PatternSetTest, RemediationTextNeedsEnglishAndKnownLanguages) {
  auto unknown = Errors(FixPack(R"({"text": {"en": "Hide it", "fr": "Cacher"}})"));
  EXPECT_THAT(unknown[0].ToString(), HasSubstr("user/bad.json"));
  EXPECT_THAT(unknown[0].message, HasSubstr("rule 'r'"));
  EXPECT_THAT(unknown[0].message, HasSubstr("unknown language 'fr'"));
  auto no_english = Errors(FixPack(R"({"text": {"de": "Verbergen"}})"));
  EXPECT_THAT(no_english[0].message, HasSubstr("English 'en'"));
}

// Every built-in remediation has German text with the same settings URL.
TEST(PatternSetTest, EveryBuiltinRemediationHasGerman) {
  auto set = PatternSet::Load("", nullptr);
  auto de = set.RemediationTexts(core::Language::kGerman);
  EXPECT_GE(de.size(), 50u);
  for (const auto& [en, text] : de) {
    auto url = en.rfind(" (https://");
    if (url != std::string::npos) {
      EXPECT_TRUE(text.ends_with(en.substr(url))) << en;
    }
  }
}

const char* kGoodPage = R"(<html><body>
<h1>Profile: Anna Beispiel</h1>
<ul class="people">
  <li><a href="/u/bert">Bert</a></li>
  <li><a href="/u/cara">Cara</a></li>
  <li><a href="/u/bert">Bert</a></li>
  <li>no link, no name field</li>
</ul>
<div class="talk"><span class="title">Privacy 101</span><time datetime="2026-03-12">12 March</time></div>
<a rel="next" href="/anna?page=2">more</a>
</body></html>)";

TEST(PatternSetTest, AppliesRulesWithEvidenceAndRemediation) {
  PatternSet set;
  std::vector<PackError> errors;
  ASSERT_TRUE(set.AddPack(kGoodPack, "demo.json", "test", &errors).ok()) << errors[0].ToString();
  auto dom = ParseTestHtml(kGoodPage);
  model::PageFacts facts;
  set.Apply(dom, U("https://demo.example/anna"), model::Visibility::kPublic, &facts);

  ASSERT_EQ(facts.contacts.size(), 2u);  // the duplicate Bert is one finding
  EXPECT_EQ(facts.contacts[0].name, "Bert");
  EXPECT_EQ(facts.contacts[0].url, "https://demo.example/u/bert");
  EXPECT_EQ(facts.contacts[0].relation, "friend");
  const auto& ev = facts.contacts[0].evidence.at(0);
  EXPECT_EQ(ev.via, "pattern:demo/contacts");
  EXPECT_EQ(ev.page_url, "https://demo.example/anna");
  EXPECT_EQ(ev.remediation, "Hide your friends (https://demo.example/settings)");
  EXPECT_EQ(ev.visibility, model::Visibility::kPublic);  // fetched publicly: public

  ASSERT_EQ(facts.identity.size(), 1u);
  EXPECT_EQ(facts.identity[0].kind, "name");
  EXPECT_EQ(facts.identity[0].value, "Anna Beispiel");

  ASSERT_EQ(facts.events.size(), 1u);
  EXPECT_EQ(facts.events[0].name, "Privacy 101");
  EXPECT_EQ(facts.events[0].start, "2026-03-12");
  EXPECT_EQ(facts.events[0].role, "spoke");

  ASSERT_EQ(facts.links.size(), 1u);
  EXPECT_EQ(facts.links[0].url, "https://demo.example/anna?page=2");
  EXPECT_EQ(facts.links[0].kind, "next");
}

TEST(PatternSetTest, MembersOnlyRuleOnCookiePageIsMembersOnly) {
  PatternSet set;
  ASSERT_TRUE(set.AddPack(kGoodPack, "demo.json", "test", nullptr).ok());
  auto dom = ParseTestHtml(kGoodPage);
  model::PageFacts facts;
  set.Apply(dom, U("https://demo.example/anna"), model::Visibility::kMembersOnly, &facts);
  ASSERT_FALSE(facts.contacts.empty());
  EXPECT_EQ(facts.contacts[0].evidence[0].visibility, model::Visibility::kMembersOnly);
}

TEST(PatternSetTest, OtherUrlsAreLeftAlone) {
  PatternSet set;
  ASSERT_TRUE(set.AddPack(kGoodPack, "demo.json", "test", nullptr).ok());
  auto dom = ParseTestHtml(kGoodPage);
  model::PageFacts facts;
  set.Apply(dom, U("https://elsewhere.example/anna"), model::Visibility::kPublic, &facts);
  EXPECT_TRUE(facts.contacts.empty());
  EXPECT_TRUE(facts.links.empty());
}

TEST(PatternSetTest, ListRulesStopAtMaxItems) {
  std::string pack = kGoodPack;
  pack.replace(pack.find("\"selector\": \"ul.people > li\""), 0, "\"max_items\": 1, ");
  PatternSet set;
  ASSERT_TRUE(set.AddPack(pack, "demo.json", "test", nullptr).ok());
  auto dom = ParseTestHtml(kGoodPage);
  model::PageFacts facts;
  set.Apply(dom, U("https://demo.example/anna"), model::Visibility::kPublic, &facts);
  EXPECT_EQ(facts.contacts.size(), 1u);
}

TEST(PackErrorsTest, InvalidJsonNamesTheLine) {
  auto e = Errors("{\n  \"id\": \"x\",\n  \"name\": oops\n}");
  EXPECT_EQ(e[0].file, "user/bad.json");
  EXPECT_EQ(e[0].line, 3);
  EXPECT_THAT(e[0].message, HasSubstr("invalid JSON"));
}

TEST(PackErrorsTest, UnknownFieldNamesRuleAndLine) {
  std::string pack = kGoodPack;
  pack.replace(pack.find("\"type\": \"list\", \"selector\": \"ul.people"), 0, "\"selektor\": \"x\",\n");
  auto e = Errors(pack);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].message, "rule 'contacts': unknown field 'selektor'");
  EXPECT_EQ(e[0].line, 11);
  EXPECT_EQ(e[0].ToString(), "user/bad.json:11: rule 'contacts': unknown field 'selektor'");
}

TEST(PackErrorsTest, BadSelectorGivesColumn) {
  std::string pack = kGoodPack;
  pack.replace(pack.find("ul.people > li"), 14, "ul.people >> li");
  auto e = Errors(pack);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0].message, HasSubstr("rule 'contacts': bad selector 'ul.people >> li': column 12"));
  EXPECT_EQ(e[0].line, 11);
}

TEST(PackErrorsTest, BadRegexCarriesRe2Message) {
  std::string pack = kGoodPack;
  pack.replace(pack.find("^Profile: (.+)$"), 15, "^Profile: (.+$");
  auto e = Errors(pack);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0].message, HasSubstr("rule 'name': field 'identity.name': bad regular expression"));
  EXPECT_THAT(e[0].message, HasSubstr("missing )"));  // RE2's own words
  EXPECT_EQ(e[0].line, 19);
}

TEST(PackErrorsTest, SemanticErrors) {
  struct Case {
    std::string from, to, message;
  };
  for (const Case& c : std::vector<Case>{
           {"\"contact.relation\"", "\"contact.mood\"", "unknown target 'contact.mood'"},
           {"\"kind\": \"next\"", "\"kind\": \"later\"",
            "kind must be contacts, events, groups, next or profile"},
           {"\"visibility\": \"members\"", "\"visibility\": \"friends\"", "visibility must be"},
           {"\"take\": \"attr:href\"", "\"take\": \"html\"", "take must be \"text\" or \"attr:NAME\""},
           {"\"id\": \"talks\"", "\"id\": \"contacts\"", "duplicate id 'contacts'"},
           {"\"version\": \"1\",", "", "missing required field 'version'"},
           {"\"event.role\"", "\"contact.relation\"", "fields mix 'event' and 'contact' targets"},
           {"\"checked\": \"2026-11-26\"", "\"checked\": \"last week\"", "'checked' must be a date"},
           {"\"^https://demo", "\"(https://demo", "field 'urls': bad regular expression"},
       }) {
    std::string pack = kGoodPack;
    auto p = pack.find(c.from);
    ASSERT_NE(p, std::string::npos) << c.from;
    pack.replace(p, c.from.size(), c.to);
    auto e = Errors(pack);
    bool found = false;
    for (const auto& err : e) found = found || err.message.find(c.message) != std::string::npos;
    EXPECT_TRUE(found) << c.message << " not in " << e[0].ToString();
    EXPECT_GT(e[0].line, 0) << e[0].ToString();
  }
}

TEST(PackErrorsTest, RejectsTooManyRulesAndHugePacks) {
  std::string rules;
  for (int i = 0; i < 65; ++i) {
    rules += std::string(i ? "," : "") + "{\"id\": \"r" + std::to_string(i) +
             "\", \"fields\": [{\"target\": \"identity.name\", \"selector\": \"h1\"}]}";
  }
  auto e = Errors(
      R"({"id": "x", "name": "X", "version": "1", "checked": "2026-11-26", "urls": ["."], "rules": [)" +
      rules + "]}");
  EXPECT_THAT(e[0].message, HasSubstr("at most 64"));
  auto big = Errors(std::string(kMaxPackBytes + 1, ' '));
  EXPECT_THAT(big[0].message, HasSubstr("larger than"));
}

TEST(PatternSetTest, BuiltinPacksAllLoad) {
  std::vector<PackError> errors;
  auto set = PatternSet::Load("", &errors);
  for (const auto& e : errors) ADD_FAILURE() << e.ToString();
  std::vector<std::string> ids;
  for (const auto& p : set.Packs()) {
    ids.push_back(p.id);
    EXPECT_EQ(p.source, "built-in");
    EXPECT_FALSE(p.checked.empty()) << p.id;
  }
  EXPECT_THAT(ids, ::testing::IsSupersetOf({"xing", "mastodon", "generic"}));
}

TEST(PatternSetTest, EveryBuiltinPackHasPassingSamples) {
  auto set = PatternSet::Load("", nullptr);
  auto parse = [](std::string_view html) { return ParseTestHtml(html); };
  auto results = RunSamples(set, parse, {});  // real-page samples skip: no folder, no loader
  std::set<std::string> sites_with_samples;
  for (const auto& r : results) {
    EXPECT_TRUE(r.passed || r.skipped) << r.name << ": " << r.error << "\n" << r.diff;
    sites_with_samples.insert(r.site);
  }
  for (const auto& p : set.Packs()) EXPECT_TRUE(sites_with_samples.count(p.id)) << p.id << " has no samples";
}

TEST(PatternSetTest, SampleMismatchGivesDiff) {
  EXPECT_EQ(LineDiff("a\nb\nc\n", "a\nx\nc\n"), " a\n-b\n+x\n c\n");
  EXPECT_EQ(LineDiff("1\n2\n3\n4\n5\n6\n", "1\n2\n3\n4\n5\n7\n", 1), "...\n 5\n-6\n+7\n");
  EXPECT_EQ(LineDiff("a\n", "a\n", 0), "...\n");
}

class UserDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ts-patterns-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::filesystem::path dir_;
};

TEST_F(UserDirTest, UserPackOverridesBuiltinById) {
  Write("my-xing.json", R"({"id": "xing", "name": "My XING", "version": "9", "checked": "2026-11-26",
    "urls": ["^https://www\\.xing\\.com/"], "rules": [{"id": "n", "fields": [{"target": "identity.name", "selector": "h1"}]}]})");
  std::vector<PackError> errors;
  auto set = PatternSet::Load(dir_.string(), &errors);
  EXPECT_TRUE(errors.empty());
  int xing = 0;
  for (const auto& p : set.Packs()) {
    if (p.id != "xing") continue;
    ++xing;
    EXPECT_EQ(p.name, "My XING");
    EXPECT_EQ(p.source, (dir_ / "my-xing.json").string());
  }
  EXPECT_EQ(xing, 1);
}

TEST_F(UserDirTest, BrokenPackNeverTakesDownTheOthers) {
  Write("broken.json", "{ \"id\": \"broken\", ");
  Write("bad-selector.json",
        R"({"id": "bad", "name": "B", "version": "1", "checked": "2026-11-26", "urls": ["."],
    "rules": [{"id": "r", "fields": [{"target": "identity.name", "selector": "h1 >"}]}]})");
  std::vector<PackError> errors;
  auto set = PatternSet::Load(dir_.string(), &errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors[0].file, HasSubstr("bad-selector.json"));
  EXPECT_THAT(errors[1].file, HasSubstr("broken.json"));
  // All built-in packs still work.
  auto dom = ParseTestHtml(*core::FindResource("patterns/samples/xing/contacts.html"));
  model::PageFacts facts;
  set.Apply(dom, U("https://www.xing.com/profile/Anna_Beispiel/contacts"), model::Visibility::kPublic,
            &facts);
  EXPECT_EQ(facts.contacts.size(), 3u);
}

TEST(PatternSetTest, FallbackPackOnlyWhenNoSitePackMatches) {
  auto set = PatternSet::Load("", nullptr);
  auto dom = ParseTestHtml(R"(<html><head><meta name="author" content="Anna"></head>
    <body><a href="mailto:anna@example.org">mail</a></body></html>)");
  model::PageFacts home;
  set.Apply(dom, U("https://anna.example/"), model::Visibility::kPublic, &home);
  bool generic = false;
  for (const auto& f : home.identity) generic = generic || f.evidence.via == "pattern:generic/mailto";
  EXPECT_TRUE(generic);
  model::PageFacts xing;
  set.Apply(dom, U("https://www.xing.com/profile/Anna"), model::Visibility::kPublic, &xing);
  for (const auto& f : xing.identity)
    EXPECT_NE(f.evidence.via.rfind("pattern:generic/", 0), 0u) << f.evidence.via;
}

}  // namespace
}  // namespace telescreen::patterns

namespace telescreen::patterns {
namespace {

// Every text rule's positive and negative examples (stored in the pack as
// "examples") must hold; `patterns check` runs the same function.
TEST(TextRulesTest, BuiltinExamplesHold) {
  std::size_t run = 0;
  for (const auto& path : BuiltinPackPaths()) {
    std::string text(*core::FindResource(path));
    std::vector<PackError> errors;
    auto pack = ParsePack(text, path, "built-in", &errors);
    ASSERT_TRUE(pack.ok()) << pack.error().message;
    run += CheckExamples(*pack.value(), text, &errors);
    for (const auto& e : errors) ADD_FAILURE() << e.ToString();
  }
  EXPECT_GE(run, 60u);
}

TEST(TextRulesTest, FailingExampleNamesLineAndRule) {
  const char* pack = R"({"id": "t", "name": "T", "version": "1", "checked": "2026-11-26", "urls": ["."],
  "text_rules": [
    {"id": "digits", "regex": "[0-9]+", "target": "identity.phone",
     "examples": {"match": ["abc"],
                  "no_match": ["123"]}}
  ]})";
  std::vector<PackError> errors;
  auto p = ParsePack(pack, "t.json", "test", &errors);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(CheckExamples(*p.value(), pack, &errors), 2u);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].ToString(), "t.json:4: text rule 'digits': example \"abc\" should match but does not");
  EXPECT_EQ(errors[1].ToString(),
            "t.json:5: text rule 'digits': example \"123\" should not match but gives \"123\"");
}

}  // namespace
}  // namespace telescreen::patterns
