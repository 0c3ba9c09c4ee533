#include "patterns/text_rules.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "core/text.h"

namespace telescreen::patterns {
namespace {

using model::NodeId;
using model::NodeKind;

bool IsBlock(const std::string& tag) {
  static const std::set<std::string> blocks = {
      "address", "article",  "aside",      "blockquote", "br",      "dd",     "div",     "dl",
      "dt",      "fieldset", "figcaption", "figure",     "footer",  "form",   "h1",      "h2",
      "h3",      "h4",       "h5",         "h6",         "header",  "hr",     "li",      "main",
      "nav",     "ol",       "p",          "pre",        "section", "table",  "td",      "th",
      "tr",      "ul",       "body",       "html",       "title",   "option", "summary", "details"};
  return blocks.count(tag) > 0;
}

bool IsSkipped(const std::string& tag) {
  return tag == "script" || tag == "style" || tag == "template" || tag == "noscript" || tag == "head" ||
         tag == "svg" || tag == "iframe" || tag == "textarea" || tag == "select";
}

// Appends text to `out`, collapsing spaces and tabs; newlines are line breaks.
class LineWriter {
 public:
  explicit LineWriter(std::size_t max_bytes) : max_(max_bytes) {}
  bool full() const { return out_.size() >= max_; }
  std::size_t size() const { return out_.size(); }
  void Text(std::string_view s) {
    for (char c : s) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        space_ = !out_.empty() && out_.back() != '\n';
      } else {
        if (space_) out_ += ' ';
        space_ = false;
        out_ += c;
      }
    }
  }
  void Break() {
    space_ = false;
    if (!out_.empty() && out_.back() != '\n') out_ += '\n';
  }
  std::string Take() {
    while (!out_.empty() && out_.back() == '\n') out_.pop_back();
    return CutUtf8(out_, max_);
  }

 private:
  std::size_t max_;
  std::string out_;
  bool space_ = false;
};

// Spans of posts recorded per page at most (a page of 100,000 <article>s
// would otherwise make a list as long as itself).
constexpr std::size_t kMaxPostSpans = 4096;
// Nodes looked at, per page, when searching posts for their dates.
constexpr std::size_t kPostSearchBudget = 200000;

// An element that holds one post: mf2 h-entry (mf1 hentry), <article>, or a
// schema.org microdata posting, article or comment.
bool IsPost(const model::Dom& dom, NodeId n) {
  if (dom.node(n).tag == "article" || dom.HasClass(n, "h-entry") || dom.HasClass(n, "hentry")) return true;
  const std::string* type = dom.Attr(n, "itemtype");
  return type && (type->find("Posting") != std::string::npos || type->find("Article") != std::string::npos ||
                  type->find("Comment") != std::string::npos);
}

// The date a page as a whole says it was published, from <head>.
std::string PageDate(const model::Dom& dom, NodeId head) {
  for (NodeId c : dom.node(head).children) {
    if (dom.node(c).tag != "meta") continue;
    const std::string* property = dom.Attr(c, "property");
    const std::string* content = dom.Attr(c, "content");
    if (property && content && *property == "article:published_time")
      return model::CollapseWhitespace(*content);
  }
  return "";
}

// Finds each post's publication date, within one budget for the page.
class PostFinder {
 public:
  explicit PostFinder(const model::Dom& dom) : dom_(dom) {}

