// Turns a merged scan into findings: one scored observation per thing a
// watcher learns, each with its evidence and a fix (docs/scoring.md).
//
// Every step is order independent: items are keyed and merged in ordered
// maps, visibilities combine by max, sites by set union, evidence is sorted,
// and sums run over sorted keys. So the same facts in any order give the
// same bytes.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/text.h"
#include "core/text_hash.h"
#include "core/time.h"
#include "core/url.h"
#include "score/constants.h"
#include "score/rescore.h"
#include "score/score.h"

namespace telescreen::score {

// FNV-1a, 48 bits in hex: short stable ids for findings.
std::string StableId(std::string_view key) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%012llx", static_cast<unsigned long long>(h & 0xffffffffffffull));
  return buf;
}

double SiteFactor(std::size_t sites) {
  double extra = sites > 1 ? static_cast<double>(sites - 1) : 0.0;
  return std::min(kMaxSiteFactor, 1.0 + kPerExtraSiteFactor * extra);
}

namespace {

using model::Evidence;
using model::Finding;

constexpr std::size_t kMaxEvidencePerFinding = 12;
constexpr std::size_t kMaxTitleValueBytes = 80;

double Sensitivity(std::string_view kind) {
  for (const KindSpec& k : kKinds) {
    if (k.kind == kind) return k.sensitivity;
  }
  return 0;
}

// Lower-case ASCII, whitespace runs collapsed, trimmed: the key two spellings
// of one thing share.
std::string Normalise(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : core::AsciiLower(s)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Cuts a value for a title at a UTF-8 boundary.
std::string Short(std::string_view s) {
  if (s.size() <= kMaxTitleValueBytes) return std::string(s);
  std::size_t n = kMaxTitleValueBytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n)) + "...";
}

// The part of a URL its site depends on: up to the end of the authority
// ("https://a.example:8443" of "https://a.example:8443/p?q"); the whole
// text if it has no "://".
std::string_view SitePart(std::string_view url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return url;
  std::size_t end = url.find_first_of("/?#\\", scheme + 3);
  return end == std::string_view::npos ? url : url.substr(0, end);
}

// The origin without its scheme: each host and port is its own site (the
// demo serves each site on its own loopback port), the default port is
// left out so titles read "social.example". A URL that does not parse
// (another scheme, a bad port) is its own site, spelled in full. Asked once
// per piece of evidence, of a few origins: remembered per thread (bounded).
std::string SiteOf(std::string_view url) {
  thread_local std::unordered_map<std::string, std::string, core::TextHash, std::equal_to<>> known;
  const std::string_view part = SitePart(url);
  if (auto it = known.find(part); it != known.end()) return it->second;
  std::optional<std::string> site = model::SiteTitleOfUrl(part);
  if (!site) return url.empty() ? std::string("unknown site") : std::string(url);
  if (known.size() >= 256) known.clear();
  known.emplace(std::string(part), *site);
  return *site;
}

double EvidenceVisibility(const Evidence& e) {
  if (e.visibility == model::Visibility::kMembersOnly) return kVisibilityMembersOnly;
  return e.machine_readable ? kVisibilityMachineReadable : kVisibilityPublic;
}

// One source's visibility: the freest of its evidence. A source without
// evidence was still found, by a route we cannot name: plain public.
double SourceVisibility(const std::vector<Evidence>& evidence) {
  if (evidence.empty()) return kVisibilityPublic;
  double v = kVisibilityNotFound;
  for (const Evidence& e : evidence) v = std::max(v, EvidenceVisibility(e));
  return v;
}

