// telescreen scan URL... and telescreen extract FILE...
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/interrupt.h"
#include "cli/output.h"
#include "cli/paths.h"
#include "cli/politeness.h"
#include "cli/scan_run.h"
#include "cli/watch.h"
#include "core/file.h"
#include "core/hash.h"
#include "core/i18n.h"
#include "core/local_format.h"
#include "core/text.h"
#include "core/time.h"
#include "core/url.h"
#include "fetch/charset.h"
#include "fetch/curl_fetcher.h"
#include "fetch/har.h"
#include "patterns/pattern_set.h"
#include "report/escape.h"
#include "scan/scanner.h"

namespace telescreen::cli {
namespace {

using core::Fill;
using core::Tr;

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
  for (const auto& e : errors) PrintError(Fill(Tr("warning: pattern pack skipped: {1}"), {e.ToString()}));
  return set;
}

void SavePage(const std::string& dir, const fetch::CrawledPage& page) {
  std::string name =
      core::Sha256Hex(page.page.final_url.empty() ? page.page.url : page.page.final_url).substr(0, 16) +
      ".html";
  std::string index_line = name + "\t" + std::to_string(page.page.status) + "\t" + page.page.url + "\n";
  if (auto st = core::WriteFileAtomic(dir + "/" + name, page.body); !st.ok()) {
    PrintError(Fill(Tr("warning: --save-pages: {1}"), {st.error().message}));
    return;
  }
  // The index names the pages (personal data too): owner-only, like the bodies.
  int fd = ::open((dir + "/index.tsv").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    PrintError(Fill(Tr("warning: --save-pages: cannot write {1}"), {dir + "/index.tsv"}));
    return;
  }
  if (::write(fd, index_line.data(), index_line.size()) != static_cast<ssize_t>(index_line.size())) {
    PrintError(Fill(Tr("warning: --save-pages: short write to {1}"), {dir + "/index.tsv"}));
  }
  ::close(fd);
}

// One line on stderr, rewritten in place (only on a TTY).
void PrintProgress(const fetch::CrawlProgress& p) {
  double seconds = std::chrono::duration<double>(p.elapsed).count();
  double rate = seconds > 0 ? static_cast<double>(p.pages_done) / seconds : 0;
  const std::string line =
      Fill(Tr("{1} pages done, {2} queued, {3} in flight, {4} errors, {5} pages/s"),
           {std::to_string(p.pages_done), std::to_string(p.queued), std::to_string(p.in_flight),
            std::to_string(p.errors), core::FormatDecimal(rate, 1, core::CurrentLanguage())});
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
}

bool SawSomeTarget(const model::ScanResult& result) {
  for (const auto& c : result.coverage) {
    if (c.seen == model::Seen::kFull || c.seen == model::Seen::kPartial) return true;
  }
  return false;
}

// How much of a target was seen (model::SeenName), in the reader's language.
std::string SeenText(model::Seen seen) {
  switch (seen) {
    case model::Seen::kPartial:
      return Tr("partial");
    case model::Seen::kWalled:
      return Tr("walled");
    case model::Seen::kFailed:
      return Tr("failed");
    case model::Seen::kFull:
      break;
  }
  return Tr("full");
}

// Nothing was seen: each target and why, on stderr, whatever reports were asked for.
void PrintUnseenTargets(const model::ScanResult& result) {
  PrintError(Tr("none of the targets could be seen:"));
  for (const auto& c : result.coverage) {
    // The cause can quote the site (a redirect's path): cleaned like page text.
    const std::string detail = report::CleanText(c.detail);
    std::fprintf(stderr, "  %s: %s%s%s%s\n", report::CleanText(c.target).c_str(), SeenText(c.seen).c_str(),
                 detail.empty() ? "" : " (", detail.c_str(), detail.empty() ? "" : ")");
  }
  if (model::AnyWall(result)) {
    std::fprintf(stderr, "  %s\n",
                 Tr("to see what members see: --cookies FILE (cookies.txt from your signed-in "
                    "browser), or 'telescreen extract FILE.har' on a HAR export")
                     .c_str());
  }
}

int RunScan(ScanArgs& args) {
  ScanSettings settings{&args.urls,   &args.crawl, &args.delay_ms, &args.curl.cookies_file,
                        &args.output, &args.watch};
  if (auto st = ApplyConfig(*args.cmd, settings); !st.ok()) {
    PrintError(st.error().message);
    return kExitUsage;
  }
  if (args.urls.empty()) {
    PrintError(Tr("scan: no URL given (name your profile URLs, or targets in --config FILE)"));
    return kExitUsage;
  }
  core::TimePoint now;
  if (!ResolveNow(args.now, &now)) return kExitUsage;
  std::vector<core::Url> start;
  for (const auto& text : args.urls) {
    auto url = core::Url::Parse(text);
    if (!url.ok()) {
      PrintError(Fill(Tr("bad URL {1}"), {url.error().message}));
      return kExitUsage;
    }
    start.push_back(url.value());
  }
  return ScanStartUrls(args, start, now);
}

}  // namespace