  // The post's own date: its first dt-published (mf2), published (mf1) or
  // itemprop=datePublished, else its first <time datetime>; nested posts'
  // dates are theirs, not this one's. Empty when none.
  std::string Published(NodeId post) {
    std::string fallback;
    std::vector<NodeId> stack(dom_.node(post).children.rbegin(), dom_.node(post).children.rend());
    while (!stack.empty() && budget_ > 0) {
      NodeId n = stack.back();
      stack.pop_back();
      --budget_;
      const model::DomNode& d = dom_.node(n);
      if (d.kind != NodeKind::kElement || IsSkipped(d.tag) || IsPost(dom_, n)) continue;
      const std::string* itemprop = dom_.Attr(n, "itemprop");
      if (dom_.HasClass(n, "dt-published") || dom_.HasClass(n, "published") ||
          (itemprop && *itemprop == "datePublished")) {
        return DateOf(n);
      }
      if (fallback.empty() && d.tag == "time" && dom_.Attr(n, "datetime")) fallback = DateOf(n);
      for (auto it = d.children.rbegin(); it != d.children.rend(); ++it) stack.push_back(*it);
    }
    return fallback;
  }

 private:
  std::string DateOf(NodeId n) const {
    for (const char* attr : {"datetime", "content", "title"}) {
      if (const std::string* v = dom_.Attr(n, attr); v && !v->empty())
        return CutUtf8(model::CollapseWhitespace(*v), 100);
    }
    std::string text;  // direct text children only: bounded, whatever lies below
    for (NodeId c : dom_.node(n).children) {
      if (dom_.node(c).kind == NodeKind::kText) text += CutUtf8(dom_.node(c).text, 100);
      if (text.size() >= 100) break;
    }
    return CutUtf8(model::CollapseWhitespace(text), 100);
  }

  const model::Dom& dom_;
  std::size_t budget_ = kPostSearchBudget;
};

const re2::RE2& AtRe() {
  static const re2::RE2 re(R"((?i)\s*(?:[\(\[\{<]\s*(?:at|ät|ät|aet|@)\s*[\)\]\}>]|\s(?:at|ät)\s|\s*@\s*))");
  return re;
}
const re2::RE2& DotRe() {
  static const re2::RE2 re(
      R"((?i)\s*(?:[\(\[\{<]\s*(?:dot|punkt|pkt|\.)\s*[\)\]\}>]|\s(?:dot|punkt)\s|\s*\.\s*))");
  return re;
}
const re2::RE2& EmailShapeRe() {
  static const re2::RE2 re(R"(^[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,24}$)");
  return re;
}

std::string NormalizeEmail(std::string_view value) {
  std::string s = " " + std::string(value) + " ";
  re2::RE2::GlobalReplace(&s, AtRe(), "@");
  re2::RE2::GlobalReplace(&s, DotRe(), ".");
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n') out += c;
  }
  out = core::AsciiLower(out);
  while (!out.empty() && out.back() == '.') out.pop_back();
  return re2::RE2::FullMatch(out, EmailShapeRe()) ? out : "";
}

std::string NormalizePhone(std::string_view value) {
  std::string v(value);
  // "+49 (0) 30 ..." : the national trunk prefix in parentheses is not dialled.
  if (auto p = v.find("(0)"); p != std::string::npos && (v[0] == '+' || v.rfind("00", 0) == 0)) {
    v.erase(p, 3);
  }
  std::string out;
  for (char c : v) {
    if (std::isdigit(static_cast<unsigned char>(c))) out += c;
  }
  std::size_t start = v.find_first_not_of(" \t");
  bool plus = start != std::string::npos && v[start] == '+';
  if (!plus && out.rfind("00", 0) == 0) {
    out = out.substr(2);
    plus = true;
  }
  if (out.size() < 6 || out.size() > 15) return "";
  return plus ? "+" + out : out;
}

// The value a match gives for an identity rule.
std::string IdentityValue(const TextRule& rule, std::string_view match,
                          const std::vector<std::string_view>& groups) {
  std::string value;
  if (!rule.rewrite.empty()) {
    re2::StringPiece sub[10];
    int n = std::min<int>(9, static_cast<int>(groups.size()));
    sub[0] = re2::StringPiece(match.data(), match.size());
    for (int i = 0; i < n; ++i) {
      std::string_view g = groups[static_cast<std::size_t>(i)];
      sub[i + 1] = re2::StringPiece(g.data(), g.size());
    }
    rule.regex->Rewrite(&value, rule.rewrite, sub, n + 1);
  } else if (!groups.empty()) {
    value = std::string(groups[0]);
  } else {
    value = std::string(match);
  }
  return Normalize(rule.normalize, value);
}