// Evidence in the order a finding shows it. Two pieces that differ only in
// their rule's fix are one piece shown (EvidenceEq); the one with a fix (the
// smallest text) sorts first, so de-duplication keeps it whatever the order
// they came in.
bool EvidenceLess(const Evidence& a, const Evidence& b) {
  return std::tie(a.page_url, a.via, a.excerpt, a.machine_readable, a.visibility) <
             std::tie(b.page_url, b.via, b.excerpt, b.machine_readable, b.visibility) ||
         (std::tie(a.page_url, a.via, a.excerpt, a.machine_readable, a.visibility) ==
              std::tie(b.page_url, b.via, b.excerpt, b.machine_readable, b.visibility) &&
          std::make_pair(a.remediation.empty(), a.remediation.view()) <
              std::make_pair(b.remediation.empty(), b.remediation.view()));
}
bool EvidenceEq(const Evidence& a, const Evidence& b) {
  return std::tie(a.page_url, a.via, a.excerpt, a.machine_readable, a.visibility) ==
         std::tie(b.page_url, b.via, b.excerpt, b.machine_readable, b.visibility);
}

// Findings about several sites at once keep their own fix: one site's
// settings page does not undo a link between sites.
bool CrossSite(std::string_view id) {
  for (std::string_view p : {"network.overlap", "linkage.", "past.points", "plans.routine."}) {
    if (id.substr(0, p.size()) == p) return true;
  }
  return false;
}

// Adds the site patterns behind `evidence` to *packs.
void AddPacks(const std::vector<Evidence>& evidence, std::set<std::string>* packs) {
  for (const Evidence& e : evidence) {
    if (std::string pack = model::SitePackOfVia(e.via); !pack.empty()) packs->insert(std::move(pack));
  }
}

std::string SiteLabel(const std::string& site, const std::vector<Evidence>& evidence) {
  std::set<std::string> packs;
  AddPacks(evidence, &packs);
  return model::SiteLabel(site, packs);
}

// The key two spellings of one value share: phone numbers by their digits,
// everything else by Normalise.
std::string ValueKey(std::string_view kind, std::string_view value) {
  if (kind == "phone") {
    std::string digits;
    for (char c : value) {
      if ((c >= '0' && c <= '9') || (c == '+' && digits.empty())) digits += c;
    }
    if (digits.size() >= 5) return digits;
  }
  return Normalise(value);
}

// A thing seen from one or more sources, merged by key.
struct Item {
  std::string display;             // smallest original spelling, for titles
  double visibility = 0;           // max over sources
  double weight = 0;               // max over sources of visibility x confidence
  std::set<std::string> sites;     // where it was seen
  std::vector<Evidence> evidence;  // all of it, sorted later

  void Add(std::string_view shown, const std::vector<Evidence>& ev, double confidence = 1.0) {
    if (display.empty() || shown < display) display = std::string(shown);
    visibility = std::max(visibility, SourceVisibility(ev));
    weight = std::max(weight, SourceVisibility(ev) * confidence);
    for (const Evidence& e : ev) {
      sites.insert(SiteOf(e.page_url));
      evidence.push_back(e);
    }
  }
  double SiteFactor() const { return score::SiteFactor(sites.size()); }
};

// A finding's evidence sorted as it is shown, each piece once.
void SortUnique(std::vector<Evidence>* ev) {
  std::sort(ev->begin(), ev->end(), EvidenceLess);
  ev->erase(std::unique(ev->begin(), ev->end(), EvidenceEq), ev->end());
}

bool HasFix(const Evidence& e) { return !e.remediation.empty(); }

// What the findings were made from, by finding id, for RescoreModel.
struct RescoreRecord {
  // normalised name -> network.site id -> (the name's visibility there, a site in the count)
  std::map<std::string, std::map<std::string, std::pair<double, bool>>> names;
  double overlap_sensitivity = 0;
  // Thousands of events: small, a place once however many events are there.
  struct Group {
    std::string id;  // MergedEvent::id; the finding is plans.event.<id> or past.event.<id>
    int place = -1;  // index into routines
    bool plan = false;
    double visibility = 0;
  };
  std::vector<Group> groups;
  std::map<std::string, int> places;  // "venue \x1f date" -> index into routines
  std::vector<std::string> routines;  // per place: the plans.routine id of its venue and weekday
  double past_points_sensitivity = 0;
  double routine_sensitivity = 0;
};

