// Crawl-only benchmark driver (not part of the product build): runs the
// fetch module's Crawler over CurlFetcher with a minimal href scanner, so the
// crawler can be measured on its own beside Scrapy's crawl-only peer and
// beside the full `telescreen scan`. Built by bench/crawl.sh.
//
// usage: crawl_driver URL [concurrency] [per_host] [max_pages] [depth]
// Prints "pages=N errors=E bytes=B wall_ms=W".
#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fetch/crawler.h"
#include "fetch/curl_fetcher.h"

using namespace telescreen;

static std::vector<model::Link> Hrefs(const fetch::CrawledPage& p) {
  std::vector<model::Link> links;
  auto base = core::Url::Parse(p.page.final_url);
  if (!base.ok()) return links;
  std::size_t at = 0;
  while ((at = p.body.find("href=\"", at)) != std::string::npos) {
    at += 6;
    std::size_t end = p.body.find('"', at);
    if (end == std::string::npos) break;
    auto url = base.value().Resolve(std::string_view(p.body).substr(at, end - at));
    if (url.ok()) links.push_back({url.value().ToString(), "", ""});
    at = end;
  }
  return links;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: crawl_driver URL [concurrency] [per_host] [max_pages] [depth]\n");
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  auto start = core::Url::Parse(argv[1]);
  if (!start.ok()) {
    std::fprintf(stderr, "%s\n", start.error().message.c_str());
    return 2;
  }
  fetch::CrawlOptions o;
  o.concurrency = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 16;
  o.per_host = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 16;
  o.max_pages = argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 4000;
  o.max_depth = argc > 5 ? std::atoi(argv[5]) : 100;
  o.delay = std::chrono::milliseconds(0);
  fetch::CurlOptions c;
  c.max_connections = o.concurrency;
  std::size_t pages = 0, errors = 0, bytes = 0;
  auto t0 = std::chrono::steady_clock::now();
  {
    fetch::CurlFetcher fetcher(c);
    fetch::Crawler crawler(fetcher, o);
    auto result = crawler.Crawl({start.value()}, [&](const fetch::CrawledPage& p) {
      bytes += p.body.size();
      return Hrefs(p);
    });
    pages = result.size();
    for (const auto& p : result) errors += !p.error.empty() || p.status >= 400;
  }
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  std::printf("pages=%zu errors=%zu bytes=%zu wall_ms=%lld\n", pages, errors, bytes,
              static_cast<long long>(ms));
  curl_global_cleanup();
  return 0;
}
