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

// A snapshot for a progress line (the cli prints it; the crawler never does).
struct CrawlProgress {
  std::size_t pages_done = 0;  // outcomes recorded, failures included
  std::size_t queued = 0;      // URLs waiting in the frontier
  std::size_t in_flight = 0;   // transfers running (robots.txt included)
  std::size_t errors = 0;      // pages with a transport error or status >= 400
  std::chrono::milliseconds elapsed{0};
};

struct CrawlOptions {
  int max_depth = 2;                      // links followed from a start page; 0 = start pages only
  std::size_t max_pages = 200;            // pages fetched in all (robots.txt not counted)
  std::size_t concurrency = 8;            // transfers at once, all hosts
  std::size_t per_host = 2;               // transfers at once to one host
  std::chrono::milliseconds delay{1000};  // minimum gap between requests to one host
  RobotsPolicy robots = RobotsPolicy::kObey;
  // A robots.txt Crawl-delay (of the group for user_agent_token) raises that
  // host's gap to max(delay, Crawl-delay), but never past this: a site
  // asking for hours between requests gets max_crawl_delay. kIgnore ignores
  // Crawl-delay too.
  std::chrono::milliseconds max_crawl_delay{60000};
  int max_redirects = 10;                       // hops followed for one page; more is an error
  std::string user_agent_token = "telescreen";  // matched against robots.txt groups
  // Transport errors and 5xx are retried up to max_retries times, after
  // retry_base_delay * 2^attempt plus up to as much again of random jitter.
  // A 429/503 Retry-After is honoured when at most max_retry_after (the host
  // is paused that long); longer ones give up and keep the 429/503.
  int max_retries = 2;
  std::chrono::milliseconds retry_base_delay{500};
  std::chrono::seconds max_retry_after{120};
  // Threads that run the page handler beside the fetching (extraction of one
  // page overlaps the download of the next); 0 runs it on the crawler's own
  // thread. With more than 0 the handler must be thread-safe.
  std::size_t handler_threads = 0;
  // Called after each page outcome is recorded. May be empty.
  std::function<void(const CrawlProgress&)> on_progress;
  // Polled between steps of the crawl (at least every 250 ms while
  // transfers run, every second while it waits out a delay); true stops it
  // (an interrupt): no transfer is started again, those in flight are
  // abandoned, pages already fetched are still handed to the handler. May
  // be empty (never stop). Must be cheap and thread-safe (an atomic load).
  std::function<bool()> stop_requested;
  // The crawler's clock for delays, backoff and progress. Empty =
  // steady_clock::now. A seam for tests: a fake clock advanced by a fake
  // Fetcher's Wait() checks the delays without sleeping.
  std::function<std::chrono::steady_clock::time_point()> clock;
};

// A fetched page handed to the PageHandler.
struct CrawledPage {
  model::Page page;
  std::string body;
  std::string date_header;
  std::size_t request = 0;  // Crawler::Check only: the index of its CheckRequest
};

// One request of Crawler::Check: a URL to ask once, with its own method,
// body and headers.
struct CheckRequest {
  core::Url url;
  HttpMethod method = HttpMethod::kGet;
  std::string post_body;             // kPost only
  std::vector<std::string> headers;  // "Name: value"; REQUIRES: no CR or LF
  std::string accept;                // empty = the fetcher's default
};

// Called once per fetched page (any status); returns the links found on it.
// The crawler follows those within scope (same SiteKey as a start URL) and
// depth: a link is one level deeper than its page, except kind "next"
// (pagination), which stays at its page's depth. Pattern links (non-empty
// kind) are fetched before plain ones. Link::accept is sent as the Accept
// header. The handler runs on the crawler's thread, or with
// CrawlOptions::handler_threads on one of that many workers (several pages
// at once); an exception from it is caught and recorded as the page's error.
using PageHandler = std::function<std::vector<model::Link>(const CrawledPage&)>;

class Crawler {
 public:
  // `fetcher` must outlive the Crawler.
  Crawler(Fetcher& fetcher, CrawlOptions options);

  // Crawls from `start` (each defines a site in scope) until the frontier is
  // empty or max_pages is reached. Returns every page's outcome in the order
  // requested, including pages that failed and pages robots.txt disallowed
  // (status 0, error "disallowed by robots.txt"; not counted in max_pages).
  // Redirects are followed by the crawler, one hop at a time (at most
  // max_redirects, http and https only, the address policy on every
  // connection): each hop waits for its origin's robots.txt, the host's
  // connection limit and delay like any request. A hop into a disallowed
  // path is not requested; the page gets the error "redirect to URL
  // refused: disallowed by robots.txt". page.url stays the URL asked for,
  // page.final_url is the last hop.
  // Links never lead to loopback, private, link-local or metadata addresses
  // unless a start URL's host is such an address (see AddressPolicy).
  // Never throws.
  std::vector<model::Page> Crawl(const std::vector<core::Url>& start, const PageHandler& handler);

  // Sends each request once (retries of 429, 503, 5xx and transport errors
  // aside) with the politeness of Crawl(): robots.txt, per_host, delay,
  // Crawl-delay, Retry-After, backoff, the address policy (a loopback or
  // private address only where a request names it as an IP literal; no DNS
  // lookups up front). Follows no links and no redirects: a 3xx is the outcome, with
  // its target in page.final_url. Equal requests are all sent. The handler
  // gets every response (CrawledPage::request is its index); the links it
  // returns are ignored. Returns one Page per request, in the order of
  // `requests`: one not answered has its url and an error saying why
  // (disallowed by robots.txt, or "not checked: stopped" after
  // stop_requested). max_pages and max_depth do not apply. Never throws.
  std::vector<model::Page> Check(const std::vector<CheckRequest>& requests, const PageHandler& handler);

  // True iff the last Crawl() or Check() was stopped by CrawlOptions::stop_requested
  // while pages were still queued or in flight: its pages are a partial view.
  bool interrupted() const { return interrupted_; }

 private:
  Fetcher& fetcher_;
  CrawlOptions options_;
  bool interrupted_ = false;
};

}  // namespace telescreen::fetch
