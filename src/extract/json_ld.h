// JSON-LD (<script type="application/ld+json"> blocks and application/ld+json
// bodies): parsed with nlohmann_json, mapped through schema_org.h.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "extract/page_context.h"
#include "model/dom.h"

namespace telescreen::extract {

// All JSON-LD blocks of the page, mapped together so @id references may
// cross blocks. A block that does not parse becomes a warning naming it.
void ExtractJsonLd(const model::Dom& dom, const Candidates& candidates, FactSink& sink);

// A whole application/ld+json body.
void ExtractJsonLdDocument(std::string_view text, FactSink& sink);

}  // namespace telescreen::extract