// Collects findings by id, merging evidence, and finishes them in one
// place. Kept in the order first asked for (a deque: references stay valid
// while more are added); findings that give the same fix share one buffer
// for it (Text).
class FindingSet {
 public:
  explicit FindingSet(RescoreRecord* record = nullptr) : record_(record) {}
  // Non-null when the findings are built for re-scoring too.
  RescoreRecord* record() const { return record_; }

  Finding& Get(std::string_view id, std::string_view category) {
    if (auto it = index_.find(id); it != index_.end()) return findings_[it->second];
    Finding& f = findings_.emplace_back();
    f.id = id;
    f.category = Text(category);
    index_.emplace(f.id.view(), findings_.size() - 1);  // views f.id's buffer, which never moves
    return f;
  }

  // `text` as a shared string: one buffer per distinct text.
  core::SharedString Text(std::string_view text) {
    if (auto it = texts_.find(text); it != texts_.end()) return it->second;
    core::SharedString shared(text);
    texts_.emplace(shared.view(), shared);
    return shared;
  }

  std::vector<Finding> Finish() && {
    index_.clear();
    std::vector<Finding> out;
    out.reserve(findings_.size());
    while (!findings_.empty()) {
      // Each finding leaves the set as it joins the list: never both.
      Finding f = std::move(findings_.front());
      findings_.pop_front();
      if (f.points <= 0) continue;
      SortUnique(&f.evidence);
      // A pattern rule knows the site's own settings page: its fix beats our
      // generic text, except for findings about several sites at once.
      if (!CrossSite(f.id)) {
        if (auto fix = std::find_if(f.evidence.begin(), f.evidence.end(), HasFix); fix != f.evidence.end()) {
          f.remediation = fix->remediation;
        }
      }
      if (f.evidence.size() > kMaxEvidencePerFinding) f.evidence.resize(kMaxEvidencePerFinding);
      f.evidence.shrink_to_fit();
      f.points = std::round(f.points * 1000) / 1000;
      f.visibility = std::round(f.visibility * 1000) / 1000;
      out.push_back(std::move(f));
    }
    // Ids are unique: the order is total, whatever order findings came in.
    std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
      if (a.points != b.points) return a.points > b.points;
      return a.id < b.id;
    });
    return out;
  }

 private:
  RescoreRecord* record_;
  std::deque<Finding> findings_;
  std::unordered_map<std::string_view, std::size_t> index_;         // id -> findings_ index
  std::unordered_map<std::string_view, core::SharedString> texts_;  // keys view their values
};

// A finding shows its kMaxEvidencePerFinding smallest pieces of evidence
// (EvidenceLess), and Finish takes a pattern rule's fix from the smallest
// piece that has one. Once a finding gathers many, only those are kept: a
// finding about thousands of pages never holds all their evidence.
constexpr std::size_t kEvidenceKeptAt = 64;

void KeepShownEvidence(Finding* f) {
  std::vector<Evidence>& ev = f->evidence;
  if (ev.size() < kEvidenceKeptAt) return;
  SortUnique(&ev);
  if (ev.size() <= kMaxEvidencePerFinding) return;
  const auto shown = ev.begin() + static_cast<std::ptrdiff_t>(kMaxEvidencePerFinding);
  std::size_t keep = kMaxEvidencePerFinding;
  if (std::none_of(ev.begin(), shown, HasFix)) {
    if (auto fix = std::find_if(shown, ev.end(), HasFix); fix != ev.end()) {
      std::iter_swap(shown, fix);
      ++keep;
    }
  }
  ev.resize(keep);
}

void AddEvidence(Finding* f, const std::vector<Evidence>& ev) {
  f->evidence.insert(f->evidence.end(), ev.begin(), ev.end());
  KeepShownEvidence(f);
}

// As AddEvidence, for an item that is not read again: its evidence moves.
void MoveEvidence(Finding* f, std::vector<Evidence>* ev) {
  f->evidence.insert(f->evidence.end(), std::make_move_iterator(ev->begin()),
                     std::make_move_iterator(ev->end()));
  std::vector<Evidence>().swap(*ev);
  KeepShownEvidence(f);
}

