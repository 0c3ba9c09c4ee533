// Url: parse, normalise and resolve http(s) URLs (RFC 3986), the keys by
// which the crawler de-duplicates pages and the report names its sources.
//
//   auto base = Url::Parse("https://example.org/people/ann");
//   if (!base.ok()) ...
//   auto next = base.value().Resolve("../events?page=2#top");
//   next.value().ToString();   // "https://example.org/events?page=2"
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace telescreen::core {

class Url {
 public:
  // Parses an absolute URL. Accepts only http and https; anything else
  // (ftp:, file:, javascript:, relative references) is an error of code
  // kInvalidArgument whose message names the text. The result is normalised:
  // lower-case scheme and host, trailing dot of the host removed, default
  // port dropped, empty path made "/", "." and ".." segments removed,
  // percent-encoding of unreserved characters decoded and hex digits
  // upper-cased, the fragment dropped.
  static Result<Url> Parse(std::string_view text);

  // Resolves a reference (absolute or relative) against this URL per
  // RFC 3986 section 5.2. The result is normalised as by Parse and must be
  // http or https.
  Result<Url> Resolve(std::string_view reference) const;

  const std::string& scheme() const { return scheme_; }
  const std::string& host() const { return host_; }  // IPv6 without brackets
  int port() const { return port_; }                 // explicit or default
  const std::string& path() const { return path_; }
  const std::string& query() const { return query_; }  // without '?'
  bool has_query() const { return has_query_; }

  // "scheme://host[:port]" with the port only when it is not the default.
  std::string Origin() const;
  // Origin() + path + ("?" query).
  std::string ToString() const;
  // The registrable-ish site key used for scope: the host without a leading
  // "www.". Two URLs are on the same site iff their SiteKey()s are equal.
  std::string SiteKey() const;

  friend bool operator==(const Url& a, const Url& b) { return a.ToString() == b.ToString(); }

 private:
  // Sets path_ and query_ (normalised) from what follows the authority,
  // "/path?query#fragment"; the fragment is dropped.
  void SetPathAndQuery(std::string_view tail);

  std::string scheme_;
  std::string host_;
  int port_ = 0;
  std::string path_ = "/";
  std::string query_;
  bool has_query_ = false;
};

// Which raw bytes NormalizePercentEncoding escapes.
enum class RawBytes {
  kEscapeUnsafe,  // controls, space, non-ASCII
  kEscapeForUrl,  // those and " < > \ ^ ` { | } and a '%' that starts no escape
};

// RFC 3986 section 6.2.2 percent-encoding normalisation: escapes of
// unreserved characters are decoded, the hex of other escapes upper-cased,
// and the raw bytes `raw` names are escaped, so equal URLs (or robots.txt
// paths, RFC 9309 section 2.2.2) compare equal byte for byte.
std::string NormalizePercentEncoding(std::string_view s, RawBytes raw);

// Percent-decodes `text`; invalid escapes are kept as they are.
std::string PercentDecode(std::string_view text);

// The normal form of `text` (Url::Parse, then ToString: scheme and host
// lower-cased, default port dropped, an empty path as "/") when it parses,
// else `text` as it is: the key under which two spellings of a URL meet.
std::string NormalUrlOr(std::string_view text);

// The scheme `link` names, lower-cased, read as a browser reads an href
// (leading spaces and control characters skipped, tabs and newlines inside
// ignored: "java\tscript:" is "javascript"); "" when it names none (a
// relative reference, plain text).
std::string LinkScheme(std::string_view link);

// True iff a report may show `link` as a link: it names no scheme, or
// http, https, mailto or tel. False for javascript:, data:, vbscript:,
// file: and any other scheme.
bool IsSafeLink(std::string_view link);

// Percent-encodes every byte of `text` but the unreserved characters
// (RFC 3986 section 2.3: ALPHA DIGIT - . _ ~), so the result is safe as one
// path segment, query value or form field.
std::string PercentEncode(std::string_view text);

}  // namespace telescreen::core
