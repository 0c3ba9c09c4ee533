// The findings of a scan reduced to numbers, so that "this scan without what
// these fixes remove" can be scored thousands of times (fixes.cc). Internal
// to the scorer.
//
// Doing a fix removes the items its findings were made from, as its text
// says (docs/scoring.md, "Fixes"). Most findings stand alone: their points go
// when their items go. Three kinds add up items that other findings also
// count, and are recomputed: network.overlap (contacts on 2+ lists),
// past.points (dated places) and plans.routine.* (a place on a weekday,
// 3+ times). A removed event takes its place with it; hiding contact lists on
// "all but one site" keeps the list with the most points.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/shared_string.h"
#include "core/time.h"
#include "model/scan_result.h"
#include "score/score.h"

namespace telescreen::score {

// FNV-1a of `key`, 48 bits in hex: the short stable ids of findings and fixes.
std::string StableId(std::string_view key);

// How much more an item seen on `sites` sites counts (docs/scoring.md).
double SiteFactor(std::size_t sites);

struct RescoreModel {
  struct Finding {
    core::SharedString id;  // shares the finding's buffer
    int category = 0;       // index into categories
    double points = 0;
  };
  std::vector<Finding> findings;  // sorted by id: the order ScoreScan sums them in
  std::vector<std::string> categories;

  // network.overlap: each name on 2+ contact lists, in name order, and the
  // lists it is on (index of their network.site finding, the name's
  // visibility there, whether the list counts as a site).
  struct OnList {
    int list = -1;
    double visibility = 0;
    bool site = true;
  };
  std::vector<std::vector<OnList>> names;
  int overlap = -1;  // index of network.overlap; -1 if there is none
  double overlap_sensitivity = 0;

  // Events, merged as their findings merge them, with the place each puts
  // the person at (-1: no venue or no day).
  struct Group {
    int finding = -1;  // its plans.event / past.event finding
    int place = -1;
    bool plan = false;
    double visibility = 0;
  };
  std::vector<Group> groups;
  std::vector<int> place_routine;  // per place: its plans.routine finding, -1 if none
  int past_points = -1;            // index of past.points; -1 if there is none
  double past_points_sensitivity = 0;
  double routine_sensitivity = 0;

  // The index of the finding with this id, -1 if none.
  int Find(std::string_view id) const;
};

// As BuildFindings, and fills *model from the same pass.
std::vector<model::Finding> BuildFindingsForRescore(const model::ScanResult& result, core::TimePoint now,
                                                    RescoreModel* model,
                                                    const FixTexts* translations = nullptr);

// The fixes of `result`'s findings (findings that share a fix_key, or a
// remediation when they have none, are one fix) in the order to do them: each pick is the one that lowers the
// total most, given the fixes above it (docs/scoring.md, "Fixes"). From
// the models of its findings and, when some evidence is members-only, of its
// public-only findings (else nullptr).
std::vector<model::Fix> PlanFixes(const model::ScanResult& result, const RescoreModel& all,
                                  const RescoreModel* pub);

// The total from raw category sums, as ScoreScan combines them: `all` from
// every piece of evidence, `pub` from public evidence only.
int CombineTotal(std::map<std::string, double> all, std::map<std::string, double> pub);

}  // namespace telescreen::score
