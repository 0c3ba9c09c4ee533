#include "patterns/json_path.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

namespace telescreen::patterns {
namespace {

core::Error ParseError(std::size_t column, const std::string& what) {
  return core::MakeError(core::ErrorCode::kParse, "column " + std::to_string(column) + ": " + what);
}

// RFC 6901 section 4: "~1" is "/", "~0" is "~"; any other "~" is an error.
bool Unescape(std::string_view raw, std::string* out) {
  out->clear();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '~') {
      out->push_back(raw[i]);
      continue;
    }
    if (i + 1 >= raw.size() || (raw[i + 1] != '0' && raw[i + 1] != '1')) return false;
    out->push_back(raw[i + 1] == '0' ? '~' : '/');
    ++i;
  }
  return true;
}

class PathParser {
 public:
  explicit PathParser(std::string_view text) : text_(text) {}

  core::Result<std::vector<JsonPath::Step>> Run() {
    std::vector<JsonPath::Step> steps;
    if (text_.empty() || text_ == "/") return steps;
    if (text_[0] == '[') {  // predicates on the document itself
      JsonPath::Step self;
      self.kind = JsonPath::Kind::kSelf;
      while (i_ < text_.size() && text_[i_] == '[') {
        auto p = ParsePredicate();
        if (!p.ok()) return p.error();
        self.predicates.push_back(std::move(p).value());
      }
      steps.push_back(std::move(self));
      if (i_ >= text_.size()) return steps;
    }
    if (text_[i_] != '/')
      return ParseError(i_ + 1, "a path starts with '/' or '[' (\"\" is the document itself)");
    ++i_;
    while (true) {
      if (steps.size() >= kMaxJsonPathSteps) {
        return ParseError(i_ + 1, "more than " + std::to_string(kMaxJsonPathSteps) + " steps");
      }
      auto step = ParseStep();
      if (!step.ok()) return step.error();
      steps.push_back(std::move(step).value());
      if (i_ >= text_.size()) return steps;
      if (text_[i_] != '/') return ParseError(i_ + 1, "expected '/' or '[' after a step");
      ++i_;
    }
  }

 private:
  core::Result<JsonPath::Step> ParseStep() {
    std::size_t start = i_;
    while (i_ < text_.size() && text_[i_] != '/' && text_[i_] != '[') ++i_;
    std::string_view raw = text_.substr(start, i_ - start);
    JsonPath::Step step;
    if (raw == "*") {
      step.kind = JsonPath::Kind::kAny;
    } else if (raw == "**") {
      step.kind = JsonPath::Kind::kDeep;
    } else if (raw.empty()) {
      return ParseError(start + 1, "empty step (a member name, '*' or '**')");
    } else if (!Unescape(raw, &step.member)) {
      return ParseError(start + 1, "'~' must be followed by 0 or 1 (RFC 6901)");
    }
    while (i_ < text_.size() && text_[i_] == '[') {
      auto p = ParsePredicate();
      if (!p.ok()) return p.error();
      step.predicates.push_back(std::move(p).value());
    }
    return step;
  }

