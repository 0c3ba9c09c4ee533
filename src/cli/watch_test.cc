#include "cli/watch.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace telescreen::cli {
namespace {

namespace fs = std::filesystem;

// The scan command's options that a config can set, registered as the scan
// command registers them.
struct FakeScanArgs {
  std::vector<std::string> urls;
  fetch::CrawlOptions crawl;
  int delay_ms = 1000;
  std::string cookies;
  OutputOptions output;
  WatchOptions watch;
};

class WatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "telescreen-watch-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Parses `argv` like `telescreen scan ...` and applies the config.
  core::Status Parse(std::vector<std::string> argv, FakeScanArgs* a) {
    CLI::App app;
    app.add_option("URL", a->urls);
    app.add_option("--json", a->output.json_path);
    app.add_option("--html", a->output.html_path);
    app.add_flag("-q,--quiet", a->output.quiet);
    app.add_option("--max-pages", a->crawl.max_pages);
    app.add_option("--depth", a->crawl.max_depth);
    app.add_option("--concurrency", a->crawl.concurrency);
    app.add_option("--per-host", a->crawl.per_host);
    app.add_option("--delay-ms", a->delay_ms);
    app.add_option("--cookies", a->cookies);
    AddWatchOptions(&app, &a->watch);
    argv.insert(argv.begin(), "scan");
    std::vector<char*> raw;
    for (auto& s : argv) raw.push_back(s.data());
    app.parse(static_cast<int>(raw.size()), raw.data());
    ScanSettings settings{&a->urls, &a->crawl, &a->delay_ms, &a->cookies, &a->output, &a->watch};
    return ApplyConfig(app, settings);
  }

  std::string WriteConfig(const std::string& text) {
    std::string path = dir_ + "/watch.toml";
    std::ofstream(path) << text;
    return path;
  }

  static model::ScanResult Scan(int contacts, int score) {
    model::ScanResult r;
    r.now = "2026-01-01T00:00:00Z";
    r.targets = {"https://example.org/ann"};
    for (int i = 0; i < contacts; ++i) {
      r.contacts.push_back({"C" + std::to_string(i), "", "knows", {}});
    }
    r.score.total = score;
    return r;
  }

  std::string dir_;
};

TEST_F(WatchTest, ConfigFillsWhatTheCommandLineLeftOut) {
  std::string config = WriteConfig(R"(
targets = ["https://example.org/ann"]
cookies = "c.txt"
[limits]
depth = 1
max_pages = 7
delay_ms = 50
[output]
json = "a.json"
quiet = true
[history]
db = "h.db"
keep = 3
[alerts]
fail_above = 60
fail_on_new = true
)");
  FakeScanArgs a;
  auto status = Parse({"--config", config, "--max-pages", "9", "--json", "/x.json"}, &a);
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(a.urls, std::vector<std::string>{"https://example.org/ann"});
  EXPECT_EQ(a.crawl.max_depth, 1);
  EXPECT_EQ(a.crawl.max_pages, 9u);                                   // the flag wins
  EXPECT_EQ(a.crawl.concurrency, fetch::CrawlOptions{}.concurrency);  // neither: default
  EXPECT_EQ(a.delay_ms, 50);
  EXPECT_EQ(a.cookies, dir_ + "/c.txt");
  EXPECT_EQ(a.output.json_path, "/x.json");  // the flag wins
  EXPECT_TRUE(a.output.quiet);
  EXPECT_EQ(a.watch.db_path, dir_ + "/h.db");
  EXPECT_EQ(a.watch.keep, 3);
  EXPECT_EQ(a.watch.fail_above, 60);
  EXPECT_TRUE(a.watch.fail_on_new);
}

TEST_F(WatchTest, UrlsOnTheCommandLineReplaceTheConfigTargets) {
  std::string config = WriteConfig("targets = [\"https://example.org/ann\"]\n");
  FakeScanArgs a;
  ASSERT_TRUE(Parse({"https://example.org/bob", "--config", config}, &a).ok());
  EXPECT_EQ(a.urls, std::vector<std::string>{"https://example.org/bob"});
}

TEST_F(WatchTest, ConfigErrorsComeBack) {
  FakeScanArgs a;
  auto status = Parse({"--config", WriteConfig("[limits]\ndepth = -1\n")}, &a);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            dir_ + "/watch.toml:2:9: limits.depth: expected an integer from 0 to 1000");
  auto missing = Parse({"--config", dir_ + "/none.toml"}, &a);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
}

TEST_F(WatchTest, RecordsAndAlertsOnNewContacts) {
  WatchOptions options;
  options.db_path = dir_ + "/h.db";
  options.fail_on_new = true;
  model::ScanResult first = Scan(2, 30);
  WatchOutcome a = RecordAndCheck(&first, options);
  EXPECT_EQ(a.exit_code, kExitOk);
  EXPECT_GT(a.scan_id, 0);
  EXPECT_FALSE(first.changes.has_value());

  model::ScanResult same = Scan(2, 30);
  WatchOutcome b = RecordAndCheck(&same, options);
  EXPECT_EQ(b.exit_code, kExitOk);
  ASSERT_TRUE(same.changes.has_value());
  EXPECT_EQ(same.changes->previous_scan_id, a.scan_id);

  model::ScanResult more = Scan(3, 30);
  WatchOutcome c = RecordAndCheck(&more, options);
  EXPECT_EQ(c.exit_code, kExitAlert);
  ASSERT_EQ(c.alerts.reasons.size(), 1u);
  ASSERT_TRUE(more.changes.has_value());
  EXPECT_EQ(more.changes->new_contacts.size(), 1u);
}

