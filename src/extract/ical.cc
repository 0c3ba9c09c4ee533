// iCalendar VEVENTs; see ical.h.
//
// RFC 5545: content lines come from content_line.h; this file walks the
// components, resolves DTSTART/DTEND (section 3.3.5: UTC, floating, TZID;
// 3.3.4: all-day DATE), DURATION (3.3.6), expands RRULE (3.3.10) within a
// window around input.now, and turns ORGANIZER/ATTENDEE (3.8.4.3, 3.8.4.1)
// into contacts and the calendar owner's PARTSTAT into the event's role.
// TZIDs resolve through the system tz database (/usr/share/zoneinfo, via
// Howard Hinnant's date library built with USE_OS_TZDB); unknown TZIDs fall
// back to the file's VTIMEZONE offsets, else stay floating with a warning.
#include "extract/ical.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/text.h"
#include "core/time.h"
#include "core/url.h"
#include "extract/content_line.h"
#include "extract/ical_internal.h"
#include "extract/machine_reader.h"

namespace telescreen::extract {
namespace {

using std::chrono::days;
using std::chrono::seconds;

constexpr std::size_t kMaxEvents = 2000;        // events emitted per body
constexpr std::size_t kMaxComponentDepth = 16;  // BEGIN nesting
constexpr std::size_t kMaxContacts = 2000;

struct Component {
  std::string name;  // "VEVENT", "VTIMEZONE", "STANDARD", ...
  std::vector<ContentLine> props;
  std::vector<Component> children;  // only VTIMEZONE keeps its children
  std::size_t line_number = 0;
  std::string method;  // METHOD of the enclosing VCALENDAR (iTIP)

  const ContentLine* Get(std::string_view prop) const {
    for (const auto& p : props) {
      if (p.name == prop) return &p;
    }
    return nullptr;
  }
};

// Splits content lines into top-level components (VEVENT, VTIMEZONE, ...),
// flattening VCALENDAR. Sub-components of VTIMEZONE are kept; others (VALARM)
// are dropped so their properties do not leak into the event.
struct Calendar {
  std::vector<Component> components;
  std::vector<ContentLine> calendar_props;  // METHOD, X-WR-CALNAME, ...
  bool saw_vcalendar = false;
};

Calendar SplitComponents(const std::vector<ContentLine>& lines, std::vector<std::string>* warnings) {
  Calendar cal;
  std::vector<Component> stack;
  std::string method;
  for (const ContentLine& line : lines) {
    if (line.name == "BEGIN") {
      const std::string name = AsciiUpper(line.value);
      if (name == "VCALENDAR" && stack.empty()) {
        cal.saw_vcalendar = true;
        method.clear();  // files may hold several VCALENDARs, each with its METHOD
        continue;
      }
      if (stack.size() >= kMaxComponentDepth) {
        warnings->push_back("line " + std::to_string(line.line_number) +
                            ": components nested too deep; ignored");
        continue;
      }
      stack.push_back(Component{name, {}, {}, line.line_number, ""});
    } else if (line.name == "END") {
      const std::string name = AsciiUpper(line.value);
      if (name == "VCALENDAR" && stack.empty()) continue;
      if (stack.empty() || stack.back().name != name) {
        warnings->push_back("line " + std::to_string(line.line_number) + ": END:" + CutUtf8(name, 40) +
                            " without matching BEGIN");
        continue;
      }
      Component done = std::move(stack.back());
      stack.pop_back();
      if (stack.empty()) {
        done.method = method;
        cal.components.push_back(std::move(done));
      } else if (stack.back().name == "VTIMEZONE") {
        stack.back().children.push_back(std::move(done));
      }
    } else if (!stack.empty()) {
      stack.back().props.push_back(line);
    } else {
      if (line.name == "METHOD") method = AsciiUpper(line.value);
      cal.calendar_props.push_back(line);
    }
  }
  if (!stack.empty()) {
    warnings->push_back("line " + std::to_string(stack.front().line_number) +
                        ": BEGIN:" + CutUtf8(stack.front().name, 40) + " never ended");
    // A truncated download still has its events: keep the open ones.
    std::vector<Component> open;
    while (!stack.empty()) {
      Component done = std::move(stack.back());
      stack.pop_back();
      if (stack.empty() || done.name == "VEVENT") open.push_back(std::move(done));
    }
    for (auto it = open.rbegin(); it != open.rend(); ++it) cal.components.push_back(std::move(*it));
  }
  return cal;
}

// --- Time zones -------------------------------------------------------------

const date::time_zone* LocateZone(const std::string& name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;  // unknown name, or no tz database on this machine
  }
}

// Windows names Outlook and Exchange write as TZID.
const char* WindowsZone(std::string_view name) {
  static constexpr std::pair<std::string_view, const char*> kNames[] = {
      {"W. Europe Standard Time", "Europe/Berlin"},
      {"Romance Standard Time", "Europe/Paris"},
      {"Central Europe Standard Time", "Europe/Budapest"},
      {"Central European Standard Time", "Europe/Warsaw"},
      {"GMT Standard Time", "Europe/London"},
      {"Greenwich Standard Time", "Atlantic/Reykjavik"},
      {"E. Europe Standard Time", "Europe/Chisinau"},
      {"FLE Standard Time", "Europe/Kiev"},
      {"Eastern Standard Time", "America/New_York"},
      {"Central Standard Time", "America/Chicago"},
      {"Mountain Standard Time", "America/Denver"},
      {"Pacific Standard Time", "America/Los_Angeles"},
      {"Tokyo Standard Time", "Asia/Tokyo"},
      {"India Standard Time", "Asia/Kolkata"},
      {"China Standard Time", "Asia/Shanghai"},
      {"AUS Eastern Standard Time", "Australia/Sydney"},
      {"UTC", "UTC"},
  };
  for (const auto& [windows, iana] : kNames) {
    if (windows == name) return iana;
  }
  return nullptr;
}

}  // namespace

