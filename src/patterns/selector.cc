#include "patterns/selector.h"

#include <cctype>
#include <cstdint>
#include <utility>

#include "core/text.h"

namespace telescreen::patterns {
namespace {

using model::Dom;
using model::NodeId;
using model::NodeKind;

// Identifier characters: ASCII letters, digits, '-', '_', and any non-ASCII
// byte (CSS allows them; UTF-8 sequences pass through whole).
bool IsIdentChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '-' || c == '_' || u >= 0x80;
}

// A recursive-descent parser over the selector text. Every error names the
// 1-based column where the parser stood and what it expected there.
class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  core::Result<std::vector<Selector::Complex>> ParseList() {
    std::vector<Selector::Complex> out;
    while (true) {
      SkipSpace();
      if (out.size() >= kMaxAlternatives) return Fail("more than 16 comma-separated selectors");
      auto complex = ParseComplex();
      if (!complex.ok()) return complex.error();
      out.push_back(std::move(complex).value());
      SkipSpace();
      if (AtEnd()) return out;
      if (Peek() != ',') return Fail(std::string("unexpected '") + Peek() + "'");
      ++pos_;
    }
  }

 private:
  core::Result<Selector::Complex> ParseComplex() {
    Selector::Complex complex;
    bool child = false;
    while (true) {
      if (complex.size() >= kMaxCompounds) return Fail("more than 16 compound selectors");
      auto compound = ParseCompound();
      if (!compound.ok()) return compound.error();
      compound.value().after_child = child;
      complex.push_back(std::move(compound).value());
      // A combinator, or the end of this complex selector.
      bool space = SkipSpace();
      if (AtEnd() || Peek() == ',') return complex;
      if (Peek() == '>') {
        ++pos_;
        SkipSpace();
        child = true;
        if (AtEnd() || Peek() == ',' || Peek() == '>') {
          return Fail("expected a selector after '>'");
        }
      } else if (space) {
        child = false;
      } else {
        return Fail(std::string("unexpected '") + Peek() + "'");
      }
    }
  }

  core::Result<Selector::Compound> ParseCompound() {
    Selector::Compound c;
    std::size_t start = pos_;
    if (!AtEnd() && Peek() == '*') {
      ++pos_;
    } else if (!AtEnd() && IsIdentChar(Peek())) {
      c.tag = core::AsciiLower(Ident());
    }
    while (!AtEnd()) {
      char ch = Peek();
      if (ch == '.' || ch == '#') {
        ++pos_;
        std::string name = Ident();
        if (name.empty()) {
          return Fail(std::string("expected a ") + (ch == '.' ? "class" : "id") + " name after '" + ch + "'");
        }
        (ch == '.' ? c.classes : c.ids).push_back(std::move(name));
      } else if (ch == '[') {
        auto st = ParseAttr(&c);
        if (!st.ok()) return st.error();
      } else if (ch == ':') {
        auto st = ParsePseudo(&c);
        if (!st.ok()) return st.error();
      } else {
        break;
      }
    }
    if (pos_ == start) {
      if (AtEnd()) return Fail("expected a selector");
      return Fail(std::string("expected a type, '*', '.class', '#id', '[attr]' or ':nth-child', got '") +
                  Peek() + "'");
    }
    return c;
  }

  core::Status ParseAttr(Selector::Compound* c) {
    ++pos_;  // '['
    SkipSpace();
    Selector::AttrTest t;
    t.name = core::AsciiLower(Ident());
    if (t.name.empty()) return Fail("expected an attribute name after '['");
    SkipSpace();
    if (AtEnd()) return Fail("expected ']'");
    if (Peek() != ']') {
      char op = Peek();
      if (op == '=') {
        t.op = Selector::AttrOp::kEquals;
        ++pos_;
      } else if ((op == '*' || op == '^' || op == '$' || op == '~') && pos_ + 1 < s_.size() &&
                 s_[pos_ + 1] == '=') {
        t.op = op == '*'   ? Selector::AttrOp::kContains
               : op == '^' ? Selector::AttrOp::kPrefix
               : op == '$' ? Selector::AttrOp::kSuffix
                           : Selector::AttrOp::kWord;
        pos_ += 2;
      } else {
        return Fail("expected ']', '=', '*=', '^=', '$=' or '~=' in attribute selector");
      }
      SkipSpace();
      auto value = Value();
      if (!value.ok()) return value.error();
      t.value = std::move(value).value();
      SkipSpace();
      if (AtEnd() || Peek() != ']') return Fail("expected ']' after attribute value");
    }
    ++pos_;  // ']'
    c->attrs.push_back(std::move(t));
    return {};
  }

