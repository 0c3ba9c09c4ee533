// HTML parsing behind our own Dom: gumbo 0.10 does the parsing; this module
// bounds its input first so hostile pages cannot make it go quadratic.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace telescreen::extract {

// Estimates the element nesting an HTML parser would build from `html` and,
// iff it would exceed `max_depth`, returns a copy in which the start tags
// that would nest deeper (and their matching end tags) are removed. Returns
// nullopt when the input needs no change. Linear in the input size;
// `max_depth` bounds the work per tag.
std::optional<std::string> FlattenDeepNesting(std::string_view html, int max_depth);

}  // namespace telescreen::extract
