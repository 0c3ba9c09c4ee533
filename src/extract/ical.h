// iCalendar (RFC 5545): VEVENTs from .ics bodies, with attendees'
// participation status; a future event the person ACCEPTED is a plan.
#pragma once

#include <string_view>

#include "extract/extractor.h"
#include "model/facts.h"

namespace telescreen::extract {

// Events (and organiser/attendee contacts) from an iCalendar body. Malformed
// input yields what could be read plus a warning naming the line at fault.
//
// Event.start/end are ISO 8601 with the authored precision: "2026-03-12"
// (all-day), "2026-03-12T19:00:00Z" (UTC), "2026-03-12T19:00:00+01:00"
// (TZID resolved to its offset at that time), "2026-03-12T19:00:00"
// (floating); empty for a VEVENT without a usable DTSTART. A recurring
// event gives one Event per occurrence within a year either side of
// input.now (at most 100), or its DTSTART when none falls there. Event.role
// is the calendar owner's part: "organised", "rsvp-yes" (PARTSTAT=ACCEPTED),
// "rsvp-maybe", "rsvp-no", "invited", or empty when the owner is unknown.
// Tense is left kUnknown.
//
// Bounds: input is cut at 8 MiB, 200,000 content lines of at most 64 KiB;
// at most 2,000 events, 2,000 contacts and 100,000 recurrence periods per
// body, so time and memory stay linear in the (cut) input.
model::PageFacts ExtractIcal(std::string_view text, const PageInput& input);

}  // namespace telescreen::extract
