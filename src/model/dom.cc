#include "model/dom.h"

#include <cctype>

#include "core/text.h"

namespace telescreen::model {
namespace {

template <typename F>
bool AnyToken(std::string_view list, F f) {
  for (std::string_view token : core::Tokens(list)) {
    if (f(token)) return true;
  }
  return false;
}

}  // namespace

NodeId Dom::Append(NodeId parent, DomNode node) {
  NodeId id = static_cast<NodeId>(nodes_.size());
  node.parent = parent;
  nodes_.push_back(std::move(node));
  nodes_[static_cast<std::size_t>(parent)].children.push_back(id);
  return id;
}

const std::string* Dom::Attr(NodeId id, std::string_view name) const {
  for (const auto& [k, v] : node(id).attributes) {
    if (k == name) return &v;
  }
  return nullptr;
}

std::vector<std::string> Dom::AttrTokens(NodeId id, std::string_view name) const {
  std::vector<std::string> out;
  if (const std::string* value = Attr(id, name)) {
    for (std::string_view t : core::SplitTokens(*value)) out.emplace_back(t);
  }
  return out;
}

bool Dom::HasClass(NodeId id, std::string_view cls) const {
  const std::string* c = Attr(id, "class");
  return c && AnyToken(*c, [&](std::string_view t) { return t == cls; });
}

bool Dom::HasToken(NodeId id, std::string_view name, std::string_view token) const {
  const std::string* c = Attr(id, name);
  return c && AnyToken(*c, [&](std::string_view t) { return core::EqualsIgnoreAsciiCase(t, token); });
}

std::string Dom::Text(NodeId id) const {
  std::string raw;
  std::vector<NodeId> stack{id};
  while (!stack.empty()) {
    NodeId n = stack.back();
    stack.pop_back();
    const DomNode& d = node(n);
    if (d.kind == NodeKind::kText) {
      raw += d.text;
      continue;
    }
    if (d.tag == "script" || d.tag == "style" || d.tag == "template") continue;
    if (d.tag == "br" || d.tag == "p" || d.tag == "div" || d.tag == "li") raw += ' ';
    for (auto it = d.children.rbegin(); it != d.children.rend(); ++it) stack.push_back(*it);
  }
  return CollapseWhitespace(raw);
}

std::vector<NodeId> Dom::Descendants(NodeId id) const {
  std::vector<NodeId> out;
  std::vector<NodeId> stack;
  const auto& kids = node(id).children;
  for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back(*it);
  while (!stack.empty()) {
    NodeId n = stack.back();
    stack.pop_back();
    const DomNode& d = node(n);
    if (d.kind != NodeKind::kElement) continue;
    out.push_back(n);
    for (auto it = d.children.rbegin(); it != d.children.rend(); ++it) stack.push_back(*it);
  }
  return out;
}

std::vector<NodeId> Dom::ElementsByTag(std::string_view tag) const {
  std::vector<NodeId> out;
  for (NodeId n : Descendants(root())) {
    if (node(n).tag == tag) out.push_back(n);
  }
  return out;
}

std::string CollapseWhitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (core::IsAsciiSpace(c)) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

std::string FoldText(std::string_view text) { return core::AsciiLower(CollapseWhitespace(text)); }

}  // namespace telescreen::model
