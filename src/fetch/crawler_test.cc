#include "fetch/crawler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "fetch/address_policy.h"
#include "fetch/curl_fetcher.h"
#include "fetch/testing_util.h"

namespace telescreen::fetch {
namespace {

using testing::FakeFetcher;
using Reply = FakeFetcher::Reply;

core::Url U(const std::string& s) {
  auto u = core::Url::Parse(s);
  EXPECT_TRUE(u.ok()) << s;
  return u.value();
}

CrawlOptions Quick() {
  CrawlOptions o;
  o.delay = std::chrono::milliseconds(0);
  o.robots = RobotsPolicy::kIgnore;
  o.retry_base_delay = std::chrono::milliseconds(1);
  return o;
}

// A handler that returns the links listed one per line in the body.
std::vector<model::Link> LinesAsLinks(const CrawledPage& p) {
  std::vector<model::Link> links;
  std::size_t start = 0;
  while (start < p.body.size()) {
    std::size_t end = p.body.find('\n', start);
    if (end == std::string::npos) end = p.body.size();
    std::string line = p.body.substr(start, end - start);
    if (!line.empty()) {
      model::Link l;
      std::size_t space = line.find(' ');
      l.url = line.substr(0, space);
      if (space != std::string::npos) l.kind = line.substr(space + 1);
      links.push_back(l);
    }
    start = end + 1;
  }
  return links;
}

TEST(CrawlerTest, FollowsLinksWithinDepthAndDeduplicates) {
  FakeFetcher f;
  f.Set("http://a.test/", {{200, "http://a.test/1\nhttp://a.test/2\nhttp://a.test/#frag\n"}});
  f.Set("http://a.test/1", {{200, "http://a.test/2\nhttp://a.test/1/deep\n"}});
  f.Set("http://a.test/2", {{200, "http://a.test:80/1\n"}});
  f.Set("http://a.test/1/deep", {{200, "http://a.test/1/deeper\n"}});
  CrawlOptions o = Quick();
  o.max_depth = 2;
  Crawler crawler(f, o);
  auto pages = crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  ASSERT_EQ(pages.size(), 4u);
  EXPECT_EQ(pages[0].url, "http://a.test/");
  EXPECT_EQ(pages[0].depth, 0);
  EXPECT_EQ(pages[3].url, "http://a.test/1/deep");
  EXPECT_EQ(pages[3].depth, 2);
  EXPECT_EQ(f.CountRequests("http://a.test/1/deeper"), 0u);
  EXPECT_EQ(f.requested().size(), 4u);  // each URL once
}

TEST(CrawlerTest, DepthZeroFetchesStartPagesOnly) {
  FakeFetcher f;
  f.Set("http://a.test/", {{200, "http://a.test/1\n"}});
  CrawlOptions o = Quick();
  o.max_depth = 0;
  Crawler crawler(f, o);
  auto pages = crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  EXPECT_EQ(pages.size(), 1u);
}

TEST(CrawlerTest, StaysOnStartSites) {
  FakeFetcher f;
  f.Set("http://a.test/", {{200, "http://www.a.test/x\nhttp://b.test/\nhttp://a.test:8080/\n"}});
  Crawler crawler(f, Quick());
  auto pages = crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[1].url, "http://www.a.test/x");
  EXPECT_EQ(f.CountRequests("http://b.test/"), 0u);
}

TEST(CrawlerTest, MaxPagesBoundsALinkFarm) {
  FakeFetcher f;
  // Every page links to 50 new pages (served as 404s by the fake: still pages).
  std::string farm;
  for (int i = 0; i < 50; ++i) farm += "http://a.test/p" + std::to_string(i) + "\n";
  f.Set("http://a.test/", {{200, farm}});
  CrawlOptions o = Quick();
  o.max_pages = 10;
  Crawler crawler(f, o);
  auto pages = crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  EXPECT_EQ(pages.size(), 10u);
  EXPECT_EQ(f.requested().size(), 10u);
}

TEST(CrawlerTest, StopRequestedEndsTheCrawlAndSaysItWasInterrupted) {
  FakeFetcher f;
  std::string farm;
  for (int i = 0; i < 50; ++i) farm += "http://a.test/p" + std::to_string(i) + "\n";
  f.Set("http://a.test/", {{200, farm}});
  for (std::size_t threads : {0u, 2u}) {
    CrawlOptions o = Quick();
    o.concurrency = 1;
    o.handler_threads = threads;
    std::size_t handled = 0;
    std::mutex mu;
    std::optional<std::size_t> requested_at_stop;
    // Stops once three pages have been handed to the handler. (Polled on
    // the crawler's thread, which alone talks to the fetcher.)
    o.stop_requested = [&] {
      std::lock_guard lock(mu);
      if (handled >= 3 && !requested_at_stop) requested_at_stop = f.requested().size();
      return handled >= 3;
    };
    Crawler crawler(f, o);
    auto pages = crawler.Crawl({U("http://a.test/")}, [&](const CrawledPage& p) {
      std::lock_guard lock(mu);
      ++handled;
      return LinesAsLinks(p);
    });
    EXPECT_TRUE(crawler.interrupted()) << threads;
    // No transfer was started after the stop; every page fetched before it
    // was handled and kept (none of the 51 pages was left to chance).
    ASSERT_TRUE(requested_at_stop.has_value()) << threads;
    EXPECT_EQ(f.requested().size(), *requested_at_stop) << threads;
    EXPECT_GE(pages.size(), 3u) << threads;
    EXPECT_LE(pages.size(), f.requested().size()) << threads;
    EXPECT_EQ(pages.size(), handled) << threads;
    EXPECT_LT(pages.size(), 51u) << threads;
  }
}

TEST(CrawlerTest, StopAfterTheLastPageIsNoInterrupt) {
  FakeFetcher f;
  f.Set("http://a.test/", {{200, "http://a.test/1\n"}});
  CrawlOptions o = Quick();
  std::size_t handled = 0;
  o.stop_requested = [&] { return handled >= 2; };
  Crawler crawler(f, o);
  auto pages = crawler.Crawl({U("http://a.test/")}, [&](const CrawledPage& p) {
    ++handled;
    return LinesAsLinks(p);
  });
  EXPECT_EQ(pages.size(), 2u);
  EXPECT_FALSE(crawler.interrupted());
}

TEST(CrawlerTest, PatternLinksFirstAndNextKeepsDepth) {
  FakeFetcher f;
  f.Set("http://a.test/", {{200, "http://a.test/plain\nhttp://a.test/contacts contacts\n"}});
  f.Set("http://a.test/contacts", {{200, "http://a.test/contacts?page=2 next\n"}});
  f.Set("http://a.test/contacts?page=2", {{200, "http://a.test/contacts?page=3 next\n"}});
  CrawlOptions o = Quick();
  o.max_depth = 1;
  o.concurrency = 1;
  Crawler crawler(f, o);
  auto pages = crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  ASSERT_EQ(pages.size(), 5u);
  EXPECT_EQ(pages[1].url, "http://a.test/contacts");
  EXPECT_EQ(pages[2].url, "http://a.test/contacts?page=2");
  EXPECT_EQ(pages[2].depth, 1);
  EXPECT_EQ(pages[3].url, "http://a.test/contacts?page=3");
  EXPECT_EQ(pages[4].url, "http://a.test/plain");
}

TEST(CrawlerTest, AcceptOfLinkIsSent) {
  FakeFetcher f;
  f.Set("http://a.test/", {{200, ""}});
  Crawler crawler(f, Quick());
  auto pages = crawler.Crawl({U("http://a.test/")}, [](const CrawledPage& p) {
    std::vector<model::Link> links;
    if (p.page.url == "http://a.test/") {
      links.push_back({"http://a.test/users/ann", "profile", "application/activity+json"});
    }
    return links;
  });
  ASSERT_EQ(f.accepts().size(), 2u);
  EXPECT_EQ(f.accepts()[1], "application/activity+json");
}

TEST(CrawlerTest, RetriesTransientFailuresBoundedTimes) {
  FakeFetcher f;
  f.Set("http://a.test/", {Reply::Failed("Timeout was reached", Failure::kTransient)});
  CrawlOptions o = Quick();
  o.max_retries = 2;
  Crawler crawler(f, o);
  auto pages = crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(f.CountRequests("http://a.test/"), 3u);
  EXPECT_EQ(pages[0].error, "Timeout was reached");
}

TEST(CrawlerTest, ServerErrorThenSuccess) {
  FakeFetcher f;
  f.Set("http://a.test/", {{503, "busy"}, {500, "oops"}, {200, "fine"}});
  CrawlOptions o = Quick();
  o.max_retries = 3;
  Crawler crawler(f, o);
  std::string seen_body;
  auto pages = crawler.Crawl({U("http://a.test/")}, [&](const CrawledPage& p) {
    seen_body = p.body;
    return std::vector<model::Link>{};
  });
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].status, 200);
  EXPECT_EQ(seen_body, "fine");
}

