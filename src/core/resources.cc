#include "core/resources.h"

#include <algorithm>
#include <cstddef>

namespace telescreen::core::generated {
struct Entry {
  const char* path;
  const unsigned char* data;
  std::size_t size;
};
extern const Entry kEntries[];
extern const std::size_t kEntryCount;
}  // namespace telescreen::core::generated

namespace telescreen::core {

std::optional<std::string_view> FindResource(std::string_view path) {
  for (std::size_t i = 0; i < generated::kEntryCount; ++i) {
    const auto& e = generated::kEntries[i];
    if (path == e.path) return std::string_view(reinterpret_cast<const char*>(e.data), e.size);
  }
  return std::nullopt;
}

std::vector<std::string> ListResources(std::string_view prefix) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < generated::kEntryCount; ++i) {
    std::string_view p = generated::kEntries[i].path;
    if (p.substr(0, prefix.size()) == prefix) out.emplace_back(p);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace telescreen::core