std::string Describe(const TextMatch& m) {
  if (!m.value.empty() || m.members.empty()) return m.value;
  std::string out;
  for (const auto& [k, v] : m.members) out += (out.empty() ? "" : " | ") + k + ": " + v;
  return out;
}

}  // namespace

std::string VisibleText(const model::Dom& dom, std::size_t max_bytes, std::vector<PostSpan>* posts,
                        const std::unordered_map<NodeId, DeclaredPost>* declared) {
  LineWriter w(max_bytes);
  PostFinder finder(dom);
  std::vector<std::size_t> open;  // index into *posts of each post being written
  // Explicit stack (no recursion: depth is the page's to choose). -1 marks
  // the end of a block element, -2 - i the end of post span i.
  std::vector<NodeId> stack{dom.root()};
  while (!stack.empty() && !w.full()) {
    NodeId n = stack.back();
    stack.pop_back();
    if (n == -1) {
      w.Break();
      continue;
    }
    if (n < -1) {
      (*posts)[static_cast<std::size_t>(-2 - n)].end = w.size();
      continue;
    }
    const model::DomNode& d = dom.node(n);
    if (d.kind == NodeKind::kText) {
      w.Text(d.text);
      continue;
    }
    if (d.kind == NodeKind::kElement) {
      if (posts && d.tag == "head") {
        if (auto page_date = PageDate(dom, n); !page_date.empty() && posts->empty()) {
          posts->push_back(PostSpan{0, std::string::npos, std::move(page_date), ""});
        }
      }
      if (IsSkipped(d.tag)) continue;
      if (IsBlock(d.tag)) {
        w.Break();
        stack.push_back(-1);
      }
      auto mine = declared ? declared->find(n) : std::unordered_map<NodeId, DeclaredPost>::const_iterator();
      if (declared && mine != declared->end() && posts && posts->size() < kMaxPostSpans) {
        posts->push_back(PostSpan{w.size(), std::string::npos, mine->second.published, mine->second.title});
        stack.push_back(-2 - static_cast<NodeId>(posts->size() - 1));
      } else if (posts && posts->size() < kMaxPostSpans && IsPost(dom, n)) {
        if (auto date = finder.Published(n); !date.empty()) {
          posts->push_back(PostSpan{w.size(), std::string::npos, std::move(date), ""});
          stack.push_back(-2 - static_cast<NodeId>(posts->size() - 1));
        }
      }
    }
    for (auto it = d.children.rbegin(); it != d.children.rend(); ++it) stack.push_back(*it);
  }
  std::string text = w.Take();
  if (posts) {
    for (auto& p : *posts) p.end = std::min(p.end, text.size());
  }
  return text;
}

struct TextRuleFilter::Impl {
  re2::RE2::Set set;
  explicit Impl(const re2::RE2::Options& options) : set(options, re2::RE2::UNANCHORED) {}
};

TextRuleFilter::TextRuleFilter() = default;
TextRuleFilter::~TextRuleFilter() = default;

std::shared_ptr<const TextRuleFilter> TextRuleFilter::Build(const std::vector<TextRule>& rules) {
  if (rules.empty()) return nullptr;
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(std::int64_t{8} << 20);
  std::shared_ptr<TextRuleFilter> filter(new TextRuleFilter());
  filter->impl_ = std::make_unique<Impl>(options);
  for (const auto& rule : rules) {
    // Each rule was compiled alone with the same options, so this only fails
    // if a rule has none (then filter nothing).
    if (!rule.regex || filter->impl_->set.Add(rule.regex->pattern(), nullptr) < 0) return nullptr;
  }
  if (!filter->impl_->set.Compile()) return nullptr;
  return filter;
}

