// Text helpers shared by every stage: ASCII case folding, trimming and
// splitting on whitespace; UTF-8 encoding; HTML character references.
// Case folding is ASCII only on purpose: HTML attribute values, header
// names, iCalendar property names and URL schemes are ASCII
// case-insensitive, and folding other letters would change their meaning.
#pragma once

#include <cstddef>
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
// `s` without `prefix` when it starts with it in any ASCII case ("MAILTO:"
// for "mailto:"); `s` as it is otherwise.
std::string_view WithoutPrefixIgnoreAsciiCase(std::string_view s, std::string_view prefix);
bool EndsWithIgnoreAsciiCase(std::string_view s, std::string_view suffix);

// `s` without leading and trailing ASCII whitespace.
std::string_view Trim(std::string_view s);

// `s` without leading and trailing bytes from `chars`, for formats whose
// whitespace is not HTML's (header values: " \t\r", vCard: " \t\n").
std::string_view Trim(std::string_view s, std::string_view chars);

// `s` cut to at most `max_bytes` without splitting a UTF-8 sequence: a view
// into `s` (no copy), and the same as a string.
std::string_view Utf8Prefix(std::string_view s, std::size_t max_bytes);
inline std::string CutUtf8(std::string_view s, std::size_t max_bytes) {
  return std::string(Utf8Prefix(s, max_bytes));
}

// The media type of a Content-Type or a type attribute, without its
// parameters, trimmed and lower-cased: "Text/HTML; charset=utf-8" gives
// "text/html".
std::string MediaTypeEssence(std::string_view content_type);

// 0..15 for a hexadecimal digit (either case), else -1.
int HexDigitValue(char c);

// The byte an escape (`marker` and two hex digits, either case) at s[i]
// spells, or -1 when s[i] starts none. REQUIRES: i < s.size().
int HexEscapeAt(std::string_view s, std::size_t i, char marker);

// Decodes every `marker` followed by two hex digits to the byte they spell;
// a `marker` that starts no such escape is kept as it is. With '%' this is
// percent-decoding (core::PercentDecode); with '=' it decodes
// quoted-printable (RFC 2045 section 6.7) once soft line breaks are joined.
std::string DecodeHexEscapes(std::string_view text, char marker);

// The length of the well-formed UTF-8 sequence at s[i] by RFC 3629 (no
// overlong forms, no surrogates, nothing above U+10FFFF): 1 to 4, or 0 when
// none starts there. REQUIRES: i < s.size().
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i);

// True iff all of `s` is well-formed UTF-8 (RFC 3629).
bool IsValidUtf8(std::string_view s);

// Appends code point `cp` to `out` as UTF-8. REQUIRES: cp <= U+10FFFF.
void AppendUtf8(std::string* out, char32_t cp);

// How a decoded &nbsp; reads: U+00A0 as HTML has it, or a plain space for
// text whose whitespace is then collapsed.
enum class NoBreakSpace { kKeep, kAsSpace };

// HTML character references: the named ones pages put in text (&quot;
// &amp; &lt; &gt; &apos; &nbsp;) and numeric ones ending in ';' ("&#39;",
// "&#x27;"). A numeric reference to 0, a surrogate or beyond U+10FFFF reads
// as U+FFFD. Anything else (an unknown name, no ';', no digits) is no
// reference and stays as written.
//
// If `s` holds a reference at `at`, appends its text to `out` and returns
// its length; else returns 0 and appends nothing.
std::size_t AppendHtmlReference(std::string_view s, std::size_t at, NoBreakSpace nbsp, std::string* out);

// `s` with every character reference decoded.
std::string DecodeHtmlReferences(std::string_view s, NoBreakSpace nbsp = NoBreakSpace::kKeep);

// The whitespace-separated tokens of `s` (an HTML class or rel list).
std::vector<std::string_view> SplitTokens(std::string_view s);

// The tokens of `list` between ASCII whitespace (IsAsciiSpace), read in
// place: SplitTokens without the vector, for lists mostly looked at once.
//   for (std::string_view cls : Tokens(class_attribute)) ...
class Tokens {
 public:
  class Iterator {
   public:
    explicit Iterator(std::string_view rest) : rest_(rest) { Next(); }
    std::string_view operator*() const { return token_; }
    Iterator& operator++() {
      Next();
      return *this;
    }
    bool operator!=(const Iterator& other) const {
      return token_.data() != other.token_.data() || token_.size() != other.token_.size();
    }

   private:
    void Next() {
      std::size_t i = 0;
      while (i < rest_.size() && IsAsciiSpace(rest_[i])) ++i;
      std::size_t j = i;
      while (j < rest_.size() && !IsAsciiSpace(rest_[j])) ++j;
      token_ = j > i ? rest_.substr(i, j - i) : std::string_view();
      rest_.remove_prefix(j);
    }
    std::string_view rest_;
    std::string_view token_;
  };

  Tokens() = default;
  explicit Tokens(std::string_view list) : list_(list) {}
  Iterator begin() const { return Iterator(list_); }
  Iterator end() const { return Iterator(std::string_view()); }
  bool empty() const { return !(begin() != end()); }
  bool Contains(std::string_view token) const {
    for (std::string_view t : *this) {
      if (t == token) return true;
    }
    return false;
  }

 private:
  std::string_view list_;
};

}  // namespace telescreen::core
