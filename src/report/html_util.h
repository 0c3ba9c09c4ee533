// Internal helpers shared by the HTML report's sections (html_*.cc).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/i18n.h"
#include "core/time.h"
#include "model/scan_result.h"

namespace telescreen::report::html {

inline constexpr std::size_t kListMax = 500;  // per list, so a huge scan stays readable

std::string Esc(std::string_view s);  // HtmlEscape
std::string Fmt(double x);            // "%.1f", 0 for NaN/inf: for attributes, never translated
// A decimal a person reads: "%.1f" with the reader's decimal mark ("3,5" in German).
std::string Decimal(double x);
// The language of the report being written (core::CurrentLanguage()).
core::Language Lang();
inline bool German() { return Lang() == core::Language::kGerman; }
// A date from the scan for the reader: in English `english` (the form the
// report has always shown, for stable bytes), in German core::FormatMoment.
std::string When(std::string_view iso, std::string_view english,
                 core::TimePrecision finest = core::TimePrecision::kMinute);
// The reader's words for ids shown in the report.
std::string SeenText(model::Seen s);
std::string InteractionText(model::InteractionKind k);
// A contact's relation ("follower", "co-attendee", ...), an event's role
// ("attended", "rsvp-yes", ...) and status ("cancelled", ...): the ids the
// extractors and pattern packs give; escaped as they are when unknown.
std::string RelationText(std::string_view relation);
std::string EventRoleText(std::string_view role);
std::string EventStatusText(std::string_view status);
// An identity fact's kind ("email", "employer", ...); escaped as it is when unknown.
std::string FactKindText(std::string_view kind);
// An <a> when `url` is http(s) (SafeHttpUrl), else the escaped text.
std::string Link(std::string_view url, std::string_view text);
inline std::string Link(std::string_view url) { return Link(url, url); }
// "host[:port]" without "www.", or "other pages" (translated) for a non-http(s) URL.
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
// `text` (a core::TrN form for n) with its "{1}" filled by n. The TrN call
// stays at the caller, where xgettext finds its texts.
std::string Counted(const std::string& text, std::size_t n);

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
