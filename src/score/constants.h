// The exposure model's constants, all in one place. docs/scoring.md explains
// each number; change them together with that table.
#pragma once

#include <string_view>

#include "core/i18n.h"
#include "model/scan_result.h"

namespace telescreen::score {

// Category ids, labels and weights. A category's weight is how much of the
// total it can claim on its own: total = 100 * (1 - prod(1 - w_c * s_c/100)).
struct CategorySpec {
  std::string_view id;
  std::string_view label;
  double weight;      // 0..1
  double saturation;  // raw points at which the category reaches 63 of 100
};

inline constexpr CategorySpec kCategories[] = {
    {"plans", core::NoopTr("Where you will be"), 0.60, 1.5},
    {"past", core::NoopTr("Where you were"), 0.50, 2.5},
    {"reach", core::NoopTr("How to reach you"), 0.50, 1.5},
    {"network", core::NoopTr("Whom you know"), 0.40, 6.0},
    {"linkage", core::NoopTr("Who you are across sites"), 0.40, 2.0},
    {"affiliation", core::NoopTr("Affiliations"), 0.25, 1.5},
};

// Visibility factors (Liu & Terzi's V): how freely an item can be read.
inline constexpr double kVisibilityNotFound = 0.0;
inline constexpr double kVisibilityMembersOnly = 0.3;
inline constexpr double kVisibilityPublic = 0.8;
inline constexpr double kVisibilityMachineReadable = 1.0;  // public + JSON-LD, mf2, iCal, ...

// Sensitivity (Liu & Terzi's beta) per kind of item, 0..1.
struct KindSpec {
  std::string_view kind;      // IdentityFact::kind, or "contact", "event.past", ...
  std::string_view category;  // a CategorySpec id
  double sensitivity;
};

inline constexpr KindSpec kKinds[] = {
    // Whom you know.
    {"contact", "network", 0.30},
    {"contact.overlap", "network", 0.25},  // the same contact on 2+ sites, on top
    {"interaction", "network", 0.10},      // reacted to, commented on or mentioned a post: a weak tie
    // Where you were.
    {"event.past", "past", 0.50},
    {"event.unknown", "past", 0.30},  // an event whose date we could not place
    {"past.points", "past", 1.00},    // 4+ dated place points (de Montjoye 2013)
    // Where you will be.
    {"event.future", "plans", 0.80},
    {"routine", "plans", 0.70},  // same venue, same weekday, 3+ times
    // How to reach you.
    {"email", "reach", 0.60},
    {"phone", "reach", 0.90},
    {"address", "reach", 1.00},
    {"location", "reach", 0.30},
    {"birthday", "reach", 0.50},
    // Who you are across sites.
    {"profile", "linkage", 0.40},
    {"url", "linkage", 0.25},
    {"photo", "linkage", 0.40},
    {"name.sites", "linkage", 0.50},  // the same name on 2+ sites
    // Affiliations.
    {"employer", "affiliation", 0.70},
    {"group", "affiliation", 0.50},
    {"headline", "affiliation", 0.20},
};

// Plans: how the date and venue raise a future event.
inline constexpr int kImminentDays = model::kImminentDays;  // "imminent": within two weeks
inline constexpr double kImminentFactor = 2.0;              // a plan in the next 14 days
inline constexpr int kSoonDays = 60;
inline constexpr double kSoonFactor = 1.4;          // within two months
inline constexpr double kPreciseVenueFactor = 1.3;  // a street address or room
inline constexpr double kNoVenueFactor = 0.6;       // no location at all
inline constexpr double kWithPeopleFactor = 1.2;    // the person's plan names who else will be there

// Where you were: dated place points that single a person out.
inline constexpr int kReidentifyingPoints = 4;

// Routines: the same venue on the same weekday this many times.
inline constexpr int kRoutineMinCount = 3;

// Generic text rules ("pattern:text/email", ...) read any address printed on
// a page. Off the person's own profile pages (follower lists, event pages)
// it is often someone else's: such a fact counts this much.
inline constexpr double kOffProfileTextConfidence = 0.2;
// The note such a finding's title carries, around the title ({1}).
inline constexpr const char* kMaybeSomeoneElse =
    core::NoopTr("{1} (read from page text off your profiles: may be someone else's)");

// Reach: an item seen on more sites is easier to find.
inline constexpr double kPerExtraSiteFactor = 0.25;  // +25% per extra site
inline constexpr double kMaxSiteFactor = 2.0;

// Members-only items (seen only when logged in) add at most this many
// points to a category score, so on their own they never leave "low": six
// categories at 8 combine to a total of 19.4.
inline constexpr double kMembersOnlyCategoryCap = 8.0;

// Levels: the lowest total for each name.
struct LevelSpec {
  int min_total;
  std::string_view name;
  std::string_view sentence;
};

inline constexpr LevelSpec kLevels[] = {
    {0, "low", core::NoopTr("Little about you is public; a stranger learns almost nothing.")},
    {20, "moderate", core::NoopTr("A stranger can sketch who you are and whom you know.")},
    {45, "high", core::NoopTr("A stranger can learn where you go, whom you know and how to reach you.")},
    {70, "severe",
     core::NoopTr("A stranger can find you in person: where you will be, when, and with whom.")},
};

}  // namespace telescreen::score
