#include "extract/json_ld.h"

#include <string>
#include <utility>

#include "extract/schema_org.h"

namespace telescreen::extract {
namespace {

using json = nlohmann::json;

constexpr int kMaxJsonDepth = 100;

// Maximum bracket nesting outside strings; stops counting past `limit`.
int NestingDepth(std::string_view text, int limit) {
  int depth = 0, max = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return max;
}

std::string_view StripWrappers(std::string_view text) {
  text = Trim(text);
  // A whole HTML comment before the data ("<!-- note --> {...}") goes too.
  if (text.starts_with("<!--")) {
    std::size_t close = text.find("-->");
    std::size_t data = text.find_first_of("{[");
    if (close != std::string_view::npos && close < data) text = Trim(text.substr(close + 3));
  }
  for (std::string_view open : {"<!--", "<![CDATA["}) {
    if (text.substr(0, open.size()) == open) text = Trim(text.substr(open.size()));
  }
  for (std::string_view close : {"-->", "]]>", ";"}) {
    if (text.size() >= close.size() && text.substr(text.size() - close.size()) == close) {
      text = Trim(text.substr(0, text.size() - close.size()));
    }
  }
  // "//<![CDATA[" style wrappers leave a line comment; ignore_comments eats it.
  return text;
}

// Control characters inside strings are invalid JSON but common in pages.
std::string EscapeControlsInStrings(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string && c == '\\' && i + 1 < text.size()) {
      out.push_back(c);
      out.push_back(text[++i]);
      continue;
    }
    if (c == '"') in_string = !in_string;
    if (in_string && static_cast<unsigned char>(c) < 0x20) c = ' ';
    out.push_back(c);
  }
  return out;
}

std::string ScriptText(const model::Dom& dom, model::NodeId id) {
  std::string text;
  for (model::NodeId child : dom.node(id).children) {
    const auto& n = dom.node(child);
    if (n.kind == model::NodeKind::kText) text += n.text;
  }
  return text;
}

}  // namespace

std::optional<json> ParseJsonLenient(std::string_view text, int max_depth, std::string* error) {
  text = StripWrappers(text);
  if (NestingDepth(text, max_depth) > max_depth) {
    if (error) *error = "nested deeper than " + std::to_string(max_depth);
    return std::nullopt;
  }
  json v = json::parse(text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  if (v.is_discarded()) {
    v = json::parse(EscapeControlsInStrings(text), nullptr, false, true);
  }
  if (v.is_discarded()) {
    if (error) *error = "not valid JSON";
    return std::nullopt;
  }
  return v;
}

void ExtractJsonLd(const model::Dom& dom, const Candidates& candidates, FactSink& sink) {
  if (candidates.json_ld.empty()) return;
  json blocks = json::array();
  int index = 0;
  for (model::NodeId id : candidates.json_ld) {
    ++index;
    std::string error;
    auto v = ParseJsonLenient(ScriptText(dom, id), kMaxJsonDepth, &error);
    if (!v) {
      sink.Warn("json-ld block " + std::to_string(index) + ": " + error);
      continue;
    }
    blocks.push_back(std::move(*v));
  }
  ExtractSchemaOrg(blocks, "json-ld", sink);
}

void ExtractJsonLdDocument(std::string_view text, FactSink& sink) {
  std::string error;
  auto v = ParseJsonLenient(text, kMaxJsonDepth, &error);
  if (!v) {
    sink.Warn("json-ld document: " + error);
    return;
  }
  json blocks = json::array();
  blocks.push_back(std::move(*v));
  ExtractSchemaOrg(blocks, "json-ld", sink);
}

}  // namespace telescreen::extract
