// The crawler follows a contact list across three
// pages of pagination on a loopback site (links of kind "next" from the
// built-in XING pack) and reports every contact once.
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "core/time.h"
#include "core/url.h"
#include "fetch/curl_fetcher.h"
#include "patterns/pattern_set.h"
#include "scan/scanner.h"

namespace telescreen {
namespace {

std::string ContactPage(const std::vector<std::string>& people, int next_page) {
  std::string html = "<html><body><ul data-qa=\"contacts-list\">";
  for (const auto& p : people) {
    html += "<li data-qa=\"contact\"><a data-qa=\"contact-name\" href=\"/xing/profile/" + p + "\">" + p +
            "</a></li>";
  }
  html += "</ul>";
  if (next_page > 0) {
    html += "<a rel=\"next\" href=\"/xing/profile/Anna/contacts?page=" + std::to_string(next_page) +
            "\">Weiter</a>";
  }
  return html + "</body></html>";
}

TEST(PatternsPaginationTest, FollowsThreePagesAndReportsEachContactOnce) {
  httplib::Server server;
  std::map<std::string, int> hits;
  std::mutex mu;
  server.Get("/xing/profile/Anna", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"(<html><body><h2 data-qa="malt-profile-display-name"><span>Anna</span></h2>
      <a data-qa="profile-contacts-link" href="/xing/profile/Anna/contacts">Kontakte</a></body></html>)",
                    "text/html; charset=utf-8");
  });
  server.Get("/xing/profile/Anna/contacts", [&](const httplib::Request& req, httplib::Response& res) {
    std::string page = req.has_param("page") ? req.get_param_value("page") : "1";
    {
      std::lock_guard<std::mutex> lock(mu);
      ++hits[page];
    }
    if (page == "1") {
      res.set_content(ContactPage({"Bert", "Cara", "Dora"}, 2), "text/html");
    } else if (page == "2") {
      res.set_content(ContactPage({"Emil", "Frida", "Gustav"}, 3), "text/html");
    } else if (page == "3") {
      // Bert again (sites repeat entries across pages): still one contact.
      res.set_content(ContactPage({"Hanna", "Ida", "Bert"}, 0), "text/html");
    } else {
      res.status = 404;
    }
  });
  int port = server.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  std::thread thread([&] { server.listen_after_bind(); });
  // The socket is bound and listening already: early connects wait in the backlog.

  auto packs = patterns::PatternSet::Load("", nullptr);
  auto start = core::Url::Parse("http://127.0.0.1:" + std::to_string(port) + "/xing/profile/Anna");
  ASSERT_TRUE(start.ok());
  fetch::CurlFetcher fetcher(fetch::CurlOptions{});
  scan::ScanOptions options;
  options.crawl.delay = std::chrono::milliseconds(0);
  options.crawl.max_depth = 1;  // profile -> contact list; "next" keeps its page's depth
  // As `telescreen scan` does: the packs are dropped once the crawl is over;
  // merging and scoring do not need them.
  int crawled_calls = 0;
  options.on_crawled = [&] {
    ++crawled_calls;
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(hits["3"], 1);  // every page was fetched (and extracted) before
    packs = patterns::PatternSet();
  };
  scan::Scanner scanner(packs, core::ParseNow("2026-11-26T00:00:00Z").value());
  model::ScanResult result = scanner.Crawl(fetcher, {start.value()}, options);
  server.stop();
  thread.join();
  EXPECT_EQ(crawled_calls, 1);
  EXPECT_TRUE(packs.Packs().empty());

  std::multiset<std::string> names;
  for (const auto& c : result.contacts) names.insert(c.name);
  EXPECT_EQ(names,
            (std::multiset<std::string>{"Bert", "Cara", "Dora", "Emil", "Frida", "Gustav", "Hanna", "Ida"}));
  EXPECT_EQ(hits["1"], 1);
  EXPECT_EQ(hits["2"], 1);
  EXPECT_EQ(hits["3"], 1);
}

}  // namespace
}  // namespace telescreen
