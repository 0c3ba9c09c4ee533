// Crawler: from the person's start URLs, fetches pages and the sub-pages
// their handler says to follow, within scope and politely (robots.txt,
// per-host connection limits and delays).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/url.h"
#include "fetch/fetcher.h"
#include "model/facts.h"

namespace telescreen::fetch {

enum class RobotsPolicy { kObey, kIgnore };

struct CrawlOptions {
  int max_depth = 2;                       // links followed from a start page; 0 = start pages only
  std::size_t max_pages = 200;             // pages fetched in all (robots.txt not counted)
  std::size_t concurrency = 8;             // transfers at once, all hosts
  std::size_t per_host = 2;                // transfers at once to one host
  std::chrono::milliseconds delay{1000};   // minimum gap between requests to one host
  RobotsPolicy robots = RobotsPolicy::kObey;
  std::string user_agent_token = "telescreen";  // matched against robots.txt groups
};

// A fetched page handed to the PageHandler.
struct CrawledPage {
  model::Page page;
  std::string body;
  std::string date_header;
};

// Called once per fetched page (any status); returns the links found on it.
// The crawler follows those within scope and depth.
using PageHandler = std::function<std::vector<model::Link>(const CrawledPage&)>;

class Crawler {
 public:
  // `fetcher` must outlive the Crawler.
  Crawler(Fetcher& fetcher, CrawlOptions options);

  // Crawls from `start` (each defines a site in scope) until the frontier is
  // empty or max_pages is reached. Returns every page's outcome in the order
  // requested, including pages that failed. Never throws.
  std::vector<model::Page> Crawl(const std::vector<core::Url>& start,
                                 const PageHandler& handler);

 private:
  Fetcher& fetcher_;
  CrawlOptions options_;
};

}  // namespace telescreen::fetch
