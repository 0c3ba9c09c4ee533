#include "scan/merge.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <span>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "core/text.h"
#include "core/url.h"
#include "extract/dates.h"
#include "model/dom.h"

namespace telescreen::scan {
namespace {

using core::NormalUrlOr;
using model::FoldText;

void AddEvidence(std::vector<model::Evidence>* to, const model::Evidence& e) {
  for (const auto& have : *to) {
    if (have.page_url == e.page_url && have.via == e.via && have.excerpt == e.excerpt) return;
  }
  to->push_back(e);
}

// A link the report may show: http(s), mailto, tel or no scheme. Any other
// (javascript:, data:, vbscript:) is dropped from the item with a warning
// naming the page and the item; the item itself stays.
struct LinkOwner {
  std::string_view page;
  std::string_view kind;  // "contact", "event", "url", ...
  std::string_view name;  // the item's name; may be empty
};

bool KeepLink(std::string_view url, const LinkOwner& owner, std::vector<std::string>* warnings) {
  if (core::IsSafeLink(url)) return true;
  std::string w = std::string(owner.page) + ": " + std::string(owner.kind);
  if (!owner.name.empty()) w += " \"" + std::string(owner.name) + "\"";
  warnings->push_back(w + ": " + core::LinkScheme(url) +
                      ": link dropped (only http, https, mailto and tel links are kept)");
  return false;
}

// Relations and roles by how much they say: when two pages disagree, the
// stronger one is kept, whatever order the pages came in.
int Rank(std::string_view value, std::span<const std::string_view> order) {
  int i = 0;
  for (auto v : order) {
    if (v == value) return i;
    ++i;
  }
  return i;
}

// `Text` is std::string or core::SharedString (shared, not copied).
template <typename Text, typename Other>
void KeepStronger(Text* have, const Other& other, std::span<const std::string_view> order) {
  const std::string_view h = *have, o = other;
  if (o.empty()) return;
  int a = Rank(h, order), b = Rank(o, order);
  if (h.empty() || b < a || (a == b && o < h)) *have = other;
}

constexpr std::string_view kRelationOrder[] = {
    "spouse",  "sweetheart",   "kin",       "child",       "parent",    "sibling",   "friend",
    "met",     "co-worker",    "colleague", "knows",       "contact",   "following", "follower",
    "follows", "acquaintance", "invitee",   "co-attendee", "organizer", "tagged"};
constexpr std::string_view kRoleOrder[] = {"organised", "spoke",      "attended", "rsvp-yes",
                                           "plan",      "rsvp-maybe", "invited",  "rsvp-no"};

// The more detailed of two texts (the longer; ties alphabetically), so the
// choice does not depend on page order.
template <typename Text, typename Other>
void KeepRicher(Text* have, const Other& other) {
  const std::string_view h = *have, o = other;
  if (o.empty()) return;
  if (h.empty() || o.size() > h.size() || (o.size() == h.size() && o < h)) *have = other;
}

// Reorders `items` so that position k holds what was at from[k] (`from`
// is a permutation), in place: a merged list of thousands of events is
// never held twice.
template <typename T>
void PermuteInPlace(std::vector<T>* items, const std::vector<std::size_t>& from) {
  std::vector<bool> placed(from.size(), false);
  for (std::size_t start = 0; start < from.size(); ++start) {
    if (placed[start]) continue;
    // Walk the cycle through `start`: each slot takes its item from the next.
    T first = std::move((*items)[start]);
    std::size_t k = start;
    while (true) {
      placed[k] = true;
      std::size_t next = from[k];
      if (next == start) {
        (*items)[k] = std::move(first);
        break;
      }
      (*items)[k] = std::move((*items)[next]);
      k = next;
    }
  }
}

// Reorders `items` as `order` says: entry k's index names the item that
// goes to position k (the sorted (key, index) pairs of a merged list).
template <typename T, typename Key>
void PutInOrder(std::vector<T>* items, const std::vector<std::pair<Key, std::size_t>>& order) {
  std::vector<std::size_t> from;
  from.reserve(order.size());
  for (const auto& entry : order) from.push_back(entry.second);
  PermuteInPlace(items, from);
}

// Names ordered by how many pages state them, then alphabetically.
std::vector<std::string> RankNames(const std::map<std::string, std::pair<int, std::string>>& counts) {
  std::vector<std::pair<int, std::string>> v;
  v.reserve(counts.size());
  for (const auto& [key, entry] : counts) v.push_back({-entry.first, entry.second});
  std::sort(v.begin(), v.end());
  std::vector<std::string> out;
  out.reserve(v.size());
  for (auto& [n, name] : v) out.push_back(name);
  return out;
}

void MergeIdentity(const MergeInput& input, model::ScanResult* result) {
  std::map<std::string, std::pair<int, std::string>> names;  // folded -> (count, display)
  std::set<std::string> profiles;                            // sorted and unique: identity.profiles
  for (const auto& url : input.own_profiles) {
    if (std::string u = NormalUrlOr(url); !u.empty()) profiles.insert(std::move(u));
  }
  // A fact's key names its page, so duplicates are found page by page: a
  // set for one page at a time, not one entry per fact of the scan.
  std::set<std::string> seen_facts;
  input.facts.ForEach(
      [&](const std::string& page, const model::PageFacts& facts) {
        seen_facts.clear();
        for (const auto& f : facts.identity) {
          if (f.value.empty()) continue;
          const bool link = f.kind == "url" || f.kind == "profile" || f.kind == "photo";
          if (link && !KeepLink(f.value, {page, f.kind, {}}, &result->warnings)) continue;
          // A handle ("@ann@social.example", "Ann (@ann@x)") is not a name;
          // it stays a fact of its own.
          bool handle = f.value.find("@") != std::string_view::npos;
          if (f.kind == "name" && !handle) {
            auto& entry = names[FoldText(f.value)];
            if (entry.first++ == 0) entry.second = model::CollapseWhitespace(f.value);
          } else if (f.kind == "profile" || f.kind == "url") {
            if (std::string u = NormalUrlOr(f.value); !u.empty()) profiles.insert(std::move(u));
          }
          std::string key =
              f.kind + "\x1f" + FoldText(f.value) + "\x1f" + f.evidence.page_url + "\x1f" + f.evidence.via;
          if (seen_facts.insert(key).second) result->identity.facts.push_back(f);
        }
      },
      FactParts::kIdentity);
  result->identity.names = RankNames(names);
  result->identity.profiles.assign(profiles.begin(), profiles.end());
  std::sort(result->identity.facts.begin(), result->identity.facts.end(),
            [](const model::IdentityFact& a, const model::IdentityFact& b) {
              return std::tie(a.kind, a.value, a.evidence.page_url, a.evidence.via, a.evidence.excerpt) <
                     std::tie(b.kind, b.value, b.evidence.page_url, b.evidence.via, b.evidence.excerpt);
            });
}

// The person's own profile URLs and folded names, for telling a contact
// from the person themself.
struct Self {
  std::set<std::string> profiles;
  std::set<std::string> names;
  explicit Self(const model::Identity& identity)
      : profiles(identity.profiles.begin(), identity.profiles.end()) {
    for (const auto& n : identity.names) names.insert(FoldText(n));
  }
  // `url` normalised, `folded` the folded name.
  bool Is(const std::string& url, const std::string& folded) const {
    return (!url.empty() && profiles.count(url)) || names.count(folded);
  }
};

// Folds the contacts of page after page (in page order) into one list.
class ContactMerge {
 public:
  explicit ContactMerge(const model::Identity& identity) : self_(identity) {}