TEST(CrawlerTest, PermanentFailureNotRetried) {
  FakeFetcher f;
  f.Set("http://a.test/", {Reply::Failed("refused to connect", Failure::kPermanent)});
  Crawler crawler(f, Quick());
  auto pages = crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  EXPECT_EQ(f.CountRequests("http://a.test/"), 1u);
  ASSERT_EQ(pages.size(), 1u);
}

TEST(CrawlerTest, TooLongRetryAfterIsNotWaitedFor) {
  FakeFetcher f;
  Reply r{429, ""};
  r.retry_after = std::chrono::seconds(3600);
  f.Set("http://a.test/", {r});
  CrawlOptions o = Quick();
  o.max_retry_after = std::chrono::seconds(10);
  Crawler crawler(f, o);
  auto pages = crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].status, 429);
  EXPECT_EQ(f.CountRequests("http://a.test/"), 1u);
}

TEST(CrawlerTest, HandlerExceptionIsRecordedNotThrown) {
  FakeFetcher f;
  f.Set("http://a.test/", {{200, "x"}});
  Crawler crawler(f, Quick());
  auto pages = crawler.Crawl({U("http://a.test/")}, [](const CrawledPage&) -> std::vector<model::Link> {
    throw std::runtime_error("boom");
  });
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_NE(pages[0].error.find("boom"), std::string::npos);
}