  // "[key]", "[key=v]", "[key^=v]", "[key$=v]", "[key*=v]"; i_ is at '['.
  core::Result<JsonPath::Predicate> ParsePredicate() {
    const std::size_t open = i_++;
    std::size_t start = i_;
    while (i_ < text_.size() && text_[i_] != ']' && text_[i_] != '=') ++i_;
    if (i_ >= text_.size()) return ParseError(open + 1, "unclosed '['");
    std::string_view key = text_.substr(start, i_ - start);
    JsonPath::Predicate p;
    if (text_[i_] == '=') {
      p.op = JsonPath::Op::kEquals;
      if (!key.empty()) {
        switch (key.back()) {
          case '^':
            p.op = JsonPath::Op::kPrefix;
            break;
          case '$':
            p.op = JsonPath::Op::kSuffix;
            break;
          case '*':
            p.op = JsonPath::Op::kContains;
            break;
          default:
            break;
        }
        if (p.op != JsonPath::Op::kEquals) key.remove_suffix(1);
      }
      ++i_;
      auto value = ParseValue();
      if (!value.ok()) return value.error();
      p.value = std::move(value).value();
      std::size_t open = p.value.find('{');
      p.has_variables = open != std::string::npos && p.value.find('}', open) != std::string::npos;
    }
    if (i_ >= text_.size() || text_[i_] != ']') return ParseError(i_ + 1, "expected ']'");
    ++i_;
    if (key.empty()) return ParseError(start + 1, "a predicate needs a member name");
    for (std::size_t from = 0; from <= key.size();) {
      std::size_t slash = std::min(key.find('/', from), key.size());
      std::string part;
      if (slash == from || !Unescape(key.substr(from, slash - from), &part)) {
        return ParseError(start + from + 1, "bad member name in predicate");
      }
      p.key.push_back(std::move(part));
      from = slash + 1;
    }
    return p;
  }

  // A bare value up to ']' or a quoted one.
  core::Result<std::string> ParseValue() {
    if (i_ < text_.size() && (text_[i_] == '"' || text_[i_] == '\'')) {
      char quote = text_[i_];
      std::size_t close = text_.find(quote, i_ + 1);
      if (close == std::string_view::npos) return ParseError(i_ + 1, "unclosed quote");
      std::string value(text_.substr(i_ + 1, close - i_ - 1));
      i_ = close + 1;
      return value;
    }
    std::size_t start = i_;
    while (i_ < text_.size() && text_[i_] != ']') ++i_;
    return std::string(text_.substr(start, i_ - start));
  }

  std::string_view text_;
  std::size_t i_ = 0;
};

// One selection's budget and variables.
struct Walk {
  JsonBudget* budget;
  const JsonVars* vars;
};

bool Charge(const Walk& w) {
  if (w.budget->visits_left == 0) return false;
  --w.budget->visits_left;
  return true;
}

// `value` with each "{name}" replaced by the variable's value; nullopt when
// a variable is missing.
std::optional<std::string> Expand(const std::string& value, const JsonVars* vars) {
  std::string out;
  for (std::size_t i = 0; i < value.size();) {
    std::size_t open = value.find('{', i);
    std::size_t close = open == std::string::npos ? open : value.find('}', open);
    if (close == std::string::npos) {
      out.append(value, i, std::string::npos);
      break;
    }
    out.append(value, i, open - i);
    std::string name = value.substr(open + 1, close - open - 1);
    if (!vars) return std::nullopt;
    auto it = std::find_if(vars->begin(), vars->end(), [&](const auto& v) { return v.first == name; });
    if (it == vars->end()) return std::nullopt;
    out += it->second;
    i = close + 1;
  }
  return out;
}