TEST_F(WatchTest, ReportsAreWrittenWithTheChangesWhileTheScanIsRecorded) {
  WatchOptions options;
  options.db_path = dir_ + "/h.db";
  options.fail_on_new = true;
  model::ScanResult first = Scan(2, 30);
  int calls = 0;
  WatchOutcome a = RecordAndCheck(&first, options, {}, [&](const WatchOutcome& so_far) {
    ++calls;
    EXPECT_FALSE(so_far.alerts.tripped());
    EXPECT_FALSE(first.changes.has_value());
  });
  EXPECT_EQ(calls, 1);
  EXPECT_GT(a.scan_id, 0);

  model::ScanResult more = Scan(3, 30);
  WatchOutcome b = RecordAndCheck(&more, options, {}, [&](const WatchOutcome& so_far) {
    ++calls;
    EXPECT_TRUE(so_far.alerts.tripped());
    ASSERT_TRUE(more.changes.has_value());  // the reports can show what is new
    EXPECT_EQ(more.changes->new_contacts.size(), 1u);
  });
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(b.exit_code, kExitAlert);
  EXPECT_GT(b.scan_id, a.scan_id);

  // Without a history the reports are written all the same.
  options.no_history = true;
  model::ScanResult alone = Scan(1, 10);
  RecordAndCheck(&alone, options, {}, [&](const WatchOutcome&) { ++calls; });
  EXPECT_EQ(calls, 3);
}

// The first half begun early, on the scan before it moved (as the scanner
// does it while scoring), gives the same changes and records the moved scan.
TEST_F(WatchTest, AHistoryBegunWhileScoringRecordsTheScanItBecame) {
  WatchOptions options;
  options.db_path = dir_ + "/h.db";
  options.fail_on_new = true;
  model::ScanResult first = Scan(2, 30);
  ASSERT_GT(RecordAndCheck(&first, options).scan_id, 0);

  WatchOutcome outcome;
  model::ScanResult moved;
  const std::vector<store::PageBody> no_bodies;  // must outlive the early half
  {
    EarlyRecord early;
    auto before_the_move = std::make_unique<model::ScanResult>(Scan(3, 30));
    early.Start(*before_the_move, options, no_bodies);
    early.Wait();
    moved = std::move(*before_the_move);
    before_the_move.reset();  // Finish must not read the old one
    outcome = RecordAndCheck(&moved, options, no_bodies, {}, &early);
  }
  EXPECT_EQ(outcome.exit_code, kExitAlert);
  ASSERT_TRUE(moved.changes.has_value());
  EXPECT_EQ(moved.changes->new_contacts.size(), 1u);
  ASSERT_GT(outcome.scan_id, 0);

  // The next scan compares against what was recorded: the three contacts.
  model::ScanResult again = Scan(3, 30);
  WatchOutcome again_recorded = RecordAndCheck(&again, options);
  ASSERT_TRUE(again.changes.has_value());
  EXPECT_EQ(again.changes->previous_scan_id, outcome.scan_id);
  EXPECT_TRUE(again.changes->new_contacts.empty());

  // Begun early but never finished (an interrupt came after): nothing recorded.
  {
    model::ScanResult dropped = Scan(4, 30);  // outlives `early`, which waits when destroyed
    EarlyRecord early;
    early.Start(dropped, options, no_bodies);
  }
  model::ScanResult last = Scan(3, 30);
  RecordAndCheck(&last, options);
  ASSERT_TRUE(last.changes.has_value());
  EXPECT_EQ(last.changes->previous_scan_id, again_recorded.scan_id);
}

TEST_F(WatchTest, FailAboveWorksWithoutHistory) {
  WatchOptions options;
  options.no_history = true;
  options.fail_above = 50;
  model::ScanResult low = Scan(0, 50);
  EXPECT_EQ(RecordAndCheck(&low, options).exit_code, kExitOk);
  model::ScanResult high = Scan(0, 51);
  EXPECT_EQ(RecordAndCheck(&high, options).exit_code, kExitAlert);
  EXPECT_FALSE(high.changes.has_value());
  EXPECT_FALSE(fs::exists(dir_ + "/h.db"));
}

TEST_F(WatchTest, HistoryFailureIsARuntimeErrorButKeepsTheResult) {
  std::ofstream(dir_ + "/notes.db") << "not a database at all, my notes" << std::string(4096, '.');
  WatchOptions options;
  options.db_path = dir_ + "/notes.db";
  model::ScanResult scan = Scan(1, 10);
  WatchOutcome outcome = RecordAndCheck(&scan, options);
  EXPECT_EQ(outcome.exit_code, kExitRuntime);
  ASSERT_EQ(outcome.messages.size(), 1u);
  EXPECT_NE(outcome.messages[0].find("not a SQLite database"), std::string::npos);
  EXPECT_EQ(scan.contacts.size(), 1u);
}

}  // namespace
}  // namespace telescreen::cli
