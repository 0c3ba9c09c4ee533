// Hashes std::string, std::string_view and C strings alike, so that an
// unordered container keyed by std::string can be searched with a
// string_view without building a key (with std::equal_to<>):
//
//   std::unordered_map<std::string, int, core::TextHash, std::equal_to<>> m;
//   m.find(std::string_view("key"));
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace telescreen::core {

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>()(s); }
};

}  // namespace telescreen::core
