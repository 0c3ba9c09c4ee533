// Hostile input: random bytes into the selector and pack parsers, and big
// or deep pages through every built-in pack. Nothing may crash (the tests
// run under ASan/UBSan), and work must stay bounded.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/url.h"
#include "patterns/pack.h"
#include "patterns/pattern_set.h"
#include "patterns/selector.h"
#include "patterns/text_rules.h"

namespace telescreen::patterns {
namespace {

std::string RandomText(std::mt19937& rng, std::string_view alphabet, std::size_t max_len) {
  std::uniform_int_distribution<std::size_t> len(0, max_len);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string s(len(rng), ' ');
  for (char& c : s) c = alphabet[pick(rng)];
  return s;
}

TEST(RobustnessTest, SelectorParserNeverCrashes) {
  std::mt19937 rng(1234);
  const std::string_view alphabet = "ab.#[]=*^$~'\" >,:()-+n0123456789\\x";
  model::Dom dom;
  model::DomNode div;
  div.tag = "a";
  div.attributes = {{"class", "b x"}, {"id", "a"}};
  dom.Append(dom.root(), div);
  int parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text = RandomText(rng, alphabet, 40);
    auto s = Selector::Parse(text);
    if (!s.ok()) {
      EXPECT_EQ(s.error().message.rfind("column ", 0), 0u) << text << ": " << s.error().message;
      continue;
    }
    ++parsed;
    (void)s.value().Select(dom, dom.root());
  }
  EXPECT_GT(parsed, 100);  // the generator reaches valid selectors too
}

TEST(RobustnessTest, PackParserNeverCrashes) {
  std::mt19937 rng(99);
  const std::string base = R"json({"id": "x", "name": "X", "version": "1", "checked": "2026-11-26",
    "urls": ["."], "rules": [{"id": "r", "type": "list", "selector": "li",
    "fields": [{"target": "contact.name", "selector": "a", "regex": "(.+)"}]}]})json";
  std::uniform_int_distribution<std::size_t> pos(0, base.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 3000; ++i) {
    std::string text = base;
    for (int k = 0; k < 3; ++k) text[pos(rng)] = static_cast<char>(byte(rng));
    std::vector<PackError> errors;
    auto pack = ParsePack(text, "fuzz.json", "test", &errors);
    if (!pack.ok()) {
      ASSERT_FALSE(errors.empty()) << text;
      for (const auto& e : errors) EXPECT_EQ(e.file, "fuzz.json");
    }
  }
}

// A page of 50,000 list items and 50,000 levels of nesting: list rules
// stop at max_items, text is cut at 1 MiB, and no recursion follows depth.
TEST(RobustnessTest, BigAndDeepPagesStayBounded) {
  auto set = PatternSet::Load("", nullptr);
  model::Dom dom;
  model::DomNode ul;
  ul.tag = "ul";
  ul.attributes = {{"data-qa", "contacts-list"}};
  auto list = dom.Append(dom.root(), ul);
  for (int i = 0; i < 50000; ++i) {
    model::DomNode li;
    li.tag = "li";
    li.attributes = {{"data-qa", "contact"}};
    auto item = dom.Append(list, li);
    model::DomNode a;
    a.tag = "a";
    a.attributes = {{"data-qa", "contact-name"}, {"href", "/p/" + std::to_string(i)}};
    auto link = dom.Append(item, a);
    model::DomNode t;
    t.kind = model::NodeKind::kText;
    t.text = "Person " + std::to_string(i) + " anna@example.org +49 30 1234567";
    dom.Append(link, t);
  }
  model::NodeId parent = dom.root();
  for (int i = 0; i < 50000; ++i) {
    model::DomNode d;
    d.tag = "div";
    parent = dom.Append(parent, d);
  }
  model::PageFacts facts;
  set.Apply(dom, core::Url::Parse("https://www.xing.com/profile/A/contacts").value(),
            model::Visibility::kPublic, &facts);
  EXPECT_EQ(facts.contacts.size(), 200u);  // the pack's max_items
  EXPECT_LE(VisibleText(dom).size(), kMaxVisibleTextBytes);
}

TEST(RobustnessTest, TextRulesOnHostileText) {
  auto set = PatternSet::Load("", nullptr);
  // Long runs that tempt backtracking engines: RE2 stays linear.
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "a at b dot ";
  text += std::string(100000, '0') + " " + std::string(50000, '@') + " bin morgen auf der ";
  model::Dom dom;
  model::DomNode p;
  p.tag = "p";
  auto n = dom.Append(dom.root(), p);
  model::DomNode t;
  t.kind = model::NodeKind::kText;
  t.text = text;
  dom.Append(n, t);
  model::PageFacts facts;
  set.Apply(dom, core::Url::Parse("https://example.org/").value(), model::Visibility::kPublic, &facts);
  EXPECT_LE(facts.identity.size(), 100u * 16);  // at most 100 matches per text rule
}

TEST(RobustnessTest, CutUtf8NeverSplitsASequence) {
  std::string s = "aä€😀";  // 1 + 2 + 3 + 4 bytes
  for (std::size_t n = 0; n <= s.size(); ++n) {
    std::string cut = CutUtf8(s, n);
    EXPECT_LE(cut.size(), n);
    EXPECT_TRUE(cut.empty() || (static_cast<unsigned char>(cut.back()) & 0xC0) != 0xC0) << n;
  }
}

}  // namespace
}  // namespace telescreen::patterns
