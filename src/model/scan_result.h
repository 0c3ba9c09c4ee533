// ScanResult: the merged, de-duplicated outcome of a scan, with its score.
// Reports are pure functions of it.
#pragma once

#include <string>
#include <vector>

#include "model/facts.h"

namespace telescreen::model {

struct Identity {
  std::vector<std::string> names;
  std::vector<std::string> profiles;  // URLs of the person's own profiles
  std::vector<IdentityFact> facts;    // every other attribute, with evidence
};

// One scored observation with its evidence and fix.
struct Finding {
  std::string id;            // stable: "contacts.public", "plan.<hash>", ...
  std::string category;      // a ScoreCategory id
  std::string title;         // one line a reader understands
  double points = 0;         // contribution to the category's raw score
  double sensitivity = 0;    // from the table in docs/scoring.md
  double visibility = 0;     // 0..1 from the scan
  std::vector<Evidence> evidence;
  std::string remediation;   // what to change, in the user's words
};

struct ScoreCategory {
  std::string id;      // "network", "past", "plans", "reach", "linkage", "affiliation"
  std::string label;   // "Whom you know"
  double score = 0;    // 0..100 within the category
  double weight = 0;   // share of the total
  std::string summary; // "12 contacts visible on 2 sites"
};

struct Score {
  int total = 0;       // 0..100
  std::string level;   // "low", "moderate", "high", "severe"
  std::vector<ScoreCategory> categories;
};

struct ScanResult {
  std::string now;                    // ISO 8601 UTC reference time
  std::vector<std::string> targets;   // start URLs or input files
  Identity identity;
  std::vector<Contact> contacts;      // de-duplicated, stable order
  std::vector<Event> events;          // de-duplicated, stable order
  std::vector<Page> pages;            // in the order they were requested
  std::vector<Finding> findings;      // highest points first
  Score score;
  std::vector<std::string> warnings;
};

const char* TenseName(Tense t);            // "past" | "future" | "unknown"
const char* VisibilityName(Visibility v);  // "public" | "members-only"

}  // namespace telescreen::model
