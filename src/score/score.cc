// Combines findings into category scores and the total (docs/scoring.md).

#include "score/score.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "core/i18n.h"
#include "score/constants.h"
#include "score/finding_set.h"
#include "score/rescore.h"

namespace telescreen::score {
namespace {

struct Combined {
  std::vector<model::ScoreCategory> categories;
  int total = 0;
};

// Category score: 100 * (1 - e^(-raw / saturation)), so the first findings
// count most and no pile of them passes 100.
double Saturate(double raw, double saturation) {
  if (raw <= 0) return 0;
  return 100.0 * (1.0 - std::exp(-raw / saturation));
}

std::map<std::string, double> RawByCategory(const std::vector<model::Finding>& findings) {
  // Sum in id order so the floating-point result does not depend on the
  // order findings were produced in.
  std::vector<const model::Finding*> sorted;
  sorted.reserve(findings.size());
  for (const auto& f : findings) sorted.push_back(&f);
  std::sort(sorted.begin(), sorted.end(),
            [](const model::Finding* a, const model::Finding* b) { return a->id < b->id; });
  std::map<std::string, double> raw;
  for (const auto* f : sorted) raw[f->category.str()] += f->points;
  return raw;
}

// Category raw = public raw + members-only raw, the latter capped so that it
// alone lifts the category by at most kMembersOnlyCategoryCap points. Both
// raws grow when an item is added and the members-only part can shrink by
// at most what the public part gains, so the sum never falls.
// Total: a noisy-OR of the categories, each able to claim `weight` of it.
Combined Combine(std::map<std::string, double> raw_all, std::map<std::string, double> raw_pub) {
  Combined out;
  double keep = 1.0;  // chance that no category gives the watcher anything
  for (const CategorySpec& c : kCategories) {
    const std::string id(c.id);
    const double cap = -c.saturation * std::log(1.0 - kMembersOnlyCategoryCap / 100.0);
    const double members = std::max(0.0, raw_all[id] - raw_pub[id]);
    model::ScoreCategory cat;
    cat.id = id;
    cat.label = core::TrText(c.label);  // in the reader's language, as every text of the report
    cat.weight = c.weight;
    cat.score = std::round(Saturate(raw_pub[id] + std::min(members, cap), c.saturation));
    keep *= 1.0 - c.weight * cat.score / 100.0;
    out.categories.push_back(std::move(cat));
  }
  out.total = std::clamp(static_cast<int>(std::lround(100.0 * (1.0 - keep))), 0, 100);
  return out;
}

bool AnyMembersOnly(const std::vector<model::Evidence>& ev) {
  return std::any_of(ev.begin(), ev.end(), [](const model::Evidence& e) {
    return e.visibility == model::Visibility::kMembersOnly;
  });
}

// True iff some evidence in `r` was seen only with cookies or in a HAR.
bool HasMembersOnly(const model::ScanResult& r) {
  for (const auto& f : r.identity.facts) {
    if (f.evidence.visibility == model::Visibility::kMembersOnly) return true;
  }
  for (const auto& c : r.contacts) {
    if (AnyMembersOnly(c.evidence)) return true;
  }
  for (const auto& e : r.events) {
    if (AnyMembersOnly(e.evidence)) return true;
  }
  return false;
}

// Public evidence only: what a stranger without an account sees.
model::ScanResult PublicOnly(const model::ScanResult& r) {
  auto keep_public = [](std::vector<model::Evidence>* ev) {
    if (ev->empty()) return true;  // found by an unnamed route: public
    std::erase_if(*ev,
                  [](const model::Evidence& e) { return e.visibility == model::Visibility::kMembersOnly; });
    return !ev->empty();
  };
  model::ScanResult p;
  p.identity.names = r.identity.names;
  p.identity.profiles = r.identity.profiles;
  for (const auto& f : r.identity.facts) {
    if (f.evidence.visibility != model::Visibility::kMembersOnly) p.identity.facts.push_back(f);
  }
  for (auto c : r.contacts) {
    if (keep_public(&c.evidence)) p.contacts.push_back(std::move(c));
  }
  for (auto e : r.events) {
    if (keep_public(&e.evidence)) p.events.push_back(std::move(e));
  }
  return p;
}

// A category's one-line summary, in the reader's language (the report's
// JSON carries it as the text a person reads).
std::string Summary(const std::string& id, const std::vector<model::Finding>& findings,
                    const model::ScanResult& r) {
  using core::Fill;
  using core::Tr;
  using core::TrN;
  int n = 0;
  for (const auto& f : findings) n += f.category == id ? 1 : 0;
  auto count = [&](const char* prefix) {
    int k = 0;
    for (const auto& f : findings) k += f.id.rfind(prefix, 0) == 0 ? 1 : 0;
    return k;
  };
  auto num = [](int k) { return std::to_string(k); };
  auto many = [](int k) { return static_cast<unsigned long>(k); };
  if (id == "network") {
    if (r.contacts.empty()) return Tr("No contacts found.");
    const int contacts = static_cast<int>(r.contacts.size());
    const int sites = count("network.site.");
    std::string who = Fill(TrN("{1} contact", "{1} contacts", many(contacts)), {num(contacts)});
    std::string where = Fill(TrN("{1} site", "{1} sites", many(sites)), {num(sites)});
    if (count("network.overlap") > 0)
      return Fill(Tr("{1} visible on {2}, some on more than one."), {who, where});
    return Fill(Tr("{1} visible on {2}."), {who, where});
  }
  if (id == "past") {
    int events = count("past.event.");
    if (events == 0) return Tr("No past events found.");
    if (count("past.points") > 0) {
      return Fill(TrN("{1} past event found; enough dated places to single you out.",
                      "{1} past events found; enough dated places to single you out.", many(events)),
                  {num(events)});
    }
    return Fill(TrN("{1} past event found.", "{1} past events found.", many(events)), {num(events)});
  }
  if (id == "plans") {
    int plans = count("plans.event.");
    int routines = count("plans.routine.");
    if (plans + routines == 0) return Tr("No upcoming plans or routines found.");
    std::string what = Fill(TrN("{1} upcoming plan", "{1} upcoming plans", many(plans)), {num(plans)});
    if (routines > 0) {
      what = Fill(Tr("{1} and {2}"),
                  {what, Fill(TrN("{1} routine", "{1} routines", many(routines)), {num(routines)})});
    }
    return Fill(Tr("{1} tell where you will be."), {what});
  }
  if (id == "reach") {
    if (n == 0) return Tr("No email, phone or address found.");
    int unsure = 0;
    for (const auto& f : findings) {
      unsure += f.category == id && SaysMaybeSomeoneElse(f.title.view()) ? 1 : 0;
    }
    std::string ways = Fill(TrN("{1} way to reach or locate you is public",
                                "{1} ways to reach or locate you are public", many(n - unsure)),
                            {num(n - unsure)});
    if (unsure > 0) {
      return Fill(TrN("{1}, and {2} address that may be someone else's.",
                      "{1}, and {2} addresses that may be someone else's.", many(unsure)),
                  {ways, num(unsure)});
    }
    return ways + ".";
  }
  if (id == "linkage") {
    if (n == 0) return Tr("Your profiles were not found linked together.");
    return Fill(TrN("Your profiles can be tied together ({1} link).",
                    "Your profiles can be tied together ({1} links).", many(n)),
                {num(n)});
  }
  if (n == 0) return Tr("No employer or groups found.");
  return Fill(TrN("{1} affiliation public (employer, groups, title).",
                  "{1} affiliations public (employer, groups, title).", many(n)),
              {num(n)});
}

}  // namespace

int CombineTotal(std::map<std::string, double> all, std::map<std::string, double> pub) {
  return Combine(std::move(all), std::move(pub)).total;
}

// kLevels pairs each level with its sentence; where the bands fall is
// model::LevelOf's to say, and the table must agree with it.
static_assert([] {
  for (const LevelSpec& l : kLevels) {
    if (model::LevelOf(l.min_total) != l.name ||
        (l.min_total > 0 && model::LevelOf(l.min_total - 1) == l.name)) {
      return false;
    }
  }
  return true;
}());

std::string LevelName(int total) { return std::string(model::LevelOf(total)); }

std::string LevelSentence(int total) {
  std::string s(kLevels[0].sentence);
  for (const LevelSpec& l : kLevels) {
    if (total >= l.min_total) s = std::string(l.sentence);
  }
  return s;
}

std::string PartialSentence(std::size_t unseen, std::size_t targets) {
  if (targets <= 1) {
    return core::Tr(
        "The target was not fully seen: the score counts only what the scan could read, so it is at least "
        "this high, and a watcher who is signed in sees more.");
  }
  if (unseen >= targets) {
    return core::Fill(core::Tr("None of the {1} targets was fully seen: the score counts only what the scan "
                               "could read, so it is at least this high, and a watcher who is signed in sees "
                               "more."),
                      {std::to_string(targets)});
  }
  return core::Fill(
      core::TrN("{1} of {2} targets was not fully seen: the score counts only what the scan could "
                "read, so it is at least this high, and a watcher who is signed in sees more.",
                "{1} of {2} targets were not fully seen: the score counts only what the scan "
                "could read, so it is at least this high, and a watcher who is signed in sees "
                "more.",
                unseen),
      {std::to_string(unseen), std::to_string(targets)});
}

void ScoreScan(model::ScanResult* result, core::TimePoint now, const FixTexts* translations) {
  // The public-only scoring is needed only when something is members-only;
  // otherwise it equals the full one. It runs first, and only its category
  // sums are kept, so a large scan never holds two sets of findings at once.
  // Both scorings also give the models that price each fix (fixes.cc).
  const bool members = HasMembersOnly(*result);
  std::map<std::string, double> raw_pub;
  RescoreModel all_model, pub_model;
  if (members)
    raw_pub = RawByCategory(BuildFindingsForRescore(PublicOnly(*result), now, &pub_model, translations));
  result->findings = BuildFindingsForRescore(*result, now, &all_model, translations);
  std::map<std::string, double> raw_all = RawByCategory(result->findings);
  if (!members) raw_pub = raw_all;
  Combined c = Combine(std::move(raw_all), std::move(raw_pub));
  for (auto& cat : c.categories) cat.summary = Summary(cat.id, result->findings, *result);
  result->score.total = c.total;
  result->score.level = LevelName(c.total);
  result->score.level_summary = core::TrText(LevelSentence(c.total));
  result->score.categories = std::move(c.categories);
  // A wall, a block or a failed fetch hides what is there: the total is a
  // lower bound, and no sentence may say that little is public.
  const std::size_t unseen = model::CountNotFullySeen(result->coverage);
  result->score.complete = unseen == 0;
  if (unseen > 0) result->score.level_summary = PartialSentence(unseen, result->coverage.size());
  if (result->interrupted) {
    result->score.complete = false;
    result->score.level_summary = core::Tr(
        "The scan was interrupted before it ended: the score counts only the pages it read, so it is "
        "at least this high.");
  }
  result->fixes = PlanFixes(*result, all_model, members ? &pub_model : nullptr);
}

}  // namespace telescreen::score