namespace ical_internal {

const date::time_zone* ResolveTzid(std::string_view tzid) {
  std::string name(tzid);
  if (name.empty()) return nullptr;
  if (const auto* z = LocateZone(name)) return z;
  if (const char* iana = WindowsZone(name)) return LocateZone(iana);
  // "/mozilla.org/20050126_1/Europe/Berlin",
  // "/softwarestudio.org/Olson_20011030_5/America/New_York": try the last two and three path
  // segments.
  for (int segments = 2; segments <= 3; ++segments) {
    std::size_t pos = name.size();
    int found = 0;
    while (found < segments && pos > 0) {
      pos = name.rfind('/', pos - 1);
      if (pos == std::string::npos) break;
      ++found;
    }
    if (found == segments && pos != std::string::npos) {
      if (const auto* z = LocateZone(name.substr(pos + 1))) return z;
    }
  }
  return nullptr;
}

}  // namespace ical_internal

namespace {

// A DATE or DATE-TIME value as written.
struct IcalTime {
  enum Kind { kDate, kUtc, kZoned, kFloating, kFixedOffset } kind = kFloating;
  date::local_seconds local{};            // the wall time written (UTC time for kUtc)
  const date::time_zone* zone = nullptr;  // kZoned
  seconds offset{0};                      // kFixedOffset (from a VTIMEZONE)
  std::string tzid;
};

std::optional<IcalTime> ParseIcalTime(const ContentLine& line, std::string_view text) {
  auto parsed = core::ParseIsoTime(text);
  if (!parsed) return std::nullopt;
  IcalTime t;
  t.local = date::local_seconds{parsed->start.time_since_epoch()};
  const bool date_only = line.HasParam("VALUE", "DATE") || parsed->precision <= core::TimePrecision::kDay;
  if (date_only) {
    t.kind = IcalTime::kDate;
    t.local = date::floor<date::days>(t.local);
  } else if (parsed->has_offset) {
    t.kind = IcalTime::kUtc;
  } else if (!line.Param("TZID").empty()) {
    t.tzid = std::string(line.Param("TZID"));
    t.kind = IcalTime::kZoned;
  }
  return t;
}

// The instant `t` denotes; floating and all-day times read as UTC.
core::TimePoint ToSys(const IcalTime& t) {
  if (t.kind == IcalTime::kZoned && t.zone != nullptr) {
    try {
      return date::floor<seconds>(t.zone->to_sys(t.local, date::choose::earliest));
    } catch (const std::exception&) {
      // fall through: read as UTC
    }
  }
  if (t.kind == IcalTime::kFixedOffset) return core::TimePoint{t.local.time_since_epoch() - t.offset};
  return core::TimePoint{t.local.time_since_epoch()};
}

std::string FormatOffset(seconds offset) {
  const long total = static_cast<long>(offset.count()) / 60;
  const long a = total < 0 ? -total : total;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%c%02ld:%02ld", total < 0 ? '-' : '+', (a / 60) % 100, a % 60);
  return buf;
}

// ISO 8601 with the authored precision: "2026-03-12", "2026-03-12T19:00:00Z",
// "2026-03-12T19:00:00+01:00", or "2026-03-12T19:00:00" when floating.
std::string FormatIcalTime(const IcalTime& t) {
  const auto day = date::floor<date::days>(t.local);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<seconds> tod{t.local - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  std::string out = buf;
  if (t.kind == IcalTime::kDate) return out;
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d", static_cast<int>(tod.hours().count()),
                static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()));
  out += buf;
  switch (t.kind) {
    case IcalTime::kUtc:
      return out + "Z";
    case IcalTime::kFixedOffset:
      return out + FormatOffset(t.offset);
    case IcalTime::kZoned:
      if (t.zone != nullptr) {
        const core::TimePoint sys = ToSys(t);
        return out + FormatOffset(seconds{(t.local.time_since_epoch() - sys.time_since_epoch()).count()});
      }
      return out;
    default:
      return out;
  }
}

