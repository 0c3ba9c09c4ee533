// HTML microdata (itemscope, itemtype, itemprop, itemref, itemid), reduced
// to JSON-LD-shaped objects and mapped through schema_org.h.
#pragma once

#include <nlohmann/json.hpp>

#include "extract/page_context.h"
#include "model/dom.h"

namespace telescreen::extract {

// Top-level items as JSON-LD-shaped objects: {"@type": [itemtype...],
// "@id": itemid, "<itemprop>": value or [values]}. Nested items are
// objects; URL properties are resolved against the page.
nlohmann::json MicrodataItems(const model::Dom& dom, const Candidates& candidates,
                              const FactSink& sink);

// Facts (via "microdata") from the page's microdata.
void ExtractMicrodata(const model::Dom& dom, const Candidates& candidates, FactSink& sink);

// Appends `value` to obj[key], turning a single value into an array.
void AddJsonValue(nlohmann::json& obj, const std::string& key, nlohmann::json value);

}  // namespace telescreen::extract
