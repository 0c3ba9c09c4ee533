#include "patterns/selector.h"

#include <gtest/gtest.h>

#include "patterns/test_html.h"

namespace telescreen::patterns {
namespace {

using testing::ParseTestHtml;

std::vector<std::string> Ids(const model::Dom& dom, std::string_view sel) {
  auto s = Selector::Parse(sel);
  EXPECT_TRUE(s.ok()) << sel << ": " << (s.ok() ? "" : s.error().message);
  std::vector<std::string> out;
  if (!s.ok()) return out;
  for (auto n : s.value().Select(dom, dom.root())) {
    const std::string* id = dom.Attr(n, "id");
    out.push_back(id ? *id : dom.node(n).tag);
  }
  return out;
}

using V = std::vector<std::string>;

const char* kPage = R"(<html><body>
<div id="main" class="profile card">
  <h1 id="h">Anna</h1>
  <ul id="list" class="contacts">
    <li id="l1" class="c"><a id="a1" href="/p/bert" data-kind="friend contact">Bert</a></li>
    <li id="l2" class="c x"><a id="a2" href="https://other.example/p/cara">Cara</a></li>
    <li id="l3" class="c"><span id="s3"><a id="a3" href="/p/dan">Dan</a></span></li>
    <li id="l4" class="c"><a id="a4" href="/p/eve">Eve</a></li>
  </ul>
</div>
<p id="foot">x</p>
</body></html>)";

TEST(SelectorTest, SimpleSelectors) {
  auto dom = ParseTestHtml(kPage);
  EXPECT_EQ(Ids(dom, "h1"), V{"h"});
  EXPECT_EQ(Ids(dom, "#list"), V{"list"});
  EXPECT_EQ(Ids(dom, ".x"), V{"l2"});
  EXPECT_EQ(Ids(dom, "li.c.x"), V{"l2"});
  EXPECT_EQ(Ids(dom, "[data-kind]"), V{"a1"});
  EXPECT_EQ(Ids(dom, "a[href='/p/dan']"), V{"a3"});
  EXPECT_EQ(Ids(dom, "a[href*=other]"), V{"a2"});
  EXPECT_EQ(Ids(dom, "a[href^=\"/p/\"]"), (V{"a1", "a3", "a4"}));
  EXPECT_EQ(Ids(dom, "a[href$=eve]"), V{"a4"});
  EXPECT_EQ(Ids(dom, "a[data-kind~=contact]"), V{"a1"});
  EXPECT_EQ(Ids(dom, "DIV.card"), V{"main"});
}

TEST(SelectorTest, Combinators) {
  auto dom = ParseTestHtml(kPage);
  EXPECT_EQ(Ids(dom, "ul > li > a"), (V{"a1", "a2", "a4"}));
  EXPECT_EQ(Ids(dom, "ul a"), (V{"a1", "a2", "a3", "a4"}));
  EXPECT_EQ(Ids(dom, "div ul>li span > a"), V{"a3"});
  EXPECT_EQ(Ids(dom, "body > p, h1"), (V{"h", "foot"}));  // document order
  EXPECT_EQ(Ids(dom, "ul>li"), (V{"l1", "l2", "l3", "l4"}));
}

TEST(SelectorTest, NthChild) {
  auto dom = ParseTestHtml(kPage);
  EXPECT_EQ(Ids(dom, "li:nth-child(2)"), V{"l2"});
  EXPECT_EQ(Ids(dom, "li:nth-child(odd)"), (V{"l1", "l3"}));
  EXPECT_EQ(Ids(dom, "li:nth-child(even)"), (V{"l2", "l4"}));
  EXPECT_EQ(Ids(dom, "li:nth-child(2n+1)"), (V{"l1", "l3"}));
  EXPECT_EQ(Ids(dom, "li:nth-child(-n+2)"), (V{"l1", "l2"}));
  EXPECT_EQ(Ids(dom, "li:nth-child(n+3)"), (V{"l3", "l4"}));
  EXPECT_EQ(Ids(dom, "li:first-child"), V{"l1"});
  EXPECT_EQ(Ids(dom, "li:last-child"), V{"l4"});
}

TEST(SelectorTest, ScopedSelectionSeesOnlyDescendants) {
  auto dom = ParseTestHtml(kPage);
  auto li = Selector::Parse("#l3").value().SelectFirst(dom, dom.root());
  auto a = Selector::Parse("a").value().Select(dom, li);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(*dom.Attr(a[0], "id"), "a3");
  EXPECT_EQ(Selector::Parse("li").value().SelectFirst(dom, li), model::kNoNode);
}

TEST(SelectorTest, ErrorsNameColumnAndExpectation) {
  struct Case {
    const char* sel;
    const char* error;
  };
  for (const Case& c : {
           Case{"ul >> li", "column 5: expected a selector after '>'"},
           Case{"a[href", "column 7: expected ']'"},
           Case{"a[href|=x]", "column 7: expected ']', '=', '*=', '^=', '$=' or '~='"},
           Case{"li:hover", "column 9: unsupported pseudo-class ':hover'"},
           Case{"li:nth-child(3x)", "expected n, odd, even or an+b"},
           Case{"a,", "column 3: expected a selector"},
           Case{"div..x", "column 5: expected a class name after '.'"},
           Case{"a[x='y]", "unterminated string"},
           Case{"", "column 1: expected a selector"},
           Case{"a + b", "column 3: expected a type"},
       }) {
    auto s = Selector::Parse(c.sel);
    ASSERT_FALSE(s.ok()) << c.sel;
    EXPECT_NE(s.error().message.find(c.error), std::string::npos) << c.sel << " -> " << s.error().message;
  }
}

TEST(SelectorTest, RejectsOverlongSelectors) {
  EXPECT_FALSE(Selector::Parse(std::string(600, 'a')).ok());
  std::string deep;
  for (int i = 0; i < 17; ++i) deep += "div ";
  EXPECT_FALSE(Selector::Parse(deep + "a").ok());
}

// Regression guard for the memo: a descendant chain over deep nesting must
// not blow up (without memoisation this is exponential in the chain length).
TEST(SelectorTest, DeepNestingStaysCheap) {
  model::Dom dom;
  model::NodeId parent = dom.root();
  for (int i = 0; i < 300; ++i) {
    model::DomNode n;
    n.tag = "div";
    parent = dom.Append(parent, std::move(n));
  }
  auto s = Selector::Parse("div div div div div div div div div div div div div div div span");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s.value().Select(dom, dom.root()).empty());
  auto all = Selector::Parse("div div div div div div div div div div div div div div div div");
  EXPECT_EQ(all.value().Select(dom, dom.root()).size(), 285u);
}

}  // namespace
}  // namespace telescreen::patterns
