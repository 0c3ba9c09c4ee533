// Dates as people and sites write them: ISO 8601 variants, RFC 2822 / HTTP
// dates, textual dates in English, German, French, Italian and Spanish, day
// and time ranges, and relative expressions ("morgen", "next week")
// resolved against a reference date.
#pragma once

#include <optional>
#include <string_view>

#include "core/time.h"

namespace telescreen::extract {

// Parses `text`; relative expressions resolve against `reference` (the date
// of the post that contains them). Keeps the authored precision (a date
// without a time is TimePrecision::kDay). nullopt if no date is recognised.
//
//   ParseDate("Dienstag, 3. Februar 2026, 19:00 Uhr", ref)  // 2026-02-03T19:00, kMinute, floating
//   ParseDate("Thu, 12 Mar 2026 19:00:00 +0100", ref)       // 18:00Z, kSecond, has_offset
//   ParseDate("12.–14. März 2026", ref)                     // 12th 00:00 .. 14th 23:59:59, kDay
//   ParseDate("del 2 al 3 de abril", ref)                   // 2 .. 3 April, the year nearest ref
//   ParseDate("apr 10, 6–9pm", ref)                         // 18:00 .. 21:00:59, kMinute
//   ParseDate("nächsten Dienstag", ref)                     // the Tuesday after ref's day
//   ParseDate("next week", ref)                             // Monday..Sunday after ref's week
//
// A date without a year takes the year that puts it nearest to
// `reference`. A range's end is the last instant its last part names (the
// day's 23:59:59, the minute's :59). The first date in the text wins; words
// around it are skipped. A month name alone ("May I ask") is no date. Only
// the first 512 bytes of `text` are read.
std::optional<core::ParsedTime> ParseDate(std::string_view text, core::TimePoint reference);

}  // namespace telescreen::extract
