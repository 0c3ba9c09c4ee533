// Score: pure functions from a merged scan to findings and the 0..100
// exposure score, every point traced to evidence (docs/scoring.md).
//
//   model::ScanResult r = ...;          // merged identity, contacts, events
//   score::ScoreScan(&r, now);          // fills r.findings and r.score
//   r.score.total;                      // 0..100
//   r.score.level;                      // "low" | "moderate" | "high" | "severe"
#pragma once

#include <string>
#include <vector>

#include "core/time.h"
#include "model/scan_result.h"

namespace telescreen::score {

// Fills result->findings and result->score from identity, contacts, events
// and pages. Deterministic, independent of input order, bounded 0..100,
// monotonic in findings.
void ScoreScan(model::ScanResult* result, core::TimePoint now);

// The findings of `result` (highest points first, ties by id), without
// touching it. ScoreScan's first step; exposed for tests and tools.
std::vector<model::Finding> BuildFindings(const model::ScanResult& result, core::TimePoint now);

// The level name ("low", ...) and its one-sentence meaning for a total.
std::string LevelName(int total);
std::string LevelSentence(int total);

// The summary of a score from a partial view (`unseen` of `targets` not
// fully seen), used instead of LevelSentence: never "little is public".
std::string PartialSentence(std::size_t unseen, std::size_t targets);

}  // namespace telescreen::score
