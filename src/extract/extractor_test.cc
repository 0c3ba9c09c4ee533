#include "extract/extractor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

namespace telescreen::extract {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;

PageInput Input(std::string_view body, std::string_view url = "https://example.org/ann",
                std::string_view type = "text/html") {
  PageInput in;
  in.url = core::Url::Parse(url).value();
  in.content_type = type;
  in.body = body;
  return in;
}

std::vector<std::string> Values(const model::PageFacts& f, std::string_view kind, std::string_view via = {}) {
  std::vector<std::string> out;
  for (const auto& i : f.identity) {
    if (i.kind == kind && (via.empty() || i.evidence.via == via)) out.push_back(i.value.str());
  }
  return out;
}

const model::Contact* FindContact(const model::PageFacts& f, std::string_view url) {
  for (const auto& c : f.contacts) {
    if (c.url == url) return &c;
  }
  return nullptr;
}

TEST(JsonLd, PersonGivesIdentityAndContacts) {
  std::string html = R"(<script type="application/ld+json">
  {"@context":"https://schema.org","@type":"Person","name":"Ann Example",
   "url":"https://ann.example","sameAs":["https://social.example/@ann"],
   "worksFor":{"@type":"Organization","name":"Acme"},
   "knows":[{"@type":"Person","name":"Bob","url":"https://bob.example/"}],
   "follows":"https://carol.example/","colleague":{"@id":"#dan"}}
  </script>
  <script type="application/ld+json">{"@id":"#dan","@type":"Person","name":"Dan"}</script>)";
  auto page = ExtractPage(Input(html));
  const auto& f = page.facts;
  EXPECT_THAT(Values(f, "name", "json-ld"), Contains("Ann Example"));
  EXPECT_THAT(Values(f, "profile"), Contains("https://social.example/@ann"));
  EXPECT_THAT(Values(f, "employer"), Contains("Acme"));
  const auto* bob = FindContact(f, "https://bob.example/");
  ASSERT_NE(bob, nullptr);
  EXPECT_EQ(bob->name, "Bob");
  EXPECT_EQ(bob->relation, "knows");
  ASSERT_EQ(bob->evidence.size(), 1u);
  EXPECT_EQ(bob->evidence[0].page_url, "https://example.org/ann");
  EXPECT_TRUE(bob->evidence[0].machine_readable);
  ASSERT_NE(FindContact(f, "https://carol.example/"), nullptr);
  EXPECT_EQ(FindContact(f, "https://carol.example/")->relation, "follows");
  EXPECT_THAT(f.contacts, Contains(AllOf(Field(&model::Contact::name, "Dan"),
                                         Field(&model::Contact::relation, "colleague"))));
}

TEST(JsonLd, GraphProfilePageAndEvents) {
  std::string html = R"(<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
   {"@type":"ProfilePage","mainEntity":{"@id":"https://example.org/#me"}},
   {"@type":"Person","@id":"https://example.org/#me","name":"Ann"},
   {"@type":"Person","name":"Someone Else"},
   {"@type":"MusicEvent","name":"Gig","startDate":"2015-10-21T19:00:00",
    "location":{"@type":"Place","name":"Hall","address":{"@type":"PostalAddress",
      "streetAddress":"1 Main St","addressLocality":"Berlin"}},
    "attendee":{"@id":"https://example.org/#me"}},
   {"@type":"Event","name":"Webinar","startDate":"2026-01-02","eventStatus":"https://schema.org/EventCancelled",
    "location":{"@type":"VirtualLocation","url":"https://meet.example/x"}}]}</script>)";
  auto f = ExtractPage(Input(html)).facts;
  EXPECT_EQ(Values(f, "name"), std::vector<std::string>{"Ann"});
  ASSERT_EQ(f.events.size(), 2u);
  EXPECT_EQ(f.events[0].name, "Gig");
  EXPECT_EQ(f.events[0].start, "2015-10-21T19:00:00");
  EXPECT_EQ(f.events[0].location, "Hall, 1 Main St, Berlin");
  EXPECT_EQ(f.events[0].role, "attended");
  EXPECT_EQ(f.events[0].tense, model::Tense::kUnknown);
  EXPECT_EQ(f.events[1].location, "https://meet.example/x");
  EXPECT_EQ(f.events[1].status, "cancelled");
  EXPECT_EQ(f.events[0].status, "");
}