  core::Result<std::string> Value() {
    if (AtEnd()) return Fail("expected an attribute value");
    char q = Peek();
    if (q == '"' || q == '\'') {
      ++pos_;
      std::string v;
      while (!AtEnd() && Peek() != q) {
        if (Peek() == '\\' && pos_ + 1 < s_.size()) ++pos_;
        v += s_[pos_++];
      }
      if (AtEnd()) return Fail(std::string("unterminated string, expected ") + q);
      ++pos_;
      return v;
    }
    std::string v = Ident();
    if (v.empty()) return Fail("expected an attribute value (an identifier or a quoted string)");
    return v;
  }

  core::Status ParsePseudo(Selector::Compound* c) {
    ++pos_;  // ':'
    std::string name = core::AsciiLower(Ident());
    if (c->has_nth) return Fail("only one :nth-child / :first-child / :last-child per compound");
    if (name == "first-child" || name == "last-child") {
      c->has_nth = true;
      c->nth_a = 0;
      c->nth_b = 1;
      c->nth_from_end = name == "last-child";
      return {};
    }
    if (name != "nth-child") {
      return Fail("unsupported pseudo-class ':" + name +
                  "' (supported: :nth-child, :first-child, :last-child)");
    }
    if (AtEnd() || Peek() != '(') return Fail("expected '(' after :nth-child");
    ++pos_;
    std::size_t close = s_.find(')', pos_);
    if (close == std::string_view::npos) return Fail("expected ')' to close :nth-child(");
    std::string arg;
    for (char ch : s_.substr(pos_, close - pos_)) {
      if (!core::IsAsciiSpace(ch)) arg += ch;
    }
    arg = core::AsciiLower(arg);
    if (!ParseAnB(arg, &c->nth_a, &c->nth_b)) {
      return Fail("expected n, odd, even or an+b inside :nth-child(), got '" + arg + "'");
    }
    c->has_nth = true;
    pos_ = close + 1;
    return {};
  }

