#include "store/scan_codec.h"

#include "core/deflate.h"
#include "store/history_store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <istream>
#include <streambuf>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace telescreen::store {

using nlohmann::json;

// A stored scan inflating to more than this is damaged (3,000 pages make 10 MB).
constexpr std::size_t kMaxStoredScanBytes = std::size_t{1} << 30;

namespace {

// ---- encoding ----

json EncodeEvidence(const model::Evidence& e) {
  return json{{"page_url", e.page_url},
              {"via", e.via},
              {"excerpt", e.excerpt},
              {"machine_readable", e.machine_readable},
              {"visibility", model::VisibilityName(e.visibility)},
              {"remediation", e.remediation}};
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
              {"status", e.status},     {"tense", model::TenseName(e.tense)},
              {"imminent", e.imminent}, {"stated_at", e.stated_at},
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
              {"visibility", model::VisibilityName(p.visibility)},
              {"captured_at", p.captured_at},
              {"wall", model::WallName(p.wall)},
              {"wall_detail", p.wall_detail}};
}

json EncodeCoverage(const model::Coverage& c) {
  return json{{"target", c.target},
              {"site", c.site},
              {"seen", model::SeenName(c.seen)},
              {"detail", c.detail}};
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

json EncodeFix(const model::Fix& f) {
  json ids = json::array();
  for (const auto& id : f.findings) ids.push_back(id.view());
  return json{{"id", f.id},
              {"text", f.text},
              {"settings_url", f.settings_url},
              {"findings", std::move(ids)},
              {"score_after", f.score_after},
              {"cumulative_after", f.cumulative_after}};
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
  return json{{"total", s.total},
              {"complete", s.complete},
              {"level", s.level},
              {"level_summary", s.level_summary},
              {"categories", std::move(categories)}};
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

// While a stored scan is decoded for a diff, evidence strings that repeat
// (the page, the extractor, the fix: a page's thousands of facts share them)
// are shared as they were in the live scan, not copied per item. Set by
// DecodeStoredScan for the length of one decode, on its own thread.
thread_local std::unordered_map<std::string, core::SharedString>* t_shared = nullptr;

core::SharedString Shared(const json& j, const char* key) {
  std::string s = Str(j, key);
  if (t_shared == nullptr || s.empty()) return core::SharedString(s);
  auto [it, inserted] = t_shared->try_emplace(s);
  if (inserted) it->second = core::SharedString(s);
  return it->second;
}

model::Evidence DecodeEvidence(const json& j) {
  model::Evidence e;
  if (!j.is_object()) return e;
  e.page_url = Shared(j, "page_url");
  e.via = Shared(j, "via");
  e.excerpt = Str(j, "excerpt");
  e.machine_readable = Bool(j, "machine_readable");
  e.visibility = DecodeVisibility(Str(j, "visibility"));
  e.remediation = Shared(j, "remediation");
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

// `now` is the scan's reference time: scans stored before Event::imminent
// existed get it recomputed (the same model::IsImminent merge uses).
model::Event DecodeEvent(const json& j, std::optional<core::TimePoint> now) {
  model::Event e;
  e.name = Str(j, "name");
  e.start = Str(j, "start");
  e.end = Str(j, "end");
  e.location = Str(j, "location");
  e.url = Str(j, "url");
  e.role = Str(j, "role");
  e.status = Str(j, "status");
  e.stated_at = Str(j, "stated_at");
  e.tense = DecodeTense(Str(j, "tense"));
  if (auto it = j.find("imminent"); it != j.end() && it->is_boolean()) {
    e.imminent = it->get<bool>();
  } else if (now) {
    e.imminent = model::IsImminent(e, *now);
  }
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
  p.captured_at = Str(j, "captured_at");
  p.wall = model::ParseWall(Str(j, "wall")).value_or(model::Wall::kNone);
  p.wall_detail = Str(j, "wall_detail");
  return p;
}

model::Coverage DecodeCoverage(const json& j) {
  model::Coverage c;
  c.target = Str(j, "target");
  c.site = Str(j, "site");
  // An unknown word from a later version reads as not fully seen.
  c.seen = model::ParseSeen(Str(j, "seen")).value_or(model::Seen::kPartial);
  c.detail = Str(j, "detail");
  return c;
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
  s.complete = j.contains("complete") ? Bool(j, "complete") : true;  // scans stored before coverage
  s.level = Str(j, "level");
  s.level_summary = Str(j, "level_summary");
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

model::Fix DecodeFix(const json& j) {
  model::Fix f;
  f.id = Str(j, "id");
  f.text = Str(j, "text");
  f.settings_url = Str(j, "settings_url");
  for (const auto& id : DecodeStrings(j, "findings")) f.findings.emplace_back(id);
  f.score_after = Num<int>(j, "score_after");
  f.cumulative_after = Num<int>(j, "cumulative_after");
  return f;
}

template <typename T, typename F>
std::vector<T> DecodeList(const json& j, const char* key, F decode) {
  std::vector<T> out;
  for (const auto& item : Arr(j, key)) {
    if (item.is_object()) out.push_back(decode(item));
  }
  return out;
}

// ---- the changes JSON: the same shape (and key order) as the report's
// "changes" ----

using ojson = nlohmann::ordered_json;

template <typename T, typename F>
ojson OrderedList(const std::vector<T>& list, F encode) {
  ojson out = ojson::array();
  for (const auto& item : list) out.push_back(encode(item));
  return out;
}

ojson SourcesOf(const std::vector<model::Evidence>& evidence) {
  std::set<std::string> urls;
  for (const auto& e : evidence) urls.insert(e.page_url.str());
  return ojson(urls);
}

ojson ViasOf(const std::vector<model::Evidence>& evidence) {
  std::set<std::string> vias;
  for (const auto& e : evidence) vias.insert(e.via.str());
  return ojson(vias);
}

std::string VisibilityOf(const std::vector<model::Evidence>& evidence) {
  for (const auto& e : evidence) {
    if (e.visibility == model::Visibility::kPublic) return "public";
  }
  return evidence.empty() ? "public" : "members-only";
}

ojson NullIfEmpty(std::string_view text) { return text.empty() ? ojson(nullptr) : ojson(text); }

ojson ChangedContact(const model::Contact& c) {
  return ojson{{"name", c.name},
              {"url", NullIfEmpty(c.url)},
              {"relation", c.relation},
              {"sources", SourcesOf(c.evidence)},
              {"visibility", VisibilityOf(c.evidence)},
              {"via", ViasOf(c.evidence)}};
}

ojson ChangedEvent(const model::Event& e) {
  return ojson{{"name", e.name},
              {"start", e.start},
              {"end", NullIfEmpty(e.end)},
              {"location", NullIfEmpty(e.location)},
              {"url", NullIfEmpty(e.url)},
              {"tense", model::TenseName(e.tense)},
              {"imminent", e.imminent},
              {"role", NullIfEmpty(e.role)},
              {"sources", SourcesOf(e.evidence)},
              {"visibility", VisibilityOf(e.evidence)},
              {"via", ViasOf(e.evidence)}};
}

ojson ChangedFact(const model::IdentityFact& f) {
  return ojson{{"kind", f.kind},
              {"value", f.value},
              {"source", f.evidence.page_url},
              {"via", f.evidence.via},
              {"machine_readable", f.evidence.machine_readable},
              {"visibility", model::VisibilityName(f.evidence.visibility)}};
}

// A std::streambuf over an Inflater, for parsing a stored scan as it
// inflates.
class InflatingBuffer : public std::streambuf {
 public:
  explicit InflatingBuffer(core::Inflater& in) : in_(in) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    std::size_t n = in_.Read(buf_, sizeof(buf_));
    if (n == 0) return traits_type::eof();
    setg(buf_, buf_, buf_ + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  core::Inflater& in_;
  char buf_[64 * 1024];
};

// Writes the object's members one at a time, each list one item at a
// time: only one item's JSON tree exists at once, never the whole scan's
// (for 3,000 pages that tree was 60 MB).
class StreamEncoder {
 public:
  explicit StreamEncoder(const std::function<void(std::string_view)>& sink) : sink_(sink) {}

  void Open() { sink_("{"); }
  void Close() { sink_("}"); }
  void Member(const char* key, const json& value) {
    Key(key);
    Dump(value);
  }
  template <typename T, typename F>
  void List(const char* key, const std::vector<T>& items, F encode) {
    Key(key);
    sink_("[");
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) sink_(",");
      Dump(encode(items[i]));
    }
    sink_("]");
  }
  // An object member whose members the caller writes next.
  void OpenObject(const char* key) {
    Key(key);
    sink_("{");
    first_ = true;
  }

 private:
  void Key(const char* key) {
    if (!first_) sink_(",");
    first_ = false;
    sink_(json(key).dump());
    sink_(":");
  }
  void Dump(const json& value) {
    // Invalid UTF-8 from a page must not make the history unwritable.
    buffer_ = value.dump(-1, ' ', false, json::error_handler_t::replace);
    sink_(buffer_);
  }

  const std::function<void(std::string_view)>& sink_;
  std::string buffer_;
  bool first_ = true;
};

}  // namespace

void EncodeScanTo(const model::ScanResult& r, const std::function<void(std::string_view)>& sink) {
  StreamEncoder e(sink);
  e.Open();
  e.Member("codec", kScanCodecVersion);
  e.Member("now", r.now);
  e.Member("targets", r.targets);
  e.List("coverage", r.coverage, EncodeCoverage);
  e.Member("interrupted", r.interrupted);
  e.OpenObject("identity");
  e.Member("names", r.identity.names);
  e.Member("profiles", r.identity.profiles);
  e.List("facts", r.identity.facts, EncodeFact);
  e.Close();
  e.List("contacts", r.contacts, EncodeContact);
  e.List("events", r.events, EncodeEvent);
  e.List("pages", r.pages, EncodePage);
  e.List("findings", r.findings, EncodeFinding);
  e.List("fixes", r.fixes, EncodeFix);
  e.Member("score", EncodeScore(r.score));
  e.Member("warnings", r.warnings);
  e.Close();
}

std::string EncodeScan(const model::ScanResult& r) {
  std::string out;
  EncodeScanTo(r, [&out](std::string_view piece) { out += piece; });
  return out;
}

namespace {

core::Result<model::ScanResult> DecodeParsed(const json& j);

}  // namespace

core::Result<model::ScanResult> DecodeScan(const std::string& text) {
  return DecodeParsed(json::parse(text, nullptr, /*allow_exceptions=*/false));
}

namespace {

core::Result<model::ScanResult> DecodeParsed(const json& j) {
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
  r.coverage = DecodeList<model::Coverage>(j, "coverage", DecodeCoverage);
  if (auto it = j.find("interrupted"); it != j.end() && it->is_boolean()) r.interrupted = it->get<bool>();
  const json& identity = Obj(j, "identity");
  r.identity.names = DecodeStrings(identity, "names");
  r.identity.profiles = DecodeStrings(identity, "profiles");
  r.identity.facts = DecodeList<model::IdentityFact>(identity, "facts", DecodeFact);
  r.contacts = DecodeList<model::Contact>(j, "contacts", DecodeContact);
  std::optional<core::TimePoint> now;
  if (auto parsed = core::ParseNow(r.now); parsed.ok()) now = parsed.value();
  r.events = DecodeList<model::Event>(j, "events", [&](const json& e) { return DecodeEvent(e, now); });
  r.pages = DecodeList<model::Page>(j, "pages", DecodePage);
  r.findings = DecodeList<model::Finding>(j, "findings", DecodeFinding);
  r.fixes = DecodeList<model::Fix>(j, "fixes", DecodeFix);  // absent in scans stored before fixes
  r.score = DecodeScore(Obj(j, "score"));
  r.warnings = DecodeStrings(j, "warnings");
  return r;
}

}  // namespace

core::Result<model::ScanResult> DecodeStoredScan(std::int64_t codec, const std::string& stored,
                                                 ScanParts parts) {
  if (codec > kScanCodecVersion) {
    return core::MakeError(core::ErrorCode::kParse, "stored scan uses encoding " + std::to_string(codec) +
                                                        ", newer than this telescreen understands");
  }
  if (parts == ScanParts::kAll) {
    if (codec < 2) return DecodeScan(stored);
    auto text = core::Inflate(stored, kMaxStoredScanBytes);
    if (!text.ok()) return text.error().WithContext("stored scan");
    return DecodeScan(text.value());
  }
  // For a diff: pages and findings are parsed past, never built, and each
  // contact, event and identity fact is decoded as soon as it is read and
  // its JSON dropped, so no tree of the whole scan is ever built. ("now"
  // comes before the events in codec 2; codec 1 sorted its keys.)
  struct Streamed {
    std::string member;     // the top-level member being read
    std::string submember;  // the member of "identity" being read
    std::optional<core::TimePoint> now;
    bool now_known = false;
    std::vector<model::Contact> contacts;
    std::vector<model::Event> events;
    std::vector<model::IdentityFact> facts;
  } s;
  const bool stream = codec >= 2;
  json::parser_callback_t cb = [&s, stream](int depth, json::parse_event_t event, json& parsed) {
    using E = json::parse_event_t;
    if (event == E::key && parsed.is_string()) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (depth == 1) {
        s.member = key;
        return key != "pages" && key != "findings" && key != "fixes";
      }
      if (depth == 2) s.submember = key;
      return true;
    }
    if (!stream) return true;
    if (event == E::value && depth == 1 && s.member == "now" && parsed.is_string()) {
      if (auto t = core::ParseNow(parsed.get_ref<const std::string&>()); t.ok()) s.now = t.value();
      s.now_known = true;
      return true;
    }
    if (event != E::object_end) return true;
    if (depth == 2 && s.member == "contacts") {
      s.contacts.push_back(DecodeContact(parsed));
      return false;
    }
    if (depth == 2 && s.member == "events" && s.now_known) {
      s.events.push_back(DecodeEvent(parsed, s.now));
      return false;
    }
    if (depth == 3 && s.member == "identity" && s.submember == "facts") {
      s.facts.push_back(DecodeFact(parsed));
      return false;
    }
    return true;
  };
  std::unordered_map<std::string, core::SharedString> shared;
  t_shared = &shared;
  struct Reset {
    ~Reset() { t_shared = nullptr; }
  } reset;
  json j;
  if (stream) {
    // Inflated as the parser reads: the 10 MB of text for 3,000 pages are
    // never in memory at once.
    core::Inflater inflater(stored, kMaxStoredScanBytes);
    InflatingBuffer buffer(inflater);
    std::istream in(&buffer);
    j = json::parse(in, cb, /*allow_exceptions=*/false);
    if (!inflater.status().ok()) return inflater.status().error().WithContext("stored scan");
  } else {
    j = json::parse(stored, cb, /*allow_exceptions=*/false);
  }
  auto decoded = DecodeParsed(j);
  if (!decoded.ok()) return decoded;
  model::ScanResult r = std::move(decoded).value();
  if (!s.contacts.empty()) r.contacts = std::move(s.contacts);
  if (!s.events.empty()) r.events = std::move(s.events);
  if (!s.facts.empty()) r.identity.facts = std::move(s.facts);
  return r;
}

std::string EncodeChangesJson(const model::Changes& c, int score_after) {
  ojson j;
  j["previous_scan_id"] = c.previous_scan_id;
  j["previous_now"] = c.previous_now;
  j["previous_score"] = c.previous_score;
  j["previous_complete"] = c.previous_complete;
  j["score"] = score_after;
  j["score_change"] = score_after - c.previous_score;
  j["new_contacts"] = OrderedList(c.new_contacts, ChangedContact);
  j["removed_contacts"] = OrderedList(c.removed_contacts, ChangedContact);
  j["new_events"] = OrderedList(c.new_events, ChangedEvent);
  j["removed_events"] = OrderedList(c.removed_events, ChangedEvent);
  j["new_plans"] = OrderedList(c.new_plans, ChangedEvent);
  j["removed_plans"] = OrderedList(c.removed_plans, ChangedEvent);
  j["newly_public"] = OrderedList(c.newly_public, ChangedFact);
  return j.dump(2, ' ', false, json::error_handler_t::replace);
}

std::string EncodeSummariesJson(const std::vector<ScanSummary>& scans) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& s : scans) {
    nlohmann::ordered_json j;
    j["id"] = s.id;
    j["now"] = s.now;
    j["recorded_at"] = s.recorded_at;
    j["targets"] = s.targets;
    j["score"] = s.score;
    j["level"] = s.level;
    j["contacts"] = s.contacts;
    j["events"] = s.events;
    j["plans"] = s.plans;
    j["pages"] = s.pages;
    out.push_back(std::move(j));
  }
  return out.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace telescreen::store
