// HAR 1.2 reading: pages a user exported from their browser's developer
// tools (what members see, without Telescreen ever holding a password),
// handed to the same page handler as crawled pages.
//
//   auto pages = ReadHar("linkedin.har");
//   if (!pages.ok()) return pages.error();   // "linkedin.har: entry 3: ..."
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "fetch/crawler.h"

namespace telescreen::fetch {

// Reads the HAR file at `path` (at most 256 MiB). Returns one CrawledPage per
// entry whose response has a text body (HTML, XHTML, XML, JSON, text/*), or
// whose status is a redirect or an error (3xx, 4xx, 5xx, LinkedIn's 999;
// such a page may have no body, and a redirect's final_url is its target,
// from redirectURL or the Location header): images, scripts, stylesheets
// and fonts are skipped. Each page has url and
// final_url = the entry's request URL (the base for its links; a redirect's
// target for a redirect), the status,
// content type, body converted to UTF-8 (text or base64 content), bytes,
// sha256, fetch_ms = the entry's time, date_header = the response's Date
// header, captured_at = that header as ISO 8601 UTC (else the entry's
// startedDateTime; "" if neither parses), depth 0 and visibility kMembersOnly. Errors name the file and the
// entry index; a HAR without any usable body is an error too.
core::Result<std::vector<CrawledPage>> ReadHar(const std::string& path);

// As ReadHar, from HAR text; `source_name` names it in errors.
core::Result<std::vector<CrawledPage>> ParseHar(std::string_view text, const std::string& source_name);

// Decodes standard base64 (RFC 4648 section 4), ignoring whitespace; false on
// any other character or bad padding.
bool DecodeBase64(std::string_view in, std::string* out);

}  // namespace telescreen::fetch
