#include "store/diff.h"

#include <algorithm>
#include <functional>
#include <set>
#include <span>
#include <string_view>
#include <type_traits>
#include <unordered_set>

#include "core/i18n.h"
#include "core/text.h"
#include "core/url.h"
#include "model/dom.h"

namespace telescreen::store {

namespace {

using model::FoldText;

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
  std::string v =
      kind == "url" || kind == "profile" ? NormaliseUrl(value).value_or(FoldText(value)) : FoldText(value);
  return core::AsciiLower(kind) + '\x1f' + v;
}

// Identity facts including names and profiles (kinds "name", "profile"):
// item i of the list names, profiles, facts, without building that list.
std::size_t FactCount(const model::Identity& identity) {
  return identity.names.size() + identity.profiles.size() + identity.facts.size();
}

model::IdentityFact FactAt(const model::Identity& identity, std::size_t i) {
  if (i < identity.names.size()) return {"name", identity.names[i], {}};
  i -= identity.names.size();
  if (i < identity.profiles.size()) return {"profile", identity.profiles[i], {}};
  return identity.facts[i - identity.profiles.size()];
}

// FactKey and IsPublic of FactAt(identity, i), without copying the fact.
std::string FactKeyAt(const model::Identity& identity, std::size_t i) {
  if (i < identity.names.size()) return FactKey("name", identity.names[i]);
  i -= identity.names.size();
  if (i < identity.profiles.size()) return FactKey("profile", identity.profiles[i]);
  const auto& f = identity.facts[i - identity.profiles.size()];
  return FactKey(f.kind, f.value);
}

bool IsPublicAt(const model::Identity& identity, std::size_t i) {
  const std::size_t named = identity.names.size() + identity.profiles.size();
  return i < named || IsPublic(identity.facts[i - named]);  // names and profiles have no evidence
}

using KeyAt = std::function<std::string(std::size_t)>;
using Include = std::function<bool(std::size_t)>;

bool All(std::size_t) { return true; }

// The keys of one list of the later scan's items: a hash and a position
// each, sorted by hash, and whether the earlier scan had an item's key. A
// lookup recomputes and compares the keys of the items with the same hash,
// so it is exact without holding the keys (megabytes for a large scan).
class KeyIndex {
 public:
  // Indexes the items i < n with include(i); key_at(i) is item i's key.
  KeyIndex(std::size_t n, KeyAt key_at, Include include)
      : n_(n), key_at_(std::move(key_at)), include_(std::move(include)), marked_(n, false) {
    for (std::size_t i = 0; i < n; ++i) {
      if (include_(i)) entries_.emplace_back(Hash(key_at_(i)), i);
    }
    std::sort(entries_.begin(), entries_.end());
  }

  // Marks every indexed item whose key is `key`; true iff there was one.
  bool Mark(std::string_view key) {
    const std::size_t hash = Hash(key);
    auto it = std::lower_bound(entries_.begin(), entries_.end(), Entry{hash, 0});
    bool found = false;
    for (; it != entries_.end() && it->first == hash; ++it) {
      if (key_at_(it->second) != key) continue;
      marked_[it->second] = true;
      found = true;
    }
    return found;
  }

  // The indexed items, in order, whose key was never marked; each key once.
  template <typename T, typename ItemAt>
  std::vector<T> Unmarked(ItemAt item_at) const {
    std::vector<T> out;
    std::unordered_set<std::string> reported;
    for (std::size_t i = 0; i < n_; ++i) {
      if (marked_[i] || !include_(i)) continue;
      if (reported.insert(key_at_(i)).second) out.push_back(item_at(i));
    }
    return out;
  }

 private:
  using Entry = std::pair<std::size_t, std::size_t>;  // hash, position
  static std::size_t Hash(std::string_view key) { return std::hash<std::string_view>()(key); }

  std::size_t n_;
  KeyAt key_at_;
  Include include_;
  std::vector<Entry> entries_;
  std::vector<bool> marked_;
};

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
  return "name:" + FoldText(contact.name);
}

std::string InteractionKey(const model::Interaction& interaction) {
  return std::string(model::InteractionKindName(interaction.kind)) + '\x1f' +
         ContactKey(model::Contact{interaction.name, interaction.url, "", {}});
}

