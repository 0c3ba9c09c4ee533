// The collector of findings and the helpers every subject shares
// (finding_set.h).
//
// Every step is order independent: items are keyed and merged in ordered
// maps, visibilities combine by max, sites by set union, evidence is sorted,
// and sums run over sorted keys. So the same facts in any order give the
// same bytes.

#include "score/finding_set.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <iterator>
#include <optional>
#include <tuple>

#include "core/i18n.h"
#include "core/text.h"
#include "core/text_hash.h"
#include "score/constants.h"

namespace telescreen::score {

using model::Evidence;
using model::Finding;

// FNV-1a, 48 bits in hex: short stable ids for findings.
std::string StableId(std::string_view key) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%012llx", static_cast<unsigned long long>(h & 0xffffffffffffull));
  return buf;
}

double SiteFactor(std::size_t sites) {
  double extra = sites > 1 ? static_cast<double>(sites - 1) : 0.0;
  return std::min(kMaxSiteFactor, 1.0 + kPerExtraSiteFactor * extra);
}

namespace {

constexpr std::size_t kMaxEvidencePerFinding = 12;
constexpr std::size_t kMaxTitleValueBytes = 80;

// The part of a URL its site depends on: up to the end of the authority
// ("https://a.example:8443" of "https://a.example:8443/p?q"); the whole
// text if it has no "://".
std::string_view SitePart(std::string_view url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return url;
  std::size_t end = url.find_first_of("/?#\\", scheme + 3);
  return end == std::string_view::npos ? url : url.substr(0, end);
}

// Evidence in the order a finding shows it. Two pieces that differ only in
// their rule's fix are one piece shown (EvidenceEq); the one with a fix (the
// smallest text) sorts first, so de-duplication keeps it whatever the order
// they came in.
bool EvidenceLess(const Evidence& a, const Evidence& b) {
  return std::tie(a.page_url, a.via, a.excerpt, a.machine_readable, a.visibility) <
             std::tie(b.page_url, b.via, b.excerpt, b.machine_readable, b.visibility) ||
         (std::tie(a.page_url, a.via, a.excerpt, a.machine_readable, a.visibility) ==
              std::tie(b.page_url, b.via, b.excerpt, b.machine_readable, b.visibility) &&
          std::make_pair(a.remediation.empty(), a.remediation.view()) <
              std::make_pair(b.remediation.empty(), b.remediation.view()));
}
bool EvidenceEq(const Evidence& a, const Evidence& b) {
  return std::tie(a.page_url, a.via, a.excerpt, a.machine_readable, a.visibility) ==
         std::tie(b.page_url, b.via, b.excerpt, b.machine_readable, b.visibility);
}

// Findings about several sites at once keep their own fix: one site's
// settings page does not undo a link between sites.
bool CrossSite(std::string_view id) {
  for (std::string_view p : {"network.overlap", "linkage.", "past.points", "plans.routine."}) {
    if (id.substr(0, p.size()) == p) return true;
  }
  return false;
}

// A finding's evidence sorted as it is shown, each piece once.
void SortUnique(std::vector<Evidence>* ev) {
  std::sort(ev->begin(), ev->end(), EvidenceLess);
  ev->erase(std::unique(ev->begin(), ev->end(), EvidenceEq), ev->end());
}

bool HasFix(const Evidence& e) { return !e.remediation.empty(); }

// A finding shows its kMaxEvidencePerFinding smallest pieces of evidence
// (EvidenceLess), and Finish takes a pattern rule's fix from the smallest
// piece that has one. Once a finding gathers many, only those are kept: a
// finding about thousands of pages never holds all their evidence.
constexpr std::size_t kEvidenceKeptAt = 64;

void KeepShownEvidence(Finding* f) {
  std::vector<Evidence>& ev = f->evidence;
  if (ev.size() < kEvidenceKeptAt) return;
  SortUnique(&ev);
  if (ev.size() <= kMaxEvidencePerFinding) return;
  const auto shown = ev.begin() + static_cast<std::ptrdiff_t>(kMaxEvidencePerFinding);
  std::size_t keep = kMaxEvidencePerFinding;
  if (std::none_of(ev.begin(), shown, HasFix)) {
    if (auto fix = std::find_if(shown, ev.end(), HasFix); fix != ev.end()) {
      std::iter_swap(shown, fix);
      ++keep;
    }
  }
  ev.resize(keep);
}

}  // namespace

double Sensitivity(std::string_view kind) {
  for (const KindSpec& k : kKinds) {
    if (k.kind == kind) return k.sensitivity;
  }
  return 0;
}

