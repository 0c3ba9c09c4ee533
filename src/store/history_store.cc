#include "store/history_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>

#include "core/i18n.h"
#include "core/xdg.h"
#include "store/diff.h"
#include "store/file_lock.h"
#include "store/scan_codec.h"
#include "store/sqlite.h"

namespace telescreen::store {

using core::ErrorCode;
using core::MakeError;

namespace {

// "TSCR": marks the file as ours, so a foreign SQLite file is never written.
constexpr std::int64_t kApplicationId = 0x54534352;

// Migration i takes the schema from version i to i + 1. Append only; never
// edit a migration that has shipped.
constexpr std::array<std::string_view, 1> kMigrations = {
    R"sql(
CREATE TABLE scans (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused after --keep
  target_key    TEXT NOT NULL,     -- store::TargetKey(targets)
  now           TEXT NOT NULL,     -- the scan's reference time
  recorded_at   TEXT NOT NULL,     -- wall clock at write
  score         INTEGER NOT NULL,
  level         TEXT NOT NULL,
  contact_count INTEGER NOT NULL,
  event_count   INTEGER NOT NULL,
  plan_count    INTEGER NOT NULL,
  page_count    INTEGER NOT NULL,
  codec         INTEGER NOT NULL,  -- scan_codec.h version of result_json
  result_json   TEXT NOT NULL      -- the whole ScanResult (without changes)
);
CREATE INDEX scans_by_target ON scans(target_key, id);
CREATE TABLE targets (
  scan_id  INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  target   TEXT NOT NULL,
  PRIMARY KEY (scan_id, position)
) WITHOUT ROWID;
CREATE TABLE pages (
  scan_id    INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  url        TEXT NOT NULL,
  final_url  TEXT,
  status     INTEGER NOT NULL,
  sha256     TEXT,
  bytes      INTEGER NOT NULL,
  error      TEXT,
  visibility TEXT NOT NULL,
  PRIMARY KEY (scan_id, position)
) WITHOUT ROWID;
CREATE TABLE page_bodies (
  scan_id  INTEGER NOT NULL,
  position INTEGER NOT NULL,
  body     BLOB NOT NULL,
  PRIMARY KEY (scan_id, position),
  FOREIGN KEY (scan_id, position) REFERENCES pages(scan_id, position) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE identity_facts (
  scan_id    INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  value      TEXT NOT NULL,
  page_url   TEXT,
  visibility TEXT NOT NULL,
  PRIMARY KEY (scan_id, position)
) WITHOUT ROWID;
CREATE TABLE contacts (
  scan_id  INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  key      TEXT NOT NULL,          -- store::ContactKey
  name     TEXT NOT NULL,
  url      TEXT,
  relation TEXT NOT NULL,
  PRIMARY KEY (scan_id, position)
) WITHOUT ROWID;
CREATE INDEX contacts_by_key ON contacts(key);
CREATE TABLE events (
  scan_id  INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  key      TEXT NOT NULL,          -- store::EventKey
  name     TEXT NOT NULL,
  start    TEXT NOT NULL,
  "end"    TEXT,
  location TEXT,
  url      TEXT,
  role     TEXT,
  tense    TEXT NOT NULL,
  PRIMARY KEY (scan_id, position)
) WITHOUT ROWID;
CREATE INDEX events_by_key ON events(key);
CREATE TABLE findings (
  scan_id    INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  finding_id TEXT NOT NULL,
  category   TEXT NOT NULL,
  title      TEXT NOT NULL,
  points     REAL NOT NULL,
  PRIMARY KEY (scan_id, position)
) WITHOUT ROWID;
)sql",
};

bool FileExists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

// Creates the missing directories of `path`'s parent with mode 0700.
core::Status MakeParentDirs(const std::string& path) {
  std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos || slash == 0) return {};
  std::string dir = path.substr(0, slash);
  for (std::size_t i = 1; i <= dir.size(); ++i) {
    if (i != dir.size() && dir[i] != '/') continue;
    std::string prefix = dir.substr(0, i);
    if (mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      return MakeError(ErrorCode::kIo, prefix + ": cannot create directory: " + std::strerror(errno));
    }
  }
  return {};
}

// Creates an empty database file owner-only before SQLite sees it; SQLite
// gives its -wal and -shm files the database file's permissions.
core::Status CreateOwnerOnly(const std::string& path) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST) {
    return MakeError(ErrorCode::kIo, path + ": cannot create: " + std::strerror(errno));
  }
  if (fd >= 0) close(fd);
  return {};
}