std::string Plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// ---- Whom you know -------------------------------------------------------

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
  f.title = Plural(people.size(), "person has", "people have") +
            " visibly reacted to, commented on or mentioned your posts";
  f.remediation = out->Text(
      "Limit who can comment on or react to your posts, or hide who did, in each site's post "
      "privacy settings.");
}

void AddNetwork(const model::ScanResult& r, FindingSet* out) {
  // site -> contact key -> item
  std::map<std::string, std::map<std::string, Item>> by_site;
  std::map<std::string, Item> by_name;  // across sites, for overlap
  for (const model::Contact& c : r.contacts) {
    std::string key = c.url.empty() ? "name:" + Normalise(c.name) : "url:" + c.url;
    std::map<std::string, std::vector<Evidence>> per_site;
    for (const Evidence& e : c.evidence) per_site[SiteOf(e.page_url)].push_back(e);
    if (per_site.empty()) per_site[c.url.empty() ? "unknown site" : SiteOf(c.url)];
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
    const std::string label = model::SiteLabel(site, packs);
    f.title = Plural(items.size(), "contact", "contacts") + " visible on " + Short(label);
    f.remediation = out->Text("On " + Short(label) +
                              ", set your contact or follower list to visible to you only "
                              "(privacy settings), or remove contacts you do not want linked to you.");
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
    fo->title = Plural(overlap, "contact appears", "contacts appear") +
                " on more than one site, confirming who your circle is";
    fo->remediation = out->Text(
        "Hide contact lists on all but one site; a contact seen on two sites ties "
        "those profiles to the same person.");
  }
}

// ---- Where you were / where you will be ----------------------------------

// A place on a day; its map key holds the normalised venue and the date.
struct DatedPlace {
  int weekday = 0;  // 0 = Sunday
  double visibility = 0;
  std::vector<Evidence> evidence;
  core::SharedString shown_venue;  // smallest spelling of the venue
};

// The authored calendar date of an event start with at least day precision.
std::optional<std::pair<std::string, int>> DateAndWeekday(std::string_view start) {
  if (start.size() < 10) return std::nullopt;
  auto t = core::ParseIsoTime(start.substr(0, 10));
  if (!t || t->precision < core::TimePrecision::kDay) return std::nullopt;
  auto days = std::chrono::floor<std::chrono::days>(t->start);
  std::chrono::weekday wd{days};
  return std::make_pair(std::string(start.substr(0, 10)), static_cast<int>(wd.c_encoding()));
}

bool PreciseVenue(std::string_view location) {
  int commas = 0;
  for (char c : location) {
    if (c >= '0' && c <= '9') return true;
    if (c == ',') ++commas;
  }
  return commas >= 2;
}

std::string RoutineId(std::string_view venue, int weekday) {
  return "plans.routine." + StableId(std::string(venue) + "\x1f" + std::to_string(weekday));
}

std::string DayName(int weekday) {
  static constexpr std::string_view kNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                "Thursday", "Friday", "Saturday"};
  return std::string(kNames[weekday % 7]);
}

std::string EventTitle(std::string_view verb, const model::Event& e) {
  std::string t = std::string(verb) + " \"" + Short(e.name) + "\"";
  if (!e.location.empty()) t += " at " + Short(e.location);
  if (!e.start.empty()) {
    // The calendar day of an ISO start; other text ("next Tuesday") as written.
    t += " on " + (DateAndWeekday(e.start) ? std::string(e.start.view().substr(0, 10)) : Short(e.start));
  }
  return t;
}

// The event's status ("cancelled", "moved-online", ...), normalised; "" =
// as planned.
std::string StatusOf(const model::Event& e) { return Normalise(e.status); }

// Imminence: a plan in the next two weeks is worth twice one far off.
double PlanFactor(const model::Event& e, core::TimePoint now, long long* days_out) {
  double factor = 1.0;
  *days_out = -1;
  if (auto days = model::DaysUntilStart(e, now)) {
    long long d = *days;
    *days_out = d;
    if (d <= kImminentDays) {
      factor = kImminentFactor;
    } else if (d <= kSoonDays) {
      factor = kSoonFactor;
    }
  }
  // Co-attendees say with whom you will be there, as well as where.
  if (!e.attendees.empty() && model::TakesPart(e.role)) factor *= kWithPeopleFactor;
  if (e.location.empty() || StatusOf(e) == "moved-online") {
    factor *= kNoVenueFactor;
  } else if (PreciseVenue(e.location)) {
    factor *= kPreciseVenueFactor;
  }
  return factor;
}

