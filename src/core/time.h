// Time: the reference clock (fixed by --now for reproducible scans) and
// ISO 8601 parsing and formatting with the precision the author wrote.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace telescreen::core {

using TimePoint = std::chrono::sys_seconds;

// How much of a date/time the author gave. A date without a time stays a date.
enum class TimePrecision { kYear, kMonth, kDay, kMinute, kSecond };

struct ParsedTime {
  TimePoint start;  // the earliest instant the text can mean (UTC)
  TimePoint end;    // the latest instant it can mean (UTC), inclusive
  TimePrecision precision = TimePrecision::kDay;
  bool has_offset = false;  // "Z" or "+02:00" given; otherwise floating,
                            // read as UTC
};

// The last instant a text of `precision` names, given its first (`start`,
// on the day `ymd`): the year's, month's, day's or minute's last second;
// `start` itself for second precision.
TimePoint LastInstant(std::chrono::year_month_day ymd, TimePoint start, TimePrecision precision);

// Parses ISO 8601 / RFC 3339 forms: "2026", "2026-03", "2026-03-12",
// "2026-03-12T19:00", "2026-03-12 19:00:05", with optional fraction and
// "Z" / "+hh:mm" / "+hhmm" / "+hh". Also the compact iCalendar forms
// "20260312" and "20260312T190000Z". Returns nullopt for anything else.
std::optional<ParsedTime> ParseIsoTime(std::string_view text);

// "2026-03-12T19:00:05Z".
std::string FormatIsoUtc(TimePoint t);

// Parses the --now argument: a full ISO 8601 date-time or a date (taken as
// midnight UTC). Error message names the text.
Result<TimePoint> ParseNow(std::string_view text);

// The wall clock, to the second. Tests fix "now" with --now or by passing
// a TimePoint, not through a clock object.
class SystemClock {
 public:
  TimePoint Now() const {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

}  // namespace telescreen::core