  void Add(const std::string& page, const model::PageFacts& facts, std::vector<std::string>* warnings) {
    for (const auto& c : facts.contacts) {
      std::string name = model::CollapseWhitespace(c.name);
      const bool safe = KeepLink(c.url, {page, "contact", name}, warnings);
      if (name.empty() && (c.url.empty() || !safe)) continue;
      AddOne(name, safe ? NormalUrlOr(c.url) : std::string(), c.relation, c.evidence);
    }
  }

  // Drops the person from each event's attendees (EventMerge checked
  // their links) and adds the others, of each event the person took part
  // in or plans to, as co-attendees with the event's evidence: being seen
  // with someone at an event ties you to them.
  void AddCoAttendees(std::vector<model::Event>* events) {
    for (model::Event& e : *events) {
      std::erase_if(e.attendees,
                    [&](const model::Attendee& a) { return self_.Is(NormalUrlOr(a.url), FoldText(a.name)); });
      if (!model::TakesPart(e.role)) continue;
      for (const model::Attendee& a : e.attendees) {
        AddOne(model::CollapseWhitespace(a.name), NormalUrlOr(a.url), "co-attendee", e.evidence);
      }
    }
  }

  std::vector<model::Contact> Take() {
    std::vector<std::pair<std::pair<std::string, std::string>, std::size_t>> order;
    for (std::size_t i = 0; i < out_.size(); ++i) order.push_back({{FoldText(out_[i].name), out_[i].url}, i});
    std::sort(order.begin(), order.end());
    PutInOrder(&out_, order);
    return std::move(out_);
  }