std::string SiteList(const Item& item) {
  std::string out;
  for (const auto& s : item.sites) {
    std::vector<Evidence> here;
    for (const Evidence& e : item.evidence) {
      if (SiteOf(e.page_url) == s) here.push_back(e);
    }
    if (!out.empty()) out += ", ";
    out += SiteLabel(s, here);
  }
  return out.empty() ? std::string("the site") : out;
}

// One event after merging duplicates (same name, start, place and tense).
struct MergedEvent {
  const model::Event* first = nullptr;  // smallest spelling, for titles
  std::string id;                       // stable hash of the key
  std::string venue;                    // normalised location
  Item item;
};

// Calls `visit` with each group of events that are one (same name, start,
// place and tense), in key order, one group at a time: a scan with
// thousands of events never holds them all merged at once.
template <typename Visit>
void ForEachMergedEvent(const std::vector<model::Event>& events, Visit&& visit) {
  using Key = std::tuple<std::string, std::string, std::string, int>;
  std::vector<std::pair<Key, const model::Event*>> keyed;
  keyed.reserve(events.size());
  for (const model::Event& e : events) {
    // A cancelled event puts nobody anywhere.
    if (StatusOf(e) == "cancelled") continue;
    keyed.emplace_back(std::make_tuple(Normalise(e.name), Normalise(e.start), Normalise(e.location),
                                       static_cast<int>(e.tense)),
                       &e);
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < keyed.size();) {
    const Key& key = keyed[i].first;
    MergedEvent m;
    std::size_t j = i;
    for (; j < keyed.size() && keyed[j].first == key; ++j) {
      const model::Event& e = *keyed[j].second;
      if (m.first == nullptr || std::tie(e.name, e.location, e.start) <
                                    std::tie(m.first->name, m.first->location, m.first->start)) {
        m.first = &e;
      }
      m.item.Add(e.name, e.evidence);
    }
    m.id = StableId(std::get<0>(key) + "\x1f" + std::get<1>(key) + "\x1f" + std::get<2>(key));
    m.venue = std::get<2>(key);
    visit(m);
    i = j;
  }
}

void AddPlan(const MergedEvent& m, core::TimePoint now, FindingSet* out) {
  const model::Event& e = *m.first;
  long long days = -1;
  Finding& f = out->Get("plans.event." + m.id, "plans");
  f.sensitivity = Sensitivity("event.future");
  f.points += f.sensitivity * m.item.visibility * m.item.SiteFactor() * PlanFactor(e, now, &days);
  f.visibility = std::max(f.visibility, m.item.visibility);
  AddEvidence(&f, m.item.evidence);
  std::string title = EventTitle("Will attend", e);
  if (days == 0) title += " (today or under way)";
  if (days > 0) title += " (in " + Plural(static_cast<std::size_t>(days), "day", "days") + ")";
  f.title = title;
  // The title names the event; the fix is the same for every plan on the
  // same sites, so the report can offer it once for all of them.
  f.remediation = out->Text("Hide your attendance on " + SiteList(m.item) +
                            " until the event is over (RSVP visibility: only me or attendees); "
                            "do not post the venue or time of future plans publicly.");
}

void AddPast(const MergedEvent& m, FindingSet* out) {
  const model::Event& e = *m.first;
  const bool dated = e.tense == model::Tense::kPast;
  Finding& f = out->Get("past.event." + m.id, "past");
  f.sensitivity = Sensitivity(dated ? "event.past" : "event.unknown");
  f.points += f.sensitivity * m.item.visibility * m.item.SiteFactor();
  f.visibility = std::max(f.visibility, m.item.visibility);
  AddEvidence(&f, m.item.evidence);
  f.title = EventTitle(dated ? "Attended" : "Listed at", e);
  f.remediation = out->Text("Remove yourself from the event's attendee list on " + SiteList(m.item) +
                            ", or make your past events visible to you only.");
}

