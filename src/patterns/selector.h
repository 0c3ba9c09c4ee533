// Selector: the CSS selector subset that pattern rules use to find nodes in a
// model::Dom. Parsing is separate from matching, and parse errors name the
// column and what was expected.
//
//   auto sel = Selector::Parse("ul.contacts > li:nth-child(odd) a[href*=profile]");
//   if (!sel.ok()) return sel.error();   // "column 12: expected ..."
//   for (model::NodeId n : sel.value().Select(dom, dom.root())) ...
//
// Supported: type and `*`, `.class`, `#id`, `[attr]`, `[attr=v]`, `[attr*=v]`,
// `[attr^=v]`, `[attr$=v]`, `[attr~=v]` (values bare or quoted), descendant
// (whitespace) and child (`>`) combinators, comma lists, `:nth-child(n | odd
// | even | an+b)`, `:first-child`, `:last-child`. Type and attribute names
// are ASCII case-insensitive; classes, ids and values are case-sensitive.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/dom.h"

namespace telescreen::patterns {

inline constexpr std::size_t kMaxSelectorBytes = 512;  // longer selectors are rejected
inline constexpr std::size_t kMaxCompounds = 16;       // per complex selector (<= 32: bit masks)
inline constexpr std::size_t kMaxAlternatives = 16;    // comma-separated parts

class Selector {
 public:
  // Parses `text`. Errors (kParse) read "column N: <what was expected>".
  static core::Result<Selector> Parse(std::string_view text);

  // Elements below `scope` (not `scope` itself) that match, in document
  // order, at most `limit` of them. Combinators may reach above `scope`
  // (as querySelectorAll does). Time: O(subtree elements x compounds) plus
  // O(depth of scope x compounds); memory O(depth).
  std::vector<model::NodeId> Select(const model::Dom& dom, model::NodeId scope,
                                    std::size_t limit = static_cast<std::size_t>(-1)) const;

  // The first match below `scope`, or model::kNoNode.
  model::NodeId SelectFirst(const model::Dom& dom, model::NodeId scope) const;

  // True iff element `node` matches.
  bool Matches(const model::Dom& dom, model::NodeId node) const;

  const std::string& text() const { return text_; }

  // Public for the matcher in selector.cc; treat as opaque.
  enum class AttrOp { kExists, kEquals, kContains, kPrefix, kSuffix, kWord };
  struct AttrTest {
    std::string name;
    AttrOp op = AttrOp::kExists;
    std::string value;
  };
  struct Compound {
    std::string tag;  // empty = any
    std::vector<std::string> ids;
    std::vector<std::string> classes;
    std::vector<AttrTest> attrs;
    // :nth-child(a n + b); has_nth false when absent. from_end for :last-child.
    bool has_nth = false;
    bool nth_from_end = false;
    int nth_a = 0;
    int nth_b = 0;
    bool after_child = false;  // the combinator before this compound is '>'
  };
  // One complex selector, compounds left to right.
  using Complex = std::vector<Compound>;

 private:
  std::string text_;
  std::vector<Complex> alternatives_;
  bool uses_nth_ = false;  // positions among siblings are computed only if needed
};

}  // namespace telescreen::patterns
