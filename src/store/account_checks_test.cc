#include "store/account_checks.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "store/testing_scans.h"

namespace telescreen::store {
namespace {

namespace fs = std::filesystem;

class AccountChecksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "telescreen-accounts-store-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    db_ = dir_ + "/history.db";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_, db_;
};

TEST_F(AccountChecksTest, NewestOfTheSameKeyBeforeAnId) {
  auto store = HistoryStore::Open(db_, Access::kWrite);
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto none = PreviousAccountCheck(store.value(), "jdoe");
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_FALSE(none.value().has_value());

  auto a = AddAccountCheck(store.value(), "jdoe", "2026-01-01T00:00:00Z", "{\"a\":1}");
  auto other = AddAccountCheck(store.value(), "someone", "2026-01-02T00:00:00Z", "{\"o\":1}");
  auto b = AddAccountCheck(store.value(), "jdoe", "2026-01-03T00:00:00Z", "{\"b\":1}");
  ASSERT_TRUE(a.ok() && other.ok() && b.ok());

  auto last = PreviousAccountCheck(store.value(), "jdoe");
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(last.value().has_value());
  EXPECT_EQ(*last.value(), (StoredAccountCheck{b.value(), "jdoe", "2026-01-03T00:00:00Z", "{\"b\":1}"}));
  auto before = PreviousAccountCheck(store.value(), "jdoe", b.value());
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(before.value().has_value());
  EXPECT_EQ(before.value()->id, a.value());
  auto latest = LatestAccountCheck(store.value());
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest.value()->id, b.value());
  auto first = PreviousAccountCheck(store.value(), "jdoe", a.value());
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first.value().has_value());
}

// The checks live beside the scans: a history with both still reads, and
// its integrity check passes.
TEST_F(AccountChecksTest, LiveBesideTheScans) {
  {
    auto store = HistoryStore::Open(db_, Access::kWrite);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(AddAccountCheck(store.value(), "jdoe", "2026-01-01T00:00:00Z", "{}").ok());
  }
  auto recorded = RecordScan(db_, testing::AnnScan());
  ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  auto store = HistoryStore::Open(db_, Access::kRead);
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto scans = store.value().ListScans();
  ASSERT_TRUE(scans.ok());
  EXPECT_EQ(scans.value().size(), 1u);
  auto check = PreviousAccountCheck(store.value(), "jdoe");
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check.value().has_value());
  EXPECT_EQ(store.value().IntegrityCheck().value(), "ok");
}

}  // namespace
}  // namespace telescreen::store
