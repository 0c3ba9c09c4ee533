// Content-line parsing shared by ical.cc and vcard.cc; see content_line.h.
#include "extract/content_line.h"

#include <algorithm>

#include "core/text.h"

namespace telescreen::extract {
namespace {

using core::EqualsIgnoreAsciiCase;

bool ContainsIgnoreCase(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (EqualsIgnoreAsciiCase(hay.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

// vCard 2.1 section 2.1.3 / RFC 2045 section 6.7 (soft breaks already joined).
std::string DecodeQuotedPrintable(std::string_view in) { return core::DecodeHexEscapes(in, '='); }

std::string Latin1ToUtf8(std::string_view in) {
  std::string out;
  out.reserve(in.size() * 2);
  for (char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out.push_back(ch);
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

// RFC 6868: ^n newline, ^' double quote, ^^ caret.
std::string DecodeCaret(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '^' && i + 1 < in.size()) {
      const char n = in[i + 1];
      if (n == 'n' || n == 'N') {
        out.push_back('\n');
        ++i;
        continue;
      }
      if (n == '\'') {
        out.push_back('"');
        ++i;
        continue;
      }
      if (n == '^') {
        out.push_back('^');
        ++i;
        continue;
      }
    }
    out.push_back(in[i]);
  }
  return out;
}

// Parses "NAME;P=V;Q="a,b":value" (already unfolded). False iff no ':'.
bool ParseLine(std::string_view text, ContentLine* line) {
  std::size_t i = 0;
  while (i < text.size() && text[i] != ';' && text[i] != ':') ++i;
  if (i >= text.size()) return false;
  std::string_view name = text.substr(0, i);
  if (auto dot = name.rfind('.'); dot != std::string_view::npos) {
    line->group = std::string(name.substr(0, dot));
    name.remove_prefix(dot + 1);
  }
  line->name = AsciiUpper(name);
  while (i < text.size() && text[i] == ';') {
    ++i;
    std::size_t start = i;
    while (i < text.size() && text[i] != '=' && text[i] != ';' && text[i] != ':') ++i;
    std::string pname = AsciiUpper(text.substr(start, i - start));
    std::vector<std::string> values;
    if (i < text.size() && text[i] == '=') {
      ++i;
      while (true) {
        std::string value;
        if (i < text.size() && text[i] == '"') {
          std::size_t close = text.find('"', i + 1);
          if (close == std::string_view::npos) return false;
          value = DecodeCaret(text.substr(i + 1, close - i - 1));
          i = close + 1;
        } else {
          start = i;
          while (i < text.size() && text[i] != ',' && text[i] != ';' && text[i] != ':') ++i;
          value = DecodeCaret(text.substr(start, i - start));
        }
        if (values.size() < 32) values.push_back(std::move(value));
        if (i < text.size() && text[i] == ',') {
          ++i;
          continue;
        }
        break;
      }
    } else {
      values.push_back(pname);  // vCard 2.1 bare parameter: a TYPE
      pname = "TYPE";
      if (EqualsIgnoreAsciiCase(values.back(), "QUOTED-PRINTABLE") ||
          EqualsIgnoreAsciiCase(values.back(), "BASE64")) {
        pname = "ENCODING";
      }
    }
    if (line->params.size() < 32) line->params.emplace_back(std::move(pname), std::move(values));
  }
  if (i >= text.size() || text[i] != ':') return false;
  line->value = std::string(text.substr(i + 1));
  if (line->HasParam("ENCODING", "QUOTED-PRINTABLE")) line->value = DecodeQuotedPrintable(line->value);
  std::string_view charset = line->Param("CHARSET");
  if (EqualsIgnoreAsciiCase(charset, "ISO-8859-1") || EqualsIgnoreAsciiCase(charset, "WINDOWS-1252") ||
      EqualsIgnoreAsciiCase(charset, "LATIN1") || EqualsIgnoreAsciiCase(charset, "ISO-8859-15")) {
    line->value = Latin1ToUtf8(line->value);
  }
  return true;
}

class Collector {
 public:
  Collector(const ContentLineOptions& options, ContentLines* out) : options_(options), out_(out) {}

  void Warn(std::size_t line_number, const std::string& message) {
    if (out_->warnings.size() < options_.max_warnings) {
      out_->warnings.push_back("line " + std::to_string(line_number) + ": " + message);
    } else {
      ++suppressed_;
    }
  }

  void Finish(const std::string& logical, std::size_t line_number) {
    if (logical.empty()) return;
    if (out_->lines.size() >= options_.max_lines) {
      if (!lines_capped_)
        Warn(line_number,
             "more than " + std::to_string(options_.max_lines) + " content lines; the rest ignored");
      lines_capped_ = true;
      return;
    }
    ContentLine line;
    line.line_number = line_number;
    if (!ParseLine(logical, &line)) {
      Warn(line_number, "no ':' in content line '" + CutUtf8(logical, 40) + "'");
      return;
    }
    out_->lines.push_back(std::move(line));
  }

  bool lines_capped() const { return lines_capped_; }
  std::size_t suppressed() const { return suppressed_; }

 private:
  const ContentLineOptions& options_;
  ContentLines* out_;
  bool lines_capped_ = false;
  std::size_t suppressed_ = 0;
};

}  // namespace

std::string_view ContentLine::Param(std::string_view name) const {
  for (const auto& [pname, values] : params) {
    if (pname == name && !values.empty()) return values.front();
  }
  return {};
}

bool ContentLine::HasParam(std::string_view name, std::string_view value) const {
  for (const auto& [pname, values] : params) {
    if (pname != name) continue;
    for (const auto& v : values) {
      if (EqualsIgnoreAsciiCase(v, value)) return true;
    }
  }
  return false;
}

ContentLines ParseContentLines(std::string_view text, const ContentLineOptions& options) {
  ContentLines out;
  Collector collector(options, &out);
  if (text.size() > options.max_input_bytes) {
    collector.Warn(
        1, "input longer than " + std::to_string(options.max_input_bytes) + " bytes; the rest ignored");
    text = text.substr(0, options.max_input_bytes);
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  std::string logical;
  std::size_t logical_start = 0;
  std::size_t line_number = 0;
  bool soft_break = false;  // previous physical line ended in a QP soft break
  // Where the logical line's value starts, and whether its parameters say
  // quoted-printable (so a trailing '=' is a soft line break). Kept
  // incrementally: rescanning a long line for every fold would be quadratic.
  std::size_t colon = std::string::npos;
  bool quoted_printable = false;
  std::size_t pos = 0;
  while (pos < text.size() && !collector.lines_capped()) {
    // Lines end in CRLF (RFC 5545 section 3.1), but exporters also write LF,
    // CR CR LF (iOS) and lone CR: any run of CRs with at most one LF ends a line.
    std::size_t eol = text.find_first_of("\r\n", pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view physical = text.substr(pos, eol - pos);
    pos = eol;
    while (pos < text.size() && text[pos] == '\r') ++pos;
    if (pos < text.size() && text[pos] == '\n') ++pos;
    if (pos == eol) ++pos;  // end of text
    ++line_number;

    const bool folded = !physical.empty() && (physical[0] == ' ' || physical[0] == '\t');
    if (folded && !logical.empty()) {
      physical.remove_prefix(1);  // RFC 5545 section 3.1: remove CRLF and one blank
    } else if (soft_break && !logical.empty()) {
      // vCard 2.1 quoted-printable continues on the next line as is.
    } else {
      collector.Finish(logical, logical_start);
      logical.clear();
      colon = std::string::npos;
      quoted_printable = false;
      logical_start = line_number;
      if (physical.empty()) {
        soft_break = false;
        continue;
      }
    }
    const std::size_t room = options.max_line_bytes - std::min(options.max_line_bytes, logical.size());
    const std::size_t old_size = logical.size();
    logical.append(physical.substr(0, room));
    if (colon == std::string::npos) {
      colon = logical.find(':', old_size);
      if (colon != std::string::npos) {
        quoted_printable = ContainsIgnoreCase(std::string_view(logical).substr(0, colon), "QUOTED-PRINTABLE");
      }
    }
    soft_break = quoted_printable && !logical.empty() && logical.back() == '=';
    if (soft_break) logical.pop_back();
  }
  collector.Finish(logical, logical_start);
  if (collector.suppressed() > 0) {
    out.warnings.push_back(std::to_string(collector.suppressed()) + " more problems not listed");
  }
  return out;
}

std::string UnescapeText(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) {
      const char n = value[++i];
      out.push_back(n == 'n' || n == 'N' ? '\n' : n);
    } else {
      out.push_back(value[i]);
    }
  }
  return out;
}

std::vector<std::string> SplitEscaped(std::string_view value, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\') {
      ++i;
    } else if (value[i] == separator) {
      parts.push_back(UnescapeText(value.substr(start, i - start)));
      start = i + 1;
    }
  }
  parts.push_back(UnescapeText(value.substr(std::min(start, value.size()))));
  return parts;
}

}  // namespace telescreen::extract
