#include "core/text.h"

#include <cstdint>
#include <cstring>
#include <utility>

namespace telescreen::core {

bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLowerChar(c);
  return out;
}

std::string AsciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiUpperChar(c);
  return out;
}

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (AsciiLowerChar(a[i]) != AsciiLowerChar(b[i])) return false;
  }
  return true;
}

bool StartsWithIgnoreAsciiCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreAsciiCase(s.substr(0, prefix.size()), prefix);
}

bool EndsWithIgnoreAsciiCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsIgnoreAsciiCase(s.substr(s.size() - suffix.size()), suffix);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view Trim(std::string_view s, std::string_view chars) {
  const std::size_t first = s.find_first_not_of(chars);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(chars) - first + 1);
}

std::string_view WithoutPrefixIgnoreAsciiCase(std::string_view s, std::string_view prefix) {
  return StartsWithIgnoreAsciiCase(s, prefix) ? s.substr(prefix.size()) : s;
}

std::string_view Utf8Prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t n = max_bytes;
  // Step back over continuation bytes (10xxxxxx) so no sequence is split.
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

std::string MediaTypeEssence(std::string_view content_type) {
  return AsciiLower(Trim(content_type.substr(0, content_type.find(';'))));
}

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int HexEscapeAt(std::string_view s, std::size_t i, char marker) {
  if (s[i] != marker || i + 2 >= s.size()) return -1;
  const int high = HexDigitValue(s[i + 1]);
  const int low = HexDigitValue(s[i + 2]);
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

std::string DecodeHexEscapes(std::string_view text, char marker) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (const int escaped = HexEscapeAt(text, i, marker); escaped >= 0) {
      out.push_back(static_cast<char>(escaped));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

void AppendUtf8(std::string* out, char32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

namespace {

// Index just past the run of ASCII bytes starting at i (8 bytes a step:
// most of a page is ASCII, and this is on every page's path).
std::size_t SkipAscii(std::string_view s, std::size_t i) {
  while (i + 8 <= s.size()) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if ((word & 0x8080808080808080ULL) != 0) break;
    i += 8;
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

// The numeric reference at s[at] ("&#39;", "&#x27;"): its code point and
// length; length 0 when there is none. At most 7 digits, so that the value
// cannot overflow.
std::pair<char32_t, std::size_t> NumericReference(std::string_view s, std::size_t at) {
  if (at + 2 >= s.size() || s[at + 1] != '#') return {0, 0};
  const bool hex = s[at + 2] == 'x' || s[at + 2] == 'X';
  std::size_t j = at + (hex ? 3 : 2);
  char32_t cp = 0;
  std::size_t digits = 0;
  for (; j < s.size() && digits < 7; ++j, ++digits) {
    const int d = hex ? HexDigitValue(s[j]) : (s[j] >= '0' && s[j] <= '9' ? s[j] - '0' : -1);
    if (d < 0) break;
    cp = cp * (hex ? 16 : 10) + static_cast<char32_t>(d);
  }
  if (digits == 0 || j >= s.size() || s[j] != ';') return {0, 0};
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) cp = 0xFFFD;
  return {cp, j + 1 - at};
}

}  // namespace

std::size_t AppendHtmlReference(std::string_view s, std::size_t at, NoBreakSpace nbsp, std::string* out) {
  static constexpr std::pair<std::string_view, std::string_view> kNamed[] = {
      {"&quot;", "\""}, {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&apos;", "'"}};
  if (at >= s.size() || s[at] != '&') return 0;
  const std::string_view rest = s.substr(at);
  for (const auto& [name, text] : kNamed) {
    if (rest.starts_with(name)) {
      out->append(text);
      return name.size();
    }
  }
  if (rest.starts_with("&nbsp;")) {
    if (nbsp == NoBreakSpace::kAsSpace) {
      out->push_back(' ');
    } else {
      AppendUtf8(out, 0xA0);
    }
    return 6;
  }
  const auto [cp, length] = NumericReference(s, at);
  if (length > 0) AppendUtf8(out, cp);
  return length;
}

std::string DecodeHtmlReferences(std::string_view s, NoBreakSpace nbsp) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (std::size_t n = AppendHtmlReference(s, i, nbsp, &out); n > 0) {
      i += n;
    } else {
      out.push_back(s[i++]);
    }
  }
  return out;
}

std::vector<std::string_view> SplitTokens(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::string_view token : Tokens(s)) out.push_back(token);
  return out;
}

std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  }
  return n;
}

bool IsValidUtf8(std::string_view s) {
  for (std::size_t i = SkipAscii(s, 0); i < s.size(); i = SkipAscii(s, i)) {
    std::size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace telescreen::core
