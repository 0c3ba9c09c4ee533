// Visible text and the posts in it: a plan's relative date counts from the
// date of the post that states it.
#include "patterns/text_rules.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/url.h"
#include "patterns/pattern_set.h"
#include "patterns/test_html.h"

namespace telescreen::patterns {
namespace {

using testing::ParseTestHtml;

std::size_t OffsetOf(const std::string& text, std::string_view needle) {
  auto at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  return at;
}

TEST(VisibleTextPostsTest, EachH_EntryCarriesItsOwnPublishedDate) {
  auto dom = ParseTestHtml(
      "<html><body><div class=\"h-feed\">"
      "<article class=\"h-entry\"><p class=\"e-content\">Bin morgen auf der re:publica</p>"
      "<a class=\"u-url\" href=\"/1\"><time class=\"dt-published\" datetime=\"2026-05-04T08:15:00Z\">4. "
      "Mai</time></a></article>"
      "<article class=\"h-entry\"><p class=\"e-content\">See you at FOSDEM next week</p>"
      "<time class=\"dt-published\" datetime=\"2026-01-25\">Jan 25</time></article>"
      "</div><p>Outside any post: bis morgen</p></body></html>");
  std::vector<PostSpan> posts;
  std::string text = VisibleText(dom, kMaxVisibleTextBytes, &posts);
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(PublishedAt(posts, OffsetOf(text, "re:publica")), "2026-05-04T08:15:00Z");
  EXPECT_EQ(PublishedAt(posts, OffsetOf(text, "FOSDEM")), "2026-01-25");
  EXPECT_EQ(PublishedAt(posts, OffsetOf(text, "Outside")), "");
}

TEST(VisibleTextPostsTest, NestedReplyHasItsOwnDateAndParentKeepsItsOwn) {
  auto dom = ParseTestHtml(
      "<html><body><article><p>Parent: nächste Woche Berlin</p>"
      "<article class=\"h-entry\"><p>Reply: morgen Köln</p><time "
      "datetime=\"2026-03-10\">10.3.</time></article>"
      "<p>Parent again</p><time datetime=\"2026-03-01\">1.3.</time></article></body></html>");
  std::vector<PostSpan> posts;
  std::string text = VisibleText(dom, kMaxVisibleTextBytes, &posts);
  // The parent's own date is its <time>, not the reply's, though the reply's comes first.
  EXPECT_EQ(PublishedAt(posts, OffsetOf(text, "Parent:")), "2026-03-01");
  EXPECT_EQ(PublishedAt(posts, OffsetOf(text, "Reply")), "2026-03-10");
  EXPECT_EQ(PublishedAt(posts, OffsetOf(text, "Parent again")), "2026-03-01");
}

TEST(VisibleTextPostsTest, PageDateFromArticleMetaCoversThePage) {
  auto dom = ParseTestHtml(
      "<html><head><meta property=\"article:published_time\" content=\"2026-02-02T10:00:00+01:00\"></head>"
      "<body><p>Ab Montag in Hamburg</p></body></html>");
  std::vector<PostSpan> posts;
  std::string text = VisibleText(dom, kMaxVisibleTextBytes, &posts);
  EXPECT_EQ(PublishedAt(posts, OffsetOf(text, "Hamburg")), "2026-02-02T10:00:00+01:00");
}

TEST(VisibleTextPostsTest, PostWithoutDateAndMicrodataPosting) {
  auto dom = ParseTestHtml(
      "<html><body><article><p>undated</p></article>"
      "<div itemscope itemtype=\"https://schema.org/SocialMediaPosting\"><p>dated</p>"
      "<meta itemprop=\"datePublished\" content=\"2026-07-01\"></div></body></html>");
  std::vector<PostSpan> posts;
  std::string text = VisibleText(dom, kMaxVisibleTextBytes, &posts);
  EXPECT_EQ(PublishedAt(posts, OffsetOf(text, "undated")), "");
  EXPECT_EQ(PublishedAt(posts, OffsetOf(text, "dated")), "");  // "undated" holds "dated" too
  EXPECT_EQ(PublishedAt(posts, text.rfind("dated")), "2026-07-01");
}

TEST(VisibleTextPostsTest, TextIsTheSameWithOrWithoutPosts) {
  auto dom = ParseTestHtml(
      "<html><body><article class=\"h-entry\"><p>a <b>b</b></p><time class=\"dt-published\" "
      "datetime=\"2026-01-01\">x</time></article><p>c</p></body></html>");
  std::vector<PostSpan> posts;
  EXPECT_EQ(VisibleText(dom, kMaxVisibleTextBytes, &posts), VisibleText(dom));
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_LE(posts[0].end, VisibleText(dom).size());
}

TEST(VisibleTextPostsTest, ManyNestedPostsStayBounded) {
  std::string html = "<html><body>";
  for (int i = 0; i < 20000; ++i) html += "<article><span class=\"published\">2026-01-01</span>";
  html += "morgen";
  for (int i = 0; i < 20000; ++i) html += "</article>";
  html += "</body></html>";
  auto dom = ParseTestHtml(html);
  std::vector<PostSpan> posts;
  std::string text = VisibleText(dom, kMaxVisibleTextBytes, &posts);
  EXPECT_LE(posts.size(), 4096u);
  EXPECT_NE(text.find("morgen"), std::string::npos);
}

TEST(TextPlansTest, PlanCarriesThePostDate) {
  auto set = PatternSet::Load("", nullptr);
  auto dom = ParseTestHtml(
      "<html><body><article class=\"h-entry\"><p class=\"e-content\">Bin morgen auf der re:publica, wer "
      "noch?</p>"
      "<time class=\"dt-published\" datetime=\"2026-05-04T08:15:00Z\">4. Mai</time></article></body></html>");
  model::PageFacts facts;
  auto url = core::Url::Parse("https://social.example/@ann/1").value();
  ASSERT_TRUE(set.ApplyPack("text", dom, url, model::Visibility::kPublic, &facts));
  ASSERT_EQ(facts.events.size(), 1u);
  EXPECT_EQ(facts.events[0].role, "plan");
  EXPECT_EQ(facts.events[0].start, "morgen");
  EXPECT_EQ(facts.events[0].stated_at, "2026-05-04T08:15:00Z");
}

// On an event page the venue's street address is the venue's, not the
// person's; the same address on a page with no such event is kept.
TEST(TextIdentityTest, VenueAddressIsNotThePersons) {
  auto set = PatternSet::Load("", nullptr);
  auto dom = ParseTestHtml(
      "<html><body><h1>UX Stammtisch</h1><p>Café Elbgold, Mühlenkamp 12, 22303 Hamburg</p></body></html>");
  auto url = core::Url::Parse("https://events.example/e/1").value();
  model::PageFacts plain;
  set.Apply(dom, url, model::Visibility::kPublic, &plain);
  auto addresses = [](const model::PageFacts& f) {
    int n = 0;
    for (const auto& i : f.identity) n += i.kind == "address";
    return n;
  };
  ASSERT_EQ(addresses(plain), 1);
  model::PageFacts event_page;
  model::Event e;
  e.name = "UX Stammtisch";
  e.location = "Café Elbgold, Mühlenkamp 12, 22303 Hamburg";
  event_page.events.push_back(e);  // as the JSON-LD extractor found it
  set.Apply(dom, url, model::Visibility::kPublic, &event_page);
  EXPECT_EQ(addresses(event_page), 0);
}

TEST(TextIdentityTest, FediverseHandleIsNotAnEmailAddress) {
  auto set = PatternSet::Load("", nullptr);
  auto dom =
      ParseTestHtml("<html><body><p>@aylin@social.example</p><p>Mail: aylin@example.org</p></body></html>");
  model::PageFacts facts;
  set.Apply(dom, core::Url::Parse("https://social.example/@ann/followers").value(),
            model::Visibility::kPublic, &facts);
  std::vector<std::string> emails;
  for (const auto& i : facts.identity) {
    if (i.kind == "email") emails.push_back(i.value.str());
  }
  EXPECT_EQ(emails, std::vector<std::string>{"aylin@example.org"});
}

// The one-pass filter may only skip rules that have no match: on every
// example of every built-in text rule, each rule that matches is let through.
TEST(TextRuleFilterTest, NeverDropsARuleThatMatches) {
  auto set = PatternSet::Load("", nullptr);
  auto pack = set.Find("text");
  ASSERT_TRUE(pack);
  ASSERT_TRUE(pack->text_filter);
  std::vector<std::string> texts;
  for (const auto& rule : pack->text_rules) {
    for (const auto& ex : rule.match) texts.push_back(ex.text);
    for (const auto& ex : rule.no_match) texts.push_back(ex);
  }
  ASSERT_GT(texts.size(), 50u);
  std::size_t skipped = 0;
  for (const auto& text : texts) {
    auto matching = pack->text_filter->Matching(text);
    ASSERT_TRUE(matching) << text;
    for (std::size_t i = 0; i < pack->text_rules.size(); ++i) {
      bool let_through = std::binary_search(matching->begin(), matching->end(), static_cast<int>(i));
      if (!MatchText(pack->text_rules[i], text).empty()) {
        EXPECT_TRUE(let_through) << pack->text_rules[i].id << " on " << text;
      }
      skipped += !let_through;
    }
  }
  EXPECT_GT(skipped, texts.size());  // it does filter: most rules on most texts
}

}  // namespace
}  // namespace telescreen::patterns
