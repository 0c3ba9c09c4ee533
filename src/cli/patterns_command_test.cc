// Exit codes of `telescreen patterns list|check|test`, through cli::Main.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace telescreen::cli {
namespace {

int RunCli(std::vector<std::string> args) {
  args.insert(args.begin(), "telescreen");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return Main(static_cast<int>(argv.size()), argv.data());
}

class PatternsCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ts-patterns-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "samples" / "xing");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::filesystem::path dir_;
};

TEST_F(PatternsCommandTest, ListCheckAndTestTheBuiltinPacks) {
  EXPECT_EQ(RunCli({"patterns", "--patterns-dir", dir_.string(), "list"}), kExitOk);
  EXPECT_EQ(RunCli({"patterns", "--patterns-dir", dir_.string(), "check"}), kExitOk);
  EXPECT_EQ(RunCli({"patterns", "--patterns-dir", dir_.string(), "test"}), kExitOk);
  EXPECT_EQ(RunCli({"patterns", "--patterns-dir", dir_.string(), "test", "xing", "text"}), kExitOk);
}

TEST_F(PatternsCommandTest, CheckExitsTwoOnABrokenPackOrMissingFile) {
  std::string bad = Write("bad.json", R"({"id": "b", "name": "B", "version": "1", "checked": "2026-11-26",
    "urls": ["."], "rules": [{"id": "r", "fields": [{"target": "identity.name", "selector": "a["}]}]})");
  EXPECT_EQ(RunCli({"patterns", "check", bad}), kExitUsage);
  EXPECT_EQ(RunCli({"patterns", "check", (dir_ / "missing.json").string()}), kExitUsage);
  // A broken user pack also fails the default check (built-ins + user dir).
  EXPECT_EQ(RunCli({"patterns", "--patterns-dir", dir_.string(), "check"}), kExitUsage);
}

// A remediation without German text is a warning that fails the check; the
// same pack with both texts passes.
TEST_F(PatternsCommandTest, CheckExitsTwoOnARemediationWithoutGerman) {
  const std::string head = R"({"id": "b", "name": "B", "version": "1", "checked": "2026-11-26",
    "urls": ["."], "rules": [{"id": "r", "fields": [{"target": "identity.name", "selector": "h1"}],
    "remediation": {"text": )";
  std::string english = Write("en.json", head + R"("Hide it"}}]})");
  std::string both = Write("both.json", head + R"({"en": "Hide it", "de": "Verbergen"}}}]})");
  EXPECT_EQ(RunCli({"patterns", "check", english}), kExitUsage);
  EXPECT_EQ(RunCli({"patterns", "check", both}), kExitOk);
}

TEST_F(PatternsCommandTest, TestExitsOneOnAMismatchOrUnknownSite) {
  Write(
      "samples/xing/page.html",
      R"(<ul data-qa="contacts-list"><li data-qa="contact"><a data-qa="contact-name" href="/profile/B">B</a></li></ul>)");
  Write(
      "samples/xing/page.json",
      R"({"url": "https://www.xing.com/profile/A/contacts", "expected": {"identity": [], "contacts": [], "events": [], "links": []}})");
  EXPECT_EQ(RunCli({"patterns", "--patterns-dir", dir_.string(), "test", "xing"}), kExitRuntime);
  EXPECT_EQ(RunCli({"patterns", "test", "no-such-site"}), kExitRuntime);
}

TEST_F(PatternsCommandTest, UsageErrors) {
  EXPECT_EQ(RunCli({"patterns"}), kExitUsage);
  EXPECT_EQ(RunCli({"patterns", "frobnicate"}), kExitUsage);
}

}  // namespace
}  // namespace telescreen::cli
