// Microdata per the WHATWG HTML standard, section "Microdata": the
// properties of an item are found in its subtree and in the elements its
// itemref names, not crossing into nested items.
#include "extract/microdata.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/text.h"
#include "extract/schema_org.h"

namespace telescreen::extract {
namespace {

using json = nlohmann::json;
using model::Dom;
using model::NodeId;

constexpr int kMaxItemDepth = 50;

class Reader {
 public:
  Reader(const Dom& dom, const FactSink& sink)
      : dom_(dom), sink_(sink), work_budget_(std::max<std::size_t>(4 * dom.size(), 20000)) {}

  json Item(NodeId root, int depth) {
    json item = json::object();
    std::vector<std::string> types = dom_.AttrTokens(root, "itemtype");
    if (!types.empty()) item["@type"] = types.size() == 1 ? json(types[0]) : json(types);
    if (const std::string* id = dom_.Attr(root, "itemid")) item["@id"] = sink_.Resolve(*id);
    std::vector<NodeId> stack;
    for (const std::string& ref : dom_.AttrTokens(root, "itemref")) {
      NodeId target = ById(ref);
      if (target != model::kNoNode && target != root) stack.push_back(target);
    }
    std::reverse(stack.begin(), stack.end());
    // Only itemref can make the walk meet an element twice (or loop).
    const bool has_refs = !stack.empty();
    PushChildren(root, stack);
    std::unordered_set<NodeId> visited;
    building_.push_back(root);
    while (!stack.empty() && work_budget_ > 0) {
      NodeId n = stack.back();
      stack.pop_back();
      if (has_refs && !visited.insert(n).second) continue;
      --work_budget_;
      const bool scope = dom_.Attr(n, "itemscope") != nullptr;
      std::vector<std::string> props = dom_.AttrTokens(n, "itemprop");
      if (!props.empty()) {
        // An item that (through itemref) contains itself is read as text.
        const bool cycle = std::find(building_.begin(), building_.end(), n) != building_.end();
        json value = scope && !cycle && depth < kMaxItemDepth ? Item(n, depth + 1) : Value(n);
        for (std::size_t i = 1; i < props.size(); ++i) {
          AddJsonValue(item, props[i], CopyWithBudget(value, copy_budget_));
        }
        AddJsonValue(item, props[0], std::move(value));
      }
      if (!scope) PushChildren(n, stack);
    }
    building_.pop_back();
    return item;
  }

 private:
  void PushChildren(NodeId id, std::vector<NodeId>& stack) const {
    const auto& kids = dom_.node(id).children;
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) {
      if (dom_.node(*it).kind == model::NodeKind::kElement) stack.push_back(*it);
    }
  }

  NodeId ById(const std::string& id) {
    if (!ids_built_) {
      ids_built_ = true;
      for (std::size_t i = 1; i < dom_.size(); ++i) {
        const auto n = static_cast<NodeId>(i);
        if (const std::string* v = dom_.Attr(n, "id")) ids_.emplace(*v, n);
      }
    }
    auto it = ids_.find(id);
    return it == ids_.end() ? model::kNoNode : it->second;
  }

  json Value(NodeId n) const {
    const std::string& tag = dom_.node(n).tag;
    auto attr = [&](std::string_view name) -> std::string {
      const std::string* v = dom_.Attr(n, name);
      return v ? *v : std::string();
    };
    if (tag == "meta") return attr("content");
    if (tag == "audio" || tag == "embed" || tag == "iframe" || tag == "img" || tag == "source" ||
        tag == "track" || tag == "video") {
      return sink_.Resolve(attr("src"));
    }
    if (tag == "a" || tag == "area" || tag == "link") return sink_.Resolve(attr("href"));
    if (tag == "object") return sink_.Resolve(attr("data"));
    if ((tag == "data" || tag == "meter") && dom_.Attr(n, "value")) return attr("value");
    if (tag == "time" && dom_.Attr(n, "datetime")) return attr("datetime");
    if (const std::string* content = dom_.Attr(n, "content")) return *content;
    return dom_.Text(n);
  }

  const Dom& dom_;
  const FactSink& sink_;
  std::size_t copy_budget_ = kCopyBudgetPerPage;
  // Elements visited over all items: itemref lets items share (and nest)
  // subtrees, so without a page-wide bound the walk can grow exponentially.
  std::size_t work_budget_;       // 4 visits per element, at least 20,000
  std::vector<NodeId> building_;  // items being read, outermost first
  bool ids_built_ = false;
  std::unordered_map<std::string, NodeId> ids_;
};

// An itemprop with no enclosing item is a common authoring slip; such an
// element is read as a top-level item rather than dropped.
bool HasItemAncestor(const Dom& dom, NodeId id) {
  for (NodeId p = dom.node(id).parent; p > 0; p = dom.node(p).parent) {
    if (dom.Attr(p, "itemscope")) return true;
  }
  return false;
}

}  // namespace

void AddJsonValue(json& obj, const std::string& key, json value) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    obj[key] = std::move(value);
  } else if (it->is_array()) {
    it->push_back(std::move(value));
  } else {
    json pair = json::array({std::move(*it), std::move(value)});
    *it = std::move(pair);
  }
}

json MicrodataItems(const Dom& dom, const Candidates& candidates, const FactSink& sink) {
  json items = json::array();
  Reader reader(dom, sink);
  for (NodeId id : candidates.itemscope) {
    if (dom.Attr(id, "itemprop") && HasItemAncestor(dom, id)) continue;  // part of another item
    items.push_back(reader.Item(id, 0));
  }
  return items;
}

void ExtractMicrodata(const Dom& dom, const Candidates& candidates, FactSink& sink) {
  if (candidates.itemscope.empty()) return;
  ExtractSchemaOrg(MicrodataItems(dom, candidates, sink), "microdata", sink);
}

}  // namespace telescreen::extract
