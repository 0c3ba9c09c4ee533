// JSON as pages carry it: the text-level steps that come before a JSON
// parser sees it (wrappers stripped, raw control characters escaped, nesting
// measured so that no later walk can exhaust the stack). The extractors
// (JSON-LD) and the pattern packs (JSON rules) parse with nlohmann_json
// after these steps.
#pragma once

#include <string>
#include <string_view>

namespace telescreen::core {

// `text` without surrounding whitespace, an HTML comment or CDATA wrapper
// ("<!-- {...} -->", "<![CDATA[ ... ]]>"), a whole comment before the data,
// or a trailing ";".
std::string_view StripJsonWrappers(std::string_view text);

// The deepest nesting of { and [ outside strings; stops counting once it
// exceeds `limit` (and returns a value above it).
int JsonNestingDepth(std::string_view text, int limit);

// `text` with raw control characters inside strings (invalid JSON, common in
// pages) replaced by spaces.
std::string EscapeControlsInStrings(std::string_view text);

}  // namespace telescreen::core
