#include "extract/microdata.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "extract/extractor.h"
#include "extract/html_parser.h"
#include "extract/microformats.h"
#include "extract/rdfa.h"

namespace telescreen::extract {
namespace {

using ::testing::Contains;

PageInput Input(std::string_view body) {
  PageInput in;
  in.url = core::Url::Parse("https://example.org/p/ann").value();
  in.content_type = "text/html";
  in.body = body;
  return in;
}

std::vector<std::string> Values(const model::PageFacts& f, std::string_view kind, std::string_view via) {
  std::vector<std::string> out;
  for (const auto& i : f.identity) {
    if (i.kind == kind && i.evidence.via == via) out.push_back(i.value.str());
  }
  return out;
}

TEST(Microdata, ItemsWithNestingAndItemref) {
  std::string html = R"(<div itemscope itemtype="https://schema.org/Person" itemref="extra">
      <span itemprop="name">Ann Example</span>
      <a itemprop="url" href="/ann">home</a>
      <div itemprop="worksFor" itemscope itemtype="https://schema.org/Organization">
        <span itemprop="name">Acme</span></div>
      <div itemprop="knows" itemscope itemtype="https://schema.org/Person">
        <a itemprop="url" href="https://bob.example/"><span itemprop="name">Bob</span></a></div>
    </div>
    <p id="extra"><meta itemprop="email" content="ann@example.org"></p>)";
  model::Dom dom = ParseHtml(html);
  Candidates c = CollectCandidates(dom);
  model::PageFacts facts;
  PageInput in = Input(html);
  FactSink sink(in, "", facts);
  nlohmann::json items = MicrodataItems(dom, c, sink);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["@type"], "https://schema.org/Person");
  EXPECT_EQ(items[0]["name"], "Ann Example");
  EXPECT_EQ(items[0]["url"], "https://example.org/ann");
  EXPECT_EQ(items[0]["worksFor"]["name"], "Acme");
  EXPECT_EQ(items[0]["email"], "ann@example.org");

  auto f = ExtractPage(in).facts;
  EXPECT_THAT(Values(f, "name", "microdata"), Contains("Ann Example"));
  EXPECT_THAT(Values(f, "employer", "microdata"), Contains("Acme"));
  EXPECT_THAT(Values(f, "email", "microdata"), Contains("ann@example.org"));
  ASSERT_EQ(f.contacts.size(), 1u);
  EXPECT_EQ(f.contacts[0].name, "Bob");
  EXPECT_EQ(f.contacts[0].relation, "knows");
}

TEST(Microdata, ItemrefCyclesTerminate) {
  std::string html =
      R"(<div id="a" itemscope itemref="a b"><div id="b" itemprop="x" itemscope itemref="a">y</div></div>)";
  auto page = ExtractPage(Input(html));  // must return
  EXPECT_TRUE(page.dom.has_value());
}

// Found by html_fuzz: items that itemref each other (and themselves
// through nested items) recursed to the depth cap along every branch.
TEST(Microdata, MutualItemrefsStayBounded) {
  std::string html;
  for (int i = 0; i < 30; ++i) {
    html += "<div id=\"a" + std::to_string(i) + "\" itemprop=\"p\" itemscope itemref=\"a" +
            std::to_string((i + 1) % 30) + " a" + std::to_string((i + 2) % 30) + "\">x</div>";
  }
  html = "<div itemscope itemref=\"a0 a1\"></div>" + html;
  model::Dom dom = ParseHtml(html);
  Candidates c = CollectCandidates(dom);
  model::PageFacts facts;
  PageInput in = Input(html);
  FactSink sink(in, "", facts);
  nlohmann::json items = MicrodataItems(dom, c, sink);
  EXPECT_LT(items.dump().size(), 50u << 20);
}

