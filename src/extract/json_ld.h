// JSON-LD (<script type="application/ld+json"> blocks and application/ld+json
// bodies): parsed with nlohmann_json, mapped through schema_org.h.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "extract/page_context.h"
#include "model/dom.h"

namespace telescreen::extract {

// All JSON-LD blocks of the page, mapped together so @id references may
// cross blocks. A block that does not parse becomes a warning naming it.
void ExtractJsonLd(const model::Dom& dom, const Candidates& candidates, FactSink& sink);

// A whole application/ld+json body.
void ExtractJsonLdDocument(std::string_view text, FactSink& sink);

// Parses JSON leniently (comments, HTML comment and CDATA wrappers, raw
// control characters inside strings). An error (kParse, with a short reason) if it is not JSON or nests
// deeper than `max_depth` (deep nesting is rejected before parsing, so no later walk can exhaust the stack).
core::Result<nlohmann::json> ParseJsonLenient(std::string_view text, int max_depth);

}  // namespace telescreen::extract