int ScanStartUrls(ScanArgs& args, const std::vector<core::Url>& start, core::TimePoint now) {
  if (!args.curl.cookies_file.empty() && !std::filesystem::exists(args.curl.cookies_file)) {
    PrintError(Fill(Tr("--cookies {1}: no such file"), {args.curl.cookies_file}));
    return kExitUsage;
  }
  args.crawl.delay = std::chrono::milliseconds(args.delay_ms);
  args.crawl.robots = args.ignore_robots ? fetch::RobotsPolicy::kIgnore : fetch::RobotsPolicy::kObey;
  patterns::PatternSet packs = LoadPatterns();
  fetch::CurlFetcher fetcher(args.curl);
  if (!fetcher.status().ok()) {  // a bad cookies file: file and line, never a value
    PrintError(fetcher.status().error().message);
    return kExitUsage;
  }
  scan::ScanOptions options;
  options.crawl = args.crawl;
  options.follow_contacts = args.follow_contacts;
  std::vector<store::PageBody> bodies;  // kept for the history with --store-bodies
  std::string save_dir = args.save_pages;
  bool keep_bodies = args.watch.store_bodies && !args.watch.no_history;
  if (!save_dir.empty() || keep_bodies) {
    options.on_page = [save_dir, keep_bodies, &bodies](const fetch::CrawledPage& p) {
      if (!save_dir.empty()) SavePage(save_dir, p);
      if (keep_bodies) bodies.push_back(store::PageBody{p.page.url, p.body});
    };
  }
  // The packs' compiled expressions (several MB with their match caches)
  // are not needed once every page is extracted.
  options.on_crawled = [&packs] { packs = patterns::PatternSet(); };
  bool progress = StderrIsTty() && !args.output.quiet;
  if (progress) options.crawl.on_progress = PrintProgress;
  // Ctrl-C or SIGTERM stops the crawl; the reports are still written from
  // the pages read, marked interrupted. A second Ctrl-C quits at once.
  InterruptScope interrupts;
  options.crawl.stop_requested = [] { return InterruptScope::Signal() != 0; };
  // The history's diff against the scan before runs while the scan is
  // scored; a scan that will not be recorded (below) starts none.
  EarlyRecord early;
  if (!args.watch.no_history) {
    options.alongside_scoring = [&](const model::ScanResult& merged) -> std::function<void()> {
      if (!SawSomeTarget(merged) || InterruptScope::Signal() != 0) return nullptr;
      early.Start(merged, args.watch, bodies);
      return [&early] { early.Wait(); };
    };
  }
  scan::Scanner scanner(packs, now);
  model::ScanResult result = scanner.Crawl(fetcher, start, options);
  if (progress) std::fprintf(stderr, "\r\033[K");
  // A scan that saw none of its targets (each failed or walled) says
  // nothing about what is new: keep it out of the history, where it would
  // look like every contact had vanished. Nor does an interrupted one: the
  // next scan would compare against a partial view.
  const bool any_ok = SawSomeTarget(result);
  const int stopped_by = InterruptScope::Signal();
  OutputOptions output = args.output;
  int code = kExitOk;
  auto write_reports = [&](const WatchOutcome& so_far) {
    output.quiet = output.quiet && !so_far.alerts.tripped();
    code = WriteOutputs(result, output);
  };
  WatchOutcome watch;
  if (any_ok && stopped_by == 0) {
    // The reports are written while the history's rows are.
    watch = RecordAndCheck(&result, args.watch, bodies, write_reports, &early);
  } else {
    write_reports(watch);
  }
  PrintAlerts(watch);
  if (stopped_by != 0) {
    if (code != kExitOk) return code;  // a report could not be written: say that first
    return InterruptScope::ExitCode(stopped_by);
  }
  if (!any_ok) {
    PrintUnseenTargets(result);
    return kExitRuntime;
  }
  if (watch.exit_code != kExitOk) return watch.exit_code;
  return code;
}