// With handler threads the same pages are found, each once, with the same
// depths; a handler's exception is still the page's error; and the
// handlers really run beside each other (two of them meet inside).
TEST(CrawlerHandlerThreadsTest, SameCrawlAsOnTheCrawlersThread) {
  FakeFetcher f;
  std::string index;
  for (int i = 0; i < 40; ++i) index += "http://a.test/p" + std::to_string(i) + "\n";
  f.Set("http://a.test/", {{200, index}});
  for (int i = 0; i < 40; ++i) {
    f.Set("http://a.test/p" + std::to_string(i), {{200, "http://a.test/p" + std::to_string((i + 1) % 40) +
                                                            "\nhttp://a.test/q" + std::to_string(i) + "\n"}});
  }
  f.Set("http://a.test/q7", {{200, "boom"}});
  auto crawl = [&](std::size_t threads) {
    CrawlOptions o = Quick();
    o.max_depth = 2;
    o.handler_threads = threads;
    Crawler crawler(f, o);
    std::atomic<int> inside{0}, most{0};
    // With workers, a page's handler waits for a second one to come in (the
    // index page's cannot: its links are the other pages). A pool that ran
    // handlers one at a time would leave `most` at 1 once the deadline,
    // shared by all pages, has passed; a working one meets at once.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    auto pages = crawler.Crawl({U("http://a.test/")}, [&](const CrawledPage& p) {
      int now = ++inside;
      for (int seen = most; now > seen && !most.compare_exchange_weak(seen, now);) {
      }
      while (threads > 1 && p.page.url != "http://a.test/" && most.load() < 2 &&
             std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      --inside;
      if (p.body == "boom") throw std::runtime_error("boom");
      return LinesAsLinks(p);
    });
    std::map<std::string, std::pair<int, std::string>> out;
    for (const auto& page : pages) out[page.url] = {page.depth, page.error};
    return std::make_pair(out, most.load());
  };
  auto [inline_pages, inline_most] = crawl(0);
  auto [pooled_pages, pooled_most] = crawl(4);
  EXPECT_EQ(inline_pages.size(), 81u);
  EXPECT_EQ(pooled_pages, inline_pages);
  EXPECT_NE(pooled_pages["http://a.test/q7"].second.find("boom"), std::string::npos);
  EXPECT_EQ(inline_most, 1);
  EXPECT_GT(pooled_most, 1);
}

TEST(CrawlerTest, RobotsObeyedAndFetchedOncePerHost) {
  FakeFetcher f;
  f.Set("http://a.test/robots.txt", {{200, "User-agent: *\nDisallow: /private\n", "text/plain"}});
  f.Set("http://a.test/", {{200, "http://a.test/private/1\nhttp://a.test/ok\n"}});
  f.Set("http://a.test/ok", {{200, "http://a.test/private/2\n"}});
  CrawlOptions o = Quick();
  o.robots = RobotsPolicy::kObey;
  Crawler crawler(f, o);
  auto pages = crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  EXPECT_EQ(f.CountRequests("http://a.test/robots.txt"), 1u);
  EXPECT_EQ(f.CountRequests("http://a.test/private/1"), 0u);
  EXPECT_EQ(f.CountRequests("http://a.test/private/2"), 0u);
  EXPECT_EQ(f.CountRequests("http://a.test/ok"), 1u);
  int disallowed = 0;
  for (const auto& p : pages) disallowed += p.error == "disallowed by robots.txt";
  EXPECT_EQ(disallowed, 2);
}

