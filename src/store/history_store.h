// The scan history: a SQLite database of every recorded scan (targets, time,
// pages, identity facts, contacts, events, findings, score, and the whole
// result), so later scans of the same targets can show what changed. One
// writer at a time, enforced by a lock file beside the database; every
// write is one transaction.
//
// The scan command needs one call:
//
//   store::RecordOptions options;
//   options.keep = 30;
//   auto outcome = store::RecordScan(db_path, result, options);
//   if (!outcome.ok()) return Fail(outcome.error());
//   result.changes = outcome.value().changes;   // nullopt on a first scan
//
// and the history/diff commands read with HistoryStore::Open(path, kRead).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/scan_result.h"
#include "store/scan_codec.h"

namespace telescreen::store {

class Database;
class FileLock;

// The version of the schema this build writes. Databases with a higher
// user_version are refused untouched; lower ones are migrated forward.
int SchemaVersion();

// $XDG_DATA_HOME/telescreen/history.db when XDG_DATA_HOME is an absolute
// path, else $HOME/.local/share/telescreen/history.db. Error (kInvalidArgument)
// when neither variable helps.
core::Result<std::string> DefaultHistoryPath();

// The history file a command uses: `db_flag` (--db FILE) when it is not
// empty, else DefaultHistoryPath().
core::Result<std::string> HistoryPath(const std::string& db_flag);

// The lock file that serialises writers of `db_path`: db_path + ".lock".
std::string LockPathFor(const std::string& db_path);

enum class BodyPolicy {
  kDrop,   // store page metadata and hashes only (the default)
  kStore,  // also store the bodies handed to RecordScan (--store-bodies)
};

// Points inside RecordScan, in order, for progress reporting and for the
// durability test that kills the writer at each of them.
enum class RecordStage {
  kOpened,        // lock held; database opened and migrated (its quick_check may still run)
  kBegun,         // write transaction begun
  kPreviousRead,  // previous scan of the same targets loaded
  kScanWritten,   // the scans row written (child rows not yet)
  kRowsWritten,   // every row written, not yet pruned
  kPruned,        // --keep applied, not yet committed
  kCommitted,     // transaction committed, lock still held
};

struct RecordOptions {
  int keep = 0;  // keep the newest N scans of the same targets; 0 = all
  BodyPolicy bodies = BodyPolicy::kDrop;
  std::chrono::milliseconds lock_wait{30000};  // how long to wait for another writer
  std::function<void(RecordStage)> on_stage;   // called at each stage; may be empty
};

// A fetched body, matched to the result's page with the same url.
struct PageBody {
  std::string url;
  std::string body;
};

struct RecordOutcome {
  std::int64_t scan_id = 0;                 // id of the scan just written
  std::optional<std::int64_t> previous_id;  // previous scan of the same targets
  std::optional<model::Changes> changes;    // set iff previous_id is (and it was readable)
  int pruned = 0;                           // scans deleted by `keep`
  std::vector<std::string> warnings;        // e.g. the previous scan could not be decoded
};

// Opens (creating if needed, with mode 0600 in a 0700 directory) the history
// at `db_path`, takes its lock, reads the previous scan of the same targets,
// writes `result` in one transaction, prunes, and returns the changes.
// `result.changes` is not stored. Errors lead with the path and say what to
// do (a newer schema, a damaged file, a lock held too long).
core::Result<RecordOutcome> RecordScan(const std::string& db_path, const model::ScanResult& result,
                                       const RecordOptions& options = {},
                                       const std::vector<PageBody>& bodies = {});

// RecordScan in two halves, for a caller that needs the changes before the
// rows are written, to write its reports while they are:
//
//   auto pending = BeginRecord(path, result, options, bodies);  // lock, check, diff
//   if (!pending.ok()) ...;
//   result.changes = pending.value().outcome().changes.value_or(model::Changes{});
//   auto recorded = std::async(std::launch::async, [&] { return pending.value().Finish(); });
//   WriteReports(result);  // reads `result`, changes nothing in it
//   auto outcome = recorded.get();
//
// Until Finish returns, `result` and `bodies` stay alive and unchanged, but
// for result.changes, which is not stored and may be set before Finish is
// called. A PendingRecord destroyed unfinished rolls back: nothing is
// recorded. Holds the history's lock until destroyed.
class PendingRecord {
 public:
  PendingRecord(PendingRecord&&) noexcept;
  PendingRecord& operator=(PendingRecord&&) noexcept;
  ~PendingRecord();

  // previous_id, changes and warnings; scan_id and pruned are set by Finish.
  const RecordOutcome& outcome() const;
  // The result it was begun with has moved to `result` (the same scan):
  // Finish writes that one.
  void Rebind(const model::ScanResult& result);
  // Writes the rows, prunes, commits. Call once.
  core::Result<RecordOutcome> Finish();

  struct State;