// RFC 5545 section 3.3.6: "P15DT5H0M20S", "-PT15M", "P7W". nullopt if malformed.
std::optional<seconds> ParseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  long sign = 1;
  if (text[0] == '+' || text[0] == '-') {
    sign = text[0] == '-' ? -1 : 1;
    text.remove_prefix(1);
  }
  if (text.empty() || (text[0] != 'P' && text[0] != 'p')) return std::nullopt;
  text.remove_prefix(1);
  long total = 0;
  long number = -1;
  bool in_time = false;
  for (char c : text) {
    const char u = core::AsciiUpperChar(c);
    if (c >= '0' && c <= '9') {
      number = (number < 0 ? 0 : number) * 10 + (c - '0');
      if (number > 100000000) return std::nullopt;
      continue;
    }
    if (u == 'T') {
      in_time = true;
      continue;
    }
    if (number < 0) return std::nullopt;
    long unit = 0;
    if (u == 'W' && !in_time)
      unit = 7 * 86400;
    else if (u == 'D' && !in_time)
      unit = 86400;
    else if (u == 'H' && in_time)
      unit = 3600;
    else if (u == 'M' && in_time)
      unit = 60;
    else if (u == 'S' && in_time)
      unit = 1;
    else
      return std::nullopt;
    total += number * unit;
    if (total > 100L * 366 * 86400) return std::nullopt;  // a century is enough
    number = -1;
  }
  if (number >= 0) return std::nullopt;
  return seconds{sign * total};
}

}  // namespace

// --- Events -----------------------------------------------------------------

namespace {

using ical_internal::Rrule;

std::string StripMailto(std::string_view v) {
  return std::string(core::WithoutPrefixIgnoreAsciiCase(v, "mailto:"));
}

std::string RoleFromPartstat(std::string_view partstat) {
  const std::string p = AsciiUpper(partstat);
  if (p == "ACCEPTED") return "rsvp-yes";
  if (p == "TENTATIVE") return "rsvp-maybe";
  if (p == "DECLINED") return "rsvp-no";
  if (p == "NEEDS-ACTION" || p.empty() || p == "DELEGATED") return "invited";
  return "";  // COMPLETED, IN-PROCESS: to-do states
}

using core::EqualsIgnoreAsciiCase;

class IcalReader : public MachineReader {
 public:
  IcalReader(const PageInput& input, model::PageFacts* facts) : MachineReader(input, facts, "ical") {
    const core::TimePoint now = input.now;
    window_.first = date::local_seconds{(now - days{366}).time_since_epoch()};
    window_.last = date::local_seconds{(now + days{366}).time_since_epoch()};
    window_.period_budget = &period_budget_;
  }

