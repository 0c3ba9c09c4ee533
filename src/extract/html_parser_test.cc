#include "extract/html_parser.h"

#include <gtest/gtest.h>

#include <string>

#include "extract/extractor.h"

namespace telescreen::extract {
namespace {

int MaxDepth(const model::Dom& dom) {
  int max = 0;
  for (std::size_t i = 0; i < dom.size(); ++i) {
    int d = 0;
    for (model::NodeId p = static_cast<model::NodeId>(i); p != model::kNoNode; p = dom.node(p).parent) ++d;
    max = std::max(max, d);
  }
  return max;
}

TEST(ParseHtml, BuildsElementsTextAndAttributes) {
  model::Dom dom = ParseHtml("<p class='x' ID=a>Caf&eacute; <b>ok</b></p><my-el>z</my-el>");
  auto ps = dom.ElementsByTag("p");
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_TRUE(dom.HasClass(ps[0], "x"));
  ASSERT_NE(dom.Attr(ps[0], "id"), nullptr);
  EXPECT_EQ(*dom.Attr(ps[0], "id"), "a");
  EXPECT_EQ(dom.Text(ps[0]), "Café ok");
  ASSERT_EQ(dom.ElementsByTag("my-el").size(), 1u);
}

TEST(ParseHtml, NodeIdsFollowDocumentOrder) {
  model::Dom dom = ParseHtml("<div><a>1</a><span><i>2</i></span></div><b>3</b>");
  auto a = dom.ElementsByTag("a")[0], i = dom.ElementsByTag("i")[0], b = dom.ElementsByTag("b")[0];
  EXPECT_LT(a, i);
  EXPECT_LT(i, b);
}

TEST(FlattenDeepNesting, LeavesOrdinaryPagesAlone) {
  EXPECT_FALSE(FlattenDeepNesting("<html><body><div><p>a<p>b<ul><li>x<li>y</ul></div>", 10));
  std::string many_paragraphs;
  for (int i = 0; i < 1000; ++i) many_paragraphs += "<p>para<li>item";
  EXPECT_FALSE(FlattenDeepNesting(many_paragraphs, 50));
}

TEST(FlattenDeepNesting, DropsStartTagsBeyondTheLimitAndTheirEndTags) {
  auto out = FlattenDeepNesting("<div><div><div>x</div></div></div>", 2);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "<div><div>x</div></div>");
}

TEST(FlattenDeepNesting, IgnoresTagsInScriptsAndComments) {
  EXPECT_FALSE(FlattenDeepNesting("<script>'<div><div><div>'</script><!-- <div><div><div> -->", 2));
}

// STYLE.md: 40,000 unclosed <div>s made gumbo take 32 s and 12 GiB.
TEST(ParseHtml, DeepUnclosedNestingIsBounded) {
  std::string hostile;
  for (int i = 0; i < 40000; ++i) hostile += "<div>";
  hostile += "end";
  ParseOptions options;
  options.max_depth = 300;
  model::Dom dom = ParseHtml(hostile, options);
  EXPECT_LE(MaxDepth(dom), 300 + 4);
  EXPECT_NE(dom.Text(dom.root()).find("end"), std::string::npos);
}

TEST(ParseHtml, SelfClosingDivsCountAsOpen) {
  std::string hostile;
  for (int i = 0; i < 5000; ++i) hostile += "<div/>";
  ParseOptions options;
  options.max_depth = 100;
  EXPECT_LE(MaxDepth(ParseHtml(hostile, options)), 100 + 4);
}

// Nested tables: a new <tr> or <td> inside a cell must not be read as
// closing the outer row (an implied close stops at the table boundary).
TEST(ParseHtml, NestedTablesAreBounded) {
  std::string hostile;
  for (int i = 0; i < 5000; ++i) hostile += "<table><tr><td>";
  ParseOptions options;
  options.max_depth = 200;
  EXPECT_LE(MaxDepth(ParseHtml(hostile, options)), 200 + 30);
}

// Formatting elements popped by a </p> are re-opened by the parser at the
// next tag; the estimate must count them or the tree grows without bound.
TEST(ParseHtml, ReopenedFormattingElementsAreBounded) {
  std::string hostile;
  for (int i = 0; i < 5000; ++i) hostile += "<b><p>";
  std::string distinct;
  for (int i = 0; i < 3000; ++i) distinct += "<i id=" + std::to_string(i) + "><div>";
  for (int i = 0; i < 300; ++i) distinct += "</div><p>x";
  ParseOptions options;
  options.max_depth = 200;
  EXPECT_LE(MaxDepth(ParseHtml(hostile, options)), 200 + 30);
  model::Dom dom = ParseHtml(distinct, options);
  EXPECT_LE(MaxDepth(dom), 200 + 30);
  EXPECT_LT(dom.size(), 100000u);
}

TEST(FlattenDeepNesting, KeepsSiblingCellsRowsAndListItems) {
  std::string table = "<table>";
  for (int i = 0; i < 500; ++i) table += "<tr><td>a<td>b";
  table += "</table><ul>";
  for (int i = 0; i < 500; ++i) table += "<li>x<b>y</b>";
  EXPECT_FALSE(FlattenDeepNesting(table, 50));
}

TEST(ParseHtml, CutsInputAtTheByteLimitOnACharacterBoundary) {
  ParseOptions options;
  options.max_input_bytes = 6;
  model::Dom dom = ParseHtml("<p>ab\xC3\xA9xyz</p>", options);  // cut inside "é"
  EXPECT_EQ(dom.Text(dom.root()), "ab");
}

}  // namespace
}  // namespace telescreen::extract