 private:
  friend core::Result<PendingRecord> BeginRecord(const std::string&, const model::ScanResult&,
                                                 const RecordOptions&, const std::vector<PageBody>&);
  explicit PendingRecord(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

core::Result<PendingRecord> BeginRecord(const std::string& db_path, const model::ScanResult& result,
                                        const RecordOptions& options = {},
                                        const std::vector<PageBody>& bodies = {});

// One line of `telescreen history`.
struct ScanSummary {
  std::int64_t id = 0;
  std::string now;                   // the scan's reference time (ISO 8601 UTC)
  std::string recorded_at;           // wall-clock time it was written (ISO 8601 UTC)
  std::string target_key;            // TargetKey(targets)
  std::vector<std::string> targets;  // as given to the scan, in order
  int score = 0;
  std::string level;
  int contacts = 0;
  int events = 0;  // all events, plans included
  int plans = 0;   // events with tense future
  int pages = 0;
};

// The summaries as a JSON array (for `telescreen history --json`):
//   [{"id": 1, "now": "...", "recorded_at": "...", "targets": [...],
//     "score": 40, "level": "moderate", "contacts": 2, "events": 2,
//     "plans": 1, "pages": 1}, ...]
std::string EncodeSummariesJson(const std::vector<ScanSummary>& scans);

enum class Access {
  kRead,   // no lock unless an old schema must be migrated; the file must exist
  kWrite,  // holds the lock until the store is destroyed; creates the file
};

class HistoryStore {
 public:
  // Opens the history at `path`. Before writing anything it checks the file
  // read-only: not a SQLite file, a failed quick_check, a foreign SQLite
  // file or a newer schema are errors that leave it untouched. kRead on a
  // missing file is kNotFound ("no history at PATH yet").
  static core::Result<HistoryStore> Open(const std::string& path, Access access,
                                         std::chrono::milliseconds lock_wait = std::chrono::seconds(30));

  HistoryStore(HistoryStore&&) noexcept;
  HistoryStore& operator=(HistoryStore&&) noexcept;
  ~HistoryStore();

  // All scans, oldest first; only those of `target_key` when given.
  core::Result<std::vector<ScanSummary>> ListScans(
      const std::optional<std::string>& target_key = std::nullopt);
  core::Result<std::optional<ScanSummary>> GetSummary(std::int64_t id);
  // The newest scan of `target_key` with an id below `before_id` (any id
  // when unset), or nullopt.
  core::Result<std::optional<std::int64_t>> PreviousScan(
      const std::string& target_key, std::optional<std::int64_t> before_id = std::nullopt);
  // The stored result of scan `id` (kNotFound when there is none); with
  // ScanParts::kForDiff without its pages and findings.
  core::Result<model::ScanResult> LoadScan(std::int64_t id, ScanParts parts = ScanParts::kAll);
  // Diff(scan `id`, after, id) without building scan `id`: its items are
  // compared as they are read (DecodeStoredScanItems, DiffBuilder), so only
  // its removed items are ever held. `after` is the later scan.
  core::Result<model::Changes> DiffWith(std::int64_t id, const model::ScanResult& after);
  // Stored body of page `url` of scan `id`, if bodies were kept.
  core::Result<std::optional<std::string>> LoadBody(std::int64_t id, const std::string& url);

  // Write operations. REQUIRES: opened with Access::kWrite. Callers wrap them
  // in a transaction via RecordScan; alone, each is its own transaction.
  // Each first waits for the file's quick_check, which a writer's Open
  // starts on a second connection and thread so that reads (the diff) run
  // meanwhile, and fails with its verdict: nothing is written to a damaged
  // file.
  core::Result<std::int64_t> AddScan(const model::ScanResult& result, BodyPolicy bodies,
                                     const std::vector<PageBody>& page_bodies,
                                     const std::function<void(RecordStage)>& on_stage = {});
  // Deletes all but the newest `keep` scans of `target_key`; returns how
  // many were deleted. keep <= 0 deletes nothing.
  core::Result<int> Prune(const std::string& target_key, int keep);

  // The verdict of the quick_check that Open started (ok when it passed or
  // ran in Open itself), waiting for it if it is still running.
  core::Status AwaitCheck();

  // Runs PRAGMA integrity_check; "ok" when sound.
  core::Result<std::string> IntegrityCheck();

  Database& database() { return *db_; }
  const std::string& path() const { return path_; }

 private:
  HistoryStore(std::string path, std::unique_ptr<FileLock> lock, std::unique_ptr<Database> db);

  std::string path_;
  std::unique_ptr<FileLock> lock_;  // held for kWrite; released after db_ closes
  std::unique_ptr<Database> db_;
  std::future<core::Status> check_;  // quick_check still running; waited for before db_ closes
  core::Status checked_;             // its verdict once known
};

}  // namespace telescreen::store
