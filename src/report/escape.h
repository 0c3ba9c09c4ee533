// Escaping for the reports: page text is hostile. Terminal output must not
// carry escape sequences, HTML must not carry markup or script URLs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telescreen::report {

// Valid UTF-8 with every C0 control (tabs and newlines become spaces), DEL,
// C1 control (U+0080..U+009F) and bidirectional override (U+202A..U+202E,
// U+2066..U+2069) removed; invalid bytes become U+FFFD. Safe to print to a
// terminal and to put in HTML text once HtmlEscape'd.
std::string CleanText(std::string_view text);

// CleanText, then & < > " ' as character references: safe in HTML text and
// in double- or single-quoted attribute values.
std::string HtmlEscape(std::string_view text);

// The URL if it may become a link: it starts with "http://" or "https://"
// (any case) and has no whitespace, controls, quotes or angle brackets.
// javascript:, data:, vbscript: and everything else give nullopt.
std::optional<std::string> SafeHttpUrl(std::string_view url);

// Number of code points (a fair column count for the terminal).
std::size_t DisplayWidth(std::string_view utf8);

// `text` with spaces after it up to `width` DisplayWidth columns ("ä" is
// one column of two bytes); as it is when already as wide.
std::string PadToWidth(std::string text, std::size_t width);

// Greedy word wrap of CleanText'd `text` into lines of at most
// `width - indent` columns. The caller prints the first line after its own
// `indent`-column prefix; later lines come with `indent` spaces in front.
// Words longer than a line are cut.
std::vector<std::string> Wrap(std::string_view text, std::size_t width, std::size_t indent);

}  // namespace telescreen::report