 private:
  // `name` collapsed, `url` normalised and safe.
  void AddOne(const std::string& name, const std::string& url, std::string_view relation,
              const std::vector<model::Evidence>& evidence) {
    if (name.empty() && url.empty()) return;
    std::string folded = FoldText(name);
    if (self_.Is(url, folded)) return;
    std::size_t index = out_.size();
    // One person seen on several sites (or lists) is one contact: the
    // same URL, or else the same name, whatever the URL.
    if (auto it = by_url_.find(url); !url.empty() && it != by_url_.end()) {
      index = it->second;
    } else if (auto n = by_name_.find(folded); !folded.empty() && n != by_name_.end()) {
      index = n->second;
    }
    if (index == out_.size()) {
      model::Contact& fresh = out_.emplace_back();
      fresh.name = name;
    }
    model::Contact& m = out_[index];
    // The URL comes from the source with the strongest relation (ties: the
    // smaller URL), so it does not depend on which page came first.
    int have = Rank(m.relation, kRelationOrder), other = Rank(relation, kRelationOrder);
    if (!url.empty() && (m.url.empty() || other < have || (other == have && url < m.url))) m.url = url;
    if (m.name.empty()) m.name = name;
    KeepStronger(&m.relation, relation, kRelationOrder);
    for (const auto& e : evidence) AddEvidence(&m.evidence, e);
    if (!url.empty()) by_url_[url] = index;
    if (!m.url.empty()) by_url_[m.url] = index;
    if (!folded.empty()) by_name_.emplace(std::move(folded), index);
  }

  const Self self_;
  std::vector<model::Contact> out_;
  std::unordered_map<std::string, std::size_t> by_url_, by_name_;
};

// Folds the interactions of page after page into one list: one entry per
// person (URL, else name) and kind. Contacts and the person themself are
// left out: whoever is tied to you more strongly is listed as that.
class InteractionMerge {
 public:
  void Add(const std::string& page, const model::PageFacts& facts, std::vector<std::string>* warnings) {
    for (const model::Interaction& i : facts.interactions) {
      std::string name = model::CollapseWhitespace(i.name);
      const bool safe = KeepLink(i.url, {page, "interaction", name}, warnings);
      std::string url = safe ? NormalUrlOr(i.url) : std::string();
      if (name.empty() && url.empty()) continue;
      std::string key = std::string(model::InteractionKindName(i.kind)) + "\x1f" +
                        (url.empty() ? "n:" + FoldText(name) : "u:" + url);
      auto [it, fresh] = by_key_.try_emplace(std::move(key), out_.size());
      if (fresh) out_.push_back(model::Interaction{name, url, i.kind, {}});
      model::Interaction& m = out_[it->second];
      KeepRicher(&m.name, name);
      for (const auto& e : i.evidence) AddEvidence(&m.evidence, e);
    }
  }

  // Without the person and their contacts; by name, URL and kind.
  std::vector<model::Interaction> Take(const model::Identity& identity,
                                       const std::vector<model::Contact>& contacts) {
    Self self(identity);
    for (const model::Contact& c : contacts) {
      if (!c.url.empty()) self.profiles.insert(c.url);
      if (std::string folded = FoldText(c.name); !folded.empty()) self.names.insert(std::move(folded));
    }
    std::erase_if(out_, [&](const model::Interaction& i) { return self.Is(i.url, FoldText(i.name)); });
    std::sort(out_.begin(), out_.end(), [](const model::Interaction& a, const model::Interaction& b) {
      return std::tuple(FoldText(a.name), a.url, a.kind) < std::tuple(FoldText(b.name), b.url, b.kind);
    });
    return std::move(out_);
  }

