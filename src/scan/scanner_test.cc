// The Scanner wires crawler, extractors, packs, merge and scoring together.
// Driven here through fetch::testing::FakeFetcher: no network, no curl, and
// every page the crawl asked for is on record.
#include "scan/scanner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <vector>

#include "core/time.h"
#include "fetch/testing_util.h"
#include "patterns/pattern_set.h"

namespace telescreen::scan {
namespace {

using fetch::testing::FakeFetcher;
using ::testing::Contains;
using ::testing::Not;

constexpr const char* kSite = "http://127.0.0.1:9/";

std::string At(const std::string& path) { return std::string(kSite) + path; }

core::Url Start(const std::string& path) { return core::Url::Parse(At(path)).value(); }

// A XING contact list page (the built-in pack's markup), with a link to the
// next page when `next` is not empty.
std::string ContactPage(const std::vector<std::string>& people, const std::string& next) {
  std::string html = "<html><body><ul data-qa=\"contacts-list\">";
  for (const auto& p : people) {
    html += "<li data-qa=\"contact\"><a data-qa=\"contact-name\" href=\"/xing/profile/" + p + "\">" + p +
            "</a></li>";
  }
  html += "</ul>";
  if (!next.empty()) html += "<a rel=\"next\" href=\"" + next + "\">Weiter</a>";
  return html + "</body></html>";
}

const char* kAnnaProfile =
    R"(<html><body><h2 data-qa="malt-profile-display-name"><span>Anna Beispiel</span></h2>
<a data-qa="profile-contacts-link" href="/xing/profile/Anna/contacts">Kontakte</a></body></html>)";

class ScannerTest : public ::testing::Test {
 protected:
  ScannerTest() : packs_(patterns::PatternSet::Load("", nullptr)) {
    options_.crawl.delay = std::chrono::milliseconds(0);
    options_.crawl.robots = fetch::RobotsPolicy::kIgnore;
  }

  model::ScanResult Scan(const std::vector<core::Url>& start) {
    Scanner scanner(packs_, core::ParseNow("2026-11-26T00:00:00Z").value());
    return scanner.Crawl(fetcher_, start, options_);
  }

  std::multiset<std::string> ContactNames(const model::ScanResult& r) {
    std::multiset<std::string> out;
    for (const auto& c : r.contacts) out.insert(c.name);
    return out;
  }

