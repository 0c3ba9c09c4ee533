#include "store/scan_codec.h"

#include "core/deflate.h"
#include "model/report_json.h"
#include "store/history_store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <istream>
#include <limits>
#include <optional>
#include <set>
#include <streambuf>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace telescreen::store {

using nlohmann::json;

// A stored scan inflating to more than this is damaged (3,000 pages make 10 MB).
constexpr std::size_t kMaxStoredScanBytes = std::size_t{1} << 30;

namespace {

// ---- encoding: JSON text written straight from the model, without a
// JSON tree per item ----

// True iff `text` is UTF-8 as RFC 3629 defines it (no overlong forms, no
// surrogates, nothing above U+10FFFF): what nlohmann's dump accepts as is.
bool IsUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  auto cont = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return p + i < end && p[i] >= lo && p[i] <= hi;
  };
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
    } else if (c >= 0xC2 && c <= 0xDF && cont(1)) {
      p += 2;
    } else if (c >= 0xE0 && c <= 0xEF && cont(1, c == 0xE0 ? 0xA0 : 0x80, c == 0xED ? 0x9F : 0xBF) &&
               cont(2)) {
      p += 3;
    } else if (c >= 0xF0 && c <= 0xF4 && cont(1, c == 0xF0 ? 0x90 : 0x80, c == 0xF4 ? 0x8F : 0xBF) &&
               cont(2) && cont(3)) {
      p += 4;
    } else {
      return false;
    }
  }
  return true;
}

// Writes one JSON value into a buffer handed to `sink` in pieces of about
// 64 KB. Commas are placed by the writer: after an opening bracket or a
// key nothing, before any other value or key a comma.
class JsonWriter {
 public:
  explicit JsonWriter(const std::function<void(std::string_view)>& sink) : sink_(sink) {}
  ~JsonWriter() { Flush(); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view key) {
    Separate();
    Quoted(key);
    out_ += ':';
    after_key_ = true;
  }
  void String(std::string_view text) {
    Separate();
    Quoted(text);
  }
  void Bool(bool value) {
    Separate();
    out_ += value ? "true" : "false";
  }
  template <typename T>
  void Number(T value) {
    Separate();
    if constexpr (std::is_floating_point_v<T>) {
      if (!std::isfinite(value)) {  // as nlohmann writes them; read back as 0
        out_ += "null";
        return;
      }
    }
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
    out_.append(buf, ec == std::errc() ? end : buf);
  }
  // "key": value, for the common member types.
  void Member(std::string_view key, std::string_view text) {
    Key(key);
    String(text);
  }
  void Member(std::string_view key, const char* text) { Member(key, std::string_view(text)); }
  void Member(std::string_view key, const std::string& text) { Member(key, std::string_view(text)); }
  void Member(std::string_view key, const core::SharedString& text) { Member(key, text.view()); }
  void Member(std::string_view key, bool value) {
    Key(key);
    Bool(value);
  }
  template <typename T, typename = std::enable_if_t<std::is_arithmetic_v<T>>>
  void Member(std::string_view key, T value) {
    Key(key);
    Number(value);
  }
  void Member(std::string_view key, const std::vector<std::string>& list) {
    Key(key);
    BeginArray();
    for (const auto& item : list) String(item);
    EndArray();
  }

  void Flush() {
    if (!out_.empty()) sink_(out_);
    out_.clear();
  }

 private:
  void Open(char bracket) {
    Separate();
    out_ += bracket;
    first_ = true;
  }
  void Close(char bracket) {
    out_ += bracket;
    first_ = false;
    if (out_.size() >= kPiece) Flush();
  }
  void Separate() {
    if (after_key_) {
      after_key_ = false;
    } else if (!first_) {
      out_ += ',';
    }
    first_ = false;
  }
  // Escaped as nlohmann's dump escapes; invalid UTF-8 (rare: page text is
  // made valid when fetched) goes through nlohmann itself, which replaces
  // each bad sequence with U+FFFD, so that the history stays writable.
  void Quoted(std::string_view text) {
    if (!IsUtf8(text)) {
      out_ += json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
      return;
    }
    out_ += '"';
    std::size_t plain = 0;  // start of the run not yet copied
    for (std::size_t i = 0; i < text.size(); ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(text, plain, i - plain);
      plain = i + 1;
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\f':
          out_ += "\\f";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        default: {
          static constexpr char kHex[] = "0123456789abcdef";
          out_ += "\\u00";
          out_ += kHex[c >> 4];
          out_ += kHex[c & 0xF];
        }
      }
    }
    out_.append(text, plain, text.size() - plain);
    out_ += '"';
  }

  static constexpr std::size_t kPiece = 64 * 1024;
  const std::function<void(std::string_view)>& sink_;
  std::string out_;
  bool first_ = true;
  bool after_key_ = false;
};