  // "odd", "even", "3", "2n", "2n+1", "-n+3", "n".
  static bool ParseAnB(const std::string& arg, int* a, int* b) {
    if (arg == "odd") return *a = 2, *b = 1, true;
    if (arg == "even") return *a = 2, *b = 0, true;
    std::size_t n = arg.find('n');
    auto parse_int = [](std::string_view t, int* out) {
      if (t.empty() || t.size() > 6) return false;
      std::size_t i = (t[0] == '+' || t[0] == '-') ? 1 : 0;
      if (i == t.size()) return false;
      int v = 0;
      for (; i < t.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(t[i]))) return false;
        v = v * 10 + (t[i] - '0');
      }
      *out = t[0] == '-' ? -v : v;
      return true;
    };
    if (n == std::string::npos) {
      *a = 0;
      return parse_int(arg, b);
    }
    std::string_view as = std::string_view(arg).substr(0, n);
    if (as.empty() || as == "+") {
      *a = 1;
    } else if (as == "-") {
      *a = -1;
    } else if (!parse_int(as, a)) {
      return false;
    }
    std::string_view bs = std::string_view(arg).substr(n + 1);
    if (bs.empty()) return *b = 0, true;
    if (bs[0] != '+' && bs[0] != '-') return false;
    return parse_int(bs, b);
  }

  std::string Ident() {
    std::string out;
    while (!AtEnd()) {
      if (Peek() == '\\' && pos_ + 1 < s_.size()) {
        out += s_[pos_ + 1];
        pos_ += 2;
      } else if (IsIdentChar(Peek())) {
        out += s_[pos_++];
      } else {
        break;
      }
    }
    return out;
  }

  bool SkipSpace() {
    std::size_t start = pos_;
    while (!AtEnd() && core::IsAsciiSpace(Peek())) ++pos_;
    return pos_ > start;
  }
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return s_[pos_]; }
  core::Error Fail(const std::string& what) const {
    return core::MakeError(core::ErrorCode::kParse, "column " + std::to_string(pos_ + 1) + ": " + what);
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

bool AttrMatches(const Dom& dom, NodeId n, const Selector::AttrTest& t) {
  const std::string* v = dom.Attr(n, t.name);
  if (!v) return false;
  switch (t.op) {
    case Selector::AttrOp::kExists:
      return true;
    case Selector::AttrOp::kEquals:
      return *v == t.value;
    case Selector::AttrOp::kContains:
      return !t.value.empty() && v->find(t.value) != std::string::npos;
    case Selector::AttrOp::kPrefix:
      return !t.value.empty() && v->compare(0, t.value.size(), t.value) == 0;
    case Selector::AttrOp::kSuffix:
      return !t.value.empty() && v->size() >= t.value.size() &&
             v->compare(v->size() - t.value.size(), t.value.size(), t.value) == 0;
    case Selector::AttrOp::kWord:
      return dom.HasToken(n, t.name, t.value) && !t.value.empty();
  }
  return false;
}

bool NthMatches(int a, int b, int index) {
  if (a == 0) return index == b;
  int diff = index - b;
  return diff / a >= 0 && diff % a == 0;
}

// Matching runs top-down in one depth-first pass. For each element and each
// alternative it keeps two bit masks over the alternative's compounds:
// exact (bit i: compounds 0..i match with compound i at this element) and
// reach (the union of exact over the element and its ancestors). Compound i
// can match an element only if bit i-1 is in its parent's exact mask (child
// combinator) or its parent's reach mask (descendant combinator). So every
// selector costs O(elements x compounds): no backtracking, no memo, and no
// input can make it worse than linear.
using Mask = std::uint32_t;  // kMaxCompounds <= 32

struct Position {
  int index = 1;  // 1-based among element siblings
  int count = 1;  // element siblings in all
};

bool CompoundMatches(const Dom& dom, NodeId n, const Selector::Compound& c, Position pos) {
  const model::DomNode& node = dom.node(n);
  if (!c.tag.empty() && node.tag != c.tag) return false;
  for (const auto& id : c.ids) {
    const std::string* v = dom.Attr(n, "id");
    if (!v || *v != id) return false;
  }
  for (const auto& cls : c.classes) {
    if (!dom.HasClass(n, cls)) return false;
  }
  for (const auto& t : c.attrs) {
    if (!AttrMatches(dom, n, t)) return false;
  }
  if (c.has_nth) {
    int at = c.nth_from_end ? pos.count - pos.index + 1 : pos.index;
    if (!NthMatches(c.nth_a, c.nth_b, at)) return false;
  }
  return true;
}

// The exact mask of element `n` for one alternative, given its parent's.
Mask ExactMask(const Dom& dom, NodeId n, const Selector::Complex& cx, Mask parent_exact, Mask parent_reach,
               Position pos) {
  Mask exact = 0;
  for (std::size_t i = 0; i < cx.size(); ++i) {
    if (i > 0) {
      Mask need = Mask{1} << (i - 1);
      if (!((cx[i].after_child ? parent_exact : parent_reach) & need)) continue;
    }
    if (CompoundMatches(dom, n, cx[i], pos)) exact |= Mask{1} << i;
  }
  return exact;
}

bool IsElement(const Dom& dom, NodeId n) { return dom.node(n).kind == NodeKind::kElement; }

int ElementChildren(const Dom& dom, NodeId n) {
  int k = 0;
  for (NodeId c : dom.node(n).children) k += IsElement(dom, c) ? 1 : 0;
  return k;
}

Position PositionOf(const Dom& dom, NodeId n) {
  NodeId p = dom.node(n).parent;
  if (p == model::kNoNode) return {};
  Position pos{0, 0};
  for (NodeId c : dom.node(p).children) {
    if (!IsElement(dom, c)) continue;
    ++pos.count;
    if (c == n) pos.index = pos.count;
  }
  return pos;
}

class Matcher {
 public:
  Matcher(const Dom& dom, const std::vector<Selector::Complex>& alts, bool uses_nth)
      : dom_(dom), alts_(alts), uses_nth_(uses_nth) {}

  // The masks of `n` itself, computed down the path from the root (only
  // what combinators reaching above a scope need: O(depth x compounds)).
  void MasksAt(NodeId n, std::vector<Mask>* exact, std::vector<Mask>* reach) const {
    std::vector<NodeId> path;
    for (NodeId a = n; a != model::kNoNode && IsElement(dom_, a); a = dom_.node(a).parent) path.push_back(a);
    exact->assign(alts_.size(), 0);
    reach->assign(alts_.size(), 0);
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
      Position pos = uses_nth_ ? PositionOf(dom_, *it) : Position{};
      for (std::size_t a = 0; a < alts_.size(); ++a) {
        (*exact)[a] = ExactMask(dom_, *it, alts_[a], (*exact)[a], (*reach)[a], pos);
        (*reach)[a] |= (*exact)[a];
      }
    }
  }

  bool Final(const std::vector<Mask>& exact, std::size_t a) const {
    return exact[a] & (Mask{1} << (alts_[a].size() - 1));
  }

  // Depth-first over the subtree below `scope`, with one frame per open
  // element (explicit stack: depth is the page's to choose).
  std::vector<NodeId> Select(NodeId scope, std::size_t limit) const {
    std::vector<NodeId> out;
    std::size_t n = alts_.size();
    std::vector<Mask> exact, reach;
    MasksAt(scope, &exact, &reach);
    struct Frame {
      NodeId node;
      std::size_t next = 0;
      int index = 0;
      int count = 0;
    };
    std::vector<Frame> frames{{scope, 0, 0, uses_nth_ ? ElementChildren(dom_, scope) : 0}};
    std::vector<Mask> masks(exact);  // per frame: n exact masks, then n reach masks
    masks.insert(masks.end(), reach.begin(), reach.end());
    std::vector<Mask> child_exact(n);
    while (!frames.empty() && out.size() < limit) {
      Frame& f = frames.back();
      const auto& kids = dom_.node(f.node).children;
      if (f.next >= kids.size()) {
        frames.pop_back();
        masks.resize(masks.size() - 2 * n);
        continue;
      }
      NodeId c = kids[f.next++];
      if (!IsElement(dom_, c)) continue;
      Position pos{++f.index, f.count};
      const Mask* parent = &masks[masks.size() - 2 * n];
      bool matched = false;
      for (std::size_t a = 0; a < n; ++a) {
        child_exact[a] = ExactMask(dom_, c, alts_[a], parent[a], parent[n + a], pos);
        matched = matched || Final(child_exact, a);
      }
      if (matched) out.push_back(c);
      if (dom_.node(c).children.empty()) continue;
      std::size_t base = masks.size() - 2 * n;  // the parent's masks
      for (std::size_t a = 0; a < n; ++a) masks.push_back(child_exact[a]);
      for (std::size_t a = 0; a < n; ++a) masks.push_back(masks[base + n + a] | child_exact[a]);
      frames.push_back({c, 0, 0, uses_nth_ ? ElementChildren(dom_, c) : 0});
    }
    return out;
  }

 private:
  const Dom& dom_;
  const std::vector<Selector::Complex>& alts_;
  bool uses_nth_;
};

}  // namespace

