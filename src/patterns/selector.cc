#include "patterns/selector.h"

#include <cctype>
#include <cstdint>
#include <unordered_map>
#include <utility>

namespace telescreen::patterns {
namespace {

using model::Dom;
using model::NodeId;
using model::NodeKind;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Identifier characters: ASCII letters, digits, '-', '_', and any non-ASCII
// byte (CSS allows them; UTF-8 sequences pass through whole).
bool IsIdentChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '-' || c == '_' || u >= 0x80;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
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
      c.tag = Lower(Ident());
    }
    while (!AtEnd()) {
      char ch = Peek();
      if (ch == '.' || ch == '#') {
        ++pos_;
        std::string name = Ident();
        if (name.empty()) {
          return Fail(std::string("expected a ") + (ch == '.' ? "class" : "id") + " name after '" +
                      ch + "'");
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
    t.name = Lower(Ident());
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
    std::string name = Lower(Ident());
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
      if (!IsSpace(ch)) arg += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
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
    while (!AtEnd() && IsSpace(Peek())) ++pos_;
    return pos_ > start;
  }
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return s_[pos_]; }
  core::Error Fail(const std::string& what) const {
    return core::MakeError(core::ErrorCode::kParse,
                           "column " + std::to_string(pos_ + 1) + ": " + what);
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

bool AttrMatches(const Dom& dom, NodeId n, const Selector::AttrTest& t) {
  const std::string* v = dom.Attr(n, t.name);
  if (!v) return false;
  switch (t.op) {
    case Selector::AttrOp::kExists: return true;
    case Selector::AttrOp::kEquals: return *v == t.value;
    case Selector::AttrOp::kContains: return !t.value.empty() && v->find(t.value) != std::string::npos;
    case Selector::AttrOp::kPrefix:
      return !t.value.empty() && v->compare(0, t.value.size(), t.value) == 0;
    case Selector::AttrOp::kSuffix:
      return !t.value.empty() && v->size() >= t.value.size() &&
             v->compare(v->size() - t.value.size(), t.value.size(), t.value) == 0;
    case Selector::AttrOp::kWord: return dom.HasToken(n, t.name, t.value) && !t.value.empty();
  }
  return false;
}

bool NthMatches(int a, int b, int index) {
  if (a == 0) return index == b;
  int diff = index - b;
  return diff / a >= 0 && diff % a == 0;
}

// Matches one complex selector right to left. Each (node, compound) answer
// is memoised, so descendant combinators cost O(depth) per state at most and
// no input can make matching exponential.
class Matcher {
 public:
  Matcher(const Dom& dom, const Selector::Complex& complex) : dom_(dom), c_(complex) {}

  bool Matches(NodeId n) { return MatchesAt(n, c_.size() - 1); }

 private:
  bool MatchesAt(NodeId n, std::size_t i) {
    if (!CompoundMatches(n, c_[i])) return false;
    if (i == 0) return true;
    // Sparse memo: a field selector run inside one list item must cost what
    // the item's subtree costs, not the page's size.
    std::uint64_t key = static_cast<std::uint64_t>(n) * kMaxCompounds + i;
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    bool result = false;
    NodeId p = dom_.node(n).parent;
    if (c_[i].after_child) {
      result = p != model::kNoNode && dom_.node(p).kind == NodeKind::kElement &&
               MatchesAt(p, i - 1);
    } else {
      for (; p != model::kNoNode && dom_.node(p).kind == NodeKind::kElement;
           p = dom_.node(p).parent) {
        if (MatchesAt(p, i - 1)) {
          result = true;
          break;
        }
      }
    }
    memo_.emplace(key, result);
    return result;
  }

  bool CompoundMatches(NodeId n, const Selector::Compound& c) {
    const model::DomNode& node = dom_.node(n);
    if (node.kind != NodeKind::kElement) return false;
    if (!c.tag.empty() && node.tag != c.tag) return false;
    for (const auto& id : c.ids) {
      const std::string* v = dom_.Attr(n, "id");
      if (!v || *v != id) return false;
    }
    for (const auto& cls : c.classes) {
      if (!dom_.HasClass(n, cls)) return false;
    }
    for (const auto& t : c.attrs) {
      if (!AttrMatches(dom_, n, t)) return false;
    }
    if (c.has_nth) {
      auto [index, count] = SiblingIndex(n);
      int pos = c.nth_from_end ? count - index + 1 : index;
      if (!NthMatches(c.nth_a, c.nth_b, pos)) return false;
    }
    return true;
  }

  // 1-based position among element siblings, and their count. Computed for
  // a whole sibling list at once so long lists stay linear.
  std::pair<int, int> SiblingIndex(NodeId n) {
    if (auto it = index_.find(n); it != index_.end()) return it->second;
    NodeId p = dom_.node(n).parent;
    if (p == model::kNoNode) return {1, 1};
    int k = 0;
    const auto& kids = dom_.node(p).children;
    for (NodeId s : kids) {
      if (dom_.node(s).kind == NodeKind::kElement) ++k;
    }
    int i = 0;
    for (NodeId s : kids) {
      if (dom_.node(s).kind == NodeKind::kElement) index_[s] = {++i, k};
    }
    return index_[n];
  }

  const Dom& dom_;
  const Selector::Complex& c_;
  std::unordered_map<std::uint64_t, bool> memo_;
  std::unordered_map<NodeId, std::pair<int, int>> index_;
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
  return s;
}

std::vector<NodeId> Selector::Select(const Dom& dom, NodeId scope, std::size_t limit) const {
  std::vector<NodeId> out;
  if (limit == 0) return out;
  std::vector<Matcher> matchers;
  matchers.reserve(alternatives_.size());
  for (const auto& c : alternatives_) matchers.emplace_back(dom, c);
  for (NodeId n : dom.Descendants(scope)) {
    for (auto& m : matchers) {
      if (m.Matches(n)) {
        out.push_back(n);
        break;
      }
    }
    if (out.size() >= limit) break;
  }
  return out;
}

NodeId Selector::SelectFirst(const Dom& dom, NodeId scope) const {
  auto v = Select(dom, scope, 1);
  return v.empty() ? model::kNoNode : v.front();
}

bool Selector::Matches(const Dom& dom, NodeId node) const {
  for (const auto& c : alternatives_) {
    if (Matcher(dom, c).Matches(node)) return true;
  }
  return false;
}

}  // namespace telescreen::patterns
