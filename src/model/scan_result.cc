#include "model/scan_result.h"

#include <algorithm>

#include "core/enum_names.h"
#include "core/url.h"

namespace telescreen::model {

std::optional<long long> DaysUntilStart(const Event& e, core::TimePoint now) {
  auto start = core::ParseIsoTime(e.start);
  if (!start) return std::nullopt;
  long long days = std::chrono::floor<std::chrono::days>(start->start - now).count();
  return days < 0 ? 0 : days;  // begun (multi-day) or imprecise: as near as it gets
}

bool IsImminent(const Event& e, core::TimePoint now) {
  if (e.tense != Tense::kFuture) return false;
  auto days = DaysUntilStart(e, now);
  return days && *days <= kImminentDays;
}

bool TakesPart(std::string_view role) {
  static constexpr std::string_view kTakingPart[] = {"organised", "spoke",      "attended",
                                                     "rsvp-yes",  "rsvp-maybe", "plan"};
  return std::find(std::begin(kTakingPart), std::end(kTakingPart), role) != std::end(kTakingPart);
}

constexpr core::EnumName<InteractionKind> kInteractionKinds[] = {
    {InteractionKind::kReaction, "reaction"},
    {InteractionKind::kMention, "mention"},
    {InteractionKind::kComment, "comment"},
};
constexpr core::EnumName<Tense> kTenses[] = {
    {Tense::kPast, "past"},
    {Tense::kFuture, "future"},
    {Tense::kUnknown, "unknown"},
};
constexpr core::EnumName<Visibility> kVisibilities[] = {
    {Visibility::kPublic, "public"},
    {Visibility::kMembersOnly, "members-only"},
};
constexpr core::EnumName<Wall> kWalls[] = {
    {Wall::kNone, ""},
    {Wall::kLogin, "login"},
    {Wall::kBlocked, "blocked"},
};
constexpr core::EnumName<Seen> kSeens[] = {
    {Seen::kFull, "full"},
    {Seen::kPartial, "partial"},
    {Seen::kWalled, "walled"},
    {Seen::kFailed, "failed"},
};

const char* InteractionKindName(InteractionKind k) { return core::NameIn(kInteractionKinds, k, "comment"); }

InteractionKind InteractionKindFrom(std::string_view name) {
  return core::ValueIn(kInteractionKinds, name).value_or(InteractionKind::kComment);
}

const char* TenseName(Tense t) { return core::NameIn(kTenses, t, "unknown"); }

std::optional<Tense> ParseTense(std::string_view name) { return core::ValueIn(kTenses, name); }

const char* VisibilityName(Visibility v) { return core::NameIn(kVisibilities, v, "public"); }

std::optional<Visibility> ParseVisibility(std::string_view name) {
  return core::ValueIn(kVisibilities, name);
}

const char* WallName(Wall w) { return core::NameIn(kWalls, w, ""); }

std::optional<Wall> ParseWall(std::string_view name) { return core::ValueIn(kWalls, name); }

const char* SeenName(Seen s) { return core::NameIn(kSeens, s, "full"); }

std::optional<Seen> ParseSeen(std::string_view name) { return core::ValueIn(kSeens, name); }

std::string SiteOfUrl(std::string_view url) {
  auto u = core::Url::Parse(url);
  if (!u.ok()) return "";
  // The crawler's site key ("host:port", host without "www."), with the
  // port only when it is not the scheme's default: two servers on one host
  // (the demo's loopback sites) are two sites.
  std::string site = u.value().SiteKey();
  const std::string default_port = u.value().scheme() == "https" ? ":443" : ":80";
  if (site.ends_with(default_port)) site.resize(site.size() - default_port.size());
  return site;
}

std::optional<std::string> SiteTitleOfUrl(std::string_view url) {
  auto parsed = core::Url::Parse(url);
  if (!parsed.ok()) return std::nullopt;
  std::string site = parsed.value().Origin().substr(parsed.value().scheme().size() + 3);
  if (site.rfind("www.", 0) == 0) site = site.substr(4);
  return site;
}

std::string SitePackOfVia(std::string_view via) {
  if (via.substr(0, 8) != "pattern:") return {};
  via.remove_prefix(8);
  std::string pack(via.substr(0, via.find('/')));
  return pack == "generic" || pack == "text" ? std::string() : pack;
}

std::string SiteLabel(const std::string& site, const std::set<std::string>& packs) {
  if (packs.size() != 1 || site.find(*packs.begin()) != std::string::npos) return site;
  return site + " (" + *packs.begin() + ")";
}

bool SkippedByRobots(const Page& p) {
  return p.status == 0 && p.error.find("disallowed by robots.txt") != std::string::npos;
}

std::size_t CountNotFullySeen(const std::vector<Coverage>& coverage) {
  return static_cast<std::size_t>(std::count_if(coverage.begin(), coverage.end(),
                                                [](const Coverage& c) { return c.seen != Seen::kFull; }));
}

bool AnyWall(const ScanResult& result) {
  // A walled or partial target has such a page (ComputeCoverage); a target
  // partial only for failures or an interrupt has none.
  return std::any_of(result.pages.begin(), result.pages.end(),
                     [](const Page& p) { return p.wall != Wall::kNone; });
}

}  // namespace telescreen::model
