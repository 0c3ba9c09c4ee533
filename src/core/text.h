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

std::string AsciiLower(std::string_view s);
std::string AsciiUpper(std::string_view s);
bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreAsciiCase(std::string_view s, std::string_view prefix);

// `s` without leading and trailing ASCII whitespace.
std::string_view Trim(std::string_view s);

// The whitespace-separated tokens of `s` (an HTML class or rel list).
std::vector<std::string_view> SplitTokens(std::string_view s);

}  // namespace telescreen::core
