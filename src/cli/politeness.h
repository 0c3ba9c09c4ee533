// The politeness options every command that fetches shares: transfers at
// once, per host, the gap between requests to a host, robots.txt.
#pragma once

#include "fetch/crawler.h"

namespace CLI {
class App;
}

namespace telescreen::cli {

// Registers --concurrency, --per-host, --delay-ms and --ignore-robots on
// `cmd`, with the values already in the pointees as defaults. The pointees
// must outlive `cmd`.
void AddPolitenessOptions(CLI::App* cmd, fetch::CrawlOptions* crawl, int* delay_ms, bool* ignore_robots);

}  // namespace telescreen::cli