core::Error Damaged(const std::string& path, const std::string& detail) {
  return MakeError(ErrorCode::kIo, path + ": the history database is damaged (" + detail +
                                       "). It was not changed. Keep a copy, try `sqlite3 " + path +
                                       " .recover`, or move it away to start a new history.");
}

core::Error NotADatabase(const std::string& path) {
  return MakeError(ErrorCode::kIo, path +
                                       ": not a SQLite database (another kind of file, or damaged). "
                                       "It was not changed; move it away or pass another --db.");
}

// A query's failure on a file that may not be a history at all.
core::Error Unreadable(const std::string& path, const core::Error& error) {
  if (error.message.find("not a database") != std::string::npos) return NotADatabase(path);
  return Damaged(path, error.message);
}

// PRAGMA quick_check on `db`: ok, or why the file must not be written.
core::Status QuickCheck(Database& db, const std::string& path) {
  // It reads every page once: SQLite's default 2 MB page cache would only
  // add to the scan's peak memory. (On a file that is not a database this
  // fails too; quick_check then says why.)
  (void)db.Exec("PRAGMA cache_size=-256").ok();
  auto check = db.QueryText("PRAGMA quick_check");
  if (!check.ok()) return Unreadable(path, check.error());
  if (check.value() != "ok") return Damaged(path, "quick_check: " + check.value());
  return {};
}

// What CheckExisting found.
struct Existing {
  int version = 0;                      // schema version (user_version)
  std::unique_ptr<Database> unchecked;  // set when quick_check is left to the caller
};

// Looks at an existing file read-only and refuses anything we must not
// write: not SQLite, damaged, someone else's, or from a newer telescreen.
// With `defer_check`, a file that needs no change before its first write
// (current schema, already in WAL mode) is returned unchecked, with the
// read-only connection to run quick_check on; else quick_check runs here.
core::Result<Existing> CheckExisting(const std::string& path, bool defer_check) {
  auto db = Database::Open(path, OpenMode::kReadOnly);
  if (!db.ok()) return db.error();
  auto app = db.value().QueryInt("PRAGMA application_id");
  if (!app.ok()) return Unreadable(path, app.error());
  auto version = db.value().QueryInt("PRAGMA user_version");
  auto tables = db.value().QueryInt("SELECT count(*) FROM sqlite_schema");
  auto mode = db.value().QueryText("PRAGMA journal_mode");
  if (!version.ok()) return Unreadable(path, version.error());
  if (!tables.ok()) return Unreadable(path, tables.error());
  if (!mode.ok()) return Unreadable(path, mode.error());
  std::int64_t app_id = app.value().value_or(0);
  std::int64_t v = version.value().value_or(0);
  bool empty = tables.value().value_or(0) == 0 && v == 0;
  const bool later = defer_check && !empty && v == SchemaVersion() && mode.value() == "wal";
  if (!later) {
    if (auto s = QuickCheck(db.value(), path); !s.ok()) return s.error();
  }
  if (!empty && app_id != kApplicationId) {
    return MakeError(ErrorCode::kIo, path +
                                         ": a SQLite database that is not a telescreen history. "
                                         "It was not changed; pass another --db.");
  }
  if (v > SchemaVersion()) {
    return MakeError(ErrorCode::kIo, path + ": written by a newer telescreen (history schema " +
                                         std::to_string(v) + "; this one knows up to " +
                                         std::to_string(SchemaVersion()) +
                                         "). It was not changed; upgrade telescreen to use it.");
  }
  Existing found;
  found.version = static_cast<int>(v);
  if (later) found.unchecked = std::make_unique<Database>(std::move(db).value());
  return found;
}

core::Status Configure(Database& db) {
  // WAL: readers never block the writer; FULL: a committed scan survives
  // power loss, not only a crash; secure_delete: pruned personal data is
  // overwritten, not left in free pages.
  auto mode = db.QueryText("PRAGMA journal_mode=WAL");
  if (!mode.ok()) return mode.error();
  if (mode.value() != "wal") {
    return MakeError(ErrorCode::kIo, db.path() + ": cannot switch to WAL mode (got '" + mode.value() + "')");
  }
  // A page cache of 512 KB, not SQLite's 2 MB: a scan's rows are written
  // once, in order, and read back rarely; the scan's own result is what
  // needs the memory.
  return db.Exec(
      "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA cache_size=-512;");
}

