// HistoryStore's write side and RecordScan: one scan, one transaction.
#include <optional>
#include <unordered_map>

#include "core/deflate.h"
#include "core/time.h"
#include "store/diff.h"
#include "store/file_lock.h"
#include "store/history_store.h"
#include "store/scan_codec.h"
#include "store/sqlite.h"

namespace telescreen::store {

using core::ErrorCode;
using core::MakeError;

namespace {

// Prepares `sql` once and runs it for each position i < n after
// `bind(statement, i)`.
template <typename BindFn>
core::Status InsertRowsAt(Database& db, std::string_view sql, std::int64_t scan_id, std::size_t n,
                          BindFn bind) {
  if (n == 0) return {};
  auto st = db.Prepare(sql);
  if (!st.ok()) return st.error();
  for (std::size_t i = 0; i < n; ++i) {
    st.value().Reset();
    st.value().Bind(1, scan_id);
    st.value().Bind(2, static_cast<std::int64_t>(i));
    bind(st.value(), i);
    if (auto s = st.value().Run(); !s.ok()) return s;
  }
  return {};
}

// The same for each item, after `bind(statement, item)`.
template <typename T, typename BindFn>
core::Status InsertRows(Database& db, std::string_view sql, std::int64_t scan_id, const std::vector<T>& items,
                        BindFn bind) {
  return InsertRowsAt(db, sql, scan_id, items.size(),
                      [&](Statement& s, std::size_t i) { bind(s, items[i]); });
}

core::Result<std::int64_t> InsertScanRow(Database& db, const model::ScanResult& r) {
  auto st = db.Prepare(
      "INSERT INTO scans (target_key, now, recorded_at, score, level, contact_count, "
      "event_count, plan_count, page_count, codec, result_json) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  if (!st.ok()) return st.error();
  int plans = 0;
  for (const auto& e : r.events) plans += e.tense == model::Tense::kFuture ? 1 : 0;
  Statement& s = st.value();
  s.Bind(1, TargetKey(r.targets));
  s.Bind(2, r.now);
  s.Bind(3, core::FormatIsoUtc(
                std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())));
  s.Bind(4, std::int64_t{r.score.total});
  s.Bind(5, r.score.level);
  s.Bind(6, static_cast<std::int64_t>(r.contacts.size()));
  s.Bind(7, static_cast<std::int64_t>(r.events.size()));
  s.Bind(8, std::int64_t{plans});
  s.Bind(9, static_cast<std::int64_t>(r.pages.size()));
  s.Bind(10, std::int64_t{kScanCodecVersion});
  // Deflated as it is encoded, into pieces of 64 KB: neither the text
  // (10 MB for 3,000 pages) nor its compressed form (about a tenth) is ever
  // one buffer. The row holds zeros of the right size until the pieces are
  // written into it.
  core::Deflater packed;
  EncodeScanTo(r, [&packed](std::string_view piece) { packed.Write(piece); });
  std::vector<std::string> pieces = packed.FinishPieces();
  std::size_t size = 0;
  for (const auto& piece : pieces) size += piece.size();
  s.BindZeroBlob(11, size);
  if (auto status = s.Run(); !status.ok()) return status.error();
  const std::int64_t id = db.LastInsertRowId();
  if (auto status = db.WriteBlob("scans", "result_json", id, pieces); !status.ok()) {
    return status.error();
  }
  return id;
}

core::Status InsertTargets(Database& db, std::int64_t id, const model::ScanResult& r) {
  return InsertRows(db, "INSERT INTO targets (scan_id, position, target) VALUES (?1, ?2, ?3)", id, r.targets,
                    [](Statement& s, const std::string& target) { s.Bind(3, target); });
}

core::Status InsertPages(Database& db, std::int64_t id, const model::ScanResult& r) {
  return InsertRows(db,
                    "INSERT INTO pages (scan_id, position, url, final_url, status, sha256, "
                    "bytes, error, visibility) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    id, r.pages, [](Statement& s, const model::Page& p) {
                      s.Bind(3, p.url);
                      s.BindOptional(4, p.final_url);
                      s.Bind(5, std::int64_t{p.status});
                      s.BindOptional(6, p.sha256);
                      s.Bind(7, static_cast<std::int64_t>(p.bytes));
                      s.BindOptional(8, p.error);
                      s.Bind(9, std::string_view(model::VisibilityName(p.visibility)));
                    });
}

// Bodies go to the first page with the same url (or final url).
core::Status InsertBodies(Database& db, std::int64_t id, const model::ScanResult& r,
                          const std::vector<PageBody>& bodies) {
  std::unordered_map<std::string, std::int64_t> position;
  for (std::size_t i = r.pages.size(); i-- > 0;) {
    position[r.pages[i].final_url] = static_cast<std::int64_t>(i);
    position[r.pages[i].url] = static_cast<std::int64_t>(i);
  }
  auto st = db.Prepare("INSERT OR REPLACE INTO page_bodies (scan_id, position, body) VALUES (?1, ?2, ?3)");
  if (!st.ok()) return st.error();
  for (const auto& b : bodies) {
    auto it = position.find(b.url);
    if (it == position.end() || b.url.empty()) continue;
    st.value().Reset();
    st.value().Bind(1, id);
    st.value().Bind(2, it->second);
    st.value().BindBlob(3, b.body);
    if (auto s = st.value().Run(); !s.ok()) return s;
  }
  return {};
}

// Names, then profiles, then the other facts, as rows of one table; read
// in place, not copied into one list.
core::Status InsertIdentity(Database& db, std::int64_t id, const model::Identity& identity) {
  const std::size_t names = identity.names.size();
  const std::size_t named = names + identity.profiles.size();
  return InsertRowsAt(db,
                      "INSERT INTO identity_facts (scan_id, position, kind, value, page_url, "
                      "visibility) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                      id, named + identity.facts.size(), [&](Statement& s, std::size_t i) {
                        if (i < named) {
                          s.Bind(3, std::string_view(i < names ? "name" : "profile"));
                          s.Bind(4, i < names ? identity.names[i] : identity.profiles[i - names]);
                          s.BindNull(5);
                          s.Bind(6, std::string_view(model::VisibilityName(model::Visibility::kPublic)));
                          return;
                        }
                        const model::IdentityFact& f = identity.facts[i - named];
                        s.Bind(3, f.kind);
                        s.Bind(4, f.value);
                        s.BindOptional(5, f.evidence.page_url.view());
                        s.Bind(6, std::string_view(model::VisibilityName(f.evidence.visibility)));
                      });
}

