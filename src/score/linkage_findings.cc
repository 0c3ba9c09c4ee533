// Who you are across sites: profiles linked to each other, and the same
// name on several sites (docs/scoring.md).

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/i18n.h"
#include "score/constants.h"
#include "score/finding_set.h"

namespace telescreen::score {

using model::Evidence;
using model::Finding;

void AddLinkage(const model::ScanResult& r, FindingSet* out) {
  // Profiles: the person's own pages that point at each other. A scan can
  // find thousands: each keeps only what the finding needs.
  struct Profile {
    double visibility = 0;  // max over its facts
    double sensitivity = 0;
    std::vector<Evidence> evidence;
  };
  std::map<std::string_view, Profile> profiles;
  for (const auto& fact : r.identity.facts) {
    if (fact.kind != "profile" && fact.kind != "url") continue;
    if (fact.value.empty()) continue;
    Profile& p = profiles[fact.value];
    p.visibility = std::max(p.visibility, EvidenceVisibility(fact.evidence));
    p.sensitivity = std::max(p.sensitivity, Sensitivity(fact.kind));
    p.evidence.push_back(fact.evidence);
  }
  for (const std::string& url : r.identity.profiles) {
    if (url.empty() || profiles.count(url) != 0) continue;
    Evidence e;
    e.page_url = url;
    e.via = "identity";
    e.excerpt = url;
    profiles[url] = Profile{EvidenceVisibility(e), Sensitivity("profile"), {e}};
  }
  if (profiles.size() >= 2) {
    Finding& f = out->Get("linkage.profiles", "linkage");
    f.sensitivity = Sensitivity("profile");
    std::set<std::string> sites;
    for (auto& [url, p] : profiles) {
      f.points += p.sensitivity * p.visibility;
      f.visibility = std::max(f.visibility, p.visibility);
      MoveEvidence(&f, &p.evidence);  // thousands of profiles: one copy, not two
      sites.insert(SiteOf(url));
    }
    f.title = core::Fill(
        core::TrN("{1} on {2} is linked to the others (rel=me, sameAs, links)",
                  "{1} on {2} are linked to each other (rel=me, sameAs, links)", profiles.size()),
        {core::Fill(core::TrN("{1} profile", "{1} profiles", profiles.size()), {Num(profiles.size())}),
         SiteCount(sites.size())});
    out->SetFix(&f,
                core::NoopTr("Remove rel=\"me\" and sameAs links between profiles you want kept apart, and "
                             "the \"my other profiles\" links on your homepage."));
  }

  // The same name on several sites.
  std::map<std::string, Item> names;
  for (const auto& fact : r.identity.facts) {
    if (fact.kind != "name" || Normalise(fact.value).empty()) continue;
    names[Normalise(fact.value)].Add(fact.value, {fact.evidence});
  }
  for (const auto& [name, item] : names) {
    if (item.sites.size() < 2) continue;
    Finding& f = out->Get("linkage.name." + StableId(name), "linkage");
    f.sensitivity = Sensitivity("name.sites");
    f.points += f.sensitivity * item.visibility * item.SiteFactor();
    f.visibility = std::max(f.visibility, item.visibility);
    AddEvidence(&f, item.evidence);
    f.title = core::Fill(core::Tr("The same name \"{1}\" on {2} ties them together"),
                         {Short(item.display), SiteCount(item.sites.size())});
    out->SetFix(
        &f, core::NoopTr("Use a different display name (or a nickname) on sites you want kept separate."));
  }
}

}  // namespace telescreen::score
