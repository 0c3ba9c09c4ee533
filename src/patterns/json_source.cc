#include "patterns/json_source.h"

#include <algorithm>
#include <cctype>

#include "core/json_text.h"
#include "core/text.h"

namespace telescreen::patterns {
namespace {

using model::NodeId;
using model::NodeKind;

// Prefixes that keep a JSON answer from being run as a script
// (Google's ")]}'", Facebook's "for (;;);").
std::string_view StripGuard(std::string_view text) {
  text = core::Trim(text);
  for (std::string_view guard : {")]}'", "for (;;);", "for(;;);", "while(1);", "while (1);"}) {
    if (text.starts_with(guard)) return core::Trim(text.substr(guard.size()));
  }
  return text;
}

// A whole block after any guard, parsed leniently (core::ParseJsonLenient);
// the error "empty" when nothing is left of it.
core::Result<Json> ParseBlock(std::string_view text, int max_nesting) {
  text = StripGuard(text);
  if (core::StripJsonWrappers(text).empty()) return core::MakeError(core::ErrorCode::kParse, "empty");
  return core::ParseJsonLenient<Json>(text, max_nesting);
}

// The index just past the JavaScript string (or template) opening at `i`.
std::size_t SkipString(std::string_view code, std::size_t i) {
  const char quote = code[i];
  for (++i; i < code.size(); ++i) {
    if (code[i] == '\\') {
      ++i;
    } else if (code[i] == quote) {
      return i + 1;
    } else if (code[i] == '\n' && quote != '`') {
      return i;  // an unterminated string ends at the line: do not swallow the script
    }
  }
  return code.size();
}

// The index just past a comment opening at `i` ("//" or "/*"), or `i` when
// there is none.
std::size_t SkipComment(std::string_view code, std::size_t i) {
  if (i + 1 >= code.size() || code[i] != '/') return i;
  if (code[i + 1] == '/') {
    std::size_t nl = code.find('\n', i);
    return nl == std::string_view::npos ? code.size() : nl;
  }
  if (code[i + 1] == '*') {
    std::size_t end = code.find("*/", i + 2);
    return end == std::string_view::npos ? code.size() : end + 2;
  }
  return i;
}

struct Span {
  std::size_t open = 0;               // index of '{' or '['
  std::size_t close = 0;              // index of the matching bracket
  std::vector<std::size_t> children;  // indices into the span list
};

// Matches brackets outside strings and comments in one pass. A closing
// bracket that does not fit the innermost open one closes the nearest that
// it fits (JavaScript regex literals can leave strays).
std::vector<Span> MatchBrackets(std::string_view code) {
  std::vector<Span> spans;
  std::vector<std::size_t> open;
  for (std::size_t i = 0; i < code.size();) {
    const char c = code[i];
    if (c == '"' || c == '\'' || c == '`') {
      i = SkipString(code, i);
      continue;
    }
    if (std::size_t past = SkipComment(code, i); past != i) {
      i = past;
      continue;
    }
    if (c == '{' || c == '[') {
      open.push_back(i);
    } else if (c == '}' || c == ']') {
      const char want = c == '}' ? '{' : '[';
      while (!open.empty() && code[open.back()] != want) open.pop_back();
      if (!open.empty()) {
        spans.push_back(Span{open.back(), i, {}});
        open.pop_back();
      }
    }
    ++i;
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.open < b.open; });
  return spans;
}

// Links each span to the spans directly inside it; returns the outermost.
std::vector<std::size_t> BuildTree(std::vector<Span>* spans) {
  std::vector<std::size_t> roots, ancestors;
  for (std::size_t k = 0; k < spans->size(); ++k) {
    while (!ancestors.empty() && (*spans)[ancestors.back()].close < (*spans)[k].open) ancestors.pop_back();
    if (ancestors.empty()) {
      roots.push_back(k);
    } else {
      (*spans)[ancestors.back()].children.push_back(k);
    }
    ancestors.push_back(k);
  }
  return roots;
}

// Could this span be JSON at all? Cheap: looks at its first token only.
bool LooksLikeJson(std::string_view text) {
  std::size_t i = 1;
  while (i < text.size() && core::IsAsciiSpace(text[i])) ++i;
  if (i >= text.size()) return false;
  const char c = text[i];
  if (text[0] == '{') return c == '"' || c == '}';
  return c == '"' || c == '{' || c == '[' || c == ']' || c == '-' || (c >= '0' && c <= '9') || c == 't' ||
         c == 'f' || c == 'n';
}

// Tries spans outermost first; a span that is not JSON has its inner spans
// tried instead. `visit(span_begin, span_end, value)` gets each literal.
// At most `budget` bytes are handed to the parser in all.
template <typename Visit>
void ParseLiterals(std::string_view code, const JsonSourceLimits& limits, std::size_t max_spans,
                   Visit visit) {
  std::vector<Span> spans = MatchBrackets(code);
  std::vector<std::size_t> work = BuildTree(&spans);
  std::reverse(work.begin(), work.end());
  std::size_t budget = 4 * code.size() + 4096, found = 0;
  while (!work.empty() && found < max_spans) {
    const Span& s = spans[work.back()];
    work.pop_back();
    std::string_view text = code.substr(s.open, s.close - s.open + 1);
    if (text.size() >= limits.min_literal_bytes && LooksLikeJson(text) && text.size() <= budget &&
        core::JsonNestingDepth(text, limits.max_nesting) <= limits.max_nesting) {
      budget -= text.size();
      Json v = Json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (!v.is_discarded()) {
        ++found;
        visit(s.open, s.close + 1, std::move(v));
        continue;
      }
    }
    for (auto it = s.children.rbegin(); it != s.children.rend(); ++it) work.push_back(*it);
  }
}

// The value of a JavaScript string literal (quotes included in `lit`).
std::string DecodeJsString(std::string_view lit) {
  std::string out;
  for (std::size_t i = 1; i + 1 < lit.size(); ++i) {
    char c = lit[i];
    if (c != '\\' || i + 2 >= lit.size()) {
      out.push_back(c);
      continue;
    }
    c = lit[++i];
    static constexpr std::string_view kLetters = "ntrbf";  // \n \t \r \b \f
    static constexpr std::string_view kBytes = "\n\t\r\b\f";
    if (const std::size_t k = kLetters.find(c); k != std::string_view::npos) {
      out.push_back(kBytes[k]);
      continue;
    }
    if (c != 'u') {
      out.push_back(c);  // \" \' \\ \/ and anything else: the character
      continue;
    }
    unsigned cp = 0;
    std::size_t j = i + 1;
    for (; j + 1 < lit.size() && j < i + 5; ++j) {
      const int d = core::HexDigitValue(lit[j]);
      if (d < 0) break;
      cp = cp * 16 + static_cast<unsigned>(d);
    }
    if (j != i + 5) {
      out.push_back('u');
      continue;
    }
    core::AppendUtf8(&out, cp >= 0xD800 && cp < 0xE000 ? 0xFFFD : cp);
    i = j - 1;
  }
  return out;
}

// JSON.parse("...") and JSON.parse('...'): the string's value is a document.
template <typename Visit>
void ParseStringifiedJson(std::string_view code, const JsonSourceLimits& limits, Visit visit) {
  std::size_t budget = 2 * code.size() + 4096;
  for (std::size_t at = code.find("JSON.parse("); at != std::string_view::npos;
       at = code.find("JSON.parse(", at + 1)) {
    std::size_t i = at + 11;
    while (i < code.size() && core::IsAsciiSpace(code[i])) ++i;
    if (i >= code.size() || (code[i] != '"' && code[i] != '\'')) continue;
    std::size_t end = SkipString(code, i);
    if (end - i > budget) return;
    budget -= end - i;
    std::string text = DecodeJsString(code.substr(i, end - i));
    if (auto v = ParseBlock(text, limits.max_nesting); v.ok() && v.value().is_structured()) {
      visit(std::move(v).value());
    }
  }
}

// True iff a JSON string value reads as a JSON object or array written out
// as text: a page state that stores its data stringified, or HTML-escaped.
bool LooksLikeJsonText(const std::string& s, std::size_t min_bytes) {
  if (s.size() < min_bytes) return false;
  std::string_view t = core::Trim(s);
  if (t.size() < 2) return false;
  return (t.front() == '{' && t.back() == '}') || (t.front() == '[' && t.back() == ']');
}

std::string ChildText(const model::Dom& dom, NodeId id) {
  std::string text;
  for (NodeId child : dom.node(id).children) {
    const auto& n = dom.node(child);
    if (n.kind == NodeKind::kText || n.kind == NodeKind::kComment) text += n.text;
  }
  return text;
}

enum class ScriptKind { kJson, kJavaScript, kOther };

ScriptKind KindOf(const model::Dom& dom, NodeId id) {
  const std::string* type = dom.Attr(id, "type");
  const std::string t = type ? core::MediaTypeEssence(*type) : "";
  if (t == "application/json" || t == "text/json" || t == "text/x-json" || t.ends_with("+json")) {
    return ScriptKind::kJson;
  }
  if (t.empty() || t == "text/javascript" || t == "application/javascript" || t == "module" ||
      t == "text/ecmascript" || t == "application/ecmascript" || t == "application/x-javascript") {
    return ScriptKind::kJavaScript;
  }
  return ScriptKind::kOther;
}

// "script#__NEXT_DATA__", "code#pageKey", or "script 4" (its place among
// the page's scripts) when it has no id.
std::string OriginOf(const model::Dom& dom, NodeId id, std::size_t index) {
  const std::string& tag = dom.node(id).tag;
  if (const std::string* v = dom.Attr(id, "id"); v && !v->empty() && v->size() <= 64) return tag + "#" + *v;
  return tag + " " + std::to_string(index);
}

class EmbeddedFinder {
 public:
  EmbeddedFinder(const model::Dom& dom, const JsonSourceLimits& limits, std::vector<std::string>* warnings)
      : dom_(dom), limits_(limits), warnings_(warnings) {}

