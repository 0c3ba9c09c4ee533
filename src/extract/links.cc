#include "extract/links.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "core/text.h"

namespace telescreen::extract {
namespace {

std::string_view KindOfType(std::string_view type) {
  if (type == "text/calendar") return "events";
  if (type == "text/vcard" || type == "text/x-vcard" || type == "application/activity+json") {
    return "profile";
  }
  if (type.starts_with("application/ld+json") && type.find("activitystreams") != std::string_view::npos) {
    return "profile";
  }
  return {};
}

}  // namespace

void ExtractLinks(const model::Dom& dom, const Candidates& candidates, const FactSink& sink,
                  model::PageFacts& facts) {
  std::unordered_map<std::string, std::size_t> index;  // url -> position in facts.links
  const std::size_t expected = std::min(candidates.links.size(), kMaxLinksPerPage);
  index.reserve(expected);
  facts.links.reserve(facts.links.size() + expected);
  for (model::NodeId id : candidates.links) {
    const std::string* href = dom.Attr(id, "href");
    if (!href) continue;
    std::string_view ref = core::Trim(*href);
    std::string rewritten;
    if (core::AsciiLower(ref.substr(0, 7)) == "webcal:") {
      rewritten = "https:" + std::string(ref.substr(7));
      ref = rewritten;
    }
    std::string url = sink.ResolveHttp(ref);
    if (url.empty()) continue;
    const bool is_link = dom.node(id).tag == "link";
    std::string kind;
    const std::string* type = dom.Attr(id, "type");
    std::string type_lower = type ? core::AsciiLower(core::Trim(*type)) : std::string();
    if (dom.HasToken(id, "rel", "me"))
      kind = "profile";
    else if (dom.HasToken(id, "rel", "next"))
      kind = "next";
    else if (!type_lower.empty() && !KindOfType(type_lower).empty())
      kind = KindOfType(type_lower);
    else {
      std::string_view path = std::string_view(url).substr(0, url.find('?'));
      if (core::EndsWithIgnoreAsciiCase(path, ".ics"))
        kind = "events";
      else if (core::EndsWithIgnoreAsciiCase(path, ".vcf"))
        kind = "profile";
    }
    // Stylesheets, icons and preloads are not pages to follow.
    if (is_link && kind.empty()) continue;
    auto [it, inserted] = index.emplace(url, facts.links.size());
    if (!inserted) {
      if (facts.links[it->second].kind.empty()) facts.links[it->second].kind = kind;
      continue;
    }
    if (facts.links.size() >= kMaxLinksPerPage) {
      index.erase(it);
      continue;
    }
    model::Link link;
    link.url = std::move(url);
    link.kind = std::move(kind);
    if (type_lower == "application/activity+json" || type_lower.starts_with("application/ld+json")) {
      link.accept = type_lower;  // fetch the ActivityPub document, not the HTML
    }
    facts.links.push_back(std::move(link));
  }
}

}  // namespace telescreen::extract
