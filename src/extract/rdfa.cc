// RDFa Lite 1.1 (https://www.w3.org/TR/rdfa-lite/): an element with typeof
// starts a new item; property on an element adds a value to the nearest
// enclosing item (or, with typeof, makes the new item that value).
#include "extract/rdfa.h"

#include <string>
#include <unordered_map>
#include <vector>

#include "core/text.h"
#include "extract/microdata.h"
#include "extract/schema_org.h"

namespace telescreen::extract {
namespace {

using json = nlohmann::json;
using model::Dom;
using model::NodeId;

struct Item {
  json object = json::object();
  int parent = -1;                      // index of the enclosing item, -1 at top level
  std::vector<std::string> properties;  // names it has in its parent
};

class Reader {
 public:
  Reader(const Dom& dom, const FactSink& sink) : dom_(dom), sink_(sink) {}

  json Run(const Candidates& candidates) {
    for (NodeId id : candidates.rdfa) Visit(id);
    // Children were created after their parents: attach from the back.
    for (std::size_t i = items_.size(); i-- > 0;) {
      Item& item = items_[i];
      if (item.parent < 0 || item.properties.empty()) continue;
      Item& parent = items_[static_cast<std::size_t>(item.parent)];
      for (std::size_t p = 0; p < item.properties.size(); ++p) {
        json copy = p + 1 == item.properties.size() ? std::move(item.object)
                                                    : CopyWithBudget(item.object, copy_budget_);
        AddJsonValue(parent.object, item.properties[p], std::move(copy));
      }
    }
    json out = json::array();
    for (Item& item : items_) {
      if (item.parent < 0 || item.properties.empty()) out.push_back(std::move(item.object));
    }
    return out;
  }

 private:
  // The item of the nearest ancestor (not `id` itself) with typeof.
  int EnclosingItem(NodeId id) const {
    for (NodeId p = dom_.node(id).parent; p > 0; p = dom_.node(p).parent) {
      auto it = item_of_.find(p);
      if (it != item_of_.end()) return it->second;
    }
    return -1;
  }

  void Visit(NodeId id) {
    const std::string* type_attr = dom_.Attr(id, "typeof");
    std::vector<std::string> properties = dom_.AttrTokens(id, "property");
    const int enclosing = EnclosingItem(id);
    if (type_attr) {
      if (items_.size() >= 10000) return;
      Item item;
      std::vector<std::string> types = dom_.AttrTokens(id, "typeof");
      if (!types.empty()) item.object["@type"] = types.size() == 1 ? json(types[0]) : json(types);
      for (std::string_view attr : {"resource", "about"}) {
        if (const std::string* r = dom_.Attr(id, attr)) {
          item.object["@id"] = sink_.Resolve(*r);
          break;
        }
      }
      item.parent = enclosing;
      item.properties = std::move(properties);
      item_of_.emplace(id, static_cast<int>(items_.size()));
      items_.push_back(std::move(item));
      return;
    }
    if (enclosing < 0 || properties.empty()) return;
    json value = Value(id);
    for (const std::string& p : properties) {
      AddJsonValue(items_[static_cast<std::size_t>(enclosing)].object, p, value);
    }
  }

  json Value(NodeId n) const {
    if (const std::string* content = dom_.Attr(n, "content")) return *content;
    for (std::string_view attr : {"resource", "href", "src"}) {
      if (const std::string* v = dom_.Attr(n, attr)) return sink_.Resolve(*v);
    }
    if (const std::string* dt = dom_.Attr(n, "datetime")) return *dt;
    return dom_.Text(n);
  }

  const Dom& dom_;
  const FactSink& sink_;
  std::vector<Item> items_;
  std::unordered_map<NodeId, int> item_of_;
  std::size_t copy_budget_ = kCopyBudgetPerPage;
};

}  // namespace

json RdfaItems(const Dom& dom, const Candidates& candidates, const FactSink& sink) {
  return Reader(dom, sink).Run(candidates);
}

void ExtractRdfa(const Dom& dom, const Candidates& candidates, FactSink& sink) {
  if (candidates.rdfa.empty()) return;
  ExtractSchemaOrg(RdfaItems(dom, candidates, sink), "rdfa", sink);
}

}  // namespace telescreen::extract
