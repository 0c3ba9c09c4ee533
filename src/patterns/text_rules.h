// Text rules: RE2 patterns run over the visible text of a page (email
// addresses, phone numbers, postal addresses, birthdays, messenger handles,
// stated plans), and the normalisers that turn a match into a value.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/text.h"
#include "model/dom.h"
#include "patterns/pack.h"

namespace telescreen::patterns {

// A stretch of the visible text that one post holds (an h-entry or hentry,
// an <article>, a schema.org *Posting or Comment), with the date the post
// says it was published. A stated plan's "morgen" means the day after this.
struct PostSpan {
  std::size_t begin = 0;  // byte offsets into the visible text, [begin, end)
  std::size_t end = 0;
  std::string published;  // as authored: dt-published / datePublished / <time datetime>
  std::string title;      // what a pattern pack says names the post; "" = its first line
};

// A post a pattern pack found on the page (PostRule): when it was
// published and what names it.
struct DeclaredPost {
  std::string published;
  std::string title;
};

// The visible text of `dom`: script, style, template, head and noscript
// skipped; one line per block element or <br>; spaces collapsed within a
// line; at most `max_bytes` (cut at a UTF-8 boundary). With `posts`, also
// the spans of the posts that give a publication date, in document order
// (nested posts included), preceded by one span over the whole text when
// the page itself states one (<meta property="article:published_time">).
// `declared` adds posts a pattern pack found (element -> its publication
// date), beside those recognised by their markup.
std::string VisibleText(const model::Dom& dom, std::size_t max_bytes = kMaxVisibleTextBytes,
                        std::vector<PostSpan>* posts = nullptr,
                        const std::unordered_map<model::NodeId, DeclaredPost>* declared = nullptr);

// The innermost post holding byte `offset`, or nullptr.
const PostSpan* InnermostPost(const std::vector<PostSpan>& posts, std::size_t offset);

// The publication date of the innermost post holding byte `offset`; empty
// when no post around it states one.
std::string PublishedAt(const std::vector<PostSpan>& posts, std::size_t offset);

struct TextMatch {
  std::string value;                                         // identity rules: the normalised value
  std::vector<std::pair<std::string, std::string>> members;  // object rules: named groups + set
  std::string excerpt;                                       // the matched text, at most 200 bytes
  std::size_t offset = 0;                                    // where the match begins in the text
};

// Up to `limit` non-overlapping matches of `rule` in `text`, left to right.
// Matches whose value normalises to nothing (e.g. too few digits for a phone
// number) are dropped. Linear in text size (RE2).
std::vector<TextMatch> MatchText(const TextRule& rule, std::string_view text,
                                 std::size_t limit = kMaxMatchesPerTextRule);

// kEmail: de-obfuscates "(at)", "[at]", " at ", "(punkt)", " dot " ... and
// lower-cases; "" unless the result looks like an address. kPhone: "+" and
// digits ("00" becomes "+", "(0)" after a country code dropped); "" unless
// 6 to 15 digits. kLower: lower-case. kNone: collapsed whitespace.
std::string Normalize(TextNormalize how, std::string_view value);

// All of one pack's text rules in one automaton (RE2::Set): a single pass
// over a page's text tells which rules match at all, so only those are run
// rule by rule. Exact: a rule left out has no match in the text.
class TextRuleFilter {
 public:
  ~TextRuleFilter();
  // nullptr when RE2 cannot build the set (the pack then runs every rule).
  static std::shared_ptr<const TextRuleFilter> Build(const std::vector<TextRule>& rules);
  // Indices into the rules of those that match `text`, ascending; nullopt
  // when the automaton ran out of memory on this text (run every rule).
  std::optional<std::vector<int>> Matching(std::string_view text) const;

 private:
  TextRuleFilter();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

using core::CutUtf8;  // a copy cut to whole UTF-8 sequences

}  // namespace telescreen::patterns
