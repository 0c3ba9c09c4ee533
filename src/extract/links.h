// Links a page offers the crawler: every <a href> and <area href>, plus
// <link> alternates (iCalendar, vCard, ActivityPub), rel="me" and rel="next".
#pragma once

#include "extract/page_context.h"
#include "model/dom.h"
#include "model/facts.h"

namespace telescreen::extract {

inline constexpr std::size_t kMaxLinksPerPage = 20000;  // later links are dropped

// Appends the page's links to `facts.links`, absolute and de-duplicated, in
// document order. kind: "profile" (rel=me, vCard or ActivityPub alternate),
// "events" (iCalendar), "next" (rel=next), "" otherwise. webcal: links are
// read as https.
void ExtractLinks(const model::Dom& dom, const Candidates& candidates, const FactSink& sink,
                  model::PageFacts& facts);

}  // namespace telescreen::extract
