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

}  // namespace

std::optional<ParsedTime> ParseIsoTime(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::size_t pos = 0;
  int year = ReadDigits(s, &pos, 4);
  if (year < 0) return std::nullopt;
  ParsedTime out;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0;
  bool compact = false;
  if (pos == s.size()) {
    out.precision = TimePrecision::kYear;
  } else {
    compact = s[pos] != '-';
    if (!compact) ++pos;
    month = ReadDigits(s, &pos, 2);
    if (month < 1 || month > 12) return std::nullopt;
    if (pos == s.size()) {
      if (compact) return std::nullopt;  // "202603" is ambiguous
      out.precision = TimePrecision::kMonth;
    } else {
      if (!compact && !Consume(s, &pos, '-')) return std::nullopt;
      day = ReadDigits(s, &pos, 2);
      if (day < 1) return std::nullopt;
      out.precision = TimePrecision::kDay;
    }
  }
  std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                  std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  int offset_minutes = 0;
  if (out.precision == TimePrecision::kDay && pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
    ++pos;
    hour = ReadDigits(s, &pos, 2);
    if (hour < 0 || hour > 24) return std::nullopt;
    if (!compact) Consume(s, &pos, ':');
    minute = ReadDigits(s, &pos, 2);
    if (minute < 0 || minute > 59) return std::nullopt;
    out.precision = TimePrecision::kMinute;
    bool colon = !compact && Consume(s, &pos, ':');
    if (colon || (compact && pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])))) {
      second = ReadDigits(s, &pos, 2);
      if (second < 0 || second > 60) return std::nullopt;
      if (second == 60) second = 59;  // leap second: close enough
      out.precision = TimePrecision::kSecond;
      if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
        ++pos;
        std::size_t digits = 0;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos, ++digits;
        if (digits == 0) return std::nullopt;
      }
    }
    if (pos < s.size()) {
      char c = s[pos];
      if (c == 'Z' || c == 'z') {
        ++pos;
        out.has_offset = true;
      } else if (c == '+' || c == '-') {
        ++pos;
        int oh = ReadDigits(s, &pos, 2);
        if (oh < 0 || oh > 18) return std::nullopt;
        int om = 0;
        if (pos < s.size()) {
          Consume(s, &pos, ':');
          om = ReadDigits(s, &pos, 2);
          if (om < 0 || om > 59) return std::nullopt;
        }
        offset_minutes = (oh * 60 + om) * (c == '-' ? -1 : 1);
        out.has_offset = true;
      }
    }
    if (pos != s.size()) return std::nullopt;
  }
  TimePoint base =
      std::chrono::sys_days{ymd} + hours{hour} + minutes{minute} + seconds{second} - minutes{offset_minutes};
  out.start = base;
  switch (out.precision) {
    case TimePrecision::kYear:
      out.end = std::chrono::sys_days{std::chrono::year{year + 1} / 1 / 1} - seconds{1};
      break;
    case TimePrecision::kMonth:
      out.end = std::chrono::sys_days{(ymd.year() / ymd.month() / 1) + std::chrono::months{1}} - seconds{1};
      break;
    case TimePrecision::kDay:
      out.end = base + days{1} - seconds{1};
      break;
    case TimePrecision::kMinute:
      out.end = base + seconds{59};
      break;
    case TimePrecision::kSecond:
      out.end = base;
      break;
  }
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