void WriteEvidence(JsonWriter& w, const model::Evidence& e) {
  w.BeginObject();
  w.Member("page_url", e.page_url);
  w.Member("via", e.via);
  w.Member("excerpt", e.excerpt);
  w.Member("machine_readable", e.machine_readable);
  w.Member("visibility", model::VisibilityName(e.visibility));
  w.Member("remediation", e.remediation);
  w.EndObject();
}

void WriteEvidenceList(JsonWriter& w, const std::vector<model::Evidence>& list) {
  w.Key("evidence");
  w.BeginArray();
  for (const auto& e : list) WriteEvidence(w, e);
  w.EndArray();
}

void WriteFact(JsonWriter& w, const model::IdentityFact& f) {
  w.BeginObject();
  w.Member("kind", f.kind);
  w.Member("value", f.value);
  w.Key("evidence");
  WriteEvidence(w, f.evidence);
  w.EndObject();
}

void WriteContact(JsonWriter& w, const model::Contact& c) {
  w.BeginObject();
  w.Member("name", c.name);
  w.Member("url", c.url);
  w.Member("relation", c.relation);
  WriteEvidenceList(w, c.evidence);
  w.EndObject();
}

void WriteInteraction(JsonWriter& w, const model::Interaction& i) {
  w.BeginObject();
  w.Member("name", i.name);
  w.Member("url", i.url);
  w.Member("kind", model::InteractionKindName(i.kind));
  WriteEvidenceList(w, i.evidence);
  w.EndObject();
}

void WriteEvent(JsonWriter& w, const model::Event& e) {
  w.BeginObject();
  w.Member("name", e.name);
  w.Member("start", e.start);
  w.Member("end", e.end);
  w.Member("location", e.location);
  w.Member("url", e.url);
  w.Member("role", e.role);
  w.Member("status", e.status);
  w.Member("tense", model::TenseName(e.tense));
  w.Member("imminent", e.imminent);
  w.Member("stated_at", e.stated_at);
  w.Key("attendees");
  w.BeginArray();
  for (const model::Attendee& a : e.attendees) {
    w.BeginObject();
    w.Member("name", a.name);
    w.Member("url", a.url);
    w.EndObject();
  }
  w.EndArray();
  WriteEvidenceList(w, e.evidence);
  w.EndObject();
}

void WritePage(JsonWriter& w, const model::Page& p) {
  w.BeginObject();
  w.Member("url", p.url);
  w.Member("final_url", p.final_url);
  w.Member("status", p.status);
  w.Member("content_type", p.content_type);
  w.Member("bytes", p.bytes);
  w.Member("fetch_ms", p.fetch_ms);
  w.Member("sha256", p.sha256);
  w.Member("error", p.error);
  w.Member("truncated", p.truncated);
  w.Member("depth", p.depth);
  w.Member("visibility", model::VisibilityName(p.visibility));
  w.Member("captured_at", p.captured_at);
  w.Member("wall", model::WallName(p.wall));
  w.Member("wall_detail", p.wall_detail);
  w.EndObject();
}

void WriteCoverage(JsonWriter& w, const model::Coverage& c) {
  w.BeginObject();
  w.Member("target", c.target);
  w.Member("site", c.site);
  w.Member("seen", model::SeenName(c.seen));
  w.Member("detail", c.detail);
  w.EndObject();
}

void WriteFinding(JsonWriter& w, const model::Finding& f) {
  w.BeginObject();
  w.Member("id", f.id);
  w.Member("category", f.category);
  w.Member("title", f.title);
  w.Member("points", f.points);
  w.Member("sensitivity", f.sensitivity);
  w.Member("visibility", f.visibility);
  WriteEvidenceList(w, f.evidence);
  w.Member("remediation", f.remediation);
  w.Member("fix_key", f.fix_key);
  w.EndObject();
}

