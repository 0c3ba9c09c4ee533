#include "store/diff.h"

#include <algorithm>
#include <set>
#include <span>
#include <string_view>
#include <type_traits>
#include <unordered_set>

#include "core/url.h"
#include "model/dom.h"

namespace telescreen::store {

namespace {

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string NormaliseText(std::string_view text) {
  return LowerAscii(model::CollapseWhitespace(text));
}

// A URL's normal form, or nullopt when it is not an http(s) URL.
std::optional<std::string> NormaliseUrl(std::string_view text) {
  auto url = core::Url::Parse(model::CollapseWhitespace(text));
  if (!url.ok()) return std::nullopt;
  return url.value().ToString();
}

// Public iff seen at least once without the user's cookies.
bool IsPublic(const model::IdentityFact& fact) {
  return fact.evidence.visibility == model::Visibility::kPublic;
}

std::string FactKey(std::string_view kind, std::string_view value) {
  std::string v = kind == "url" || kind == "profile" ? NormaliseUrl(value).value_or(NormaliseText(value))
                                                     : NormaliseText(value);
  return LowerAscii(kind) + '\x1f' + v;
}

// Identity facts including names and profiles (kinds "name", "profile").
std::vector<model::IdentityFact> AllFacts(const model::Identity& identity) {
  std::vector<model::IdentityFact> out;
  for (const auto& name : identity.names) out.push_back({"name", name, {}});
  for (const auto& url : identity.profiles) out.push_back({"profile", url, {}});
  out.insert(out.end(), identity.facts.begin(), identity.facts.end());
  return out;
}

std::vector<model::IdentityFact> NewlyPublic(const model::Identity& before,
                                             const model::Identity& after) {
  std::unordered_set<std::string> was_public;
  for (const auto& f : AllFacts(before)) {
    if (IsPublic(f)) was_public.insert(FactKey(f.kind, f.value));
  }
  std::vector<model::IdentityFact> out;
  std::unordered_set<std::string> reported;
  for (const auto& f : AllFacts(after)) {
    std::string key = FactKey(f.kind, f.value);
    if (!IsPublic(f) || was_public.count(key) != 0) continue;
    if (reported.insert(key).second) out.push_back(f);
  }
  return out;
}

template <typename T, typename KeyFn>
std::vector<T> Missing(const std::vector<T>& from, const std::vector<T>& in, KeyFn key) {
  std::unordered_set<std::string> present;
  for (const auto& item : in) present.insert(key(item));
  std::vector<T> out;
  std::unordered_set<std::string> reported;
  for (const auto& item : from) {
    std::string k = key(item);
    if (present.count(k) == 0 && reported.insert(k).second) out.push_back(item);
  }
  return out;
}

void SplitPlans(std::vector<model::Event> events, std::vector<model::Event>* other,
                std::vector<model::Event>* plans) {
  for (auto& e : events) {
    (e.tense == model::Tense::kFuture ? plans : other)->push_back(std::move(e));
  }
}

// Sites a scan did not fully see (coverage other than "full"): what is
// missing there may only have been hidden, and what is there now may have
// been hidden before.
std::set<std::string> UnseenSites(const model::ScanResult& scan) {
  std::set<std::string> out;
  for (const auto& c : scan.coverage) {
    if (c.seen != model::Seen::kFull && !c.site.empty()) out.insert(c.site);
  }
  return out;
}

// True iff some evidence of the item is on a site outside `unseen` (items
// without evidence count as seen).
bool SeenIn(std::span<const model::Evidence> evidence, const std::set<std::string>& unseen) {
  if (unseen.empty() || evidence.empty()) return true;
  for (const auto& e : evidence) {
    if (unseen.count(model::SiteOfUrl(e.page_url)) == 0) return true;
  }
  return false;
}

template <typename T>
std::vector<T> ComparableOnly(std::vector<T> items, const std::set<std::string>& unseen) {
  if (unseen.empty()) return items;
  std::erase_if(items, [&](const T& item) {
    if constexpr (std::is_same_v<T, model::IdentityFact>) {
      return !SeenIn(std::span(&item.evidence, 1), unseen);
    } else {
      return !SeenIn(item.evidence, unseen);
    }
  });
  return items;
}

}  // namespace

std::string ContactKey(const model::Contact& contact) {
  if (auto url = NormaliseUrl(contact.url)) {
    // "/ann" and "/ann/" are the same profile on every site we know.
    if (url->size() > 1 && url->back() == '/' && url->find('?') == std::string::npos) {
      auto scheme_end = url->find("://");
      if (url->find('/', scheme_end + 3) != url->size() - 1) url->pop_back();
    }
    return "url:" + *url;
  }
  return "name:" + NormaliseText(contact.name);
}

std::string EventKey(const model::Event& event) {
  return NormaliseText(event.name) + '\x1f' + model::CollapseWhitespace(event.start);
}

std::string TargetKey(const std::vector<std::string>& targets) {
  std::set<std::string> keys;
  for (const auto& t : targets) keys.insert(NormaliseUrl(t).value_or(t));
  std::string out;
  for (const auto& k : keys) {
    if (!out.empty()) out += '\n';
    out += k;
  }
  return out;
}

model::Changes Diff(const model::ScanResult& before, const model::ScanResult& after,
                    std::int64_t before_scan_id) {
  model::Changes c;
  c.previous_scan_id = before_scan_id;
  c.previous_now = before.now;
  c.previous_score = before.score.total;
  c.previous_complete = before.score.complete;
  // Only what both scans saw is compared: an item is new only if the earlier
  // scan saw where it is now, and gone only if this scan saw where it was.
  const std::set<std::string> unseen_before = UnseenSites(before);
  const std::set<std::string> unseen_after = UnseenSites(after);
  c.new_contacts =
      ComparableOnly(Missing(after.contacts, before.contacts, ContactKey), unseen_before);
  c.removed_contacts =
      ComparableOnly(Missing(before.contacts, after.contacts, ContactKey), unseen_after);
  SplitPlans(ComparableOnly(Missing(after.events, before.events, EventKey), unseen_before),
             &c.new_events, &c.new_plans);
  SplitPlans(ComparableOnly(Missing(before.events, after.events, EventKey), unseen_after),
             &c.removed_events, &c.removed_plans);
  c.newly_public = ComparableOnly(NewlyPublic(before.identity, after.identity), unseen_before);
  return c;
}

bool HasNewExposure(const model::Changes& changes) {
  return !changes.new_contacts.empty() || !changes.new_plans.empty();
}

Alerts CheckAlerts(const model::ScanResult& result, const AlertRules& rules) {
  Alerts alerts;
  if (rules.fail_above && result.score.total > *rules.fail_above) {
    alerts.reasons.push_back("score " + std::to_string(result.score.total) + " is above " +
                             std::to_string(*rules.fail_above));
  }
  if (rules.fail_on_new && result.changes && HasNewExposure(*result.changes)) {
    const auto& c = *result.changes;
    alerts.reasons.push_back(std::to_string(c.new_contacts.size()) + " new contact(s) and " +
                             std::to_string(c.new_plans.size()) +
                             " new plan(s) visible since scan " +
                             std::to_string(c.previous_scan_id));
  }
  return alerts;
}

}  // namespace telescreen::store
