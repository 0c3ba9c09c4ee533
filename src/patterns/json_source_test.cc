#include "patterns/json_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "patterns/test_html.h"

namespace telescreen::patterns {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ParseTestHtml;

std::vector<std::string> Literals(std::string_view code) {
  std::vector<std::string> out;
  for (auto [begin, end] : JsonLiteralSpans(code)) out.emplace_back(code.substr(begin, end - begin));
  return out;
}

std::vector<std::string> Origins(const std::vector<JsonDocument>& docs) {
  std::vector<std::string> out;
  for (const auto& d : docs) out.push_back(d.origin);
  return out;
}

TEST(JsonLiteralSpansTest, FindsAssignedState) {
  EXPECT_THAT(Literals(R"(window.__APOLLO_STATE__ = {"ROOT_QUERY": {"self": null}};)"),
              ElementsAre(R"({"ROOT_QUERY": {"self": null}})"));
}

TEST(JsonLiteralSpansTest, LooksInsideFunctionBodiesAndCalls) {
  // Facebook's pages hand their data to functions: the object argument is
  // JSON, the function around it is not.
  const char* code =
      R"(requireLazy(["HasteSupportData"],function(m){m.handle({"event":{"name":"Night","start_timestamp":1573869600}})});)";
  EXPECT_THAT(Literals(code), ElementsAre(R"(["HasteSupportData"])",
                                          R"({"event":{"name":"Night","start_timestamp":1573869600}})"));
}

TEST(JsonLiteralSpansTest, BracketsInStringsAndCommentsDoNotCount) {
  const char* code = R"(var a = "{not}"; // {nor this
  var b = '[x'; /* { */ var c = {"key": "value }"};)";
  EXPECT_THAT(Literals(code), ElementsAre(R"({"key": "value }"})"));
}

TEST(JsonLiteralSpansTest, SkipsJavaScriptThatIsNotJson) {
  EXPECT_THAT(Literals("function f(x) { return {a: x, b: [1, 2]}; } if (y) { z(); }"), ElementsAre());
  EXPECT_THAT(Literals(R"(var o = {'single': 'quotes'};)"), ElementsAre());
}

TEST(JsonLiteralSpansTest, UnbalancedInputStaysLinearAndSafe) {
  // 100,000 unclosed braces: one pass, no span, no deep recursion.
  std::string code(100000, '{');
  EXPECT_THAT(Literals(code), ElementsAre());
  std::string nested;
  for (int i = 0; i < 5000; ++i) nested += R"({"a":)";
  nested += "1";
  for (int i = 0; i < 5000; ++i) nested += "}";
  // Deeper than max_nesting: only a part shallow enough is read.
  auto deep = Literals(nested);
  ASSERT_EQ(deep.size(), 1u);
  EXPECT_LE(std::count(deep[0].begin(), deep[0].end(), '{'), JsonSourceLimits{}.max_nesting);
}

TEST(EmbeddedJsonTest, ReadsScriptBlocksLiteralsAndNextData) {
  auto dom = ParseTestHtml(R"(<html><head>
<script id="__NEXT_DATA__" type="application/json">{"props": {"pageProps": {"name": "Ann"}}}</script>
<script type="application/ld+json"><!-- {"@type": "Person", "name": "Ann"} --></script>
<script src="/app.js"></script>
<script>window.__APOLLO_STATE__ = {"Event:1": {"title": "Meetup"}};</script>
<script type="text/template">{"not": "read"}</script>
<script>var x = JSON.parse("{\"state\":{\"n\":\"\\u00e9\"}}");</script>
</head><body></body></html>)");
  std::vector<std::string> warnings;
  auto docs = EmbeddedJsonDocuments(dom, {}, &warnings);
  EXPECT_THAT(Origins(docs),
              ElementsAre("script#__NEXT_DATA__", "script 2", "script 4 literal 1", "script 6 JSON.parse"));
  EXPECT_EQ(docs[0].value["props"]["pageProps"]["name"], "Ann");
  EXPECT_EQ(docs[2].value["Event:1"]["title"], "Meetup");
  EXPECT_EQ(docs[3].value["state"]["n"], "\xC3\xA9");
  EXPECT_THAT(warnings, ElementsAre());
}

TEST(EmbeddedJsonTest, JsonParseDecodesTheJavaScriptEscapes) {
  auto dom = ParseTestHtml(
      R"(<script>JSON.parse('{\n\t\"a\": \"\u0041\", \"b\": \"x\/y\", \"c\": \"\u00zz\"}\r\n');</script>)");
  std::vector<std::string> warnings;
  auto docs = EmbeddedJsonDocuments(dom, {}, &warnings);
  ASSERT_THAT(Origins(docs), ElementsAre("script 1 JSON.parse"));
  EXPECT_EQ(docs[0].value["a"], "A");
  EXPECT_EQ(docs[0].value["b"], "x/y");
  EXPECT_EQ(docs[0].value["c"], "u00zz");  // not four hex digits: the u kept as a letter
  EXPECT_THAT(warnings, ElementsAre());
}

