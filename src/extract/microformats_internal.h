// Microformats parsed into plain structs: ExtractMicroformats maps them to
// facts directly, ParseMicroformats turns them into the canonical mf2 JSON
// (building nlohmann JSON for every page and reading it back cost more
// than the parse itself; docs/performance.md).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "extract/page_context.h"
#include "model/dom.h"

namespace telescreen::extract::mf2 {

struct Item;

// One property value, as the canonical JSON holds it.
struct Value {
  enum class Kind : std::uint8_t {
    kString,  // "text"
    kImage,   // {"value": src, "alt": alt}
    kHtml,    // {"html": html, "value": text}
    kItem,    // a nested item plus {"value": ...} (and "html" from e-*)
  };
  Kind kind = Kind::kString;
  std::string value;  // the string itself, or the object's "value"
  std::string alt;    // kImage
  std::string html;   // kHtml; kItem when has_html
  bool has_html = false;
  // kItem: the item is shared by every property one element names; in the
  // JSON all but the last of them get copies, within kCopyBudgetPerPage.
  bool copy = false;
  std::shared_ptr<const Item> item;  // kItem
};

// Property name ("name", "url", ...) -> values in document order; sorted
// by name as the JSON object is.
using Properties = std::map<std::string, std::vector<Value>, std::less<>>;

struct Item {
  std::vector<std::string> type;  // "h-card", ...; sorted
  Properties properties;
  std::vector<Item> children;     // nested items that are no property
  std::optional<std::string> id;  // the root element's id attribute
};

struct RelUrl {
  std::vector<std::string> rels;
  // "text", "hreflang", "media", "title", "type" when present.
  std::map<std::string, std::string, std::less<>> attributes;
};

struct Document {
  std::vector<Item> items;
  std::map<std::string, std::vector<std::string>, std::less<>> rels;  // rel token -> urls
  std::map<std::string, RelUrl, std::less<>> rel_urls;
};

// Parses the page's microformats; URLs resolved with `sink`. Without
// `with_html`, e-* properties carry their text but not their HTML (the
// facts never read it; only the canonical JSON does).
Document Parse(const model::Dom& dom, const Candidates& candidates, const FactSink& sink, bool with_html);

// The canonical JSON ({"items": [...], "rels": {...}, "rel-urls": {...}}).
nlohmann::json ToJson(const Document& doc);

// Identity, contacts and events (see ExtractMicroformats).
void MapToFacts(const Document& doc, FactSink& sink);

}  // namespace telescreen::extract::mf2
