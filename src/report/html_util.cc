#include "report/html_util.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>

#include "core/i18n.h"
#include "core/local_format.h"
#include "core/text.h"
#include "core/time.h"
#include "core/url.h"
#include "report/escape.h"

namespace telescreen::report::html {

std::string Esc(std::string_view s) { return HtmlEscape(s); }

std::string Fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", std::isfinite(x) ? x : 0.0);
  return buf;
}

std::string Decimal(double x) { return core::FormatDecimal(x, 1, Lang()); }

core::Language Lang() { return core::CurrentLanguage(); }

std::string When(std::string_view iso, std::string_view english, core::TimePrecision finest) {
  if (!German()) return Esc(english);
  return Esc(core::FormatMoment(iso, core::Language::kGerman, finest));
}

namespace {

// The words the report shows in the reader's language (marked for
// po/*.po); a word not listed is shown as it came, escaped.
constexpr const char* kSeenWords[] = {
    core::NoopTr("full"),
    core::NoopTr("partial"),
    core::NoopTr("walled"),
    core::NoopTr("failed"),
};
constexpr const char* kInteractionWords[] = {
    core::NoopTr("reaction"),
    core::NoopTr("comment"),
    core::NoopTr("mention"),
};
constexpr const char* kRelationWords[] = {
    core::NoopTr("knows"),   core::NoopTr("follower"),  core::NoopTr("following"),
    core::NoopTr("follows"), core::NoopTr("colleague"), core::NoopTr("friend"),
    core::NoopTr("family"),  core::NoopTr("contact"),   core::NoopTr("co-attendee"),
    core::NoopTr("invitee"), core::NoopTr("tagged"),    core::NoopTr("organizer"),
};
constexpr const char* kEventRoleWords[] = {
    core::NoopTr("attended"), core::NoopTr("organised"),  core::NoopTr("spoke"),
    core::NoopTr("plan"),     core::NoopTr("mentioned"),  core::NoopTr("listed"),
    core::NoopTr("rsvp-yes"), core::NoopTr("rsvp-maybe"), core::NoopTr("rsvp-no"),
};
constexpr const char* kEventStatusWords[] = {
    core::NoopTr("cancelled"),
    core::NoopTr("postponed"),
    core::NoopTr("rescheduled"),
    core::NoopTr("moved-online"),
};
// The kinds model::IdentityFact and the pattern packs use.
constexpr const char* kFactKindWords[] = {
    core::NoopTr("name"),     core::NoopTr("url"),      core::NoopTr("profile"),   core::NoopTr("employer"),
    core::NoopTr("headline"), core::NoopTr("location"), core::NoopTr("email"),     core::NoopTr("phone"),
    core::NoopTr("address"),  core::NoopTr("photo"),    core::NoopTr("birthday"),  core::NoopTr("group"),
    core::NoopTr("school"),   core::NoopTr("username"), core::NoopTr("messenger"),
};

template <std::size_t N>
std::string WordText(std::string_view word, const char* const (&known)[N]) {
  for (const char* k : known) {
    if (word == k) return core::Tr(k);
  }
  return Esc(word);
}

}  // namespace

std::string SeenText(model::Seen s) { return WordText(model::SeenName(s), kSeenWords); }

std::string InteractionText(model::InteractionKind k) {
  return WordText(model::InteractionKindName(k), kInteractionWords);
}

std::string RelationText(std::string_view r) { return WordText(r, kRelationWords); }

std::string EventRoleText(std::string_view r) { return WordText(r, kEventRoleWords); }

std::string EventStatusText(std::string_view s) { return WordText(s, kEventStatusWords); }

std::string FactKindText(std::string_view kind) { return WordText(kind, kFactKindWords); }

// A link when the URL is http(s), otherwise the escaped text.
std::string Link(std::string_view url, std::string_view text) {
  if (auto safe = SafeHttpUrl(url)) {
    return "<a href=\"" + Esc(*safe) + "\" rel=\"noopener noreferrer nofollow\">" + Esc(text) + "</a>";
  }
  if (text != url) return Esc(text);
  return "<span class=\"mono\">" + Esc(text) + "</span>";
}

std::string SiteOf(std::string_view url) {
  return model::SiteTitleOfUrl(url).value_or(core::Tr("other pages"));
}

std::string SiteLabel(const std::string& site, const std::vector<std::string>& vias) {
  std::set<std::string> packs;
  for (std::string_view via : vias) {
    if (std::string pack = model::SitePackOfVia(via); !pack.empty()) packs.insert(std::move(pack));
  }
  return model::SiteLabel(site, packs);
}

std::map<std::string, std::string> SiteLabels(const model::ScanResult& r) {
  std::map<std::string, std::vector<std::string>> vias;
  auto add = [&](const model::Evidence& e) { vias[SiteOf(e.page_url)].push_back(e.via.str()); };
  for (const auto& c : r.contacts)
    for (const auto& e : c.evidence) add(e);
  for (const auto& ev : r.events)
    for (const auto& e : ev.evidence) add(e);
  for (const auto& f : r.identity.facts) add(f.evidence);
  for (const auto& p : r.pages) vias[SiteOf(p.url)];
  std::map<std::string, std::string> out;
  for (const auto& [site, v] : vias) out[site] = SiteLabel(site, v);
  return out;
}

std::string Truncate(std::string s, std::size_t max_points) {
  std::size_t points = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && points++ == max_points) {
      return s.substr(0, i) + "\xE2\x80\xA6";  // ellipsis
    }
  }
  return s;
}

std::optional<long long> DaysFromNow(const model::Event& e, const std::string& now) {
  auto n = core::ParseNow(now);
  if (!n.ok()) return std::nullopt;
  return model::DaysUntilStart(e, n.value());
}

std::string Counted(const std::string& text, std::size_t n) { return core::Fill(text, {std::to_string(n)}); }

}  // namespace telescreen::report::html
