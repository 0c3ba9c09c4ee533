// HTTP-date parsing (RFC 9110 section 5.6.7, formerly RFC 7231 section
// 7.1.1.1): the capture time of a page is its response's Date header.
//
//   ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT")  // 1994-11-06T08:49:37Z
//   HttpDateToIso("Sat, 10 Jan 2026 08:00:00 GMT")  // "2026-01-10T08:00:00Z"
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace telescreen::fetch {

// Parses the three forms a recipient must accept: IMF-fixdate
// ("Sun, 06 Nov 1994 08:49:37 GMT"), the obsolete RFC 850 form
// ("Sunday, 06-Nov-94 08:49:37 GMT"; a two-digit year more than 50 years
// ahead of `reference` is taken as the past century) and asctime
// ("Sun Nov  6 08:49:37 1994"). Leading and trailing spaces are ignored; the
// day name is not checked against the date. nullopt for anything else,
// including impossible dates ("31 Feb") and times.
std::optional<core::TimePoint> ParseHttpDate(std::string_view text, core::TimePoint reference);
std::optional<core::TimePoint> ParseHttpDate(std::string_view text);  // reference: system clock

// ParseHttpDate formatted as ISO 8601 UTC (core::FormatIsoUtc); "" if `text`
// is not an HTTP-date.
std::string HttpDateToIso(std::string_view text);

}  // namespace telescreen::fetch