TEST(JsonLd, BrokenBlockBecomesAWarning) {
  auto f = ExtractPage(Input(R"(<script type="application/ld+json">{"@type": </script>)")).facts;
  ASSERT_EQ(f.warnings.size(), 1u);
  EXPECT_EQ(f.warnings[0], "json-ld block 1: not valid JSON");
}

TEST(JsonLd, DeepNestingIsRejectedNotRecursed) {
  std::string deep(100000, '[');
  auto f = ExtractPage(Input("<script type=application/ld+json>" + deep + "</script>")).facts;
  ASSERT_EQ(f.warnings.size(), 1u);
  EXPECT_THAT(f.warnings[0], ::testing::StartsWith("json-ld block 1: nested deeper than "));
}

TEST(JsonLd, WholeBodyOfTypeLdJson) {
  auto f = ExtractPage(Input(R"({"@type":"Person","name":"Ann"})", "https://example.org/a.jsonld",
                             "application/ld+json"))
               .facts;
  EXPECT_FALSE(f.identity.empty());
}

TEST(Microformats, RepresentativeHCardRelMeAndXfn) {
  std::string html = R"(<base href="/people/">
  <div class="h-card"><a class="p-name u-url" href="https://example.org/ann">Ann Example</a>
    <span class="p-org">Acme</span><a class="u-email" href="mailto:ann@example.org">mail</a>
    <img class="u-photo" src="ann.jpg" alt=""></div>
  <a rel="me" href="https://social.example/@ann">Mastodon</a>
  <a rel="friend met" href="bob.html">Bob</a>
  <a rel="met" href="https://carol.example/">Carol</a>
  <link rel="alternate" type="text/calendar" href="/cal.ics">)";
  auto page = ExtractPage(Input(html));
  const auto& f = page.facts;
  EXPECT_THAT(Values(f, "name", "h-card"), Contains("Ann Example"));
  EXPECT_THAT(Values(f, "employer", "h-card"), Contains("Acme"));
  EXPECT_THAT(Values(f, "email", "h-card"), Contains("ann@example.org"));
  EXPECT_THAT(Values(f, "photo", "h-card"), Contains("https://example.org/people/ann.jpg"));
  EXPECT_THAT(Values(f, "profile", "rel-me"), Contains("https://social.example/@ann"));
  const auto* bob = FindContact(f, "https://example.org/people/bob.html");
  ASSERT_NE(bob, nullptr);
  EXPECT_EQ(bob->relation, "friend");
  EXPECT_EQ(bob->name, "Bob");
  EXPECT_EQ(bob->evidence[0].via, "xfn");
  ASSERT_NE(FindContact(f, "https://carol.example/"), nullptr);
  EXPECT_EQ(FindContact(f, "https://carol.example/")->relation, "met");
  EXPECT_THAT(f.links, Contains(AllOf(Field(&model::Link::url, "https://example.org/cal.ics"),
                                      Field(&model::Link::kind, "events"))));
  EXPECT_THAT(f.links, Contains(AllOf(Field(&model::Link::url, "https://social.example/@ann"),
                                      Field(&model::Link::kind, "profile"))));
  ASSERT_TRUE(page.dom.has_value());
}

TEST(Microformats, HEventWithValueClassDates) {
  std::string html = R"(<div class="h-event"><h1 class="p-name">Meetup</h1>
    <p class="dt-start"><span class="value">2026-03-12</span> at <span class="value">7pm</span></p>
    <p class="dt-end">21:30</p>
    <p class="p-location h-card"><span class="p-name">Café X</span></p></div>)";
  auto f = ExtractPage(Input(html)).facts;
  ASSERT_EQ(f.events.size(), 1u);
  EXPECT_EQ(f.events[0].name, "Meetup");
  EXPECT_EQ(f.events[0].start, "2026-03-12 19:00");
  EXPECT_EQ(f.events[0].end, "2026-03-12 21:30");
  EXPECT_EQ(f.events[0].location, "Café X");
  EXPECT_EQ(f.events[0].evidence[0].via, "h-event");
}

TEST(Microformats, RsvpEntryIsAPlan) {
  std::string html = R"(<div class="h-entry"><span class="p-rsvp">yes</span> to
    <a class="u-in-reply-to" href="https://events.example/42">the party</a></div>)";
  auto f = ExtractPage(Input(html)).facts;
  ASSERT_EQ(f.events.size(), 1u);
  EXPECT_EQ(f.events[0].role, "rsvp-yes");
  EXPECT_EQ(f.events[0].url, "https://events.example/42");
}

