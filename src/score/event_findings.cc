// Where you were and where you will be: past events, plans, the dated places
// they add up to, and routines (docs/scoring.md).

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/i18n.h"
#include "core/local_format.h"
#include "core/time.h"
#include "score/constants.h"
#include "score/finding_set.h"

namespace telescreen::score {

using model::Evidence;
using model::Finding;

namespace {

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

// What a title says the person did at an event.
enum class Role { kAttended, kListed, kWillAttend };

// The title's sentence for a role, with or without a venue ({2}) and a day
// ({3}); {1} is the event's name. Whole sentences, so a translation can
// order them its own way.
const char* EventSentence(Role role, bool venue, bool day) {
  static constexpr const char* kSentences[3][4] = {
      {core::NoopTr("Attended \"{1}\""), core::NoopTr("Attended \"{1}\" on {3}"),
       core::NoopTr("Attended \"{1}\" at {2}"), core::NoopTr("Attended \"{1}\" at {2} on {3}")},
      {core::NoopTr("Listed at \"{1}\""), core::NoopTr("Listed at \"{1}\" on {3}"),
       core::NoopTr("Listed at \"{1}\" at {2}"), core::NoopTr("Listed at \"{1}\" at {2} on {3}")},
      {core::NoopTr("Will attend \"{1}\""), core::NoopTr("Will attend \"{1}\" on {3}"),
       core::NoopTr("Will attend \"{1}\" at {2}"), core::NoopTr("Will attend \"{1}\" at {2} on {3}")},
  };
  return kSentences[static_cast<int>(role)][(venue ? 2 : 0) + (day ? 1 : 0)];
}

std::string EventTitle(Role role, const model::Event& e) {
  // The calendar day of an ISO start, as the reader's language writes a
  // date; other text ("next Tuesday") as written.
  std::string day;
  if (!e.start.empty()) {
    const std::string_view date = e.start.view().substr(0, 10);
    day = DateAndWeekday(e.start) ? core::ReaderMoment(date, core::TimePrecision::kDay) : Short(e.start);
  }
  return core::Fill(core::TrText(EventSentence(role, !e.location.empty(), !e.start.empty())),
                    {Short(e.name), Short(e.location), day});
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
  return out;
}

// Gives *f the fix that names the item's sites ({1} of `on_sites`), or
// `on_no_site` when its evidence names none: two whole sentences, so a
// translation needs no word for "the site" to fit into the other.
void SetSitesFix(const Item& item, const char* on_sites, const char* on_no_site, Finding* f,
                 FindingSet* out) {
  if (const std::string sites = SiteList(item); !sites.empty()) {
    out->SetFix(f, on_sites, {sites});
  } else {
    out->SetFix(f, on_no_site);
  }
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
  std::string title = EventTitle(Role::kWillAttend, e);
  if (days == 0) title = core::Fill(core::Tr("{1} (today or under way)"), {title});
  if (days > 0) {
    const auto n = static_cast<std::size_t>(days);
    title = core::Fill(core::TrN("{1} (in {2} day)", "{1} (in {2} days)", n), {title, Num(n)});
  }
  f.title = title;
  // The title names the event; the fix is the same for every plan on the
  // same sites, so the report can offer it once for all of them.
  SetSitesFix(m.item,
              core::NoopTr("Hide your attendance on {1} until the event is over (RSVP visibility: only me "
                           "or attendees); do not post the venue or time of future plans publicly."),
              core::NoopTr("Hide your attendance on the site until the event is over (RSVP visibility: "
                           "only me or attendees); do not post the venue or time of future plans publicly."),
              &f, out);
}

void AddPast(const MergedEvent& m, FindingSet* out) {
  const model::Event& e = *m.first;
  const bool dated = e.tense == model::Tense::kPast;
  Finding& f = out->Get("past.event." + m.id, "past");
  f.sensitivity = Sensitivity(dated ? "event.past" : "event.unknown");
  f.points += f.sensitivity * m.item.visibility * m.item.SiteFactor();
  f.visibility = std::max(f.visibility, m.item.visibility);
  AddEvidence(&f, m.item.evidence);
  f.title = EventTitle(dated ? Role::kAttended : Role::kListed, e);
  SetSitesFix(m.item,
              core::NoopTr("Remove yourself from the event's attendee list on {1}, or make your past "
                           "events visible to you only."),
              core::NoopTr("Remove yourself from the event's attendee list on the site, or make your "
                           "past events visible to you only."),
              &f, out);
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
  f.title = core::Fill(
      core::TrN("{1} dated place is public: four are enough to single out most people",
                "{1} dated places are public: four are enough to single out most people", places.size()),
      {Num(places.size())});
  out->SetFix(&f, core::NoopTr("Hide your past events (attendance history, check-ins) on every site; each "
                               "dated place you remove makes you harder to pick out."));
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
    const core::Language lang = core::CurrentLanguage();
    const std::string venue = Short(shown);
    f.title = core::Fill(
        core::TrN("A routine: at {1} {2} ({3} time), so a watcher can predict the next one",
                  "A routine: at {1} {2} ({3} times), so a watcher can predict the next one", list.size()),
        {venue, core::WeekdayName(k.second, lang, core::WeekdayForm::kEvery), Num(list.size())});
    // {1} names the day ("Sunday"), {3} says "each week on it" ("on Sundays"):
    // a translation takes the one its sentence needs.
    out->SetFix(
        &f,
        core::NoopTr("Stop posting or RSVPing publicly to the recurring {1} events at {2}, or post them "
                     "only after the fact."),
        {core::WeekdayName(k.second, core::Language::kEnglish), venue,
         core::WeekdayName(k.second, core::Language::kEnglish, core::WeekdayForm::kEvery)},
        {core::WeekdayName(k.second, lang), venue,
         core::WeekdayName(k.second, lang, core::WeekdayForm::kEvery)});
  }
}

}  // namespace

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

}  // namespace telescreen::score
