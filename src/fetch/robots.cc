#include "fetch/robots.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"
#include "core/url.h"

namespace telescreen::fetch {
namespace {

// Lines are split at LF; a CR before it (or a lone CR, itself a line break
// in section 2.2's EOL) is trimmed with the blanks.
std::string_view Trim(std::string_view s) { return core::Trim(s, " \t\r"); }

// Section 2.2.1: the product token is the leading run of [a-zA-Z_-] of the
// user-agent value ("Telescreen/1.0" names "Telescreen").
std::string_view ProductToken(std::string_view value) {
  std::size_t n = 0;
  while (n < value.size() &&
         (std::isalpha(static_cast<unsigned char>(value[n])) || value[n] == '_' || value[n] == '-')) {
    ++n;
  }
  return value.substr(0, n);
}

struct Line {
  std::string_view key;
  std::string_view value;
};

// "key: value # comment" -> {key, value}; false for blank or broken lines.
bool SplitLine(std::string_view line, Line* out) {
  std::size_t hash = line.find('#');
  if (hash != std::string_view::npos) line = line.substr(0, hash);
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  out->key = Trim(line.substr(0, colon));
  out->value = Trim(line.substr(colon + 1));
  return !out->key.empty();
}

// Keeps the larger of two optional delays.
void KeepLonger(std::optional<std::chrono::milliseconds>* have, std::chrono::milliseconds d) {
  if (!have->has_value() || **have < d) *have = d;
}

}  // namespace

std::optional<std::chrono::milliseconds> ParseCrawlDelay(std::string_view value) {
  long long whole_ms = 0;  // saturates at the cap, so no overflow
  long long frac_ms = 0;
  long long scale = 100;  // milliseconds per digit of the fraction
  bool digits = false, dot = false;
  constexpr long long kCap = kMaxParsedCrawlDelay.count();
  for (char c : value) {
    if (c == '.' && !dot) {
      dot = true;
    } else if (c >= '0' && c <= '9') {
      digits = true;
      if (!dot) {
        whole_ms = std::min(kCap, whole_ms * 10 + (c - '0') * 1000);
      } else {
        frac_ms += (c - '0') * scale;
        scale /= 10;  // digits past the third add nothing
      }
    } else {
      return std::nullopt;
    }
  }
  if (!digits) return std::nullopt;
  return std::chrono::milliseconds(std::min(kCap, whole_ms + frac_ms));
}

std::string NormalizeRobotsPath(std::string_view path) {
  return core::NormalizePercentEncoding(path, core::RawBytes::kEscapeUnsafe);
}

bool RobotsPatternMatches(std::string_view pattern, std::string_view path) {
  bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  // Iterative wildcard matching with one remembered '*' (the classic
  // two-pointer method): linear in practice, O(|pattern| * |path|) at worst.
  std::size_t p = 0, s = 0;
  std::size_t star = std::string_view::npos, star_s = 0;
  while (true) {
    if (p == pattern.size()) {
      if (!anchored || s == path.size()) return true;
    } else if (pattern[p] == '*') {
      star = p++;
      star_s = s;
      continue;
    } else if (s < path.size() && pattern[p] == path[s]) {
      ++p;
      ++s;
      continue;
    }
    // Mismatch (or anchored pattern ended early): let the last '*' eat one
    // more character, if there is one.
    if (star == std::string_view::npos || star_s >= path.size()) return false;
    p = star + 1;
    s = ++star_s;
  }
}

RobotsRules RobotsRules::AllowAll() { return RobotsRules(); }

RobotsRules RobotsRules::DisallowAll() {
  RobotsRules r;
  r.disallow_all_ = true;
  r.rules_.push_back(Rule{false, "/"});
  return r;
}

RobotsRules RobotsRules::Parse(std::string_view body, std::string_view product_token) {
  if (body.size() > kMaxRobotsBytes) body = body.substr(0, kMaxRobotsBytes);
  // A UTF-8 byte order mark may precede the first line.
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);

  std::vector<Rule> specific, star;
  std::optional<std::chrono::milliseconds> specific_delay, star_delay;
  bool in_agents = false;       // reading the user-agent lines of a group
  bool group_specific = false;  // the current group names our token
  bool group_star = false;      // the current group names "*"
  bool any_specific = false;
  while (!body.empty()) {
    std::size_t eol = body.find_first_of("\r\n");
    std::string_view raw = body.substr(0, eol);
    body = eol == std::string_view::npos ? std::string_view() : body.substr(eol + 1);
    Line line;
    if (!SplitLine(raw, &line)) continue;
    if (core::EqualsIgnoreAsciiCase(line.key, "user-agent")) {
      if (!in_agents) {  // section 2.1: a user-agent line after rules starts a group
        group_specific = group_star = false;
        in_agents = true;
      }
      if (line.value == "*") {
        group_star = true;
      } else {
        std::string_view token = ProductToken(line.value);
        if (!token.empty() && core::EqualsIgnoreAsciiCase(token, product_token)) {
          group_specific = any_specific = true;
        }
      }
      continue;
    }
    if (core::EqualsIgnoreAsciiCase(line.key, "crawl-delay")) {
      // A member of the group, like a rule: it ends the user-agent lines.
      in_agents = false;
      auto delay = ParseCrawlDelay(line.value);
      if (!delay.has_value()) continue;
      if (group_specific) KeepLonger(&specific_delay, *delay);
      if (group_star) KeepLonger(&star_delay, *delay);
      continue;
    }
    bool allow = core::EqualsIgnoreAsciiCase(line.key, "allow");
    if (!allow && !core::EqualsIgnoreAsciiCase(line.key, "disallow")) continue;  // sitemap, ...
    in_agents = false;
    // Section 2.2.2: an empty value matches nothing; rules must start with
    // '/' (we also accept '*' which some sites write).
    if (line.value.empty() || (line.value[0] != '/' && line.value[0] != '*')) continue;
    Rule rule{allow, NormalizeRobotsPath(line.value)};
    if (group_specific) specific.push_back(rule);
    if (group_star) star.push_back(std::move(rule));
  }
  RobotsRules r;
  r.rules_ = any_specific ? std::move(specific) : std::move(star);
  r.crawl_delay_ = any_specific ? specific_delay : star_delay;
  return r;
}

RobotsRules RobotsRules::ForStatus(int status, std::string_view body, std::string_view product_token) {
  if (status >= 200 && status < 300) return Parse(body, product_token);
  if (status == 429) return DisallowAll();
  if (status >= 400 && status < 500) return AllowAll();
  return DisallowAll();  // 5xx, no response, or a status we cannot follow
}

bool RobotsRules::IsAllowed(std::string_view path) const {
  if (rules_.empty()) return true;
  std::string p = NormalizeRobotsPath(path.empty() ? std::string_view("/") : path);
  if (p == "/robots.txt") return true;  // section 2.2.2
  const Rule* best = nullptr;
  for (const Rule& rule : rules_) {
    if (!RobotsPatternMatches(rule.pattern, p)) continue;
    // Section 2.2.2: the most specific (longest, in octets) match wins; an
    // Allow wins a tie with a Disallow.
    if (best == nullptr || rule.pattern.size() > best->pattern.size() ||
        (rule.pattern.size() == best->pattern.size() && rule.allow && !best->allow)) {
      best = &rule;
    }
  }
  return best == nullptr || best->allow;
}

}  // namespace telescreen::fetch
