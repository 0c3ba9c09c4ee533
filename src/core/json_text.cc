#include "core/json_text.h"

#include "core/text.h"

namespace telescreen::core {

std::string_view StripJsonWrappers(std::string_view text) {
  text = Trim(text);
  // A whole HTML comment before the data ("<!-- note --> {...}") goes too.
  if (text.starts_with("<!--")) {
    std::size_t close = text.find("-->");
    std::size_t data = text.find_first_of("{[");
    if (close != std::string_view::npos && close < data) text = Trim(text.substr(close + 3));
  }
  for (std::string_view open : {"<!--", "<![CDATA["}) {
    if (text.substr(0, open.size()) == open) text = Trim(text.substr(open.size()));
  }
  for (std::string_view close : {"-->", "]]>", ";"}) {
    if (text.size() >= close.size() && text.substr(text.size() - close.size()) == close) {
      text = Trim(text.substr(0, text.size() - close.size()));
    }
  }
  // "//<![CDATA[" style wrappers leave a line comment; the parser's
  // ignore_comments eats it.
  return text;
}

int JsonNestingDepth(std::string_view text, int limit) {
  int depth = 0, max = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '{' || c == '[') {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return max;
}

std::string EscapeControlsInStrings(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string && c == '\\' && i + 1 < text.size()) {
      out.push_back(c);
      out.push_back(text[++i]);
      continue;
    }
    if (c == '"') in_string = !in_string;
    if (in_string && static_cast<unsigned char>(c) < 0x20) c = ' ';
    out.push_back(c);
  }
  return out;
}

std::string StringMember(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

template <typename Json>
Result<Json> ParseJsonLenient(std::string_view text, int max_depth) {
  text = StripJsonWrappers(text);
  if (JsonNestingDepth(text, max_depth) > max_depth) {
    return MakeError(ErrorCode::kParse, "nested deeper than " + std::to_string(max_depth));
  }
  Json v = Json::parse(text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  if (v.is_discarded()) v = Json::parse(EscapeControlsInStrings(text), nullptr, false, true);
  if (v.is_discarded()) return MakeError(ErrorCode::kParse, "not valid JSON");
  return v;
}

template Result<nlohmann::json> ParseJsonLenient(std::string_view text, int max_depth);
template Result<nlohmann::ordered_json> ParseJsonLenient(std::string_view text, int max_depth);

}  // namespace telescreen::core
