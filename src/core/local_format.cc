#include "core/local_format.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace telescreen::core {
namespace {

constexpr const char* kGermanMonths[] = {"Januar", "Februar", "März",      "April",   "Mai",      "Juni",
                                         "Juli",   "August",  "September", "Oktober", "November", "Dezember"};
// std::chrono::weekday: 0 is Sunday.
constexpr const char* kGermanWeekdays[] = {"So.", "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa."};

// `iso` without its UTC offset ("Z", "+02:00", "-0500"), so that parsing it
// gives the wall-clock time the author wrote. Only a part after the time
// separator can be an offset: the date's own "-" stay.
std::string_view WithoutOffset(std::string_view iso) {
  const std::size_t t = iso.find_first_of("T ", 8);
  if (t == std::string_view::npos) return iso;
  const std::size_t zone = iso.find_first_of("Z+-", t + 1);
  return zone == std::string_view::npos ? iso : iso.substr(0, zone);
}

std::string TwoDigits(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02u", v % 100);
  return buf;
}

}  // namespace

std::string FormatMoment(std::string_view iso, Language lang, TimePrecision finest) {
  const std::optional<ParsedTime> written = ParseIsoTime(iso);
  if (!written) return std::string(iso);
  const std::optional<ParsedTime> wall = written->has_offset ? ParseIsoTime(WithoutOffset(iso)) : written;
  const ParsedTime& t = wall ? *wall : *written;
  const TimePrecision p = std::min(t.precision, finest);
  const bool utc = written->has_offset && !iso.empty() && (iso.back() == 'Z' || iso.back() == 'z');

  using namespace std::chrono;
  const sys_days day = floor<days>(t.start);
  const year_month_day ymd(day);
  const hh_mm_ss<seconds> clock(t.start - day);
  const int y = static_cast<int>(ymd.year());
  const unsigned m = static_cast<unsigned>(ymd.month());
  const unsigned d = static_cast<unsigned>(ymd.day());
  const auto hh = static_cast<unsigned>(clock.hours().count());
  const auto mm = static_cast<unsigned>(clock.minutes().count());
  const auto ss = static_cast<unsigned>(clock.seconds().count());
  std::string time = TwoDigits(hh) + ":" + TwoDigits(mm);
  if (p == TimePrecision::kSecond) time += ":" + TwoDigits(ss);
  const bool has_time = p >= TimePrecision::kMinute;

  if (lang == Language::kGerman) {
    if (p == TimePrecision::kYear) return std::to_string(y);
    const std::string month = kGermanMonths[m - 1];
    if (p == TimePrecision::kMonth) return month + " " + std::to_string(y);
    std::string out = std::string(kGermanWeekdays[weekday(day).c_encoding()]) + ", " + std::to_string(d) +
                      ". " + month + " " + std::to_string(y);
    if (has_time) out += ", " + time + " Uhr" + (utc ? " UTC" : "");
    return out;
  }
  char date[32];
  std::snprintf(date, sizeof date, "%04d-%02u-%02u", y, m, d);
  if (p == TimePrecision::kYear) return std::string(date, 4);
  if (p == TimePrecision::kMonth) return std::string(date, 7);
  std::string out = date;
  if (has_time) out += " " + time + (utc ? " UTC" : "");
  return out;
}

std::string ReaderMoment(std::string_view iso, TimePrecision finest) {
  const Language lang = CurrentLanguage();
  return lang == Language::kEnglish ? std::string(iso) : FormatMoment(iso, lang, finest);
}

std::string WeekdayName(int weekday, Language lang, WeekdayForm form) {
  static constexpr const char* kEnglish[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                             "Thursday", "Friday", "Saturday"};
  static constexpr const char* kGerman[] = {"Sonntag",    "Montag",  "Dienstag", "Mittwoch",
                                            "Donnerstag", "Freitag", "Samstag"};
  static constexpr const char* kGermanEvery[] = {"sonntags",    "montags",  "dienstags", "mittwochs",
                                                 "donnerstags", "freitags", "samstags"};
  const auto d = static_cast<std::size_t>((weekday % 7 + 7) % 7);
  if (lang == Language::kGerman) return form == WeekdayForm::kEvery ? kGermanEvery[d] : kGerman[d];
  return form == WeekdayForm::kEvery ? std::string("on ") + kEnglish[d] + "s" : kEnglish[d];
}

std::string FormatDecimal(double x, int decimals, Language lang) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", std::clamp(decimals, 0, 17), std::isfinite(x) ? x : 0.0);
  std::string out = buf;
  if (lang == Language::kGerman) std::replace(out.begin(), out.end(), '.', ',');
  return out;
}

}  // namespace telescreen::core