  void Read(const Calendar& cal) {
    std::string calendar_name;  // RFC 7986 NAME, else X-WR-CALNAME
    std::string calendar_name_prop;
    std::string method;
    for (const auto& p : cal.calendar_props) {
      if (p.name == "METHOD") method = AsciiUpper(p.value);
      if (p.name == "X-WR-CALNAME" && p.value.find('@') != std::string::npos) {
        owner_email_ = StripMailto(UnescapeText(p.value));
      } else if ((p.name == "NAME" || (p.name == "X-WR-CALNAME" && calendar_name.empty())) &&
                 p.value.find('@') == std::string::npos) {
        calendar_name = UnescapeText(p.value);
        calendar_name_prop = p.name;
      }
    }
    // A published feed (a group's or a person's own calendar) is named after
    // whose it is; an invitation (iTIP REQUEST, REPLY, ...) is not.
    calendar_name = std::string(core::Trim(calendar_name));
    if (!calendar_name.empty() && (method.empty() || method == "PUBLISH")) {
      model::IdentityFact name;
      name.kind = "name";
      name.value = CutUtf8(calendar_name, 200);
      name.evidence = MakeEvidence(calendar_name_prop + ":" + calendar_name);
      name.evidence.via = "ical:calendar-name";
      facts_->identity.push_back(std::move(name));
    }
    // A Google-style feed URL names its owner: /calendar/ical/ann%40example.org/...
    const std::string path = core::PercentDecode(input_.url.path());
    if (owner_email_.empty()) {
      for (std::size_t at = path.find('@'); at != std::string::npos; at = std::string::npos) {
        std::size_t b = path.rfind('/', at);
        std::size_t e = path.find('/', at);
        b = b == std::string::npos ? 0 : b + 1;
        owner_email_ = path.substr(b, e == std::string::npos ? std::string::npos : e - b);
      }
    }
    for (const Component& c : cal.components) {
      if (c.name == "VTIMEZONE") {
        if (const ContentLine* id = c.Get("TZID")) timezones_[id->value] = &c;
      }
    }
    // Overridden occurrences (RECURRENCE-ID) replace the generated ones.
    for (const Component& c : cal.components) {
      if (c.name != "VEVENT") continue;
      const ContentLine* uid = c.Get("UID");
      const ContentLine* rid = c.Get("RECURRENCE-ID");
      if (uid && rid) {
        if (auto t = ParseIcalTime(*rid, rid->value)) overrides_.insert({uid->value, t->local});
      }
    }
    // An iTIP REPLY names the event only by UID: its PARTSTAT is the role
    // of the reader for every VEVENT with that UID.
    for (const Component& c : cal.components) {
      const ContentLine* uid = c.Get("UID");
      if (c.name != "VEVENT" || uid == nullptr) continue;
      if (std::string role = OwnerRole(c); !role.empty()) uid_roles_[uid->value] = role;
    }
    for (const Component& c : cal.components) {
      if (facts_->events.size() >= kMaxEvents) {
        Warn(c.line_number, "more than " + std::to_string(kMaxEvents) + " events; the rest ignored");
        break;
      }
      if (c.name == "VEVENT") ReadEvent(c);
    }
  }

 private:
  // Resolves TZID to a zone, or to a fixed offset from the file's VTIMEZONE.
  void Resolve(IcalTime* t, std::size_t line) {
    if (t->kind != IcalTime::kZoned) return;
    t->zone = ical_internal::ResolveTzid(t->tzid);
    if (t->zone != nullptr) return;
    auto it = timezones_.find(t->tzid);
    if (it != timezones_.end()) {
      if (auto offset = VtimezoneOffset(*it->second, t->local)) {
        t->kind = IcalTime::kFixedOffset;
        t->offset = *offset;
        return;
      }
    }
    Warn(line, "unknown TZID '" + CutUtf8(t->tzid, 60) + "'; time kept floating");
    t->kind = IcalTime::kFloating;
  }

