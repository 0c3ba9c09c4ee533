// The scan command's run, shared with `accounts --scan`: crawl the start
// URLs, score, record in the history, write the reports.
#pragma once

#include <string>
#include <vector>

#include "cli/output.h"
#include "cli/watch.h"
#include "core/time.h"
#include "core/url.h"
#include "fetch/crawler.h"
#include "fetch/curl_fetcher.h"

namespace CLI {
class App;
}

namespace telescreen::cli {

// What `telescreen scan` was asked for. The defaults are the scan command's.
struct ScanArgs {
  std::vector<std::string> urls;
  std::string now;
  OutputOptions output;
  fetch::CrawlOptions crawl;
  fetch::CurlOptions curl;
  int delay_ms = 1000;
  bool ignore_robots = false;
  bool follow_contacts = false;
  std::string save_pages;
  WatchOptions watch;
  CLI::App* cmd = nullptr;  // to tell which options the command line gave (null: none)
};

// Scans `start` (parsed from args.urls or given by the caller) as of `now`
// with `args`' options, stopping on Ctrl-C or SIGTERM (it holds the
// InterruptScope while it runs: the caller must hold none), records the
// scan in the history and writes the reports. Returns an ExitCode.
int ScanStartUrls(ScanArgs& args, const std::vector<core::Url>& start, core::TimePoint now);

}  // namespace telescreen::cli
