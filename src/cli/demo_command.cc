// telescreen demo: the whole tool on a bundled fictional person, offline.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/paths.h"
#include "core/i18n.h"
#include "core/url.h"
#include "demo/demo_server.h"
#include "fetch/curl_fetcher.h"
#include "patterns/pattern_set.h"
#include "scan/scanner.h"

namespace telescreen::cli {
namespace {

using core::Fill;
using core::Tr;

struct DemoArgs {
  OutputOptions output{"reports/demo.json", "reports/demo.html", false};
  std::string now;
};

int RunDemo(const DemoArgs& args) {
  core::TimePoint now = core::SystemClock().Now();
  if (!args.now.empty()) {
    auto parsed = core::ParseNow(args.now);
    if (!parsed.ok()) {
      PrintError(parsed.error().message);
      return kExitUsage;
    }
    now = parsed.value();
  }
  demo::DemoServer server;
  auto starts = server.Start(now);
  if (!starts.ok()) {
    PrintError(starts.error().message);
    return kExitRuntime;
  }
  if (!args.output.quiet) {
    std::printf("%s\n", Tr("Demo: Julia Winter, a fictional product designer, has profiles on four sites,\n"
                           "served now on loopback. Telescreen crawls them as a watcher would:")
                            .c_str());
    for (const auto& s : starts.value()) std::printf("  %s\n", s.c_str());
    std::printf("\n");
    std::fflush(stdout);
  }
  std::vector<core::Url> start;
  for (const auto& s : starts.value()) start.push_back(core::Url::Parse(s).value());
  std::vector<patterns::PackError> errors;
  // Built-in packs only: the demo must look the same on every machine.
  patterns::PatternSet packs = patterns::PatternSet::Load("", &errors);
  for (const auto& e : errors) PrintError(Fill(Tr("warning: pattern pack skipped: {1}"), {e.ToString()}));
  fetch::CurlOptions curl;
  fetch::CurlFetcher fetcher(curl);
  scan::ScanOptions options;
  options.crawl.delay = std::chrono::milliseconds(0);  // our own server: no need to wait
  options.crawl.per_host = 4;
  options.crawl.max_depth = 3;
  scan::Scanner scanner(packs, now);
  model::ScanResult result = scanner.Crawl(fetcher, start, options);
  server.Stop();
  const int code = WriteOutputs(result, args.output);
  if (code == kExitOk && !args.output.quiet && !args.output.html_path.empty()) {
    // The reports went to stderr; the next step is for the person reading stdout.
    std::printf("\n%s\n", Fill(Tr("Open {1} in your browser for the whole report. To check your own "
                                  "profiles: telescreen scan URL..."),
                               {args.output.html_path})
                              .c_str());
  }
  return code;
}

}  // namespace

void AddDemoCommand(CLI::App& app, Runner* run) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* cmd = app.add_subcommand(
      "demo", Tr("Scan a bundled fictional person's profiles, served on loopback: the whole tool, offline"));
  cmd->add_option("--json", args->output.json_path, Tr("Write the JSON report to FILE"))
      ->capture_default_str()
      ->option_text(Tr("FILE"));
  cmd->add_option("--html", args->output.html_path, Tr("Write the HTML report to FILE"))
      ->capture_default_str()
      ->option_text(Tr("FILE"));
  cmd->add_option("--now", args->now, Tr("Reference time (ISO 8601); default: the current time"))
      ->option_text(Tr("TIME"));
  cmd->add_flag("-q,--quiet", args->output.quiet, Tr("Print no summary on stdout"));
  cmd->callback([args, run] { *run = [args] { return RunDemo(*args); }; });
}

}  // namespace telescreen::cli
