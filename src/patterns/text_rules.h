// Text rules: RE2 patterns run over the visible text of a page (email
// addresses, phone numbers, postal addresses, birthdays, messenger handles,
// stated plans), and the normalisers that turn a match into a value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/dom.h"
#include "patterns/pack.h"

namespace telescreen::patterns {

// The visible text of `dom`: script, style, template, head and noscript
// skipped; one line per block element or <br>; spaces collapsed within a
// line; at most `max_bytes` (cut at a UTF-8 boundary).
std::string VisibleText(const model::Dom& dom, std::size_t max_bytes = kMaxVisibleTextBytes);

struct TextMatch {
  std::string value;  // identity rules: the normalised value
  std::vector<std::pair<std::string, std::string>> members;  // object rules: named groups + set
  std::string excerpt;  // the matched text, at most 200 bytes
};

// Up to `limit` non-overlapping matches of `rule` in `text`, left to right.
// Matches whose value normalises to nothing (e.g. too few digits for a phone
// number) are dropped. Linear in text size (RE2).
std::vector<TextMatch> MatchText(const TextRule& rule, std::string_view text,
                                 std::size_t limit = kMaxMatchesPerTextRule);

// "email": de-obfuscates "(at)", "[at]", " at ", "(punkt)", " dot " ... and
// lower-cases; "" unless the result looks like an address. "phone": "+" and
// digits ("00" becomes "+", "(0)" after a country code dropped); "" unless
// 6 to 15 digits. "lower": lower-case. "": collapsed whitespace.
std::string Normalize(std::string_view how, std::string_view value);

// Cuts `s` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string CutUtf8(std::string_view s, std::size_t max_bytes);

}  // namespace telescreen::patterns
