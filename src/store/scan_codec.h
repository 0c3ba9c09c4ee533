// The history's own lossless encoding of a ScanResult as JSON (kept in the
// scans table so `diff` can rebuild any stored scan), and the JSON shapes
// the `history` and `diff --json` commands print. This is not the report
// schema (report/ owns that); it round-trips every field, including
// evidence, so a diff of stored scans equals a diff of the live ones.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "model/scan_result.h"

namespace telescreen::store {

// Version of the encoding below, stored beside each row ("codec" column)
// and in the JSON. 1: the JSON as text; 2: the same JSON, deflated (zlib),
// with "interrupted". DecodeStoredScan reads both.
inline constexpr int kScanCodecVersion = 2;

// Encodes every field of `result` except `changes` (derived, never stored).
// A field added to model/ must be added here and to DecodeScan, or stored
// scans silently lose it (the round-trip test compares whole ScanResults).
std::string EncodeScan(const model::ScanResult& result);
// The same text, handed to `sink` in pieces (a member or one list item at a
// time), so that it never has to be held whole.
void EncodeScanTo(const model::ScanResult& result, const std::function<void(std::string_view)>& sink);

// Decodes what EncodeScan wrote. Unknown fields are ignored and missing
// fields keep their defaults, so later versions can add fields. Errors
// (kParse) describe the first problem.
core::Result<model::ScanResult> DecodeScan(const std::string& text);

// How much of a stored scan to decode.
enum class ScanParts {
  kAll,
  kForDiff,  // without pages and findings, which store::Diff never reads (most of a large scan)
};

// What a scans row holds: `codec` 1 is EncodeScan's text, 2 the same text
// deflated; newer codecs are an error (kParse).
core::Result<model::ScanResult> DecodeStoredScan(std::int64_t codec, const std::string& stored,
                                                 ScanParts parts = ScanParts::kAll);

// Receives a stored scan's items one at a time, as
// DecodeStoredScanItems reads them.
class ScanItemSink {
 public:
  virtual ~ScanItemSink() = default;
  virtual void Contact(model::Contact contact) = 0;
  virtual void Event(model::Event event) = 0;
  virtual void Fact(model::IdentityFact fact) = 0;  // identity.facts
};

// Reads a stored row for a diff without holding it whole: each contact,
// event and identity fact is handed to `sink` as soon as it is read, in
// the scan's order, and dropped; pages and findings are never built, and
// parsing stops at them once the score has been read (scans are written
// with their score before their pages). Returns the rest of the scan:
// now, targets, coverage, interrupted, identity names and profiles, score,
// warnings. Errors as DecodeStoredScan.
core::Result<model::ScanResult> DecodeStoredScanItems(std::int64_t codec, const std::string& stored,
                                                      ScanItemSink& sink);
// The same, with the stored bytes handed over a piece at a time by
// `next_piece` (an empty view at the end), as read from the database.
core::Result<model::ScanResult> DecodeStoredScanItems(std::int64_t codec,
                                                      const std::function<std::string_view()>& next_piece,
                                                      ScanItemSink& sink);

// `changes` as a JSON object in the report's "changes" shape (written by
// model::ChangesJson for both, docs/report.schema.json), plus the later
// scan's "score" and "score_change" after "previous_complete",
// pretty-printed with a 2-space indent:
//   {"previous_scan_id": 3, "previous_now": "...", "previous_score": 40,
//    "previous_complete": true, "score": 55, "score_change": 15,
//    "new_contacts": [{"name", "url", "relation", "sources", "visibility", "via"}],
//    "removed_contacts", "new_interactions": [{"name", "url", "kind", "sources"}],
//    "removed_interactions", "new_events": [{"name", "start", "end", "location",
//    "url", "tense", "imminent", "role", "status", "stated_at", "attendees",
//    "sources", "visibility", "via"}], "removed_events", "new_plans", "removed_plans",
//    "newly_public": [{"kind", "value", "source", "via", "machine_readable",
//    "visibility"}]}
std::string EncodeChangesJson(const model::Changes& changes, int score_after);

}  // namespace telescreen::store