core::Result<Selector> Selector::Parse(std::string_view text) {
  if (text.size() > kMaxSelectorBytes) {
    return core::MakeError(core::ErrorCode::kParse,
                           "selector longer than " + std::to_string(kMaxSelectorBytes) + " bytes");
  }
  Parser parser(text);
  auto list = parser.ParseList();
  if (!list.ok()) return list.error();
  Selector s;
  s.text_ = std::string(text);
  s.alternatives_ = std::move(list).value();
  for (const auto& cx : s.alternatives_) {
    for (const auto& c : cx) s.uses_nth_ = s.uses_nth_ || c.has_nth;
  }
  return s;
}

std::vector<NodeId> Selector::Select(const Dom& dom, NodeId scope, std::size_t limit) const {
  if (limit == 0 || alternatives_.empty()) return {};
  return Matcher(dom, alternatives_, uses_nth_).Select(scope, limit);
}

NodeId Selector::SelectFirst(const Dom& dom, NodeId scope) const {
  auto v = Select(dom, scope, 1);
  return v.empty() ? model::kNoNode : v.front();
}

bool Selector::Matches(const Dom& dom, NodeId node) const {
  if (!IsElement(dom, node)) return false;
  Matcher m(dom, alternatives_, uses_nth_);
  std::vector<Mask> exact, reach;
  m.MasksAt(node, &exact, &reach);
  for (std::size_t a = 0; a < alternatives_.size(); ++a) {
    if (m.Final(exact, a)) return true;
  }
  return false;
}

}  // namespace telescreen::patterns