TEST(EmbeddedJsonTest, ReadsJsonKeptAsTextInsideJsonHtmlEscapedOrNot) {
  // Meetup's 2018-2022 pages: window.APP_RUNTIME = {"escapedState": "{&quot;api&quot;: ...}"}.
  auto dom = ParseTestHtml(R"(<script>window.APP_RUNTIME = {"ctx": {"isBot": false},
"escapedState": "{&quot;api&quot;: {&quot;events&quot;: [{&quot;name&quot;: &quot;Crypto &amp; tea &#8211; &#x263A;&quot;}]}}",
"plain": "[{\"kind\": \"user\", \"name\": \"Bert\", \"inner\": \"{\\\"deeper\\\": 1, \\\"pad\\\": \\\"0123456789012345678901234567890123456789012345678901234567890123\\\"}\"}]",
"text": "{not json, only braces around words, long enough to be looked at by the finder}",
"short": "{\"a\": 1}"};</script>)");
  std::vector<std::string> warnings;
  auto docs = EmbeddedJsonDocuments(dom, {}, &warnings);
  ASSERT_THAT(Origins(docs),
              ElementsAre("script 1 literal 1", "script 1 literal 1 string 1", "script 1 literal 1 string 2",
                          "script 1 literal 1 string 2 string 1"));
  EXPECT_EQ(docs[1].value["api"]["events"][0]["name"], "Crypto & tea \u2013 \u263A");
  EXPECT_EQ(docs[2].value[0]["name"], "Bert");
  EXPECT_EQ(docs[3].value["deeper"], 1);
  EXPECT_THAT(warnings, ElementsAre());  // text that is not JSON is no warning
}

TEST(EmbeddedJsonTest, JsonTextInsideJsonIsReadTwoLevelsDeepAndWithinTheByteBudget) {
  // Each level holds the next as text: only two levels below the literal are read.
  std::string level =
      R"({"name": "bottom", "pad": "0123456789012345678901234567890123456789012345678901234567890123"})";
  for (int i = 0; i < 4; ++i) level = Json({{"next", level}, {"level", i}}).dump();
  auto dom = ParseTestHtml("<script>var s = " + level + ";</script>");
  auto docs = EmbeddedJsonDocuments(dom, {}, nullptr);
  EXPECT_EQ(docs.size(), 3u);
  JsonSourceLimits tight;
  tight.max_scanned_bytes = level.size() + 40;  // the script itself, and little more
  EXPECT_EQ(EmbeddedJsonDocuments(dom, tight, nullptr).size(), 1u);
}

TEST(EmbeddedJsonTest, BadJsonInAJsonBlockIsAWarning) {
  auto dom = ParseTestHtml(R"(<script id="data" type="application/json">{"a": </script>)");
  std::vector<std::string> warnings;
  EXPECT_THAT(EmbeddedJsonDocuments(dom, {}, &warnings), ElementsAre());
  EXPECT_THAT(warnings, ElementsAre("script#data: not valid JSON"));
}

TEST(EmbeddedJsonTest, ReadsCodeBlocksWithCommentsOrEscapedText) {
  // LinkedIn: <code id="..."><!--{...}--></code>, and entity-escaped JSON.
  model::Dom dom;
  model::DomNode code;
  code.tag = "code";
  code.attributes = {{"id", "bpr-guid-1"}};
  model::NodeId c1 = dom.Append(dom.root(), code);
  model::DomNode comment;
  comment.kind = model::NodeKind::kComment;
  comment.text = R"({"data": {"firstName": "Ann"}})";
  dom.Append(c1, comment);
  code.attributes = {};
  model::NodeId c2 = dom.Append(dom.root(), code);
  model::DomNode text;
  text.kind = model::NodeKind::kText;
  text.text = R"( {"included": [1, 2]} )";
  dom.Append(c2, text);
  model::NodeId c3 = dom.Append(dom.root(), code);
  text.text = "ls -la";  // code that is code
  dom.Append(c3, text);
  auto docs = EmbeddedJsonDocuments(dom, {}, nullptr);
  EXPECT_THAT(Origins(docs), ElementsAre("code#bpr-guid-1", "code 2"));
  EXPECT_EQ(docs[0].value["data"]["firstName"], "Ann");
}

TEST(EmbeddedJsonTest, LimitsBoundDocumentsAndBytes) {
  std::string html;
  for (int i = 0; i < 50; ++i)
    html += R"(<script type="application/json">{"i": )" + std::to_string(i) + "}</script>";
  auto dom = ParseTestHtml(html);
  JsonSourceLimits limits;
  limits.max_documents = 10;
  EXPECT_EQ(EmbeddedJsonDocuments(dom, limits, nullptr).size(), 10u);
  limits.max_documents = 1000;
  limits.max_scanned_bytes = 100;
  EXPECT_LT(EmbeddedJsonDocuments(dom, limits, nullptr).size(), 50u);
}

TEST(JsonBodyTest, StripsAntiHijackingPrefixes) {
  std::vector<std::string> warnings;
  auto docs = JsonBodyDocuments("for (;;);{\"payload\": {\"ok\": true}}", {}, &warnings);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].value["payload"]["ok"], true);
  EXPECT_EQ(JsonBodyDocuments(")]}'\n[1, 2]", {}, &warnings).size(), 1u);
  EXPECT_THAT(warnings, ElementsAre());
}

TEST(JsonBodyTest, ABodyThatIsNotJsonIsAWarning) {
  std::vector<std::string> warnings;
  EXPECT_THAT(JsonBodyDocuments("<html>oops</html>", {}, &warnings), ElementsAre());
  EXPECT_THAT(warnings, ElementsAre(HasSubstr("JSON body: not valid JSON")));
}

}  // namespace
}  // namespace telescreen::patterns
