// Diff between two scans of the same person, and the alert rules that turn
// a scan (and its changes) into "something needs action". Pure functions.
//
//   model::Changes c = Diff(previous, current, previous_scan_id);
//   current.changes = c;
//   AlertRules rules;
//   rules.fail_above = 60;
//   Alerts a = CheckAlerts(current, rules);
//   if (a.tripped()) return kExitAlert;
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/scan_result.h"

namespace telescreen::store {

// The identity of a contact across scans: its normalised URL (without a
// trailing slash unless the path is "/") when it has a parseable http(s)
// one, else its name lower-cased with whitespace
// collapsed. Prefixed ("url:" / "name:") so the two never collide.
std::string ContactKey(const model::Contact& contact);

// An interaction across scans: its kind and the person, keyed as a contact.
std::string InteractionKey(const model::Interaction& interaction);

// The identity of an event across scans: lower-cased, whitespace-collapsed
// name and the start as authored (trimmed).
std::string EventKey(const model::Event& event);

// The canonical key of a set of scan targets: each target normalised (as a
// URL where it parses, else as given), sorted, de-duplicated, joined by
// "\n". Two scans are "of the same targets" iff their keys are equal.
std::string TargetKey(const std::vector<std::string>& targets);

// What changed from `before` to `after`. Items keep the order in which
// `after` (new items) or `before` (removed items) lists them. An event whose
// key exists in both is not reported, even if its tense moved from future
// to past. Only what both scans saw is compared: an item counts as new only
// when some of its evidence is on a site the earlier scan saw fully
// (coverage "full"), and as removed only when this scan saw its site fully.
// `after.changes` and `before.changes` are ignored.
model::Changes Diff(const model::ScanResult& before, const model::ScanResult& after,
                    std::int64_t before_scan_id);

// Diff() with the earlier scan handed over one item at a time, as a stored
// scan is read, so that it never has to be held whole: only `after`'s keys
// (a hash and a position per item) and the removed items are kept. Adding
// every contact, event and identity fact of `before` (in any order within
// a kind; removed items keep the order they were added in) and then
// calling Finish gives exactly Diff(before, after, id).
//
//   DiffBuilder diff(current);
//   for (const auto& c : earlier_contacts) diff.AddBefore(c);  // events, facts alike
//   model::Changes changes = diff.Finish(earlier_rest, earlier_id);
class DiffBuilder {
 public:
  // Indexes `after`, which must outlive this object and not change.
  explicit DiffBuilder(const model::ScanResult& after);
  ~DiffBuilder();
  DiffBuilder(const DiffBuilder&) = delete;
  DiffBuilder& operator=(const DiffBuilder&) = delete;

  void AddBefore(const model::Contact& contact);
  void AddBefore(const model::Event& event);
  void AddBefore(const model::IdentityFact& fact);  // identity.facts, not names or profiles
  // Reads `before`'s now, score, coverage, interactions and identity names
  // and profiles; its contacts, events and identity facts are not read (add
  // them instead). Call once, last.
  model::Changes Finish(const model::ScanResult& before, std::int64_t before_scan_id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True iff the changes show something newly visible that a watcher could
// act on: a new contact or a new plan (what --fail-on-new alerts on).
bool HasNewExposure(const model::Changes& changes);

struct AlertRules {
  std::optional<int> fail_above;  // alert when score.total > this (0..100); unset = never
  bool fail_on_new = false;       // alert when HasNewExposure(*changes)
};

struct Alerts {
  std::vector<std::string> reasons;  // one line each: "score 72 is above 60", ...
  bool tripped() const { return !reasons.empty(); }
};

// Applies `rules` to a finished scan; uses `result.changes` when set (a
// first scan has no changes and so never trips fail_on_new).
Alerts CheckAlerts(const model::ScanResult& result, const AlertRules& rules);

}  // namespace telescreen::store
