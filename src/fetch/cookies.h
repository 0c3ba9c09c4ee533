// Cookies: a Netscape cookies.txt exported from the user's own browser, read
// by us (never by curl, so nothing is written back) and sent only to the
// hosts, paths and schemes each cookie names (RFC 6265 section 5.4). Cookie
// values never appear in errors or logs.
//
//   auto jar = CookieJar::Load("cookies.txt", now);
//   if (!jar.ok()) return jar.error();
//   std::string header = jar.value().HeaderFor(url);   // "a=1; b=2" or ""
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/url.h"

namespace telescreen::fetch {

struct Cookie {
  std::string domain;  // lower-case, without a leading '.'
  bool include_subdomains = false;
  std::string path = "/";
  bool secure = false;       // send over https only
  std::int64_t expires = 0;  // Unix seconds; 0 = session cookie
  std::string name;
  std::string value;  // never log this
};

class CookieJar {
 public:
  CookieJar() = default;

  // Reads a Netscape cookies.txt (tab-separated: domain, include-subdomains,
  // path, secure, expires, name, value; "#HttpOnly_" prefixes honoured;
  // other '#' lines are comments). Cookies expired before `now_unix` are
  // dropped. Errors name the file and line, never a value.
  static core::Result<CookieJar> Load(const std::string& path, std::int64_t now_unix);
  static core::Result<CookieJar> Parse(std::string_view text, const std::string& source_name,
                                       std::int64_t now_unix);

  // The Cookie header value for a request to `url` ("n1=v1; n2=v2", longer
  // paths first per RFC 6265 section 5.4), or "" if no cookie matches.
  std::string HeaderFor(const core::Url& url) const;

  std::size_t size() const { return cookies_.size(); }
  bool empty() const { return cookies_.empty(); }

 private:
  std::vector<Cookie> cookies_;
};

// RFC 6265 section 5.1.4 path-match.
bool CookiePathMatches(std::string_view cookie_path, std::string_view request_path);

}  // namespace telescreen::fetch