using Places = std::map<std::pair<std::string, std::string>, DatedPlace>;  // (venue, date)

// Records the event's place and calendar day, if it has both.
void AddPlace(const MergedEvent& m, Places* places) {
  const model::Event& e = *m.first;
  if (e.location.empty() || StatusOf(e) == "moved-online") return;
  auto dw = DateAndWeekday(e.start);
  if (!dw) return;
  DatedPlace& p = (*places)[{m.venue, dw->first}];
  if (p.shown_venue.empty() || e.location < p.shown_venue) p.shown_venue = e.location;
  p.weekday = dw->second;
  p.visibility = std::max(p.visibility, m.item.visibility);
  p.evidence.insert(p.evidence.end(), m.item.evidence.begin(), m.item.evidence.end());
}

// Four dated places single out most people (de Montjoye et al. 2013).
void AddReidentification(const Places& places, FindingSet* out) {
  if (places.size() < static_cast<std::size_t>(kReidentifyingPoints)) return;
  Finding& f = out->Get("past.points", "past");
  f.sensitivity = Sensitivity("past.points");
  for (const auto& [k, p] : places) {
    f.visibility = std::max(f.visibility, p.visibility);
    AddEvidence(&f, p.evidence);
  }
  f.points = f.sensitivity * f.visibility;
  f.title = Plural(places.size(), "dated place", "dated places") +
            " are public: four are enough to single out most people";
  f.remediation = out->Text(
      "Hide your past events (attendance history, check-ins) on every site; each dated "
      "place you remove makes you harder to pick out.");
}

// Records the merged event for re-scoring: its finding and its place.
void RecordGroup(const MergedEvent& m, FindingSet* out) {
  RescoreRecord* rec = out->record();
  if (rec == nullptr) return;
  const model::Event& e = *m.first;
  RescoreRecord::Group g;
  g.plan = e.tense == model::Tense::kFuture;
  g.id = m.id;
  g.visibility = m.item.visibility;
  // Where AddPlace puts it.
  if (!e.location.empty() && StatusOf(e) != "moved-online") {
    if (auto dw = DateAndWeekday(e.start)) {
      auto [it, fresh] =
          rec->places.try_emplace(m.venue + "\x1f" + dw->first, static_cast<int>(rec->routines.size()));
      if (fresh) rec->routines.push_back(RoutineId(m.venue, dw->second));
      g.place = it->second;
    }
  }
  rec->groups.push_back(std::move(g));
}

// Routines: the same venue on the same weekday, kRoutineMinCount+ dates.
void AddRoutines(const Places& places, FindingSet* out) {
  std::map<std::pair<std::string, int>, std::vector<const DatedPlace*>> routines;
  for (const auto& [k, p] : places) routines[{k.first, p.weekday}].push_back(&p);
  for (const auto& [k, list] : routines) {
    if (list.size() < static_cast<std::size_t>(kRoutineMinCount)) continue;
    Finding& f = out->Get(RoutineId(k.first, k.second), "plans");
    f.sensitivity = Sensitivity("routine");
    std::string shown;
    for (const DatedPlace* p : list) {
      f.visibility = std::max(f.visibility, p->visibility);
      if (shown.empty() || p->shown_venue < shown) shown = p->shown_venue;
      AddEvidence(&f, p->evidence);
    }
    f.points = f.sensitivity * f.visibility * (static_cast<double>(list.size()) / kRoutineMinCount);
    f.title = "A routine: at " + Short(shown) + " on " + DayName(k.second) + "s (" +
              Plural(list.size(), "time", "times") + "), so a watcher can predict the next one";
    f.remediation = out->Text("Stop posting or RSVPing publicly to the recurring " + DayName(k.second) +
                              " events at " + Short(shown) + ", or post them only after the fact.");
  }
}

