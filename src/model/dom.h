// Dom: a parsed HTML document as plain data (an arena of nodes). The
// extractor builds it from gumbo's tree; pattern rules and extractors read
// it without knowing which HTML parser made it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace telescreen::model {

using NodeId = std::int32_t;
inline constexpr NodeId kNoNode = -1;

// kComment nodes are kept only where data hides in comments: the children
// of <code> elements (LinkedIn's <code id=...><!--{json}--></code>).
enum class NodeKind : std::uint8_t { kDocument, kElement, kText, kComment };

struct DomNode {
  NodeKind kind = NodeKind::kElement;
  std::string tag;   // lower-case element name; empty for text/document
  std::string text;  // text nodes (UTF-8, entities decoded) and comments
  std::vector<std::pair<std::string, std::string>> attributes;  // names lower-case
  NodeId parent = kNoNode;
  std::vector<NodeId> children;
  bool operator==(const DomNode&) const = default;
};

class Dom {
 public:
  Dom() { nodes_.push_back(DomNode{NodeKind::kDocument, {}, {}, {}, kNoNode, {}}); }

  NodeId root() const { return 0; }
  const DomNode& node(NodeId id) const { return nodes_[static_cast<std::size_t>(id)]; }
  std::size_t size() const { return nodes_.size(); }

  // Appends a node as the last child of `parent`; returns its id.
  NodeId Append(NodeId parent, DomNode node);

  // The attribute's value, or nullptr if the element lacks it.
  const std::string* Attr(NodeId id, std::string_view name) const;
  // The whitespace-separated tokens of attribute `name` (itemprop, typeof,
  // ...), copied; empty if the element lacks it.
  std::vector<std::string> AttrTokens(NodeId id, std::string_view name) const;
  // True iff the class attribute holds `cls` as a whole word.
  bool HasClass(NodeId id, std::string_view cls) const;
  // True iff the space-separated attribute `name` (e.g. "rel") holds `token`
  // (ASCII case-insensitive).
  bool HasToken(NodeId id, std::string_view name, std::string_view token) const;
  // Concatenated text of the subtree with whitespace collapsed and trimmed;
  // the contents of <script>, <style> and <template> are skipped.
  std::string Text(NodeId id) const;
  // Elements of the subtree below `id` (not `id` itself), document order.
  std::vector<NodeId> Descendants(NodeId id) const;
  // All elements with tag `tag`, document order.
  std::vector<NodeId> ElementsByTag(std::string_view tag) const;

  bool operator==(const Dom&) const = default;

 private:
  std::vector<DomNode> nodes_;
};

// Collapses runs of ASCII whitespace to one space and trims both ends.
std::string CollapseWhitespace(std::string_view text);

// CollapseWhitespace, then ASCII lower-case: the key under which two
// spellings of a name or a value meet.
std::string FoldText(std::string_view text);

}  // namespace telescreen::model
