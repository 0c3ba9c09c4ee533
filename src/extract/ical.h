// iCalendar (RFC 5545): VEVENTs from .ics bodies, with attendees'
// participation status; a future event the person ACCEPTED is a plan.
#pragma once

#include <string_view>

#include "extract/extractor.h"
#include "model/facts.h"

namespace telescreen::extract {

// Events (and organiser/attendee contacts) from an iCalendar body. Malformed
// input yields what could be read plus a warning naming the line at fault.
model::PageFacts ExtractIcal(std::string_view text, const PageInput& input);

}  // namespace telescreen::extract
