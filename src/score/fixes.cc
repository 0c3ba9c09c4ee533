// What each fix is worth (docs/scoring.md, "Fixes"): findings that share a
// fix (Finding::fix_key, the English text) are one fix; each fix's worth is the total of the scan
// re-scored without what it removes (rescore.h), and the list is ordered by
// the greatest drop, recomputed after each pick.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "score/constants.h"
#include "score/rescore.h"
#include "score/score.h"

namespace telescreen::score {
namespace {

// Work allowed for the greedy order, in findings, events and list entries
// visited: each re-scoring visits the whole model once. Past it (hundreds
// of fixes on a scan of thousands of items), the rest follow by their own
// worth (score_after), each with its cumulative total re-scored once (none
// once the total is 0: doing more never raises it).
constexpr std::size_t kGreedyWork = 10'000'000;

double Round3(double x) { return std::round(x * 1000) / 1000; }

// One model re-scored with some findings' fixes done.
class Rescorer {
 public:
  explicit Rescorer(const RescoreModel& m) : m_(m) {
    for (std::size_t i = 0; i < m.findings.size(); ++i) {
      if (m.findings[i].id.view().rfind("network.site.", 0) == 0) lists_.push_back(static_cast<int>(i));
    }
    is_event_.assign(m.findings.size(), 0);
    for (int r : m.place_routine) {
      if (r >= 0 && std::find(routines_.begin(), routines_.end(), r) == routines_.end())
        routines_.push_back(r);
    }
    for (const auto& g : m.groups) {
      if (g.finding >= 0) is_event_[static_cast<std::size_t>(g.finding)] = 1;
    }
  }

  std::size_t size() const {
    std::size_t n = m_.findings.size() + m_.groups.size();
    for (const auto& on : m_.names) n += on.size();
    return n;
  }

