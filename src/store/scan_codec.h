// The history's own lossless encoding of a ScanResult as JSON (kept in the
// scans table so `diff` can rebuild any stored scan), and the JSON shapes
// the `history` and `diff --json` commands print. This is not the report
// schema (report/ owns that); it round-trips every field, including
// evidence, so a diff of stored scans equals a diff of the live ones.
#pragma once

#include <string>

#include "core/result.h"
#include "model/scan_result.h"

namespace telescreen::store {

// Version of the encoding below, stored beside each row ("codec" column).
inline constexpr int kScanCodecVersion = 1;

// Encodes every field of `result` except `changes` (derived, never stored).
// A field added to model/ must be added here and to DecodeScan, or stored
// scans silently lose it (the round-trip test spot-checks each field).
std::string EncodeScan(const model::ScanResult& result);

// Decodes what EncodeScan wrote. Unknown fields are ignored and missing
// fields keep their defaults, so later versions can add fields. Errors
// (kParse) describe the first problem.
core::Result<model::ScanResult> DecodeScan(const std::string& json);

// `changes` as a JSON object in the report's "changes" shape (report/
// json_report.cc, docs/report.schema.json), plus the later scan's "score"
// and "score_change", pretty-printed with a 2-space indent:
//   {"previous_scan_id": 3, "previous_now": "...", "previous_score": 40,
//    "score": 55, "score_change": 15, "new_contacts": [{"name", "url",
//    "relation", "sources", "visibility", "via"}], "removed_contacts", "new_events":
//    [{"name", "start", "end", "location", "url", "tense", "imminent", "role", "sources",
//    "visibility", "via"}], "removed_events", "new_plans", "removed_plans",
//    "newly_public": [{"kind", "value", "source", "via", "machine_readable",
//    "visibility"}]}
std::string EncodeChangesJson(const model::Changes& changes, int score_after);

}  // namespace telescreen::store
