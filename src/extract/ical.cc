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

#include "core/time.h"
#include "core/url.h"
#include "extract/content_line.h"
#include "extract/ical_internal.h"

namespace telescreen::extract {
namespace {

using std::chrono::days;
using std::chrono::seconds;

constexpr std::size_t kMaxEvents = 2000;        // events emitted per body
constexpr std::size_t kMaxOccurrences = 100;    // per recurring event
constexpr std::size_t kMaxComponentDepth = 16;  // BEGIN nesting
constexpr std::size_t kMaxContacts = 2000;

struct Component {
  std::string name;                 // "VEVENT", "VTIMEZONE", "STANDARD", ...
  std::vector<ContentLine> props;
  std::vector<Component> children;  // only VTIMEZONE keeps its children
  std::size_t line_number = 0;
  std::string method;               // METHOD of the enclosing VCALENDAR (iTIP)

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
        warnings->push_back("line " + std::to_string(line.line_number) + ": END:" +
                            CutUtf8(name, 40) + " without matching BEGIN");
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
    warnings->push_back("line " + std::to_string(stack.front().line_number) + ": BEGIN:" +
                        CutUtf8(stack.front().name, 40) + " never ended");
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
  // "/mozilla.org/20050126_1/Europe/Berlin", "/softwarestudio.org/Olson_20011030_5/America/New_York":
  // try the last two and three path segments.
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
    case IcalTime::kUtc: return out + "Z";
    case IcalTime::kFixedOffset: return out + FormatOffset(t.offset);
    case IcalTime::kZoned:
      if (t.zone != nullptr) {
        const core::TimePoint sys = ToSys(t);
        return out + FormatOffset(seconds{(t.local.time_since_epoch() - sys.time_since_epoch()).count()});
      }
      return out;
    default: return out;
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
    const char u = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
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
    if (u == 'W' && !in_time) unit = 7 * 86400;
    else if (u == 'D' && !in_time) unit = 86400;
    else if (u == 'H' && in_time) unit = 3600;
    else if (u == 'M' && in_time) unit = 60;
    else if (u == 'S' && in_time) unit = 1;
    else return std::nullopt;
    total += number * unit;
    if (total > 100L * 366 * 86400) return std::nullopt;  // a century is enough
    number = -1;
  }
  if (number >= 0) return std::nullopt;
  return seconds{sign * total};
}

}  // namespace

// --- RRULE ------------------------------------------------------------------