TEST(Microdata, EventWithPlace) {
  std::string html = R"(<div itemscope itemtype="http://schema.org/MusicEvent">
    <a itemprop="url" href="/e/1"><span itemprop="name">Gig</span></a>
    <time itemprop="startDate" datetime="2015-10-21T19:00:00">Oct 21</time>
    <div itemprop="location" itemscope itemtype="http://schema.org/Place"><span itemprop="name">Hall</span>
    <div itemprop="address" itemscope itemtype="http://schema.org/PostalAddress">
    <span itemprop="addressLocality">Leeds</span></div></div></div>)";
  auto f = ExtractPage(Input(html)).facts;
  ASSERT_EQ(f.events.size(), 1u);
  EXPECT_EQ(f.events[0].name, "Gig");
  EXPECT_EQ(f.events[0].start, "2015-10-21T19:00:00");
  EXPECT_EQ(f.events[0].location, "Hall, Leeds");
  EXPECT_EQ(f.events[0].url, "https://example.org/e/1");
  EXPECT_EQ(f.events[0].evidence[0].via, "microdata");
}

TEST(Rdfa, PersonAndEventLikeMicrodata) {
  std::string html = R"(<div vocab="http://schema.org/" typeof="Person">
      <span property="name">Ann Example</span>
      <span property="jobTitle">Engineer</span>
      <div property="colleague" typeof="Person"><span property="name">Carl</span></div>
      <a property="colleague" href="https://dora.example/">Dora</a>
    </div>
    <div vocab="http://schema.org/" typeof="Event"><span property="name">Talk</span>
      <meta property="startDate" content="2026-05-01">
      <div property="location" typeof="Place"><span property="name">Room 1</span></div></div>)";
  auto f = ExtractPage(Input(html)).facts;
  EXPECT_THAT(Values(f, "name", "rdfa"), Contains("Ann Example"));
  EXPECT_THAT(Values(f, "headline", "rdfa"), Contains("Engineer"));
  ASSERT_EQ(f.contacts.size(), 2u);
  EXPECT_EQ(f.contacts[0].relation, "colleague");
  ASSERT_EQ(f.events.size(), 1u);
  EXPECT_EQ(f.events[0].start, "2026-05-01");
  EXPECT_EQ(f.events[0].location, "Room 1");
}

}  // namespace
}  // namespace telescreen::extract

namespace telescreen::extract {
namespace {

std::size_t CountValues(const nlohmann::json& v) {
  std::size_t n = 1;
  if (v.is_structured()) {
    for (const auto& e : v) n += CountValues(e);
  }
  return n;
}

// An element naming two properties at every level of a deep nesting would
// double the result at each level if every name got a full copy.
TEST(Microdata, SeveralNamesPerLevelDoNotGrowExponentially) {
  std::string html;
  for (int i = 0; i < 40; ++i) html += "<div itemscope itemprop=\"a b\">";
  html = "<div itemscope>" + html + "x";
  model::Dom dom = ParseHtml(html);
  Candidates c = CollectCandidates(dom);
  model::PageFacts facts;
  PageInput in = Input(html);
  FactSink sink(in, "", facts);
  nlohmann::json items = MicrodataItems(dom, c, sink);
  EXPECT_LT(CountValues(items), 2 * kCopyBudgetPerPage);
}

TEST(Rdfa, SeveralNamesPerLevelDoNotGrowExponentially) {
  std::string html = "<div vocab=\"http://schema.org/\" typeof=\"Thing\">";
  for (int i = 0; i < 40; ++i) html += "<div typeof=\"Thing\" property=\"a b\">";
  model::Dom dom = ParseHtml(html + "x");
  Candidates c = CollectCandidates(dom);
  model::PageFacts facts;
  PageInput in = Input(html);
  FactSink sink(in, "", facts);
  EXPECT_LT(CountValues(RdfaItems(dom, c, sink)), 2 * kCopyBudgetPerPage);
}

}  // namespace
}  // namespace telescreen::extract

namespace telescreen::extract {
namespace {

TEST(Microformats, SeveralPropertiesPerLevelDoNotGrowExponentially) {
  std::string html = "<div class=\"h-card\">";
  for (int i = 0; i < 40; ++i) html += "<div class=\"h-card p-a p-b\">";
  html += "x";
  model::Dom dom = ParseHtml(html);
  Candidates c = CollectCandidates(dom);
  model::PageFacts facts;
  PageInput in = Input(html);
  FactSink sink(in, "", facts);
  nlohmann::json mf2 = nlohmann::json::parse(ParseMicroformats(dom, c, sink).dump());
  EXPECT_LT(CountValues(mf2), 2 * kCopyBudgetPerPage);
}

}  // namespace
}  // namespace telescreen::extract
