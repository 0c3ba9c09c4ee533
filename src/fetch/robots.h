// robots.txt (RFC 9309): a parser that turns the file into the rules of the
// group that applies to one crawler, and a matcher that answers whether a
// path may be fetched. Parsing is separate from the crawl policy (what to do
// when robots.txt is missing or unreachable), which RobotsRules::ForStatus
// encodes.
//
//   RobotsRules rules = RobotsRules::Parse(body, "telescreen");
//   if (!rules.IsAllowed("/private/x?y=1")) ... skip ...
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telescreen::fetch {

// RFC 9309 section 2.5: crawlers must parse at least 500 KiB; we parse
// exactly that much and ignore the rest.
inline constexpr std::size_t kMaxRobotsBytes = 500 * 1024;

// Larger Crawl-delay values are read as this (a day): enough to say "very
// slow" without overflowing anything.
inline constexpr std::chrono::milliseconds kMaxParsedCrawlDelay{24LL * 3600 * 1000};

class RobotsRules {
 public:
  // Allows everything.
  RobotsRules() = default;

  static RobotsRules AllowAll();
  static RobotsRules DisallowAll();

  // Parses a robots.txt body and keeps the rules of the groups that match
  // `product_token` (case-insensitive, section 2.2.1), or else of the "*"
  // groups; all groups matching the token are merged. Never fails: lines it
  // does not understand are skipped. A `Crawl-delay` record (not in RFC 9309,
  // an "other record" of section 2.2.4 that many sites use) in those groups
  // is kept too; see crawl_delay().
  static RobotsRules Parse(std::string_view body, std::string_view product_token);

  // The policy for a robots.txt fetch outcome (section 2.3.1): 2xx -> parse
  // the body; 4xx -> allow all (2.3.1.3; we also treat 429 as unreachable,
  // which the RFC permits); 5xx or no response -> disallow all (2.3.1.4).
  static RobotsRules ForStatus(int status, std::string_view body, std::string_view product_token);

  // True iff `path` (path plus "?query", as in the request line) may be
  // fetched: the longest matching rule wins, Allow wins a tie, no match
  // means allowed (section 2.2.2). "/robots.txt" is always allowed.
  bool IsAllowed(std::string_view path) const;

  std::size_t rule_count() const { return rules_.size(); }
  // The Crawl-delay of the applying groups (the largest, if several say
  // one): seconds, decimals allowed ("0.5"), at most kMaxParsedCrawlDelay.
  // Nullopt when none is given or the value is not a plain non-negative
  // number. The crawler decides how much of it to honour.
  std::optional<std::chrono::milliseconds> crawl_delay() const { return crawl_delay_; }
  // True when the rules come from a fetch failure that disallows all.
  bool disallow_all() const { return disallow_all_; }

 private:
  struct Rule {
    bool allow = false;
    std::string pattern;  // percent-encoding normalised; may hold '*' and a final '$'
  };
  std::vector<Rule> rules_;
  bool disallow_all_ = false;
  std::optional<std::chrono::milliseconds> crawl_delay_;
};

// True iff `pattern` (with '*' = any sequence and a trailing '$' = end)
// matches a prefix of `path` (or all of it, with '$'). Runs in
// O(|pattern| * |path|) time at worst, without recursion.
bool RobotsPatternMatches(std::string_view pattern, std::string_view path);

// Normalises percent-encoding for comparison: escapes of unreserved
// characters decoded, other escapes upper-cased, raw bytes outside printable
// ASCII encoded (section 2.2.2: "octets ... MUST be percent-encoded").
std::string NormalizeRobotsPath(std::string_view path);

// A Crawl-delay value: digits with an optional fraction ("10", "0.5", ".5",
// "2."), in seconds, rounded down to milliseconds and capped at
// kMaxParsedCrawlDelay. Nullopt for anything else (signs, exponents, units).
std::optional<std::chrono::milliseconds> ParseCrawlDelay(std::string_view value);

}  // namespace telescreen::fetch
