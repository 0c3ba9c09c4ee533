// Resources built into the binary at compile time: the built-in pattern
// packs, the HTML report's template and stylesheet, the demo site. The
// installed binary needs no source tree.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telescreen::core {

// Returns the bytes of the built-in file at `path` (relative to the source
// root, e.g. "patterns/xing.json"), or nullopt.
std::optional<std::string_view> FindResource(std::string_view path);

// Paths of all built-in files that start with `prefix`, sorted.
std::vector<std::string> ListResources(std::string_view prefix);

}  // namespace telescreen::core
