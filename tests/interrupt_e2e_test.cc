// End-to-end: Ctrl-C and SIGTERM during a slow scan stop it cleanly.
// The scan stops fetching within 2 s, writes the reports it was asked for
// from the pages it read, marked interrupted, records nothing in the
// history, and exits 130 or 143; a second Ctrl-C ends it at once.
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/file.h"
#include "fetch/testing_util.h"
#include "store/history_store.h"
#include "tests/support/run_binary.h"

namespace telescreen {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kNow = "2026-01-15T00:00:00Z";

// A site without end, slow to answer: /p/N names Ann and two contacts and
// links to /p/N+1 and /p/N+2, after 300 ms.
void SlowSite(httplib::Server& server) {
  server.Get("/robots.txt", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("User-agent: *\nAllow: /\n", "text/plain");
  });
  server.Get(R"(/p/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const long n = std::stol(req.matches[1]);
    const std::string a = std::to_string(n + 1), b = std::to_string(n + 2);
    res.set_content(
        "<!doctype html><html><body><div class=\"h-card\"><a class=\"p-name u-url\" "
        "href=\"/p/0\">Ann Example</a></div><ul>"
        "<li class=\"h-card\"><a class=\"p-name u-url\" rel=\"contact\" "
        "href=\"https://c" +
            a + ".example/\">Contact " + a +
            "</a></li>"
            "<li class=\"h-card\"><a class=\"p-name u-url\" rel=\"contact\" "
            "href=\"https://c" +
            b + ".example/\">Contact " + b +
            "</a></li></ul>"
            "<a href=\"/p/" +
            a + "\">next</a> <a href=\"/p/" + b +
            "\">after</a>"
            "</body></html>",
        "text/html; charset=utf-8");
  });
}

class Interrupt : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir("telescreen-interrupt"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Start() const { return site_.Url("/p/0"); }
  std::string db() const { return dir_ + "/history.db"; }
  std::vector<std::string> ScanArgs(const std::string& depth, const std::string& report) const {
    return {"scan",        Start(), "--now",      kNow,  "--db",   db(),   "--depth", depth,
            "--max-pages", "500",   "--delay-ms", "100", "--json", report, "--html",  report + ".html"};
  }
  pid_t Spawn(const std::vector<std::string>& args) const {
    return testing::SpawnTelescreen(args, "", {"XDG_DATA_HOME=" + dir_ + "/data"}, "", dir_ + "/stderr");
  }
  // Waits for `pid`, at most `limit`; returns its wait status, or -1 (after
  // killing it) when it took longer.
  static int WaitAtMost(pid_t pid, std::chrono::milliseconds limit, std::chrono::milliseconds* took) {
    auto start = Clock::now();
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
      if (Clock::now() - start > limit) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    *took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    return status;
  }
  std::size_t ScansRecorded() const {
    auto store = store::HistoryStore::Open(db(), store::Access::kRead);
    EXPECT_TRUE(store.ok()) << store.error().message;
    if (!store.ok()) return 0;
    EXPECT_EQ(store.value().IntegrityCheck().value(), "ok");
    auto scans = store.value().ListScans();
    EXPECT_TRUE(scans.ok());
    return scans.ok() ? scans.value().size() : 0;
  }

  std::string dir_;
  fetch::testing::LoopbackServer site_{SlowSite};
};

TEST_F(Interrupt, CtrlCFinishesTheReportsAndRecordsNothing) {
  // A complete scan first: the history holds one scan to compare with.
  auto first =
      testing::RunTelescreen(ScanArgs("0", dir_ + "/first.json"), "", {"XDG_DATA_HOME=" + dir_ + "/data"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(ScansRecorded(), 1u);

  for (int sig : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(sig);
    const std::string report = dir_ + "/stopped-" + std::to_string(sig) + ".json";
    pid_t pid = Spawn(ScanArgs("100", report));
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::seconds(3));
    ASSERT_EQ(kill(pid, sig), 0);
    std::chrono::milliseconds took{0};
    int status = WaitAtMost(pid, std::chrono::seconds(10), &took);
    ASSERT_NE(status, -1) << "still running 10 s after the signal";
    ASSERT_TRUE(WIFEXITED(status)) << "ended by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    EXPECT_EQ(WEXITSTATUS(status), 128 + sig);
    EXPECT_LE(took.count(), 2000) << "exit " << took.count() << " ms after the signal";

    auto text = core::ReadFile(report);
    ASSERT_TRUE(text.ok()) << "no JSON report";
    json r = json::parse(text.value(), nullptr, false);
    ASSERT_FALSE(r.is_discarded());
    EXPECT_EQ(r["interrupted"], true);
    EXPECT_EQ(r["score"]["complete"], false);
    ASSERT_EQ(r["coverage"].size(), 1u);
    EXPECT_EQ(r["coverage"][0]["seen"], "partial");
    EXPECT_NE(r["coverage"][0]["detail"].get<std::string>().find("interrupted"), std::string::npos);
    // It read some pages, and far fewer than the 500 it may.
    EXPECT_GE(r["pages"].size(), 3u);
    EXPECT_LT(r["pages"].size(), 100u);
    EXPECT_GE(r["contacts"].size(), 2u);
    auto html = core::ReadFile(report + ".html");
    ASSERT_TRUE(html.ok()) << "no HTML report";
    EXPECT_NE(html.value().find("Interrupted"), std::string::npos);
    auto err = core::ReadFile(dir_ + "/stderr");
    ASSERT_TRUE(err.ok());
    EXPECT_NE(err.value().find("interrupted"), std::string::npos) << err.value();
    // Not recorded: the next scan compares against the complete one.
    EXPECT_EQ(ScansRecorded(), 1u);
  }
}

TEST_F(Interrupt, ASecondCtrlCQuitsAtOnce) {
  pid_t pid = Spawn(ScanArgs("100", dir_ + "/r.json"));
  ASSERT_GT(pid, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_EQ(kill(pid, SIGINT), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(kill(pid, SIGINT), 0);
  std::chrono::milliseconds took{0};
  int status = WaitAtMost(pid, std::chrono::seconds(10), &took);
  ASSERT_NE(status, -1);
  // Either it had already finished (130) or the second one ended it.
  if (WIFSIGNALED(status)) {
    EXPECT_EQ(WTERMSIG(status), SIGINT);
  } else {
    EXPECT_EQ(WEXITSTATUS(status), 130);
  }
  EXPECT_LE(took.count(), 2000);
}

}  // namespace
}  // namespace telescreen
