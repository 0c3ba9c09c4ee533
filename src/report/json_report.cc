// The JSON report, schema version 1 (docs/report.md, docs/report.schema.json).
// Keys come in a fixed order (ordered_json) and numbers are rounded before
// they are written, so the same scan gives the same bytes.

#include <cmath>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "report/report.h"

namespace telescreen::report {
namespace {

using Json = nlohmann::ordered_json;

Json OrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

double Round(double x, double scale) {
  if (!std::isfinite(x)) return 0;
  return std::round(x * scale) / scale;
}

// Pages an item was seen on, sorted and distinct.
Json Sources(const std::vector<model::Evidence>& evidence) {
  std::set<std::string> urls;
  for (const auto& e : evidence) urls.insert(e.page_url);
  Json out = Json::array();
  for (const auto& u : urls) out.push_back(u);
  return out;
}

Json Vias(const std::vector<model::Evidence>& evidence) {
  std::set<std::string> vias;
  for (const auto& e : evidence) vias.insert(e.via);
  Json out = Json::array();
  for (const auto& v : vias) out.push_back(v);
  return out;
}

// "public" if any page showed it without login, else "members-only".
std::string ItemVisibility(const std::vector<model::Evidence>& evidence) {
  for (const auto& e : evidence) {
    if (e.visibility == model::Visibility::kPublic) return "public";
  }
  return evidence.empty() ? "public" : "members-only";
}

Json EvidenceJson(const model::Evidence& e) {
  Json j;
  j["page_url"] = e.page_url;
  j["via"] = e.via;
  j["excerpt"] = e.excerpt;
  j["machine_readable"] = e.machine_readable;
  j["visibility"] = model::VisibilityName(e.visibility);
  return j;
}

Json FactJson(const model::IdentityFact& f) {
  Json j;
  j["kind"] = f.kind;
  j["value"] = f.value;
  j["source"] = f.evidence.page_url;
  j["via"] = f.evidence.via;
  j["machine_readable"] = f.evidence.machine_readable;
  j["visibility"] = model::VisibilityName(f.evidence.visibility);
  return j;
}

Json ContactJson(const model::Contact& c) {
  Json j;
  j["name"] = c.name;
  j["url"] = OrNull(c.url);
  j["relation"] = c.relation;
  j["sources"] = Sources(c.evidence);
  j["visibility"] = ItemVisibility(c.evidence);
  j["via"] = Vias(c.evidence);
  return j;
}

Json EventJson(const model::Event& e) {
  Json j;
  j["name"] = e.name;
  j["start"] = e.start;
  j["end"] = OrNull(e.end);
  j["location"] = OrNull(e.location);
  j["url"] = OrNull(e.url);
  j["tense"] = model::TenseName(e.tense);
  j["imminent"] = e.imminent;
  j["role"] = OrNull(e.role);
  j["status"] = OrNull(e.status);
  j["sources"] = Sources(e.evidence);
  j["visibility"] = ItemVisibility(e.evidence);
  j["via"] = Vias(e.evidence);
  return j;
}

Json PageJson(const model::Page& p) {
  Json j;
  j["url"] = p.url;
  j["final_url"] = p.final_url;
  j["status"] = p.status;
  j["content_type"] = p.content_type;
  j["bytes"] = p.bytes;
  j["sha256"] = p.sha256;
  j["fetch_ms"] = Round(p.fetch_ms, 10);
  j["error"] = OrNull(p.error);
  j["truncated"] = p.truncated;
  j["depth"] = p.depth;
  j["visibility"] = model::VisibilityName(p.visibility);
  j["captured_at"] = OrNull(p.captured_at);
  return j;
}

Json ScoreJson(const model::Score& s) {
  Json j;
  j["total"] = s.total;
  j["level"] = s.level;
  j["summary"] = s.level_summary;
  Json cats = Json::array();
  for (const auto& c : s.categories) {
    Json cj;
    cj["id"] = c.id;
    cj["label"] = c.label;
    cj["score"] = Round(c.score, 10);
    cj["weight"] = Round(c.weight, 1000);
    cj["summary"] = c.summary;
    cats.push_back(std::move(cj));
  }
  j["categories"] = std::move(cats);
  return j;
}

Json FindingJson(const model::Finding& f) {
  Json j;
  j["id"] = f.id;
  j["category"] = f.category;
  j["title"] = f.title;
  j["points"] = Round(f.points, 1000);
  j["sensitivity"] = Round(f.sensitivity, 1000);
  j["visibility"] = Round(f.visibility, 1000);
  Json ev = Json::array();
  for (const auto& e : f.evidence) ev.push_back(EvidenceJson(e));
  j["evidence"] = std::move(ev);
  j["remediation"] = f.remediation;
  return j;
}

template <typename T, typename F>
Json ArrayOf(const std::vector<T>& items, F to_json) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

// The history hook: present only when the scan was compared with an earlier
// one (issue 7).
Json ChangesJson(const model::Changes& c) {
  Json j;
  j["previous_scan_id"] = c.previous_scan_id;
  j["previous_now"] = c.previous_now;
  j["previous_score"] = c.previous_score;
  j["new_contacts"] = ArrayOf(c.new_contacts, ContactJson);
  j["removed_contacts"] = ArrayOf(c.removed_contacts, ContactJson);
  j["new_events"] = ArrayOf(c.new_events, EventJson);
  j["removed_events"] = ArrayOf(c.removed_events, EventJson);
  j["new_plans"] = ArrayOf(c.new_plans, EventJson);
  j["removed_plans"] = ArrayOf(c.removed_plans, EventJson);
  j["newly_public"] = ArrayOf(c.newly_public, FactJson);
  return j;
}

}  // namespace

std::string RenderJson(const model::ScanResult& r) {
  Json j;
  j["schema_version"] = 1;
  j["now"] = r.now;
  j["targets"] = r.targets;
  Json identity;
  identity["names"] = r.identity.names;
  identity["profiles"] = r.identity.profiles;
  identity["facts"] = ArrayOf(r.identity.facts, FactJson);
  j["identity"] = std::move(identity);
  j["contacts"] = ArrayOf(r.contacts, ContactJson);
  j["events"] = ArrayOf(r.events, EventJson);
  j["pages"] = ArrayOf(r.pages, PageJson);
  j["score"] = ScoreJson(r.score);
  j["findings"] = ArrayOf(r.findings, FindingJson);
  j["warnings"] = r.warnings;
  if (r.changes) j["changes"] = ChangesJson(*r.changes);
  // Page text may hold invalid UTF-8: replace it rather than throw.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace telescreen::report
