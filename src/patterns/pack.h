// Pack: one site's pattern pack, parsed from JSON and validated, with its
// selectors and regular expressions compiled. docs/patterns.md describes the
// format; patterns/pack.schema.json is its JSON Schema.
//
//   std::vector<PackError> errors;
//   auto pack = ParsePack(text, "patterns/xing.json", "built-in", &errors);
//   if (!pack.ok()) for (auto& e : errors) std::cerr << e.ToString() << "\n";
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/i18n.h"
#include "core/result.h"
#include "model/facts.h"
#include "patterns/json_path.h"
#include "patterns/pattern_set.h"
#include "patterns/selector.h"

namespace re2 {
class RE2;
}

namespace telescreen::patterns {

class TextRuleFilter;

// Bounds that keep a hostile or careless pack (or page) from costing more
// than a fixed multiple of the page's size.
inline constexpr std::size_t kMaxPackBytes = 1 << 20;
inline constexpr std::size_t kMaxRules = 64;   // per section (rules, follow, text_rules)
inline constexpr std::size_t kMaxFields = 16;  // per rule
inline constexpr std::size_t kMaxUrlPatterns = 32;
inline constexpr std::size_t kMaxRegexBytes = 2048;
inline constexpr std::size_t kDefaultMaxItems = 200;          // per list rule and page
inline constexpr std::size_t kMaxItemsCap = 1000;             // the largest max_items a pack may set
inline constexpr std::size_t kDefaultMaxLinks = 50;           // per follow rule and page
inline constexpr std::size_t kMaxFieldTextBytes = 16 << 10;   // text of one node fed to RE2
inline constexpr std::size_t kMaxVisibleTextBytes = 1 << 20;  // page text fed to text rules
inline constexpr std::size_t kMaxMatchesPerTextRule = 100;    // per page
inline constexpr std::size_t kMaxExamples = 64;
inline constexpr std::size_t kMaxPathsPerField = 8;  // "path": [...] joined with spaces

// What a rule's finding says about who can see it. kPage: as the page was
// fetched. kMembers: the site shows it to logged-in members only, so when the
// page was fetched publicly the fact is still public, but when it came from
// the user's cookies it is members-only. kPublic: public either way.
enum class RuleVisibility { kPage, kPublic, kMembers };

struct Remediation {
  std::string text;          // English: "Settings > Privacy > Contacts: 'Only me'"
  std::string settings_url;  // "https://www.xing.com/settings/privacy"
  // The text in other languages ("text": {"en": ..., "de": ...}); English
  // is `text` and never listed here.
  std::vector<std::pair<core::Language, std::string>> translations;
  // "text (settings_url)", or either part alone; empty if both are.
  std::string ToString() const;
  // As ToString, with the text in `lang`; nullopt when it has none there.
  std::optional<std::string> ToString(core::Language lang) const;
};

// Where a field's value goes: object "identity" | "contact" | "event" |
// "group", and its member ("name", "url", "email", ...).
struct Target {
  std::string object;
  std::string member;
};

// How a field's value (after its regex) is read. kText: as it is. The
// others turn a number into an ISO 8601 UTC time: kEpoch seconds, or
// milliseconds when above 10^11 (after 5138 in seconds); kEpochSeconds and
// kEpochMillis say which; kSnowflake: a 64-bit id whose top 41 bits are
// milliseconds since 1970 (LinkedIn activity and share ids).
enum class ValueAs { kText, kEpoch, kEpochSeconds, kEpochMillis, kSnowflake };

// Whether a field gives one value or all of those it reaches.
enum class FieldTakes { kFirst, kEvery };

struct Field {
  Target target;
  std::optional<Selector> selector;       // HTML: none = the item (or rule scope) itself
  std::string attr;                       // HTML: take this attribute; empty: take the text
  std::vector<JsonPath> paths;            // JSON: relative to the item; values joined by `join`
  std::string join = " ";                 // JSON: between the values of several paths
  bool html = false;                      // JSON: "take": "html", the value is HTML: take its text
  std::optional<std::string> constant;    // "value": a fixed string instead of a node
  std::shared_ptr<const re2::RE2> regex;  // optional: first capture group, or the whole match
  std::string rewrite;                    // optional RE2 rewrite ("\\1@\\2"), needs regex
  ValueAs as = ValueAs::kText;            // applied after the regex
  // How many nodes the field reads: the first (kFirst), or every one it
  // reaches (kEvery: event.attendee, the people listed with an event).
  FieldTakes takes = FieldTakes::kFirst;
};

// "type": a rule reads one scope (kSingle) or a list of items (kList).
enum class RuleType { kSingle, kList };

struct Rule {
  std::string id;
  RuleType type = RuleType::kSingle;
  std::optional<Selector> selector;  // HTML: items (list) or the scope (single)
  std::optional<JsonPath> json;      // set: a JSON rule; items or scope in each JSON document
  std::vector<std::shared_ptr<const re2::RE2>> urls;  // optional: only pages whose URL matches
  std::vector<Field> fields;
  std::string object;  // the one non-identity object its fields build, or ""
  std::size_t max_items = kDefaultMaxItems;
  RuleVisibility visibility = RuleVisibility::kPage;
  Remediation remediation;
};

struct FollowRule {
  std::string id;
  Selector selector;             // HTML: the elements holding links
  std::optional<JsonPath> json;  // set: links are the strings this path reaches in JSON
  std::string kind;              // "contacts", "events", "groups", "next", "profile"
  std::string attr = "href";
  std::string accept;                                 // Accept header to fetch them with; "" = HTML
  std::shared_ptr<const re2::RE2> url_filter;         // optional: keep resolved URLs that match
  std::vector<std::shared_ptr<const re2::RE2>> urls;  // optional: only on pages that match
  std::size_t max_links = kDefaultMaxLinks;
};

struct TextExample {
  std::string text;
  std::string expect;  // optional: the value the first match must give
};

// "normalize": how a text rule's identity value is cleaned (text_rules.h,
// Normalize): kNone collapses whitespace only.
enum class TextNormalize { kNone, kEmail, kPhone, kLower };

// A rule over the visible text of a page (one block of text at a time).
struct TextRule {
  std::string id;
  std::shared_ptr<const re2::RE2> regex;
  Target target;        // identity.<kind> | event | contact
  std::string rewrite;  // identity: RE2 rewrite of the match
  TextNormalize normalize = TextNormalize::kNone;
  std::vector<std::pair<std::string, std::string>> set;  // constant members ("role": "plan")
  RuleVisibility visibility = RuleVisibility::kPage;
  Remediation remediation;
  bool within_post = false;  // "within": "post": only inside a dated post; an
                             // object without a name takes the post's first line
  std::vector<TextExample> match;
  std::vector<std::string> no_match;
};

// Elements that each hold one post, and where the post says when it was
// published: text rules date what a post says ("morgen") from it.
struct PostRule {
  std::string id;
  Selector selector;
  Field published;             // relative to the post; target unused
  std::optional<Field> title;  // optional: what names the post (its first line is used)
  std::vector<std::shared_ptr<const re2::RE2>> urls;  // optional: only on pages that match
};

// A sign that the site showed a wall instead of the page. Every condition
// given must hold: the status is one of `status`, the URL after redirects
// matches `final_url`, the page has an element matching `selector`.
struct WallRule {
  std::string id;
  model::Wall kind = model::Wall::kLogin;
  std::vector<int> status;
  std::shared_ptr<const re2::RE2> final_url;
  std::optional<Selector> selector;
  std::string detail;  // what the report says: "login wall (redirect to /authwall)"
};

struct Pack {
  PackInfo info;
  std::string file;   // names it in errors
  std::string notes;  // header notes (how the markup was checked)
  std::vector<std::shared_ptr<const re2::RE2>> urls;
  bool fallback = false;  // applies only when no other site pack matched the URL
  std::vector<Rule> rules;
  std::vector<FollowRule> follow;
  std::vector<TextRule> text_rules;
  std::vector<PostRule> posts;
  std::vector<WallRule> walls;
  std::shared_ptr<const TextRuleFilter> text_filter;  // which text rules match a text; may be null

  // True iff one of its URL patterns matches `url`.
  bool AppliesTo(std::string_view url) const;
};

// Parses and validates a pack. On any problem returns an error and appends
// one PackError per problem found (file, line, rule) to `errors`.
core::Result<std::shared_ptr<const Pack>> ParsePack(std::string_view json_text, const std::string& file,
                                                    const std::string& source,
                                                    std::vector<PackError>* errors);

// Runs each text rule's examples; appends an error per failing example.
// Returns the number of examples run.
std::size_t CheckExamples(const Pack& pack, std::string_view json_text, std::vector<PackError>* errors);

// Appends a warning per remediation (rules and text rules) that has no text
// in one of the languages Telescreen has ("rule 'contacts': remediation has
// no 'de' text"), with the rule's line. Returns the number appended.
std::size_t CheckTranslations(const Pack& pack, std::string_view json_text, std::vector<PackError>* warnings);

// The value a text rule gives for its first match in `text`, or nullopt.
std::optional<std::string> FirstTextValue(const TextRule& rule, std::string_view text);

}  // namespace telescreen::patterns