  // The UTC offset a VTIMEZONE gives at local time `at`: the sub-component
  // (STANDARD/DAYLIGHT) whose latest onset at or before `at` is latest.
  std::optional<seconds> VtimezoneOffset(const Component& tz, date::local_seconds at) {
    std::optional<seconds> best_offset;
    date::local_seconds best_onset{};
    for (const Component& sub : tz.children) {
      const ContentLine* to = sub.Get("TZOFFSETTO");
      const ContentLine* start = sub.Get("DTSTART");
      if (to == nullptr) continue;
      auto offset = core::ParseIsoTime("2000-01-01T00:00:00" + to->value);
      if (!offset) continue;
      const seconds off{-(offset->start.time_since_epoch().count() - 946684800)};
      date::local_seconds onset{};
      if (start != nullptr) {
        if (auto t = ParseIcalTime(*start, start->value)) onset = t->local;
      }
      if (onset > at) continue;
      if (const ContentLine* rrule = sub.Get("RRULE")) {
        if (auto rule = ical_internal::ParseRrule(rrule->value); rule.ok()) {
          ical_internal::RecurrenceWindow w{at - days{400}, at, &period_budget_};
          bool capped = false;
          auto onsets = ical_internal::ExpandRrule(rule.value(), onset, w, std::nullopt, &capped);
          if (!onsets.empty()) onset = onsets.back();
        }
      }
      if (!best_offset || onset > best_onset) {
        best_offset = off;
        best_onset = onset;
      }
    }
    return best_offset;
  }

  // The calendar owner's participation, if the file says who the owner is.
  std::string OwnerRole(const Component& c) {
    std::vector<const ContentLine*> attendees;
    for (const auto& p : c.props) {
      if (p.name == "ATTENDEE") attendees.push_back(&p);
    }
    if (!owner_email_.empty()) {
      if (const ContentLine* org = c.Get("ORGANIZER");
          org && EqualsIgnoreAsciiCase(StripMailto(org->value), owner_email_)) {
        return "organised";
      }
      for (const ContentLine* a : attendees) {
        if (EqualsIgnoreAsciiCase(StripMailto(a->value), owner_email_)) {
          owner_line_ = a;
          return RoleFromPartstat(a->Param("PARTSTAT"));
        }
      }
    }
    // An iTIP REPLY or an invitation to one person: that attendee is the reader.
    if (attendees.size() == 1 &&
        (c.method == "REPLY" || c.method == "REQUEST" || !attendees[0]->Param("PARTSTAT").empty())) {
      owner_line_ = attendees[0];
      return RoleFromPartstat(attendees[0]->Param("PARTSTAT"));
    }
    return "";
  }

  void AddContact(const ContentLine& line, const std::string& relation) {
    if (facts_->contacts.size() >= kMaxContacts) return;
    model::Contact contact;
    const std::string email = StripMailto(line.value);
    if (!owner_email_.empty() && EqualsIgnoreAsciiCase(email, owner_email_)) return;  // the person
    contact.name = UnescapeText(line.Param("CN"));
    if (contact.name.empty()) contact.name = email;
    if (!email.empty()) contact.url = "mailto:" + email;
    contact.relation = relation;
    if (contact.name.empty() && contact.url.empty()) return;
    const std::string key = relation + "\n" + AsciiUpper(contact.url) + "\n" + contact.name;
    if (!NewContactKey(key)) return;
    std::string excerpt = line.name + ":" + line.value;
    if (!line.Param("PARTSTAT").empty()) excerpt += " PARTSTAT=" + std::string(line.Param("PARTSTAT"));
    if (!line.Param("ROLE").empty()) excerpt += " ROLE=" + std::string(line.Param("ROLE"));
    contact.evidence.push_back(MakeEvidence(excerpt));
    facts_->contacts.push_back(std::move(contact));
  }

