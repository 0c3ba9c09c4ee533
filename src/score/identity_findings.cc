// Identity facts: how to reach you (email, phone, address, ...) and your
// affiliations, one finding per distinct value (docs/scoring.md).

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "core/i18n.h"
#include "core/url.h"
#include "score/constants.h"
#include "score/finding_set.h"

namespace telescreen::score {

using model::Evidence;
using model::Finding;

namespace {

// Titles and fixes are marked for translation and kept in English here: a
// fix's English text is its key (Finding::fix_key).
struct FactKind {
  std::string_view kind;
  const char* title;  // "Email address"
  const char* fix;
};

constexpr FactKind kFactKinds[] = {
    {"email", core::NoopTr("Email address"),
     core::NoopTr("Remove the email address from your public profiles, or use a separate alias "
                  "you can retire.")},
    {"phone", core::NoopTr("Phone number"),
     core::NoopTr("Remove the phone number from your public profiles; anyone can call, text or "
                  "look it up.")},
    {"address", core::NoopTr("Postal address"),
     core::NoopTr("Remove your street address; give it privately to people who need it.")},
    {"location", core::NoopTr("Home town or city"),
     core::NoopTr("Show a broader region instead of your town, or nothing.")},
    {"birthday", core::NoopTr("Birthday"),
     core::NoopTr("Hide your date of birth; it is a common security question and identity key.")},
    {"photo", core::NoopTr("Profile photo"),
     core::NoopTr("Use a different photo on each site, or none: a photo matches profiles across "
                  "sites and in face search.")},
    {"employer", core::NoopTr("Employer"),
     core::NoopTr("Hide your employer or show it to contacts only; it tells a stranger where to "
                  "find you on weekdays.")},
    {"group", core::NoopTr("Group membership"),
     core::NoopTr("Leave or hide memberships you would not tell a stranger about.")},
    {"headline", core::NoopTr("Job title"),
     core::NoopTr("Shorten your public headline to what a stranger needs to know.")},
};

// The kind a fact is scored as: an "address" with no digit at all (no
// house number, no postcode) names a town, not a door.
std::string_view ScoredKind(const model::IdentityFact& fact) {
  if (fact.kind == "address" &&
      std::none_of(fact.value.begin(), fact.value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "location";
  }
  return fact.kind;
}

std::string UrlKey(std::string_view url) {
  std::string key = core::NormalUrlOr(url);
  while (key.size() > 1 && key.back() == '/') key.pop_back();
  return key;
}

// How sure we are that a fact is about the person: a generic text rule's
// find on a page that is not one of their profiles may be someone else's.
double Confidence(const model::IdentityFact& fact, const std::set<std::string>& own_pages) {
  if (fact.evidence.via.rfind("pattern:text/", 0) != 0) return 1.0;
  return own_pages.count(UrlKey(fact.evidence.page_url)) ? 1.0 : kOffProfileTextConfidence;
}

}  // namespace

void AddFacts(const model::ScanResult& r, FindingSet* out) {
  std::set<std::string> own_pages;
  for (const auto& p : r.identity.profiles) own_pages.insert(UrlKey(p));
  for (const auto& t : r.targets) own_pages.insert(UrlKey(t));
  for (const FactKind& fk : kFactKinds) {
    std::map<std::string, Item> items;
    for (const auto& fact : r.identity.facts) {
      if (ScoredKind(fact) != fk.kind || Normalise(fact.value).empty()) continue;
      items[ValueKey(fact.kind, fact.value)].Add(fact.value, {fact.evidence}, Confidence(fact, own_pages));
    }
    for (const KindSpec& ks : kKinds) {
      if (ks.kind != fk.kind) continue;
      for (const auto& [value, item] : items) {
        Finding& f = out->Get(std::string(ks.category) + "." + std::string(fk.kind) + "." + StableId(value),
                              ks.category);
        f.sensitivity = ks.sensitivity;
        f.points += ks.sensitivity * item.weight * item.SiteFactor();
        f.visibility = std::max(f.visibility, item.visibility);
        AddEvidence(&f, item.evidence);
        std::string title =
            core::Fill(item.visibility > kVisibilityMembersOnly ? core::Tr("{1} public: {2}")
                                                                : core::Tr("{1} visible to members: {2}"),
                       {core::TrText(fk.title), Short(item.display)});
        if (item.sites.size() > 1)
          title = core::Fill(core::Tr("{1} (on {2})"), {title, SiteCount(item.sites.size())});
        if (item.weight < item.visibility * 0.999) title = WithMaybeSomeoneElse(title);
        f.title = title;
        out->SetFix(&f, fk.fix);
      }
    }
  }
}

}  // namespace telescreen::score
