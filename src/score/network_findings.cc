// Whom you know: the contact lists a watcher can read on each site, the
// contacts seen on more than one, and the people who reacted to posts
// (docs/scoring.md).

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/i18n.h"
#include "score/constants.h"
#include "score/finding_set.h"

namespace telescreen::score {

using model::Evidence;
using model::Finding;

namespace {

// Known follower counts raise the network's reach: 1 + log10(1 + n) / 4,
// at most 2 (10,000 followers).
double FollowerFactor(const model::ScanResult& r) {
  double best = 0;
  for (const auto& fact : r.identity.facts) {
    if (fact.kind != "followers") continue;
    char* end = nullptr;
    double n = std::strtod(fact.value.c_str(), &end);
    if (end != fact.value.c_str() && std::isfinite(n) && n > best) best = n;
  }
  return std::min(2.0, 1.0 + std::log10(1.0 + best) / 4.0);
}

std::string NetworkId(std::string_view site) { return "network.site." + StableId(site); }

// Weak ties: people who only reacted to, commented on or mentioned the
// person's posts. One finding; it stands alone (no other counts them).
void AddInteractions(const model::ScanResult& r, FindingSet* out) {
  if (r.interactions.empty()) return;
  const double s = Sensitivity("interaction");
  Finding& f = out->Get("network.interactions", "network");
  f.sensitivity = s;
  std::set<std::string> people;
  for (const model::Interaction& i : r.interactions) {
    const double v = SourceVisibility(i.evidence);
    f.points += s * v;
    f.visibility = std::max(f.visibility, v);
    AddEvidence(&f, i.evidence);
    people.insert(i.url.empty() ? "name:" + Normalise(i.name) : "url:" + i.url);
  }
  f.title = core::Fill(
      core::TrN("{1} person has visibly reacted to, commented on or mentioned your posts",
                "{1} people have visibly reacted to, commented on or mentioned your posts", people.size()),
      {Num(people.size())});
  out->SetFix(&f, core::NoopTr("Limit who can comment on or react to your posts, or hide who did, in each "
                               "site's post privacy settings."));
}

}  // namespace

void AddNetwork(const model::ScanResult& r, FindingSet* out) {
  // site -> contact key -> item
  std::map<std::string, std::map<std::string, Item>> by_site;
  std::map<std::string, Item> by_name;  // across sites, for overlap
  for (const model::Contact& c : r.contacts) {
    std::string key = c.url.empty() ? "name:" + Normalise(c.name) : "url:" + c.url;
    std::map<std::string, std::vector<Evidence>> per_site;
    for (const Evidence& e : c.evidence) per_site[SiteOf(e.page_url)].push_back(e);
    if (per_site.empty()) per_site[c.url.empty() ? std::string(kUnknownSite) : SiteOf(c.url)];
    for (const auto& [site, ev] : per_site) by_site[site][key].Add(c.name, ev);
    if (!Normalise(c.name).empty()) by_name[Normalise(c.name)].Add(c.name, c.evidence);
    if (RescoreRecord* rec = out->record(); rec != nullptr && !Normalise(c.name).empty()) {
      auto& lists = rec->names[Normalise(c.name)];
      for (const auto& [site, ev] : per_site) {
        auto& [visibility, counts] = lists[NetworkId(site)];
        visibility = std::max(visibility, SourceVisibility(ev));
        counts = counts || !ev.empty();
      }
    }
  }
  const double reach = FollowerFactor(r);
  const double s = Sensitivity("contact");
  for (const auto& [site, items] : by_site) {
    Finding& f = out->Get(NetworkId(site), "network");
    f.sensitivity = s;
    std::set<std::string> packs;
    for (const auto& [key, item] : items) {
      f.points += s * item.visibility * reach;
      f.visibility = std::max(f.visibility, item.visibility);
      AddEvidence(&f, item.evidence);
      AddPacks(item.evidence, &packs);
    }
    const std::string label = Short(model::SiteLabel(ShownSite(site), packs));
    const std::string english_label = Short(model::SiteLabel(site, packs));
    f.title = core::Fill(core::TrN("{1} contact visible on {2}", "{1} contacts visible on {2}", items.size()),
                         {Num(items.size()), label});
    out->SetFix(&f,
                core::NoopTr("On {1}, set your contact or follower list to visible to you only (privacy "
                             "settings), or remove contacts you do not want linked to you."),
                {english_label}, {label});
  }
  std::size_t overlap = 0;
  const double so = Sensitivity("contact.overlap");
  Finding* fo = nullptr;
  for (const auto& [name, item] : by_name) {
    if (item.sites.size() < 2) continue;
    if (fo == nullptr) fo = &out->Get("network.overlap", "network");
    ++overlap;
    fo->points += so * item.visibility * item.SiteFactor();
    fo->visibility = std::max(fo->visibility, item.visibility);
    AddEvidence(fo, item.evidence);
  }
  if (out->record() != nullptr) out->record()->overlap_sensitivity = so;
  AddInteractions(r, out);
  if (fo != nullptr) {
    fo->sensitivity = so;
    fo->title = core::Fill(
        core::TrN("{1} contact appears on more than one site, confirming who your circle is",
                  "{1} contacts appear on more than one site, confirming who your circle is", overlap),
        {Num(overlap)});
    out->SetFix(fo, core::NoopTr("Hide contact lists on all but one site; a contact seen on two sites ties "
                                 "those profiles to the same person."));
  }
}

}  // namespace telescreen::score
