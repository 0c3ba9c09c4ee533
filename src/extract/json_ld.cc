#include "extract/json_ld.h"

#include <string>
#include <utility>

#include "core/json_text.h"
#include "extract/schema_org.h"

namespace telescreen::extract {
namespace {

using json = nlohmann::json;

constexpr int kMaxJsonDepth = 100;

std::string ScriptText(const model::Dom& dom, model::NodeId id) {
  std::string text;
  for (model::NodeId child : dom.node(id).children) {
    const auto& n = dom.node(child);
    if (n.kind == model::NodeKind::kText) text += n.text;
  }
  return text;
}

}  // namespace

void ExtractJsonLd(const model::Dom& dom, const Candidates& candidates, FactSink& sink) {
  if (candidates.json_ld.empty()) return;
  json blocks = json::array();
  int index = 0;
  for (model::NodeId id : candidates.json_ld) {
    ++index;
    auto v = core::ParseJsonLenient<json>(ScriptText(dom, id), kMaxJsonDepth);
    if (!v.ok()) {
      sink.Warn("json-ld block " + std::to_string(index) + ": " + v.error().message);
      continue;
    }
    blocks.push_back(std::move(v).value());
  }
  ExtractSchemaOrg(blocks, "json-ld", sink);
}

void ExtractJsonLdDocument(std::string_view text, FactSink& sink) {
  auto v = core::ParseJsonLenient<json>(text, kMaxJsonDepth);
  if (!v.ok()) {
    sink.Warn("json-ld document: " + v.error().message);
    return;
  }
  json blocks = json::array();
  blocks.push_back(std::move(v).value());
  ExtractSchemaOrg(blocks, "json-ld", sink);
}

}  // namespace telescreen::extract
