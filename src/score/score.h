// Score: pure functions from a merged scan to findings and the 0..100
// exposure score, every point traced to evidence (docs/scoring.md).
//
//   model::ScanResult r = ...;          // merged identity, contacts, events
//   score::ScoreScan(&r, now);          // fills r.findings and r.score
//   r.score.total;                      // 0..100
//   r.score.level;                      // "low" | "moderate" | "high" | "severe"
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/time.h"
#include "model/scan_result.h"

namespace telescreen::score {

// Site patterns' fixes in the reader's language: from the English text a
// rule gives (Evidence::remediation, "text (settings URL)") to its
// translation.
using FixTexts = std::map<std::string, std::string, std::less<>>;

// Fills result->findings and result->score from identity, contacts, events
// and pages. Deterministic, independent of input order, bounded 0..100,
// monotonic in findings. Titles, fixes and summaries are in
// core::CurrentLanguage(); a pattern rule's fix is its entry in
// `translations` when there is one (nullptr: as the rule wrote it). Ids,
// and Finding::fix_key, are the same in every language.
void ScoreScan(model::ScanResult* result, core::TimePoint now, const FixTexts* translations = nullptr);

// The findings of `result` (highest points first, ties by id), without
// touching it. ScoreScan's first step; exposed for tests and tools.
std::vector<model::Finding> BuildFindings(const model::ScanResult& result, core::TimePoint now,
                                          const FixTexts* translations = nullptr);

// The level name ("low", ...) and its one-sentence meaning for a total.
std::string LevelName(int total);
std::string LevelSentence(int total);

// The summary of a score from a partial view (`unseen` of `targets` not
// fully seen), used instead of LevelSentence: never "little is public".
std::string PartialSentence(std::size_t unseen, std::size_t targets);

}  // namespace telescreen::score