namespace ical_internal {

std::optional<Rrule> ParseRrule(std::string_view text, std::string* error) {
  Rrule rule;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find(';', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = text.substr(pos, end - pos);
    pos = end + 1;
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      *error = "RRULE part without '=': " + CutUtf8(part, 40);
      return std::nullopt;
    }
    const std::string key = AsciiUpper(part.substr(0, eq));
    const std::string value = AsciiUpper(part.substr(eq + 1));
    auto number = [&](int lo, int hi, int* out) {
      int v = 0;
      bool neg = false;
      std::size_t i = 0;
      if (i < value.size() && (value[i] == '-' || value[i] == '+')) neg = value[i++] == '-';
      if (i >= value.size()) return false;
      for (; i < value.size(); ++i) {
        if (value[i] < '0' || value[i] > '9' || v > 1000000) return false;
        v = v * 10 + (value[i] - '0');
      }
      v = neg ? -v : v;
      if (v < lo || v > hi) return false;
      *out = v;
      return true;
    };
    bool ok = true;
    if (key == "FREQ") {
      if (value == "DAILY") rule.freq = Rrule::kDaily;
      else if (value == "WEEKLY") rule.freq = Rrule::kWeekly;
      else if (value == "MONTHLY") rule.freq = Rrule::kMonthly;
      else if (value == "YEARLY") rule.freq = Rrule::kYearly;
      else rule.freq = Rrule::kUnsupported;  // SECONDLY, MINUTELY, HOURLY
    } else if (key == "INTERVAL") {
      ok = number(1, 1000000, &rule.interval);
    } else if (key == "COUNT") {
      ok = number(1, 1000000, &rule.count);
    } else if (key == "UNTIL") {
      rule.until = value;
    } else if (key == "BYDAY" || key == "BYMONTH" || key == "BYMONTHDAY") {
      for (const std::string& item : SplitEscaped(value, ',')) {
        if (key == "BYDAY") {
          static constexpr std::string_view kDays[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
          if (item.size() < 2) { ok = false; break; }
          const std::string_view day = std::string_view(item).substr(item.size() - 2);
          int wd = 0;
          for (int d = 0; d < 7; ++d) {
            if (kDays[d] == day) wd = d + 1;
          }
          int ordinal = 0;
          const std::string prefix = item.substr(0, item.size() - 2);
          if (!prefix.empty()) {
            int v = 0;
            bool neg = false;
            std::size_t i = 0;
            if (prefix[0] == '-' || prefix[0] == '+') neg = prefix[i++] == '-';
            for (; i < prefix.size() && v < 1000; ++i) {
              if (prefix[i] < '0' || prefix[i] > '9') { wd = 0; break; }
              v = v * 10 + (prefix[i] - '0');
            }
            ordinal = neg ? -v : v;
            if (ordinal < -53 || ordinal > 53) wd = 0;
          }
          if (wd == 0) { ok = false; break; }
          if (rule.by_day.size() < 64) rule.by_day.push_back({ordinal, wd});
        } else {
          int v = 0;
          std::string_view sv = item;
          bool neg = !sv.empty() && sv[0] == '-';
          if (!sv.empty() && (sv[0] == '-' || sv[0] == '+')) sv.remove_prefix(1);
          if (sv.empty() || sv.size() > 2) { ok = false; break; }
          for (char c : sv) {
            if (c < '0' || c > '9') { ok = false; break; }
            v = v * 10 + (c - '0');
          }
          if (!ok) break;
          if (key == "BYMONTH") {
            if (neg || v < 1 || v > 12) { ok = false; break; }
            if (rule.by_month.size() < 12) rule.by_month.push_back(v);
          } else {
            if (v < 1 || v > 31) { ok = false; break; }
            if (rule.by_month_day.size() < 62) rule.by_month_day.push_back(neg ? -v : v);
          }
        }
      }
    } else if (key == "BYSETPOS" || key == "BYYEARDAY" || key == "BYWEEKNO" || key == "BYHOUR" ||
               key == "BYMINUTE" || key == "BYSECOND") {
      rule.unsupported_parts = true;
    }
    if (!ok) {
      *error = "RRULE " + key + "=" + CutUtf8(value, 40) + " not understood";
      return std::nullopt;
    }
  }
  if (rule.freq == Rrule::kNone) {
    *error = "RRULE without FREQ";
    return std::nullopt;
  }
  return rule;
}

namespace {

using date::local_days;

int IsoWeekday(local_days d) { return static_cast<int>(date::weekday{d}.iso_encoding()); }

bool InList(const std::vector<int>& list, int v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// The days of month (y, m) the rule selects, in order.
std::vector<local_days> DaysInMonth(const Rrule& rule, date::year y, date::month m, unsigned dtstart_day) {
  std::vector<local_days> out;
  const local_days first{y / m / 1};
  const unsigned last_day = static_cast<unsigned>(date::year_month_day_last{y / m / date::last}.day());
  std::vector<bool> chosen(last_day + 1, false);
  if (!rule.by_month_day.empty()) {
    for (int d : rule.by_month_day) {
      const int day = d > 0 ? d : static_cast<int>(last_day) + 1 + d;
      if (day >= 1 && day <= static_cast<int>(last_day)) chosen[day] = true;
    }
    if (!rule.by_day.empty()) {  // both given: intersection
      for (unsigned day = 1; day <= last_day; ++day) {
        const int wd = IsoWeekday(first + days{day - 1});
        bool match = false;
        for (const auto& [ordinal, weekday] : rule.by_day) match = match || weekday == wd;
        chosen[day] = chosen[day] && match;
      }
    }
  } else if (!rule.by_day.empty()) {
    for (const auto& [ordinal, weekday] : rule.by_day) {
      std::vector<unsigned> matches;
      for (unsigned day = 1; day <= last_day; ++day) {
        if (IsoWeekday(first + days{day - 1}) == weekday) matches.push_back(day);
      }
      if (ordinal == 0) {
        for (unsigned day : matches) chosen[day] = true;
      } else {
        const int index = ordinal > 0 ? ordinal - 1 : static_cast<int>(matches.size()) + ordinal;
        if (index >= 0 && index < static_cast<int>(matches.size())) chosen[matches[index]] = true;
      }
    }
  } else if (dtstart_day <= last_day) {
    chosen[dtstart_day] = true;  // "the 31st" skips shorter months (RFC 5545 3.3.10)
  }
  for (unsigned day = 1; day <= last_day; ++day) {
    if (chosen[day]) out.push_back(first + days{day - 1});
  }
  return out;
}

// The first day of the `index`th period after DTSTART's (the day itself,
// its week's Monday, the first of its month or year); nullopt when that
// would leave the years 1..9999.
std::optional<local_days> PeriodAnchor(const Rrule& rule, local_days start, long index) {
  const long step = index * static_cast<long>(rule.interval);
  const date::year_month_day s{start};
  long months = static_cast<int>(s.year()) * 12L + static_cast<long>(static_cast<unsigned>(s.month())) - 1;
  long day_offset = 0;
  switch (rule.freq) {
    case Rrule::kDaily: day_offset = step; break;
    case Rrule::kWeekly: day_offset = 7 * step - (IsoWeekday(start) - 1); break;
    case Rrule::kMonthly: months += step; break;
    case Rrule::kYearly: months = (static_cast<int>(s.year()) + step) * 12L; break;
    default: return std::nullopt;
  }
  if (rule.freq == Rrule::kDaily || rule.freq == Rrule::kWeekly) {
    const long d = start.time_since_epoch().count() + day_offset;
    if (d < -719000 || d > 2932000) return std::nullopt;  // 0001-01-01 .. 9999-12-31
    return local_days{days{d}};
  }
  if (months < 12 || months >= 10000L * 12) return std::nullopt;
  return local_days{date::year{static_cast<int>(months / 12)} /
                    date::month{static_cast<unsigned>(months % 12 + 1)} / 1};
}

bool MonthAllowed(const Rrule& rule, local_days d) {
  const date::year_month_day ymd{d};
  return rule.by_month.empty() ||
         InList(rule.by_month, static_cast<int>(static_cast<unsigned>(ymd.month())));
}

bool WeekdayAllowed(const Rrule& rule, int wd) {
  for (const auto& [ordinal, weekday] : rule.by_day) {
    if (weekday == wd) return true;
  }
  return false;
}

// Candidate days of the period that starts at `anchor`.
std::vector<local_days> PeriodDays(const Rrule& rule, local_days start, local_days anchor) {
  std::vector<local_days> out;
  const date::year_month_day s{start};
  const date::year_month_day a{anchor};
  switch (rule.freq) {
    case Rrule::kDaily: {
      const date::year_month_day ymd{anchor};
      if (!MonthAllowed(rule, anchor)) break;
      if (!rule.by_month_day.empty() &&
          !InList(rule.by_month_day, static_cast<int>(static_cast<unsigned>(ymd.day())))) {
        break;
      }
      if (!rule.by_day.empty() && !WeekdayAllowed(rule, IsoWeekday(anchor))) break;
      out.push_back(anchor);
      break;
    }
    case Rrule::kWeekly:  // weeks start on Monday (WKST=MO, the default)
      for (int wd = 1; wd <= 7; ++wd) {
        const local_days d = anchor + days{wd - 1};
        const bool match = rule.by_day.empty() ? wd == IsoWeekday(start) : WeekdayAllowed(rule, wd);
        if (match && MonthAllowed(rule, d)) out.push_back(d);
      }
      break;
    case Rrule::kMonthly:
      if (!MonthAllowed(rule, anchor)) break;
      out = DaysInMonth(rule, a.year(), a.month(), static_cast<unsigned>(s.day()));
      break;
    case Rrule::kYearly: {
      std::vector<int> months = rule.by_month;
      if (months.empty()) months.push_back(static_cast<int>(static_cast<unsigned>(s.month())));
      std::sort(months.begin(), months.end());
      for (int m : months) {
        auto in_month = DaysInMonth(rule, a.year(), date::month{static_cast<unsigned>(m)},
                                    static_cast<unsigned>(s.day()));
        out.insert(out.end(), in_month.begin(), in_month.end());
      }
      break;
    }
    default: break;
  }
  return out;
}

// Periods between DTSTART and `target`, to skip ahead without counting.
long PeriodsBefore(const Rrule& rule, local_days start, local_days target) {
  if (target <= start) return 0;
  const long span_days = (target - start).count();
  const date::year_month_day a{start};
  const date::year_month_day b{target};
  const long months = (static_cast<int>(b.year()) - static_cast<int>(a.year())) * 12L +
                      (static_cast<long>(static_cast<unsigned>(b.month())) -
                       static_cast<long>(static_cast<unsigned>(a.month())));
  switch (rule.freq) {
    case Rrule::kDaily: return span_days / rule.interval;
    case Rrule::kWeekly: return span_days / 7 / rule.interval;
    case Rrule::kMonthly: return months / rule.interval;
    case Rrule::kYearly: return months / 12 / rule.interval;
    default: return 0;
  }
}

}  // namespace

std::vector<date::local_seconds> ExpandRrule(const Rrule& rule, date::local_seconds dtstart,
                                             const RecurrenceWindow& window,
                                             std::optional<date::local_seconds> until,
                                             bool* capped) {
  std::vector<date::local_seconds> out;
  *capped = false;
  const local_days start_day = date::floor<date::days>(dtstart);
  const seconds time_of_day = dtstart - start_day;
  long index = 0;
  // Without COUNT, periods wholly before the window cannot matter: jump.
  if (rule.count == 0) {
    index = std::max(0L, PeriodsBefore(rule, start_day, date::floor<date::days>(window.first)) - 1);
  }
  long emitted = 0;  // occurrences counted from DTSTART (for COUNT)
  // With COUNT, whole periods before the window can still be skipped when
  // each holds the same number of occurrences: plain DAILY, and WEEKLY
  // filtered by weekday only. The first period (maybe partial) is walked.
  long per_period = 0;
  if (rule.count > 0 && rule.by_month.empty() && rule.by_month_day.empty()) {
    if (rule.freq == Rrule::kDaily && rule.by_day.empty()) per_period = 1;
    if (rule.freq == Rrule::kWeekly) {
      std::set<int> weekdays;
      for (const auto& [ordinal, weekday] : rule.by_day) weekdays.insert(weekday);
      per_period = weekdays.empty() ? 1 : static_cast<long>(weekdays.size());
    }
  }
  constexpr long kMaxPeriods = 5000;  // 13 years of days, 400 of months
  const local_days last_day = date::floor<date::days>(window.last);
  for (long steps = 0; steps < kMaxPeriods; ++steps, ++index) {
    if (window.period_budget != nullptr && (*window.period_budget)-- <= 0) break;
    if (steps == 1 && per_period > 0) {
      const long target = PeriodsBefore(rule, start_day, date::floor<date::days>(window.first)) - 1;
      if (target > index) {
        emitted += (target - index) * per_period;
        if (emitted >= rule.count) return out;
        index = target;
      }
    }
    const auto anchor = PeriodAnchor(rule, start_day, index);
    if (!anchor || *anchor > last_day) return out;
    if (until && *anchor > date::floor<date::days>(*until)) return out;
    for (const local_days d : PeriodDays(rule, start_day, *anchor)) {
      const date::local_seconds occurrence = d + time_of_day;
      if (occurrence < dtstart) continue;
      if (until && occurrence > *until) return out;
      ++emitted;
      if (rule.count > 0 && emitted > rule.count) return out;
      if (occurrence > window.last) return out;
      if (occurrence >= window.first) {
        if (out.size() >= kMaxOccurrences) {
          *capped = true;
          return out;
        }
        out.push_back(occurrence);
      }
    }
  }
  *capped = true;  // a rule that matches (almost) nothing, such as BYMONTHDAY=30;BYMONTH=2
  return out;
}

}  // namespace ical_internal

// --- Events -----------------------------------------------------------------

namespace {

using ical_internal::Rrule;

std::string StripMailto(std::string_view v) {
  if (v.size() >= 7 && AsciiUpper(v.substr(0, 7)) == "MAILTO:") v.remove_prefix(7);
  return std::string(v);
}

std::string RoleFromPartstat(std::string_view partstat) {
  const std::string p = AsciiUpper(partstat);
  if (p == "ACCEPTED") return "rsvp-yes";
  if (p == "TENTATIVE") return "rsvp-maybe";
  if (p == "DECLINED") return "rsvp-no";
  if (p == "NEEDS-ACTION" || p.empty() || p == "DELEGATED") return "invited";
  return "";  // COMPLETED, IN-PROCESS: to-do states
}

bool EqualsIgnoreCaseAscii(std::string_view a, std::string_view b) {
  return AsciiUpper(a) == AsciiUpper(b);
}

class IcalReader {
 public:
  IcalReader(const PageInput& input, model::PageFacts* facts) : input_(input), facts_(facts) {
    page_url_ = input.url.ToString();
    const core::TimePoint now = input.now;
    window_.first = date::local_seconds{(now - days{366}).time_since_epoch()};
    window_.last = date::local_seconds{(now + days{366}).time_since_epoch()};
    window_.period_budget = &period_budget_;
  }

