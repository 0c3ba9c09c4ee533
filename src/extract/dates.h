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
std::optional<core::ParsedTime> ParseDate(std::string_view text, core::TimePoint reference);

}  // namespace telescreen::extract
