#include "store/history_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/diff.h"
#include "store/file_lock.h"
#include "store/sqlite.h"
#include "store/testing_scans.h"

namespace telescreen::store {
namespace {

namespace fs = std::filesystem;
using testing::AnnScan;
using testing::MakeContact;
using testing::MakeEvent;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class HistoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "telescreen-store-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    db_ = dir_ + "/sub/dir/history.db";
  }
  void TearDown() override { fs::remove_all(dir_); }

  static RecordOptions Keep(int keep) {
    RecordOptions o;
    o.keep = keep;
    return o;
  }
  static RecordOptions LockWait(int ms) {
    RecordOptions o;
    o.lock_wait = std::chrono::milliseconds(ms);
    return o;
  }

  RecordOutcome Record(const model::ScanResult& scan, RecordOptions options = {}) {
    auto outcome = RecordScan(db_, scan, options);
    EXPECT_TRUE(outcome.ok()) << outcome.error().message;
    return outcome.ok() ? outcome.value() : RecordOutcome{};
  }

  HistoryStore OpenRead() {
    auto store = HistoryStore::Open(db_, Access::kRead);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return std::move(store).value();
  }

  // Runs SQL on the database with the plain C API, behind the store's back.
  void RawExec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
    sqlite3_free(err);
    sqlite3_close(db);
  }

  std::string dir_;
  std::string db_;
};

