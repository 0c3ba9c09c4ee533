// The hostile-server suite: a loopback site that drips, never ends,
// loops, redirects to file:// and to metadata addresses, farms links, throttles,
// fails then recovers, bombs, speaks Latin-1 unlabelled, nests 50,000 <div>s
// and disallows part of itself in robots.txt. The crawl must finish within a
// stated bound, keep every body under the cap, never request a disallowed
// path and still bring back every good page.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/resource.h>

#include <atomic>
#include <map>

#include "fetch/crawler.h"
#include "fetch/curl_fetcher.h"
#include "fetch/testing_util.h"

namespace telescreen::fetch {
namespace {

using Clock = std::chrono::steady_clock;
using testing::EnsureCurlGlobalInit;
using testing::LoopbackServer;

constexpr std::size_t kBodyCap = 1 << 20;  // 1 MiB per page in these tests

std::string Page(const std::string& title, const std::vector<std::string>& links) {
  std::string html = "<!doctype html><html><head><title>" + title + "</title></head><body>";
  for (const std::string& l : links) html += "<a href=\"" + l + "\">" + l + "</a>\n";
  return html + "</body></html>";
}

// 64 MiB of zeros, gzipped (about 64 KiB on the wire).
std::string GzipBomb() {
  httplib::detail::gzip_compressor gz;
  std::string out;
  std::string zeros(1 << 20, '\0');
  for (int i = 0; i < 64; ++i) {
    gz.compress(zeros.data(), zeros.size(), i == 63, [&](const char* d, size_t n) {
      out.append(d, n);
      return true;
    });
  }
  return out;
}

// The hostile site. Counters are per route so tests can see retries.
class HostileSite {
 public:
  HostileSite() : bomb_(GzipBomb()) {}

  void Routes(httplib::Server& s) {
    s.Get("/robots.txt", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("User-agent: *\nDisallow: /private/\nDisallow: /*.secret$\n", "text/plain");
    });
    s.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(Page("home", {"/good/1", "/good/2", "/good/3", "/drip", "/endless", "/loop", "/to-file",
                                    "/to-metadata", "/to-other-loopback", "/farm/1", "/throttled", "/flaky",
                                    "/bomb", "/latin1", "/divs", "/private/a", "/notes.secret", "/moved",
                                    "http://169.254.169.254/latest/meta-data/"}),
                      "text/html; charset=utf-8");
    });
    s.Get(R"(/good/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
      std::string n = req.matches[1].str();
      std::vector<std::string> links = {"/private/from-good-" + n};
      if (n == "3") links.push_back("/good/4");
      res.set_content(Page("contact-" + n, links), "text/html");
    });
    s.Get("/drip", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("application/octet-stream",
                                       [](size_t offset, httplib::DataSink& sink) {
                                         if (offset >= 120) return false;
                                         std::this_thread::sleep_for(std::chrono::seconds(1));
                                         return sink.write("x", 1);  // false once the client has gone
                                       });
    });
    s.Get("/endless", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("application/octet-stream", [](size_t, httplib::DataSink& sink) {
        static const std::string chunk(64 * 1024, 'e');
        return sink.write(chunk.data(), chunk.size());
      });
    });
    s.Get("/loop", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/loop"); });
    s.Get("/moved",
          [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/private/moved-here"); });
    s.Get("/to-file",
          [](const httplib::Request&, httplib::Response& res) { res.set_redirect("file:///etc/passwd"); });
    s.Get("/to-metadata", [](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("http://169.254.169.254/latest/meta-data/");
    });
    s.Get("/to-other-loopback", [this](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("http://127.0.0.2:" + std::to_string(port_) + "/good/1");
    });
    s.Get(R"(/farm/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
      long long n = std::stoll(req.matches[1].str());
      std::vector<std::string> links;
      for (int k = 0; k < 10; ++k) links.push_back("/farm/" + std::to_string(n * 10 + k));
      res.set_content(Page("farm", links), "text/html");
    });
    s.Get("/throttled", [this](const httplib::Request&, httplib::Response& res) {
      if (throttled_hits_++ == 0) {
        res.status = 429;
        res.set_header("Retry-After", "1");
        return;
      }
      res.set_content(Page("contact-throttled", {}), "text/html");
    });
    s.Get("/flaky", [this](const httplib::Request&, httplib::Response& res) {
      if (flaky_hits_++ == 0) {
        res.status = 503;
        return;
      }
      res.set_content(Page("contact-flaky", {}), "text/html");
    });
    s.Get("/bomb", [this](const httplib::Request&, httplib::Response& res) {
      res.set_header("Content-Encoding", "gzip");
      res.set_content(bomb_, "application/octet-stream");
    });
    s.Get("/latin1", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("<html><body><p>M\xFCller, K\xF6ln</p></body></html>", "text/html");
    });
    s.Get("/divs", [](const httplib::Request&, httplib::Response& res) {
      std::string html = "<html><body>";
      for (int i = 0; i < 50000; ++i) html += "<div>";
      res.set_content(html + "deep", "text/html");
    });
    s.Get(R"(/private/.*)", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("must not be fetched", "text/plain");
    });
    s.Get("/notes.secret", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("must not be fetched", "text/plain");
    });
  }

  void set_port(int port) { port_ = port; }

 private:
  std::string bomb_;
  std::atomic<int> port_{0};
  std::atomic<int> throttled_hits_{0};
  std::atomic<int> flaky_hits_{0};
};