// RFC 9309 section 2.3.1.4: an unreachable robots.txt means complete
// disallow (after bounded retries).
TEST(CrawlerTest, UnreachableRobotsDisallowsAll) {
  FakeFetcher f;
  f.Set("http://a.test/robots.txt", {{503, ""}});
  f.Set("http://a.test/", {{200, ""}});
  CrawlOptions o = Quick();
  o.robots = RobotsPolicy::kObey;
  o.max_retries = 2;
  Crawler crawler(f, o);
  auto pages = crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  EXPECT_EQ(f.CountRequests("http://a.test/robots.txt"), 3u);
  EXPECT_EQ(f.CountRequests("http://a.test/"), 0u);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_NE(pages[0].error.find("robots.txt unreachable"), std::string::npos);
}

TEST(CrawlerTest, RobotsRecoversAfterTransientFailure) {
  FakeFetcher f;
  f.Set("http://a.test/robots.txt", {Reply::Failed("Timeout", Failure::kTransient), {404, ""}});
  f.Set("http://a.test/", {{200, ""}});
  CrawlOptions o = Quick();
  o.robots = RobotsPolicy::kObey;
  Crawler crawler(f, o);
  auto pages = crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  EXPECT_EQ(f.CountRequests("http://a.test/robots.txt"), 2u);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].status, 200);  // 404 robots.txt: allow all (section 2.3.1.3)
}

TEST(CrawlerTest, IgnoreRobotsSkipsRobotsTxt) {
  FakeFetcher f;
  f.Set("http://a.test/", {{200, ""}});
  Crawler crawler(f, Quick());
  crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  EXPECT_EQ(f.CountRequests("http://a.test/robots.txt"), 0u);
}

TEST(CrawlerTest, ReportsProgress) {
  FakeFetcher f;
  f.Set("http://a.test/", {{200, "http://a.test/1\n"}});
  CrawlOptions o = Quick();
  std::vector<CrawlProgress> seen;
  o.on_progress = [&](const CrawlProgress& p) { seen.push_back(p); };
  Crawler crawler(f, o);
  crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].pages_done, 1u);
  EXPECT_EQ(seen[0].queued, 1u);
  EXPECT_EQ(seen[1].pages_done, 2u);
  EXPECT_EQ(seen[1].errors, 1u);  // the fake serves 404 for /1
}

// --- Redirects: followed by the crawler, one hop at a time, each hop polite ---

CrawlOptions Obeying() {
  CrawlOptions o = Quick();
  o.robots = RobotsPolicy::kObey;
  return o;
}

TEST(CrawlerRedirectTest, TargetOnUnseenOriginAsksItsRobotsFirst) {
  FakeFetcher f;
  f.Set("http://a.test/", {Reply::Redirect("http://b.test/private/x")});
  f.Set("http://b.test/robots.txt", {{200, "User-agent: *\nDisallow: /private\n", "text/plain"}});
  f.Set("http://b.test/private/x", {{200, "secret"}});
  Crawler crawler(f, Obeying());
  int handled = 0;
  auto pages = crawler.Crawl({U("http://a.test/")}, [&](const CrawledPage&) {
    ++handled;
    return std::vector<model::Link>{};
  });
  EXPECT_EQ(f.CountRequests("http://b.test/robots.txt"), 1u);
  EXPECT_EQ(f.CountRequests("http://b.test/private/x"), 0u);
  EXPECT_EQ(handled, 0);  // no body to hand on
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].url, "http://a.test/");
  EXPECT_EQ(pages[0].final_url, "http://b.test/private/x");
  EXPECT_EQ(pages[0].error, "redirect to http://b.test/private/x refused: disallowed by robots.txt");
}

TEST(CrawlerRedirectTest, AllowedTargetIsFetchedAndHandedOnAsThePage) {
  FakeFetcher f;
  f.Set("http://a.test/", {Reply::Redirect("http://b.test/ok", 301)});
  f.Set("http://b.test/robots.txt", {{200, "User-agent: *\nDisallow: /private\n", "text/plain"}});
  f.Set("http://b.test/ok", {{200, "landed"}});
  Crawler crawler(f, Obeying());
  std::vector<CrawledPage> seen;
  auto pages = crawler.Crawl({U("http://a.test/")}, [&](const CrawledPage& p) {
    seen.push_back(p);
    return std::vector<model::Link>{};
  });
  EXPECT_EQ(f.requested(), (std::vector<std::string>{"http://a.test/robots.txt", "http://a.test/",
                                                     "http://b.test/robots.txt", "http://b.test/ok"}));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].page.url, "http://a.test/");
  EXPECT_EQ(seen[0].page.final_url, "http://b.test/ok");
  EXPECT_EQ(seen[0].body, "landed");
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].status, 200);
  EXPECT_EQ(pages[0].error, "");
}