namespace {

std::string ContentTypeFor(const std::string& path) {
  const std::string ext = core::AsciiLower(std::filesystem::path(path).extension().string());
  if (ext == ".ics" || ext == ".ical") return "text/calendar";
  if (ext == ".vcf" || ext == ".vcard") return "text/vcard";
  if (ext == ".json" || ext == ".jsonld") return "application/json";
  if (ext == ".html" || ext == ".htm" || ext == ".xhtml") return "text/html";
  return "";  // let the extractor sniff
}

bool EndsWithHar(const std::string& path) {
  const std::string ext = core::AsciiLower(std::filesystem::path(path).extension().string());
  return ext == ".har";
}

// A saved file's capture time: its modification time, ISO 8601 UTC; "" if
// it cannot be read.
std::string ModifiedAt(const std::string& path) {
  std::error_code ec;
  auto mtime = std::filesystem::last_write_time(path, ec);
  if (ec) return "";
  auto sys = std::chrono::file_clock::to_sys(mtime);
  return core::FormatIsoUtc(std::chrono::floor<std::chrono::seconds>(sys));
}

// Saved pages show the past. When every page has a capture time and even the
// newest is a day or more before `now`, the report says so and how to score
// as of the capture instead, so a saved page is rescored as of that time.
void NoteCaptureTime(model::ScanResult* result, core::TimePoint now) {
  std::optional<core::TimePoint> newest;
  for (const auto& p : result->pages) {
    auto t = core::ParseIsoTime(p.captured_at);
    if (!t) return;
    newest = newest ? std::max(*newest, t->start) : t->start;
  }
  if (!newest || now - *newest < std::chrono::days(1)) return;
  auto days = std::chrono::floor<std::chrono::days>(now - *newest).count();
  std::string when = core::FormatIsoUtc(*newest);
  result->warnings.push_back(core::Fill(
      core::TrN("the saved pages were captured by {1}, {2} day before the reference time {3}: past "
                "and future are judged as of the reference time; to score as of the capture, "
                "pass --now {1}",
                "the saved pages were captured by {1}, {2} days before the reference time {3}: past "
                "and future are judged as of the reference time; to score as of the capture, "
                "pass --now {1}",
                static_cast<unsigned long>(days)),
      {when, std::to_string(days), result->now}));
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
    if (EndsWithHar(path)) {
      // A HAR export of the user's own logged-in browser: members-only views.
      auto har = fetch::ReadHar(path);
      if (!har.ok()) {
        PrintError(har.error().message);
        return kExitUsage;
      }
      for (auto& entry : har.value()) {
        // Redirects and errors stay as pages (what the browser got instead:
        // a sign-in page, a block); only answers with a body are read.
        auto url = core::Url::Parse(entry.page.url);
        if (!url.ok()) continue;
        std::string final_url = entry.page.final_url == entry.page.url ? "" : entry.page.final_url;
        pages.push_back(scan::SavedPage{url.value().ToString(), url.value(), entry.page.content_type,
                                        std::move(entry.body), model::Visibility::kMembersOnly,
                                        entry.page.captured_at, entry.page.status, std::move(final_url),
                                        path});
      }
      continue;
    }
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
                                    model::Visibility::kPublic, ModifiedAt(path), 200, "", path});
  }
  patterns::PatternSet packs = LoadPatterns();
  scan::Scanner scanner(packs, now);
  model::ScanResult result = scanner.FromPages(pages, args.files);
  NoteCaptureTime(&result, now);
  return WriteOutputs(result, args.output);
}

