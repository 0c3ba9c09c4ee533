#include "store/scan_codec.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

namespace telescreen::store {

using nlohmann::json;

namespace {

// ---- encoding ----

json EncodeEvidence(const model::Evidence& e) {
  return json{{"page_url", e.page_url},
              {"via", e.via},
              {"excerpt", e.excerpt},
              {"machine_readable", e.machine_readable},
              {"visibility", model::VisibilityName(e.visibility)}};
}

json EncodeEvidenceList(const std::vector<model::Evidence>& list) {
  json out = json::array();
  for (const auto& e : list) out.push_back(EncodeEvidence(e));
  return out;
}

json EncodeFact(const model::IdentityFact& f) {
  return json{{"kind", f.kind}, {"value", f.value}, {"evidence", EncodeEvidence(f.evidence)}};
}

json EncodeContact(const model::Contact& c) {
  return json{{"name", c.name},
              {"url", c.url},
              {"relation", c.relation},
              {"evidence", EncodeEvidenceList(c.evidence)}};
}

json EncodeEvent(const model::Event& e) {
  return json{{"name", e.name},         {"start", e.start},
              {"end", e.end},           {"location", e.location},
              {"url", e.url},           {"role", e.role},
              {"tense", model::TenseName(e.tense)},
              {"evidence", EncodeEvidenceList(e.evidence)}};
}

json EncodePage(const model::Page& p) {
  return json{{"url", p.url},
              {"final_url", p.final_url},
              {"status", p.status},
              {"content_type", p.content_type},
              {"bytes", p.bytes},
              {"fetch_ms", p.fetch_ms},
              {"sha256", p.sha256},
              {"error", p.error},
              {"truncated", p.truncated},
              {"depth", p.depth},
              {"visibility", model::VisibilityName(p.visibility)}};
}

json EncodeFinding(const model::Finding& f) {
  return json{{"id", f.id},
              {"category", f.category},
              {"title", f.title},
              {"points", f.points},
              {"sensitivity", f.sensitivity},
              {"visibility", f.visibility},
              {"evidence", EncodeEvidenceList(f.evidence)},
              {"remediation", f.remediation}};
}

json EncodeScore(const model::Score& s) {
  json categories = json::array();
  for (const auto& c : s.categories) {
    categories.push_back(json{{"id", c.id},
                              {"label", c.label},
                              {"score", c.score},
                              {"weight", c.weight},
                              {"summary", c.summary}});
  }
  return json{{"total", s.total}, {"level", s.level}, {"categories", std::move(categories)}};
}

template <typename T, typename F>
json EncodeList(const std::vector<T>& list, F encode) {
  json out = json::array();
  for (const auto& item : list) out.push_back(encode(item));
  return out;
}

// ---- decoding: tolerant of missing fields, strict about nothing else ----

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Numbers are clamped to T's range: a damaged row must not trigger an
// out-of-range conversion.
template <typename T>
T Num(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return T{};
  if constexpr (std::is_floating_point_v<T>) {
    return it->get<T>();
  } else {
    if (it->is_number_unsigned()) {
      auto v = it->get<std::uint64_t>();
      return v > static_cast<std::uint64_t>(std::numeric_limits<T>::max())
                 ? std::numeric_limits<T>::max()
                 : static_cast<T>(v);
    }
    double v = it->get<double>();
    if (!(v >= static_cast<double>(std::numeric_limits<T>::min()))) {
      return std::numeric_limits<T>::min();
    }
    if (v >= static_cast<double>(std::numeric_limits<T>::max())) {
      return std::numeric_limits<T>::max();
    }
    return static_cast<T>(v);
  }
}

bool Bool(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

const json& Arr(const json& j, const char* key) {
  static const json kEmpty = json::array();
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : kEmpty;
}

const json& Obj(const json& j, const char* key) {
  static const json kEmpty = json::object();
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}

model::Visibility DecodeVisibility(const std::string& text) {
  return text == "members-only" ? model::Visibility::kMembersOnly : model::Visibility::kPublic;
}

model::Tense DecodeTense(const std::string& text) {
  if (text == "past") return model::Tense::kPast;
  if (text == "future") return model::Tense::kFuture;
  return model::Tense::kUnknown;
}

model::Evidence DecodeEvidence(const json& j) {
  model::Evidence e;
  if (!j.is_object()) return e;
  e.page_url = Str(j, "page_url");
  e.via = Str(j, "via");
  e.excerpt = Str(j, "excerpt");
  e.machine_readable = Bool(j, "machine_readable");
  e.visibility = DecodeVisibility(Str(j, "visibility"));
  return e;
}

std::vector<model::Evidence> DecodeEvidenceList(const json& j) {
  std::vector<model::Evidence> out;
  for (const auto& item : Arr(j, "evidence")) out.push_back(DecodeEvidence(item));
  return out;
}

model::IdentityFact DecodeFact(const json& j) {
  return model::IdentityFact{Str(j, "kind"), Str(j, "value"), DecodeEvidence(Obj(j, "evidence"))};
}

model::Contact DecodeContact(const json& j) {
  return model::Contact{Str(j, "name"), Str(j, "url"), Str(j, "relation"), DecodeEvidenceList(j)};
}

model::Event DecodeEvent(const json& j) {
  model::Event e;
  e.name = Str(j, "name");
  e.start = Str(j, "start");
  e.end = Str(j, "end");
  e.location = Str(j, "location");
  e.url = Str(j, "url");
  e.role = Str(j, "role");
  e.tense = DecodeTense(Str(j, "tense"));
  e.evidence = DecodeEvidenceList(j);
  return e;
}

model::Page DecodePage(const json& j) {
  model::Page p;
  p.url = Str(j, "url");
  p.final_url = Str(j, "final_url");
  p.status = Num<int>(j, "status");
  p.content_type = Str(j, "content_type");
  p.bytes = Num<std::uint64_t>(j, "bytes");
  p.fetch_ms = Num<double>(j, "fetch_ms");
  p.sha256 = Str(j, "sha256");
  p.error = Str(j, "error");
  p.truncated = Bool(j, "truncated");
  p.depth = Num<int>(j, "depth");
  p.visibility = DecodeVisibility(Str(j, "visibility"));
  return p;
}

model::Finding DecodeFinding(const json& j) {
  model::Finding f;
  f.id = Str(j, "id");
  f.category = Str(j, "category");
  f.title = Str(j, "title");
  f.points = Num<double>(j, "points");
  f.sensitivity = Num<double>(j, "sensitivity");
  f.visibility = Num<double>(j, "visibility");
  f.evidence = DecodeEvidenceList(j);
  f.remediation = Str(j, "remediation");
  return f;
}

model::Score DecodeScore(const json& j) {
  model::Score s;
  s.total = Num<int>(j, "total");
  s.level = Str(j, "level");
  for (const auto& c : Arr(j, "categories")) {
    s.categories.push_back(model::ScoreCategory{Str(c, "id"), Str(c, "label"),
                                                Num<double>(c, "score"), Num<double>(c, "weight"),
                                                Str(c, "summary")});
  }
  return s;
}

std::vector<std::string> DecodeStrings(const json& j, const char* key) {
  std::vector<std::string> out;
  for (const auto& item : Arr(j, key)) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

template <typename T, typename F>
std::vector<T> DecodeList(const json& j, const char* key, F decode) {
  std::vector<T> out;
  for (const auto& item : Arr(j, key)) {
    if (item.is_object()) out.push_back(decode(item));
  }
  return out;
}

// ---- the changes JSON ----

json SourcesOf(const std::vector<model::Evidence>& evidence) {
  json out = json::array();
  for (const auto& e : evidence) {
    if (!e.page_url.empty() && std::find(out.begin(), out.end(), e.page_url) == out.end()) {
      out.push_back(e.page_url);
    }
  }
  return out;
}

json NullIfEmpty(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

json ChangedContact(const model::Contact& c) {
  return json{{"name", c.name},
              {"url", NullIfEmpty(c.url)},
              {"relation", c.relation},
              {"sources", SourcesOf(c.evidence)}};
}

json ChangedEvent(const model::Event& e) {
  return json{{"name", e.name},
              {"start", e.start},
              {"end", NullIfEmpty(e.end)},
              {"location", NullIfEmpty(e.location)},
              {"url", NullIfEmpty(e.url)},
              {"tense", model::TenseName(e.tense)},
              {"sources", SourcesOf(e.evidence)}};
}

}  // namespace

std::string EncodeScan(const model::ScanResult& r) {
  json identity{{"names", r.identity.names},
                {"profiles", r.identity.profiles},
                {"facts", EncodeList(r.identity.facts, EncodeFact)}};
  json j{{"codec", kScanCodecVersion},
         {"now", r.now},
         {"targets", r.targets},
         {"identity", std::move(identity)},
         {"contacts", EncodeList(r.contacts, EncodeContact)},
         {"events", EncodeList(r.events, EncodeEvent)},
         {"pages", EncodeList(r.pages, EncodePage)},
         {"findings", EncodeList(r.findings, EncodeFinding)},
         {"score", EncodeScore(r.score)},
         {"warnings", r.warnings}};
  // Invalid UTF-8 from a page must not make the history unwritable.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

core::Result<model::ScanResult> DecodeScan(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return core::MakeError(core::ErrorCode::kParse, "stored scan is not a JSON object");
  }
  if (Num<int>(j, "codec") > kScanCodecVersion) {
    return core::MakeError(core::ErrorCode::kParse,
                           "stored scan uses encoding " + std::to_string(Num<int>(j, "codec")) +
                               ", newer than this telescreen understands");
  }
  model::ScanResult r;
  r.now = Str(j, "now");
  r.targets = DecodeStrings(j, "targets");
  const json& identity = Obj(j, "identity");
  r.identity.names = DecodeStrings(identity, "names");
  r.identity.profiles = DecodeStrings(identity, "profiles");
  r.identity.facts = DecodeList<model::IdentityFact>(identity, "facts", DecodeFact);
  r.contacts = DecodeList<model::Contact>(j, "contacts", DecodeContact);
  r.events = DecodeList<model::Event>(j, "events", DecodeEvent);
  r.pages = DecodeList<model::Page>(j, "pages", DecodePage);
  r.findings = DecodeList<model::Finding>(j, "findings", DecodeFinding);
  r.score = DecodeScore(Obj(j, "score"));
  r.warnings = DecodeStrings(j, "warnings");
  return r;
}

std::string EncodeChangesJson(const model::Changes& c, int score_after) {
  json newly_public = json::array();
  for (const auto& f : c.newly_public) {
    newly_public.push_back(
        json{{"kind", f.kind}, {"value", f.value}, {"source", NullIfEmpty(f.evidence.page_url)}});
  }
  json j{{"previous_scan_id", c.previous_scan_id},
         {"previous_now", c.previous_now},
         {"score",
          json{{"before", c.previous_score},
               {"after", score_after},
               {"change", score_after - c.previous_score}}},
         {"new_contacts", EncodeList(c.new_contacts, ChangedContact)},
         {"removed_contacts", EncodeList(c.removed_contacts, ChangedContact)},
         {"new_events", EncodeList(c.new_events, ChangedEvent)},
         {"removed_events", EncodeList(c.removed_events, ChangedEvent)},
         {"new_plans", EncodeList(c.new_plans, ChangedEvent)},
         {"removed_plans", EncodeList(c.removed_plans, ChangedEvent)},
         {"newly_public", std::move(newly_public)}};
  return j.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace telescreen::store