TEST_F(HistoryStoreTest, FirstScanHasNoChangesAndOwnerOnlyFiles) {
  RecordOutcome first = Record(AnnScan());
  EXPECT_GT(first.scan_id, 0);
  EXPECT_FALSE(first.previous_id.has_value());
  EXPECT_FALSE(first.changes.has_value());
  struct stat st {};
  ASSERT_EQ(stat(db_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat((dir_ + "/sub/dir").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(stat(LockPathFor(db_).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(HistoryStoreTest, SecondScanOfSameTargetsShowsChanges) {
  RecordOutcome first = Record(AnnScan());
  auto later = AnnScan("2026-01-02T00:00:00Z");
  std::reverse(later.targets.begin(), later.targets.end());  // same set, other order
  later.contacts.push_back(MakeContact("Dave", "https://example.org/dave"));
  later.events.push_back(MakeEvent("Dentist", "2026-01-05T09:00", model::Tense::kFuture));
  later.score.total = 52;
  RecordOutcome second = Record(later);
  EXPECT_GT(second.scan_id, first.scan_id);
  ASSERT_EQ(second.previous_id, first.scan_id);
  ASSERT_TRUE(second.changes.has_value());
  const model::Changes& c = *second.changes;
  EXPECT_EQ(c.previous_scan_id, first.scan_id);
  EXPECT_EQ(c.previous_now, "2026-01-01T00:00:00Z");
  EXPECT_EQ(c.previous_score, 40);
  ASSERT_EQ(c.new_contacts.size(), 1u);
  EXPECT_EQ(c.new_contacts[0].name, "Dave");
  ASSERT_EQ(c.new_plans.size(), 1u);
  EXPECT_EQ(c.new_plans[0].name, "Dentist");
  EXPECT_TRUE(c.removed_contacts.empty());
}

TEST_F(HistoryStoreTest, OtherTargetsAreNotCompared) {
  Record(AnnScan());
  auto bob = AnnScan();
  bob.targets = {"https://example.org/bob"};
  RecordOutcome outcome = Record(bob);
  EXPECT_FALSE(outcome.previous_id.has_value());
  EXPECT_FALSE(outcome.changes.has_value());
}

TEST_F(HistoryStoreTest, ListsAndLoadsScans) {
  auto scan = AnnScan();
  Record(scan);
  auto other = AnnScan("2026-02-01T00:00:00Z");
  other.targets = {"https://example.org/bob"};
  other.contacts.clear();
  Record(other);
  HistoryStore store = OpenRead();
  auto all = store.ListScans();
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all.value().size(), 2u);
  const ScanSummary& s = all.value()[0];
  EXPECT_EQ(s.now, "2026-01-01T00:00:00Z");
  EXPECT_EQ(s.targets, scan.targets);
  EXPECT_EQ(s.target_key, TargetKey(scan.targets));
  EXPECT_EQ(s.score, 40);
  EXPECT_EQ(s.level, "moderate");
  EXPECT_EQ(s.contacts, 2);
  EXPECT_EQ(s.events, 2);
  EXPECT_EQ(s.plans, 1);
  EXPECT_EQ(s.pages, 1);
  EXPECT_EQ(s.recorded_at.size(), 20u);
  EXPECT_EQ(all.value()[1].contacts, 0);

  auto only_bob = store.ListScans(TargetKey(other.targets));
  ASSERT_TRUE(only_bob.ok());
  ASSERT_EQ(only_bob.value().size(), 1u);
  EXPECT_EQ(only_bob.value()[0].id, all.value()[1].id);

  auto loaded = store.LoadScan(s.id);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded.value().contacts.size(), 2u);
  EXPECT_EQ(loaded.value().identity.facts[0].value, "Acme GmbH");
  auto missing = store.LoadScan(999);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  auto summary = store.GetSummary(999);
  ASSERT_TRUE(summary.ok());
  EXPECT_FALSE(summary.value().has_value());
}

TEST_F(HistoryStoreTest, StructuredRowsAreQueryable) {
  Record(AnnScan());
  HistoryStore store = OpenRead();
  Database& db = store.database();
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM contacts").value(), 2);
  EXPECT_EQ(db.QueryText("SELECT name FROM events WHERE tense = 'future'").value(),
            "Chaos Communication Congress");
  EXPECT_EQ(db.QueryText("SELECT status || ' ' || sha256 FROM pages").value(), "200 " + std::string(64, 'a'));
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM identity_facts").value(), 5);  // name, 2 profiles, 2 facts
  EXPECT_EQ(db.QueryText("SELECT finding_id FROM findings").value(), "contacts.public");
  EXPECT_EQ(db.QueryText("PRAGMA journal_mode").value(), "wal");
  EXPECT_EQ(db.QueryInt("PRAGMA user_version").value(), SchemaVersion());
}

TEST_F(HistoryStoreTest, BlobsAreWrittenAndReadInPieces) {
  fs::create_directories(dir_ + "/sub/dir");
  auto db = Database::Open(dir_ + "/blob.db", OpenMode::kReadWriteCreate);
  ASSERT_TRUE(db.ok()) << db.error().message;
  ASSERT_TRUE(db.value().Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)").ok());
  std::vector<std::string> pieces;
  std::string whole;
  for (int i = 0; i < 5; ++i) {
    pieces.push_back(std::string(40000 + i, static_cast<char>('a' + i)));
    whole += pieces.back();
  }
  auto st = db.value().Prepare("INSERT INTO t (b) VALUES (?1)");
  ASSERT_TRUE(st.ok());
  st.value().BindZeroBlob(1, whole.size());
  ASSERT_TRUE(st.value().Run().ok());
  const std::int64_t id = db.value().LastInsertRowId();
  ASSERT_TRUE(db.value().WriteBlob("t", "b", id, pieces).ok());
  EXPECT_EQ(db.value().QueryInt("SELECT length(b) FROM t").value(), static_cast<std::int64_t>(whole.size()));

  auto blob = BlobReader::Open(db.value(), "t", "b", id);
  ASSERT_TRUE(blob.ok()) << blob.error().message;
  std::string read;
  for (std::string_view piece = blob.value().Next(); !piece.empty(); piece = blob.value().Next()) {
    EXPECT_LE(piece.size(), 64u * 1024);
    read += piece;
  }
  EXPECT_TRUE(blob.value().status().ok());
  EXPECT_EQ(read, whole);
  // More than the zeroblob holds is an error, and so is a row that is not there.
  EXPECT_FALSE(db.value().WriteBlob("t", "b", id, {whole, "x"}).ok());
  EXPECT_FALSE(BlobReader::Open(db.value(), "t", "b", id + 1).ok());
}

// An event without a date, a fact and a finding with empty texts: empty is
// "" in the rows, never SQL NULL (events.start is NOT NULL).
TEST_F(HistoryStoreTest, EmptyTextsAreRecordedAsEmpty) {
  auto scan = AnnScan();
  scan.events.push_back(MakeEvent("Someday", "", model::Tense::kUnknown));
  scan.findings.front().remediation = "";
  Record(scan);
  HistoryStore store = OpenRead();
  Database& db = store.database();
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM events WHERE name = 'Someday' AND start = ''").value(), 1);
  auto loaded = store.LoadScan(store.ListScans().value().at(0).id);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_EQ(loaded.value().events.size(), 3u);
  EXPECT_EQ(loaded.value().findings.front().remediation, "");
}

TEST_F(HistoryStoreTest, KeepPrunesOnlyTheSameTargets) {
  auto bob = AnnScan();
  bob.targets = {"https://example.org/bob"};
  Record(bob);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(Record(AnnScan()).scan_id);
  RecordOutcome last = Record(AnnScan(), Keep(2));
  EXPECT_EQ(last.pruned, 3);
  HistoryStore store = OpenRead();
  auto ann = store.ListScans(TargetKey(AnnScan().targets));
  ASSERT_TRUE(ann.ok());
  ASSERT_EQ(ann.value().size(), 2u);
  EXPECT_EQ(ann.value()[0].id, ids[3]);
  EXPECT_EQ(ann.value()[1].id, last.scan_id);
  EXPECT_EQ(store.ListScans(TargetKey(bob.targets)).value().size(), 1u);
  // The cascade removed the pruned scans' rows; nothing is orphaned.
  Database& db = store.database();
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM contacts WHERE scan_id NOT IN "
                        "(SELECT id FROM scans)")
                .value(),
            0);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM contacts").value(), 2 * 3);
}

TEST_F(HistoryStoreTest, BodiesOnlyWhenAsked) {
  auto scan = AnnScan();
  std::vector<PageBody> bodies = {{"https://example.org/ann", "<html>Ann</html>"},
                                  {"https://elsewhere.example/", "ignored"}};
  auto dropped = RecordScan(db_, scan, {}, bodies);
  ASSERT_TRUE(dropped.ok());
  RecordOptions store_bodies;
  store_bodies.bodies = BodyPolicy::kStore;
  auto kept = RecordScan(db_, scan, store_bodies, bodies);
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  HistoryStore store = OpenRead();
  EXPECT_FALSE(store.LoadBody(dropped.value().scan_id, "https://example.org/ann").value());
  EXPECT_EQ(store.LoadBody(kept.value().scan_id, "https://example.org/ann").value(), "<html>Ann</html>");
  EXPECT_EQ(store.database().QueryInt("SELECT count(*) FROM page_bodies").value(), 1);
}

TEST_F(HistoryStoreTest, FailureMidWriteLeavesNothing) {
  Record(AnnScan());
  RecordOptions options;
  options.on_stage = [](RecordStage stage) {
    if (stage == RecordStage::kRowsWritten) throw std::runtime_error("boom");
  };
  EXPECT_THROW((void)RecordScan(db_, AnnScan(), options), std::runtime_error);
  HistoryStore store = OpenRead();
  EXPECT_EQ(store.ListScans().value().size(), 1u);
  EXPECT_EQ(store.database().QueryInt("SELECT count(*) FROM contacts").value(), 2);
  EXPECT_EQ(store.IntegrityCheck().value(), "ok");
  // The lock was released with the store: the next write works.
  EXPECT_TRUE(RecordScan(db_, AnnScan(), LockWait(0)).ok());
}

TEST_F(HistoryStoreTest, TheChangesComeBeforeTheRowsAreWritten) {
  RecordOutcome first = Record(AnnScan());
  auto later = AnnScan("2026-01-02T00:00:00Z");
  later.contacts.push_back(MakeContact("Dave", "https://example.org/dave"));
  std::vector<RecordStage> stages;
  RecordOptions options;
  options.on_stage = [&stages](RecordStage stage) { stages.push_back(stage); };
  auto pending = BeginRecord(db_, later, options);
  ASSERT_TRUE(pending.ok()) << pending.error().message;
  ASSERT_TRUE(pending.value().outcome().changes.has_value());
  EXPECT_EQ(pending.value().outcome().changes->new_contacts.size(), 1u);
  EXPECT_EQ(pending.value().outcome().scan_id, 0);
  EXPECT_EQ(stages.back(), RecordStage::kPreviousRead);
  // Not yet written: a reader sees the first scan only.
  EXPECT_EQ(OpenRead().ListScans().value().size(), 1u);
  // Setting the changes on the result is allowed meanwhile (they are not stored).
  later.changes = pending.value().outcome().changes;
  auto done = pending.value().Finish();
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_GT(done.value().scan_id, first.scan_id);
  EXPECT_EQ(stages.back(), RecordStage::kCommitted);
  EXPECT_FALSE(pending.value().Finish().ok());  // once only
  EXPECT_EQ(OpenRead().ListScans().value().size(), 2u);
}

TEST_F(HistoryStoreTest, AnUnfinishedRecordLeavesNothingAndFreesTheLock) {
  Record(AnnScan());
  {
    auto pending = BeginRecord(db_, AnnScan("2026-01-02T00:00:00Z"));
    ASSERT_TRUE(pending.ok()) << pending.error().message;
    // Held while pending: another writer cannot start.
    EXPECT_FALSE(RecordScan(db_, AnnScan(), LockWait(0)).ok());
  }
  HistoryStore store = OpenRead();
  EXPECT_EQ(store.ListScans().value().size(), 1u);
  EXPECT_EQ(store.IntegrityCheck().value(), "ok");
  EXPECT_TRUE(RecordScan(db_, AnnScan(), LockWait(0)).ok());
}

TEST_F(HistoryStoreTest, ReadingAMissingHistoryIsNotFound) {
  auto store = HistoryStore::Open(db_, Access::kRead);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, core::ErrorCode::kNotFound);
  EXPECT_NE(store.error().message.find(db_), std::string::npos);
  EXPECT_FALSE(fs::exists(db_));  // reading created nothing
}

TEST_F(HistoryStoreTest, NewerSchemaIsRefusedUntouched) {
  Record(AnnScan());
  RawExec("PRAGMA user_version = 99; PRAGMA journal_mode = DELETE;");
  std::string before = Slurp(db_);
  for (Access access : {Access::kRead, Access::kWrite}) {
    auto store = HistoryStore::Open(db_, access);
    ASSERT_FALSE(store.ok());
    EXPECT_NE(store.error().message.find("newer telescreen (history schema 99"), std::string::npos)
        << store.error().message;
  }
  EXPECT_FALSE(RecordScan(db_, AnnScan()).ok());
  EXPECT_EQ(Slurp(db_), before);
}

TEST_F(HistoryStoreTest, NotADatabaseIsRefusedUntouched) {
  fs::create_directories(dir_ + "/sub/dir");
  std::ofstream(db_) << "these are my notes, not a database\n" << std::string(5000, 'x');
  std::string before = Slurp(db_);
  auto outcome = RecordScan(db_, AnnScan());
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.error().message.find("not a SQLite database"), std::string::npos)
      << outcome.error().message;
  EXPECT_EQ(Slurp(db_), before);
}

