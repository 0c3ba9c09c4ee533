// The report schema's JSON shapes of the model's items and of the changes
// since an earlier scan (docs/report.md, docs/report.schema.json), written
// in one place: the JSON report and the history's `diff --json` both use
// them, so the two cannot drift apart. Keys come in the schema's order.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "model/scan_result.h"

namespace telescreen::model {

using OrderedJson = nlohmann::ordered_json;

// `text`, or null when it is empty (the schema's optional strings).
OrderedJson JsonOrNull(std::string_view text);

// {"kind", "value", "source", "via", "machine_readable", "visibility"}
OrderedJson FactJson(const IdentityFact& f);
// {"name", "url", "relation", "sources", "visibility", "via"}
OrderedJson ContactJson(const Contact& c);
// {"name", "url", "kind", "sources"}
OrderedJson InteractionJson(const Interaction& i);
// {"name", "start", "end", "location", "url", "tense", "imminent", "role",
//  "status", "stated_at", "attendees", "sources", "visibility", "via"}
OrderedJson EventJson(const Event& e);
// {"previous_scan_id", "previous_now", "previous_score", "previous_complete",
//  "new_contacts", "removed_contacts", "new_interactions",
//  "removed_interactions", "new_events", "removed_events", "new_plans",
//  "removed_plans", "newly_public"}
OrderedJson ChangesJson(const Changes& c);

}  // namespace telescreen::model
