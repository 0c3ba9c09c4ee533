// Test-only: the patterns tests parse their pages with the parser production
// uses (extract::ParseHtml, gumbo behind our Dom), so a selector that works
// here works on the same markup in a scan: implied <html>, <head> and
// <body>, implied end tags, entities and raw text as a browser reads them.
// Only the tests include a header of the extract stage; the patterns
// library itself does not.
#pragma once

#include <string_view>

#include "extract/extractor.h"
#include "model/dom.h"

namespace telescreen::patterns::testing {

inline model::Dom ParseTestHtml(std::string_view html) { return extract::ParseHtml(html); }

}  // namespace telescreen::patterns::testing