  std::vector<JsonDocument> Run() {
    std::size_t scripts = 0, codes = 0;
    for (NodeId id = 0; static_cast<std::size_t>(id) < dom_.size(); ++id) {
      if (full()) break;
      const model::DomNode& n = dom_.node(id);
      if (n.kind != NodeKind::kElement) continue;
      if (n.tag == "script") Script(id, ++scripts);
      if (n.tag == "code") Code(id, ++codes);
    }
    return std::move(out_);
  }

 private:
  bool full() const { return out_.size() >= limits_.max_documents || scanned_ >= limits_.max_scanned_bytes; }

  // The element's text, charged to the page's scanning budget.
  std::string Take(NodeId id) {
    std::string text = ChildText(dom_, id);
    std::size_t room = limits_.max_scanned_bytes - std::min(scanned_, limits_.max_scanned_bytes);
    if (text.size() > room) text.resize(room);
    scanned_ += text.size();
    return text;
  }

  void Script(NodeId id, std::size_t index) {
    if (dom_.Attr(id, "src")) return;
    ScriptKind kind = KindOf(dom_, id);
    if (kind == ScriptKind::kOther) return;
    std::string text = Take(id);
    std::string origin = OriginOf(dom_, id, index);
    if (kind == ScriptKind::kJson) {
      if (auto v = ParseBlock(text, limits_.max_nesting); v.ok()) {
        Add(origin, std::move(v).value());
      } else if (warnings_ && v.error().message != "empty") {
        warnings_->push_back(origin + ": " + v.error().message);
      }
      return;
    }
    std::size_t literal = 0;
    ParseLiterals(text, limits_, limits_.max_documents, [&](std::size_t, std::size_t, Json v) {
      Add(origin + " literal " + std::to_string(++literal), std::move(v));
    });
    ParseStringifiedJson(text, limits_, [&](Json v) { Add(origin + " JSON.parse", std::move(v)); });
  }