// Lower-case ASCII, whitespace runs collapsed, trimmed: the key two spellings
// of one thing share.
std::string Normalise(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : core::AsciiLower(s)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Cuts a value for a title at a UTF-8 boundary.
std::string Short(std::string_view s) {
  if (s.size() <= kMaxTitleValueBytes) return std::string(s);
  return std::string(core::Utf8Prefix(s, kMaxTitleValueBytes)) + "...";
}

// The origin without its scheme: each host and port is its own site (the
// demo serves each site on its own loopback port), the default port is
// left out so titles read "social.example". A URL that does not parse
// (another scheme, a bad port) is its own site, spelled in full. Asked once
// per piece of evidence, of a few origins: remembered per thread (bounded).
std::string SiteOf(std::string_view url) {
  thread_local std::unordered_map<std::string, std::string, core::TextHash, std::equal_to<>> known;
  const std::string_view part = SitePart(url);
  if (auto it = known.find(part); it != known.end()) return it->second;
  std::optional<std::string> site = model::SiteTitleOfUrl(part);
  if (!site) return url.empty() ? std::string(kUnknownSite) : std::string(url);
  if (known.size() >= 256) known.clear();
  known.emplace(std::string(part), *site);
  return *site;
}

double EvidenceVisibility(const Evidence& e) {
  if (e.visibility == model::Visibility::kMembersOnly) return kVisibilityMembersOnly;
  return e.machine_readable ? kVisibilityMachineReadable : kVisibilityPublic;
}

// One source's visibility: the freest of its evidence. A source without
// evidence was still found, by a route we cannot name: plain public.
double SourceVisibility(const std::vector<Evidence>& evidence) {
  if (evidence.empty()) return kVisibilityPublic;
  double v = kVisibilityNotFound;
  for (const Evidence& e : evidence) v = std::max(v, EvidenceVisibility(e));
  return v;
}

// Adds the site patterns behind `evidence` to *packs.
void AddPacks(const std::vector<Evidence>& evidence, std::set<std::string>* packs) {
  for (const Evidence& e : evidence) {
    if (std::string pack = model::SitePackOfVia(e.via); !pack.empty()) packs->insert(std::move(pack));
  }
}

std::string SiteLabel(const std::string& site, const std::vector<Evidence>& evidence) {
  std::set<std::string> packs;
  AddPacks(evidence, &packs);
  return model::SiteLabel(site, packs);
}

// The key two spellings of one value share: phone numbers by their digits,
// everything else by Normalise.
std::string ValueKey(std::string_view kind, std::string_view value) {
  if (kind == "phone") {
    std::string digits;
    for (char c : value) {
      if ((c >= '0' && c <= '9') || (c == '+' && digits.empty())) digits += c;
    }
    if (digits.size() >= 5) return digits;
  }
  return Normalise(value);
}

Finding& FindingSet::Get(std::string_view id, std::string_view category) {
  if (auto it = index_.find(id); it != index_.end()) return findings_[it->second];
  Finding& f = findings_.emplace_back();
  f.id = id;
  f.category = Text(category);
  index_.emplace(f.id.view(), findings_.size() - 1);  // views f.id's buffer, which never moves
  return f;
}

core::SharedString FindingSet::Text(std::string_view text) {
  if (auto it = texts_.find(text); it != texts_.end()) return it->second;
  core::SharedString shared(text);
  texts_.emplace(shared.view(), shared);
  return shared;
}

void FindingSet::SetFix(Finding* f, const char* msgid, std::initializer_list<std::string> args) {
  SetFix(f, msgid, args, args);
}

void FindingSet::SetFix(Finding* f, const char* msgid, std::initializer_list<std::string> english,
                        std::initializer_list<std::string> shown) {
  f->fix_key = Text(core::Fill(msgid, english));
  const std::string text = core::Fill(core::TrText(msgid), shown);
  f->remediation = text == f->fix_key.view() ? f->fix_key : Text(text);
}

core::SharedString FindingSet::Translated(const core::SharedString& english) {
  if (translations_ == nullptr) return english;
  auto it = translations_->find(english.view());
  return it == translations_->end() || it->second.empty() ? english : Text(it->second);
}

std::vector<Finding> FindingSet::Finish() && {
  index_.clear();
  std::vector<Finding> out;
  out.reserve(findings_.size());
  while (!findings_.empty()) {
    // Each finding leaves the set as it joins the list: never both.
    Finding f = std::move(findings_.front());
    findings_.pop_front();
    if (f.points <= 0) continue;
    SortUnique(&f.evidence);
    // A pattern rule knows the site's own settings page: its fix beats our
    // generic text, except for findings about several sites at once.
    if (!CrossSite(f.id)) {
      if (auto fix = std::find_if(f.evidence.begin(), f.evidence.end(), HasFix); fix != f.evidence.end()) {
        f.fix_key = fix->remediation;
        f.remediation = Translated(fix->remediation);
      }
    }
    if (f.evidence.size() > kMaxEvidencePerFinding) f.evidence.resize(kMaxEvidencePerFinding);
    f.evidence.shrink_to_fit();
    f.points = std::round(f.points * 1000) / 1000;
    f.visibility = std::round(f.visibility * 1000) / 1000;
    out.push_back(std::move(f));
  }
  // Ids are unique: the order is total, whatever order findings came in.
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    if (a.points != b.points) return a.points > b.points;
    return a.id < b.id;
  });
  return out;
}

void AddEvidence(Finding* f, const std::vector<Evidence>& ev) {
  f->evidence.insert(f->evidence.end(), ev.begin(), ev.end());
  KeepShownEvidence(f);
}

// As AddEvidence, for an item that is not read again: its evidence moves.
void MoveEvidence(Finding* f, std::vector<Evidence>* ev) {
  f->evidence.insert(f->evidence.end(), std::make_move_iterator(ev->begin()),
                     std::make_move_iterator(ev->end()));
  std::vector<Evidence>().swap(*ev);
  KeepShownEvidence(f);
}

std::string SiteCount(std::size_t n) { return core::Fill(core::TrN("{1} site", "{1} sites", n), {Num(n)}); }

std::string ShownSite(const std::string& site) {
  return site == kUnknownSite ? core::Tr("unknown site") : site;
}

std::string WithMaybeSomeoneElse(const std::string& title) {
  return core::Fill(core::TrText(kMaybeSomeoneElse), {title});
}

bool SaysMaybeSomeoneElse(std::string_view title) {
  // The note as the reader's language appends it: its text around the {1}.
  const std::string note = core::Fill(core::TrText(kMaybeSomeoneElse), {""});
  return !note.empty() && title.find(note) != std::string_view::npos;
}

}  // namespace telescreen::score
