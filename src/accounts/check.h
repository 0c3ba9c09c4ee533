// One username on one site: the request that asks for the profile, and what
// the answer means under the site's rule.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "accounts/site_list.h"
#include "fetch/crawler.h"
#include "model/facts.h"

namespace telescreen::accounts {

enum class Status { kFound, kAbsent, kUnknown };
const char* StatusName(Status s);  // "found" | "absent" | "unknown"
// The Status StatusName gives `name`; nullopt for any other text.
std::optional<Status> ParseStatus(std::string_view name);

// How a check came out, and why in words ("HTTP 404 with the absence
// text", "rate limited: HTTP 429", "login wall: redirected to ...").
struct Outcome {
  Status status = Status::kUnknown;
  std::string detail;
  bool operator==(const Outcome&) const = default;
};

// The request for `username` on `site`: {account} in uri_check is replaced
// by the percent-encoded username, in post_body by the username encoded for
// the body's type (JSON string escapes when it is JSON, percent-encoding
// otherwise). `pretty_url` is the profile's page for people. When the
// username holds a character of the site's strip_bad_char, or the URL does
// not parse, `skipped` says why and nothing may be sent.
struct PreparedCheck {
  fetch::CheckRequest request;
  std::string pretty_url;
  std::string skipped;  // empty = send `request`
};
PreparedCheck Prepare(const Site& site, std::string_view username);

// Reads an answer (page.status, page.final_url for a redirect, page.error
// when there was none) by the site's rule. kFound only when the status is
// e_code, the body holds e_string and not m_string; kAbsent when the status
// is m_code and the body holds m_string; everything else kUnknown with the
// reason.
Outcome Classify(const Site& site, const model::Page& page, std::string_view body);

}  // namespace telescreen::accounts