  void Code(NodeId id, std::size_t index) {
    std::string text = Take(id);
    std::string_view data = core::StripJsonWrappers(text);
    if (data.empty() || (data.front() != '{' && data.front() != '[')) return;
    if (auto v = ParseBlock(data, limits_.max_nesting); v.ok())
      Add(OriginOf(dom_, id, index), std::move(v).value());
  }

  void Add(std::string origin, Json value, int depth = 0) {
    if (full()) return;
    out_.push_back(JsonDocument{std::move(origin), std::move(value)});
    if (depth < kMaxStringifiedDepth) AddStringified(out_.size() - 1, depth + 1);
  }

  // Documents held as text inside document `index` (Meetup's
  // "escapedState": "{&quot;api&quot;: ...}"): each string that reads as
  // an object or array is parsed, after its character references are
  // decoded when it has them, and added after it. The strings looked at are
  // charged to the page's scanning budget; the walk visits a bounded number
  // of nodes per page.
  void AddStringified(std::size_t index, int depth) {
    std::vector<std::string> found;
    std::vector<const Json*> stack{&out_[index].value};
    while (!stack.empty() && walked_ < kMaxStringifiedWalk) {
      const Json* node = stack.back();
      stack.pop_back();
      ++walked_;
      if (node->is_structured()) {
        for (auto it = node->rbegin(); it != node->rend(); ++it) stack.push_back(&*it);
      } else if (node->is_string()) {
        const std::string& text = node->get_ref<const std::string&>();
        if (!LooksLikeJsonText(text, limits_.min_literal_bytes * 4)) continue;
        if (scanned_ + text.size() > limits_.max_scanned_bytes) break;
        scanned_ += text.size();
        found.push_back(text.find("&quot;") != std::string::npos ? core::DecodeHtmlReferences(text) : text);
      }
    }
    const std::string origin = out_[index].origin + " string";
    std::size_t n = 0;
    for (const std::string& text : found) {
      auto v = ParseBlock(text, limits_.max_nesting);
      if (v.ok() && v.value().is_structured())
        Add(origin + " " + std::to_string(++n), std::move(v).value(), depth);
    }
  }

