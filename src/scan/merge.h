// Merge: folds the facts of many pages into one de-duplicated ScanResult
// (identity, contacts, events with tense), in an order that depends only on
// the input's contents, never on the order pages arrived in.
#pragma once

#include <string>
#include <vector>

#include "core/time.h"
#include "model/facts.h"
#include "model/scan_result.h"
#include "scan/fact_store.h"

namespace telescreen::scan {

struct MergeInput {
  // Facts per page, visited in the order of the page URLs, which is what
  // makes the merge independent of fetch order.
  FactStore facts;
  std::vector<std::string> own_profiles;  // start URLs: the person's own pages
  core::TimePoint now;
};

// Fills identity, contacts, events and warnings ("page: warning") of *result. Contacts are keyed by
// normalised URL (else case-folded name) and events by case-folded name and
// start date; the person themself is never listed as a contact.
void MergeFacts(const MergeInput& input, model::ScanResult* result);

// Rewrites a start that counts from when it was said ("morgen", "nächste
// Woche", "Friday") as the ISO date it meant, counted from e->stated_at
// (the post's date); "next week" also gets its Sunday as end when the end
// is unknown. Does nothing without a stated_at or for an absolute start.
void ResolveStatedStart(model::Event* e, core::TimePoint now);

// Rewrites a start written in words that means the same day whatever the
// reference ("20. und 21. 1. 2010", "12. März 2026 19:00") as ISO 8601 with
// the precision it has; a range also gets its end when the end is unknown.
// Relative or yearless starts ("Friday", "12 March") and ISO starts stay.
void NormalizeStart(model::Event* e, core::TimePoint now);

// Past, future or unknown for an event's start/end text against `now`.
// An event that has started but not ended counts as future (you are there).
// Without a readable start, an event the person attended or spoke at is
// past; any other is unknown.
model::Tense TenseOf(const model::Event& event, core::TimePoint now);

}  // namespace telescreen::scan
