// telescreen accounts USERNAME...: which sites of a list have a profile
// under the person's own usernames.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "accounts/accounts.h"
#include "accounts/accounts_report.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "cli/output.h"
#include "cli/politeness.h"
#include "cli/scan_run.h"
#include "core/file.h"
#include "core/i18n.h"
#include "fetch/curl_fetcher.h"
#include "report/escape.h"
#include "store/account_checks.h"
#include "store/history_store.h"

namespace telescreen::cli {
namespace {

using core::Fill;
using core::Tr;
using core::TrN;

struct AccountsArgs {
  std::vector<std::string> usernames;
  std::vector<std::string> site_files;
  bool only_sites = false;
  bool check_sites = false;
  OutputOptions output;
  fetch::CrawlOptions crawl;
  int delay_ms = 1000;
  int timeout_ms = 15000;
  bool ignore_robots = false;
  std::string db;           // --db FILE; empty = the default history
  bool no_history = false;  // --no-history
  bool scan = false;        // --scan: scan the found profiles
};

constexpr std::size_t kMaxUsernameBytes = 100;
// An account check reads a profile page or an API answer: 1 MiB is plenty,
// and the community list's 600 sites at once then stay within memory.
constexpr std::size_t kMaxCheckBodyBytes = std::size_t{1} << 20;

// Empty, or the reason `name` cannot be a username.
std::string UsernameProblem(const std::string& name) {
  if (name.empty()) return Tr("an empty username");
  if (name.size() > kMaxUsernameBytes) return Tr("longer than 100 bytes");
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return Tr("has a control character");
  }
  return "";
}

// The bundled list plus --sites files (or only those, with --only-sites).
// Prints the error itself.
bool LoadSites(const AccountsArgs& args, std::vector<accounts::Site>* sites) {
  if (!args.only_sites) {
    auto builtin = accounts::BuiltinSites();
    if (!builtin.ok()) {
      PrintError(builtin.error().message);
      return false;
    }
    *sites = builtin.value().sites;
  }
  for (const std::string& file : args.site_files) {
    auto text = core::ReadFile(file, accounts::kMaxSiteListBytes);
    if (!text.ok()) {
      PrintError("--sites " + text.error().message);
      return false;
    }
    auto list = accounts::ParseSiteList(text.value(), file);
    if (!list.ok()) {
      PrintError(list.error().message);
      return false;
    }
    if (list.value().skipped_invalid > 0) {
      const std::size_t n = list.value().skipped_invalid;
      PrintError(Fill(TrN("{1}: {2} site marked \"valid\": false is not checked",
                          "{1}: {2} sites marked \"valid\": false are not checked", n),
                      {file, std::to_string(n)}));
    }
    accounts::MergeSites(sites, std::move(list.value().sites));
  }
  if (sites->empty()) {
    PrintError(Tr("accounts: the site list is empty"));
    return false;
  }
  return true;
}

void PrintProgress(std::size_t done, std::size_t total, std::size_t found) {
  const std::string line = Fill(Tr("{1} of {2} checks answered, {3} profiles found"),
                                {std::to_string(done), std::to_string(total), std::to_string(found)});
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
}

// Writes --json and --html; returns an ExitCode.
int WriteAccountOutputs(const accounts::AccountsReport& report, const OutputOptions& output) {
  int code = kExitOk;
  auto write = [&](const std::string& path, const std::string& text, const std::string& what) {
    if (path.empty()) return;
    if (auto st = core::WriteFileAtomic(path, text); !st.ok()) {
      PrintError(st.error().message);
      code = kExitRuntime;
    } else if (!output.quiet) {
      std::fprintf(stderr, "%s\n", Fill(what, {path}).c_str());
    }
  };
  write(output.json_path, accounts::RenderAccountsJson(report), Tr("JSON report: {1}"));
  write(output.html_path, accounts::RenderAccountsHtml(report), Tr("HTML report: {1}"));
  return code;
}

// Records a finished check in the history and prints what changed since
// the last check of the same usernames. Returns an ExitCode.
int RecordAccounts(const accounts::AccountsReport& report, const AccountsArgs& args) {
  auto path = store::HistoryPath(args.db);
  if (!path.ok()) {
    PrintError(path.error().message);
    return kExitRuntime;
  }
  auto history = store::HistoryStore::Open(path.value(), store::Access::kWrite);
  if (!history.ok()) {
    PrintError(history.error().message);
    return kExitRuntime;
  }
  const std::string key = accounts::UsernamesKey(report.usernames);
  auto previous = store::PreviousAccountCheck(history.value(), key);
  auto added =
      store::AddAccountCheck(history.value(), key, report.checked_at, accounts::RenderAccountsJson(report));
  if (!added.ok()) {
    PrintError(added.error().message);
    return kExitRuntime;
  }
  if (!previous.ok() || !previous.value().has_value()) return kExitOk;
  auto before = accounts::ParseAccountsJson(previous.value()->report);
  if (!before.ok()) {
    PrintError(Fill(Tr("warning: the previous check in the history could not be read: {1}"),
                    {before.error().message}));
    return kExitOk;
  }
  if (!args.output.quiet) {
    std::string text = "\n" + accounts::RenderChangesText(accounts::DiffAccounts(before.value(), report));
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  }
  return kExitOk;
}

// Runs the checks; *stopped_by is the signal that stopped them, 0 if none.
accounts::AccountsReport Check(const AccountsArgs& args, const std::vector<accounts::Site>& sites,
                               int* stopped_by) {
  fetch::CurlOptions curl;
  curl.total_timeout = std::chrono::milliseconds(args.timeout_ms);
  curl.connect_timeout = std::min(curl.connect_timeout, curl.total_timeout);
  curl.max_body_bytes = kMaxCheckBodyBytes;
  curl.max_connections = std::max<std::size_t>(16, args.crawl.concurrency);
  fetch::CurlFetcher fetcher(curl);
  accounts::CheckOptions options;
  options.crawl = args.crawl;
  options.crawl.delay = std::chrono::milliseconds(args.delay_ms);
  options.crawl.robots = args.ignore_robots ? fetch::RobotsPolicy::kIgnore : fetch::RobotsPolicy::kObey;
  const bool progress = StderrIsTty() && !args.output.quiet;
  if (progress) options.on_progress = PrintProgress;
  // Ctrl-C or SIGTERM: the checks stop, the reports are written from the
  // answers so far, marked interrupted. A second Ctrl-C quits at once.
  InterruptScope interrupts;
  options.crawl.stop_requested = [] { return InterruptScope::Signal() != 0; };
  accounts::AccountsReport report = args.check_sites
                                        ? accounts::CheckKnownAccounts(fetcher, sites, options)
                                        : accounts::CheckAccounts(fetcher, sites, args.usernames, options);
  if (progress) std::fprintf(stderr, "\r\033[K");
  *stopped_by = InterruptScope::Signal();
  if (*stopped_by != 0) report.interrupted = true;
  return report;
}

// --scan: the found profiles become the start URLs of one scan, whose
// exposure report goes to --json and --html.
int ScanFound(const accounts::AccountsReport& report, const AccountsArgs& args) {
  std::vector<core::Url> start;
  for (const std::string& text : accounts::FoundUrls(report)) {
    if (auto url = core::Url::Parse(text); url.ok()) start.push_back(url.value());
  }
  if (start.empty()) {
    PrintError(Tr("accounts --scan: no profile found, nothing to scan"));
    return kExitRuntime;
  }
  ScanArgs scan;
  scan.output = args.output;
  scan.delay_ms = args.delay_ms;
  scan.ignore_robots = args.ignore_robots;
  scan.crawl.per_host = args.crawl.per_host;
  scan.watch.db_path = args.db;
  scan.watch.no_history = args.no_history;
  if (!args.output.quiet) {
    std::printf("\n%s\n",
                Fill(TrN("Scanning the {1} profile found", "Scanning the {1} profiles found", start.size()),
                     {std::to_string(start.size())})
                    .c_str());
  }
  std::fflush(stdout);
  return ScanStartUrls(scan, start, core::SystemClock().Now());
}

int RunAccounts(AccountsArgs& args) {
  if (args.usernames.empty() && !args.check_sites) {
    PrintError(Tr("accounts: no username given (name your own usernames, or --check-sites)"));
    return kExitUsage;
  }
  if (args.scan && args.check_sites) {
    PrintError(Tr("accounts: --scan and --check-sites do not go together"));
    return kExitUsage;
  }
  for (const std::string& u : args.usernames) {
    if (std::string why = UsernameProblem(u); !why.empty()) {
      PrintError(Fill(Tr("accounts: username '{1}': {2}"), {report::CleanText(u.substr(0, 40)), why}));
      return kExitUsage;
    }
  }
  std::vector<accounts::Site> sites;
  if (!LoadSites(args, &sites)) return kExitUsage;
  int stopped_by = 0;
  accounts::AccountsReport report = Check(args, sites, &stopped_by);
  if (!args.output.quiet) {
    std::string text = accounts::RenderAccountsText(
        report, args.check_sites ? accounts::TextKind::kStaleRules : accounts::TextKind::kAccounts);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  }
  // With --scan (and not stopped) the files are the scan's report.
  const bool scan = args.scan && stopped_by == 0;
  int code = scan ? kExitOk : WriteAccountOutputs(report, args.output);
  // A check that could tell nothing (every site unreachable, walled or
  // rate-limited) is no all-clear: it is an error, and it stays out of the
  // history, where the next check would compare against it.
  const bool told_nothing =
      !report.results.empty() && report.Count(accounts::Status::kUnknown) == report.results.size();
  if (told_nothing && stopped_by == 0 && !args.check_sites) {
    PrintError(Tr("no site could be checked (each is listed with its cause); nothing recorded"));
    return code != kExitOk ? code : kExitRuntime;
  }
  // An interrupted check would look like profiles had vanished; a
  // --check-sites run is about the list, not the person.
  if (stopped_by == 0 && !args.check_sites && !args.no_history) {
    if (int recorded = RecordAccounts(report, args); code == kExitOk) code = recorded;
  }
  if (stopped_by != 0) return code != kExitOk ? code : InterruptScope::ExitCode(stopped_by);
  if (code != kExitOk) return code;
  if (scan) return ScanFound(report, args);
  if (args.check_sites && report.Count(accounts::Status::kFound) != report.results.size())
    return kExitRuntime;
  return kExitOk;
}

}  // namespace

