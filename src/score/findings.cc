// Turns a merged scan into findings: one scored observation per thing a
// watcher learns, each with its evidence and a fix (docs/scoring.md). Each
// subject has its own file (network_findings.cc, event_findings.cc,
// identity_findings.cc, linkage_findings.cc); they share the collector of
// finding_set.h.

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "score/finding_set.h"
#include "score/rescore.h"
#include "score/score.h"

namespace telescreen::score {

using model::Finding;

int RescoreModel::Find(std::string_view id) const {
  auto it = std::lower_bound(findings.begin(), findings.end(), id,
                             [](const Finding& f, std::string_view key) { return f.id.view() < key; });
  return it != findings.end() && it->id.view() == id ? static_cast<int>(it - findings.begin()) : -1;
}

namespace {

// The findings made, and what they were made from, as RescoreModel numbers.
RescoreModel ToModel(const std::vector<Finding>& findings, RescoreRecord&& rec) {
  RescoreModel m;
  for (const Finding& f : findings) {
    auto at = std::find(m.categories.begin(), m.categories.end(), f.category.view());
    if (at == m.categories.end()) at = m.categories.insert(at, f.category.str());
    m.findings.push_back({f.id, static_cast<int>(at - m.categories.begin()), f.points});
  }
  std::sort(m.findings.begin(), m.findings.end(),
            [](const RescoreModel::Finding& a, const RescoreModel::Finding& b) {
              return a.id.view() < b.id.view();
            });
  m.overlap = m.Find("network.overlap");
  m.overlap_sensitivity = rec.overlap_sensitivity;
  for (auto& [name, lists] : rec.names) {
    std::vector<RescoreModel::OnList> on;
    std::size_t sites = 0;
    for (const auto& [id, seen] : lists) {
      on.push_back({m.Find(id), seen.first, seen.second});
      sites += seen.second ? 1 : 0;
    }
    if (sites >= 2) m.names.push_back(std::move(on));  // fewer never overlap, with less removed either
  }
  rec.names.clear();
  for (const auto& routine : rec.routines) m.place_routine.push_back(m.Find(routine));
  m.groups.reserve(rec.groups.size());
  for (const auto& g : rec.groups) {
    m.groups.push_back(
        {m.Find((g.plan ? "plans.event." : "past.event.") + g.id), g.place, g.plan, g.visibility});
  }
  m.past_points = m.Find("past.points");
  m.past_points_sensitivity = rec.past_points_sensitivity;
  m.routine_sensitivity = rec.routine_sensitivity;
  return m;
}

}  // namespace

std::vector<Finding> BuildFindingsForRescore(const model::ScanResult& result, core::TimePoint now,
                                             RescoreModel* model, const FixTexts* translations) {
  RescoreRecord rec;
  FindingSet set(&rec, translations);
  AddLinkage(result, &set);
  AddFacts(result, &set);
  AddNetwork(result, &set);
  AddEvents(result, now, &set);
  std::vector<Finding> findings = std::move(set).Finish();
  *model = ToModel(findings, std::move(rec));
  return findings;
}

std::vector<Finding> BuildFindings(const model::ScanResult& result, core::TimePoint now,
                                   const FixTexts* translations) {
  FindingSet set(nullptr, translations);
  // Findings of different steps never share an id, so the order only
  // decides which temporaries coexist: the steps with the largest ones
  // (thousands of profiles, names) run while few findings exist yet.
  AddLinkage(result, &set);
  AddFacts(result, &set);
  AddNetwork(result, &set);
  AddEvents(result, now, &set);
  return std::move(set).Finish();
}

}  // namespace telescreen::score
