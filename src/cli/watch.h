// Watching over time: the scan command's history, alert and
// --config options, and the step that records a finished scan, attaches its
// changes and decides whether something needs action.
//
// In the scan command:
//
//   AddWatchOptions(cmd, &args->watch);                // registration
//   ...
//   if (auto s = ApplyConfig(*cmd, settings); !s.ok()) // first thing in Run
//   ...
//   int code = 0;
//   WatchOutcome w = RecordAndCheck(&result, args.watch, bodies, [&](const WatchOutcome& o) {
//     output.quiet = output.quiet && !o.alerts.tripped();
//     code = WriteOutputs(result, output);  // while the history's rows are written
//   });
//   PrintAlerts(w);
//   return w.exit_code != kExitOk ? w.exit_code : code;
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/config.h"
#include "cli/output.h"
#include "core/result.h"
#include "fetch/crawler.h"
#include "model/scan_result.h"
#include "store/diff.h"
#include "store/history_store.h"

namespace CLI {
class App;
}

namespace telescreen::cli {

struct WatchOptions {
  std::string config_path;    // --config FILE; empty = none
  std::string db_path;        // --db FILE; empty = store::DefaultHistoryPath()
  bool no_history = false;    // --no-history: record nothing, show no changes
  int keep = 0;               // --keep N: newest N scans of these targets; 0 = all
  bool store_bodies = false;  // --store-bodies: keep page bodies in the history
  int fail_above = -1;        // --fail-above SCORE (0..100); -1 = off
  bool fail_on_new = false;   // --fail-on-new
};

// Registers --config, --db, --no-history, --keep, --store-bodies,
// --fail-above and --fail-on-new on `cmd`. `options` must outlive `cmd`.
void AddWatchOptions(CLI::App* cmd, WatchOptions* options);

// Where a config file's values go: the scan command's own argument fields.
// Null pointers are skipped. The pointees must outlive the call.
struct ScanSettings {
  std::vector<std::string>* urls = nullptr;
  fetch::CrawlOptions* crawl = nullptr;
  int* delay_ms = nullptr;
  std::string* cookies_file = nullptr;
  OutputOptions* output = nullptr;
  WatchOptions* watch = nullptr;
};

// When settings.watch->config_path is set, loads it and fills every value
// the command line did not give (`cmd` says which were given: flags win).
// Errors name the file, line and key (kInvalidArgument, kNotFound).
core::Status ApplyConfig(const CLI::App& cmd, const ScanSettings& settings);

struct WatchOutcome {
  int exit_code = 0;                  // kExitOk, kExitRuntime (history failed) or kExitAlert
  store::Alerts alerts;               // reasons to act, if any
  std::int64_t scan_id = 0;           // id in the history; 0 when not recorded
  std::vector<std::string> messages;  // errors and warnings, printed already
};

// The history's first half (open and check the file, read the scan before
// and diff against it) on a thread of its own, while the scan is scored:
//
//   EarlyRecord early;
//   options.alongside_scoring = [&](const model::ScanResult& r) {
//     early.Start(r, watch, bodies);
//     return [&early] { early.Wait(); };
//   };
//   model::ScanResult result = scanner.Crawl(...);
//   RecordAndCheck(&result, watch, bodies, write_reports, &early);
//
// Until Wait returns, the result and `bodies` must stay alive, and nothing
// but its findings, score and fixes may change. Not started (no history),
// RecordAndCheck does the first half itself.
class EarlyRecord {
 public:
  EarlyRecord() = default;
  EarlyRecord(const EarlyRecord&) = delete;
  EarlyRecord& operator=(const EarlyRecord&) = delete;
  ~EarlyRecord();

  void Start(const model::ScanResult& result, const WatchOptions& options,
             const std::vector<store::PageBody>& bodies);
  void Wait();

 private:
  friend WatchOutcome RecordAndCheck(model::ScanResult*, const WatchOptions&,
                                     const std::vector<store::PageBody>&,
                                     const std::function<void(const WatchOutcome&)>&, EarlyRecord*);
  std::thread thread_;
  bool started_ = false;
  std::string path_error_;  // no history path could be found
  std::optional<core::Result<store::PendingRecord>> begun_;
};

// Records `result` in the history (unless options.no_history), sets
// result->changes from the previous scan of the same targets, applies
// --keep, and checks --fail-above / --fail-on-new. Prints history errors and
// warnings to stderr. A history failure does not stop the reports: the
// caller writes them and then returns exit_code.
//
// `meanwhile`, when given, is called once the changes and alerts are known
// (with the outcome so far: alerts, exit code of the first half), and runs
// while the history's rows are written and committed on a second thread;
// it must only read `*result`. It is called also when nothing is recorded.
// An error in that second half is printed after it returns.
//
// `early`, when given and started, holds the first half already done (for
// this result, before it moved).
WatchOutcome RecordAndCheck(model::ScanResult* result, const WatchOptions& options,
                            const std::vector<store::PageBody>& bodies = {},
                            const std::function<void(const WatchOutcome&)>& meanwhile = {},
                            EarlyRecord* early = nullptr);

// Prints the alert reasons (and, when there are changes, a one-line count)
// on stdout: with --quiet this is the only thing printed, so cron mails it.
void PrintAlerts(const WatchOutcome& outcome);

}  // namespace telescreen::cli
