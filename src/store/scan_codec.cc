#include "store/scan_codec.h"

#include "core/deflate.h"
#include "core/json_text.h"
#include "core/text.h"
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
#include <tuple>
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
    if (!core::IsValidUtf8(text)) {  // what nlohmann's dump accepts as is
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

// ---- the stored members of each model type, in the order they are
// written: one table serves the encoder and the decoder ----

// Whether a decoded string is shared through t_shared (strings that repeat
// across a page's items) or kept as its own copy.
enum class Interned { kNo, kYes };

template <typename T, typename M>
struct Field {
  const char* key;
  M T::*member;
  Interned interned = Interned::kNo;
};
template <typename T, typename M>
Field(const char*, M T::*) -> Field<T, M>;
template <typename T, typename M>
Field(const char*, M T::*, Interned) -> Field<T, M>;

template <typename T>
struct Type {};

constexpr auto FieldsOf(Type<model::Evidence>) {
  using E = model::Evidence;
  return std::tuple{Field{"page_url", &E::page_url, Interned::kYes},
                    Field{"via", &E::via, Interned::kYes},
                    Field{"excerpt", &E::excerpt},
                    Field{"machine_readable", &E::machine_readable},
                    Field{"visibility", &E::visibility},
                    Field{"remediation", &E::remediation, Interned::kYes}};
}
constexpr auto FieldsOf(Type<model::IdentityFact>) {
  using F = model::IdentityFact;
  return std::tuple{Field{"kind", &F::kind}, Field{"value", &F::value}, Field{"evidence", &F::evidence}};
}
constexpr auto FieldsOf(Type<model::Contact>) {
  using C = model::Contact;
  return std::tuple{Field{"name", &C::name}, Field{"url", &C::url}, Field{"relation", &C::relation},
                    Field{"evidence", &C::evidence}};
}
constexpr auto FieldsOf(Type<model::Interaction>) {
  using I = model::Interaction;
  return std::tuple{Field{"name", &I::name}, Field{"url", &I::url}, Field{"kind", &I::kind},
                    Field{"evidence", &I::evidence}};
}
constexpr auto FieldsOf(Type<model::Attendee>) {
  return std::tuple{Field{"name", &model::Attendee::name}, Field{"url", &model::Attendee::url}};
}
// An event's members before "imminent", which is written between them and
// decoded apart (scans stored before it get it recomputed).
constexpr auto EventFieldsBeforeImminent() {
  using E = model::Event;
  return std::tuple{Field{"name", &E::name},         Field{"start", &E::start}, Field{"end", &E::end},
                    Field{"location", &E::location}, Field{"url", &E::url},     Field{"role", &E::role},
                    Field{"status", &E::status},     Field{"tense", &E::tense}};
}
constexpr auto EventFieldsAfterImminent() {
  using E = model::Event;
  return std::tuple{Field{"stated_at", &E::stated_at}, Field{"attendees", &E::attendees},
                    Field{"evidence", &E::evidence}};
}
constexpr auto FieldsOf(Type<model::Page>) {
  using P = model::Page;
  return std::tuple{Field{"url", &P::url},
                    Field{"final_url", &P::final_url},
                    Field{"status", &P::status},
                    Field{"content_type", &P::content_type},
                    Field{"bytes", &P::bytes},
                    Field{"fetch_ms", &P::fetch_ms},
                    Field{"sha256", &P::sha256},
                    Field{"error", &P::error},
                    Field{"truncated", &P::truncated},
                    Field{"depth", &P::depth},
                    Field{"visibility", &P::visibility},
                    Field{"captured_at", &P::captured_at},
                    Field{"wall", &P::wall},
                    Field{"wall_detail", &P::wall_detail}};
}
constexpr auto FieldsOf(Type<model::Coverage>) {
  using C = model::Coverage;
  return std::tuple{Field{"target", &C::target}, Field{"site", &C::site}, Field{"seen", &C::seen},
                    Field{"detail", &C::detail}};
}
constexpr auto FieldsOf(Type<model::Fix>) {
  using F = model::Fix;
  return std::tuple{Field{"id", &F::id},
                    Field{"text", &F::text},
                    Field{"settings_url", &F::settings_url},
                    Field{"findings", &F::findings},
                    Field{"score_after", &F::score_after},
                    Field{"cumulative_after", &F::cumulative_after}};
}
constexpr auto FieldsOf(Type<model::ScoreCategory>) {
  using C = model::ScoreCategory;
  return std::tuple{Field{"id", &C::id}, Field{"label", &C::label}, Field{"score", &C::score},
                    Field{"weight", &C::weight}, Field{"summary", &C::summary}};
}
constexpr auto FieldsOf(Type<model::Score>) {
  using S = model::Score;
  // "complete" absent (scans stored before coverage) keeps its default, true.
  return std::tuple{Field{"total", &S::total}, Field{"complete", &S::complete}, Field{"level", &S::level},
                    Field{"level_summary", &S::level_summary}, Field{"categories", &S::categories}};
}

template <typename M>
constexpr bool kIsVector = false;
template <typename M>
constexpr bool kIsVector<std::vector<M>> = true;

const char* EnumName(model::Visibility v) { return model::VisibilityName(v); }
const char* EnumName(model::Tense t) { return model::TenseName(t); }
const char* EnumName(model::Wall w) { return model::WallName(w); }
const char* EnumName(model::Seen s) { return model::SeenName(s); }
const char* EnumName(model::InteractionKind k) { return model::InteractionKindName(k); }

template <typename T>
void WriteObject(JsonWriter& w, const T& item);

template <typename M>
void WriteValue(JsonWriter& w, const M& value) {
  if constexpr (std::is_same_v<M, std::string>) {
    w.String(value);
  } else if constexpr (std::is_same_v<M, core::SharedString>) {
    w.String(value.view());
  } else if constexpr (std::is_same_v<M, bool>) {
    w.Bool(value);
  } else if constexpr (std::is_arithmetic_v<M>) {
    w.Number(value);
  } else if constexpr (std::is_enum_v<M>) {
    w.String(EnumName(value));
  } else if constexpr (kIsVector<M>) {
    w.BeginArray();
    for (const auto& item : value) WriteValue(w, item);
    w.EndArray();
  } else {
    WriteObject(w, value);
  }
}

template <typename T, typename Fields>
void WriteFields(JsonWriter& w, const T& item, const Fields& fields) {
  std::apply([&](const auto&... field) { ((w.Key(field.key), WriteValue(w, item.*(field.member))), ...); },
             fields);
}

template <typename T>
void WriteObject(JsonWriter& w, const T& item) {
  w.BeginObject();
  WriteFields(w, item, FieldsOf(Type<T>{}));
  w.EndObject();
}

void WriteEvidenceList(JsonWriter& w, const std::vector<model::Evidence>& list) {
  w.Key("evidence");
  WriteValue(w, list);
}

void WriteEvent(JsonWriter& w, const model::Event& e) {
  w.BeginObject();
  WriteFields(w, e, EventFieldsBeforeImminent());
  w.Member("imminent", e.imminent);
  WriteFields(w, e, EventFieldsAfterImminent());
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

template <typename T, typename F>
void WriteList(JsonWriter& w, std::string_view key, const std::vector<T>& list, F write) {
  w.Key(key);
  w.BeginArray();
  for (const auto& item : list) write(w, item);
  w.EndArray();
}

// ---- decoding: tolerant of missing fields, strict about nothing else ----

using core::StringMember;

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

void FromName(const std::string& text, model::Visibility& out) {
  out = model::ParseVisibility(text).value_or(model::Visibility::kPublic);
}
void FromName(const std::string& text, model::Tense& out) {
  out = model::ParseTense(text).value_or(model::Tense::kUnknown);
}
void FromName(const std::string& text, model::Wall& out) {
  out = model::ParseWall(text).value_or(model::Wall::kNone);
}
// An unknown word from a later version reads as not fully seen.
void FromName(const std::string& text, model::Seen& out) {
  out = model::ParseSeen(text).value_or(model::Seen::kPartial);
}
void FromName(const std::string& text, model::InteractionKind& out) {
  out = model::InteractionKindFrom(text);
}

// While a stored scan is decoded for a diff, evidence strings that repeat
// (the page, the extractor, the fix: a page's thousands of facts share them)
// are shared as they were in the live scan, not copied per item. Set by
// DecodeStoredScan for the length of one decode, on its own thread.
thread_local std::unordered_map<std::string, core::SharedString>* t_shared = nullptr;

core::SharedString Shared(const json& j, const char* key) {
  std::string s = StringMember(j, key);
  if (t_shared == nullptr || s.empty()) return core::SharedString(s);
  auto [it, inserted] = t_shared->try_emplace(s);
  if (inserted) it->second = core::SharedString(s);
  return it->second;
}

std::vector<std::string> DecodeStrings(const json& j, const char* key);

template <typename T>
T DecodeObject(const json& j);

// Reads member `key` of `j` into `out`. A missing or mistyped member reads
// as empty, zero or false; a missing bool keeps the default it has.
template <typename M>
void ReadValue(const json& j, const char* key, Interned interned, M& out) {
  if constexpr (std::is_same_v<M, std::string>) {
    out = StringMember(j, key);
  } else if constexpr (std::is_same_v<M, core::SharedString>) {
    out = interned == Interned::kYes ? Shared(j, key) : core::SharedString(StringMember(j, key));
  } else if constexpr (std::is_same_v<M, bool>) {
    if (j.contains(key)) out = Bool(j, key);
  } else if constexpr (std::is_arithmetic_v<M>) {
    out = Num<M>(j, key);
  } else if constexpr (std::is_enum_v<M>) {
    FromName(StringMember(j, key), out);
  } else if constexpr (std::is_same_v<M, std::vector<core::SharedString>>) {
    for (const auto& text : DecodeStrings(j, key)) out.emplace_back(text);
  } else if constexpr (kIsVector<M>) {
    for (const auto& item : Arr(j, key)) out.push_back(DecodeObject<typename M::value_type>(item));
  } else {
    out = DecodeObject<M>(Obj(j, key));
  }
}

template <typename T, typename Fields>
void ReadFields(const json& j, const Fields& fields, T& item) {
  std::apply(
      [&](const auto&... field) { (ReadValue(j, field.key, field.interned, item.*(field.member)), ...); },
      fields);
}

template <typename T>
T DecodeObject(const json& j) {
  T item;
  ReadFields(j, FieldsOf(Type<T>{}), item);
  return item;
}

std::vector<model::Evidence> DecodeEvidenceList(const json& j) {
  std::vector<model::Evidence> out;
  ReadValue(j, "evidence", Interned::kNo, out);
  return out;
}

// `now` is the scan's reference time: scans stored before Event::imminent
// existed get it recomputed (the same model::IsImminent merge uses).
model::Event DecodeEvent(const json& j, std::optional<core::TimePoint> now) {
  model::Event e;
  ReadFields(j, EventFieldsBeforeImminent(), e);
  ReadFields(j, EventFieldsAfterImminent(), e);
  if (auto it = j.find("imminent"); it != j.end() && it->is_boolean()) {
    e.imminent = it->get<bool>();
  } else if (now) {
    e.imminent = model::IsImminent(e, *now);
  }
  return e;
}

model::Finding DecodeFinding(const json& j) {
  model::Finding f;
  f.id = StringMember(j, "id");
  f.category = StringMember(j, "category");
  f.title = StringMember(j, "title");
  f.points = Num<double>(j, "points");
  f.sensitivity = Num<double>(j, "sensitivity");
  f.visibility = Num<double>(j, "visibility");
  f.evidence = DecodeEvidenceList(j);
  f.remediation = StringMember(j, "remediation");
  f.fix_key = StringMember(j, "fix_key");  // absent in scans stored before it: ""
  return f;
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
  WriteList(w, "coverage", r.coverage, WriteObject<model::Coverage>);
  w.Member("interrupted", r.interrupted);
  w.Key("identity");
  w.BeginObject();
  w.Member("names", r.identity.names);
  w.Member("profiles", r.identity.profiles);
  WriteList(w, "facts", r.identity.facts, WriteObject<model::IdentityFact>);
  w.EndObject();
  WriteList(w, "contacts", r.contacts, WriteObject<model::Contact>);
  WriteList(w, "interactions", r.interactions, WriteObject<model::Interaction>);
  WriteList(w, "events", r.events, WriteEvent);
  // Pages, findings and fixes last: a diff reads what comes before them and stops.
  w.Key("score");
  WriteObject(w, r.score);
  w.Member("warnings", r.warnings);
  WriteList(w, "pages", r.pages, WriteObject<model::Page>);
  WriteList(w, "findings", r.findings, WriteFinding);
  WriteList(w, "fixes", r.fixes, WriteObject<model::Fix>);
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
  r.now = StringMember(j, "now");
  r.targets = DecodeStrings(j, "targets");
  r.coverage = DecodeList<model::Coverage>(j, "coverage", DecodeObject<model::Coverage>);
  if (auto it = j.find("interrupted"); it != j.end() && it->is_boolean()) r.interrupted = it->get<bool>();
  const json& identity = Obj(j, "identity");
  r.identity.names = DecodeStrings(identity, "names");
  r.identity.profiles = DecodeStrings(identity, "profiles");
  r.identity.facts = DecodeList<model::IdentityFact>(identity, "facts", DecodeObject<model::IdentityFact>);
  r.contacts = DecodeList<model::Contact>(j, "contacts", DecodeObject<model::Contact>);
  r.interactions = DecodeList<model::Interaction>(
      j, "interactions", DecodeObject<model::Interaction>);  // absent before it was added
  std::optional<core::TimePoint> now;
  if (auto parsed = core::ParseNow(r.now); parsed.ok()) now = parsed.value();
  r.events = DecodeList<model::Event>(j, "events", [&](const json& e) { return DecodeEvent(e, now); });
  r.pages = DecodeList<model::Page>(j, "pages", DecodeObject<model::Page>);
  r.findings = DecodeList<model::Finding>(j, "findings", DecodeFinding);
  r.fixes =
      DecodeList<model::Fix>(j, "fixes", DecodeObject<model::Fix>);  // absent in scans stored before fixes
  r.score = DecodeObject<model::Score>(Obj(j, "score"));
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
      sink.Contact(DecodeObject<model::Contact>(parsed));
      return false;
    }
    if (depth == 2 && s.member == "events" && s.now_known) {
      sink.Event(DecodeEvent(parsed, s.now));
      return false;
    }
    if (depth == 3 && s.member == "identity" && s.submember == "facts") {
      sink.Fact(DecodeObject<model::IdentityFact>(parsed));
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
