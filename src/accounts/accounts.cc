#include "accounts/accounts.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "core/time.h"

namespace telescreen::accounts {
namespace {

int Rank(Status s) {
  switch (s) {
    case Status::kFound:
      return 0;
    case Status::kUnknown:
      return 1;
    case Status::kAbsent:
      break;
  }
  return 2;
}

// (site, username) pairs to check.
using Pairs = std::vector<std::pair<const Site*, std::string>>;

AccountsReport Run(fetch::Fetcher& fetcher, const Pairs& pairs, std::vector<std::string> usernames,
                   const CheckOptions& options) {
  AccountsReport report;
  report.usernames = std::move(usernames);
  report.checked_at = core::FormatIsoUtc(core::SystemClock().Now());
  std::vector<AccountResult> results(pairs.size());
  std::vector<fetch::CheckRequest> requests;
  std::vector<std::size_t> result_of;  // request index -> pair index
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto& [site, username] = pairs[i];
    PreparedCheck prepared = Prepare(*site, username);
    results[i] = AccountResult{username,         site->name,       prepared.pretty_url,
                               Status::kUnknown, prepared.skipped, site->category};
    if (!prepared.skipped.empty()) continue;
    requests.push_back(std::move(prepared.request));
    result_of.push_back(i);
  }
  std::vector<bool> answered(requests.size(), false);
  std::size_t done = 0;
  std::size_t found = 0;
  // The handler runs on the crawler's thread (handler_threads = 0): the
  // body is read here and dropped, so only outcomes are kept.
  auto handler = [&](const fetch::CrawledPage& p) -> std::vector<model::Link> {
    if (p.request >= requests.size()) return {};
    AccountResult& r = results[result_of[p.request]];
    Outcome o = Classify(*pairs[result_of[p.request]].first, p.page, p.body);
    r.status = o.status;
    r.detail = std::move(o.detail);
    answered[p.request] = true;
    ++done;
    if (r.status == Status::kFound) ++found;
    if (options.on_progress) options.on_progress(done, requests.size(), found);
    return {};
  };
  fetch::CrawlOptions crawl = options.crawl;
  crawl.handler_threads = 0;
  fetch::Crawler crawler(fetcher, crawl);
  std::vector<model::Page> pages = crawler.Check(requests, handler);
  for (std::size_t k = 0; k < pages.size() && k < requests.size(); ++k) {
    if (answered[k]) continue;
    // Never handed over (disallowed by robots.txt, stopped): the page says why.
    AccountResult& r = results[result_of[k]];
    Outcome o = Classify(*pairs[result_of[k]].first, pages[k], "");
    r.status = o.status;
    r.detail = std::move(o.detail);
  }
  report.interrupted = crawler.interrupted();
  std::stable_sort(results.begin(), results.end(), [](const AccountResult& a, const AccountResult& b) {
    return std::make_tuple(Rank(a.status), a.username, a.site) <
           std::make_tuple(Rank(b.status), b.username, b.site);
  });
  report.results = std::move(results);
  return report;
}

}  // namespace

std::size_t AccountsReport::Count(Status s) const {
  return static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(), [s](const AccountResult& r) { return r.status == s; }));
}

AccountsReport CheckAccounts(fetch::Fetcher& fetcher, const std::vector<Site>& sites,
                             const std::vector<std::string>& usernames, const CheckOptions& options) {
  Pairs pairs;
  pairs.reserve(sites.size() * usernames.size());
  for (const std::string& u : usernames) {
    for (const Site& s : sites) pairs.emplace_back(&s, u);
  }
  return Run(fetcher, pairs, usernames, options);
}

AccountsReport CheckKnownAccounts(fetch::Fetcher& fetcher, const std::vector<Site>& sites,
                                  const CheckOptions& options) {
  Pairs pairs;
  std::set<std::string> names;
  for (const Site& s : sites) {
    for (const std::string& k : s.known) {
      pairs.emplace_back(&s, k);
      names.insert(k);
    }
  }
  return Run(fetcher, pairs, std::vector<std::string>(names.begin(), names.end()), options);
}

std::vector<std::string> FoundUrls(const AccountsReport& report) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const AccountResult& r : report.results) {
    if (r.status == Status::kFound && seen.insert(r.url).second) out.push_back(r.url);
  }
  return out;
}

AccountChanges DiffAccounts(const AccountsReport& before, const AccountsReport& after) {
  using Key = std::pair<std::string, std::string>;  // username, site
  std::map<Key, Status> then;
  for (const AccountResult& r : before.results) then[{r.username, r.site}] = r.status;
  std::map<Key, Status> now;
  for (const AccountResult& r : after.results) now[{r.username, r.site}] = r.status;
  AccountChanges c;
  c.since = before.checked_at;
  for (const AccountResult& r : after.results) {
    auto it = then.find({r.username, r.site});
    if (r.status == Status::kFound && (it == then.end() || it->second != Status::kFound))
      c.appeared.push_back(r);
  }
  for (const AccountResult& r : before.results) {
    auto it = now.find({r.username, r.site});
    if (r.status == Status::kFound && it != now.end() && it->second == Status::kAbsent)
      c.disappeared.push_back(r);
  }
  return c;
}

std::string UsernamesKey(std::vector<std::string> usernames) {
  std::sort(usernames.begin(), usernames.end());
  usernames.erase(std::unique(usernames.begin(), usernames.end()), usernames.end());
  std::string key;
  for (const std::string& u : usernames) key += (key.empty() ? "" : "\n") + u;
  return key;
}

}  // namespace telescreen::accounts