TEST(CrawlerRedirectTest, UnreachableRobotsOfTargetRefusesTheHop) {
  FakeFetcher f;
  f.Set("http://a.test/", {Reply::Redirect("http://b.test/x")});
  f.Set("http://b.test/robots.txt", {Reply::Failed("Could not resolve host", Failure::kPermanent)});
  Crawler crawler(f, Obeying());
  auto pages = crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  EXPECT_EQ(f.CountRequests("http://b.test/x"), 0u);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].error,
            "redirect to http://b.test/x refused: robots.txt unreachable (RFC 9309 section "
            "2.3.1.4): Could not resolve host");
}

TEST(CrawlerRedirectTest, LoopStopsAfterMaxRedirects) {
  FakeFetcher f;
  f.Set("http://a.test/loop", {Reply::Redirect("http://a.test/loop")});
  CrawlOptions o = Quick();
  o.max_redirects = 10;
  Crawler crawler(f, o);
  auto pages = crawler.Crawl({U("http://a.test/loop")}, LinesAsLinks);
  EXPECT_EQ(f.CountRequests("http://a.test/loop"), 11u);  // the request and 10 hops
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].error, "too many redirects (more than 10)");
}

TEST(CrawlerRedirectTest, NonHttpTargetRefused) {
  FakeFetcher f;
  f.Set("http://a.test/", {Reply::Redirect("file:///etc/passwd")});
  Crawler crawler(f, Quick());
  auto pages = crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].final_url, "file:///etc/passwd");
  EXPECT_NE(pages[0].error.find("redirect refused"), std::string::npos) << pages[0].error;
  EXPECT_EQ(f.requested().size(), 1u);
}

// A hop holds its page's place in max_pages: it is still taken once the
// budget is spent, and is not counted again.
TEST(CrawlerRedirectTest, HopIsFollowedAfterTheBudgetIsSpent) {
  FakeFetcher f;
  f.Set("http://a.test/", {{200, "http://a.test/1\nhttp://a.test/2\nhttp://a.test/3\n"}});
  f.Set("http://a.test/1", {Reply::Redirect("http://a.test/r")});
  f.Set("http://a.test/r", {{200, "here"}});
  CrawlOptions o = Quick();
  o.max_pages = 2;
  o.concurrency = 1;
  Crawler crawler(f, o);
  auto pages = crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  EXPECT_EQ(f.CountRequests("http://a.test/r"), 1u);
  EXPECT_EQ(f.CountRequests("http://a.test/2"), 0u);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[1].url, "http://a.test/1");
  EXPECT_EQ(pages[1].final_url, "http://a.test/r");
  EXPECT_EQ(pages[1].status, 200);
}

// --- Delays on a fake clock: no sleeping, no timing ---

using std::chrono::milliseconds;
using std::chrono::seconds;

// Gaps between consecutive requests to `origin`, in request order.
std::vector<milliseconds> Gaps(const FakeFetcher& f, const std::string& origin) {
  std::vector<milliseconds> gaps;
  std::optional<testing::FakeSteadyClock::TimePoint> last;
  for (std::size_t i = 0; i < f.requested().size(); ++i) {
    if (f.requested()[i].rfind(origin + "/", 0) != 0) continue;
    if (last) gaps.push_back(std::chrono::duration_cast<milliseconds>(f.start_times()[i] - *last));
    last = f.start_times()[i];
  }
  return gaps;
}

struct DelayCase {
  milliseconds delay;
  std::string robots;
  milliseconds expected_min;  // every gap at least this
  milliseconds expected_max;  // and below this (the loop wakes within a second)
};

std::vector<milliseconds> CrawlWithDelay(const DelayCase& c, RobotsPolicy policy) {
  testing::FakeSteadyClock clock;
  FakeFetcher f;
  f.set_clock(&clock);
  f.Set("http://a.test/robots.txt", {{200, c.robots, "text/plain"}});
  f.Set("http://a.test/", {{200, "http://a.test/1\nhttp://a.test/2\nhttp://a.test/3\n"}});
  CrawlOptions o = Quick();
  o.robots = policy;
  o.delay = c.delay;
  o.per_host = 4;
  o.clock = clock.AsFunction();
  Crawler crawler(f, o);
  auto pages = crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  EXPECT_EQ(pages.size(), 4u);
  return Gaps(f, "http://a.test");
}