  void ReadEvent(const Component& c) {
    const ContentLine* status = c.Get("STATUS");
    if (status && AsciiUpper(status->value) == "CANCELLED") return;

    model::Event base;
    if (const ContentLine* p = c.Get("SUMMARY")) base.name = UnescapeText(p->value);
    if (const ContentLine* p = c.Get("LOCATION")) base.location = UnescapeText(p->value);
    if (const ContentLine* p = c.Get("URL")) base.url = p->value;
    owner_line_ = nullptr;
    base.role = OwnerRole(c);
    if (const ContentLine* uid = c.Get("UID"); uid && base.role.empty()) {
      if (auto it = uid_roles_.find(uid->value); it != uid_roles_.end()) base.role = it->second;
    }
    if (const ContentLine* org = c.Get("ORGANIZER")) AddContact(*org, "organizer");
    for (const auto& p : c.props) {
      if (p.name != "ATTENDEE") continue;
      if (&p != owner_line_) AddContact(p, "co-attendee");
      if (base.attendees.size() < model::kMaxAttendees) {
        const std::string email = StripMailto(p.value);
        std::string name = UnescapeText(p.Param("CN"));
        base.attendees.push_back(
            model::Attendee{name.empty() ? email : name, email.empty() ? std::string() : "mailto:" + email});
      }
    }

    // Without a usable DTSTART a named event is still an event, just undated.
    const ContentLine* dtstart = c.Get("DTSTART");
    std::optional<IcalTime> start;
    if (dtstart == nullptr) {
      Warn(c.line_number, "VEVENT without DTSTART");
    } else if (start = ParseIcalTime(*dtstart, dtstart->value); !start) {
      Warn(dtstart->line_number, "DTSTART '" + CutUtf8(dtstart->value, 40) + "' not understood");
    }
    if (!start) {
      if (!base.name.empty()) {
        base.evidence.push_back(MakeEvidence("SUMMARY:" + base.name + " (no DTSTART)"));
        facts_->events.push_back(std::move(base));
      }
      return;
    }
    Resolve(&*start, dtstart->line_number);

    std::optional<seconds> length;
    std::optional<IcalTime> end;
    if (const ContentLine* p = c.Get("DTEND")) {
      end = ParseIcalTime(*p, p->value);
      if (end) {
        Resolve(&*end, p->line_number);
        length = ToSys(*end) - ToSys(*start);
      } else {
        Warn(p->line_number, "DTEND '" + CutUtf8(p->value, 40) + "' not understood");
      }
    } else if (const ContentLine* p = c.Get("DURATION")) {
      length = ParseDuration(p->value);
      if (!length) Warn(p->line_number, "DURATION '" + CutUtf8(p->value, 40) + "' not understood");
    }

    const std::string excerpt_head = "SUMMARY:" + base.name;
    std::vector<IcalTime> occurrences;
    const ContentLine* rrule = c.Get("RRULE");
    if (rrule != nullptr && !c.Get("RECURRENCE-ID")) {
      occurrences = Occurrences(c, *rrule, *start);
    }
    const bool recurring = !occurrences.empty();
    if (!recurring) occurrences.push_back(*start);

    for (const IcalTime& occurrence : occurrences) {
      if (facts_->events.size() >= kMaxEvents) return;
      model::Event event = base;  // copies role, name, location
      event.start = FormatIcalTime(occurrence);
      if (length) {
        IcalTime e = occurrence;
        if (end && !recurring) {
          e = *end;
        } else {
          e.local += *length;
        }
        event.end = FormatIcalTime(e);
      }
      event.evidence.push_back(
          MakeEvidence(excerpt_head + " DTSTART:" + event.start + (recurring ? " (RRULE occurrence)" : "")));
      facts_->events.push_back(std::move(event));
    }
  }

