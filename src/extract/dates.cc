// Dates as people write them; see dates.h.
#include "extract/dates.h"

namespace telescreen::extract {

std::optional<core::ParsedTime> ParseDate(std::string_view text, core::TimePoint /*reference*/) {
  return core::ParseIsoTime(text);
}

}  // namespace telescreen::extract