std::string EventKey(const model::Event& event) {
  return FoldText(event.name) + '\x1f' + model::CollapseWhitespace(event.start);
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

// One kind of item with a key (contacts, events): the later scan's keys,
// and the earlier scan's items that the later one lacks.
template <typename T>
struct Keyed {
  explicit Keyed(KeyIndex index) : later(std::move(index)) {}

  KeyIndex later;
  std::vector<T> removed;                // in the earlier scan's order
  std::unordered_set<std::string> gone;  // keys of the items in `removed`, and of
                                         // those left out as not seen now

  // An earlier item with `key`: gone iff the later scan lacks its key;
  // listed once per key, and only if the later scan saw its site.
  void AddEarlier(std::string key, const T& item, const std::set<std::string>& unseen_after) {
    if (later.Mark(key)) return;
    if (gone.insert(std::move(key)).second && SeenIn(item.evidence, unseen_after)) {
      removed.push_back(item);
    }
  }
};

struct DiffBuilder::Impl {
  explicit Impl(const model::ScanResult& a)
      : after(a),
        unseen_after(UnseenSites(a)),
        contacts(KeyIndex(
            a.contacts.size(), [&a](std::size_t i) { return ContactKey(a.contacts[i]); }, All)),
        events(KeyIndex(
            a.events.size(), [&a](std::size_t i) { return EventKey(a.events[i]); }, All)),
        facts(
            FactCount(a.identity), [&a](std::size_t i) { return FactKeyAt(a.identity, i); },
            [&a](std::size_t i) { return IsPublicAt(a.identity, i); }) {}

  const model::ScanResult& after;
  // Only what both scans saw is compared: an item is gone only if this scan
  // saw where it was, and new only if the earlier scan saw where it is now.
  const std::set<std::string> unseen_after;
  Keyed<model::Contact> contacts;
  Keyed<model::Event> events;  // plans too, split at the end
  KeyIndex facts;              // public ones only: what was public before is not newly public
};

DiffBuilder::DiffBuilder(const model::ScanResult& after) : impl_(std::make_unique<Impl>(after)) {}
DiffBuilder::~DiffBuilder() = default;

void DiffBuilder::AddBefore(const model::Contact& contact) {
  impl_->contacts.AddEarlier(ContactKey(contact), contact, impl_->unseen_after);
}

void DiffBuilder::AddBefore(const model::Event& event) {
  impl_->events.AddEarlier(EventKey(event), event, impl_->unseen_after);
}

void DiffBuilder::AddBefore(const model::IdentityFact& fact) {
  if (IsPublic(fact)) impl_->facts.Mark(FactKey(fact.kind, fact.value));
}

model::Changes DiffBuilder::Finish(const model::ScanResult& before, std::int64_t before_scan_id) {
  Impl& d = *impl_;
  for (const auto& name : before.identity.names) d.facts.Mark(FactKey("name", name));
  for (const auto& url : before.identity.profiles) d.facts.Mark(FactKey("profile", url));
  model::Changes c;
  c.previous_scan_id = before_scan_id;
  c.previous_now = before.now;
  c.previous_score = before.score.total;
  c.previous_complete = before.score.complete;
  const model::ScanResult& after = d.after;
  const std::set<std::string> unseen_before = UnseenSites(before);
  c.new_contacts = ComparableOnly(
      d.contacts.later.Unmarked<model::Contact>([&](std::size_t i) { return after.contacts[i]; }),
      unseen_before);
  c.removed_contacts = std::move(d.contacts.removed);
  // Interactions are few: both lists are compared whole.
  Keyed<model::Interaction> interactions(KeyIndex(
      after.interactions.size(), [&after](std::size_t i) { return InteractionKey(after.interactions[i]); },
      All));
  for (const auto& i : before.interactions) {
    interactions.AddEarlier(InteractionKey(i), i, d.unseen_after);
  }
  c.new_interactions = ComparableOnly(
      interactions.later.Unmarked<model::Interaction>([&](std::size_t i) { return after.interactions[i]; }),
      unseen_before);
  c.removed_interactions = std::move(interactions.removed);
  SplitPlans(
      ComparableOnly(d.events.later.Unmarked<model::Event>([&](std::size_t i) { return after.events[i]; }),
                     unseen_before),
      &c.new_events, &c.new_plans);
  SplitPlans(std::move(d.events.removed), &c.removed_events, &c.removed_plans);
  c.newly_public = ComparableOnly(
      d.facts.Unmarked<model::IdentityFact>([&](std::size_t i) { return FactAt(after.identity, i); }),
      unseen_before);
  return c;
}

model::Changes Diff(const model::ScanResult& before, const model::ScanResult& after,
                    std::int64_t before_scan_id) {
  DiffBuilder diff(after);
  for (const auto& contact : before.contacts) diff.AddBefore(contact);
  for (const auto& event : before.events) diff.AddBefore(event);
  for (const auto& fact : before.identity.facts) diff.AddBefore(fact);
  return diff.Finish(before, before_scan_id);
}

bool HasNewExposure(const model::Changes& changes) {
  return !changes.new_contacts.empty() || !changes.new_plans.empty();
}

Alerts CheckAlerts(const model::ScanResult& result, const AlertRules& rules) {
  Alerts alerts;
  if (rules.fail_above && result.score.total > *rules.fail_above) {
    alerts.reasons.push_back(
        core::Fill(core::Tr("score {1} is above {2}"),
                   {std::to_string(result.score.total), std::to_string(*rules.fail_above)}));
  }
  if (rules.fail_on_new && result.changes && HasNewExposure(*result.changes)) {
    const auto& c = *result.changes;
    const std::size_t contacts = c.new_contacts.size(), plans = c.new_plans.size();
    alerts.reasons.push_back(core::Fill(
        core::Tr("{1} and {2} visible since scan {3}"),
        {core::Fill(core::TrN("{1} new contact", "{1} new contacts", contacts), {std::to_string(contacts)}),
         core::Fill(core::TrN("{1} new plan", "{1} new plans", plans), {std::to_string(plans)}),
         std::to_string(c.previous_scan_id)}));
  }
  return alerts;
}

}  // namespace telescreen::store
