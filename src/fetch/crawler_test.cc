#include "fetch/crawler.h"

#include <gtest/gtest.h>

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
  auto pages = crawler.Crawl(
      {U("http://a.test/")},
      [](const CrawledPage&) -> std::vector<model::Link> { throw std::runtime_error("boom"); });
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_NE(pages[0].error.find("boom"), std::string::npos);
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
    s.Get("/next", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("", "text/plain");
    });
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

}  // namespace
}  // namespace telescreen::fetch
