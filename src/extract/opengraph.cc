#include "extract/opengraph.h"

#include <string>
#include <utility>
#include <vector>

#include "core/text.h"

namespace telescreen::extract {

void ExtractOpenGraph(const model::Dom& dom, const Candidates& candidates, FactSink& sink) {
  std::vector<std::pair<std::string, std::string>> tags;  // lower-case property, content
  bool profile = false;
  for (model::NodeId id : candidates.meta) {
    const std::string* key = dom.Attr(id, "property");
    if (!key) key = dom.Attr(id, "name");
    const std::string* content = dom.Attr(id, "content");
    if (!key || !content) continue;
    std::string k = core::AsciiLower(core::Trim(*key));
    if (!k.starts_with("og:") && !k.starts_with("profile:")) continue;
    if (k == "og:type" && core::Trim(*content) == "profile") profile = true;
    tags.emplace_back(std::move(k), std::string(core::Trim(*content)));
  }
  if (!profile) return;
  auto get = [&](std::string_view k) -> std::string {
    for (const auto& [key, value] : tags) {
      if (key == k) return value;
    }
    return {};
  };
  auto add = [&](std::string_view kind, const std::string& value, std::string_view prop) {
    sink.AddIdentity(kind, value, "opengraph", std::string(prop) + ": " + value);
  };
  std::string first = get("profile:first_name"), last = get("profile:last_name");
  if (!first.empty() || !last.empty()) {
    add("name", first + (first.empty() || last.empty() ? "" : " ") + last, "profile:first_name");
  } else {
    add("name", get("og:title"), "og:title");
  }
  add("name", get("profile:username"), "profile:username");
  std::string url = get("og:url");
  if (!url.empty()) add("url", sink.ResolveHttp(url), "og:url");
  std::string image = get("og:image");
  if (image.empty()) image = get("og:image:url");
  if (!image.empty()) add("photo", sink.Resolve(image), "og:image");
}

}  // namespace telescreen::extract
