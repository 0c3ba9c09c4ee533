// telescreen history [--db FILE] [--json]
// telescreen diff [--db FILE] [SCAN_A [SCAN_B]] [--json]
//
// Both only read the history. Exit codes: 0 success, 1 runtime
// error (damaged or locked database), 2 usage error (no history at that
// path, no such scan id).
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "accounts/accounts.h"
#include "accounts/accounts_report.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "core/i18n.h"
#include "report/escape.h"
#include "store/account_checks.h"
#include "store/diff.h"
#include "store/history_store.h"
#include "store/scan_codec.h"

namespace telescreen::cli {
namespace {

using core::Fill;
using core::Tr;

struct HistoryArgs {
  std::string db;
  bool json = false;
};

struct DiffArgs {
  std::string db;
  std::int64_t scan_a = 0;  // 0 = not given
  std::int64_t scan_b = 0;
  bool json = false;
  bool accounts = false;  // --accounts: the last two account checks instead
};

int ExitCodeFor(const core::Error& error) {
  bool usage = error.code == core::ErrorCode::kNotFound || error.code == core::ErrorCode::kInvalidArgument;
  return usage ? kExitUsage : kExitRuntime;
}

int Fail(const core::Error& error) {
  PrintError(error.message);
  return ExitCodeFor(error);
}

core::Result<store::HistoryStore> OpenHistory(const std::string& flag) {
  auto path = store::HistoryPath(flag);
  if (!path.ok()) return path.error();
  return store::HistoryStore::Open(path.value(), store::Access::kRead);
}

void Print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

// Page text is hostile: no escape sequences reach the terminal.
std::string Clean(std::string_view text) { return report::CleanText(text); }

std::string TargetsLine(const std::vector<std::string>& targets) {
  if (targets.empty()) return Tr("(no targets)");
  std::string out = Clean(targets[0]);
  if (targets.size() > 1) out += " " + Fill(Tr("(+{1} more)"), {std::to_string(targets.size() - 1)});
  return out;
}

using report::PadToWidth;

std::string RenderHistoryText(const std::vector<store::ScanSummary>& scans, const std::string& path) {
  if (scans.empty()) return Fill(Tr("No scans recorded in {1}."), {Clean(path)}) + "\n";
  // The headings are translated, so each column is as wide as its heading needs.
  std::string out = PadToWidth(Tr("ID"), 6) + PadToWidth(Tr("TIME"), 22) + PadToWidth(Tr("SCORE"), 15) +
                    PadToWidth(Tr("CONTACTS"), 10) + PadToWidth(Tr("PLANS"), 7) + Tr("TARGETS") + "\n";
  for (const auto& s : scans) {
    out += PadToWidth(std::to_string(s.id), 6) + PadToWidth(Clean(s.now), 22) +
           PadToWidth(std::to_string(s.score) + " " + Clean(s.level), 15) +
           PadToWidth(std::to_string(s.contacts), 10) + PadToWidth(std::to_string(s.plans), 7) +
           TargetsLine(s.targets) + "\n";
  }
  return out;
}

int RunHistory(const HistoryArgs& args) {
  auto store = OpenHistory(args.db);
  if (!store.ok()) return Fail(store.error());
  auto scans = store.value().ListScans();
  if (!scans.ok()) return Fail(scans.error());
  Print(args.json ? store::EncodeSummariesJson(scans.value()) + "\n"
                  : RenderHistoryText(scans.value(), store.value().path()));
  return kExitOk;
}

std::string ContactLine(char sign, const model::Contact& c) {
  std::string line = std::string("  ") + sign + " " + Clean(c.name);
  if (!c.url.empty()) line += "  " + Clean(c.url);
  if (!c.relation.empty()) line += "  (" + Clean(c.relation) + ")";
  return line + "\n";
}

std::string InteractionLine(char sign, const model::Interaction& i) {
  std::string line = std::string("  ") + sign + " " + Clean(i.name);
  if (!i.url.empty()) line += "  " + Clean(i.url);
  return line + "  (" + core::TrText(model::InteractionKindName(i.kind)) + ")\n";
}

std::string EventLine(char sign, const model::Event& e) {
  std::string line = std::string("  ") + sign + " " +
                     (e.start.empty() ? Tr("(no date)") : Clean(e.start.view())) + "  " + Clean(e.name);
  if (!e.location.empty()) line += "  @ " + Clean(e.location);
  return line + "\n";
}

template <typename T, typename F>
std::string Section(const std::string& title, const std::vector<T>& items, char sign, F line) {
  if (items.empty()) return "";
  std::string out = title + " (" + std::to_string(items.size()) + "):\n";
  for (const auto& item : items) out += line(sign, item);
  return out;
}

std::string RenderDiffText(const store::ScanSummary& from, const store::ScanSummary& to,
                           const model::Changes& c) {
  std::string out = Fill(Tr("Changes from scan {1} ({2}) to scan {3} ({4})"),
                         {std::to_string(from.id), Clean(from.now), std::to_string(to.id), Clean(to.now)}) +
                    "\n";
  out += Fill(Tr("Targets: {1}"), {TargetsLine(to.targets)}) + "\n";
  int change = to.score - from.score;
  out += Fill(Tr("Score: {1} -> {2} ({3})"), {std::to_string(from.score), std::to_string(to.score),
                                              (change > 0 ? "+" : "") + std::to_string(change)}) +
         "\n";
  std::string body =
      Section(Tr("New contacts"), c.new_contacts, '+', ContactLine) +
      Section(Tr("Removed contacts"), c.removed_contacts, '-', ContactLine) +
      Section(Tr("New interactions (weak ties)"), c.new_interactions, '+', InteractionLine) +
      Section(Tr("Removed interactions"), c.removed_interactions, '-', InteractionLine) +
      Section(Tr("New plans (where you will be)"), c.new_plans, '+', EventLine) +
      Section(Tr("Removed plans"), c.removed_plans, '-', EventLine) +
      Section(Tr("New events"), c.new_events, '+', EventLine) +
      Section(Tr("Removed events"), c.removed_events, '-', EventLine) +
      Section(Tr("Newly public"), c.newly_public, '+', [](char sign, const model::IdentityFact& f) {
        return std::string("  ") + sign + " " + Clean(core::TrText(f.kind)) + ": " + Clean(f.value) + "\n";
      });
  return out + (body.empty() ? Tr("No new or removed contacts, events or public facts.") + "\n" : body);
}

core::Result<store::ScanSummary> Summary(store::HistoryStore& store, std::int64_t id) {
  auto summary = store.GetSummary(id);
  if (!summary.ok()) return summary.error();
  if (!summary.value()) {
    return core::MakeError(core::ErrorCode::kNotFound, Fill(Tr("{1}: no scan {2} (see `telescreen history`)"),
                                                            {store.path(), std::to_string(id)}));
  }
  return *summary.value();
}

// Which two scans to compare: the given ids; one id and the scan of the same
// targets before it; or, with no id, the newest scan that has such a
// predecessor (the last two scans of the same targets).
core::Result<std::pair<std::int64_t, std::int64_t>> PickScans(store::HistoryStore& store,
                                                              const std::vector<std::int64_t>& ids) {
  if (ids.size() == 2) return std::make_pair(ids[0], ids[1]);
  std::vector<std::int64_t> candidates;
  if (ids.size() == 1) {
    auto summary = Summary(store, ids[0]);
    if (!summary.ok()) return summary.error();
    candidates.push_back(ids[0]);
  } else {
    auto scans = store.ListScans();
    if (!scans.ok()) return scans.error();
    for (auto it = scans.value().rbegin(); it != scans.value().rend(); ++it) {
      candidates.push_back(it->id);
    }
  }
  for (std::int64_t to : candidates) {
    auto summary = Summary(store, to);
    if (!summary.ok()) return summary.error();
    auto previous = store.PreviousScan(summary.value().target_key, to);
    if (!previous.ok()) return previous.error();
    if (previous.value()) return std::make_pair(*previous.value(), to);
  }
  std::string what = ids.empty() ? Tr("no targets have been scanned twice yet: nothing to compare")
                                 : Fill(Tr("scan {1} is the first of its targets: nothing to compare"),
                                        {std::to_string(ids[0])});
  return core::MakeError(core::ErrorCode::kIo, what);
}

// diff --accounts: the newest account check against the one before it of
// the same usernames.
int RunAccountsDiff(store::HistoryStore& h, bool json) {
  auto latest = store::LatestAccountCheck(h);
  if (!latest.ok()) return Fail(latest.error());
  if (!latest.value())
    return Fail(
        core::MakeError(core::ErrorCode::kNotFound, Fill(Tr("no account checks in {1}"), {h.path()})));
  auto previous = store::PreviousAccountCheck(h, latest.value()->key, latest.value()->id);
  if (!previous.ok()) return Fail(previous.error());
  if (!previous.value()) {
    return Fail(core::MakeError(
        core::ErrorCode::kNotFound,
        Fill(Tr("only one account check of these usernames in {1}: nothing to compare"), {h.path()})));
  }
  auto after = accounts::ParseAccountsJson(latest.value()->report);
  if (!after.ok()) return Fail(after.error());
  auto before = accounts::ParseAccountsJson(previous.value()->report);
  if (!before.ok()) return Fail(before.error());
  accounts::AccountChanges changes = accounts::DiffAccounts(before.value(), after.value());
  Print(json ? accounts::RenderChangesJson(changes) : accounts::RenderChangesText(changes));
  return kExitOk;
}

int RunDiff(const DiffArgs& args) {
  auto store = OpenHistory(args.db);
  if (!store.ok()) return Fail(store.error());
  store::HistoryStore& h = store.value();
  if (args.accounts) return RunAccountsDiff(h, args.json);
  std::vector<std::int64_t> ids;
  for (std::int64_t id : {args.scan_a, args.scan_b}) {
    if (id > 0) ids.push_back(id);
  }
  auto pick = PickScans(h, ids);
  if (!pick.ok()) return Fail(pick.error());
  auto [from_id, to_id] = pick.value();
  auto from = Summary(h, from_id);
  if (!from.ok()) return Fail(from.error());
  auto to = Summary(h, to_id);
  if (!to.ok()) return Fail(to.error());
  auto before = h.LoadScan(from_id, store::ScanParts::kForDiff);
  if (!before.ok()) return Fail(before.error());
  auto after = h.LoadScan(to_id, store::ScanParts::kForDiff);
  if (!after.ok()) return Fail(after.error());
  if (from.value().target_key != to.value().target_key) {
    PrintError(Fill(Tr("warning: scans {1} and {2} are of different targets"),
                    {std::to_string(from_id), std::to_string(to_id)}));
  }
  model::Changes changes = store::Diff(before.value(), after.value(), from_id);
  Print(args.json ? store::EncodeChangesJson(changes, to.value().score) + "\n"
                  : RenderDiffText(from.value(), to.value(), changes));
  return kExitOk;
}

// Scan ids are positive; CLI11's own range check prints a 300-digit bound.
const CLI::Validator kScanId(
    [](std::string& text) {
      return text.empty() || text[0] == '-' || text == "0"
                 ? Fill(Tr("scan ids start at 1, got '{1}'"), {text})
                 : std::string();
    },
    "", "scan id");

}  // namespace

void AddHistoryCommand(CLI::App& app, Runner* run) {
  auto args = std::make_shared<HistoryArgs>();
  CLI::App* cmd = app.add_subcommand("history", Tr("List the scans recorded in the history"));
  cmd->add_option("--db", args->db, Tr("History database (default: $XDG_DATA_HOME/telescreen/history.db)"))
      ->option_text(Tr("FILE"));
  cmd->add_flag("--json", args->json, Tr("Print the list as JSON"));
  cmd->callback([args, run] { *run = [args] { return RunHistory(*args); }; });
}

void AddDiffCommand(CLI::App& app, Runner* run) {
  auto args = std::make_shared<DiffArgs>();
  CLI::App* cmd = app.add_subcommand(
      "diff", Tr("Show what changed between two recorded scans (default: the last two scans of "
                 "the same targets)"));
  cmd->add_option("SCAN_A", args->scan_a,
                  Tr("A scan id from `telescreen history`; alone: compare it with the scan of the "
                     "same targets before it"))
      ->type_name("ID")
      ->check(kScanId);
  cmd->add_option("SCAN_B", args->scan_b, Tr("Compare SCAN_A (older) with this scan (newer)"))
      ->type_name("ID")
      ->check(kScanId);
  cmd->add_option("--db", args->db, Tr("History database (default: $XDG_DATA_HOME/telescreen/history.db)"))
      ->option_text(Tr("FILE"));
  cmd->add_flag("--json", args->json, Tr("Print the changes as JSON (the report's \"changes\" shape)"));
  cmd->add_flag("--accounts", args->accounts,
                Tr("Show the accounts that appeared or disappeared between the last two "
                   "'telescreen accounts' checks of the same usernames"));
  cmd->callback([args, run] { *run = [args] { return RunDiff(*args); }; });
}

}  // namespace telescreen::cli
