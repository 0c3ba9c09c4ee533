// Site lists for `telescreen accounts`: which sites to ask for a username,
// and how to read their answers. The format is WhatsMyName's data format
// (a JSON object whose "sites" array holds one detection rule per site), so
// a user can pass the community list as downloaded.
//
//   auto list = ParseSiteList(text, "my-sites.json");
//   if (!list.ok()) return list.error();  // "my-sites.json: sites[3] (\"Foo\"): e_code: ..."
//   for (const Site& s : list.value().sites) ...
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace telescreen::accounts {

// One site's detection rule. A profile exists when the answer to uri_check
// has status e_code and contains e_string (and not m_string); it does not
// when the status is m_code and the body contains m_string.
struct Site {
  std::string name;                // unique in a list (case-insensitive)
  std::string uri_check;           // http(s) URL with "{account}" where the username goes
  std::string uri_pretty;          // the profile page shown to people; empty = uri_check
  int e_code = 200;                // status of an existing profile
  std::string e_string;            // text in an existing profile's answer ("" = any)
  int m_code = 404;                // status of a missing profile
  std::string m_string;            // text in a missing profile's answer ("" = any)
  std::vector<std::string> known;  // usernames known to exist (--check-sites)
  std::string category;            // WhatsMyName's "cat": "social", "coding", ...
  bool post = false;               // true: POST post_body instead of GET
  std::string post_body;           // with "{account}"; kPost only
  std::vector<std::pair<std::string, std::string>> headers;  // sent with the check
  std::string strip_bad_char;  // characters this site does not take in usernames

  bool operator==(const Site&) const = default;
};

struct SiteList {
  std::vector<Site> sites;
  // Entries marked "valid": false (known broken by the list's keepers),
  // left out of `sites`.
  std::size_t skipped_invalid = 0;
};

// Bodies longer than this are refused (the community list is about 0.5 MB).
inline constexpr std::size_t kMaxSiteListBytes = std::size_t{16} << 20;

// Parses and validates a site list. Unknown fields are ignored (the
// community list grows new ones); a missing or mistyped required field, a
// uri_check without {account} (unless a post_body has it) or not http(s), a status outside 100..599, a
// header with CR or LF, or two sites of one name is an error naming `file`,
// the entry's index and its name. kInvalidArgument on any error.
core::Result<SiteList> ParseSiteList(std::string_view json_text, const std::string& file);

// The bundled list (patterns/accounts/sites.json, built into the binary).
core::Result<SiteList> BuiltinSites();

// Adds `extra` to `base`; a site of `extra` replaces one of `base` with the
// same name (case-insensitive), in its place.
void MergeSites(std::vector<Site>* base, std::vector<Site> extra);

}  // namespace telescreen::accounts
