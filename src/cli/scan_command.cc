// telescreen scan URL... and telescreen extract FILE...
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/paths.h"
#include "core/file.h"
#include "core/hash.h"
#include "core/time.h"
#include "core/url.h"
#include "fetch/charset.h"
#include "fetch/curl_fetcher.h"
#include "patterns/pattern_set.h"
#include "scan/scanner.h"

namespace telescreen::cli {
namespace {

struct ScanArgs {
  std::vector<std::string> urls;
  std::string now;
  OutputOptions output;
  fetch::CrawlOptions crawl;
  fetch::CurlOptions curl;
  int delay_ms = 1000;
  bool ignore_robots = false;
  std::string save_pages;
};

struct ExtractArgs {
  std::vector<std::string> files;
  std::string base_url;
  std::string now;
  OutputOptions output;
};

// Resolves --now (default: the current time). Prints the error itself.
bool ResolveNow(const std::string& text, core::TimePoint* now) {
  if (text.empty()) {
    *now = core::SystemClock().Now();
    return true;
  }
  auto parsed = core::ParseNow(text);
  if (!parsed.ok()) {
    PrintError(parsed.error().message);
    return false;
  }
  *now = parsed.value();
  return true;
}

patterns::PatternSet LoadPatterns() {
  std::vector<patterns::PackError> errors;
  patterns::PatternSet set = patterns::PatternSet::Load(UserPatternsDir(), &errors);
  // A broken pack never takes down the scan of the other sites.
  for (const auto& e : errors) PrintError("warning: pattern pack skipped: " + e.ToString());
  return set;
}

void SavePage(const std::string& dir, const fetch::CrawledPage& page) {
  std::string name = core::Sha256Hex(page.page.final_url.empty() ? page.page.url : page.page.final_url)
                         .substr(0, 16) +
                     ".html";
  std::string index_line = name + "\t" + std::to_string(page.page.status) + "\t" + page.page.url + "\n";
  if (auto st = core::WriteFileAtomic(dir + "/" + name, page.body); !st.ok()) {
    PrintError("warning: --save-pages: " + st.error().message);
    return;
  }
  std::FILE* f = std::fopen((dir + "/index.tsv").c_str(), "a");
  if (f) {
    std::fputs(index_line.c_str(), f);
    std::fclose(f);
  }
}

int RunScan(ScanArgs& args) {
  core::TimePoint now;
  if (!ResolveNow(args.now, &now)) return kExitUsage;
  std::vector<core::Url> start;
  for (const auto& text : args.urls) {
    auto url = core::Url::Parse(text);
    if (!url.ok()) {
      PrintError("bad URL " + url.error().message);
      return kExitUsage;
    }
    start.push_back(url.value());
  }
  if (!args.curl.cookies_file.empty() && !std::filesystem::exists(args.curl.cookies_file)) {
    PrintError("--cookies " + args.curl.cookies_file + ": no such file");
    return kExitUsage;
  }
  args.crawl.delay = std::chrono::milliseconds(args.delay_ms);
  args.crawl.robots = args.ignore_robots ? fetch::RobotsPolicy::kIgnore : fetch::RobotsPolicy::kObey;
  patterns::PatternSet packs = LoadPatterns();
  fetch::CurlFetcher fetcher(args.curl);
  scan::ScanOptions options;
  options.crawl = args.crawl;
  if (!args.save_pages.empty()) {
    std::string dir = args.save_pages;
    options.on_page = [dir](const fetch::CrawledPage& p) { SavePage(dir, p); };
  }
  scan::Scanner scanner(packs, now);
  model::ScanResult result = scanner.Crawl(fetcher, start, options);
  bool any_ok = false;
  for (const auto& p : result.pages) any_ok |= p.status >= 200 && p.status < 300;
  int code = WriteOutputs(result, args.output);
  if (!any_ok) {
    PrintError("no page could be fetched (see the pages' errors above or in the JSON report)");
    return kExitRuntime;
  }
  return code;
}

std::string ContentTypeFor(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".ics" || ext == ".ical") return "text/calendar";
  if (ext == ".vcf" || ext == ".vcard") return "text/vcard";
  if (ext == ".json" || ext == ".jsonld") return "application/json";
  if (ext == ".html" || ext == ".htm" || ext == ".xhtml") return "text/html";
  return "";  // let the extractor sniff
}

int RunExtract(ExtractArgs& args) {
  core::TimePoint now;
  if (!ResolveNow(args.now, &now)) return kExitUsage;
  std::optional<core::Url> base;
  if (!args.base_url.empty()) {
    auto url = core::Url::Parse(args.base_url);
    if (!url.ok()) {
      PrintError("--base-url: " + url.error().message);
      return kExitUsage;
    }
    base = url.value();
  }
  std::vector<scan::SavedPage> pages;
  for (const auto& path : args.files) {
    auto body = core::ReadFile(path);
    if (!body.ok()) {
      PrintError(body.error().message);
      return kExitUsage;
    }
    std::string type = ContentTypeFor(path);
    std::string name = std::filesystem::path(path).filename().string();
    // Without --base-url, relative links resolve against a placeholder
    // origin that can never be fetched.
    core::Url url = base ? base.value() : core::Url::Parse("http://saved-page.invalid/").value();
    if (!base) {
      if (auto r = url.Resolve(name); r.ok()) url = r.value();
    }
    pages.push_back(scan::SavedPage{path, url, type, fetch::ToUtf8(body.value(), type),
                                    model::Visibility::kPublic});
  }
  patterns::PatternSet packs = LoadPatterns();
  scan::Scanner scanner(packs, now);
  model::ScanResult result = scanner.FromPages(pages, args.files);
  return WriteOutputs(result, args.output);
}

void AddOutputOptions(CLI::App* cmd, OutputOptions* out, std::string* now) {
  cmd->add_option("--json", out->json_path, "Write the JSON report (schema version 1) to FILE")
      ->option_text("FILE");
  cmd->add_option("--html", out->html_path, "Write the self-contained HTML report to FILE")
      ->option_text("FILE");
  cmd->add_option("--now", *now,
                  "Reference time deciding past vs future, ISO 8601 (e.g. 2015-10-01T00:00:00Z); "
                  "default: the current time")
      ->option_text("TIME");
  cmd->add_flag("-q,--quiet", out->quiet, "Print no summary on stdout");
}

}  // namespace