// Links from <a href="..."> (the test's own tiny extractor).
std::vector<model::Link> Hrefs(const CrawledPage& p) {
  std::vector<model::Link> links;
  auto base = core::Url::Parse(p.page.final_url);
  if (!base.ok()) return links;
  std::size_t at = 0;
  while ((at = p.body.find("href=\"", at)) != std::string::npos) {
    at += 6;
    std::size_t end = p.body.find('"', at);
    if (end == std::string::npos) break;
    auto url = base.value().Resolve(p.body.substr(at, end - at));
    if (url.ok()) links.push_back({url.value().ToString(), "", ""});
    at = end;
  }
  return links;
}

class HostileTest : public ::testing::Test {
 protected:
  void SetUp() override { EnsureCurlGlobalInit(); }

  static CurlOptions Curl() {
    CurlOptions o;
    o.connect_timeout = std::chrono::milliseconds(2000);
    o.total_timeout = std::chrono::milliseconds(4000);
    o.low_speed_bytes = 100;
    o.low_speed_time = std::chrono::seconds(2);
    o.max_body_bytes = kBodyCap;
    return o;
  }
};

TEST_F(HostileTest, CrawlIsBoundedPoliteAndKeepsGoodPages) {
  HostileSite site;
  LoopbackServer server([&](httplib::Server& s) { site.Routes(s); });
  site.set_port(server.port());

  CurlFetcher fetcher(Curl());
  CrawlOptions o;
  o.max_depth = 4;
  o.max_pages = 60;
  o.concurrency = 6;
  o.per_host = 6;
  o.delay = std::chrono::milliseconds(0);
  o.max_retries = 1;
  o.retry_base_delay = std::chrono::milliseconds(50);
  o.max_retry_after = std::chrono::seconds(5);
  Crawler crawler(fetcher, o);

  std::map<std::string, std::string> bodies;
  auto start = core::Url::Parse(server.Url("/"));
  ASSERT_TRUE(start.ok());
  Clock::time_point t0 = Clock::now();
  auto pages = crawler.Crawl({start.value()}, [&](const CrawledPage& p) {
    bodies[p.page.url] = p.body;
    return Hrefs(p);
  });
  auto elapsed = Clock::now() - t0;

  // Hang guard, generous: the slowest route (drip) is cut after ~2 s, twice.
  EXPECT_LT(elapsed, std::chrono::seconds(60));

  std::map<std::string, model::Page> by_url;
  for (const model::Page& p : pages) by_url[p.url] = p;
  auto page = [&](const std::string& path) { return by_url[server.Url(path)]; };

  // Good pages, including the ones behind a 429 and a 503, all came through.
  for (std::string path : {"/good/1", "/good/2", "/good/3", "/good/4"}) {
    EXPECT_EQ(page(path).status, 200) << path;
    EXPECT_NE(bodies[server.Url(path)].find("contact-" + path.substr(6)), std::string::npos);
  }
  EXPECT_EQ(page("/throttled").status, 200);
  EXPECT_NE(bodies[server.Url("/throttled")].find("contact-throttled"), std::string::npos);
  EXPECT_EQ(page("/flaky").status, 200);
  EXPECT_NE(bodies[server.Url("/flaky")].find("contact-flaky"), std::string::npos);

  // robots.txt: fetched once; disallowed paths never requested, but listed.
  std::size_t robots_requests = 0;
  for (const std::string& target : server.Served()) {
    EXPECT_EQ(target.find("/private/"), std::string::npos) << target;
    EXPECT_EQ(target.find(".secret"), std::string::npos) << target;
    robots_requests += target == "/robots.txt";
  }
  EXPECT_EQ(robots_requests, 1u);
  EXPECT_EQ(page("/private/a").error, "disallowed by robots.txt");
  EXPECT_EQ(page("/notes.secret").error, "disallowed by robots.txt");
  // A redirect into a disallowed path is refused before the hop.
  EXPECT_NE(page("/moved").error.find("refused: disallowed by robots.txt"), std::string::npos)
      << page("/moved").error;

  // Every body stays under the cap.
  for (const model::Page& p : pages) EXPECT_LE(p.bytes, kBodyCap) << p.url;
  EXPECT_TRUE(page("/endless").truncated);
  EXPECT_TRUE(page("/bomb").truncated);
  EXPECT_EQ(page("/bomb").bytes, kBodyCap);
  EXPECT_FALSE(page("/drip").error.empty());
  EXPECT_LT(page("/drip").bytes, 10u);

  EXPECT_NE(page("/loop").error.find("too many redirects"), std::string::npos);
  EXPECT_NE(page("/to-file").error.find("redirect refused"), std::string::npos);
  EXPECT_NE(page("/to-metadata").error.find("169.254.169.254"), std::string::npos);
  EXPECT_NE(page("/to-other-loopback").error.find("127.0.0.2"), std::string::npos);
  // Off-site links are not followed at all.
  EXPECT_EQ(by_url.count("http://169.254.169.254/latest/meta-data/"), 0u);

  EXPECT_NE(bodies[server.Url("/latin1")].find("M\xC3\xBCller, K\xC3\xB6ln"), std::string::npos);
  EXPECT_EQ(page("/divs").status, 200);
  EXPECT_EQ(page("/divs").bytes, 12u + 5u * 50000u + 4u);

  // The link farm is cut by max_pages.
  std::size_t fetched = 0;
  for (const model::Page& p : pages) fetched += p.error != "disallowed by robots.txt";
  EXPECT_LE(fetched, o.max_pages);
  EXPECT_GT(fetched, 30u);
}

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST_F(HostileTest, GzipBombCutAtDecodedCap) {
  HostileSite site;
  LoopbackServer server([&](httplib::Server& s) { site.Routes(s); });
  CurlOptions o = Curl();
  o.max_body_bytes = 256 * 1024;
  CurlFetcher fetcher(o);
  long rss_before = PeakRssKb();
  std::vector<FetchResponse> out;
  for (int round = 0; round < 3; ++round) {
    FetchRequest req;
    req.id = static_cast<std::uint64_t>(round);
    req.url = server.Url("/bomb");
    fetcher.Start(req);
    std::vector<FetchResponse> got;
    for (int i = 0; i < 100 && got.empty(); ++i) got = fetcher.Wait(std::chrono::milliseconds(100));
    ASSERT_EQ(got.size(), 1u);
    out.push_back(std::move(got[0]));
  }
  for (const FetchResponse& r : out) {
    EXPECT_TRUE(r.page.truncated);
    EXPECT_EQ(r.body.size(), 256u * 1024u);
    EXPECT_EQ(r.page.error, "");
  }
  // Each bomb inflates to 64 MiB; decoded bytes past the cap are never kept,
  // so the peak RSS grows by far less than one bomb.
  EXPECT_LT(PeakRssKb() - rss_before, 32 * 1024) << "peak RSS grew by KB";
}

TEST_F(HostileTest, DripAbortedByLowSpeedLimit) {
  HostileSite site;
  LoopbackServer server([&](httplib::Server& s) { site.Routes(s); });
  CurlOptions o = Curl();
  o.total_timeout = std::chrono::seconds(60);  // the low-speed limit must do it
  o.low_speed_time = std::chrono::seconds(1);
  CurlFetcher fetcher(o);
  FetchRequest req;
  req.url = server.Url("/drip");
  fetcher.Start(req);
  std::vector<FetchResponse> out;
  Clock::time_point t0 = Clock::now();
  while (out.empty() && Clock::now() - t0 < std::chrono::seconds(30)) {
    out = fetcher.Wait(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(out.size(), 1u);  // finished well before the 30 s guard
  EXPECT_NE(out[0].page.error.find("Operation too slow"), std::string::npos) << out[0].page.error;
  EXPECT_EQ(out[0].failure, Failure::kTransient);
}

}  // namespace
}  // namespace telescreen::fetch