TEST_F(HistoryStoreTest, ForeignDatabaseIsRefused) {
  fs::create_directories(dir_ + "/sub/dir");
  RawExec("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');");
  auto outcome = RecordScan(db_, AnnScan());
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.error().message.find("not a telescreen history"), std::string::npos)
      << outcome.error().message;
}

TEST_F(HistoryStoreTest, DamagedDatabaseIsRefusedUntouched) {
  // Enough scans for several pages, then scribble over the middle pages.
  for (int i = 0; i < 20; ++i) Record(AnnScan());
  RawExec("PRAGMA journal_mode = DELETE;");
  std::string bytes = Slurp(db_);
  ASSERT_GT(bytes.size(), 8u * 4096);
  for (std::size_t i = 2 * 4096; i < 6 * 4096; ++i) bytes[i] = static_cast<char>(i * 31);
  std::ofstream(db_, std::ios::binary | std::ios::trunc) << bytes;
  auto outcome = RecordScan(db_, AnnScan());
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.error().message.find("damaged"), std::string::npos) << outcome.error().message;
  EXPECT_EQ(Slurp(db_), bytes);
  auto read = HistoryStore::Open(db_, Access::kRead);
  EXPECT_FALSE(read.ok());
}

// The same in WAL mode, where the check runs beside the diff: the first
// write still waits for it, and nothing is written.
TEST_F(HistoryStoreTest, DamagedWalDatabaseIsRefusedUntouchedToo) {
  for (int i = 0; i < 20; ++i) Record(AnnScan());
  std::string bytes = Slurp(db_);
  ASSERT_GT(bytes.size(), 8u * 4096);
  for (std::size_t i = 2 * 4096; i < 6 * 4096; ++i) bytes[i] = static_cast<char>(i * 31);
  std::ofstream(db_, std::ios::binary | std::ios::trunc) << bytes;
  auto outcome = RecordScan(db_, AnnScan(), Keep(3));
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.error().message.find("damaged"), std::string::npos) << outcome.error().message;
  EXPECT_EQ(Slurp(db_), bytes);
  // A writer that never writes (the diff alone) reports no verdict but the check's.
  auto store = HistoryStore::Open(db_, Access::kWrite);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_FALSE(store.value().AwaitCheck().ok());
  EXPECT_FALSE(store.value().Prune(TargetKey(AnnScan().targets), 1).ok());
}

