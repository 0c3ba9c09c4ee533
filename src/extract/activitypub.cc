// Minimal placeholder; see activitypub.h.
#include "extract/activitypub.h"

namespace telescreen::extract {

bool IsActivityStreams(std::string_view text) {
  return text.find("https://www.w3.org/ns/activitystreams") != std::string_view::npos;
}

model::PageFacts ExtractActivityPub(std::string_view, const PageInput&) { return {}; }

}  // namespace telescreen::extract