core::Status InsertContactsAndEvents(Database& db, std::int64_t id, const model::ScanResult& r) {
  auto status = InsertRows(db,
                           "INSERT INTO contacts (scan_id, position, key, name, url, relation) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           id, r.contacts, [](Statement& s, const model::Contact& c) {
                             s.Bind(3, ContactKey(c));
                             s.Bind(4, c.name);
                             s.BindOptional(5, c.url);
                             s.Bind(6, c.relation);
                           });
  if (!status.ok()) return status;
  return InsertRows(db,
                    "INSERT INTO events (scan_id, position, key, name, start, \"end\", "
                    "location, url, role, tense) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    id, r.events, [](Statement& s, const model::Event& e) {
                      s.Bind(3, EventKey(e));
                      s.Bind(4, e.name);
                      s.Bind(5, e.start);
                      s.BindOptional(6, e.end);
                      s.BindOptional(7, e.location);
                      s.BindOptional(8, e.url);
                      s.BindOptional(9, e.role);
                      s.Bind(10, std::string_view(model::TenseName(e.tense)));
                    });
}

core::Status InsertFindings(Database& db, std::int64_t id, const model::ScanResult& r) {
  return InsertRows(db,
                    "INSERT INTO findings (scan_id, position, finding_id, category, title, "
                    "points) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    id, r.findings, [](Statement& s, const model::Finding& f) {
                      s.Bind(3, f.id);
                      s.Bind(4, f.category);
                      s.Bind(5, f.title);
                      s.BindDouble(6, f.points);
                    });
}

void Notify(const std::function<void(RecordStage)>& on_stage, RecordStage stage) {
  if (on_stage) on_stage(stage);
}

}  // namespace

core::Result<std::int64_t> HistoryStore::AddScan(const model::ScanResult& result, BodyPolicy bodies,
                                                 const std::vector<PageBody>& page_bodies,
                                                 const std::function<void(RecordStage)>& on_stage) {
  if (!lock_) return MakeError(ErrorCode::kInternal, path_ + ": AddScan on a read-only store");
  if (auto s = AwaitCheck(); !s.ok()) return s.error();
  auto id = InsertScanRow(*db_, result);
  if (!id.ok()) return id.error().WithContext("recording scan");
  Notify(on_stage, RecordStage::kScanWritten);
  core::Status status = InsertTargets(*db_, id.value(), result);
  if (status.ok()) status = InsertPages(*db_, id.value(), result);
  if (status.ok() && bodies == BodyPolicy::kStore) {
    status = InsertBodies(*db_, id.value(), result, page_bodies);
  }
  if (status.ok()) status = InsertIdentity(*db_, id.value(), result.identity);
  if (status.ok()) status = InsertContactsAndEvents(*db_, id.value(), result);
  if (status.ok()) status = InsertFindings(*db_, id.value(), result);
  if (!status.ok()) return status.error().WithContext("recording scan");
  return id;
}