TEST(CrawlerDelayTest, CrawlDelayRaisesTheHostDelay) {
  DelayCase c{milliseconds(1000), "User-agent: *\nCrawl-delay: 5\n", seconds(5), seconds(6)};
  auto gaps = CrawlWithDelay(c, RobotsPolicy::kObey);
  ASSERT_EQ(gaps.size(), 4u);  // robots.txt, /, /1, /2, /3
  for (milliseconds g : gaps) {
    EXPECT_GE(g, c.expected_min);
    EXPECT_LT(g, c.expected_max);
  }
}

TEST(CrawlerDelayTest, DelayMsWinsWhenLonger) {
  DelayCase c{milliseconds(3000), "User-agent: *\nCrawl-delay: 0.5\n", seconds(3), seconds(4)};
  for (milliseconds g : CrawlWithDelay(c, RobotsPolicy::kObey)) {
    EXPECT_GE(g, c.expected_min);
    EXPECT_LT(g, c.expected_max);
  }
}

TEST(CrawlerDelayTest, CrawlDelayCappedAtMaxCrawlDelay) {
  DelayCase c{milliseconds(0), "User-agent: *\nCrawl-delay: 86400\n", seconds(60), seconds(61)};
  auto gaps = CrawlWithDelay(c, RobotsPolicy::kObey);
  ASSERT_EQ(gaps.size(), 4u);
  for (milliseconds g : gaps) {
    EXPECT_GE(g, c.expected_min);
    EXPECT_LT(g, c.expected_max);
  }
}

TEST(CrawlerDelayTest, CrawlDelayOfAnotherAgentDoesNotApply) {
  DelayCase c{milliseconds(0), "User-agent: otherbot\nCrawl-delay: 30\n", seconds(0), seconds(1)};
  for (milliseconds g : CrawlWithDelay(c, RobotsPolicy::kObey)) EXPECT_LT(g, c.expected_max);
}

TEST(CrawlerDelayTest, IgnoreRobotsIgnoresCrawlDelay) {
  DelayCase c{milliseconds(200), "User-agent: *\nCrawl-delay: 30\n", milliseconds(200), seconds(1)};
  auto gaps = CrawlWithDelay(c, RobotsPolicy::kIgnore);
  ASSERT_EQ(gaps.size(), 3u);  // no robots.txt: /, /1, /2, /3
  for (milliseconds g : gaps) {
    EXPECT_GE(g, c.expected_min);
    EXPECT_LT(g, c.expected_max);
  }
}

// RFC 9309 section 2.3.1.4 allows retrying an unreachable robots.txt; a
// 503's Retry-After is waited out before asking again.
TEST(CrawlerDelayTest, RobotsRetryWaitsForRetryAfter) {
  testing::FakeSteadyClock clock;
  FakeFetcher f;
  f.set_clock(&clock);
  Reply busy{503, ""};
  busy.retry_after = seconds(30);
  f.Set("http://a.test/robots.txt", {busy, {200, "User-agent: *\nDisallow: /x\n", "text/plain"}});
  f.Set("http://a.test/", {{200, ""}});
  CrawlOptions o = Obeying();
  o.clock = clock.AsFunction();
  Crawler crawler(f, o);
  auto pages = crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].status, 200);
  ASSERT_EQ(f.requested().size(), 3u);
  EXPECT_EQ(f.requested()[1], "http://a.test/robots.txt");
  EXPECT_GE(f.start_times()[1] - f.start_times()[0], seconds(30));
}

// A redirect's hop waits for its own host's delay (here b.test's
// Crawl-delay after its robots.txt), not the host it came from.
TEST(CrawlerDelayTest, RedirectHopKeepsTheTargetHostDelay) {
  testing::FakeSteadyClock clock;
  FakeFetcher f;
  f.set_clock(&clock);
  f.Set("http://a.test/", {Reply::Redirect("http://b.test/x")});
  f.Set("http://b.test/robots.txt", {{200, "User-agent: *\nCrawl-delay: 8\n", "text/plain"}});
  f.Set("http://b.test/x", {{200, "x"}});
  CrawlOptions o = Obeying();
  o.clock = clock.AsFunction();
  Crawler crawler(f, o);
  auto pages = crawler.Crawl({U("http://a.test/")}, LinesAsLinks);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].status, 200);
  EXPECT_GE(f.StartTime("http://b.test/x") - f.StartTime("http://b.test/robots.txt"), seconds(8));
  EXPECT_LT(f.StartTime("http://b.test/robots.txt") - f.StartTime("http://a.test/"), seconds(1));
}

}  // namespace
}  // namespace telescreen::fetch