std::optional<std::vector<int>> TextRuleFilter::Matching(std::string_view text) const {
  std::vector<int> hits;
  re2::RE2::Set::ErrorInfo error;
  if (!impl_->set.Match(re2::StringPiece(text.data(), text.size()), &hits, &error) &&
      error.kind != re2::RE2::Set::kNoError) {
    return std::nullopt;
  }
  std::sort(hits.begin(), hits.end());
  return hits;
}

const PostSpan* InnermostPost(const std::vector<PostSpan>& posts, std::size_t offset) {
  const PostSpan* best = nullptr;
  for (const auto& p : posts) {
    if (offset < p.begin || offset >= p.end) continue;
    // Innermost: the one that began last (a span that begins later and
    // holds the offset lies inside the earlier one).
    if (!best || p.begin > best->begin || (p.begin == best->begin && p.end < best->end)) best = &p;
  }
  return best;
}

std::string PublishedAt(const std::vector<PostSpan>& posts, std::size_t offset) {
  const PostSpan* best = InnermostPost(posts, offset);
  return best ? best->published : "";
}

std::string Normalize(TextNormalize how, std::string_view value) {
  if (how == TextNormalize::kEmail) return NormalizeEmail(value);
  if (how == TextNormalize::kPhone) return NormalizePhone(value);
  std::string v = model::CollapseWhitespace(value);
  if (how == TextNormalize::kLower) return core::AsciiLower(v);
  return v;
}

std::vector<TextMatch> MatchText(const TextRule& rule, std::string_view text, std::size_t limit) {
  std::vector<TextMatch> out;
  if (!rule.regex) return out;
  const re2::RE2& re = *rule.regex;
  int ngroups = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> sub(static_cast<std::size_t>(ngroups) + 1);
  auto view = [](const re2::StringPiece& p) { return std::string_view(p.data(), p.size()); };
  std::vector<std::string> names(sub.size());
  for (const auto& [name, i] : re.NamedCapturingGroups()) names[static_cast<std::size_t>(i)] = name;
  std::size_t pos = 0;
  while (pos <= text.size() && out.size() < limit) {
    if (!re.Match(re2::StringPiece(text.data(), text.size()), pos, text.size(), re2::RE2::UNANCHORED,
                  sub.data(), static_cast<int>(sub.size()))) {
      break;
    }
    std::size_t end = static_cast<std::size_t>(sub[0].data() - text.data()) + sub[0].size();
    pos = sub[0].empty() ? end + 1 : end;
    // "@anna@social.example" is a fediverse handle (a Mastodon account),
    // not an e-mail address: the address rule's \b lets it start after '@'.
    if (rule.normalize == TextNormalize::kEmail && sub[0].data() > text.data() && sub[0].data()[-1] == '@')
      continue;
    TextMatch m;
    m.excerpt = CutUtf8(view(sub[0]), 200);
    m.offset = static_cast<std::size_t>(sub[0].data() - text.data());
    if (rule.target.object == "identity") {
      std::vector<std::string_view> groups;
      for (std::size_t i = 1; i < sub.size(); ++i) groups.push_back(view(sub[i]));
      m.value = IdentityValue(rule, view(sub[0]), groups);
      if (m.value.empty()) continue;
    } else {
      for (std::size_t i = 1; i < sub.size(); ++i) {
        if (names[i].empty() || sub[i].empty()) continue;
        std::string v = model::CollapseWhitespace(view(sub[i]));
        if (!v.empty()) m.members.emplace_back(names[i], std::move(v));
      }
      for (const auto& kv : rule.set) m.members.push_back(kv);
      if (m.members.empty()) continue;
    }
    out.push_back(std::move(m));
  }
  return out;
}

std::optional<std::string> FirstTextValue(const TextRule& rule, std::string_view text) {
  auto matches = MatchText(rule, text, 1);
  if (matches.empty()) return std::nullopt;
  return Describe(matches.front());
}

}  // namespace telescreen::patterns
