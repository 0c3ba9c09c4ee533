// The plain data that flows between stages: what one page showed (PageFacts),
// what was fetched (Page), and the merged result of a scan (ScanResult).
// Every struct compares with a defaulted operator==, so a round-trip test
// compares whole objects and notices a field a codec forgot.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/shared_string.h"

namespace telescreen::model {

// Who could see an item.
enum class Visibility {
  kPublic,       // fetched without cookies
  kMembersOnly,  // seen only with the user's cookies or in their HAR export
};

enum class Tense { kPast, kFuture, kUnknown };

// Where a fact was seen and by which extractor or rule.
// Its strings are shared, not copied, when the evidence is copied: every
// finding that cites a fact holds a copy of the fact's evidence.
struct Evidence {
  core::SharedString page_url;
  core::SharedString via;         // "json-ld", "h-card", "rel-me", "pattern:xing/contacts", ...
  core::SharedString excerpt;     // the text it saw, cut to at most 200 bytes
  bool machine_readable = false;  // structured data (JSON-LD, mf2, ActivityPub, iCal)
  Visibility visibility = Visibility::kPublic;
  core::SharedString
      remediation;  // how to hide it, from the pattern rule: "text (settings URL)"; may be empty
  bool operator==(const Evidence&) const = default;
};

// One identity attribute: a name, an employer, an email address, ...
// Shared strings, as in Event: a scan of thousands of profiles holds tens of
// thousands of facts.
struct IdentityFact {
  core::SharedString kind;  // "name", "url", "profile", "employer", "headline", "location",
                            // "email", "phone", "address", "photo", "birthday", "group"
  core::SharedString value;
  Evidence evidence;
  bool operator==(const IdentityFact&) const = default;
};

// Someone tied to the person. `relation` says how: from a contact list
// ("knows", "follower", "following", "colleague", "friend", "contact", ...),
// or from what they did together: "co-attendee" (listed with an event the
// person attended or plans to attend), "invitee" (invited by the person),
// "tagged" (tagged in the person's post), "follows" (the person follows
// them), "organizer" (organised an event the person was at).
struct Contact {
  std::string name;
  std::string url;  // empty when unknown
  std::string relation;
  std::vector<Evidence> evidence;
  bool operator==(const Contact&) const = default;
};

// How someone who is not a contact showed up on the person's posts.
enum class InteractionKind { kReaction, kComment, kMention };

// Someone who only reacted to, commented on or mentioned the person's posts.
// A stranger's comment on a public post is no acquaintance: such people are
// listed apart from contacts and count as weak ties.
struct Interaction {
  std::string name;
  std::string url;  // empty when unknown
  InteractionKind kind = InteractionKind::kComment;
  std::vector<Evidence> evidence;
  bool operator==(const Interaction&) const = default;
};

// Someone an event lists as taking part (h-event p-attendee, schema.org
// attendee, iCalendar ATTENDEE). The merge leaves the person out.
struct Attendee {
  core::SharedString name;
  core::SharedString url;  // empty when unknown
  bool operator==(const Attendee&) const = default;
};

// Its texts are shared strings (8 bytes each, most of them empty): a scan
// holds thousands of events, and each finding about one copies its fields.
struct Event {
  core::SharedString name;
  core::SharedString start;     // as authored (ISO 8601 where the source gives it)
  core::SharedString end;       // empty when unknown
  core::SharedString location;  // empty when unknown
  core::SharedString url;       // empty when unknown
  core::SharedString role;      // "attended", "organised", "spoke", "rsvp-yes", ... ; may be empty
  core::SharedString status;    // "cancelled", "postponed", "rescheduled", "moved-online"; empty = as planned
  core::SharedString stated_at;  // when the words stating it were published (the post's date, as
                                 // authored); a relative start ("morgen") counts from it. Empty = unknown
  Tense tense = Tense::kUnknown;
  bool imminent = false;  // a plan starting within kImminentDays of now (IsImminent); set with tense
  std::vector<Attendee> attendees;  // in the order first listed; at most kMaxAttendees after the merge
  std::vector<Evidence> evidence;
  bool operator==(const Event&) const = default;
};

// Attendees kept per event: a conference's list of thousands says no more
// about the person than its first few hundred.
inline constexpr std::size_t kMaxAttendees = 500;

// A link the crawler may follow, with what a pattern or extractor thinks it is.
struct Link {
  std::string url;     // absolute
  std::string kind;    // "contacts", "events", "next", "profile", "" (ordinary link)
  std::string accept;  // Accept header to fetch it with; empty = HTML default
                       // (e.g. "application/activity+json" for ActivityPub)
  bool operator==(const Link&) const = default;
};

// Everything the extractors and patterns found on one page.
struct PageFacts {
  std::vector<IdentityFact> identity;
  std::vector<Contact> contacts;
  std::vector<Interaction> interactions;
  std::vector<Event> events;
  std::vector<Link> links;
  std::vector<std::string> warnings;  // e.g. "json-ld block 2: parse error at byte 17"
  bool operator==(const PageFacts&) const = default;
};

// What a site showed instead of the page: a login wall (a redirect to a
// sign-in page, a page that is little more than a login form) or a block
// (401/403/429, LinkedIn's 999). Such a page is never read as the person's
// content; the report names it as a gap in what the scan could see.
enum class Wall { kNone, kLogin, kBlocked };

// The outcome of fetching (or loading) one page.
struct Page {
  std::string url;        // as requested
  std::string final_url;  // after redirects
  int status = 0;         // HTTP status; 0 when no response
  std::string content_type;
  std::uint64_t bytes = 0;  // body bytes kept
  double fetch_ms = 0;
  std::string sha256;      // hex of the body kept
  std::string error;       // transport error, empty if none
  bool truncated = false;  // body cut at the size cap
  int depth = 0;           // links from a start page
  Visibility visibility = Visibility::kPublic;
  std::string captured_at;  // when the content was captured, ISO 8601 UTC; empty when unknown.
                            // Crawled: the response's Date header, else the fetch time.
                            // HAR entry: its Date header, else startedDateTime. File: its mtime.
  Wall wall = Wall::kNone;  // set when the site showed a wall instead of the page
  std::string wall_detail;  // why: "redirect to /authwall", "HTTP 999", "login form"; "" = none
  bool operator==(const Page&) const = default;
};

}  // namespace telescreen::model