namespace telescreen::fetch {
namespace {

// With the real fetcher: a start page that redirects to another host brings
// that host into scope; links then stay on it.
TEST(CrawlerCurlTest, StartRedirectExtendsScope) {
  testing::EnsureCurlGlobalInit();
  testing::LoopbackServer server([](httplib::Server& s) {
    s.Get("/", [](const httplib::Request& req, httplib::Response& res) {
      if (req.get_header_value("Host").rfind("localhost", 0) == 0) {
        res.set_content("next", "text/plain");
        return;
      }
      res.set_redirect("http://localhost:" + std::to_string(req.local_port) + "/");
    });
    s.Get("/next",
          [](const httplib::Request&, httplib::Response& res) { res.set_content("", "text/plain"); });
  });
  CurlOptions c;
  c.total_timeout = std::chrono::milliseconds(5000);
  CurlFetcher fetcher(c);
  Crawler crawler(fetcher, Quick());
  auto pages = crawler.Crawl({U(server.Url("/"))}, [](const CrawledPage& p) {
    std::vector<model::Link> links;
    if (p.body == "next") {
      auto base = core::Url::Parse(p.page.final_url);
      links.push_back({base.value().Resolve("/next").value().ToString(), "", ""});
    }
    return links;
  });
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0].final_url, "http://localhost:" + std::to_string(server.port()) + "/");
  EXPECT_EQ(pages[1].url, "http://localhost:" + std::to_string(server.port()) + "/next");
  EXPECT_EQ(pages[1].status, 200) << pages[1].error;
}

// Two origins on loopback (same address, two ports): a redirect from A into
// a path B's robots.txt disallows is never requested on B; an allowed one
// lands. B is an origin the crawl had not seen before the redirects.
TEST(CrawlerCurlTest, RedirectToAnotherOriginObeysItsRobots) {
  testing::EnsureCurlGlobalInit();
  testing::LoopbackServer b([](httplib::Server& s) {
    s.Get("/robots.txt", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("User-agent: *\nDisallow: /private\n", "text/plain");
    });
    s.Get("/private/x", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("must not be fetched", "text/plain");
    });
    s.Get("/public",
          [](const httplib::Request&, httplib::Response& res) { res.set_content("welcome", "text/plain"); });
  });
  testing::LoopbackServer a([&](httplib::Server& s) {
    s.Get("/to-private",
          [&](const httplib::Request&, httplib::Response& res) { res.set_redirect(b.Url("/private/x")); });
    s.Get("/to-public",
          [&](const httplib::Request&, httplib::Response& res) { res.set_redirect(b.Url("/public"), 301); });
  });
  CurlOptions c;
  c.total_timeout = std::chrono::milliseconds(5000);
  CurlFetcher fetcher(c);
  CrawlOptions o = Quick();
  o.robots = RobotsPolicy::kObey;
  Crawler crawler(fetcher, o);
  std::map<std::string, std::string> bodies;
  auto pages = crawler.Crawl({U(a.Url("/to-private")), U(a.Url("/to-public"))}, [&](const CrawledPage& p) {
    bodies[p.page.url] = p.body;
    return std::vector<model::Link>{};
  });
  EXPECT_EQ(b.Served(), (std::vector<std::string>{"/robots.txt", "/public"}));
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0].url, a.Url("/to-private"));
  EXPECT_EQ(pages[0].final_url, b.Url("/private/x"));
  EXPECT_EQ(pages[0].error, "redirect to " + b.Url("/private/x") + " refused: disallowed by robots.txt");
  EXPECT_EQ(bodies.count(a.Url("/to-private")), 0u);
  EXPECT_EQ(pages[1].url, a.Url("/to-public"));
  EXPECT_EQ(pages[1].final_url, b.Url("/public"));
  EXPECT_EQ(pages[1].status, 200) << pages[1].error;
  EXPECT_EQ(bodies[a.Url("/to-public")], "welcome");
}

// --- Crawler::Check: one request each, in order, nothing followed ---