  // Raw category sums with the findings `done` (indices into this model)
  // removed; `kept` is the network.site finding that "all but one" keeps.
  std::map<std::string, double> Raw(const std::vector<int>& done, const std::vector<int>& more, int kept) {
    const std::size_t n = m_.findings.size();
    direct_.assign(n, 0);
    for (int i : done) direct_[static_cast<std::size_t>(i)] = 1;
    for (int i : more) direct_[static_cast<std::size_t>(i)] = 1;
    alive_.resize(n);
    for (std::size_t i = 0; i < n; ++i) alive_[i] = static_cast<char>(!direct_[i]);
    points_.resize(n);
    for (std::size_t i = 0; i < n; ++i) points_[i] = m_.findings[i].points;
    auto removed = [&](int i) { return i >= 0 && direct_[static_cast<std::size_t>(i)]; };

    // Contact lists: "all but one" hides every list but the kept one.
    if (removed(m_.overlap)) {
      for (int i : lists_) {
        if (i != kept) alive_[static_cast<std::size_t>(i)] = 0;
      }
    }
    // Events: a group goes with its finding, with "all past events" when it
    // is not a plan, and with its routine; an event finding stays while one
    // of its groups does.
    for (std::size_t i = 0; i < n; ++i) {
      if (is_event_[i]) alive_[i] = 0;
    }
    place_alive_.assign(m_.place_routine.size(), 0);
    place_vis_.assign(m_.place_routine.size(), 0.0);
    for (const auto& g : m_.groups) {
      if (g.finding < 0 || removed(g.finding)) continue;
      if (!g.plan && removed(m_.past_points)) continue;
      if (g.place >= 0 && removed(m_.place_routine[static_cast<std::size_t>(g.place)])) continue;
      alive_[static_cast<std::size_t>(g.finding)] = 1;
      if (g.place >= 0) {
        const auto p = static_cast<std::size_t>(g.place);
        place_alive_[p] = 1;
        place_vis_[p] = std::max(place_vis_[p], g.visibility);
      }
    }
    // Dated places: four single a person out; a routine is one place on
    // one weekday three times.
    if (m_.past_points >= 0 && alive_[static_cast<std::size_t>(m_.past_points)]) {
      std::size_t count = 0;
      double vis = 0;
      for (std::size_t p = 0; p < place_alive_.size(); ++p) {
        if (!place_alive_[p]) continue;
        ++count;
        vis = std::max(vis, place_vis_[p]);
      }
      points_[static_cast<std::size_t>(m_.past_points)] =
          count >= static_cast<std::size_t>(kReidentifyingPoints) ? Round3(m_.past_points_sensitivity * vis)
                                                                  : 0.0;
    }
    routine_count_.assign(n, {0, 0.0});
    for (std::size_t p = 0; p < place_alive_.size(); ++p) {
      const int r = m_.place_routine[p];
      if (r < 0 || !place_alive_[p]) continue;
      auto& [count, vis] = routine_count_[static_cast<std::size_t>(r)];
      ++count;
      vis = std::max(vis, place_vis_[p]);
    }
    for (int r : routines_) {
      const auto i = static_cast<std::size_t>(r);
      const auto [count, vis] = routine_count_[i];
      points_[i] =
          count >= static_cast<std::size_t>(kRoutineMinCount)
              ? Round3(m_.routine_sensitivity * vis * (static_cast<double>(count) / kRoutineMinCount))
              : 0.0;
    }
    // Contacts on two or more lists still shown.
    if (m_.overlap >= 0 && alive_[static_cast<std::size_t>(m_.overlap)]) {
      double sum = 0;
      for (const auto& on : m_.names) {
        std::size_t sites = 0;
        double vis = 0;
        for (const auto& l : on) {
          if (l.list < 0 || !alive_[static_cast<std::size_t>(l.list)]) continue;
          sites += l.site ? 1 : 0;
          vis = std::max(vis, l.visibility);
        }
        if (sites >= 2) sum += m_.overlap_sensitivity * vis * SiteFactor(sites);
      }
      points_[static_cast<std::size_t>(m_.overlap)] = Round3(sum);
    }
    // Summed in id order, as ScoreScan sums them.
    sums_.assign(m_.categories.size(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      if (alive_[i] && points_[i] > 0) sums_[static_cast<std::size_t>(m_.findings[i].category)] += points_[i];
    }
    std::map<std::string, double> raw;
    for (std::size_t c = 0; c < sums_.size(); ++c) raw[m_.categories[c]] = sums_[c];
    return raw;
  }

 private:
  const RescoreModel& m_;
  std::vector<int> lists_;      // network.site findings
  std::vector<int> routines_;   // plans.routine findings with places
  std::vector<char> is_event_;  // per finding: made from events
  std::vector<char> direct_, alive_, place_alive_;
  std::vector<double> points_, place_vis_, sums_;
  std::vector<std::pair<std::size_t, double>> routine_count_;  // per finding: places alive, visibility
};

struct Candidate {
  model::Fix fix;
  double points = 0;                // its findings' points, for ties
  std::size_t first = 0;            // index of its strongest finding, for ties
  std::vector<int> in_all, in_pub;  // its findings' indices in each model
};

// A pattern pack writes a fix as "text (settings_url)" (patterns::Remediation):
// the two parts again, or the whole text and no URL.
std::pair<std::string, std::string> SplitSettings(std::string_view s) {
  auto is_url = [](std::string_view u) {
    return (u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0) &&
           u.find_first_of(" \t\n()") == std::string_view::npos;
  };
  if (is_url(s)) return {std::string(s), std::string(s)};
  if (s.size() < 4 || s.back() != ')') return {std::string(s), ""};
  const std::size_t open = s.rfind(" (");
  if (open == std::string_view::npos) return {std::string(s), ""};
  std::string_view url = s.substr(open + 2, s.size() - open - 3);
  if (!is_url(url)) return {std::string(s), ""};
  return {std::string(s.substr(0, open)), std::string(url)};
}

bool Better(int total, const Candidate& c, int best_total, const Candidate& best) {
  if (total != best_total) return total < best_total;
  if (c.points != best.points) return c.points > best.points;
  return c.first < best.first;
}

// Both models (every piece of evidence; public only) re-scored together.
class Pricer {
 public:
  Pricer(const RescoreModel& all, const RescoreModel* pub, const std::string& kept)
      : all_(all), pub_(pub), all_r_(all), pub_r_(pub ? *pub : all) {
    kept_all_ = all.Find(kept);
    kept_pub_ = pub ? pub->Find(kept) : -1;
  }
  std::size_t size() const { return all_r_.size() + (pub_ ? pub_r_.size() : 0); }