void AddOutputOptions(CLI::App* cmd, OutputOptions* out, std::string* now) {
  cmd->add_option("--json", out->json_path, Tr("Write the JSON report (schema version 1) to FILE"))
      ->option_text(Tr("FILE"));
  cmd->add_option("--html", out->html_path, Tr("Write the self-contained HTML report to FILE"))
      ->option_text(Tr("FILE"));
  cmd->add_option("--now", *now,
                  Tr("Reference time deciding past vs future, ISO 8601 (e.g. 2015-10-01T00:00:00Z); "
                     "default: the current time. To score saved pages as of their capture, pass "
                     "their captured_at from the JSON report"))
      ->option_text(Tr("TIME"));
  cmd->add_flag("-q,--quiet", out->quiet, Tr("Print no summary on stdout"));
}

}  // namespace

void AddScanCommand(CLI::App& app, Runner* run) {
  auto args = std::make_shared<ScanArgs>();
  CLI::App* cmd =
      app.add_subcommand("scan", Tr("Crawl your public profile URLs and report what they expose"));
  cmd->add_option("URL", args->urls,
                  Tr("Your own profile URLs (http or https); each one's site is in scope. "
                     "Required unless --config names targets"));
  AddOutputOptions(cmd, &args->output, &args->now);
  cmd->add_option("--max-pages", args->crawl.max_pages, Tr("Stop after fetching N pages"))
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000))
      ->option_text("N");
  cmd->add_option("--depth", args->crawl.max_depth,
                  Tr("Follow links at most N steps from a start URL (0 = start pages only)"))
      ->capture_default_str()
      ->check(CLI::Range(0, 1000))
      ->option_text("N");
  AddPolitenessOptions(cmd, &args->crawl, &args->delay_ms, &args->ignore_robots);
  cmd->add_flag("--follow-contacts", args->follow_contacts,
                Tr("Also crawl the profiles of your contacts within scope and --depth (by default only "
                   "your own pages and the lists a pattern marks are followed)"));
  cmd->add_option("--cookies", args->curl.cookies_file,
                  Tr("Netscape cookies.txt exported from your browser: see what members see "
                     "(sent only to matching domains; values never reported)"))
      ->option_text(Tr("FILE"));
  cmd->add_option("--save-pages", args->save_pages, Tr("Keep every fetched body in DIR as evidence"))
      ->option_text(Tr("DIR"));
  AddWatchOptions(cmd, &args->watch);
  args->cmd = cmd;
  cmd->callback([args, run] { *run = [args] { return RunScan(*args); }; });
}

void AddExtractCommand(CLI::App& app, Runner* run) {
  auto args = std::make_shared<ExtractArgs>();
  CLI::App* cmd = app.add_subcommand(
      "extract",
      Tr("Report on saved pages (HTML, HAR exports, .ics, .vcf, ActivityPub JSON) without any network "
         "access"));
  cmd->add_option("FILE", args->files,
                  Tr("Saved files to read; a .har file (exported from your browser's developer tools) "
                     "counts as what members see"))
      ->required();
  cmd->add_option("--base-url", args->base_url, Tr("URL the files were saved from (resolves relative links)"))
      ->option_text("URL");
  AddOutputOptions(cmd, &args->output, &args->now);
  cmd->callback([args, run] { *run = [args] { return RunExtract(*args); }; });
}

}  // namespace telescreen::cli