// Every nested h-event names two properties of its parent: both share one
// parsed item, and each of the 40 events is found once, complete, however
// deep the sharing goes. A walk that expanded a shared item each time it is
// named would need 2^40 steps and, cut off at its bound, never reach the
// event after the nesting.
TEST(Microformats, ItemsSharedBySeveralPropertiesGiveTheirEventsOnce) {
  std::string html = "<div class=\"h-event\"><span class=\"p-name\">e0</span>";
  for (int i = 1; i < 40; ++i) {
    html += "<div class=\"h-event p-a p-b\"><span class=\"p-name\">e" + std::to_string(i) +
            "</span><time class=\"dt-start\" datetime=\"2026-01-02\">x</time>";
  }
  for (int i = 0; i < 40; ++i) html += "</div>";
  html += "<div class=\"h-event\"><span class=\"p-name\">e40</span></div>";
  auto f = ExtractPage(Input(html)).facts;
  ASSERT_EQ(f.events.size(), 41u);
  EXPECT_EQ(f.events.back().name, "e40");
  for (const auto& e : f.events) {
    EXPECT_THAT(e.name.str(), ::testing::MatchesRegex("e[0-9]+"));
    if (e.name != "e0" && e.name != "e40") {
      EXPECT_EQ(e.start, "2026-01-02");
    }
  }
}

// Whom the page's own posts tie to its owner, and whom they do not: a
// commenter quoted in a post is no contact but an interaction.
TEST(Microformats, OwnPostsGiveTaggedInviteeAndFollowsContacts) {
  std::string html =
      R"(<div class="h-card"><a class="p-name u-url u-uid" href="https://example.org/ann">Ann</a>
      <div class="h-card"><span class="p-name">Dan Child</span></div>
      <div class="h-org h-card"><span class="p-name">Acme Team</span></div></div>
    <div class="h-feed">
      <div class="h-entry"><p class="e-content">Lunch with
        <a class="u-category h-card" href="https://bob.example/">Bob</a></p>
        <a class="u-follow-of" href="https://carol.example/">Carol's feed</a>
        <span class="p-invitee h-card">Dave Invited</span>
        <div class="p-comment h-cite"><span class="p-author h-card">Eve Commenter</span> nice</div>
      </div>
    </div>)";
  auto f = ExtractPage(Input(html)).facts;
  std::map<std::string, std::string> relation;
  for (const auto& c : f.contacts) relation[c.url.empty() ? c.name : c.url] = c.relation;
  EXPECT_EQ(relation["https://bob.example/"], "tagged");
  EXPECT_EQ(relation["https://carol.example/"], "follows");
  EXPECT_EQ(relation["Dave Invited"], "invitee");
  EXPECT_EQ(relation["Dan Child"], "contact");
  EXPECT_EQ(relation.count("Eve Commenter"), 0u);
  ASSERT_EQ(f.interactions.size(), 1u);
  EXPECT_EQ(f.interactions[0].name, "Eve Commenter");
  EXPECT_EQ(f.interactions[0].kind, model::InteractionKind::kComment);
  EXPECT_EQ(relation.count("Acme Team"), 0u);
  EXPECT_THAT(Values(f, "group", "h-card"), Contains("Acme Team"));
}

TEST(Microformats, EventAttendeesAreListedWithTheEvent) {
  std::string html = R"(<div class="h-event"><span class="p-name">Summit</span>
      <time class="dt-start" datetime="2012-10-10">10 Oct</time>
      <span class="p-attendee h-card"><a class="p-name u-url" href="https://bw.example/">Brian</a></span>
      <span class="p-attendee h-card">Kyle</span></div>)";
  auto f = ExtractPage(Input(html)).facts;
  ASSERT_EQ(f.events.size(), 1u);
  ASSERT_EQ(f.events[0].attendees.size(), 2u);
  EXPECT_EQ(f.events[0].attendees[0], (model::Attendee{"Brian", "https://bw.example/"}));
  EXPECT_EQ(f.events[0].attendees[1], (model::Attendee{"Kyle", ""}));
  EXPECT_TRUE(f.contacts.empty());  // nobody here says Ann was there
}

