// Internal helpers shared by the HTML report's sections (html_*.cc).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/scan_result.h"

namespace telescreen::report::html {

inline constexpr std::size_t kListMax = 500;  // per list, so a huge scan stays readable

std::string Esc(std::string_view s);  // HtmlEscape
std::string Fmt(double x);            // "%.1f", 0 for NaN/inf
// An <a> when `url` is http(s) (SafeHttpUrl), else the escaped text.
std::string Link(std::string_view url, std::string_view text);
inline std::string Link(std::string_view url) { return Link(url, url); }
// "host[:port]" without "www.", or "other pages" for a non-http(s) URL.
std::string SiteOf(std::string_view url);
// "social.example", or "127.0.0.1:33351 (mastodon)" when the host does not
// name the site and the pattern rules ("pattern:mastodon/...") of `vias` do.
std::string SiteLabel(const std::string& site, const std::vector<std::string>& vias);
// Display labels of every site in the scan (SiteOf -> SiteLabel over all
// evidence seen there).
std::map<std::string, std::string> SiteLabels(const model::ScanResult& r);
// At most `max_points` code points, with an ellipsis when cut.
std::string Truncate(std::string s, std::size_t max_points);
// model::DaysUntilStart against the report's `now` text; nullopt if either
// does not parse.
std::optional<long long> DaysFromNow(const model::Event& e, const std::string& now);
std::string Plural(std::size_t n, const char* one, const char* many);

// The scan's findings by id.
class FindingIndex {
 public:
  explicit FindingIndex(const std::vector<model::Finding>& findings) {
    for (const auto& f : findings) by_id_.emplace(f.id.view(), &f);
  }
  const model::Finding* Get(std::string_view id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
  }

 private:
  std::map<std::string_view, const model::Finding*, std::less<>> by_id_;
};

// Sections, each a fragment for one {{placeholder}} of the template.
std::string Contacts(const model::ScanResult& r);
std::string Timeline(const model::ScanResult& r);
std::string Findings(const model::ScanResult& r);
std::string Identity(const model::ScanResult& r);
std::string Pages(const model::ScanResult& r);

}  // namespace telescreen::report::html