  void Read(const Calendar& cal) {
    for (const auto& p : cal.calendar_props) {
      if (p.name == "X-WR-CALNAME" && p.value.find('@') != std::string::npos) {
        owner_email_ = StripMailto(UnescapeText(p.value));
      }
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
  void Warn(std::size_t line, const std::string& message) {
    if (facts_->warnings.size() < 40) {
      facts_->warnings.push_back("ical: line " + std::to_string(line) + ": " + message);
    }
  }

  model::Evidence MakeEvidence(std::string excerpt) const {
    model::Evidence e;
    e.page_url = page_url_;
    e.via = "ical";
    e.excerpt = CutUtf8(excerpt, 200);
    e.machine_readable = true;
    e.visibility = input_.visibility;
    return e;
  }

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
        std::string error;
        if (auto rule = ical_internal::ParseRrule(rrule->value, &error)) {
          ical_internal::RecurrenceWindow w{at - days{400}, at, &period_budget_};
          bool capped = false;
          auto onsets = ical_internal::ExpandRrule(*rule, onset, w, std::nullopt, &capped);
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
          org && EqualsIgnoreCaseAscii(StripMailto(org->value), owner_email_)) {
        return "organised";
      }
      for (const ContentLine* a : attendees) {
        if (EqualsIgnoreCaseAscii(StripMailto(a->value), owner_email_)) {
          owner_line_ = a;
          return RoleFromPartstat(a->Param("PARTSTAT"));
        }
      }
    }
    // An iTIP REPLY or an invitation to one person: that attendee is the reader.
    if (attendees.size() == 1 && (c.method == "REPLY" || c.method == "REQUEST" ||
                                  !attendees[0]->Param("PARTSTAT").empty())) {
      owner_line_ = attendees[0];
      return RoleFromPartstat(attendees[0]->Param("PARTSTAT"));
    }
    return "";
  }

