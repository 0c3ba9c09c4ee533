// Score: pure functions from a merged scan to findings and the 0..100
// exposure score, every point traced to evidence (docs/scoring.md).
#pragma once

#include "core/time.h"
#include "model/scan_result.h"

namespace telescreen::score {

// Fills result->findings and result->score from identity, contacts, events
// and pages. Deterministic, independent of input order, bounded 0..100,
// monotonic in findings.
void ScoreScan(model::ScanResult* result, core::TimePoint now);

}  // namespace telescreen::score