void AddAccountsCommand(CLI::App& app, Runner* run) {
  auto args = std::make_shared<AccountsArgs>();
  args->crawl.concurrency = 32;
  CLI::App* cmd = app.add_subcommand(
      "accounts",
      Tr("Find the profiles you left behind: which sites have an account under your own usernames"));
  cmd->add_option("USERNAME", args->usernames,
                  Tr("Your own usernames (this is for checking yourself, not other people)"));
  cmd->add_option("--sites", args->site_files,
                  Tr("Site list in the WhatsMyName format (e.g. its wmn-data.json); added to the "
                     "bundled list, replacing sites of the same name. May be repeated"))
      ->option_text(Tr("FILE"));
  cmd->add_flag("--only-sites", args->only_sites,
                Tr("Check only the sites of --sites files, not the bundled list"));
  cmd->add_flag("--check-sites", args->check_sites,
                Tr("Check each site with its own known usernames and list the rules that no longer "
                   "detect (exit 1 if any)"));
  cmd->add_option("--json", args->output.json_path, Tr("Write the JSON report (schema version 1) to FILE"))
      ->option_text(Tr("FILE"));
  cmd->add_option("--html", args->output.html_path, Tr("Write the self-contained HTML report to FILE"))
      ->option_text(Tr("FILE"));
  cmd->add_flag("-q,--quiet", args->output.quiet, Tr("Print no summary on stdout"));
  AddPolitenessOptions(cmd, &args->crawl, &args->delay_ms, &args->ignore_robots);
  cmd->add_option("--timeout-ms", args->timeout_ms, Tr("Give up on a site that has not answered within MS"))
      ->capture_default_str()
      ->check(CLI::Range(100, 600000))
      ->option_text("MS");
  cmd->add_flag("--scan", args->scan,
                Tr("Then scan the profiles found, as 'telescreen scan' would (one exposure report: "
                   "--json and --html then hold it)"));
  cmd->add_option("--db", args->db,
                  Tr("History database where the found accounts are recorded (default: "
                     "$XDG_DATA_HOME/telescreen/history.db)"))
      ->option_text(Tr("FILE"));
  cmd->add_flag("--no-history", args->no_history, Tr("Record nothing in the history and show no changes"));
  cmd->callback([args, run] { *run = [args] { return RunAccounts(*args); }; });
}

}  // namespace telescreen::cli