  // Where each of the candidate's findings is in each model.
  void Locate(Candidate* c) const {
    for (const auto& id : c->fix.findings) {
      if (int i = all_.Find(id.view()); i >= 0) c->in_all.push_back(i);
      if (pub_ != nullptr) {
        if (int i = pub_->Find(id.view()); i >= 0) c->in_pub.push_back(i);
      }
    }
  }
  // The total with the picked fixes and `c` done.
  int With(const Candidate& c) {
    std::map<std::string, double> raw_all = all_r_.Raw(done_all_, c.in_all, kept_all_);
    std::map<std::string, double> raw_pub = pub_ ? pub_r_.Raw(done_pub_, c.in_pub, kept_pub_) : raw_all;
    return CombineTotal(std::move(raw_all), std::move(raw_pub));
  }
  void Pick(const Candidate& c) {
    done_all_.insert(done_all_.end(), c.in_all.begin(), c.in_all.end());
    done_pub_.insert(done_pub_.end(), c.in_pub.begin(), c.in_pub.end());
  }

 private:
  const RescoreModel& all_;
  const RescoreModel* pub_;
  Rescorer all_r_, pub_r_;
  int kept_all_ = -1, kept_pub_ = -1;
  std::vector<int> done_all_, done_pub_;  // findings of the fixes picked
};

}  // namespace

std::vector<model::Fix> PlanFixes(const model::ScanResult& result, const RescoreModel& all,
                                  const RescoreModel* pub) {
  std::vector<Candidate> candidates;
  std::map<std::string_view, std::size_t> by_key;  // fix_key -> candidates index
  std::string kept;  // the contact list with the most points: "all but one" keeps it
  for (std::size_t i = 0; i < result.findings.size(); ++i) {
    const model::Finding& f = result.findings[i];
    if (kept.empty() && f.id.view().rfind("network.site.", 0) == 0) kept = f.id.str();
    if (f.remediation.empty()) continue;
    // The English text groups and names a fix, so its id is the same in
    // every language; a scan stored before fix_key existed has only the
    // remediation, which was English then.
    const std::string_view key = f.fix_key.empty() ? f.remediation.view() : f.fix_key.view();
    auto [it, fresh] = by_key.try_emplace(key, candidates.size());
    if (fresh) {
      Candidate c;
      c.first = i;
      auto [text, url] = SplitSettings(f.remediation.view());
      // A translation may leave out the settings page the English names.
      if (url.empty()) url = SplitSettings(key).second;
      c.fix.id = "fix." + StableId(key);
      c.fix.text = std::move(text);
      c.fix.settings_url = std::move(url);
      candidates.push_back(std::move(c));
    }
    Candidate& c = candidates[it->second];
    c.fix.findings.push_back(f.id);
    c.points += f.points;
  }
  if (candidates.empty()) return {};

  Pricer pricer(all, pub, kept);
  auto with = [&](const Candidate& c) { return pricer.With(c); };
  for (Candidate& c : candidates) {
    pricer.Locate(&c);
    c.fix.score_after = with(c);
  }

  // Greedy: the fix that lowers the total most on top of those picked,
  // while the work allows.
  const std::size_t per_rescore = std::max<std::size_t>(1, pricer.size());
  std::size_t budget = kGreedyWork / per_rescore;
  std::vector<model::Fix> order;
  order.reserve(candidates.size());
  std::vector<Candidate*> left;
  left.reserve(candidates.size());
  for (Candidate& c : candidates) left.push_back(&c);
  auto pick = [&](std::size_t i, int total) {
    Candidate& c = *left[i];
    pricer.Pick(c);
    c.fix.cumulative_after = total;
    order.push_back(std::move(c.fix));
    left.erase(left.begin() + static_cast<std::ptrdiff_t>(i));
  };
  // Once the total is 0 it stays 0: the rest need no re-scoring.
  auto at_zero = [&] { return !order.empty() && order.back().cumulative_after == 0; };
  while (!left.empty() && !at_zero() && (order.empty() || budget >= left.size())) {
    if (!order.empty()) budget -= left.size();
    std::size_t best = 0;
    int best_total = 0;
    for (std::size_t i = 0; i < left.size(); ++i) {
      const int t = order.empty() ? left[i]->fix.score_after : with(*left[i]);
      if (i == 0 || Better(t, *left[i], best_total, *left[best])) {
        best = i;
        best_total = t;
      }
    }
    pick(best, best_total);
  }
  // Out of budget: the rest by their own worth.
  std::stable_sort(left.begin(), left.end(), [](const Candidate* a, const Candidate* b) {
    return Better(a->fix.score_after, *a, b->fix.score_after, *b);
  });
  while (!left.empty()) pick(0, at_zero() ? 0 : with(*left.front()));
  return order;
}

}  // namespace telescreen::score