core::Status Migrate(Database& db, int from) {
  if (from >= SchemaVersion()) return {};
  auto tx = Transaction::Begin(db);
  if (!tx.ok()) return tx.error();
  // Re-read inside the write transaction: another process may have migrated.
  auto current = db.QueryInt("PRAGMA user_version");
  if (!current.ok()) return current.error();
  for (auto v = current.value().value_or(0); v < SchemaVersion(); ++v) {
    auto status = db.Exec(kMigrations[static_cast<std::size_t>(v)]);
    if (!status.ok()) {
      return status.error().WithContext("migrating history schema to " + std::to_string(v + 1));
    }
  }
  auto status = db.Exec("PRAGMA application_id=" + std::to_string(kApplicationId) +
                        "; PRAGMA user_version=" + std::to_string(SchemaVersion()) + ";");
  if (!status.ok()) return status;
  return tx.value().Commit();
}

}  // namespace

int SchemaVersion() { return static_cast<int>(kMigrations.size()); }

std::string LockPathFor(const std::string& db_path) { return db_path + ".lock"; }

core::Result<std::string> DefaultHistoryPath() {
  std::optional<std::string> data = core::XdgBaseDir(core::XdgDir::kData);
  if (!data) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "cannot find the history: neither XDG_DATA_HOME nor HOME is set; "
                     "pass --db FILE");
  }
  return *data + "/telescreen/history.db";
}

core::Result<std::string> HistoryPath(const std::string& db_flag) {
  if (!db_flag.empty()) return db_flag;
  return DefaultHistoryPath();
}

HistoryStore::HistoryStore(std::string path, std::unique_ptr<FileLock> lock, std::unique_ptr<Database> db)
    : path_(std::move(path)), lock_(std::move(lock)), db_(std::move(db)) {}
HistoryStore::HistoryStore(HistoryStore&&) noexcept = default;
HistoryStore& HistoryStore::operator=(HistoryStore&&) noexcept = default;
HistoryStore::~HistoryStore() = default;