 private:
  std::vector<model::Interaction> out_;
  std::unordered_map<std::string, std::size_t> by_key_;
};

// `t` written as ISO 8601 with the precision it has ("2026-01-13",
// "2026-01-13T19:00"), with "Z" only if the text gave an offset.
std::string FormatResolved(core::TimePoint t, core::TimePrecision precision, bool has_offset) {
  std::string iso = core::FormatIsoUtc(t);  // "2026-01-13T19:00:05Z"
  if (precision <= core::TimePrecision::kDay) return iso.substr(0, 10);
  std::string out = iso.substr(0, precision == core::TimePrecision::kMinute ? 16 : 19);
  return has_offset ? out + "Z" : out;
}

}  // namespace

namespace {

// Writes `t` as the event's start, ISO 8601 with its precision; a range
// ("next week", "may 2–3", "6–9pm") also gives the end when it is unknown.
void SetStart(model::Event* e, const core::ParsedTime& t) {
  if (e->end.empty() && t.precision <= core::TimePrecision::kDay && t.end - t.start >= std::chrono::days(1)) {
    e->end = FormatResolved(t.end, core::TimePrecision::kDay, false);  // "next week": to Sunday
  } else if (e->end.empty() && t.precision == core::TimePrecision::kMinute &&
             t.end - t.start >= std::chrono::minutes(1)) {
    e->end = FormatResolved(t.end, core::TimePrecision::kMinute, t.has_offset);  // "6–9pm": to 21:00
  }
  e->start = FormatResolved(t.start, t.precision, t.has_offset);
}

// True iff `text` reads the same from `from` as from 1000 days later: it
// does not count from the day it was said.
bool Absolute(const core::ParsedTime& here, std::string_view text, core::TimePoint from) {
  auto elsewhere = extract::ParseDate(text, from + std::chrono::days(1000));
  return elsewhere && elsewhere->start == here.start && elsewhere->end == here.end;
}

}  // namespace

void NormalizeStart(model::Event* e, core::TimePoint now) {
  if (e->start.empty() || core::ParseIsoTime(e->start)) return;
  // Only a date that reads the same from any day: "20. und 21. 1. 2010",
  // not "Friday" or "12 March" without a year.
  auto here = extract::ParseDate(e->start, now);
  if (here && Absolute(*here, e->start, now)) SetStart(e, *here);
}

void ResolveStatedStart(model::Event* e, core::TimePoint now) {
  if (e->stated_at.empty() || e->start.empty()) return;
  auto said = extract::ParseDate(e->stated_at, now);
  if (!said) return;
  // The start depends on when it was said iff it reads differently from
  // another day ("morgen", "next week", "12. März" without a year).
  auto here = extract::ParseDate(e->start, said->start);
  if (here && !Absolute(*here, e->start, said->start)) SetStart(e, *here);
}

namespace {

// Folds the events of page after page into one list; same name on the same
// day is the same event.
class EventMerge {
 public:
  explicit EventMerge(core::TimePoint now) : now_(now) {}

  void Add(const std::string& page, const model::PageFacts& facts, std::vector<std::string>* warnings) {
    for (const auto& stated : facts.events) {
      // Starts written in words become ISO 8601: from the post's date when
      // they count from it, as they stand when they are absolute.
      model::Event resolved;
      const bool rewrite = !stated.start.empty() && !core::ParseIsoTime(stated.start);
      if (rewrite) {
        resolved = stated;
        if (!stated.stated_at.empty()) ResolveStatedStart(&resolved, now_);
        NormalizeStart(&resolved, now_);
      }
      const model::Event& e = rewrite ? resolved : stated;
      std::string name = model::CollapseWhitespace(e.name);
      if (name.empty()) continue;
      // Same name on the same day is the same event, whatever time format.
      auto parsed = extract::ParseDate(e.start, now_);
      std::string day = parsed ? core::FormatIsoUtc(parsed->start).substr(0, 10) : FoldText(e.start);
      std::string key = FoldText(name) + "\x1f" + day;
      auto [it, fresh] = by_key_.try_emplace(std::move(key), out_.size());
      if (fresh) {
        model::Event& m = out_.emplace_back(e);
        m.name = name;
        m.evidence.clear();
      }
      model::Event& m = out_[it->second];
      if (fresh && !m.url.empty()) m.url = {};  // taken below, if it is safe
      KeepRicher(&m.end, e.end);
      KeepRicher(&m.location, model::CollapseWhitespace(e.location));
      if (KeepLink(e.url, {page, "event", name}, warnings)) KeepRicher(&m.url, e.url);
      if (fresh) m.attendees.clear();  // taken below, each once and with a safe link
      for (const model::Attendee& a : e.attendees) AddAttendee(&m, a, it->second, page, warnings);
      KeepRicher(&m.start, e.start);
      KeepRicher(&m.stated_at, e.stated_at);
      KeepStronger(&m.role, e.role, kRoleOrder);
      for (const auto& ev : e.evidence) AddEvidence(&m.evidence, ev);
    }
  }

