// Dates and numbers as a person reads them in the report's language. Only
// for text shown to a reader: the JSON report, SQLite and every attribute a
// program reads keep ISO 8601 and the "." decimal, whatever the language.
//
//   FormatMoment("2026-03-12T19:00", Language::kGerman)  // "Do., 12. März 2026, 19:00 Uhr"
//   FormatMoment("2026-03-12T19:00", Language::kEnglish) // "2026-03-12 19:00"
//   FormatDecimal(3.5, 1, Language::kGerman)              // "3,5"
//   WeekdayName(0, Language::kGerman, WeekdayForm::kEvery) // "sonntags"
#pragma once

#include <string>
#include <string_view>

#include "core/i18n.h"
#include "core/time.h"

namespace telescreen::core {

// A date or date-time written in ISO 8601 (any form ParseIsoTime reads), at
// the precision its author gave but no finer than `finest`:
//   German:  "Do., 12. März 2026, 19:00 Uhr", "Do., 12. März 2026",
//            "März 2026", "2026"
//   English: "2026-03-12 19:00", "2026-03-12", "2026-03", "2026"
// The wall-clock time is shown as written: "19:00+02:00" stays 19:00, and a
// time in UTC ("Z") says so ("... 19:00 Uhr UTC", "... 19:00 UTC"). Text
// that is not a date comes back as it is.
std::string FormatMoment(std::string_view iso, Language lang, TimePrecision finest = TimePrecision::kMinute);

// `iso` for a reader in the current language (CurrentLanguage): in English
// as written, the bytes the reports have always shown; FormatMoment's form
// in any other language.
std::string ReaderMoment(std::string_view iso, TimePrecision finest = TimePrecision::kMinute);

// How WeekdayName names a day.
enum class WeekdayForm {
  kName,   // the day itself: "Sunday" / "Sonntag"
  kEvery,  // each week on that day: "on Sundays" / "sonntags"
};

// The name of weekday `weekday`, 0 = Sunday as std::chrono::weekday's
// c_encoding (taken modulo 7), in `lang`.
std::string WeekdayName(int weekday, Language lang, WeekdayForm form = WeekdayForm::kName);

// `x` with `decimals` digits after the decimal mark: "." in English, "," in
// German ("3.5" / "3,5"). NaN and infinities give 0.
std::string FormatDecimal(double x, int decimals, Language lang);

}  // namespace telescreen::core
