// Dates as people and sites write them: ISO 8601 variants, RFC 2822 / HTTP
// dates, German and English textual dates, and relative expressions
// ("morgen", "next week") resolved against a reference date.
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
//   ParseDate("nächsten Dienstag", ref)                      // the Tuesday after ref's day
//   ParseDate("next week", ref)                              // Monday..Sunday after ref's week
//
// A date without a year takes the year that puts it nearest to
// `reference`. Only the first 512 bytes of `text` are read.
std::optional<core::ParsedTime> ParseDate(std::string_view text, core::TimePoint reference);

}  // namespace telescreen::extract
