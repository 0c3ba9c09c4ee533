// RRULE (RFC 5545 section 3.3.10): parsing and expansion within a window;
// see ical_internal.h.
#include <date/date.h>

#include <algorithm>
#include <set>
#include <string>

#include "extract/content_line.h"
#include "extract/ical_internal.h"

namespace telescreen::extract {

using std::chrono::days;
using std::chrono::seconds;

namespace ical_internal {

namespace {

// A signed decimal in [lo, hi]: "2", "-1", "+53". nullopt otherwise.
std::optional<int> ParseInt(std::string_view text, int lo, int hi) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 7) return std::nullopt;
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  v = negative ? -v : v;
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

// "MO", "-1FR", "+2TU" -> (ordinal or 0, ISO weekday).
std::optional<std::pair<int, int>> ParseWeekdayNum(std::string_view item) {
  static constexpr std::string_view kDays[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  if (item.size() < 2) return std::nullopt;
  const std::string_view day = item.substr(item.size() - 2);
  int weekday = 0;
  for (int d = 0; d < 7; ++d) {
    if (kDays[d] == day) weekday = d + 1;
  }
  if (weekday == 0) return std::nullopt;
  const std::string_view prefix = item.substr(0, item.size() - 2);
  if (prefix.empty()) return std::pair{0, weekday};
  const auto ordinal = ParseInt(prefix, -53, 53);
  if (!ordinal || *ordinal == 0) return std::nullopt;
  return std::pair{*ordinal, weekday};
}

// One "KEY=VALUE" part of a rule (upper-cased). False iff the value is bad.
bool ApplyPart(const std::string& key, const std::string& value, Rrule* rule) {
  if (key == "FREQ") {
    if (value == "DAILY")
      rule->freq = Rrule::kDaily;
    else if (value == "WEEKLY")
      rule->freq = Rrule::kWeekly;
    else if (value == "MONTHLY")
      rule->freq = Rrule::kMonthly;
    else if (value == "YEARLY")
      rule->freq = Rrule::kYearly;
    else
      rule->freq = Rrule::kUnsupported;  // SECONDLY, MINUTELY, HOURLY
    return true;
  }
  if (key == "INTERVAL" || key == "COUNT") {
    const auto n = ParseInt(value, 1, 1000000);
    if (!n) return false;
    (key == "COUNT" ? rule->count : rule->interval) = *n;
    return true;
  }
  if (key == "UNTIL") {
    rule->until = value;
    return true;
  }
  if (key == "BYDAY" || key == "BYMONTH" || key == "BYMONTHDAY") {
    for (const std::string& item : SplitEscaped(value, ',')) {
      if (key == "BYDAY") {
        const auto wd = ParseWeekdayNum(item);
        if (!wd) return false;
        if (rule->by_day.size() < 64) rule->by_day.push_back(*wd);
      } else if (key == "BYMONTH") {
        const auto m = ParseInt(item, 1, 12);
        if (!m) return false;
        if (rule->by_month.size() < 12) rule->by_month.push_back(*m);
      } else {
        const auto d = ParseInt(item, -31, 31);
        if (!d || *d == 0) return false;
        if (rule->by_month_day.size() < 62) rule->by_month_day.push_back(*d);
      }
    }
    return true;
  }
  if (key == "BYSETPOS" || key == "BYYEARDAY" || key == "BYWEEKNO" || key == "BYHOUR" || key == "BYMINUTE" ||
      key == "BYSECOND") {
    rule->unsupported_parts = true;
  }
  return true;  // WKST and extensions: ignored
}

}  // namespace

core::Result<Rrule> ParseRrule(std::string_view text) {
  Rrule rule;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find(';', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view part = text.substr(pos, end - pos);
    pos = end + 1;
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      return core::MakeError(core::ErrorCode::kParse, "RRULE part without '=': " + CutUtf8(part, 40));
    }
    const std::string key = AsciiUpper(part.substr(0, eq));
    const std::string value = AsciiUpper(part.substr(eq + 1));
    if (!ApplyPart(key, value, &rule)) {
      return core::MakeError(core::ErrorCode::kParse,
                             "RRULE " + key + "=" + CutUtf8(value, 40) + " not understood");
    }
  }
  if (rule.freq == Rrule::kNone) return core::MakeError(core::ErrorCode::kParse, "RRULE without FREQ");
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
    case Rrule::kDaily:
      day_offset = step;
      break;
    case Rrule::kWeekly:
      day_offset = 7 * step - (IsoWeekday(start) - 1);
      break;
    case Rrule::kMonthly:
      months += step;
      break;
    case Rrule::kYearly:
      months = (static_cast<int>(s.year()) + step) * 12L;
      break;
    default:
      return std::nullopt;
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
  return rule.by_month.empty() || InList(rule.by_month, static_cast<int>(static_cast<unsigned>(ymd.month())));
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
    default:
      break;
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
    case Rrule::kDaily:
      return span_days / rule.interval;
    case Rrule::kWeekly:
      return span_days / 7 / rule.interval;
    case Rrule::kMonthly:
      return months / rule.interval;
    case Rrule::kYearly:
      return months / 12 / rule.interval;
    default:
      return 0;
  }
}

}  // namespace

std::vector<date::local_seconds> ExpandRrule(const Rrule& rule, date::local_seconds dtstart,
                                             const RecurrenceWindow& window,
                                             std::optional<date::local_seconds> until, bool* capped) {
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

}  // namespace telescreen::extract