  void AddContact(const ContentLine& line, const std::string& relation) {
    if (facts_->contacts.size() >= kMaxContacts) return;
    model::Contact contact;
    const std::string email = StripMailto(line.value);
    contact.name = UnescapeText(line.Param("CN"));
    if (contact.name.empty()) contact.name = email;
    if (!email.empty()) contact.url = "mailto:" + email;
    contact.relation = relation;
    if (contact.name.empty() && contact.url.empty()) return;
    const std::string key = relation + "\n" + AsciiUpper(contact.url) + "\n" + contact.name;
    if (!contact_keys_.insert(key).second) return;
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
      if (p.name == "ATTENDEE" && &p != owner_line_) AddContact(p, "attendee");
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
      event.evidence.push_back(MakeEvidence(excerpt_head + " DTSTART:" + event.start +
                                            (recurring ? " (RRULE occurrence)" : "")));
      facts_->events.push_back(std::move(event));
    }
  }

  // Occurrences of a recurring event inside the window, less EXDATEs and
  // overridden ones; empty when none falls in the window (the caller then
  // keeps DTSTART so the series is not lost).
  std::vector<IcalTime> Occurrences(const Component& c, const ContentLine& rrule_line,
                                    const IcalTime& start) {
    std::string error;
    auto rule = ical_internal::ParseRrule(rrule_line.value, &error);
    if (!rule) {
      Warn(rrule_line.line_number, error);
      return {};
    }
    if (rule->freq == Rrule::kUnsupported) {
      Warn(rrule_line.line_number, "RRULE frequency below daily not expanded");
      return {};
    }
    if (rule->unsupported_parts) {
      Warn(rrule_line.line_number, "RRULE parts BYSETPOS/BYYEARDAY/BYWEEKNO/BYHOUR ignored");
    }
    std::optional<date::local_seconds> until;
    if (!rule->until.empty()) {
      if (auto u = core::ParseIsoTime(rule->until)) {
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
    auto locals = ical_internal::ExpandRrule(*rule, start.local, window_, until, &capped);
    if (period_budget_ <= 0) {
      if (!budget_warned_) {
        Warn(rrule_line.line_number, "recurrence budget spent; this and later RRULEs not fully expanded");
      }
      budget_warned_ = true;
    } else if (capped) {
      Warn(rrule_line.line_number, "RRULE expansion stopped at " + std::to_string(kMaxOccurrences) +
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

  const PageInput& input_;
  model::PageFacts* facts_;
  std::string page_url_;
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
  std::set<std::string> contact_keys_;
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
