// JSON as pages carry it: the text-level steps that come before a JSON
// parser sees it (wrappers stripped, raw control characters escaped, nesting
// measured so that no later walk can exhaust the stack), and the lenient
// parse with nlohmann_json that the extractors (JSON-LD) and the pattern
// packs (JSON rules) both use.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"

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

// The string member `key` of `object`; "" when `object` is no object, has
// no such member, or it is not a string.
std::string StringMember(const nlohmann::json& object, const char* key);

// Parses JSON leniently: StripJsonWrappers first, comments allowed, raw
// control characters inside strings tolerated. An error (kParse) with a
// short reason, "nested deeper than <max_depth>" or "not valid JSON",
// otherwise; deep nesting is rejected before parsing, so no later walk can
// exhaust the stack. `Json` is nlohmann::json or nlohmann::ordered_json.
template <typename Json>
Result<Json> ParseJsonLenient(std::string_view text, int max_depth);

extern template Result<nlohmann::json> ParseJsonLenient(std::string_view text, int max_depth);
extern template Result<nlohmann::ordered_json> ParseJsonLenient(std::string_view text, int max_depth);

}  // namespace telescreen::core
