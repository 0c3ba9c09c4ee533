// OpenGraph profile meta tags (og:type=profile, profile:first_name,
// profile:last_name, profile:username, og:title, og:url, og:image).
#pragma once

#include "extract/page_context.h"
#include "model/dom.h"

namespace telescreen::extract {

// Identity (via "opengraph") iff the page declares og:type "profile".
void ExtractOpenGraph(const model::Dom& dom, const Candidates& candidates, FactSink& sink);

}  // namespace telescreen::extract
