// Nothing lost: a writer killed with SIGKILL at any point before,
// during or after the history write leaves a database that passes
// PRAGMA integrity_check, holds every scan whose commit was reported and no
// partial scan, and takes the next write.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "store/history_store.h"
#include "store/sqlite.h"
#include "store/testing_scans.h"

namespace telescreen::store {
namespace {

namespace fs = std::filesystem;

// A scan big enough that writing it takes a while, so random kills land
// inside SQLite's commit as well as between statements.
model::ScanResult BigScan(int n) {
  model::ScanResult scan = testing::AnnScan();
  for (int i = 0; i < n; ++i) {
    scan.contacts.push_back(
        testing::MakeContact("Contact " + std::to_string(i), "https://example.org/c/" + std::to_string(i)));
  }
  return scan;
}

class DurabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "telescreen-durable-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    db_ = dir_ + "/history.db";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Checks the database as the next scan would find it; returns the ids of
  // the scans it holds.
  std::set<std::int64_t> CheckSound() {
    auto store = HistoryStore::Open(db_, Access::kRead);
    if (!store.ok()) {
      ADD_FAILURE() << store.error().message;
      return {};
    }
    EXPECT_EQ(store.value().IntegrityCheck().value(), "ok");
    Database& db = store.value().database();
    // No partial scan: every scan has all of its contact rows.
    EXPECT_EQ(db.QueryInt("SELECT count(*) FROM scans s WHERE contact_count != "
                          "(SELECT count(*) FROM contacts c WHERE c.scan_id = s.id)")
                  .value(),
              0);
    EXPECT_EQ(db.QueryInt("PRAGMA foreign_key_check").value(), std::nullopt);
    std::set<std::int64_t> ids;
    auto scans = store.value().ListScans();
    EXPECT_TRUE(scans.ok());
    if (!scans.ok()) return {};
    for (const auto& s : scans.value()) {
      ids.insert(s.id);
      EXPECT_TRUE(store.value().LoadScan(s.id).ok());
    }
    return ids;
  }

  std::string dir_;
  std::string db_;
};

// Runs `child` in a forked process and returns its wait status.
template <typename F>
int RunInChild(F child) {
  pid_t pid = fork();
  if (pid == 0) {
    child();
    _exit(0);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

TEST_F(DurabilityTest, KilledAtEveryStage) {
  const RecordStage stages[] = {
      RecordStage::kOpened,      RecordStage::kBegun,  RecordStage::kPreviousRead, RecordStage::kScanWritten,
      RecordStage::kRowsWritten, RecordStage::kPruned, RecordStage::kCommitted};
  // Two scans first, so pruning (keep 2) has work at every stage.
  ASSERT_TRUE(RecordScan(db_, BigScan(50)).ok());
  ASSERT_TRUE(RecordScan(db_, BigScan(50)).ok());
  for (RecordStage stage : stages) {
    SCOPED_TRACE(static_cast<int>(stage));
    std::set<std::int64_t> before = CheckSound();
    int status = RunInChild([&] {
      RecordOptions options;
      options.keep = 2;
      options.on_stage = [stage](RecordStage s) {
        if (s == stage) raise(SIGKILL);
      };
      (void)RecordScan(db_, BigScan(60), options);
    });
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
    std::set<std::int64_t> after = CheckSound();
    if (stage == RecordStage::kCommitted) {
      EXPECT_EQ(after.size(), 2u);  // one new, one pruned
      EXPECT_GT(*after.rbegin(), *before.rbegin());
    } else {
      EXPECT_EQ(after, before);  // rolled back whole
    }
    // The next write works (the dead writer's lock died with it) and
    // compares with the newest surviving scan.
    RecordOptions next;
    next.lock_wait = std::chrono::milliseconds(0);
    next.keep = 2;
    auto outcome = RecordScan(db_, BigScan(50), next);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_EQ(outcome.value().previous_id, *after.rbegin());
  }
}

TEST_F(DurabilityTest, KilledAtRandomMomentsWhileWritingInALoop) {
  // The child records scans in a loop and reports each committed id on a
  // pipe; the parent kills it after a delay that varies from kill to kill.
  std::size_t total_commits = 0;
  for (int round = 0; round < 30; ++round) {
    SCOPED_TRACE(round);
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      RecordOptions options;
      options.keep = 5;
      for (;;) {
        auto outcome = RecordScan(db_, BigScan(200), options);
        if (!outcome.ok()) _exit(2);
        std::int64_t id = outcome.value().scan_id;
        if (write(fds[1], &id, sizeof(id)) != sizeof(id)) _exit(3);
      }
    }
    close(fds[1]);
    // Let 0, 1 or 2 writes finish, then wait 0, 7, 14, ... ms more: kills
    // land before, inside and after writes.
    std::vector<std::int64_t> committed;
    std::int64_t id = 0;
    for (int i = 0; i < round % 3 && read(fds[0], &id, sizeof(id)) == sizeof(id); ++i) {
      committed.push_back(id);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds((round * 7) % 100));
    kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    ASSERT_TRUE(WIFSIGNALED(status)) << "writer failed with exit " << WEXITSTATUS(status);
    while (read(fds[0], &id, sizeof(id)) == sizeof(id)) committed.push_back(id);
    close(fds[0]);
    if (!fs::exists(db_)) continue;  // killed before it created anything
    auto store = HistoryStore::Open(db_, Access::kRead);
    if (!store.ok() && store.error().code == core::ErrorCode::kNotFound) continue;  // empty
    std::set<std::int64_t> held = CheckSound();
    // A reported commit is durable (unless a later scan pruned it).
    if (!committed.empty()) {
      EXPECT_EQ(held.count(committed.back()), 1u);
    }
    total_commits += committed.size();
  }
  // The kills did land among writes, not all before the first one.
  EXPECT_GT(total_commits, 0u);
  RecordOptions next;
  next.lock_wait = std::chrono::milliseconds(0);
  auto outcome = RecordScan(db_, BigScan(10), next);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(CheckSound().count(outcome.value().scan_id), 1u);
}

}  // namespace
}  // namespace telescreen::store
