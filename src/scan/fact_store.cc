#include "scan/fact_store.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <zlib.h>

namespace telescreen::scan {
namespace {

// A new field in these structs must be encoded below, or the store would
// drop it silently; the sizes make the compiler say so (on the platform the
// project builds on; elsewhere the check is skipped).
#if defined(__x86_64__) && defined(__GLIBCXX__)
static_assert(sizeof(model::Evidence) == 40, "encode the new Evidence field in fact_store.cc");
static_assert(sizeof(model::IdentityFact) == 56, "encode the new IdentityFact field in fact_store.cc");
static_assert(sizeof(model::Contact) == 120, "encode the new Contact field in fact_store.cc");
static_assert(sizeof(model::Event) == 120, "encode the new Event field in fact_store.cc");
static_assert(sizeof(model::Attendee) == 16, "encode the new Attendee field in fact_store.cc");
static_assert(sizeof(model::Interaction) == 96, "encode the new Interaction field in fact_store.cc");
#endif

// Appends `v` as a varint (7 bits a byte, low first).
void PutNumber(std::uint64_t v, std::string* out) {
  while (v >= 0x80) {
    *out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  *out += static_cast<char>(v);
}

// Writes one record: a table of the distinct strings, then the facts as
// varints (string fields are indices into the table).
class Writer {
 public:
  void Number(std::uint64_t v) { PutNumber(v, &stream_); }
  // `s` must outlive the writer (it is a field of the facts being encoded).
  void String(std::string_view s) {
    auto [it, fresh] = index_.try_emplace(s, table_.size());
    if (fresh) table_.push_back(s);
    Number(it->second);
  }
  void Evidence(const model::Evidence& e) {
    String(e.page_url);
    String(e.via);
    String(e.excerpt);
    Number(e.machine_readable ? 1 : 0);
    Number(static_cast<std::uint64_t>(e.visibility));
    String(e.remediation);
  }
  void Evidences(const std::vector<model::Evidence>& list) {
    Number(list.size());
    for (const auto& e : list) Evidence(e);
  }
  // Appends the record to `out`.
  void Finish(std::string* out) {
    std::string head;
    std::swap(head, stream_);
    Number(table_.size());
    for (std::string_view s : table_) {
      Number(s.size());
      stream_ += s;
    }
    Number(head.size());
    *out += stream_;
    *out += head;
  }

 private:
  std::string stream_;
  std::unordered_map<std::string_view, std::size_t> index_;
  std::vector<std::string_view> table_;  // keys of index_, in index order
};

// Strings that repeat across pages (an extractor's name, a rule's
// remediation) are decoded once for all pages: by value, one buffer each.
using Interner = std::unordered_map<std::string_view, core::SharedString>;

// Reads records written by Writer. Bounds are checked: a damaged record
// reads as empty strings and zeros, never past the end.
class Reader {
 public:
  explicit Reader(std::string_view data, Interner* interner = nullptr) : data_(data), interner_(interner) {}
  bool done() const { return pos_ >= data_.size(); }

  // Reads the next record's string table; the facts follow, up to
  // record_end().
  void Table() {
    table_.clear();
    shared_.clear();
    std::uint64_t n = Number();
    for (std::uint64_t i = 0; i < n && !done(); ++i) {
      std::uint64_t len = Number();
      if (len > data_.size() - pos_) len = data_.size() - pos_;
      table_.push_back(data_.substr(pos_, len));
      pos_ += len;
    }
    std::uint64_t len = Number();  // of the facts that follow
    record_end_ = pos_ + static_cast<std::size_t>(std::min<std::uint64_t>(len, data_.size() - pos_));
  }
  // Skips the rest of the current record.
  void SkipRecord() { pos_ = std::max(pos_, record_end_); }
  std::uint64_t Number() {
    std::uint64_t v = 0;
    for (int shift = 0; pos_ < data_.size() && shift < 64; shift += 7) {
      auto byte = static_cast<unsigned char>(data_[pos_++]);
      v |= std::uint64_t{byte & 0x7Fu} << shift;
      if (!(byte & 0x80)) break;
    }
    return v;
  }
  std::string String() {
    std::uint64_t i = Number();
    return i < table_.size() ? std::string(table_[i]) : std::string();
  }
  // The same entry of a record's table decodes to one shared buffer; with
  // `common`, one buffer for every page.
  core::SharedString Shared(bool common = false) {
    std::uint64_t i = Number();
    if (i >= table_.size()) return {};
    shared_.resize(table_.size());
    core::SharedString& s = shared_[i];
    if (s.empty() && !table_[i].empty()) {
      if (common && interner_) {
        auto it = interner_->find(table_[i]);
        if (it == interner_->end()) {
          core::SharedString fresh(table_[i]);
          it = interner_->emplace(fresh.view(), fresh).first;
        }
        s = it->second;
      } else {
        s = core::SharedString(table_[i]);
      }
    }
    return s;
  }
  // The next n bytes (fewer at the end of the data).
  std::string_view Bytes(std::uint64_t n) {
    std::string_view out =
        data_.substr(pos_, static_cast<std::size_t>(std::min<std::uint64_t>(n, data_.size() - pos_)));
    pos_ += out.size();
    return out;
  }
  // A count of items that follow, at most what the remaining bytes can hold.
  std::size_t Count() {
    return static_cast<std::size_t>(std::min<std::uint64_t>(Number(), data_.size() - pos_));
  }
  model::Evidence Evidence() {
    model::Evidence e;
    e.page_url = Shared();
    e.via = Shared(true);
    e.excerpt = Shared();
    e.machine_readable = Number() != 0;
    e.visibility = Number() == 1 ? model::Visibility::kMembersOnly : model::Visibility::kPublic;
    e.remediation = Shared(true);
    return e;
  }
  std::vector<model::Evidence> Evidences() {
    std::vector<model::Evidence> out(Count());
    for (auto& e : out) e = Evidence();
    return out;
  }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
  std::size_t record_end_ = 0;
  std::vector<std::string_view> table_;
  std::vector<core::SharedString> shared_;  // decoded entries of table_
  Interner* interner_ = nullptr;
};

void Encode(const model::PageFacts& f, std::string* out) {
  Writer w;
  w.Number(f.identity.size());
  for (const auto& i : f.identity) {
    w.String(i.kind);
    w.String(i.value);
    w.Evidence(i.evidence);
  }
  w.Number(f.contacts.size());
  for (const auto& c : f.contacts) {
    w.String(c.name);
    w.String(c.url);
    w.String(c.relation);
    w.Evidences(c.evidence);
  }
  w.Number(f.interactions.size());
  for (const auto& i : f.interactions) {
    w.String(i.name);
    w.String(i.url);
    w.Number(static_cast<std::uint64_t>(i.kind));
    w.Evidences(i.evidence);
  }
  w.Number(f.events.size());
  for (const auto& e : f.events) {
    for (const core::SharedString* s :
         {&e.name, &e.start, &e.end, &e.location, &e.url, &e.role, &e.status, &e.stated_at}) {
      w.String(*s);
    }
    w.Number(static_cast<std::uint64_t>(e.tense));
    w.Number(e.imminent ? 1 : 0);
    w.Number(e.attendees.size());
    for (const auto& a : e.attendees) {
      w.String(a.name);
      w.String(a.url);
    }
    w.Evidences(e.evidence);
  }
  w.Number(f.warnings.size());
  for (const auto& s : f.warnings) w.String(s);
  w.Finish(out);
}

model::Tense TenseFrom(std::uint64_t v) {
  switch (v) {
    case static_cast<std::uint64_t>(model::Tense::kPast):
      return model::Tense::kPast;
    case static_cast<std::uint64_t>(model::Tense::kFuture):
      return model::Tense::kFuture;
    default:
      return model::Tense::kUnknown;
  }
}

// Appends every record in `data` to *f (only identity facts with kIdentity).
void Decode(std::string_view data, FactParts parts, model::PageFacts* f, Interner* interner) {
  Reader r(data, interner);
  while (!r.done()) {
    r.Table();
    for (std::size_t n = r.Count(); n > 0; --n) {
      model::IdentityFact i;
      i.kind = r.Shared(true);  // a dozen kinds: one buffer each for every page
      i.value = r.Shared();
      i.evidence = r.Evidence();
      f->identity.push_back(std::move(i));
    }
    if (parts == FactParts::kIdentity) {
      r.SkipRecord();
      continue;
    }
    for (std::size_t n = r.Count(); n > 0; --n) {
      model::Contact c;
      c.name = r.String();
      c.url = r.String();
      c.relation = r.String();
      c.evidence = r.Evidences();
      f->contacts.push_back(std::move(c));
    }
    for (std::size_t n = r.Count(); n > 0; --n) {
      model::Interaction i;
      i.name = r.String();
      i.url = r.String();
      const std::uint64_t kind = r.Number();
      i.kind = kind == static_cast<std::uint64_t>(model::InteractionKind::kReaction)
                   ? model::InteractionKind::kReaction
               : kind == static_cast<std::uint64_t>(model::InteractionKind::kMention)
                   ? model::InteractionKind::kMention
                   : model::InteractionKind::kComment;
      i.evidence = r.Evidences();
      f->interactions.push_back(std::move(i));
    }
    for (std::size_t n = r.Count(); n > 0; --n) {
      model::Event e;
      for (core::SharedString* s : {&e.name, &e.start, &e.end, &e.location, &e.url}) *s = r.Shared();
      e.role = r.Shared(true);  // a small vocabulary: one buffer each for every page
      e.status = r.Shared(true);
      e.stated_at = r.Shared();
      e.tense = TenseFrom(r.Number());
      e.imminent = r.Number() != 0;
      for (std::size_t k = r.Count(); k > 0; --k) {
        model::Attendee& a = e.attendees.emplace_back();
        a.name = r.Shared();
        a.url = r.Shared();
      }
      e.evidence = r.Evidences();
      f->events.push_back(std::move(e));
    }
    for (std::size_t n = r.Count(); n > 0; --n) f->warnings.push_back(r.String());
  }
}

// A page's records are kept deflated: their strings repeat across records
// ("Person ", "/p/", "h-card: "), which the per-record string table cannot
// share. Frame: varint raw size, varint stored size, method byte (0 stored,
// 1 zlib), the bytes. Frames are appended when a page is added twice.
constexpr std::size_t kMaxRecord = std::size_t{256} << 20;

void AppendFrame(const std::string& record, std::string* out) {
  uLongf stored = compressBound(static_cast<uLong>(record.size()));
  std::string packed(stored, '\0');
  bool zipped = record.size() <= kMaxRecord &&
                compress2(reinterpret_cast<Bytef*>(packed.data()), &stored,
                          reinterpret_cast<const Bytef*>(record.data()), static_cast<uLong>(record.size()),
                          1) == Z_OK &&
                stored < record.size();
  PutNumber(record.size(), out);
  PutNumber(zipped ? stored : record.size(), out);
  *out += static_cast<char>(zipped ? 1 : 0);
  out->append(zipped ? packed.data() : record.data(), zipped ? stored : record.size());
}

// The records of every frame in `data`, back to back. A damaged frame ends
// the list (the facts before it are kept).
std::string Unframe(std::string_view data) {
  std::string out;
  Reader r(data);
  while (!r.done()) {
    std::uint64_t raw = r.Number();
    std::uint64_t stored = r.Number();
    std::string_view bytes = r.Bytes(stored + 1);
    if (bytes.size() != stored + 1 || raw > kMaxRecord) break;
    if (bytes[0] == 0) {
      out.append(bytes.substr(1));
      continue;
    }
    std::size_t at = out.size();
    out.resize(at + raw);
    uLongf got = static_cast<uLongf>(raw);
    if (uncompress(reinterpret_cast<Bytef*>(out.data() + at), &got,
                   reinterpret_cast<const Bytef*>(bytes.data() + 1), static_cast<uLong>(stored)) != Z_OK ||
        got != raw) {
      out.resize(at);
      break;
    }
  }
  return out;
}

}  // namespace

FactStore::FactStore(FactStore&& other) noexcept {
  std::lock_guard lock(other.mu_);
  pages_ = std::move(other.pages_);
  bytes_ = std::exchange(other.bytes_, 0);
}

FactStore& FactStore::operator=(FactStore&& other) noexcept {
  if (this == &other) return *this;
  std::scoped_lock lock(mu_, other.mu_);
  pages_ = std::move(other.pages_);
  bytes_ = std::exchange(other.bytes_, 0);
  return *this;
}

void FactStore::Add(const std::string& page, const model::PageFacts& facts) {
  std::string encoded;
  Encode(facts, &encoded);
  std::string record;
  AppendFrame(encoded, &record);
  std::lock_guard lock(mu_);
  bytes_ += record.size();
  std::string& slot = pages_[page];
  if (slot.empty()) {
    slot = std::move(record);
  } else {
    slot += record;
  }
}

void FactStore::ForEach(
    const std::function<void(const std::string& page, const model::PageFacts& facts)>& visit,
    FactParts parts) const {
  std::lock_guard lock(mu_);
  Interner interner;
  for (const auto& [page, data] : pages_) {
    model::PageFacts facts;
    Decode(Unframe(data), parts, &facts, &interner);
    visit(page, facts);
  }
}

void FactStore::clear() {
  std::lock_guard lock(mu_);
  pages_.clear();
  bytes_ = 0;
}

}  // namespace telescreen::scan
