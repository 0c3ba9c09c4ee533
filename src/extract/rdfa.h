// RDFa Lite 1.1 (vocab, typeof, property, resource, prefix) for schema.org,
// reduced to JSON-LD-shaped objects and mapped through schema_org.h.
#pragma once

#include <nlohmann/json.hpp>

#include "extract/page_context.h"
#include "model/dom.h"

namespace telescreen::extract {

// Top-level RDFa items as JSON-LD-shaped objects ({"@type": ..., "@id":
// resource, "<property>": value}); nested typeof elements with a property
// become nested objects.
nlohmann::json RdfaItems(const model::Dom& dom, const Candidates& candidates, const FactSink& sink);

// Facts (via "rdfa") from the page's RDFa.
void ExtractRdfa(const model::Dom& dom, const Candidates& candidates, FactSink& sink);

}  // namespace telescreen::extract