TEST_F(HistoryStoreTest, SecondWriterWaitsThenNamesTheHolder) {
  Record(AnnScan());
  auto holder = FileLock::Acquire(LockPathFor(db_), std::chrono::milliseconds(0));
  ASSERT_TRUE(holder.ok()) << holder.error().message;
  auto outcome = RecordScan(db_, AnnScan(), LockWait(120));
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.error().message.find("locked by process " + std::to_string(getpid())), std::string::npos)
      << outcome.error().message;
  // Readers are not blocked by a writer's lock.
  EXPECT_TRUE(HistoryStore::Open(db_, Access::kRead).ok());
}

TEST_F(HistoryStoreTest, DefaultPathFollowsXdg) {
  const char* old_xdg = std::getenv("XDG_DATA_HOME");
  std::string saved = old_xdg != nullptr ? old_xdg : "";
  setenv("XDG_DATA_HOME", "/data/xdg", 1);
  EXPECT_EQ(DefaultHistoryPath().value(), "/data/xdg/telescreen/history.db");
  EXPECT_EQ(HistoryPath("").value(), "/data/xdg/telescreen/history.db");
  EXPECT_EQ(HistoryPath("mine.db").value(), "mine.db");  // --db wins
  setenv("XDG_DATA_HOME", "relative/ignored", 1);
  auto fallback = DefaultHistoryPath();
  ASSERT_TRUE(fallback.ok());
  EXPECT_NE(fallback.value().find("/.local/share/telescreen/history.db"), std::string::npos);
  if (old_xdg != nullptr) {
    setenv("XDG_DATA_HOME", saved.c_str(), 1);
  } else {
    unsetenv("XDG_DATA_HOME");
  }
}

}  // namespace
}  // namespace telescreen::store
