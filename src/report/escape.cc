#include "report/escape.h"

#include <cstdint>

#include "core/text.h"

namespace telescreen::report {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Decodes one UTF-8 sequence at text[*i]; returns the code point or -1 for
// an invalid sequence (overlong, surrogate, out of range, truncated), and
// advances *i past what it consumed (one byte when invalid).
std::int32_t DecodeOne(std::string_view text, std::size_t* i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = b(*i);
  int len = 0;
  std::int32_t cp = 0;
  if (c < 0x80) {
    ++*i;
    return c;
  } else if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    ++*i;
    return -1;
  }
  if (*i + static_cast<std::size_t>(len) > text.size()) {
    ++*i;
    return -1;
  }
  for (int k = 1; k < len; ++k) {
    unsigned char cc = b(*i + static_cast<std::size_t>(k));
    if ((cc & 0xC0) != 0x80) {
      ++*i;
      return -1;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*i;
    return -1;
  }
  *i += static_cast<std::size_t>(len);
  return cp;
}

bool Dropped(std::int32_t cp) {
  return cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F;
}

}  // namespace

std::string CleanText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    const std::int32_t cp = DecodeOne(text, &i);
    if (cp < 0) {
      out += kReplacement;
    } else if (cp < 0x20) {
      // Whitespace controls read as a space; the others (ESC, BEL, ...) go.
      if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v') out += ' ';
    } else if (!Dropped(cp)) {
      out.append(text.substr(start, i - start));
    }
  }
  return out;
}

std::string HtmlEscape(std::string_view text) {
  std::string clean = CleanText(text);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  for (char c : clean) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::optional<std::string> SafeHttpUrl(std::string_view url) {
  auto starts_with_ci = [&](std::string_view prefix) {
    return url.size() > prefix.size() && core::StartsWithIgnoreAsciiCase(url, prefix);
  };
  if (!starts_with_ci("http://") && !starts_with_ci("https://")) return std::nullopt;
  if (url.size() > 2048) return std::nullopt;
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7F || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == '\\') {
      return std::nullopt;
    }
  }
  std::string clean = CleanText(url);
  if (clean != url) return std::nullopt;  // invalid UTF-8 or hidden controls
  return clean;
}

std::size_t DisplayWidth(std::string_view utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::string PadToWidth(std::string text, std::size_t width) {
  const std::size_t columns = DisplayWidth(text);
  if (columns < width) text.append(width - columns, ' ');
  return text;
}

std::vector<std::string> Wrap(std::string_view text, std::size_t width, std::size_t indent) {
  std::string clean = CleanText(text);
  if (width <= indent + 8) width = indent + 8;
  const std::size_t room = width - indent;
  std::vector<std::string> lines;
  std::string line;
  std::size_t line_w = 0;
  auto flush = [&] {
    lines.push_back(line);
    line.clear();
    line_w = 0;
  };
  std::size_t i = 0;
  while (i < clean.size()) {
    while (i < clean.size() && clean[i] == ' ') ++i;
    std::size_t j = i;
    while (j < clean.size() && clean[j] != ' ') ++j;
    if (i == j) break;
    std::string word = clean.substr(i, j - i);
    i = j;
    std::size_t w = DisplayWidth(word);
    while (w > room) {  // cut a word longer than a line at a code point
      if (line_w > 0) flush();
      std::size_t cut = 0, cols = 0;
      while (cut < word.size() && cols < room) {
        ++cut;
        while (cut < word.size() && (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) ++cut;
        ++cols;
      }
      line = word.substr(0, cut);
      flush();
      word = word.substr(cut);
      w = DisplayWidth(word);
    }
    if (w == 0) continue;
    if (line_w > 0 && line_w + 1 + w > room) flush();
    if (line_w > 0) {
      line += ' ';
      ++line_w;
    }
    line += word;
    line_w += w;
  }
  if (line_w > 0 || lines.empty()) flush();
  for (std::size_t k = 1; k < lines.size(); ++k) lines[k] = std::string(indent, ' ') + lines[k];
  return lines;
}

}  // namespace telescreen::report