  static constexpr int kMaxStringifiedDepth = 2;               // text in text in a document
  static constexpr std::size_t kMaxStringifiedWalk = 1000000;  // nodes looked at per page

  const model::Dom& dom_;
  const JsonSourceLimits& limits_;
  std::vector<std::string>* warnings_;
  std::vector<JsonDocument> out_;
  std::size_t scanned_ = 0;
  std::size_t walked_ = 0;  // nodes AddStringified looked at
};

}  // namespace

std::vector<JsonDocument> JsonBodyDocuments(std::string_view body, const JsonSourceLimits& limits,
                                            std::vector<std::string>* warnings) {
  std::vector<JsonDocument> out;
  if (auto v = ParseBlock(body, limits.max_nesting); v.ok()) {
    out.push_back(JsonDocument{"body", std::move(v).value()});
  } else if (warnings) {
    warnings->push_back("JSON body: " + v.error().message);
  }
  return out;
}

std::vector<JsonDocument> EmbeddedJsonDocuments(const model::Dom& dom, const JsonSourceLimits& limits,
                                                std::vector<std::string>* warnings) {
  return EmbeddedFinder(dom, limits, warnings).Run();
}

std::vector<std::pair<std::size_t, std::size_t>> JsonLiteralSpans(std::string_view code,
                                                                  std::size_t max_spans) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  ParseLiterals(code, JsonSourceLimits{}, max_spans,
                [&](std::size_t begin, std::size_t end, const Json&) { out.emplace_back(begin, end); });
  return out;
}

}  // namespace telescreen::patterns
