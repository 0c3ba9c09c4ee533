#include "core/time.h"

#include <cctype>
#include <cstdio>

namespace telescreen::core {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// Reads exactly `n` digits at s[*pos]; advances. -1 if not digits.
int ReadDigits(std::string_view s, std::size_t* pos, int n) {
  if (*pos + static_cast<std::size_t>(n) > s.size()) return -1;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[*pos + static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  *pos += static_cast<std::size_t>(n);
  return v;
}

bool Consume(std::string_view s, std::size_t* pos, char c) {
  if (*pos < s.size() && s[*pos] == c) {
    ++*pos;
    return true;
  }
  return false;
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

struct DatePart {
  std::chrono::year_month_day ymd;
  TimePrecision precision = TimePrecision::kYear;
  bool compact = false;  // "20260312": no '-' in the date, so no ':' in the time either
};

// Reads "2026", "2026-03", "2026-03-12" or "20260312" at s[*pos]; advances.
// A date that does not exist ("2026-02-30") is nullopt.
std::optional<DatePart> ReadDate(std::string_view s, std::size_t* pos) {
  const int year = ReadDigits(s, pos, 4);
  if (year < 0) return std::nullopt;
  DatePart out;
  int month = 1;
  int day = 1;
  if (*pos < s.size()) {
    out.compact = s[*pos] != '-';
    if (!out.compact) ++*pos;
    month = ReadDigits(s, pos, 2);
    if (month < 1 || month > 12) return std::nullopt;
    out.precision = TimePrecision::kMonth;
    if (*pos < s.size()) {
      if (!out.compact && !Consume(s, pos, '-')) return std::nullopt;
      day = ReadDigits(s, pos, 2);
      if (day < 1) return std::nullopt;
      out.precision = TimePrecision::kDay;
    } else if (out.compact) {
      return std::nullopt;  // "202603" is ambiguous
    }
  }
  out.ymd =
      std::chrono::year_month_day{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                  std::chrono::day{static_cast<unsigned>(day)}};
  if (!out.ymd.ok()) return std::nullopt;
  return out;
}

// Reads the seconds "05", "05.250" or "05,250" at s[*pos]; the fraction is
// checked and dropped. A leap second counts as :59. -1 if malformed.
int ReadSeconds(std::string_view s, std::size_t* pos) {
  int second = ReadDigits(s, pos, 2);
  if (second < 0 || second > 60) return -1;
  if (second == 60) second = 59;  // leap second: close enough
  if (*pos < s.size() && (s[*pos] == '.' || s[*pos] == ',')) {
    ++*pos;
    std::size_t digits = 0;
    while (*pos < s.size() && std::isdigit(static_cast<unsigned char>(s[*pos]))) ++*pos, ++digits;
    if (digits == 0) return -1;
  }
  return second;
}

struct TimeOfDay {
  seconds since_midnight{0};
  TimePrecision precision = TimePrecision::kMinute;
};

// Reads "19:00" or "19:00:05" (with `compact`: "1900" or "190005") at
// s[*pos]; advances. Hour 24 is allowed, as ISO 8601 allows "24:00".
std::optional<TimeOfDay> ReadTimeOfDay(std::string_view s, std::size_t* pos, bool compact) {
  const int hour = ReadDigits(s, pos, 2);
  if (hour < 0 || hour > 24) return std::nullopt;
  if (!compact) Consume(s, pos, ':');
  const int minute = ReadDigits(s, pos, 2);
  if (minute < 0 || minute > 59) return std::nullopt;
  TimeOfDay out{hours{hour} + minutes{minute}, TimePrecision::kMinute};
  const bool colon = !compact && Consume(s, pos, ':');
  if (colon || (compact && *pos < s.size() && std::isdigit(static_cast<unsigned char>(s[*pos])))) {
    const int second = ReadSeconds(s, pos);
    if (second < 0) return std::nullopt;
    out.since_midnight += seconds{second};
    out.precision = TimePrecision::kSecond;
  }
  return out;
}

struct Zone {
  bool given = false;
  minutes offset{0};  // east of UTC
};

// Reads "Z", "+02:00", "+0200" or "+02" at s[*pos] if one is there (a zone
// is optional, so anything else reads as none given). nullopt if malformed.
std::optional<Zone> ReadZone(std::string_view s, std::size_t* pos) {
  if (*pos >= s.size()) return Zone{};
  const char sign = s[*pos];
  if (sign == 'Z' || sign == 'z') {
    ++*pos;
    return Zone{true, minutes{0}};
  }
  if (sign != '+' && sign != '-') return Zone{};
  ++*pos;
  const int oh = ReadDigits(s, pos, 2);
  if (oh < 0 || oh > 18) return std::nullopt;
  int om = 0;
  if (*pos < s.size()) {
    Consume(s, pos, ':');
    om = ReadDigits(s, pos, 2);
    if (om < 0 || om > 59) return std::nullopt;
  }
  return Zone{true, minutes{(oh * 60 + om) * (sign == '-' ? -1 : 1)}};
}

}  // namespace

TimePoint LastInstant(std::chrono::year_month_day ymd, TimePoint start, TimePrecision precision) {
  switch (precision) {
    case TimePrecision::kYear:
      return std::chrono::sys_days{(ymd.year() + std::chrono::years{1}) / 1 / 1} - seconds{1};
    case TimePrecision::kMonth:
      return std::chrono::sys_days{(ymd.year() / ymd.month() / 1) + std::chrono::months{1}} - seconds{1};
    case TimePrecision::kDay:
      return start + days{1} - seconds{1};
    case TimePrecision::kMinute:
      return start + seconds{59};
    case TimePrecision::kSecond:
      break;
  }
  return start;
}

std::optional<ParsedTime> ParseIsoTime(std::string_view text) {
  const std::string_view s = TrimSpace(text);
  std::size_t pos = 0;
  const auto date = ReadDate(s, &pos);
  if (!date) return std::nullopt;
  ParsedTime out;
  out.precision = date->precision;
  seconds since_midnight{0};
  minutes offset{0};
  if (pos < s.size()) {  // only a full date leaves text over: the time follows
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
    ++pos;
    const auto time = ReadTimeOfDay(s, &pos, date->compact);
    if (!time) return std::nullopt;
    const auto zone = ReadZone(s, &pos);
    if (!zone || pos != s.size()) return std::nullopt;
    since_midnight = time->since_midnight;
    out.precision = time->precision;
    out.has_offset = zone->given;
    offset = zone->offset;
  }
  out.start = std::chrono::sys_days{date->ymd} + since_midnight - offset;
  out.end = LastInstant(date->ymd, out.start, out.precision);
  return out;
}

std::string FormatIsoUtc(TimePoint t) {
  auto day = std::chrono::floor<days>(t);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

Result<TimePoint> ParseNow(std::string_view text) {
  auto parsed = ParseIsoTime(text);
  if (!parsed || parsed->precision < TimePrecision::kDay) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "--now '" + std::string(text.substr(0, 100)) +
                         "': expected an ISO 8601 date or date-time, e.g. 2015-10-01T00:00:00Z");
  }
  return parsed->start;
}

}  // namespace telescreen::core
