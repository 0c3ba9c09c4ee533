// gumbo -> model::Dom, with the input bounded first (STYLE.md: gumbo 0.10
// takes 32 s and 12 GiB on 40,000 unclosed <div>s with default options).
#include "extract/html_parser.h"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <utility>
#include <vector>

#include "core/text.h"
#include "extract/extractor.h"

namespace telescreen::extract {
namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool StartsWithNoCase(std::string_view text, std::size_t at, std::string_view prefix) {
  if (text.size() - at < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (core::AsciiLowerChar(text[at + i]) != prefix[i]) return false;
  }
  return true;
}

template <std::size_t N>
bool OneOf(std::string_view name, const std::array<std::string_view, N>& set) {
  return std::find(set.begin(), set.end(), name) != set.end();
}

constexpr std::array<std::string_view, 18> kVoid = {
    "area", "base",  "br",     "col",   "embed", "hr",     "img",      "input",   "link",
    "meta", "param", "source", "track", "wbr",   "keygen", "basefont", "bgsound", "frame"};
// Elements whose content is raw text up to the matching end tag.
constexpr std::array<std::string_view, 7> kRawText = {"script", "style",   "textarea", "title",
                                                      "xmp",    "noembed", "noframes"};
// A new one of these closes an open one of the same name nearby.
constexpr std::array<std::string_view, 16> kSelfClosing = {"p",  "li", "dt", "dd",    "option", "optgroup",
                                                           "tr", "td", "th", "tbody", "thead",  "tfoot",
                                                           "rb", "rt", "rp", "a"};
// Formatting elements: popped unclosed, the parser re-opens them later.
constexpr std::array<std::string_view, 14> kFormatting = {
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"};
// Popping one of these clears the formatting elements opened inside it.
constexpr std::array<std::string_view, 7> kMarkers = {"td",     "th",      "caption", "applet",
                                                      "object", "marquee", "template"};
// An implied close never reaches past these.
constexpr std::array<std::string_view, 11> kScopeBoundaries = {
    "table", "td", "th", "caption", "template", "html", "applet", "object", "marquee", "svg", "math"};
// More formatting elements open at once than this is hostile: HTML keeps
// re-opening all of them, so their number multiplies the tree's size.
constexpr std::size_t kMaxActiveFormatting = 16;
// These close an open <p> (HTML "close a p element in button scope").
constexpr std::array<std::string_view, 20> kClosesP = {
    "address", "article", "aside", "blockquote", "div", "dl",     "fieldset", "footer", "form", "h1",
    "h2",      "h3",      "h4",    "h5",         "h6",  "header", "nav",      "ol",     "ul",   "table"};

// Tracks an estimate of the open-element stack while scanning tags.
class NestingScanner {
 public:
  NestingScanner(std::string_view html, int max_depth) : html_(html), max_depth_(max_depth) {}

  // Returns the byte ranges to drop, in order.
  std::vector<std::pair<std::size_t, std::size_t>> Run() {
    std::size_t i = 0;
    while (i < html_.size()) {
      std::size_t lt = html_.find('<', i);
      if (lt == std::string_view::npos) break;
      i = Tag(lt);
    }
    return std::move(drops_);
  }

 private:
  std::size_t SkipPast(std::size_t from, std::string_view what) const {
    std::size_t at = html_.find(what, from);
    return at == std::string_view::npos ? html_.size() : at + what.size();
  }

  std::string ReadName(std::size_t& i) const {
    std::string name;
    while (i < html_.size() && html_[i] != '>' && html_[i] != '/' && html_[i] != ' ' && html_[i] != '\t' &&
           html_[i] != '\n' && html_[i] != '\r' && html_[i] != '\f') {
      if (name.size() < 32) name.push_back(core::AsciiLowerChar(html_[i]));
      ++i;
    }
    return name;
  }

  // Scans attributes to the closing '>' respecting quotes; sets self_closing.
  std::size_t SkipAttributes(std::size_t i, bool& self_closing) const {
    char quote = 0;
    char prev = 0;
    for (; i < html_.size(); ++i) {
      char c = html_[i];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        // Quotes open a value only after '='; elsewhere they are junk.
        if (prev == '=') quote = c;
      } else if (c == '>') {
        self_closing = prev == '/';
        return i + 1;
      }
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') prev = c;
    }
    return html_.size();
  }

  std::size_t Tag(std::size_t lt) {
    std::size_t i = lt + 1;
    if (i >= html_.size()) return html_.size();
    if (html_.compare(i, 3, "!--") == 0) return SkipPast(i + 3, "-->");
    if (html_[i] == '!' || html_[i] == '?') return SkipPast(i, ">");
    if (html_[i] == '/' && i + 1 < html_.size() && IsAsciiAlpha(html_[i + 1])) {
      ++i;
      std::string name = ReadName(i);
      std::size_t end = SkipPast(i, ">");
      EndTag(name, lt, end);
      return end;
    }
    if (!IsAsciiAlpha(html_[i])) return i;
    std::string name = ReadName(i);
    bool self_closing = false;
    std::size_t end = SkipAttributes(i, self_closing);
    if (name == "plaintext") return html_.size();
    if (OneOf(name, kRawText)) {
      std::size_t at = end;
      while (at < html_.size()) {
        at = html_.find("</", at);
        if (at == std::string_view::npos) return html_.size();
        if (StartsWithNoCase(html_, at + 2, name)) return at;
        at += 2;
      }
      return html_.size();
    }
    StartTag(name, lt, end, self_closing);
    return end;
  }

  static bool IsFormatting(std::string_view name) { return OneOf(name, kFormatting); }

  // Pops entries from `index` up. Unclosed formatting elements stay active
  // and are re-opened at the next start tag, as HTML's "reconstruct the
  // active formatting elements" does; a popped marker (td, caption, ...)
  // forgets the formatting elements opened inside it.
  void PopTo(std::size_t index) {
    for (std::size_t j = stack_.size(); j-- > index;) {
      const Open& open = stack_[j];
      if (open.name == "svg" || open.name == "math") --foreign_depth_;
      if (OneOf(open.name, kMarkers)) {
        active_.resize(std::min(active_.size(), open.active_at));
      } else if (IsFormatting(open.name)) {
        for (std::size_t k = active_.size(); k-- > 0;) {
          if (active_[k].on_stack && active_[k].name == open.name) {
            active_[k].on_stack = false;
            break;
          }
        }
      }
    }
    stack_.resize(index);
  }

  // An explicit (or adoption-agency) close: the element leaves the list.
  void Deactivate(const std::string& name) {
    for (std::size_t k = active_.size(); k-- > 0;) {
      if (active_[k].name == name) {
        active_.erase(active_.begin() + static_cast<std::ptrdiff_t>(k));
        return;
      }
    }
  }

  // Closes a same-named element open near the top of the stack, unless a
  // scope boundary (a table cell, a list for <li>, ...) comes first.
  void ImpliedClose(const std::string& name) {
    std::size_t limit = std::min<std::size_t>(stack_.size(), 8);
    for (std::size_t k = 0; k < limit; ++k) {
      std::size_t at = stack_.size() - 1 - k;
      const std::string& open = stack_[at].name;
      if (open == name) {
        if (IsFormatting(name)) Deactivate(name);
        PopTo(at);
        return;
      }
      if (OneOf(open, kScopeBoundaries) || (name == "li" && (open == "ul" || open == "ol")) ||
          ((name == "dt" || name == "dd") && open == "dl") ||
          ((name == "option" || name == "optgroup") && open == "select") ||
          (name == "p" && open == "button")) {
        return;
      }
    }
  }

  // The parser adds the <tbody> (and <tr>) a table row or cell lacks.
  void ImpliedTableParents(const std::string& name) {
    if (stack_.empty()) return;
    const std::string& top = stack_.back().name;
    const bool cell = name == "td" || name == "th";
    if ((name == "tr" || cell) && top == "table") stack_.push_back(Open{"tbody", active_.size()});
    const std::string& now = stack_.back().name;
    if (cell && (now == "tbody" || now == "thead" || now == "tfoot")) {
      stack_.push_back(Open{"tr", active_.size()});
    }
  }

  void Drop(const std::string& name, std::size_t begin, std::size_t end) {
    drops_.emplace_back(begin, end);
    ++dropped_[name];
  }

  void StartTag(const std::string& name, std::size_t begin, std::size_t end, bool self_closing) {
    if (OneOf(name, kVoid)) return;
    if (self_closing && foreign_depth_ > 0) return;  // "/>" only counts in svg/math
    if (OneOf(name, kSelfClosing)) ImpliedClose(name);
    if (OneOf(name, kClosesP)) ImpliedClose("p");
    for (Active& a : active_) {  // reconstruction re-opens what was popped
      if (a.on_stack) continue;
      a.on_stack = true;
      stack_.push_back(Open{a.name, active_.size()});
    }
    ImpliedTableParents(name);
    const bool formatting = IsFormatting(name);
    if (stack_.size() >= static_cast<std::size_t>(max_depth_) ||
        (formatting && active_.size() >= kMaxActiveFormatting)) {
      Drop(name, begin, end);
      return;
    }
    if (name == "svg" || name == "math") ++foreign_depth_;
    stack_.push_back(Open{name, active_.size()});
    if (formatting) active_.push_back(Active{name, true});
  }

  void EndTag(const std::string& name, std::size_t begin, std::size_t end) {
    for (std::size_t k = stack_.size(); k-- > 0;) {
      if (stack_[k].name == name) {
        if (IsFormatting(name)) Deactivate(name);
        PopTo(k);
        return;
      }
    }
    if (IsFormatting(name)) Deactivate(name);
    auto it = dropped_.find(name);
    if (it != dropped_.end() && it->second > 0) {
      --it->second;
      drops_.emplace_back(begin, end);
    }
  }

  struct Open {
    std::string name;
    std::size_t active_at;  // active_.size() when it opened (for markers)
  };
  struct Active {
    std::string name;
    bool on_stack;
  };

  std::string_view html_;
  int max_depth_;
  int foreign_depth_ = 0;
  std::vector<Open> stack_;
  std::vector<Active> active_;  // the list of active formatting elements
  std::vector<std::pair<std::size_t, std::size_t>> drops_;
  // Few distinct names are ever dropped; a small flat map is enough.
  struct FlatMap {
    std::vector<std::pair<std::string, long>> items;
    std::vector<std::pair<std::string, long>>::iterator find(const std::string& k) {
      return std::find_if(items.begin(), items.end(), [&](auto& p) { return p.first == k; });
    }
    std::vector<std::pair<std::string, long>>::iterator end() { return items.end(); }
    long& operator[](const std::string& k) {
      auto it = find(k);
      if (it != items.end()) return it->second;
      items.emplace_back(k, 0);
      return items.back().second;
    }
  } dropped_;
};

std::string TagName(const GumboElement& el) {
  if (el.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(el.tag);
  GumboStringPiece piece = el.original_tag;
  gumbo_tag_from_original_text(&piece);
  std::string name(piece.data ? piece.data : "", piece.data ? piece.length : 0);
  for (char& c : name) c = core::AsciiLowerChar(c);
  return name;
}

model::DomNode ElementNode(const GumboElement& el) {
  model::DomNode node;
  node.kind = model::NodeKind::kElement;
  node.tag = TagName(el);
  node.attributes.reserve(el.attributes.length);
  for (unsigned i = 0; i < el.attributes.length; ++i) {
    const auto* attr = static_cast<const GumboAttribute*>(el.attributes.data[i]);
    node.attributes.emplace_back(attr->name, attr->value);
  }
  return node;
}

// Walks gumbo's tree in document order with an explicit stack, so node ids
// in the Dom follow document order and depth never touches the C++ stack.
void Convert(const GumboNode* document, model::Dom& dom) {
  std::vector<std::pair<const GumboNode*, model::NodeId>> stack;
  auto push_children = [&stack](const GumboVector& children, model::NodeId parent) {
    for (unsigned i = children.length; i-- > 0;) {
      stack.emplace_back(static_cast<const GumboNode*>(children.data[i]), parent);
    }
  };
  push_children(document->v.document.children, dom.root());
  while (!stack.empty()) {
    auto [node, parent] = stack.back();
    stack.pop_back();
    switch (node->type) {
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE: {
        model::DomNode element = ElementNode(node->v.element);
        // An upper bound (comments are skipped): the children vector grows once.
        element.children.reserve(node->v.element.children.length);
        model::NodeId id = dom.Append(parent, std::move(element));
        push_children(node->v.element.children, id);
        break;
      }
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE: {
        model::DomNode text;
        text.kind = model::NodeKind::kText;
        text.text = node->v.text.text;
        dom.Append(parent, std::move(text));
        break;
      }
      case GUMBO_NODE_COMMENT:
        // Inside <code> a comment can hold a page's data as JSON; elsewhere
        // comments carry nothing we read.
        if (dom.node(parent).tag == "code") {
          model::DomNode comment;
          comment.kind = model::NodeKind::kComment;
          comment.text = node->v.text.text;
          dom.Append(parent, std::move(comment));
        }
        break;
      default:
        break;  // the document node carries nothing we read
    }
  }
}

// True iff `text` holds more than `limit` bytes equal to `c`.
bool MoreThan(std::string_view text, char c, std::size_t limit) {
  const char* p = text.data();
  const char* const end = p + text.size();
  std::size_t seen = 0;
  while (p < end) {
    p = static_cast<const char*>(std::memchr(p, c, static_cast<std::size_t>(end - p)));
    if (!p) return false;
    if (++seen > limit) return true;
    ++p;
  }
  return false;
}

}  // namespace

std::optional<std::string> FlattenDeepNesting(std::string_view html, int max_depth) {
  if (max_depth < 1) max_depth = 1;
  // Nesting deeper than max_depth needs more than max_depth tags: most
  // pages are ruled out by counting '<' (memchr, stopping at max_depth + 1).
  if (!MoreThan(html, '<', static_cast<std::size_t>(max_depth))) return std::nullopt;
  auto drops = NestingScanner(html, max_depth).Run();
  if (drops.empty()) return std::nullopt;
  std::string out;
  out.reserve(html.size());
  std::size_t at = 0;
  for (const auto& [begin, end] : drops) {
    out.append(html.substr(at, begin - at));
    at = end;
  }
  out.append(html.substr(at));
  return out;
}

model::Dom ParseHtml(std::string_view html, const ParseOptions& options) {
  html = core::Utf8Prefix(html, options.max_input_bytes);
  std::optional<std::string> flattened = FlattenDeepNesting(html, options.max_depth);
  if (flattened) html = *flattened;

  GumboOptions gumbo_options = kGumboDefaultOptions;
  gumbo_options.max_errors = static_cast<int>(std::min<unsigned>(options.max_errors, 1u << 30));
  GumboOutput* output = gumbo_parse_with_options(&gumbo_options, html.data(), html.size());
  model::Dom dom;
  if (output) {
    Convert(output->document, dom);
    gumbo_destroy_output(&gumbo_options, output);
  }
  return dom;
}

}  // namespace telescreen::extract
