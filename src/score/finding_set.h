// The collector every subject's findings go into, and the helpers the
// subjects share: normalised keys, sites, visibilities, merged items.
// Internal to the scorer (findings.cc and the *_findings.cc beside it).
//
//   FindingSet set;
//   Finding& f = set.Get("network.site.<hash>", "network");   // made once, merged after
//   f.points += ...;
//   AddEvidence(&f, item.evidence);
//   std::vector<Finding> out = std::move(set).Finish();      // sorted, rounded, capped
#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/shared_string.h"
#include "core/time.h"
#include "model/scan_result.h"
#include "score/rescore.h"
#include "score/score.h"

namespace telescreen::score {

// The sensitivity of a kind of item (constants.h), 0 for a kind not listed.
double Sensitivity(std::string_view kind);

// Lower-case ASCII, whitespace runs collapsed, trimmed: the key two spellings
// of one thing share.
std::string Normalise(std::string_view s);

// `s` cut for a title at a UTF-8 boundary ("..." marks the cut).
std::string Short(std::string_view s);

// The site of a URL as titles name it ("social.example"); a URL that does
// not parse is its own site, spelled in full.
std::string SiteOf(std::string_view url);

// How freely one piece of evidence can be read (constants.h).
double EvidenceVisibility(const model::Evidence& e);

// One source's visibility: the freest of its evidence; plain public when it
// has none.
double SourceVisibility(const std::vector<model::Evidence>& evidence);

// Adds the site patterns behind `evidence` to *packs.
void AddPacks(const std::vector<model::Evidence>& evidence, std::set<std::string>* packs);

// `site` as a title names it, with the site patterns behind `evidence`.
std::string SiteLabel(const std::string& site, const std::vector<model::Evidence>& evidence);

// The key two spellings of one value share: phone numbers by their digits,
// everything else by Normalise.
std::string ValueKey(std::string_view kind, std::string_view value);

// A thing seen from one or more sources, merged by key.
struct Item {
  std::string display;                    // smallest original spelling, for titles
  double visibility = 0;                  // max over sources
  double weight = 0;                      // max over sources of visibility x confidence
  std::set<std::string> sites;            // where it was seen
  std::vector<model::Evidence> evidence;  // all of it, sorted later

  void Add(std::string_view shown, const std::vector<model::Evidence>& ev, double confidence = 1.0) {
    if (display.empty() || shown < display) display = std::string(shown);
    visibility = std::max(visibility, SourceVisibility(ev));
    weight = std::max(weight, SourceVisibility(ev) * confidence);
    for (const model::Evidence& e : ev) {
      sites.insert(SiteOf(e.page_url));
      evidence.push_back(e);
    }
  }
  double SiteFactor() const { return score::SiteFactor(sites.size()); }
};

// What the findings were made from, by finding id, for RescoreModel.
struct RescoreRecord {
  // normalised name -> network.site id -> (the name's visibility there, a site in the count)
  std::map<std::string, std::map<std::string, std::pair<double, bool>>> names;
  double overlap_sensitivity = 0;
  // Thousands of events: small, a place once however many events are there.
  struct Group {
    std::string id;  // MergedEvent::id; the finding is plans.event.<id> or past.event.<id>
    int place = -1;  // index into routines
    bool plan = false;
    double visibility = 0;
  };
  std::vector<Group> groups;
  std::map<std::string, int> places;  // "venue \x1f date" -> index into routines
  std::vector<std::string> routines;  // per place: the plans.routine id of its venue and weekday
  double past_points_sensitivity = 0;
  double routine_sensitivity = 0;
};

// Collects findings by id, merging evidence, and finishes them in one
// place. Kept in the order first asked for (a deque: references stay valid
// while more are added); findings that give the same fix share one buffer
// for it (Text). `translations`, when given, turns a pattern rule's English
// fix into the reader's language (ScoreScan); it must outlive the set.
class FindingSet {
 public:
  explicit FindingSet(RescoreRecord* record = nullptr, const FixTexts* translations = nullptr)
      : record_(record), translations_(translations) {}
  // Non-null when the findings are built for re-scoring too.
  RescoreRecord* record() const { return record_; }

  // The finding with this id, made (in `category`) if there is none yet.
  model::Finding& Get(std::string_view id, std::string_view category);

  // `text` as a shared string: one buffer per distinct text.
  core::SharedString Text(std::string_view text);

  // Gives *f the scorer's own fix: `msgid` (a literal marked with
  // core::NoopTr) with its {1}.. filled from `args`. fix_key holds it in
  // English, which groups fixes and names them in every language;
  // remediation holds it in the reader's language.
  void SetFix(model::Finding* f, const char* msgid, std::initializer_list<std::string> args = {});
  // As SetFix, for arguments that are themselves words of a language (a
  // weekday): `english` fills fix_key, `shown` the remediation.
  void SetFix(model::Finding* f, const char* msgid, std::initializer_list<std::string> english,
              std::initializer_list<std::string> shown);

  // The findings with points, each with its evidence sorted, de-duplicated
  // and capped, a pattern rule's fix where it has one; highest points
  // first, ties by id.
  std::vector<model::Finding> Finish() &&;

 private:
  // A pattern rule's English fix in the reader's language: the translation
  // when there is one, the text itself otherwise.
  core::SharedString Translated(const core::SharedString& english);

  RescoreRecord* record_;
  const FixTexts* translations_;
  std::deque<model::Finding> findings_;
  std::unordered_map<std::string_view, std::size_t> index_;         // id -> findings_ index
  std::unordered_map<std::string_view, core::SharedString> texts_;  // keys view their values
};

// Adds `ev` to f's evidence, keeping only what the finding shows once it
// gathers many.
void AddEvidence(model::Finding* f, const std::vector<model::Evidence>& ev);

// As AddEvidence, for an item that is not read again: its evidence moves.
void MoveEvidence(model::Finding* f, std::vector<model::Evidence>* ev);

// `n` in digits, for a {1} of a count.
inline std::string Num(std::size_t n) { return std::to_string(n); }

// "{1} site" / "{1} sites" in the reader's language, filled with `n`.
std::string SiteCount(std::size_t n);

// `site` as a title names it: SiteOf's "unknown site" in the reader's
// language, any other site as it is.
std::string ShownSite(const std::string& site);

// The site SiteOf gives a URL it cannot read, and a contact with neither
// URL nor evidence: one key in every language (finding ids hash it).
inline constexpr std::string_view kUnknownSite = "unknown site";

// `title` with the note that its value was read off the person's profiles
// and may be someone else's (constants.h, kMaybeSomeoneElse); and whether a
// title carries that note, in the reader's language.
std::string WithMaybeSomeoneElse(const std::string& title);
bool SaysMaybeSomeoneElse(std::string_view title);

// The subjects, each in its own file, each adding its findings to *out.
void AddNetwork(const model::ScanResult& r, FindingSet* out);                      // network_findings.cc
void AddEvents(const model::ScanResult& r, core::TimePoint now, FindingSet* out);  // event_findings.cc
void AddFacts(const model::ScanResult& r, FindingSet* out);                        // identity_findings.cc
void AddLinkage(const model::ScanResult& r, FindingSet* out);                      // linkage_findings.cc

}  // namespace telescreen::score
