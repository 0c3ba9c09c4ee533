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

std::string SeenText(model::Seen s) {
  switch (s) {
    case model::Seen::kPartial:
      return core::Tr("partial");
    case model::Seen::kWalled:
      return core::Tr("walled");
    case model::Seen::kFailed:
      return core::Tr("failed");
    case model::Seen::kFull:
      break;
  }
  return core::Tr("full");
}

std::string InteractionText(model::InteractionKind k) {
  switch (k) {
    case model::InteractionKind::kReaction:
      return core::Tr("reaction");
    case model::InteractionKind::kMention:
      return core::Tr("mention");
    case model::InteractionKind::kComment:
      break;
  }
  return core::Tr("comment");
}

std::string RelationText(std::string_view r) {
  if (r == "knows") return core::Tr("knows");
  if (r == "follower") return core::Tr("follower");
  if (r == "following") return core::Tr("following");
  if (r == "follows") return core::Tr("follows");
  if (r == "colleague") return core::Tr("colleague");
  if (r == "friend") return core::Tr("friend");
  if (r == "family") return core::Tr("family");
  if (r == "contact") return core::Tr("contact");
  if (r == "co-attendee") return core::Tr("co-attendee");
  if (r == "invitee") return core::Tr("invitee");
  if (r == "tagged") return core::Tr("tagged");
  if (r == "organizer") return core::Tr("organizer");
  return Esc(r);
}

std::string EventRoleText(std::string_view r) {
  if (r == "attended") return core::Tr("attended");
  if (r == "organised") return core::Tr("organised");
  if (r == "spoke") return core::Tr("spoke");
  if (r == "plan") return core::Tr("plan");
  if (r == "mentioned") return core::Tr("mentioned");
  if (r == "listed") return core::Tr("listed");
  if (r == "rsvp-yes") return core::Tr("rsvp-yes");
  if (r == "rsvp-maybe") return core::Tr("rsvp-maybe");
  if (r == "rsvp-no") return core::Tr("rsvp-no");
  return Esc(r);
}

std::string EventStatusText(std::string_view s) {
  if (s == "cancelled") return core::Tr("cancelled");
  if (s == "postponed") return core::Tr("postponed");
  if (s == "rescheduled") return core::Tr("rescheduled");
  if (s == "moved-online") return core::Tr("moved-online");
  return Esc(s);
}

std::string FactKindText(std::string_view kind) {
  // The kinds model::IdentityFact and the pattern packs use.
  if (kind == "name") return core::Tr("name");
  if (kind == "url") return core::Tr("url");
  if (kind == "profile") return core::Tr("profile");
  if (kind == "employer") return core::Tr("employer");
  if (kind == "headline") return core::Tr("headline");
  if (kind == "location") return core::Tr("location");
  if (kind == "email") return core::Tr("email");
  if (kind == "phone") return core::Tr("phone");
  if (kind == "address") return core::Tr("address");
  if (kind == "photo") return core::Tr("photo");
  if (kind == "birthday") return core::Tr("birthday");
  if (kind == "group") return core::Tr("group");
  if (kind == "school") return core::Tr("school");
  if (kind == "username") return core::Tr("username");
  if (kind == "messenger") return core::Tr("messenger");
  return Esc(kind);
}

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
