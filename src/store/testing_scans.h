// Test helpers for store/: small ScanResults built in code. Header-only, used
// by the *_test.cc files only.
#pragma once

#include <string>
#include <vector>

#include "model/scan_result.h"

namespace telescreen::store::testing {

inline model::Evidence Seen(const std::string& page,
                            model::Visibility visibility = model::Visibility::kPublic) {
  model::Evidence e;
  e.page_url = page;
  e.via = "json-ld";
  e.excerpt = "seen on " + page;
  e.machine_readable = true;
  e.visibility = visibility;
  return e;
}

inline model::Contact MakeContact(const std::string& name, const std::string& url,
                                  const std::string& relation = "knows") {
  return model::Contact{name, url, relation, {Seen("https://example.org/ann")}};
}

inline model::Event MakeEvent(const std::string& name, const std::string& start, model::Tense tense) {
  model::Event e;
  e.name = name;
  e.start = start;
  e.location = "Berlin";
  e.role = "attended";
  e.tense = tense;
  e.evidence = {Seen("https://example.org/ann/events")};
  return e;
}

// A scan of Ann's profile with two contacts, a past event and a plan.
inline model::ScanResult AnnScan(const std::string& now = "2026-01-01T00:00:00Z") {
  model::ScanResult r;
  r.now = now;
  r.targets = {"https://example.org/ann", "https://social.example/@ann"};
  r.identity.names = {"Ann Example"};
  r.identity.profiles = {"https://example.org/ann", "https://social.example/@ann"};
  r.identity.facts = {
      {"employer", "Acme GmbH", Seen("https://example.org/ann")},
      {"email", "ann@example.org", Seen("https://example.org/ann", model::Visibility::kMembersOnly)}};
  r.contacts = {MakeContact("Bob Builder", "https://example.org/bob"), MakeContact("Carol", "")};
  r.events = {MakeEvent("FOSDEM", "2025-02-01", model::Tense::kPast),
              MakeEvent("Chaos Communication Congress", "2026-12-27", model::Tense::kFuture)};
  model::Page page;
  page.url = "https://example.org/ann";
  page.final_url = page.url;
  page.status = 200;
  page.content_type = "text/html";
  page.bytes = 1234;
  page.sha256 = std::string(64, 'a');
  r.pages = {page};
  model::Finding finding;
  finding.id = "contacts.public";
  finding.category = "network";
  finding.title = "2 contacts are public";
  finding.points = 12.5;
  finding.sensitivity = 0.5;
  finding.visibility = 1;
  finding.evidence = {Seen("https://example.org/ann")};
  finding.remediation = "Hide your contact list";
  r.findings = {finding};
  r.score.total = 40;
  r.score.level = "moderate";
  r.score.categories = {{"network", "Whom you know", 50, 0.3, "2 contacts"}};
  r.warnings = {"json-ld block 2: parse error"};
  return r;
}

}  // namespace telescreen::store::testing