const Json* Child(const Json& node, const std::string& member) {
  if (node.is_object()) {
    auto it = node.find(member);
    return it == node.end() ? nullptr : &*it;
  }
  if (node.is_array() && !member.empty() && member.size() <= 9 &&
      std::all_of(member.begin(), member.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      (member.size() == 1 || member[0] != '0')) {
    std::size_t index = std::stoul(member);
    return index < node.size() ? &node[index] : nullptr;
  }
  return nullptr;
}

bool TextMatches(const std::string& text, JsonPath::Op op, const std::string& want) {
  switch (op) {
    case JsonPath::Op::kExists:
      return true;
    case JsonPath::Op::kEquals:
      return text == want;
    case JsonPath::Op::kPrefix:
      return text.starts_with(want);
    case JsonPath::Op::kSuffix:
      return text.ends_with(want);
    case JsonPath::Op::kContains:
      return text.find(want) != std::string::npos;
  }
  return false;
}

bool Holds(const Json& node, const JsonPath::Predicate& p, const Walk& w) {
  const Json* v = &node;
  for (const auto& part : p.key) {
    v = Child(*v, part);
    if (!v) return false;
  }
  if (v->is_null()) return false;
  if (p.op == JsonPath::Op::kExists) return true;
  std::optional<std::string> want = p.has_variables ? Expand(p.value, w.vars) : p.value;
  if (!want) return false;
  if (!v->is_array()) return TextMatches(ScalarText(*v), p.op, *want);
  // A list of types (JSON-LD "@type": ["Event", "Thing"]) holds a value if
  // one of its scalars does.
  return std::any_of(v->begin(), v->end(), [&](const Json& e) {
    return !e.is_structured() && TextMatches(ScalarText(e), p.op, *want);
  });
}

bool Passes(const Json& node, const JsonPath::Step& step, const Walk& w) {
  return std::all_of(step.predicates.begin(), step.predicates.end(),
                     [&](const JsonPath::Predicate& p) { return Holds(node, p, w); });
}

// Appends `from` and everything below it (pre-order) that passes `step`.
void Descend(const Json& from, const JsonPath::Step& step, const Walk& w, std::vector<const Json*>* out) {
  std::vector<std::pair<const Json*, std::size_t>> stack{{&from, 0}};
  while (!stack.empty() && Charge(w)) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (Passes(*node, step, w)) out->push_back(node);
    if (!node->is_structured() || depth >= kMaxJsonPathDepth) continue;
    std::size_t mark = stack.size();
    for (const Json& child : *node) stack.emplace_back(&child, depth + 1);
    std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(mark), stack.end());
  }
}

void Advance(const Json& node, const JsonPath::Step& step, const Walk& w, std::vector<const Json*>* out) {
  switch (step.kind) {
    case JsonPath::Kind::kSelf:
      if (Charge(w) && Passes(node, step, w)) out->push_back(&node);
      return;
    case JsonPath::Kind::kMember: {
      if (!Charge(w)) return;
      const Json* child = Child(node, step.member);
      if (child && Passes(*child, step, w)) out->push_back(child);
      return;
    }
    case JsonPath::Kind::kAny:
      if (!node.is_structured()) return;
      for (const Json& child : node) {
        if (!Charge(w)) return;
        if (Passes(child, step, w)) out->push_back(&child);
      }
      return;
    case JsonPath::Kind::kDeep:
      Descend(node, step, w, out);
      return;
  }
}

void DropRepeats(std::vector<const Json*>* nodes) {
  std::set<const Json*> seen;
  std::erase_if(*nodes, [&](const Json* n) { return !seen.insert(n).second; });
}

}  // namespace

core::Result<JsonPath> JsonPath::Parse(std::string_view text) {
  if (text.size() > kMaxJsonPathBytes) {
    return core::MakeError(core::ErrorCode::kParse,
                           "path longer than " + std::to_string(kMaxJsonPathBytes) + " bytes");
  }
  auto steps = PathParser(text).Run();
  if (!steps.ok()) return steps.error();
  JsonPath path;
  path.text_ = std::string(text);
  path.steps_ = std::move(steps).value();
  return path;
}

std::vector<const Json*> JsonPath::Select(const Json& root, std::size_t limit, JsonBudget* budget,
                                          const JsonVars* vars) const {
  const Walk w{budget, vars};
  std::vector<const Json*> current{&root};
  for (const Step& step : steps_) {
    std::vector<const Json*> next;
    for (const Json* node : current) Advance(*node, step, w, &next);
    if (step.kind != Kind::kMember && current.size() > 1) DropRepeats(&next);
    current = std::move(next);
    if (current.empty()) break;
  }
  if (current.size() > limit) current.resize(limit);
  return current;
}

const Json* JsonPath::SelectFirst(const Json& root, JsonBudget* budget, const JsonVars* vars) const {
  auto nodes = Select(root, 1, budget, vars);
  return nodes.empty() ? nullptr : nodes.front();
}

std::string ScalarText(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number()) return value.dump();
  return "";
}

}  // namespace telescreen::patterns
