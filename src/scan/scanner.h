// Scanner: wires the stages together. It is handed the Fetcher, the pattern
// packs and the reference time, never builds them, and returns a scored
// ScanResult for the reporters.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/time.h"
#include "core/url.h"
#include "fetch/crawler.h"
#include "fetch/fetcher.h"
#include "model/scan_result.h"
#include "patterns/pattern_set.h"
#include "scan/fact_store.h"
#include "scan/merge.h"
#include "score/score.h"

namespace telescreen::scan {

// A page that was not crawled: a saved HTML file, a HAR entry, an .ics file.
struct SavedPage {
  std::string label;         // shown in the report: the file path, or the HAR entry's URL
  core::Url url;             // base for relative links
  std::string content_type;  // "text/html", "text/calendar", ... ; empty = sniff
  std::string body;          // UTF-8
  model::Visibility visibility = model::Visibility::kPublic;
  std::string captured_at;  // ISO 8601 UTC (HAR Date header, file mtime); "" = unknown
  int status = 200;         // a HAR entry's status; only 2xx bodies are read
  std::string final_url;    // a HAR redirect's target; "" = url
  std::string target;       // the input it came from (the file, the HAR); "" = label
};

struct ScanOptions {
  fetch::CrawlOptions crawl;
  // By default a plain link to a contact's profile is not followed: it is
  // someone else's page. true follows it like any other link in scope.
  bool follow_contacts = false;
  // Called for every fetched page before extraction (e.g. --save-pages); on
  // a worker thread, one call at a time.
  std::function<void(const fetch::CrawledPage&)> on_page;
  // Threads extracting pages while the crawler downloads others;
  // 0 = one per CPU core, at most 8.
  std::size_t extract_threads = 0;
  // Called once, when the crawl is over and every page extracted, before the
  // merge: the caller may free what only extraction used (RunScan drops the
  // pattern packs' compiled expressions). The Scanner does not touch its
  // PatternSet after this.
  std::function<void()> on_crawled;
  // Called once the facts are merged, before scoring, with the result so
  // far; what it returns is called once scoring is done, before Crawl
  // returns. Work it starts on another thread (the history's diff against
  // the scan before) may read every member of the result but findings,
  // score and fixes, which scoring writes meanwhile, and must be done when
  // the returned function returns: the result moves after it.
  std::function<std::function<void()>(const model::ScanResult&)> alongside_scoring;
};

class Scanner {
 public:
  // `patterns` must outlive the Scanner.
  Scanner(const patterns::PatternSet& patterns, core::TimePoint now);

  // Crawls from `start` with `fetcher`, extracts, merges and scores. When
  // options.crawl.stop_requested stops the crawl early, the result is what
  // was read, marked interrupted (and no target seen in full).
  model::ScanResult Crawl(fetch::Fetcher& fetcher, const std::vector<core::Url>& start,
                          const ScanOptions& options);

  // Extracts, merges and scores pages that are already at hand.
  model::ScanResult FromPages(const std::vector<SavedPage>& saved, const std::vector<std::string>& targets);

 private:
  struct Processed {
    std::vector<model::Link> links;  // worth following
    patterns::WallVerdict wall;      // a wall instead of the page: no facts were kept
  };
  // Extracts one page's facts (structured data and site patterns) into
  // facts_, unless the page is a wall, and returns the links found on it.
  // `requested` is the URL asked for (for telling a redirect to a sign-in
  // page), "" when it is the page's own.
  Processed Process(const std::string& key, const core::Url& url, std::string_view content_type,
                    std::string_view body, model::Visibility visibility, std::string_view requested = "",
                    bool follow_contacts = false);
  // Records a wall seen while crawling, for Finish to put on its page.
  void NoteWall(const std::string& requested, patterns::WallVerdict wall);
  // Sets each page's wall: the one seen while crawling, else what its
  // status and redirect say.
  void MarkWalls(std::vector<model::Page>* pages);
  // `page_targets`: per page, the target it was loaded for; empty for a
  // crawl (ComputeCoverage then matches pages to targets by URL and site).
  // `alongside_scoring`: ScanOptions::alongside_scoring.
  model::ScanResult Finish(
      std::vector<std::string> targets, std::vector<model::Page> pages,
      const std::vector<std::string>& page_targets = {},
      const std::function<std::function<void()>(const model::ScanResult&)>& alongside_scoring = {});

  const patterns::PatternSet& patterns_;
  core::TimePoint now_;
  // The packs' fixes in the reader's language, by their English text: taken
  // when the Scanner is made, since a caller may free the packs once every
  // page is extracted (ScanOptions::on_crawled), before scoring.
  score::FixTexts fix_texts_;
  FactStore facts_;
  std::mutex walls_mu_;
  std::map<std::string, patterns::WallVerdict> walls_;  // by the URL asked for
  bool interrupted_ = false;                            // the last crawl was stopped early (for Finish)
};

}  // namespace telescreen::scan