  patterns::PatternSet packs_;
  FakeFetcher fetcher_;
  ScanOptions options_;
};

TEST_F(ScannerTest, FollowsPaginationAndReportsEachContactOnce) {
  fetcher_.Set(At("xing/profile/Anna"), {FakeFetcher::Reply(200, kAnnaProfile)});
  fetcher_.Set(
      At("xing/profile/Anna/contacts"),
      {FakeFetcher::Reply(200, ContactPage({"Bert", "Cara"}, "/xing/profile/Anna/contacts?page=2"))});
  // Bert again on page 2: sites repeat entries across pages.
  fetcher_.Set(At("xing/profile/Anna/contacts?page=2"),
               {FakeFetcher::Reply(200, ContactPage({"Dora", "Bert"}, ""))});
  options_.crawl.max_depth = 1;  // profile -> list; "next" keeps its page's depth
  model::ScanResult r = Scan({Start("xing/profile/Anna")});
  EXPECT_EQ(ContactNames(r), (std::multiset<std::string>{"Bert", "Cara", "Dora"}));
  EXPECT_EQ(r.pages.size(), 3u);
  EXPECT_EQ(r.identity.names.size(), 1u);
  EXPECT_TRUE(r.score.complete);
  EXPECT_GT(r.score.total, 0);
  EXPECT_FALSE(r.findings.empty());
}

TEST_F(ScannerTest, DepthBoundsWhatIsFetched) {
  fetcher_.Set(At("a"), {FakeFetcher::Reply(200, "<a href='/b'>b</a>")});
  fetcher_.Set(At("b"), {FakeFetcher::Reply(200, "<a href='/c'>c</a>")});
  fetcher_.Set(At("c"), {FakeFetcher::Reply(200, "<p>deep</p>")});
  options_.crawl.max_depth = 1;
  model::ScanResult r = Scan({Start("a")});
  EXPECT_THAT(fetcher_.requested(), Contains(At("b")));
  EXPECT_THAT(fetcher_.requested(), Not(Contains(At("c"))));
  for (const auto& p : r.pages) EXPECT_LE(p.depth, 1);
}

TEST_F(ScannerTest, ALoginWallIsACoverageGapNotAnAllClear) {
  fetcher_.Set(At("xing/profile/Anna"), {FakeFetcher::Reply::Redirect(At("login?dest=profile"))});
  fetcher_.Set(At("login?dest=profile"),
               {FakeFetcher::Reply(200, R"(<html><body><form action="/login" method="post">
<input type="email" name="username"><input type="password" name="password">
<button type="submit">Einloggen</button></form></body></html>)")});
  model::ScanResult r = Scan({Start("xing/profile/Anna")});
  ASSERT_EQ(r.coverage.size(), 1u);
  EXPECT_EQ(r.coverage[0].seen, model::Seen::kWalled) << r.coverage[0].detail;
  EXPECT_FALSE(r.score.complete);
  EXPECT_TRUE(model::AnyWall(r));
}

TEST_F(ScannerTest, AnInterruptStopsTheCrawlAndMarksTheResult) {
  std::string links;
  for (int i = 0; i < 30; ++i) {
    links += "<a href='/p" + std::to_string(i) + "'>p</a>";
    fetcher_.Set(At("p" + std::to_string(i)), {FakeFetcher::Reply(200, "<p>page</p>")});
  }
  fetcher_.Set(At("index"), {FakeFetcher::Reply(200, links)});
  options_.crawl.concurrency = 1;
  options_.crawl.per_host = 1;
  std::atomic<int> pages{0};
  options_.on_page = [&](const fetch::CrawledPage&) { ++pages; };
  options_.crawl.stop_requested = [&] { return pages.load() >= 3; };
  model::ScanResult r = Scan({Start("index")});
  EXPECT_TRUE(r.interrupted);
  EXPECT_FALSE(r.score.complete);
  EXPECT_LT(fetcher_.requested().size(), 31u);
  EXPECT_GE(r.pages.size(), 3u);
}

// Extraction runs on several threads in whatever order pages come back; the
// result must not depend on it. The replies carry a Date, so that the pages'
// capture times do not depend on when each crawl ran.
TEST_F(ScannerTest, TheSameAnswersGiveTheSameResultWithOneOrFourExtractionThreads) {
  auto dated = [](std::string body) {
    FakeFetcher::Reply reply(200, std::move(body));
    reply.date = "Thu, 26 Nov 2026 00:00:00 GMT";
    return reply;
  };
  auto serve = [&](FakeFetcher* f) {
    std::string links;
    for (int i = 0; i < 12; ++i) {
      const std::string n = std::to_string(i);
      links += "<a href='/p" + n + "'>p</a>";
      f->Set(At("p" + n), {dated("<div class='h-card'><a class='p-name u-url' href='/people/" + n +
                                 "'>Person " + n + "</a></div>")});
    }
    f->Set(At("index"), {dated(links)});
  };
  serve(&fetcher_);
  options_.extract_threads = 1;
  model::ScanResult one = Scan({Start("index")});
  FakeFetcher again;
  serve(&again);
  options_.extract_threads = 4;
  Scanner scanner(packs_, core::ParseNow("2026-11-26T00:00:00Z").value());
  model::ScanResult two = scanner.Crawl(again, {Start("index")}, options_);
  EXPECT_EQ(one.contacts.size(), 12u);
  ASSERT_FALSE(one.pages.empty());
  EXPECT_EQ(one.pages[0].captured_at, "2026-11-26T00:00:00Z");
  EXPECT_EQ(one.pages, two.pages);
  EXPECT_EQ(one.contacts, two.contacts);
  EXPECT_EQ(one.score, two.score);
}

}  // namespace
}  // namespace telescreen::scan