core::Result<HistoryStore> HistoryStore::Open(const std::string& path, Access access,
                                              std::chrono::milliseconds lock_wait) {
  if (path.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty history path");
  std::unique_ptr<FileLock> lock;
  if (access == Access::kRead && !FileExists(path)) {
    return MakeError(
        ErrorCode::kNotFound,
        core::Fill(core::Tr("{1}: no history yet (record one with `telescreen scan --db {1} ...`)"), {path}));
  }
  if (access == Access::kWrite) {
    if (auto s = MakeParentDirs(path); !s.ok()) return s.error();
    auto l = FileLock::Acquire(LockPathFor(path), lock_wait);
    if (!l.ok()) return l.error();
    lock = std::make_unique<FileLock>(std::move(l).value());
    if (auto s = CreateOwnerOnly(path); !s.ok()) return s.error();
  }
  auto existing = CheckExisting(path, access == Access::kWrite);
  if (!existing.ok()) return existing.error();
  const int version = existing.value().version;
  if (access == Access::kRead && version == 0) {
    return MakeError(ErrorCode::kNotFound, path + ": no scans recorded yet");
  }
  if (access == Access::kRead && version < SchemaVersion()) {
    // An older schema: migrating is a write, so do it as a writer would.
    auto writer = Open(path, Access::kWrite, lock_wait);
    if (!writer.ok()) return writer.error();
  }
  auto db = Database::Open(path, OpenMode::kReadWrite);
  if (!db.ok() && access == Access::kRead) {
    // A history the user may only read (a copy, another user's file).
    db = Database::Open(path, OpenMode::kReadOnly);
  }
  if (!db.ok()) return db.error();
  auto holder = std::make_unique<Database>(std::move(db).value());
  if (access == Access::kWrite) {
    // Neither changes a file that CheckExisting left unchecked: it is in WAL
    // mode already and of the current schema.
    if (auto s = Configure(*holder); !s.ok()) return s.error();
    if (auto s = Migrate(*holder, version); !s.ok()) return s.error();
  } else if (auto s = holder->Exec("PRAGMA foreign_keys=ON"); !s.ok()) {
    return s.error();
  }
  HistoryStore store(path, std::move(lock), std::move(holder));
  if (existing.value().unchecked) {
    // Read (the previous scan, for the diff) while the whole file is
    // checked; the first write waits for the verdict.
    store.check_ = std::async(std::launch::async, [db = std::move(existing.value().unchecked),
                                                   path]() mutable { return QuickCheck(*db, path); });
  }
  return store;
}

core::Status HistoryStore::AwaitCheck() {
  if (check_.valid()) checked_ = check_.get();
  return checked_;
}

namespace {

constexpr std::string_view kSummaryColumns =
    "SELECT id, now, recorded_at, target_key, score, level, contact_count, event_count, "
    "plan_count, page_count FROM scans";

ScanSummary ReadSummary(const Statement& st) {
  ScanSummary s;
  s.id = st.ColumnInt64(0);
  s.now = st.ColumnText(1);
  s.recorded_at = st.ColumnText(2);
  s.target_key = st.ColumnText(3);
  s.score = static_cast<int>(st.ColumnInt64(4));
  s.level = st.ColumnText(5);
  s.contacts = static_cast<int>(st.ColumnInt64(6));
  s.events = static_cast<int>(st.ColumnInt64(7));
  s.plans = static_cast<int>(st.ColumnInt64(8));
  s.pages = static_cast<int>(st.ColumnInt64(9));
  return s;
}

core::Result<std::vector<std::string>> ReadTargets(Database& db, std::int64_t id) {
  auto st = db.Prepare("SELECT target FROM targets WHERE scan_id = ?1 ORDER BY position");
  if (!st.ok()) return st.error();
  st.value().Bind(1, id);
  std::vector<std::string> out;
  for (;;) {
    auto step = st.value().Step();
    if (!step.ok()) return step.error();
    if (step.value() == StepResult::kDone) return out;
    out.push_back(st.value().ColumnText(0));
  }
}

// Runs `st` (a kSummaryColumns query) and reads every row with its targets.
core::Result<std::vector<ScanSummary>> ReadSummaries(Database& db, Statement& st) {
  std::vector<ScanSummary> out;
  for (;;) {
    auto step = st.Step();
    if (!step.ok()) return step.error();
    if (step.value() == StepResult::kDone) break;
    out.push_back(ReadSummary(st));
  }
  for (auto& s : out) {
    auto targets = ReadTargets(db, s.id);
    if (!targets.ok()) return targets.error();
    s.targets = std::move(targets).value();
  }
  return out;
}

}  // namespace

core::Result<std::vector<ScanSummary>> HistoryStore::ListScans(const std::optional<std::string>& target_key) {
  std::string sql(kSummaryColumns);
  sql += target_key ? " WHERE target_key = ?1 ORDER BY id" : " ORDER BY id";
  auto st = db_->Prepare(sql);
  if (!st.ok()) return st.error();
  if (target_key) st.value().Bind(1, *target_key);
  return ReadSummaries(*db_, st.value());
}

core::Result<std::optional<ScanSummary>> HistoryStore::GetSummary(std::int64_t id) {
  auto st = db_->Prepare(std::string(kSummaryColumns) + " WHERE id = ?1");
  if (!st.ok()) return st.error();
  st.value().Bind(1, id);
  auto rows = ReadSummaries(*db_, st.value());
  if (!rows.ok()) return rows.error();
  if (rows.value().empty()) return std::optional<ScanSummary>();
  return std::optional<ScanSummary>(std::move(rows.value().front()));
}

core::Result<std::optional<std::int64_t>> HistoryStore::PreviousScan(const std::string& target_key,
                                                                     std::optional<std::int64_t> before_id) {
  auto st = db_->Prepare("SELECT id FROM scans WHERE target_key = ?1 AND id < ?2 ORDER BY id DESC LIMIT 1");
  if (!st.ok()) return st.error();
  st.value().Bind(1, target_key);
  st.value().Bind(2, before_id.value_or(INT64_MAX));
  auto step = st.value().Step();
  if (!step.ok()) return step.error();
  if (step.value() == StepResult::kDone) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(st.value().ColumnInt64(0));
}

namespace {

// The codec and result_json of scan `id`.
struct StoredRow {
  std::int64_t codec = 0;
  std::string stored;
};

// `columns` of scan `id`'s row: the statement stands on it.
core::Result<Statement> StepToScan(Database& db, const std::string& path, std::int64_t id,
                                   const std::string& columns) {
  auto st = db.Prepare("SELECT " + columns + " FROM scans WHERE id = ?1");
  if (!st.ok()) return st.error();
  st.value().Bind(1, id);
  auto step = st.value().Step();
  if (!step.ok()) return step.error();
  if (step.value() == StepResult::kDone) {
    return MakeError(ErrorCode::kNotFound,
                     path + ": no scan " + std::to_string(id) + " (see `telescreen history`)");
  }
  return st;
}

core::Result<StoredRow> ReadStoredRow(Database& db, const std::string& path, std::int64_t id) {
  auto st = StepToScan(db, path, id, "codec, result_json");
  if (!st.ok()) return st.error();
  return StoredRow{st.value().ColumnInt64(0), st.value().ColumnText(1)};
}

// Hands a stored scan's items to a DiffBuilder as they are read.
class DiffSink : public ScanItemSink {
 public:
  explicit DiffSink(DiffBuilder& diff) : diff_(diff) {}
  void Contact(model::Contact contact) override { diff_.AddBefore(contact); }
  void Event(model::Event event) override { diff_.AddBefore(event); }
  void Fact(model::IdentityFact fact) override { diff_.AddBefore(fact); }

 private:
  DiffBuilder& diff_;
};

}  // namespace

core::Result<model::ScanResult> HistoryStore::LoadScan(std::int64_t id, ScanParts parts) {
  auto row = ReadStoredRow(*db_, path_, id);
  if (!row.ok()) return row.error();
  auto result = DecodeStoredScan(row.value().codec, row.value().stored, parts);
  if (!result.ok()) return result.error().WithContext(path_ + ": scan " + std::to_string(id));
  return result;
}

core::Result<model::Changes> HistoryStore::DiffWith(std::int64_t id, const model::ScanResult& after) {
  // The stored record is read from the database a piece at a time as it
  // is parsed: neither SQLite nor this holds its megabyte whole.
  auto st = StepToScan(*db_, path_, id, "codec");
  if (!st.ok()) return st.error();
  const std::int64_t codec = st.value().ColumnInt64(0);
  auto blob = BlobReader::Open(*db_, "scans", "result_json", id);
  if (!blob.ok()) return blob.error();
  std::function<std::string_view()> next_piece = [&blob] { return blob.value().Next(); };
  DiffBuilder diff(after);
  DiffSink sink(diff);
  auto before = DecodeStoredScanItems(codec, next_piece, sink);
  if (!blob.value().status().ok()) return blob.value().status().error();
  if (!before.ok()) return before.error().WithContext(path_ + ": scan " + std::to_string(id));
  return diff.Finish(before.value(), id);
}

core::Result<std::optional<std::string>> HistoryStore::LoadBody(std::int64_t id, const std::string& url) {
  auto st = db_->Prepare(
      "SELECT b.body FROM page_bodies b JOIN pages p USING (scan_id, position) "
      "WHERE b.scan_id = ?1 AND p.url = ?2 ORDER BY b.position LIMIT 1");
  if (!st.ok()) return st.error();
  st.value().Bind(1, id);
  st.value().Bind(2, url);
  auto step = st.value().Step();
  if (!step.ok()) return step.error();
  if (step.value() == StepResult::kDone) return std::optional<std::string>();
  return std::optional<std::string>(st.value().ColumnText(0));
}

core::Result<std::string> HistoryStore::IntegrityCheck() { return db_->QueryText("PRAGMA integrity_check"); }

core::Result<int> HistoryStore::Prune(const std::string& target_key, int keep) {
  if (keep <= 0) return 0;
  if (auto s = AwaitCheck(); !s.ok()) return s.error();
  auto st = db_->Prepare(
      "DELETE FROM scans WHERE target_key = ?1 AND id NOT IN "
      "(SELECT id FROM scans WHERE target_key = ?1 ORDER BY id DESC LIMIT ?2)");
  if (!st.ok()) return st.error();
  st.value().Bind(1, target_key);
  st.value().Bind(2, std::int64_t{keep});
  if (auto s = st.value().Run(); !s.ok()) return s.error();
  return db_->Changes();
}

}  // namespace telescreen::store
