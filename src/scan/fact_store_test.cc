// The fact store gives back exactly what was put in, page by page in URL
// order, whatever order the pages arrived in.
#include "scan/fact_store.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace telescreen::scan {
namespace {

model::Evidence Ev(std::string page, std::string via, std::string excerpt) {
  return model::Evidence{std::move(page),
                         std::move(via),
                         std::move(excerpt),
                         true,
                         model::Visibility::kMembersOnly,
                         "Einstellungen > Privatsphäre (https://x.example/s)"};
}

model::PageFacts Sample(const std::string& page) {
  model::PageFacts f;
  f.identity.push_back({"name", "Julia Winter", Ev(page, "h-card", "p-name: Julia Winter")});
  f.identity.push_back({"email", "", Ev(page, "pattern:text/email", "")});
  f.contacts.push_back(
      {"Ann Example", "https://a.example/", "friend", {Ev(page, "h-card", "Ann"), Ev(page, "xfn", "")}});
  f.contacts.push_back({"Bob \xC3\xA4\xE2\x82\xAC", "", "", {}});
  model::Event e;
  e.name = "re:publica";
  e.start = "morgen";
  e.end = "2026-05-07";
  e.location = "Station Berlin";
  e.url = "https://re-publica.com/";
  e.role = "plan";
  e.status = "postponed";
  e.stated_at = "2026-05-04T08:15:00Z";
  e.tense = model::Tense::kFuture;
  e.imminent = true;
  e.attendees = {{"Bob Builder", "https://bob.example/"}, {"Carol", ""}};
  e.evidence = {Ev(page, "pattern:text/plan-de-event", "Bin morgen auf der re:publica")};
  f.events.push_back(e);
  f.interactions.push_back(model::Interaction{"Eve",
                                              "https://eve.example/",
                                              model::InteractionKind::kReaction,
                                              {Ev(page, "h-entry", "u-like: Eve")}});
  f.warnings = {"json-ld block 2: parse error at byte 17"};
  f.links.push_back({"https://a.example/next", "next", ""});
  return f;
}

TEST(FactStoreTest, RoundTripsEveryFieldInPageOrder) {
  FactStore store;
  store.Add("https://b.example/", Sample("https://b.example/"));
  store.Add("https://a.example/", Sample("https://a.example/"));
  std::vector<std::string> seen;
  store.ForEach([&](const std::string& page, const model::PageFacts& facts) {
    seen.push_back(page);
    model::PageFacts want = Sample(page);
    want.links.clear();          // links are the crawler's, not kept
    EXPECT_TRUE(facts == want);  // every field, evidence included
    EXPECT_TRUE(facts.links.empty());
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"https://a.example/", "https://b.example/"}));
  EXPECT_GT(store.bytes(), 0u);
}

TEST(FactStoreTest, APageAddedTwiceKeepsBothAndIsSmallerThanItsStructs) {
  FactStore store;
  model::PageFacts big;
  for (int i = 0; i < 1000; ++i) {
    std::string n = std::to_string(i);
    big.contacts.push_back({"Person " + n,
                            "https://net.example/p/" + n + ".html",
                            "contact",
                            {Ev("https://net.example/people/list?page=1", "h-card", "p-name: Person " + n)}});
  }
  store.Add("p", big);
  store.Add("p", Sample("p"));
  int visits = 0;
  store.ForEach([&](const std::string&, const model::PageFacts& facts) {
    ++visits;
    ASSERT_EQ(facts.contacts.size(), 1002u);
    EXPECT_EQ(facts.contacts[999].name, "Person 999");
    EXPECT_EQ(facts.contacts[1000].name, "Ann Example");
    EXPECT_EQ(facts.events.size(), 1u);
  });
  EXPECT_EQ(visits, 1);
  // The page URL, "h-card", "contact" and the remediation are stored once.
  EXPECT_LT(store.bytes(), 1000u * 80);
}

TEST(FactStoreTest, RecordsAreDeflatedAndEvidenceStringsShared) {
  FactStore store;
  model::PageFacts page;
  std::size_t raw = 0;
  for (int i = 0; i < 200; ++i) {
    std::string n = std::to_string(i);
    model::Contact c{
        "Person " + n,
        "https://net.example/p/" + n + ".html",
        "contact",
        {Ev("https://net.example/people", "h-card", "h-card: Person " + n + " /p/" + n + ".html")}};
    raw += c.name.size() + c.url.size() + c.evidence[0].excerpt.size();
    page.contacts.push_back(std::move(c));
  }
  store.Add("https://net.example/people", page);
  store.Add("https://net.example/other", page);
  // The distinct strings alone are `raw` bytes; deflate shares their
  // common parts ("Person ", "/p/", ".html").
  EXPECT_LT(store.bytes(), raw);  // both pages together
  std::vector<model::PageFacts> seen;
  store.ForEach([&](const std::string&, const model::PageFacts& facts) { seen.push_back(facts); });
  ASSERT_EQ(seen.size(), 2u);
  const auto& a = seen[0].contacts;
  ASSERT_EQ(a.size(), 200u);
  EXPECT_EQ(a[7].evidence[0].excerpt, "h-card: Person 7 /p/7.html");
  // One buffer per distinct string of a page; the extractor's name and the
  // remediation are one buffer for every page.
  EXPECT_TRUE(a[0].evidence[0].page_url.SharesWith(a[199].evidence[0].page_url));
  EXPECT_TRUE(a[0].evidence[0].via.SharesWith(seen[1].contacts[5].evidence[0].via));
  EXPECT_TRUE(a[0].evidence[0].remediation.SharesWith(seen[1].contacts[0].evidence[0].remediation));
  EXPECT_FALSE(a[0].evidence[0].excerpt.SharesWith(a[1].evidence[0].excerpt));
}

TEST(FactStoreTest, IdentityOnlyDecodesJustTheIdentity) {
  FactStore store;
  store.Add("p", Sample("p"));
  store.Add("p", Sample("p"));
  int visits = 0;
  store.ForEach(
      [&](const std::string&, const model::PageFacts& facts) {
        ++visits;
        EXPECT_EQ(facts.identity.size(), 4u);  // both records' identity facts
        EXPECT_EQ(facts.identity[2].value, "Julia Winter");
        EXPECT_TRUE(facts.contacts.empty());
        EXPECT_TRUE(facts.events.empty());
        EXPECT_TRUE(facts.warnings.empty());
      },
      FactParts::kIdentity);
  EXPECT_EQ(visits, 1);
}

TEST(FactStoreTest, AddFromManyThreads) {
  FactStore store;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 50; ++i) {
        std::string page = "https://x.example/" + std::to_string(t) + "/" + std::to_string(i);
        store.Add(page, Sample(page));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(store.pages(), 200u);
  std::size_t events = 0;
  store.ForEach([&](const std::string&, const model::PageFacts& f) { events += f.events.size(); });
  EXPECT_EQ(events, 200u);
}

}  // namespace
}  // namespace telescreen::scan
