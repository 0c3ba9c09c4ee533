#include "cli/politeness.h"

#include <CLI/CLI.hpp>

#include "core/i18n.h"

namespace telescreen::cli {

void AddPolitenessOptions(CLI::App* cmd, fetch::CrawlOptions* crawl, int* delay_ms, bool* ignore_robots) {
  cmd->add_option("--concurrency", crawl->concurrency, core::Tr("Transfers at once, all hosts together"))
      ->capture_default_str()
      ->check(CLI::Range(1, 256))
      ->option_text("N");
  cmd->add_option("--per-host", crawl->per_host, core::Tr("Transfers at once to one host"))
      ->capture_default_str()
      ->check(CLI::Range(1, 64))
      ->option_text("N");
  cmd->add_option("--delay-ms", *delay_ms,
                  core::Tr("Minimum gap between two requests to one host, in ms; "
                           "a robots.txt Crawl-delay raises it, up to 60 s"))
      ->capture_default_str()
      ->check(CLI::Range(0, 600000))
      ->option_text("MS");
  cmd->add_flag("--ignore-robots", *ignore_robots,
                core::Tr("Do not obey robots.txt nor its Crawl-delay (only for your own sites)"));
}

}  // namespace telescreen::cli