TEST(CrawlerCheckTest, SendsEachRequestAsGivenAndAnswersInOrder) {
  FakeFetcher f;
  f.Set("http://a.test/u/ann", {{200, "http://a.test/linked\n"}});
  f.Set("http://a.test/u/bob", {Reply::Redirect("http://a.test/login")});
  f.Set("http://b.test/api", {{200, "{}"}});
  std::vector<CheckRequest> requests(4);
  requests[0].url = U("http://a.test/u/ann");
  requests[1].url = U("http://a.test/u/bob");
  requests[2].url = U("http://b.test/api");
  requests[2].method = HttpMethod::kPost;
  requests[2].post_body = "{\"user\":\"ann\"}";
  requests[2].headers = {"Content-Type: application/json"};
  requests[3] = requests[2];  // equal requests are both sent
  std::vector<std::size_t> handled;
  Crawler crawler(f, Quick());
  auto pages = crawler.Check(requests, [&](const CrawledPage& p) {
    handled.push_back(p.request);
    return LinesAsLinks(p);  // ignored: a check follows nothing
  });
  ASSERT_EQ(pages.size(), 4u);
  EXPECT_EQ(pages[0].url, "http://a.test/u/ann");
  EXPECT_EQ(pages[1].status, 302);
  EXPECT_EQ(pages[1].final_url, "http://a.test/login");
  EXPECT_EQ(pages[2].url, "http://b.test/api");
  EXPECT_EQ(f.CountRequests("http://a.test/linked"), 0u);
  EXPECT_EQ(f.CountRequests("http://a.test/login"), 0u);
  EXPECT_EQ(f.CountRequests("http://b.test/api"), 2u);
  std::sort(handled.begin(), handled.end());
  EXPECT_EQ(handled, (std::vector<std::size_t>{0, 1, 2, 3}));
  for (const FetchRequest& r : f.started()) {
    if (r.url != "http://b.test/api") continue;
    EXPECT_EQ(r.method, HttpMethod::kPost);
    EXPECT_EQ(r.post_body, "{\"user\":\"ann\"}");
    EXPECT_EQ(r.headers, std::vector<std::string>{"Content-Type: application/json"});
  }
}

// A site list reaches a special address only by naming it as an IP
// literal; a name that resolves there (localhost) is refused like a link.
TEST(CrawlerCheckTest, SpecialAddressesOnlyByLiteral) {
  FakeFetcher f;
  std::vector<CheckRequest> requests(2);
  requests[0].url = U("http://127.0.0.2:8080/u/ann");
  requests[1].url = U("http://localhost:8080/u/ann");
  Crawler crawler(f, Quick());
  (void)crawler.Check(requests, LinesAsLinks);
  ASSERT_EQ(f.started().size(), 2u);
  const auto& policy = f.started()[0].address_policy;
  ASSERT_NE(policy, nullptr);
  EXPECT_EQ(policy->RefusalForText("127.0.0.2"), "");
  EXPECT_NE(policy->RefusalForText("127.0.0.1"), "");
}

TEST(CrawlerCheckTest, StoppedChecksSaySo) {
  FakeFetcher f;
  std::vector<CheckRequest> requests(3);
  for (auto& r : requests) r.url = U("http://a.test/x");
  CrawlOptions o = Quick();
  o.stop_requested = [] { return true; };
  Crawler crawler(f, o);
  auto pages = crawler.Check(requests, LinesAsLinks);
  ASSERT_EQ(pages.size(), 3u);
  for (const auto& p : pages) EXPECT_EQ(p.error, "not checked: stopped");
  EXPECT_TRUE(crawler.interrupted());
  EXPECT_TRUE(f.requested().empty());
}

// A 429's Retry-After pauses its host also when the request has no retry
// left: the host's next request waits it out.
TEST(CrawlerDelayTest, RetryAfterPausesTheHostWithoutRetriesLeft) {
  testing::FakeSteadyClock clock;
  FakeFetcher f;
  f.set_clock(&clock);
  Reply throttled{429, ""};
  throttled.retry_after = seconds(20);
  f.Set("http://a.test/1", {throttled});
  f.Set("http://a.test/2", {{200, ""}});
  CrawlOptions o = Quick();
  o.max_retries = 0;
  o.per_host = 1;
  o.clock = clock.AsFunction();
  std::vector<CheckRequest> requests(2);
  requests[0].url = U("http://a.test/1");
  requests[1].url = U("http://a.test/2");
  Crawler crawler(f, o);
  auto pages = crawler.Check(requests, LinesAsLinks);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0].status, 429);
  EXPECT_EQ(f.CountRequests("http://a.test/1"), 1u);
  EXPECT_GE(f.StartTime("http://a.test/2") - f.StartTime("http://a.test/1"), seconds(20));
}

}  // namespace
}  // namespace telescreen::fetch