void WriteFix(JsonWriter& w, const model::Fix& f) {
  w.BeginObject();
  w.Member("id", f.id);
  w.Member("text", f.text);
  w.Member("settings_url", f.settings_url);
  w.Key("findings");
  w.BeginArray();
  for (const auto& id : f.findings) w.String(id.view());
  w.EndArray();
  w.Member("score_after", f.score_after);
  w.Member("cumulative_after", f.cumulative_after);
  w.EndObject();
}

void WriteScore(JsonWriter& w, const model::Score& s) {
  w.BeginObject();
  w.Member("total", s.total);
  w.Member("complete", s.complete);
  w.Member("level", s.level);
  w.Member("level_summary", s.level_summary);
  w.Key("categories");
  w.BeginArray();
  for (const auto& c : s.categories) {
    w.BeginObject();
    w.Member("id", c.id);
    w.Member("label", c.label);
    w.Member("score", c.score);
    w.Member("weight", c.weight);
    w.Member("summary", c.summary);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

template <typename T, typename F>
void WriteList(JsonWriter& w, std::string_view key, const std::vector<T>& list, F write) {
  w.Key(key);
  w.BeginArray();
  for (const auto& item : list) write(w, item);
  w.EndArray();
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
      return v > static_cast<std::uint64_t>(std::numeric_limits<T>::max()) ? std::numeric_limits<T>::max()
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

model::Interaction DecodeInteraction(const json& j) {
  return model::Interaction{Str(j, "name"), Str(j, "url"), model::InteractionKindFrom(Str(j, "kind")),
                            DecodeEvidenceList(j)};
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
  for (const auto& a : Arr(j, "attendees"))
    e.attendees.push_back(model::Attendee{Str(a, "name"), Str(a, "url")});
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
  f.fix_key = Str(j, "fix_key");  // absent in scans stored before it: ""
  return f;
}

model::Score DecodeScore(const json& j) {
  model::Score s;
  s.total = Num<int>(j, "total");
  s.complete = j.contains("complete") ? Bool(j, "complete") : true;  // scans stored before coverage
  s.level = Str(j, "level");
  s.level_summary = Str(j, "level_summary");
  for (const auto& c : Arr(j, "categories")) {
    s.categories.push_back(model::ScoreCategory{Str(c, "id"), Str(c, "label"), Num<double>(c, "score"),
                                                Num<double>(c, "weight"), Str(c, "summary")});
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

// A std::streambuf over an Inflater, for parsing a stored scan as it
// inflates.
class InflatingBuffer : public std::streambuf {
 public:
  // Reports the end early once `*stop` is true.
  InflatingBuffer(core::Inflater& in, const bool* stop) : in_(in), stop_(stop) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (*stop_) return traits_type::eof();
    std::size_t n = in_.Read(buf_, sizeof(buf_));
    if (n == 0) return traits_type::eof();
    setg(buf_, buf_, buf_ + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  core::Inflater& in_;
  const bool* stop_;
  char buf_[64 * 1024];
};

}  // namespace

void EncodeScanTo(const model::ScanResult& r, const std::function<void(std::string_view)>& sink) {
  // Written as it goes, in pieces: the text of a whole scan (10 MB for
  // 3,000 pages) is never held, nor a JSON tree of it (60 MB).
  JsonWriter w(sink);
  w.BeginObject();
  w.Member("codec", kScanCodecVersion);
  w.Member("now", r.now);
  w.Member("targets", r.targets);
  WriteList(w, "coverage", r.coverage, WriteCoverage);
  w.Member("interrupted", r.interrupted);
  w.Key("identity");
  w.BeginObject();
  w.Member("names", r.identity.names);
  w.Member("profiles", r.identity.profiles);
  WriteList(w, "facts", r.identity.facts, WriteFact);
  w.EndObject();
  WriteList(w, "contacts", r.contacts, WriteContact);
  WriteList(w, "interactions", r.interactions, WriteInteraction);
  WriteList(w, "events", r.events, WriteEvent);
  // Pages, findings and fixes last: a diff reads what comes before them and stops.
  w.Key("score");
  WriteScore(w, r.score);
  w.Member("warnings", r.warnings);
  WriteList(w, "pages", r.pages, WritePage);
  WriteList(w, "findings", r.findings, WriteFinding);
  WriteList(w, "fixes", r.fixes, WriteFix);
  w.EndObject();
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
    return core::MakeError(core::ErrorCode::kParse, "stored scan uses encoding " +
                                                        std::to_string(Num<int>(j, "codec")) +
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
  r.interactions =
      DecodeList<model::Interaction>(j, "interactions", DecodeInteraction);  // absent before it was added
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

namespace {

core::Error NewerCodec(std::int64_t codec) {
  return core::MakeError(core::ErrorCode::kParse, "stored scan uses encoding " + std::to_string(codec) +
                                                      ", newer than this telescreen understands");
}

// The top-level members a diff needs: all but pages and findings. Once
// each has been read, what follows is not parsed. (Interactions, a few per
// scan, are decoded with the head, not streamed.)
constexpr std::array<std::string_view, 11> kHeadMembers = {
    "codec",    "now",          "targets", "coverage", "interrupted", "identity",
    "contacts", "interactions", "events",  "score",    "warnings"};

// Keeps what DecodeStoredScanItems hands over, for DecodeStoredScan.
class CollectingSink : public ScanItemSink {
 public:
  void Contact(model::Contact contact) override { contacts.push_back(std::move(contact)); }
  void Event(model::Event event) override { events.push_back(std::move(event)); }
  void Fact(model::IdentityFact fact) override { facts.push_back(std::move(fact)); }

  std::vector<model::Contact> contacts;
  std::vector<model::Event> events;
  std::vector<model::IdentityFact> facts;
};

}  // namespace

core::Result<model::ScanResult> DecodeStoredScan(std::int64_t codec, const std::string& stored,
                                                 ScanParts parts) {
  if (codec > kScanCodecVersion) return NewerCodec(codec);
  if (parts == ScanParts::kAll) {
    if (codec < 2) return DecodeScan(stored);
    auto text = core::Inflate(stored, kMaxStoredScanBytes);
    if (!text.ok()) return text.error().WithContext("stored scan");
    return DecodeScan(text.value());
  }
  // Evidence strings that repeat (the page, the extractor, the fix: a
  // page's thousands of facts share them) are shared as they were in the
  // live scan, not copied per item.
  std::unordered_map<std::string, core::SharedString> shared;
  t_shared = &shared;
  struct Reset {
    ~Reset() { t_shared = nullptr; }
  } reset;
  CollectingSink sink;
  auto decoded = DecodeStoredScanItems(codec, stored, sink);
  if (!decoded.ok()) return decoded;
  model::ScanResult r = std::move(decoded).value();
  r.contacts = std::move(sink.contacts);
  r.events = std::move(sink.events);
  r.identity.facts = std::move(sink.facts);
  return r;
}

namespace {

// DecodeStoredScanItems over codec 1's whole text (`text`) or a deflated
// codec's pieces (`next_piece`).
core::Result<model::ScanResult> DecodeItems(std::int64_t codec, const std::string* text,
                                            const std::function<std::string_view()>* next_piece,
                                            ScanItemSink& sink) {
  if (codec > kScanCodecVersion) return NewerCodec(codec);
  // Each contact, event and identity fact is decoded as soon as it is read
  // and its JSON dropped; the other top-level members are kept in `head`
  // as each ends, so that parsing can stop at the pages. ("now" comes
  // before the events from codec 2 on; codec 1 sorted its keys, so its
  // events wait in `head` for it.)
  struct Streamed {
    std::string member;     // the top-level member being read
    std::string submember;  // the member of "identity" being read
    std::optional<core::TimePoint> now;
    bool now_known = false;
    std::set<std::string_view> head_read;  // members of kHeadMembers read so far
    bool stop = false;                     // all of kHeadMembers read: stop at the pages
    json head = json::object();
  } s;
  const bool stream = codec >= 2;
  json::parser_callback_t cb = [&s, &sink, stream](int depth, json::parse_event_t event, json& parsed) {
    using E = json::parse_event_t;
    if (event == E::key && parsed.is_string()) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (depth == 1) {
        s.member = key;
        if (key != "pages" && key != "findings" && key != "fixes") return true;
        if (stream && s.head_read.size() == kHeadMembers.size()) s.stop = true;
        return false;
      }
      if (depth == 2) s.submember = key;
      return true;
    }
    if (depth == 1 && (event == E::value || event == E::object_end || event == E::array_end)) {
      if (s.member == "now" && parsed.is_string()) {
        if (auto t = core::ParseNow(parsed.get_ref<const std::string&>()); t.ok()) s.now = t.value();
        s.now_known = true;
      }
      auto known = std::find(kHeadMembers.begin(), kHeadMembers.end(), s.member);
      if (known == kHeadMembers.end()) return false;
      s.head_read.insert(*known);
      s.head[s.member] = std::move(parsed);
      return false;
    }
    if (!stream || event != E::object_end) return true;
    if (depth == 2 && s.member == "contacts") {
      sink.Contact(DecodeContact(parsed));
      return false;
    }
    if (depth == 2 && s.member == "events" && s.now_known) {
      sink.Event(DecodeEvent(parsed, s.now));
      return false;
    }
    if (depth == 3 && s.member == "identity" && s.submember == "facts") {
      sink.Fact(DecodeFact(parsed));
      return false;
    }
    return true;
  };
  json j;
  if (stream) {
    // Inflated as the parser reads: the 10 MB of text for 3,000 pages are
    // never in memory at once. Once `stop` is set the buffer reports the
    // end, and the parse error that follows is expected.
    core::Inflater inflater(*next_piece, kMaxStoredScanBytes);
    InflatingBuffer buffer(inflater, &s.stop);
    std::istream in(&buffer);
    j = json::parse(in, cb, /*allow_exceptions=*/false);
    if (!s.stop && !inflater.status().ok()) {
      return inflater.status().error().WithContext("stored scan");
    }
  } else {
    j = json::parse(*text, cb, /*allow_exceptions=*/false);
  }
  if (!s.stop && (j.is_discarded() || !j.is_object())) return DecodeParsed(j);  // the error
  auto decoded = DecodeParsed(s.head);
  if (!decoded.ok()) return decoded;
  model::ScanResult r = std::move(decoded).value();
  // Items that could not be streamed (codec 1's events) were kept in `head`.
  for (auto& c : r.contacts) sink.Contact(std::move(c));
  for (auto& e : r.events) sink.Event(std::move(e));
  for (auto& f : r.identity.facts) sink.Fact(std::move(f));
  r.contacts.clear();
  r.events.clear();
  r.identity.facts.clear();
  return r;
}

}  // namespace

core::Result<model::ScanResult> DecodeStoredScanItems(std::int64_t codec, const std::string& stored,
                                                      ScanItemSink& sink) {
  if (codec < 2) return DecodeItems(codec, &stored, nullptr, sink);
  bool handed = false;
  std::function<std::string_view()> whole = [&stored, &handed]() -> std::string_view {
    if (handed) return {};
    handed = true;
    return stored;
  };
  return DecodeItems(codec, nullptr, &whole, sink);
}

core::Result<model::ScanResult> DecodeStoredScanItems(std::int64_t codec,
                                                      const std::function<std::string_view()>& next_piece,
                                                      ScanItemSink& sink) {
  if (codec >= 2) return DecodeItems(codec, nullptr, &next_piece, sink);
  std::string text;  // codec 1: plain text, parsed whole
  for (std::string_view piece = next_piece(); !piece.empty(); piece = next_piece()) text += piece;
  return DecodeItems(codec, &text, nullptr, sink);
}

std::string EncodeChangesJson(const model::Changes& c, int score_after) {
  // The report's shape, with the later scan's score after the earlier one's.
  model::OrderedJson changes = model::ChangesJson(c);
  model::OrderedJson out;
  for (auto& [key, value] : changes.items()) {
    out[key] = std::move(value);
    if (key == "previous_complete") {
      out["score"] = score_after;
      out["score_change"] = score_after - c.previous_score;
    }
  }
  return out.dump(2, ' ', false, json::error_handler_t::replace);
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
