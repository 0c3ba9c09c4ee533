// Content lines, the syntax iCalendar (RFC 5545 section 3.1) and vCard
// (RFC 6350 section 3.3, RFC 2426, vCard 2.1) share: unfolding, groups,
// parameters with quoted values, escaped text values.
//
//   ContentLines parsed = ParseContentLines(body, {});
//   for (const ContentLine& line : parsed.lines)
//     if (line.name == "SUMMARY") Use(UnescapeText(line.value));
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.h"

namespace telescreen::extract {

struct ContentLine {
  std::string group;  // vCard "item1" of "item1.EMAIL"; usually empty
  std::string name;   // upper-cased: "DTSTART", "X-SOCIALPROFILE"
  // Parameters in order; names upper-cased, values unquoted (RFC 6868 ^
  // escapes decoded) and split at unquoted commas. vCard 2.1 bare
  // parameters ("TEL;WORK;VOICE:") come back as TYPE=WORK, TYPE=VOICE.
  std::vector<std::pair<std::string, std::vector<std::string>>> params;
  std::string value;            // raw: escapes kept, quoted-printable decoded
  std::size_t line_number = 0;  // 1-based physical line where it starts

  // The first value of parameter `name` (upper-case), or "" when absent.
  std::string_view Param(std::string_view name) const;
  // True iff parameter `name` has `value` among its values (ASCII case-insensitive).
  bool HasParam(std::string_view name, std::string_view value) const;
};

struct ContentLineOptions {
  std::size_t max_input_bytes = std::size_t{8} << 20;  // longer input is cut off, with a warning
  std::size_t max_lines = 200000;                      // content lines kept; the rest dropped
  std::size_t max_line_bytes = 64 << 10;               // an unfolded line is cut at this length
  std::size_t max_warnings = 20;                       // further problems are counted, not listed
};

struct ContentLines {
  std::vector<ContentLine> lines;
  std::vector<std::string> warnings;  // "line 12: no ':' in content line"
};

// Splits `text` into unfolded content lines. Lines without a ':' are
// skipped with a warning; nothing else fails. Strips a UTF-8 BOM.
ContentLines ParseContentLines(std::string_view text, const ContentLineOptions& options = {});

// Decodes TEXT escapes (RFC 5545 section 3.3.11): "\n" "\N" "\," "\;" "\\".
std::string UnescapeText(std::string_view value);

// Splits at unescaped `separator` and unescapes each part: the structured
// values of N, ADR, ORG and of multi-valued properties.
std::vector<std::string> SplitEscaped(std::string_view value, char separator);

using core::AsciiUpper;  // ASCII upper-case copy

using core::CutUtf8;  // a copy cut to whole UTF-8 sequences

}  // namespace telescreen::extract