void AddEvents(const model::ScanResult& r, core::TimePoint now, FindingSet* out) {
  {
    // Two walks over the events: the dated places of thousands of events
    // are gone before the findings about each event are made.
    Places places;
    ForEachMergedEvent(r.events, [&](const MergedEvent& m) { AddPlace(m, &places); });
    AddReidentification(places, out);
    AddRoutines(places, out);
  }
  if (RescoreRecord* rec = out->record()) {
    rec->past_points_sensitivity = Sensitivity("past.points");
    rec->routine_sensitivity = Sensitivity("routine");
  }
  ForEachMergedEvent(r.events, [&](const MergedEvent& m) {
    RecordGroup(m, out);
    if (m.first->tense == model::Tense::kFuture) {
      AddPlan(m, now, out);
    } else {
      AddPast(m, out);
    }
  });
}

// ---- Identity: reach, linkage, affiliation -------------------------------

struct FactKind {
  std::string_view kind;
  std::string_view title;  // "Email address"
  std::string_view fix;
};

constexpr FactKind kFactKinds[] = {
    {"email", "Email address",
     "Remove the email address from your public profiles, or use a separate alias "
     "you can retire."},
    {"phone", "Phone number",
     "Remove the phone number from your public profiles; anyone can call, text or "
     "look it up."},
    {"address", "Postal address", "Remove your street address; give it privately to people who need it."},
    {"location", "Home town or city", "Show a broader region instead of your town, or nothing."},
    {"birthday", "Birthday", "Hide your date of birth; it is a common security question and identity key."},
    {"photo", "Profile photo",
     "Use a different photo on each site, or none: a photo matches profiles across "
     "sites and in face search."},
    {"employer", "Employer",
     "Hide your employer or show it to contacts only; it tells a stranger where to "
     "find you on weekdays."},
    {"group", "Group membership", "Leave or hide memberships you would not tell a stranger about."},
    {"headline", "Job title", "Shorten your public headline to what a stranger needs to know."},
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
  auto parsed = core::Url::Parse(url);
  std::string key = parsed.ok() ? parsed.value().ToString() : std::string(url);
  while (key.size() > 1 && key.back() == '/') key.pop_back();
  return key;
}

// How sure we are that a fact is about the person: a generic text rule's
// find on a page that is not one of their profiles may be someone else's.
double Confidence(const model::IdentityFact& fact, const std::set<std::string>& own_pages) {
  if (fact.evidence.via.rfind("pattern:text/", 0) != 0) return 1.0;
  return own_pages.count(UrlKey(fact.evidence.page_url)) ? 1.0 : kOffProfileTextConfidence;
}

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
            std::string(fk.title) +
            (item.visibility > kVisibilityMembersOnly ? " public: " : " visible to members: ") +
            Short(item.display);
        if (item.sites.size() > 1) title += " (on " + Plural(item.sites.size(), "site", "sites") + ")";
        if (item.weight < item.visibility * 0.999) title += kMaybeSomeoneElse;
        f.title = title;
        f.remediation = out->Text(fk.fix);
      }
    }
  }
}

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
    f.title = Plural(profiles.size(), "profile", "profiles") + " on " +
              Plural(sites.size(), "site", "sites") + " are linked to each other (rel=me, sameAs, links)";
    f.remediation = out->Text(
        "Remove rel=\"me\" and sameAs links between profiles you want kept apart, and "
        "the \"my other profiles\" links on your homepage.");
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
    f.title = "The same name \"" + Short(item.display) + "\" on " +
              Plural(item.sites.size(), "site", "sites") + " ties them together";
    f.remediation =
        out->Text("Use a different display name (or a nickname) on sites you want kept separate.");
  }
}

}  // namespace

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
                                             RescoreModel* model) {
  RescoreRecord rec;
  FindingSet set(&rec);
  AddLinkage(result, &set);
  AddFacts(result, &set);
  AddNetwork(result, &set);
  AddEvents(result, now, &set);
  std::vector<Finding> findings = std::move(set).Finish();
  *model = ToModel(findings, std::move(rec));
  return findings;
}

std::vector<Finding> BuildFindings(const model::ScanResult& result, core::TimePoint now) {
  FindingSet set;
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
