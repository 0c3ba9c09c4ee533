// ASCII text helpers shared by every stage: case folding, trimming and
// splitting on whitespace. ASCII only on purpose: HTML attribute values,
// header names, iCalendar property names and URL schemes are ASCII
// case-insensitive, and folding other letters would change their meaning.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace telescreen::core {

// HTML's ASCII whitespace: space, tab, LF, CR, FF (not vertical tab).
bool IsAsciiSpace(char c);

// One byte folded; other bytes (UTF-8 sequences among them) unchanged.
inline char AsciiLowerChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
inline char AsciiUpperChar(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

std::string AsciiLower(std::string_view s);
std::string AsciiUpper(std::string_view s);
bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreAsciiCase(std::string_view s, std::string_view prefix);
bool EndsWithIgnoreAsciiCase(std::string_view s, std::string_view suffix);

// `s` without leading and trailing ASCII whitespace.
std::string_view Trim(std::string_view s);

// `s` without leading and trailing bytes from `chars`, for formats whose
// whitespace is not HTML's (header values: " \t\r", vCard: " \t\n").
std::string_view Trim(std::string_view s, std::string_view chars);

// 0..15 for a hexadecimal digit (either case), else -1.
int HexDigitValue(char c);

// The whitespace-separated tokens of `s` (an HTML class or rel list).
std::vector<std::string_view> SplitTokens(std::string_view s);

}  // namespace telescreen::core
