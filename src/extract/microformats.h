// Microformats: mf2 (h-card, h-event, h-entry with RSVP, h-feed, implied
// properties, the value-class pattern), mf1 back-compat (vcard, vevent,
// hentry, hCalendar attendees), rel="me" and XFN relations.
#pragma once

#include <nlohmann/json.hpp>

#include "extract/page_context.h"
#include "model/dom.h"

namespace telescreen::extract {

// The page's microformats in the canonical mf2 JSON shape
// ({"items": [...], "rels": {...}, "rel-urls": {...}}), as the official
// test suite states it. URLs are resolved with `sink`. Built for the
// conformance runner only: extraction maps the parsed structs directly.
// (Not ordered_json: its vector of const-key pairs deep-copies every
// member when it grows, which nesting turns quadratic.)
nlohmann::json ParseMicroformats(const model::Dom& dom, const Candidates& candidates, const FactSink& sink);

// Identity from the representative h-card (via "h-card"), contacts from
// other h-cards and XFN links (via "xfn"), profiles from rel="me" (via
// "rel-me"), events from h-event and RSVP h-entries (via "h-event",
// "h-entry").
void ExtractMicroformats(const model::Dom& dom, const Candidates& candidates, FactSink& sink);

// The XFN relation a rel value names ("friend", "met", "co-worker", ...),
// or "" if `rel` is not an XFN value.
std::string_view XfnRelation(std::string_view rel);

}  // namespace telescreen::extract
