#include "patterns/json_path.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace telescreen::patterns {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Json Doc(const char* text) { return Json::parse(text); }

// The texts of the nodes `path` selects (scalars as text, others dumped).
std::vector<std::string> Pick(const char* path, const Json& doc, std::size_t limit = 100) {
  auto p = JsonPath::Parse(path);
  EXPECT_TRUE(p.ok()) << path << ": " << (p.ok() ? "" : p.error().message);
  if (!p.ok()) return {};
  JsonBudget budget;
  std::vector<std::string> out;
  for (const Json* n : p.value().Select(doc, limit, &budget)) {
    out.push_back(n->is_structured() ? n->dump() : ScalarText(*n));
  }
  return out;
}

std::string ParseError(const char* path) {
  auto p = JsonPath::Parse(path);
  return p.ok() ? "" : p.error().message;
}

TEST(JsonPathTest, PointerStepsFollowRfc6901) {
  Json doc = Doc(R"({"a": {"b/c": 1, "m~n": 2, "list": [10, 20, 30]}, "": 5})");
  EXPECT_THAT(Pick("/a/b~1c", doc), ElementsAre("1"));
  EXPECT_THAT(Pick("/a/m~0n", doc), ElementsAre("2"));
  EXPECT_THAT(Pick("/a/list/1", doc), ElementsAre("20"));
  EXPECT_THAT(Pick("/a/list/3", doc), ElementsAre());   // past the end
  EXPECT_THAT(Pick("/a/list/01", doc), ElementsAre());  // leading zeros are not indices (section 4)
  EXPECT_THAT(Pick("/missing/x", doc), ElementsAre());
}

TEST(JsonPathTest, EmptyPathAndSlashAreTheDocument) {
  Json doc = Doc(R"({"a": 1})");
  EXPECT_THAT(Pick("", doc), ElementsAre(R"({"a":1})"));
  EXPECT_THAT(Pick("/", doc), ElementsAre(R"({"a":1})"));
}

TEST(JsonPathTest, StarTakesEveryMemberOrElementInOrder) {
  Json doc = Doc(R"({"people": [{"n": "b"}, {"n": "a"}], "map": {"z": 1, "y": 2}})");
  EXPECT_THAT(Pick("/people/*/n", doc), ElementsAre("b", "a"));
  EXPECT_THAT(Pick("/map/*", doc), ElementsAre("1", "2"));  // document order, not sorted
}

TEST(JsonPathTest, DoubleStarIsTheNodeAndEverythingBelow) {
  Json doc = Doc(R"({"name": "root", "x": {"name": "inner", "y": [{"name": "deep"}]}})");
  EXPECT_THAT(Pick("/**/name", doc), ElementsAre("root", "inner", "deep"));
}

TEST(JsonPathTest, PredicatesTestMembersLikeCssAttributeSelectors) {
  Json doc = Doc(R"([
    {"__typename": "Event", "title": "A", "start": 1},
    {"__typename": "Group", "title": "B"},
    {"__typename": "Event", "title": "C", "start": null},
    {"@type": ["Event", "Thing"], "title": "D", "venue": {"city": "Paris"}}
  ])");
  EXPECT_THAT(Pick("/*[__typename=Event]/title", doc), ElementsAre("A", "C"));
  EXPECT_THAT(Pick("/*[__typename=Event][start]/title", doc), ElementsAre("A"));  // null is absent
  EXPECT_THAT(Pick("/*[@type=Event]/title", doc), ElementsAre("D"));              // any element of a list
  EXPECT_THAT(Pick("/*[title^=A]/title", doc), ElementsAre("A"));
  EXPECT_THAT(Pick("/*[__typename$=oup]/title", doc), ElementsAre("B"));
  EXPECT_THAT(Pick("/*[__typename*=ven]/title", doc), ElementsAre("A", "C"));
  EXPECT_THAT(Pick("/*[venue/city=Paris]/title", doc), ElementsAre("D"));
  EXPECT_THAT(Pick("/*[start=1]/title", doc), ElementsAre("A"));  // numbers compare as written
}

TEST(JsonPathTest, QuotedPredicateValuesHoldBracketsAndSpaces) {
  Json doc = Doc(R"([{"k": "a]b c", "v": 1}, {"k": "x", "v": 2}])");
  EXPECT_THAT(Pick(R"(/*[k="a]b c"]/v)", doc), ElementsAre("1"));
  EXPECT_THAT(Pick("/*[k='x']/v", doc), ElementsAre("2"));
}

