// Pieces of ical.cc exposed for its tests: RRULE parsing and expansion
// (RFC 5545 section 3.3.10) and TZID resolution. Not for other modules.
#pragma once

#include <date/tz.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace telescreen::extract::ical_internal {

inline constexpr std::size_t kMaxOccurrences = 100;  // returned per ExpandRrule call

struct Rrule {
  enum Freq { kNone, kDaily, kWeekly, kMonthly, kYearly, kUnsupported } freq = kNone;
  int interval = 1;
  int count = 0;                            // 0 = unbounded
  std::string until;                        // as written; empty = none
  std::vector<std::pair<int, int>> by_day;  // (ordinal or 0, ISO weekday 1 = MO)
  std::vector<int> by_month;                // 1..12
  std::vector<int> by_month_day;            // 1..31 or -31..-1
  bool unsupported_parts = false;           // BYSETPOS, BYYEARDAY, ... present (ignored)
};

// Parses "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE"; an error (kParse) naming the
// part at fault if malformed.
core::Result<Rrule> ParseRrule(std::string_view text);

struct RecurrenceWindow {
  date::local_seconds first;      // occurrences before this are counted but not returned
  date::local_seconds last;       // expansion stops after this
  long* period_budget = nullptr;  // if set: periods left for the whole body, decremented
};

// Occurrence start times (wall time, DTSTART's time of day) of `rule` from
// `dtstart` that fall in `window`, honouring COUNT and `until` (inclusive).
// At most 100 are returned; *capped is set when more existed or the
// expansion gave up (a rule that matches nothing for 5,000 periods, or
// window.period_budget ran out).
std::vector<date::local_seconds> ExpandRrule(const Rrule& rule, date::local_seconds dtstart,
                                             const RecurrenceWindow& window,
                                             std::optional<date::local_seconds> until, bool* capped);

// The tz database zone for a TZID: an IANA name, a Windows name, or a
// vendor-prefixed path ("/mozilla.org/20050126_1/Europe/Berlin"). nullptr if none.
const date::time_zone* ResolveTzid(std::string_view tzid);

}  // namespace telescreen::extract::ical_internal