struct PendingRecord::State {
  std::string db_path;
  const model::ScanResult* result = nullptr;
  const std::vector<PageBody>* bodies = nullptr;
  RecordOptions options;
  std::string target_key;
  std::optional<HistoryStore> store;
  std::optional<Transaction> tx;  // destroyed before the store: rolls back unless committed
  RecordOutcome outcome;
  bool finished = false;
};

PendingRecord::PendingRecord(std::unique_ptr<State> state) : state_(std::move(state)) {}
PendingRecord::PendingRecord(PendingRecord&&) noexcept = default;
PendingRecord& PendingRecord::operator=(PendingRecord&&) noexcept = default;
PendingRecord::~PendingRecord() {
  if (state_) state_->tx.reset();  // roll back before the store closes
}

const RecordOutcome& PendingRecord::outcome() const { return state_->outcome; }

void PendingRecord::Rebind(const model::ScanResult& result) { state_->result = &result; }

core::Result<PendingRecord> BeginRecord(const std::string& db_path, const model::ScanResult& result,
                                        const RecordOptions& options, const std::vector<PageBody>& bodies) {
  auto state = std::make_unique<PendingRecord::State>();
  state->db_path = db_path;
  state->result = &result;
  state->bodies = &bodies;
  state->options = options;
  state->target_key = TargetKey(result.targets);
  auto store = HistoryStore::Open(db_path, Access::kWrite, options.lock_wait);
  if (!store.ok()) return store.error();
  state->store.emplace(std::move(store).value());
  HistoryStore& h = *state->store;
  Notify(options.on_stage, RecordStage::kOpened);
  auto tx = Transaction::Begin(h.database());
  if (!tx.ok()) return tx.error();
  state->tx.emplace(std::move(tx).value());
  Notify(options.on_stage, RecordStage::kBegun);

  RecordOutcome& outcome = state->outcome;
  auto previous = h.PreviousScan(state->target_key);
  if (!previous.ok()) {
    // A damaged file fails its reads too: say what the check found.
    if (auto s = h.AwaitCheck(); !s.ok()) return s.error();
    return previous.error();
  }
  outcome.previous_id = previous.value();
  if (outcome.previous_id) {
    // Compared as it is read: the scan before is never held beside this one.
    auto changes = h.DiffWith(*outcome.previous_id, result);
    if (changes.ok()) {
      outcome.changes = std::move(changes).value();
    } else {
      outcome.warnings.push_back("no changes shown: " + changes.error().message);
    }
  }
  Notify(options.on_stage, RecordStage::kPreviousRead);
  // Nothing is written before the file has passed its check.
  if (auto s = h.AwaitCheck(); !s.ok()) return s.error();
  return PendingRecord(std::move(state));
}

core::Result<RecordOutcome> PendingRecord::Finish() {
  State& s = *state_;
  if (s.finished) return MakeError(ErrorCode::kInternal, s.db_path + ": scan recorded twice");
  s.finished = true;
  const RecordOptions& options = s.options;
  auto id = s.store->AddScan(*s.result, options.bodies, *s.bodies, options.on_stage);
  if (!id.ok()) return id.error().WithContext(s.db_path);
  s.outcome.scan_id = id.value();
  Notify(options.on_stage, RecordStage::kRowsWritten);
  auto pruned = s.store->Prune(s.target_key, options.keep);
  if (!pruned.ok()) return pruned.error().WithContext(s.db_path);
  s.outcome.pruned = pruned.value();
  Notify(options.on_stage, RecordStage::kPruned);
  if (auto status = s.tx->Commit(); !status.ok()) return status.error();
  Notify(options.on_stage, RecordStage::kCommitted);
  return s.outcome;
}

core::Result<RecordOutcome> RecordScan(const std::string& db_path, const model::ScanResult& result,
                                       const RecordOptions& options, const std::vector<PageBody>& bodies) {
  auto pending = BeginRecord(db_path, result, options, bodies);
  if (!pending.ok()) return pending.error();
  return pending.value().Finish();
}

}  // namespace telescreen::store
