// Test support (header only): scans to score and render. RealisticScan is the
// worked example of docs/scoring.md until the demo's numbers replace it;
// RandomScan drives the property tests; HostileScan carries page text that
// tries to break out of the terminal and the HTML report.
#pragma once

#include <cctype>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "model/scan_result.h"

namespace telescreen::score::testing {

inline constexpr const char* kFixtureNow = "2026-11-26T12:00:00Z";

inline model::Evidence Ev(const std::string& page, const std::string& via, const std::string& excerpt,
                          bool machine = false, model::Visibility v = model::Visibility::kPublic) {
  model::Evidence e;
  e.page_url = page;
  e.via = via;
  e.excerpt = excerpt;
  e.machine_readable = machine;
  e.visibility = v;
  return e;
}

inline model::Contact MakeContact(const std::string& name, const std::string& url,
                                  const std::string& relation, model::Evidence e) {
  model::Contact c;
  c.name = name;
  c.url = url;
  c.relation = relation;
  c.evidence.push_back(std::move(e));
  return c;
}

inline model::IdentityFact MakeFact(const std::string& kind, const std::string& value, model::Evidence e) {
  model::IdentityFact f;
  f.kind = kind;
  f.value = value;
  f.evidence = std::move(e);
  return f;
}

inline model::Page MakePage(const std::string& url, std::uint64_t bytes, int depth) {
  model::Page p;
  p.url = url;
  p.final_url = url;
  p.status = 200;
  p.content_type = "text/html; charset=utf-8";
  p.bytes = bytes;
  p.fetch_ms = 12.5;
  p.sha256 = std::string(64, 'a');
  p.depth = depth;
  return p;
}

inline model::ScanResult RealisticScan() {
  using model::Tense;
  model::ScanResult r;
  r.now = kFixtureNow;
  const std::string home = "https://mira.example/";
  const std::string social = "https://social.example/@mira";
  const std::string connect = "https://connect.example/in/mira-kovac";
  const std::string events = "https://events.example/u/mira";
  r.targets = {home};
  r.identity.names = {"Mira Kovač"};
  r.identity.profiles = {home, social, connect, events};
  auto fact = [&](const std::string& kind, const std::string& value, model::Evidence e) {
    r.identity.facts.push_back(MakeFact(kind, value, std::move(e)));
  };
  fact("name", "Mira Kovač", Ev(home, "h-card", "Mira Kovač", true));
  fact("name", "Mira Kovač", Ev(social, "activitypub", "Mira Kovač", true));
  fact("name", "Mira Kovač", Ev(connect, "pattern:connect/profile", "Mira Kovač"));
  fact("profile", social, Ev(home, "rel-me", "<a rel=me href=" + social + ">", true));
  fact("profile", connect, Ev(home, "rel-me", "<a rel=me href=" + connect + ">", true));
  fact("profile", events, Ev(home, "json-ld", "sameAs " + events, true));
  fact("email", "mira@mira.example", Ev(home, "h-card", "u-email mira@mira.example", true));
  fact("location", "Leipzig", Ev(home, "h-card", "p-locality Leipzig", true));
  fact("employer", "Northwind Logistics", Ev(connect, "json-ld", "worksFor Northwind Logistics", true));
  fact("headline", "Data engineer", Ev(connect, "pattern:connect/profile", "Data engineer"));
  fact("group", "Leipzig Climbing Club", Ev(events, "pattern:events/groups", "Leipzig Climbing Club"));
  fact(
      "phone", "+49 341 5550123",
      Ev(connect, "pattern:connect/contact-info", "+49 341 5550123", false, model::Visibility::kMembersOnly));

  const char* colleagues[] = {"Jonas Weber", "Aylin Demir",  "Piotr Nowak", "Sara Lindqvist",
                              "Tom Becker",  "Lea Hoffmann", "Ravi Iyer",   "Nina Brandt"};
  for (const char* n : colleagues) {
    std::string slug = n;
    for (char& c : slug) c = c == ' ' ? '-' : static_cast<char>(std::tolower(c));
    r.contacts.push_back(MakeContact(n, "https://connect.example/in/" + slug, "colleague",
                                     Ev(connect + "/contacts", "pattern:connect/contacts", n)));
  }
  const char* followers[] = {"Jonas Weber", "Aylin Demir", "kat", "Felix", "Ute Sommer"};
  for (const char* n : followers) {
    std::string slug = n;
    for (char& c : slug) c = c == ' ' ? '_' : static_cast<char>(std::tolower(c));
    r.contacts.push_back(MakeContact(n, "https://social.example/@" + slug, "follower",
                                     Ev(social + "/followers", "activitypub", n, true)));
  }

  auto event = [&](const std::string& name, const std::string& start, const std::string& loc, Tense tense,
                   const std::string& role) {
    model::Event e;
    e.name = name;
    e.start = start;
    e.location = loc;
    e.tense = tense;
    e.imminent = model::IsImminent(e, core::ParseNow(kFixtureNow).value());  // as merge sets it
    e.role = role;
    e.url = "https://events.example/e/" + std::to_string(r.events.size() + 100);
    e.evidence.push_back(Ev(events, "json-ld", name + " " + start, true));
    r.events.push_back(e);
  };
  event("Leipzig Data Meetup #41", "2026-09-17T19:00:00+02:00", "Basislager, Plagwitzer Str. 1, Leipzig",
        Tense::kPast, "attended");
  event("Bouldering night", "2026-10-07T18:30:00+02:00", "Boulderhalle, Karl-Heine-Str. 99, Leipzig",
        Tense::kPast, "attended");
  event("Bouldering night", "2026-10-14T18:30:00+02:00", "Boulderhalle, Karl-Heine-Str. 99, Leipzig",
        Tense::kPast, "attended");
  event("Bouldering night", "2026-10-21T18:30:00+02:00", "Boulderhalle, Karl-Heine-Str. 99, Leipzig",
        Tense::kPast, "attended");
  event("PyCon DE", "2026-04-22", "Darmstadt", Tense::kPast, "spoke");
  event("Data Night Leipzig", "2026-12-03T19:00:00+01:00", "Basislager, Plagwitzer Str. 1, Leipzig",
        Tense::kFuture, "rsvp-yes");
  event("FOSDEM", "2027-01-30", "Brussels", Tense::kFuture, "rsvp-yes");

  r.pages = {MakePage(home, 5120, 0), MakePage(social, 8000, 1), MakePage(connect, 9100, 1),
             MakePage(events, 7300, 1)};
  return r;
}

// A random scan drawn from small pools, so that duplicates, overlaps and
// routines happen.
inline model::ScanResult RandomScan(unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const char* sites[] = {"https://a.example/p", "https://b.example/p", "https://c.example/p"};
  const char* vias[] = {"json-ld", "h-card", "pattern:x/contacts", "activitypub"};
  auto ev = [&](const std::string& excerpt) {
    return Ev(sites[pick(3)], vias[pick(4)], excerpt, pick(2) == 0,
              pick(3) == 0 ? model::Visibility::kMembersOnly : model::Visibility::kPublic);
  };
  model::ScanResult r;
  r.now = kFixtureNow;
  const char* names[] = {"Ann", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal"};
  for (int i = 0, n = pick(16); i < n; ++i) {
    model::Contact c;
    c.name = names[pick(8)];
    if (pick(2) == 0) c.url = std::string(sites[pick(3)]) + "/" + c.name;
    c.relation = "knows";
    for (int k = 0, m = pick(3); k < m; ++k) c.evidence.push_back(ev(c.name));
    r.contacts.push_back(c);
  }
  const char* days[] = {"2026-10-07", "2026-10-14", "2026-10-21", "2026-10-28",
                        "2026-11-02", "2026-12-01", "2027-02-03", "2026-05"};
  const char* venues[] = {"Gym, Main St 5", "Cafe", "", "Hall 2, Fair Rd 1"};
  for (int i = 0, n = pick(12); i < n; ++i) {
    model::Event e;
    e.name = std::string("Event ") + names[pick(4)];
    e.start = days[pick(8)];
    e.location = venues[pick(4)];
    e.tense = e.start > std::string("2026-11-26") ? model::Tense::kFuture : model::Tense::kPast;
    if (pick(5) == 0) e.tense = model::Tense::kUnknown;
    for (int k = 0, m = 1 + pick(2); k < m; ++k) e.evidence.push_back(ev(e.name.str()));
    r.events.push_back(e);
  }
  const char* kinds[] = {"name",    "email", "phone", "address",  "employer", "group",
                         "profile", "url",   "photo", "location", "headline", "birthday"};
  for (int i = 0, n = pick(12); i < n; ++i) {
    std::string kind = kinds[pick(12)];
    std::string value = kind == "profile" || kind == "url" ? std::string(sites[pick(3)]) + "/me"
                                                           : kind + "-" + std::to_string(pick(3));
    r.identity.facts.push_back(MakeFact(kind, value, ev(value)));
  }
  for (int i = 0, n = pick(3); i < n; ++i) r.identity.profiles.push_back(std::string(sites[i]) + "/me");
  return r;
}

// Page text that tries to run script in the HTML report or move the cursor
// in a terminal.
inline model::ScanResult HostileScan() {
  using model::Tense;
  model::ScanResult r = RealisticScan();
  const std::string page = "https://evil.example/p?q=\"><script>window.__pwned=1</script>";
  const std::string payloads[] = {
      "<script>document.title='PWNED';window.__pwned=1</script>",
      "<img src=x onerror=\"document.title='PWNED';window.__pwned=1\">",
      "\"><svg onload=\"document.title='PWNED';window.__pwned=1\">",
      "'><iframe srcdoc=\"<script>parent.__pwned=1</script>\"></iframe>",
      "</style><script>window.__pwned=1</script>",
      "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x1b[0m \xc2\x9b"
      "31m C1",
      "bidi \xe2\x80\xae"
      "gnp.exe",
      "{{style}} {{csp}} ]]> --> <!--",
  };
  r.identity.names.push_back(payloads[0]);
  r.identity.facts.push_back(MakeFact("name", payloads[1], Ev(page, "h-card<b>", payloads[2], true)));
  r.identity.facts.push_back(MakeFact("profile", "javascript:alert(document.domain)",
                                      Ev("javascript:window.__pwned=1", "rel-me", payloads[3])));
  r.identity.facts.push_back(
      MakeFact("email", "x@evil.example\x1b[2J", Ev(page, "h-card", payloads[5], true)));
  r.identity.profiles.push_back("javascript:window.__pwned=1");
  r.identity.profiles.push_back("data:text/html,<script>window.__pwned=1</script>");
  const char* bad_urls[] = {"javascript:window.__pwned=1",
                            "JaVaScRiPt:window.__pwned=1",
                            " javascript:window.__pwned=1",
                            "vbscript:msgbox(1)",
                            "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+",
                            "https://ok.example/\"onmouseover=\"window.__pwned=1"};
  int i = 0;
  for (const auto& p : payloads) {
    r.contacts.push_back(MakeContact(p, bad_urls[i % 6], "follower<script>",
                                     Ev(bad_urls[(i + 1) % 6], "pattern:<svg onload=x>", p)));
    model::Event e;
    e.name = p;
    e.start = i % 2 ? "2026-12-0" + std::to_string(1 + i % 8) + "T10:00:00Z" : p;
    e.location = payloads[(i + 2) % 8];
    e.url = bad_urls[(i + 3) % 6];
    e.role = payloads[(i + 4) % 8];
    e.tense = i % 2 ? Tense::kFuture : Tense::kPast;
    e.evidence.push_back(Ev(page, "json-ld", p, true));
    r.events.push_back(e);
    ++i;
  }
  r.warnings.push_back(payloads[0]);
  r.warnings.push_back(payloads[5]);
  model::Page bad = MakePage(page, 1, 2);
  bad.final_url = "javascript:window.__pwned=1";
  bad.content_type = "text/html<script>";
  bad.sha256 = "</td><script>window.__pwned=1</script>";
  bad.error = payloads[2];
  bad.truncated = true;
  r.pages.push_back(bad);
  r.targets.push_back(payloads[4]);
  return r;
}

}  // namespace telescreen::score::testing