void AddScanCommand(CLI::App& app, Runner* run) {
  auto args = std::make_shared<ScanArgs>();
  CLI::App* cmd = app.add_subcommand("scan", "Crawl your public profile URLs and report what they expose");
  cmd->add_option("URL", args->urls, "Your own profile URLs (http or https); each one's site is in scope")
      ->required();
  AddOutputOptions(cmd, &args->output, &args->now);
  cmd->add_option("--max-pages", args->crawl.max_pages, "Stop after fetching N pages")
      ->capture_default_str()->check(CLI::Range(1, 1000000))->option_text("N");
  cmd->add_option("--depth", args->crawl.max_depth, "Follow links at most N steps from a start URL (0 = start pages only)")
      ->capture_default_str()->check(CLI::Range(0, 1000))->option_text("N");
  cmd->add_option("--concurrency", args->crawl.concurrency, "Transfers at once, all hosts together")
      ->capture_default_str()->check(CLI::Range(1, 256))->option_text("N");
  cmd->add_option("--per-host", args->crawl.per_host, "Transfers at once to one host")
      ->capture_default_str()->check(CLI::Range(1, 64))->option_text("N");
  cmd->add_option("--delay-ms", args->delay_ms, "Minimum gap between two requests to one host, in ms")
      ->capture_default_str()->check(CLI::Range(0, 600000))->option_text("MS");
  cmd->add_flag("--ignore-robots", args->ignore_robots, "Do not obey robots.txt (only for your own sites)");
  cmd->add_option("--cookies", args->curl.cookies_file,
                  "Netscape cookies.txt exported from your browser: see what members see "
                  "(sent only to matching domains; values never reported)")
      ->option_text("FILE");
  cmd->add_option("--save-pages", args->save_pages, "Keep every fetched body in DIR as evidence")
      ->option_text("DIR");
  cmd->callback([args, run] { *run = [args] { return RunScan(*args); }; });
}

void AddExtractCommand(CLI::App& app, Runner* run) {
  auto args = std::make_shared<ExtractArgs>();
  CLI::App* cmd = app.add_subcommand(
      "extract", "Report on saved pages (HTML, .ics, .vcf, ActivityPub JSON) without any network access");
  cmd->add_option("FILE", args->files, "Saved files to read")->required();
  cmd->add_option("--base-url", args->base_url, "URL the files were saved from (resolves relative links)")
      ->option_text("URL");
  AddOutputOptions(cmd, &args->output, &args->now);
  cmd->callback([args, run] { *run = [args] { return RunExtract(*args); }; });
}

}  // namespace telescreen::cli