  // With tense and imminence, by start (unknown starts last), name, start text.
  std::vector<model::Event> Take() {
    std::vector<std::pair<core::TimePoint, std::size_t>> order;
    for (std::size_t i = 0; i < out_.size(); ++i) {
      model::Event& e = out_[i];
      e.tense = TenseOf(e, now_);
      e.imminent = model::IsImminent(e, now_);
      auto start = extract::ParseDate(e.start, now_);
      order.push_back({start ? start->start : core::TimePoint::max(), i});
    }
    std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
      const model::Event &x = out_[a.second], &y = out_[b.second];
      return std::tie(a.first, x.name, x.start) < std::tie(b.first, y.name, y.start);
    });
    PutInOrder(&out_, order);
    return std::move(out_);
  }

 private:
  // Adds `a` to event `m` (at `index`) unless it lists them already (same
  // URL, or else the same name).
  void AddAttendee(model::Event* m, const model::Attendee& a, std::size_t index, const std::string& page,
                   std::vector<std::string>* warnings) {
    std::string name = model::CollapseWhitespace(a.name);
    const bool safe = KeepLink(a.url, {page, "attendee", name}, warnings);
    std::string url = safe ? NormalUrlOr(a.url) : std::string();
    if ((name.empty() && url.empty()) || m->attendees.size() >= model::kMaxAttendees) return;
    std::string key = std::to_string(index) + (url.empty() ? "\x1fn:" + FoldText(name) : "\x1fu:" + url);
    if (!attendee_keys_.insert(std::move(key)).second) return;
    m->attendees.push_back(model::Attendee{name, url});
  }

  core::TimePoint now_;
  std::vector<model::Event> out_;
  std::unordered_map<std::string, std::size_t> by_key_;
  std::unordered_set<std::string> attendee_keys_;  // event index + attendee url or name
};

}  // namespace

model::Tense TenseOf(const model::Event& event, core::TimePoint now) {
  auto start = extract::ParseDate(event.start, now);
  if (!start) {
    // "Attended" and "spoke" are said of what is over, whenever it was.
    const std::string_view role = event.role;
    return role == "attended" || role == "spoke" ? model::Tense::kPast : model::Tense::kUnknown;
  }
  core::TimePoint end = start->end;
  if (!event.end.empty()) {
    if (auto e = extract::ParseDate(event.end, now)) end = std::max(end, e->end);
  }
  return end < now ? model::Tense::kPast : model::Tense::kFuture;
}

void MergeFacts(const MergeInput& input, model::ScanResult* result) {
  MergeIdentity(input, result);
  // Contacts need the whole identity (to leave the person out); events and
  // warnings are taken in the same pass over the pages.
  ContactMerge contacts(result->identity);
  EventMerge events(input.now);
  InteractionMerge interactions;
  input.facts.ForEach([&](const std::string& page, const model::PageFacts& facts) {
    contacts.Add(page, facts, &result->warnings);
    interactions.Add(page, facts, &result->warnings);
    events.Add(page, facts, &result->warnings);
    for (const auto& w : facts.warnings) result->warnings.push_back(page + ": " + w);
  });
  result->events = events.Take();
  contacts.AddCoAttendees(&result->events);
  result->contacts = contacts.Take();
  result->interactions = interactions.Take(result->identity, result->contacts);
}

}  // namespace telescreen::scan
