// ScanResult: the merged, de-duplicated outcome of a scan, with its score.
// Reports are pure functions of it.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "model/facts.h"

namespace telescreen::model {

struct Identity {
  std::vector<std::string> names;
  std::vector<std::string> profiles;  // URLs of the person's own profiles
  std::vector<IdentityFact> facts;    // every other attribute, with evidence
  bool operator==(const Identity&) const = default;
};

// One scored observation with its evidence and fix. A scan of thousands of
// pages has thousands of findings: their strings are shared, and one fix
// text serves every finding it applies to.
struct Finding {
  core::SharedString id;        // stable: "contacts.public", "plan.<hash>", ...
  core::SharedString category;  // a ScoreCategory id
  core::SharedString title;     // one line a reader understands
  double points = 0;            // contribution to the category's raw score
  double sensitivity = 0;       // from the table in docs/scoring.md
  double visibility = 0;        // 0..1 from the scan
  std::vector<Evidence> evidence;
  core::SharedString remediation;  // what to change, in the user's words and language
  core::SharedString fix_key;  // the remediation in English: groups fixes, names their ids; "" in old scans
  bool operator==(const Finding&) const = default;
};

// One thing to do, for the findings that share it (docs/scoring.md, "Fixes").
// ScanResult::fixes lists them in the order to do them: each pick lowers the
// total most, given the fixes above it.
struct Fix {
  std::string id;                            // "fix.<hash of text>": stable across scans
  std::string text;                          // what to change
  std::string settings_url;                  // the site's own settings page; "" if unknown
  std::vector<core::SharedString> findings;  // Finding::id of each finding it answers
  int score_after = 0;       // the total if only this fix were done (re-scored without what it removes)
  int cumulative_after = 0;  // the total after this fix and every fix above it
  bool operator==(const Fix&) const = default;
};

struct ScoreCategory {
  std::string id;       // "network", "past", "plans", "reach", "linkage", "affiliation"
  std::string label;    // "Whom you know"
  double score = 0;     // 0..100 within the category
  double weight = 0;    // share of the total
  std::string summary;  // "12 contacts visible on 2 sites"
  bool operator==(const ScoreCategory&) const = default;
};

// The level of a 0..100 score, the one place its bands are drawn: "low"
// below 20, "moderate" from 20, "high" from 45, "severe" from 70.
// Score::level is LevelOf(total); the HTML report bands each category's
// bar the same way.
constexpr std::string_view LevelOf(double score) {
  if (score >= 70) return "severe";
  if (score >= 45) return "high";
  if (score >= 20) return "moderate";
  return "low";
}

struct Score {
  int total = 0;              // 0..100; a lower bound when !complete
  bool complete = true;       // every target fully seen (ScanResult::coverage); false: a partial view
  std::string level;          // LevelOf(total): "low", "moderate", "high", "severe"
  std::string level_summary;  // one sentence saying what the level means
  std::vector<ScoreCategory> categories;
  bool operator==(const Score&) const = default;
};

// What changed since an earlier scan of the same targets. Filled by
// store::RecordScan (scan with a history) and by `telescreen diff`; reports
// render it when present. Lists keep the order of the scan they come from.
struct Changes {
  std::int64_t previous_scan_id = 0;  // history id of the earlier scan
  std::string previous_now;           // its reference time, ISO 8601 UTC
  std::vector<Contact> new_contacts;  // visible now, not before (key: normalised url, else lower-case name)
  std::vector<Contact> removed_contacts;      // visible before, gone now
  std::vector<Interaction> new_interactions;  // key: kind + normalised url, else lower-case name
  std::vector<Interaction> removed_interactions;
  std::vector<Event> new_events;           // new, tense past or unknown (key: lower-case name + start)
  std::vector<Event> removed_events;       // gone; tense past or unknown in the earlier scan
  std::vector<Event> new_plans;            // new, tense future: "where you will be"
  std::vector<Event> removed_plans;        // gone; tense future in the earlier scan
  std::vector<IdentityFact> newly_public;  // identity facts (names and profiles too, as kind
                                           // "name"/"profile") public now, not public before
  int previous_score = 0;                  // score.total of the earlier scan; change = score.total - this
  bool previous_complete = true;           // score.complete of the earlier scan. Either scan's unseen
                                           // sites are left out of the lists above
  bool operator==(const Changes&) const = default;
};

// How much of one scan target the scan could see.
enum class Seen {
  kFull,     // the target and every page fetched from its site were read
  kPartial,  // the target was read, some of its site's pages were walled or failed
  kWalled,   // the site showed a login wall or a block instead of the target
  kFailed,   // nothing came back (DNS, connection, timeout, HTTP error)
};

struct Coverage {
  std::string target;  // as in ScanResult::targets
  std::string site;    // host without "www.", "" when the target is a local file without URLs
  Seen seen = Seen::kFull;
  std::string detail;  // the cause, for a person: "login wall (redirect to /authwall)", "HTTP 999"
  bool operator==(const Coverage&) const = default;
};

struct ScanResult {
  std::string now;                   // ISO 8601 UTC reference time
  std::vector<std::string> targets;  // start URLs or input files
  std::vector<Coverage> coverage;    // one per target, in the targets' order
  bool interrupted = false;          // stopped (SIGINT, SIGTERM) before the crawl ended: a partial
                                     // view; no target's coverage is then kFull
  Identity identity;
  std::vector<Contact> contacts;          // de-duplicated, stable order
  std::vector<Interaction> interactions;  // people who are no contact, per kind; stable order
  std::vector<Event> events;              // de-duplicated, stable order
  std::vector<Page> pages;                // in the order they were requested
  std::vector<Finding> findings;          // highest points first
  std::vector<Fix> fixes;                 // in the order to do them (score::PlanFixes)
  Score score;
  std::vector<std::string> warnings;
  std::optional<Changes> changes;  // set only when compared with an earlier scan
  bool operator==(const ScanResult&) const = default;
};

// Plans starting within this many days of the reference time are imminent:
// the scorer weighs them double, the reports flag them.
inline constexpr int kImminentDays = 14;

// Whole days from `now` until `e` starts, floored, 0 once it has begun;
// nullopt when its start is not an ISO 8601 date (core::ParseIsoTime).
std::optional<long long> DaysUntilStart(const Event& e, core::TimePoint now);

// True iff `e` has tense future and DaysUntilStart(e, now) <= kImminentDays.
// The one definition of "imminent": merge stores it in Event::imminent.
bool IsImminent(const Event& e, core::TimePoint now);

// True iff an event's `role` puts the person there or says they mean to be:
// organised, spoke, attended, rsvp-yes, rsvp-maybe, plan. Not an invitation
// alone, a "no", or no role. Its attendees are then the person's co-attendees.
bool TakesPart(std::string_view role);

// The words the JSON, the history and the report write these enums as, and
// back: each Parse* takes exactly its *Name's words, nullopt for any other.
const char* TenseName(Tense t);  // "past" | "future" | "unknown"
std::optional<Tense> ParseTense(std::string_view name);
const char* InteractionKindName(InteractionKind k);  // "reaction" | "comment" | "mention"
// The kind InteractionKindName gives `name`; kComment for any other text.
InteractionKind InteractionKindFrom(std::string_view name);
const char* VisibilityName(Visibility v);  // "public" | "members-only"
std::optional<Visibility> ParseVisibility(std::string_view name);
const char* WallName(Wall w);  // "" (none) | "login" | "blocked"
// The site a URL is on, as coverage and diff name it: its host, lower-case,
// without "www.", with ":port" when the port is not the scheme's default;
// "" when `url` is not an absolute http(s) URL (a file).
std::string SiteOfUrl(std::string_view url);
// The site as findings and reports title it: the origin without its scheme
// and "www.", the port only when not the default ("social.example",
// "127.0.0.1:33351", "[::1]:8080"); nullopt when `url` does not parse.
std::optional<std::string> SiteTitleOfUrl(std::string_view url);
// The site pattern pack behind evidence found by `via`
// ("pattern:mastodon/followers" -> "mastodon"); "" for the generic and text
// packs and for evidence no pattern found.
std::string SitePackOfVia(std::string_view via);
// `site`, or "127.0.0.1:33351 (mastodon)" when exactly one site pack found
// something there and the site's name does not say which site it is
// (loopback demo, IP addresses).
std::string SiteLabel(const std::string& site, const std::set<std::string>& packs);
// True iff the crawler did not fetch `p` because robots.txt disallows it
// (status 0, its error says so): skipped on purpose, not a failure.
bool SkippedByRobots(const Page& p);
// How many targets were not seen in full (Seen other than kFull).
std::size_t CountNotFullySeen(const std::vector<Coverage>& coverage);
// True iff a page of the scan was a login wall or a block (Page::wall), as
// behind every walled target and some partial ones: a signed-in view
// (cookies, a HAR export) would show more.
bool AnyWall(const ScanResult& result);
const char* SeenName(Seen s);  // "full" | "partial" | "walled" | "failed"
std::optional<Seen> ParseSeen(std::string_view name);
// The Wall a WallName names ("" is kNone); nullopt for any other text.
std::optional<Wall> ParseWall(std::string_view name);

}  // namespace telescreen::model