// The comments on a post page: their authors responded, nothing more.
TEST(JsonLd, CommentsOnThePersonsPostAreInteractions) {
  std::string html = R"(<script type="application/ld+json">{"@context":"https://schema.org",
      "@type":"DiscussionForumPosting","author":{"@type":"Person","name":"Ann Example"},
      "comment":[{"@type":"Comment","author":{"@type":"Person","name":"Lucie B.",
                  "url":"https://example.org/in/lucie"}},
                 {"@type":"Comment","author":"Petr"}]}</script>)";
  auto f = ExtractPage(Input(html)).facts;
  ASSERT_EQ(f.interactions.size(), 2u);
  EXPECT_EQ(f.interactions[0].name, "Lucie B.");
  EXPECT_EQ(f.interactions[0].url, "https://example.org/in/lucie");
  EXPECT_EQ(f.interactions[1].name, "Petr");
  EXPECT_EQ(f.interactions[1].kind, model::InteractionKind::kComment);
  EXPECT_TRUE(f.contacts.empty());
}

TEST(Microformats, Mf1VcardAndVevent) {
  std::string html = R"(<div class="vcard"><span class="fn">Ann Example</span>
    <span class="org">Acme</span></div>
    <div class="vevent"><span class="summary">Conf</span>
    <abbr class="dtstart" title="2007-10-05">October 5</abbr>
    <span class="location">Berlin</span>
    <span class="attendee vcard"><span class="fn">Bob</span></span></div>)";
  auto f = ExtractPage(Input(html)).facts;
  EXPECT_THAT(Values(f, "name", "h-card"), Contains("Ann Example"));
  ASSERT_EQ(f.events.size(), 1u);
  EXPECT_EQ(f.events[0].start, "2007-10-05");
  EXPECT_EQ(f.events[0].location, "Berlin");
}

TEST(OpenGraph, ProfileMetaGivesIdentity) {
  std::string html = R"(<meta property="og:type" content="profile">
    <meta property="profile:first_name" content="Ann"><meta property="profile:last_name" content="Example">
    <meta property="og:url" content="https://example.org/in/ann"><meta property="og:image" content="/a.png">)";
  auto f = ExtractPage(Input(html)).facts;
  EXPECT_THAT(Values(f, "name", "opengraph"), Contains("Ann Example"));
  EXPECT_THAT(Values(f, "url", "opengraph"), Contains("https://example.org/in/ann"));
  EXPECT_THAT(Values(f, "photo", "opengraph"), Contains("https://example.org/a.png"));
}

TEST(OpenGraph, ArticlePagesGiveNoIdentity) {
  auto f =
      ExtractPage(
          Input(R"(<meta property="og:type" content="article"><meta property="og:title" content="News">)"))
          .facts;
  EXPECT_TRUE(f.identity.empty());
}

TEST(Links, ResolvedDeduplicatedHttpOnly) {
  std::string html = R"(<a href="b">1</a><a href="/b#x">2</a><a href="mailto:a@b">m</a>
    <a href="javascript:x">j</a><a href="webcal://cal.example/x.ics">c</a>
    <link rel="stylesheet" href="/s.css"><a rel="next" href="?page=2">n</a>)";
  auto f = ExtractPage(Input(html, "https://example.org/dir/page")).facts;
  std::vector<std::string> urls;
  for (const auto& l : f.links) urls.push_back(l.url + "|" + l.kind);
  EXPECT_EQ(urls, (std::vector<std::string>{"https://example.org/dir/b|", "https://example.org/b|",
                                            "https://cal.example/x.ics|events",
                                            "https://example.org/dir/page?page=2|next"}));
}

TEST(ExtractPage, DispatchesCalendarsAndCardsBySniffing) {
  auto ics =
      ExtractPage(Input("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "https://example.org/c", "text/plain"));
  EXPECT_FALSE(ics.dom.has_value());
  auto vcf = ExtractPage(Input("BEGIN:VCARD\r\nFN:Ann\r\nEND:VCARD\r\n", "https://example.org/v", ""));
  EXPECT_FALSE(vcf.dom.has_value());
  auto html = ExtractPage(Input("<p>hi</p>", "https://example.org/h", ""));
  EXPECT_TRUE(html.dom.has_value());
}

TEST(ExtractPage, EvidenceCarriesVisibilityAndShortExcerpts) {
  std::string name(500, 'x');
  std::string html =
      R"(<script type="application/ld+json">{"@type":"Person","name":")" + name + R"("}</script>)";
  auto in = Input(html);
  in.visibility = model::Visibility::kMembersOnly;
  auto f = ExtractPage(in).facts;
  ASSERT_FALSE(f.identity.empty());
  EXPECT_EQ(f.identity[0].evidence.visibility, model::Visibility::kMembersOnly);
  EXPECT_LE(f.identity[0].evidence.excerpt.size(), 200u);
}

}  // namespace
}  // namespace telescreen::extract