  // Occurrences of a recurring event inside the window, less EXDATEs and
  // overridden ones; empty when none falls in the window (the caller then
  // keeps DTSTART so the series is not lost).
  std::vector<IcalTime> Occurrences(const Component& c, const ContentLine& rrule_line,
                                    const IcalTime& start) {
    auto parsed = ical_internal::ParseRrule(rrule_line.value);
    if (!parsed.ok()) {
      Warn(rrule_line.line_number, parsed.error().message);
      return {};
    }
    const Rrule& rule = parsed.value();
    if (rule.freq == Rrule::kUnsupported) {
      Warn(rrule_line.line_number, "RRULE frequency below daily not expanded");
      return {};
    }
    if (rule.unsupported_parts) {
      Warn(rrule_line.line_number, "RRULE parts BYSETPOS/BYYEARDAY/BYWEEKNO/BYHOUR ignored");
    }
    std::optional<date::local_seconds> until;
    if (!rule.until.empty()) {
      if (auto u = core::ParseIsoTime(rule.until)) {
        until = date::local_seconds{u->start.time_since_epoch()};
        if (u->precision <= core::TimePrecision::kDay) *until += days{1} - seconds{1};
        // A UTC UNTIL compared with zoned wall times: shift by the zone's offset.
        if (u->has_offset && start.kind != IcalTime::kUtc && start.kind != IcalTime::kDate) {
          const seconds offset = start.local.time_since_epoch() - ToSys(start).time_since_epoch();
          *until += offset;
        }
      }
    }
    std::set<date::local_seconds> excluded;
    for (const auto& p : c.props) {
      if (p.name != "EXDATE") continue;
      for (const std::string& v : SplitEscaped(p.value, ',')) {
        if (excluded.size() > 1000) break;
        if (auto t = ParseIcalTime(p, v)) {
          IcalTime x = *t;
          if (x.kind == IcalTime::kUtc && start.kind != IcalTime::kUtc) {
            Resolve(&x, p.line_number);
            const seconds offset = start.local.time_since_epoch() - ToSys(start).time_since_epoch();
            x.local += offset;
          }
          excluded.insert(x.local);
        }
      }
    }
    bool capped = false;
    auto locals = ical_internal::ExpandRrule(rule, start.local, window_, until, &capped);
    if (period_budget_ <= 0) {
      if (!budget_warned_) {
        Warn(rrule_line.line_number, "recurrence budget spent; this and later RRULEs not fully expanded");
      }
      budget_warned_ = true;
    } else if (capped) {
      Warn(rrule_line.line_number, "RRULE expansion stopped at " +
                                       std::to_string(ical_internal::kMaxOccurrences) +
                                       " occurrences or 5000 periods");
    }
    const ContentLine* uid = c.Get("UID");
    std::vector<IcalTime> out;
    for (const auto& local : locals) {
      if (excluded.count(local)) continue;
      if (uid && overrides_.count({uid->value, local})) continue;
      IcalTime t = start;
      t.local = local;
      out.push_back(t);
    }
    return out;
  }

  ical_internal::RecurrenceWindow window_;
  // Recurrence periods all RRULEs of one body may walk: hostile files with
  // thousands of never-matching rules stay within a fraction of a second.
  long period_budget_ = 100000;
  bool budget_warned_ = false;
  std::string owner_email_;
  const ContentLine* owner_line_ = nullptr;
  std::map<std::string, const Component*> timezones_;
  std::map<std::string, std::string> uid_roles_;
  std::set<std::pair<std::string, date::local_seconds>> overrides_;
};

}  // namespace

model::PageFacts ExtractIcal(std::string_view text, const PageInput& input) {
  model::PageFacts facts;
  ContentLines lines = ParseContentLines(text);
  for (auto& w : lines.warnings) facts.warnings.push_back("ical: " + w);
  Calendar cal = SplitComponents(lines.lines, &facts.warnings);
  if (!cal.saw_vcalendar && cal.components.empty()) {
    facts.warnings.clear();  // line-by-line complaints about a non-calendar say nothing
    facts.warnings.push_back("ical: no BEGIN:VCALENDAR or VEVENT found; not an iCalendar body");
    return facts;
  }
  IcalReader reader(input, &facts);
  reader.Read(cal);
  if (facts.events.empty()) {
    std::size_t vevents = 0;
    for (const auto& c : cal.components) vevents += c.name == "VEVENT";
    facts.warnings.push_back(vevents == 0 ? "ical: calendar holds no VEVENT"
                                          : "ical: no VEVENT could be read");
  }
  return facts;
}

}  // namespace telescreen::extract
