#include "model/report_json.h"

#include <set>
#include <string>
#include <vector>

namespace telescreen::model {
namespace {

// One member of every piece of evidence (its page, its method), sorted and
// distinct.
OrderedJson Distinct(const std::vector<Evidence>& evidence, core::SharedString Evidence::*member) {
  std::set<std::string> values;
  for (const auto& e : evidence) values.insert((e.*member).str());
  OrderedJson out = OrderedJson::array();
  for (const auto& v : values) out.push_back(v);
  return out;
}

// Pages an item was seen on; the methods that found it.
OrderedJson Sources(const std::vector<Evidence>& evidence) { return Distinct(evidence, &Evidence::page_url); }
OrderedJson Vias(const std::vector<Evidence>& evidence) { return Distinct(evidence, &Evidence::via); }

// "public" if any page showed it without login, else "members-only".
std::string ItemVisibility(const std::vector<Evidence>& evidence) {
  for (const auto& e : evidence) {
    if (e.visibility == Visibility::kPublic) return "public";
  }
  return evidence.empty() ? "public" : "members-only";
}

template <typename T, typename F>
OrderedJson ArrayOf(const std::vector<T>& items, F to_json) {
  OrderedJson out = OrderedJson::array();
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

}  // namespace

OrderedJson JsonOrNull(std::string_view text) {
  return text.empty() ? OrderedJson(nullptr) : OrderedJson(text);
}

OrderedJson FactJson(const IdentityFact& f) {
  OrderedJson j;
  j["kind"] = f.kind;
  j["value"] = f.value;
  j["source"] = f.evidence.page_url;
  j["via"] = f.evidence.via;
  j["machine_readable"] = f.evidence.machine_readable;
  j["visibility"] = VisibilityName(f.evidence.visibility);
  return j;
}

OrderedJson ContactJson(const Contact& c) {
  OrderedJson j;
  j["name"] = c.name;
  j["url"] = JsonOrNull(c.url);
  j["relation"] = c.relation;
  j["sources"] = Sources(c.evidence);
  j["visibility"] = ItemVisibility(c.evidence);
  j["via"] = Vias(c.evidence);
  return j;
}

OrderedJson InteractionJson(const Interaction& i) {
  OrderedJson j;
  j["name"] = i.name;
  j["url"] = JsonOrNull(i.url);
  j["kind"] = InteractionKindName(i.kind);
  j["sources"] = Sources(i.evidence);
  return j;
}

OrderedJson EventJson(const Event& e) {
  OrderedJson j;
  j["name"] = e.name;
  j["start"] = e.start;
  j["end"] = JsonOrNull(e.end);
  j["location"] = JsonOrNull(e.location);
  j["url"] = JsonOrNull(e.url);
  j["tense"] = TenseName(e.tense);
  j["imminent"] = e.imminent;
  j["role"] = JsonOrNull(e.role);
  j["status"] = JsonOrNull(e.status);
  j["stated_at"] = JsonOrNull(e.stated_at);
  OrderedJson attendees = OrderedJson::array();
  for (const Attendee& a : e.attendees) {
    attendees.push_back(OrderedJson{{"name", a.name}, {"url", JsonOrNull(a.url)}});
  }
  j["attendees"] = std::move(attendees);
  j["sources"] = Sources(e.evidence);
  j["visibility"] = ItemVisibility(e.evidence);
  j["via"] = Vias(e.evidence);
  return j;
}

OrderedJson ChangesJson(const Changes& c) {
  OrderedJson j;
  j["previous_scan_id"] = c.previous_scan_id;
  j["previous_now"] = c.previous_now;
  j["previous_score"] = c.previous_score;
  j["previous_complete"] = c.previous_complete;
  j["new_contacts"] = ArrayOf(c.new_contacts, ContactJson);
  j["removed_contacts"] = ArrayOf(c.removed_contacts, ContactJson);
  j["new_interactions"] = ArrayOf(c.new_interactions, InteractionJson);
  j["removed_interactions"] = ArrayOf(c.removed_interactions, InteractionJson);
  j["new_events"] = ArrayOf(c.new_events, EventJson);
  j["removed_events"] = ArrayOf(c.removed_events, EventJson);
  j["new_plans"] = ArrayOf(c.new_plans, EventJson);
  j["removed_plans"] = ArrayOf(c.removed_plans, EventJson);
  j["newly_public"] = ArrayOf(c.newly_public, FactJson);
  return j;
}

}  // namespace telescreen::model
