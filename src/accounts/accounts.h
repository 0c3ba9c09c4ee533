// Forgotten accounts: asks each site of a list whether it has a profile
// under each of the person's usernames, politely (the crawler's robots.txt,
// per-host limits, delays and Retry-After), many hosts at once.
//
//   fetch::CurlFetcher fetcher(curl_options);
//   AccountsReport report = CheckAccounts(fetcher, sites, {"jdoe"}, options);
//   for (const AccountResult& r : report.results) ...  // found ones first
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "accounts/check.h"
#include "accounts/site_list.h"
#include "fetch/crawler.h"
#include "fetch/fetcher.h"

namespace telescreen::accounts {

// One username on one site.
struct AccountResult {
  std::string username;
  std::string site;  // Site::name
  std::string url;   // the profile's page for people (uri_pretty)
  Status status = Status::kUnknown;
  std::string detail;    // why, in words
  std::string category;  // Site::category
  bool operator==(const AccountResult&) const = default;
};

struct AccountsReport {
  std::vector<std::string> usernames;
  // Found first, then unknown, then absent; within each by username, then
  // site name. One per username and site of the list.
  std::vector<AccountResult> results;
  bool interrupted = false;  // stopped before every check had its answer
  std::string checked_at;    // ISO 8601 UTC, when the checks started
  bool operator==(const AccountsReport&) const = default;

  std::size_t Count(Status s) const;
};

struct CheckOptions {
  // Politeness and the stop hook (CrawlOptions::stop_requested); max_pages
  // and max_depth do not apply.
  fetch::CrawlOptions crawl;
  // Called after each answer with (checks answered, checks in all, found so
  // far). May be empty.
  std::function<void(std::size_t, std::size_t, std::size_t)> on_progress;
};

// Checks every site for every username (a username a site does not take is
// not sent there: its result says so). `fetcher` is driven by a
// fetch::Crawler. Never throws; an unanswered check is kUnknown with why.
AccountsReport CheckAccounts(fetch::Fetcher& fetcher, const std::vector<Site>& sites,
                             const std::vector<std::string>& usernames, const CheckOptions& options);

// --check-sites: checks each site with its own known usernames. A result
// that is not kFound means the site's rule no longer detects (a stale
// entry); sites without known usernames are left out.
AccountsReport CheckKnownAccounts(fetch::Fetcher& fetcher, const std::vector<Site>& sites,
                                  const CheckOptions& options);

// The found results' profile URLs, de-duplicated, in report order.
std::vector<std::string> FoundUrls(const AccountsReport& report);

// What changed between two checks of the same usernames.
struct AccountChanges {
  std::string since;  // the earlier check's checked_at
  // Found now, and not found then (absent, unknown or not on the list).
  std::vector<AccountResult> appeared;
  // Found then, absent now. A site that cannot tell now (unknown) or is no
  // longer on the list is not counted: it did not say the profile is gone.
  std::vector<AccountResult> disappeared;
  bool operator==(const AccountChanges&) const = default;
};
AccountChanges DiffAccounts(const AccountsReport& before, const AccountsReport& after);

// The history's key for a check of these usernames: sorted, one a line.
std::string UsernamesKey(std::vector<std::string> usernames);

}  // namespace telescreen::accounts
