#include "cli/watch.h"

#include <cstdio>
#include <future>
#include <optional>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "core/i18n.h"

namespace telescreen::cli {
namespace {

// True iff the user gave `name` on the command line (a CLI11 option name).
bool Given(const CLI::App& cmd, const std::string& name) {
  try {
    return cmd.count(name) > 0;
  } catch (const CLI::OptionNotFound&) {
    return false;  // the command has no such option: the config decides
  }
}

template <typename T, typename U>
void Fill(const CLI::App& cmd, const std::string& flag, const std::optional<U>& value, T* out) {
  if (out != nullptr && value && !Given(cmd, flag)) *out = static_cast<T>(*value);
}

}  // namespace

void AddWatchOptions(CLI::App* cmd, WatchOptions* o) {
  cmd->add_option("--config", o->config_path,
                  core::Tr("Read targets, limits, outputs, history and alert rules from a TOML file "
                           "(docs/cron.md); command-line options win"))
      ->option_text(core::Tr("FILE"));
  cmd->add_option("--db", o->db_path,
                  core::Tr("History database (default: $XDG_DATA_HOME/telescreen/history.db)"))
      ->option_text(core::Tr("FILE"));
  cmd->add_flag("--no-history", o->no_history, core::Tr("Record nothing in the history and show no changes"));
  cmd->add_option("--keep", o->keep,
                  core::Tr("Keep only the newest N scans of these targets in the history (0 = all)"))
      ->check(CLI::Range(0, 1000000))
      ->option_text("N");
  cmd->add_flag("--store-bodies", o->store_bodies,
                core::Tr("Also keep the fetched page bodies in the history (default: hashes only)"));
  cmd->add_option("--fail-above", o->fail_above,
                  core::Tr("Exit with 3 when the exposure score is above SCORE (0..100)"))
      ->check(CLI::Range(0, 100))
      ->option_text(core::Tr("SCORE"));
  cmd->add_flag("--fail-on-new", o->fail_on_new,
                core::Tr("Exit with 3 when contacts or plans are visible that the previous scan of the "
                         "same targets did not show"));
}

core::Status ApplyConfig(const CLI::App& cmd, const ScanSettings& s) {
  if (s.watch == nullptr || s.watch->config_path.empty()) return {};
  auto loaded = LoadConfig(s.watch->config_path);
  if (!loaded.ok()) return loaded.error();
  const ScanConfig& c = loaded.value();
  if (s.urls != nullptr && s.urls->empty()) *s.urls = c.targets;
  if (s.crawl != nullptr) {
    Fill(cmd, "--depth", c.depth, &s.crawl->max_depth);
    Fill(cmd, "--max-pages", c.max_pages, &s.crawl->max_pages);
    Fill(cmd, "--concurrency", c.concurrency, &s.crawl->concurrency);
    Fill(cmd, "--per-host", c.per_host, &s.crawl->per_host);
  }
  Fill(cmd, "--delay-ms", c.delay_ms, s.delay_ms);
  Fill(cmd, "--cookies", c.cookies, s.cookies_file);
  if (s.output != nullptr) {
    Fill(cmd, "--json", c.json_path, &s.output->json_path);
    Fill(cmd, "--html", c.html_path, &s.output->html_path);
    Fill(cmd, "--quiet", c.quiet, &s.output->quiet);
  }
  WatchOptions* w = s.watch;
  Fill(cmd, "--db", c.db_path, &w->db_path);
  Fill(cmd, "--keep", c.keep, &w->keep);
  Fill(cmd, "--store-bodies", c.store_bodies, &w->store_bodies);
  Fill(cmd, "--fail-above", c.fail_above, &w->fail_above);
  Fill(cmd, "--fail-on-new", c.fail_on_new, &w->fail_on_new);
  return {};
}

namespace {

// --db, else the default history file; "" with `error` set when there is none.
std::string HistoryPathOf(const WatchOptions& options, std::string* error) {
  auto path = store::HistoryPath(options.db_path);
  if (path.ok()) return path.value();
  *error = path.error().message;
  return "";
}

core::Result<store::PendingRecord> Begin(const std::string& path, const model::ScanResult& result,
                                         const WatchOptions& options,
                                         const std::vector<store::PageBody>& bodies) {
  store::RecordOptions record;
  record.keep = options.keep;
  record.bodies = options.store_bodies ? store::BodyPolicy::kStore : store::BodyPolicy::kDrop;
  return store::BeginRecord(path, result, record, bodies);
}

}  // namespace

EarlyRecord::~EarlyRecord() { Wait(); }

void EarlyRecord::Start(const model::ScanResult& result, const WatchOptions& options,
                        const std::vector<store::PageBody>& bodies) {
  if (started_ || options.no_history) return;
  started_ = true;
  std::string path = HistoryPathOf(options, &path_error_);
  if (path.empty()) return;
  thread_ = std::thread(
      [this, path, &result, &options, &bodies] { begun_.emplace(Begin(path, result, options, bodies)); });
}

void EarlyRecord::Wait() {
  if (thread_.joinable()) thread_.join();
}

WatchOutcome RecordAndCheck(model::ScanResult* result, const WatchOptions& options,
                            const std::vector<store::PageBody>& bodies,
                            const std::function<void(const WatchOutcome&)>& meanwhile, EarlyRecord* early) {
  WatchOutcome outcome;
  std::optional<store::PendingRecord> pending;
  if (!options.no_history) {
    std::string error;
    std::string path;
    std::optional<core::Result<store::PendingRecord>> begun;
    if (early && early->started_) {
      early->Wait();
      error = early->path_error_;
      begun = std::move(early->begun_);
      early->begun_.reset();
    } else {
      path = HistoryPathOf(options, &error);
      if (!path.empty()) begun.emplace(Begin(path, *result, options, bodies));
    }
    if (!error.empty()) outcome.messages.push_back(error);
    if (begun) {
      if (begun->ok()) {
        begun->value().Rebind(*result);
        pending.emplace(std::move(*begun).value());
        result->changes = pending->outcome().changes;
        for (const auto& w : pending->outcome().warnings)
          outcome.messages.push_back(core::Fill(core::Tr("warning: {1}"), {w}));
      } else {
        outcome.messages.push_back(
            core::Fill(core::Tr("history not recorded: {1}"), {begun->error().message}));
        outcome.exit_code = kExitRuntime;
      }
    }
  }
  for (const auto& m : outcome.messages) PrintError(m);
  store::AlertRules rules;
  if (options.fail_above >= 0) rules.fail_above = options.fail_above;
  rules.fail_on_new = options.fail_on_new;
  outcome.alerts = store::CheckAlerts(*result, rules);
  if (outcome.alerts.tripped()) outcome.exit_code = kExitAlert;
  if (!pending) {
    if (meanwhile) meanwhile(outcome);
    return outcome;
  }
  // The rows are written on a second thread while `meanwhile` (the
  // reports) runs on this one: both only read `result`.
  auto recorded = std::async(std::launch::async, [&pending] { return pending->Finish(); });
  if (meanwhile) meanwhile(outcome);
  auto done = recorded.get();
  if (done.ok()) {
    outcome.scan_id = done.value().scan_id;
  } else {
    outcome.messages.push_back(core::Fill(core::Tr("history not recorded: {1}"), {done.error().message}));
    PrintError(outcome.messages.back());
    if (!outcome.alerts.tripped()) outcome.exit_code = kExitRuntime;
  }
  return outcome;
}

void PrintAlerts(const WatchOutcome& outcome) {
  for (const auto& reason : outcome.alerts.reasons) {
    std::printf("%s\n", core::Fill(core::Tr("ALERT: {1}"), {reason}).c_str());
  }
  std::fflush(stdout);
}

}  // namespace telescreen::cli