TEST(JsonPathTest, PredicateValuesMayNameVariables) {
  Json doc = Doc(R"([{"slug": "viewer", "n": 1}, {"slug": "lex", "n": 2}])");
  auto path = JsonPath::Parse("/*[slug={me}]/n").value();
  JsonBudget budget;
  JsonVars vars{{"me", "lex"}};
  auto nodes = path.Select(doc, 10, &budget, &vars);
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_EQ(ScalarText(*nodes[0]), "2");
  EXPECT_TRUE(path.Select(doc, 10, &budget).empty());  // no variables: the predicate is false
  JsonVars other{{"you", "lex"}};
  EXPECT_TRUE(path.Select(doc, 10, &budget, &other).empty());
  auto prefix = JsonPath::Parse("/*[slug^={p}x]/n").value();  // text around a variable
  JsonVars p{{"p", "le"}};
  EXPECT_EQ(prefix.Select(doc, 10, &budget, &p).size(), 1u);
}

TEST(JsonPathTest, LeadingPredicatesTestTheDocumentItself) {
  Json event = Doc(R"({"type": "Event", "name": "Launch"})");
  Json person = Doc(R"({"type": "Person", "name": "Ann"})");
  EXPECT_THAT(Pick("[type=Event]/name", event), ElementsAre("Launch"));
  EXPECT_THAT(Pick("[type=Event]/name", person), ElementsAre());
  EXPECT_THAT(Pick("[type=Event]", event).size(), 1u);
}

TEST(JsonPathTest, ANodeReachedTwiceCountsOnce) {
  Json doc = Doc(R"({"a": {"b": {"name": "x"}}})");
  EXPECT_THAT(Pick("/**/**/name", doc), ElementsAre("x"));
}

TEST(JsonPathTest, LimitCutsTheResult) {
  Json doc = Doc(R"([1, 2, 3, 4])");
  EXPECT_THAT(Pick("/*", doc, 2), ElementsAre("1", "2"));
}

TEST(JsonPathTest, ErrorsNameTheColumn) {
  EXPECT_THAT(ParseError("a/b"), HasSubstr("column 1"));
  EXPECT_THAT(ParseError("/a//b"), HasSubstr("column 4: empty step"));
  EXPECT_THAT(ParseError("/a~2"), HasSubstr("RFC 6901"));
  EXPECT_THAT(ParseError("/a[b"), HasSubstr("unclosed '['"));
  EXPECT_THAT(ParseError("/a[=x]"), HasSubstr("needs a member name"));
  EXPECT_THAT(ParseError("/a[b='x]"), HasSubstr("unclosed quote"));
  EXPECT_THAT(ParseError(std::string(600, '/').c_str()), HasSubstr("longer than"));
  std::string many;
  for (int i = 0; i < 40; ++i) many += "/a";
  EXPECT_THAT(ParseError(many.c_str()), HasSubstr("more than 32 steps"));
}

TEST(JsonPathTest, DeepDocumentsAreWalkedWithinTheDepthBound) {
  // 200 levels: `**` stops descending at kMaxJsonPathDepth, without recursion.
  std::string text;
  for (int i = 0; i < 200; ++i) text += R"({"x":)";
  text += R"({"name": "bottom"})";
  for (int i = 0; i < 200; ++i) text += "}";
  Json doc = Json::parse(text);
  EXPECT_THAT(Pick("/**/name", doc), ElementsAre());
  std::string shallow = R"({"x": {"name": "near"}})";
  EXPECT_THAT(Pick("/**/name", Json::parse(shallow)), ElementsAre("near"));
}

TEST(JsonPathTest, TheBudgetBoundsTheWork) {
  Json doc = Json::array();
  for (int i = 0; i < 1000; ++i) doc.push_back(Json{{"name", i}});
  auto path = JsonPath::Parse("/**/name").value();
  JsonBudget budget{100};
  auto nodes = path.Select(doc, 10000, &budget);
  EXPECT_TRUE(budget.exhausted());
  EXPECT_LT(nodes.size(), 100u);
}

TEST(JsonPathTest, ScalarTextWritesNumbersAsJsonDoes) {
  EXPECT_EQ(ScalarText(Json(1573869600)), "1573869600");
  EXPECT_EQ(ScalarText(Json(7442999397778587648ULL)), "7442999397778587648");
  EXPECT_EQ(ScalarText(Json(true)), "true");
  EXPECT_EQ(ScalarText(Json("x")), "x");
  EXPECT_EQ(ScalarText(Json(nullptr)), "");
  EXPECT_EQ(ScalarText(Json::object()), "");
}

}  // namespace
}  // namespace telescreen::patterns
