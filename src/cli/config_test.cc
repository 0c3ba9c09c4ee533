#include "cli/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace telescreen::cli {
namespace {

constexpr const char* kFull = R"(# watch Ann's profiles every night
targets = ["https://example.org/ann", "https://social.example/@ann"]
cookies = "cookies.txt"

[limits]
depth = 1
max_pages = 50
concurrency = 4
per_host = 1
delay_ms = 250

[output]
json = "out/ann.json"
html = "/var/tmp/ann.html"
quiet = true

[history]
db = "~/watch/history.db"
keep = 30
store_bodies = true

[alerts]
fail_above = 60
fail_on_new = true
)";

std::string ErrorOf(const std::string& text) {
  auto config = ParseConfig(text, "/etc/telescreen/watch.toml");
  if (config.ok()) return "(no error)";
  EXPECT_EQ(config.error().code, core::ErrorCode::kInvalidArgument);
  return config.error().message;
}

TEST(ConfigTest, ReadsEveryKey) {
  setenv("HOME", "/home/ann", 1);
  auto parsed = ParseConfig(kFull, "/etc/telescreen/watch.toml");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const ScanConfig& c = parsed.value();
  EXPECT_EQ(c.path, "/etc/telescreen/watch.toml");
  EXPECT_EQ(c.targets, (std::vector<std::string>{"https://example.org/ann", "https://social.example/@ann"}));
  EXPECT_EQ(c.cookies, "/etc/telescreen/cookies.txt");
  EXPECT_EQ(c.depth, 1);
  EXPECT_EQ(c.max_pages, 50u);
  EXPECT_EQ(c.concurrency, 4u);
  EXPECT_EQ(c.per_host, 1u);
  EXPECT_EQ(c.delay_ms, 250);
  EXPECT_EQ(c.json_path, "/etc/telescreen/out/ann.json");
  EXPECT_EQ(c.html_path, "/var/tmp/ann.html");
  EXPECT_EQ(c.quiet, true);
  EXPECT_EQ(c.db_path, "/home/ann/watch/history.db");
  EXPECT_EQ(c.keep, 30);
  EXPECT_EQ(c.store_bodies, true);
  EXPECT_EQ(c.fail_above, 60);
  EXPECT_EQ(c.fail_on_new, true);
}

TEST(ConfigTest, EverythingIsOptional) {
  auto parsed = ParseConfig("", "watch.toml");
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed.value().targets.empty());
  EXPECT_FALSE(parsed.value().depth);
  EXPECT_FALSE(parsed.value().fail_on_new);
  // A relative config path anchors relative paths to its own folder.
  auto nested = ParseConfig("[history]\ndb = \"h.db\"\n", "conf/watch.toml");
  ASSERT_TRUE(nested.ok());
  EXPECT_EQ(nested.value().db_path, "conf/h.db");
}

TEST(ConfigTest, ErrorsNameFileLineAndKey) {
  EXPECT_EQ(ErrorOf("targets = [\"https://a.example/\"]\n[limits]\ndepth = \"two\"\n"),
            "/etc/telescreen/watch.toml:3:9: limits.depth: expected an integer from 0 to 1000");
  EXPECT_EQ(ErrorOf("[limits]\ndpeth = 2\n"),
            "/etc/telescreen/watch.toml:2:1: limits.dpeth: unknown key (see docs/cron.md for "
            "the keys)");
  EXPECT_EQ(ErrorOf("\n\ntarget = [\"https://a.example/\"]\n"),
            "/etc/telescreen/watch.toml:3:1: target: unknown key (see docs/cron.md for the keys)");
  EXPECT_EQ(ErrorOf("[alerts]\nfail_above = 101\n"),
            "/etc/telescreen/watch.toml:2:14: alerts.fail_above: expected an integer from 0 to "
            "100");
  EXPECT_EQ(ErrorOf("[alerts]\nfail_on_new = \"yes\"\n"),
            "/etc/telescreen/watch.toml:2:15: alerts.fail_on_new: expected true or false");
  EXPECT_EQ(ErrorOf("limits = 3\n"), "/etc/telescreen/watch.toml:1:10: limits: expected a table [limits]");
  EXPECT_EQ(ErrorOf("[output]\njson = \"\"\n"),
            "/etc/telescreen/watch.toml:2:8: output.json: expected a non-empty string");
}

TEST(ConfigTest, TargetsMustBeHttpUrls) {
  EXPECT_EQ(ErrorOf("targets = []\n"),
            "/etc/telescreen/watch.toml:1:11: targets: expected a list of URLs, e.g. "
            "[\"https://...\"]");
  EXPECT_EQ(ErrorOf("targets = \"https://a.example/\"\n")
                .rfind("/etc/telescreen/watch.toml:1:11: "
                       "targets: expected a list",
                       0),
            0u);
  std::string ftp = ErrorOf("targets = [\"https://a.example/\",\n  \"ftp://b.example/\"]\n");
  EXPECT_EQ(ftp.rfind("/etc/telescreen/watch.toml:2:3: targets[1]: ", 0), 0u) << ftp;
  EXPECT_NE(ftp.find("ftp://b.example/"), std::string::npos) << ftp;
  EXPECT_EQ(ErrorOf("targets = [3]\n"), "/etc/telescreen/watch.toml:1:12: targets[0]: expected a URL string");
}

TEST(ConfigTest, SyntaxErrorsNameFileAndLine) {
  std::string e = ErrorOf("targets = [\"https://a.example/\"]\n[limits\n");
  EXPECT_EQ(e.rfind("/etc/telescreen/watch.toml:2:", 0), 0u) << e;
  e = ErrorOf("a = 1\na = 2\n");
  EXPECT_EQ(e.rfind("/etc/telescreen/watch.toml:2:", 0), 0u) << e;
}

TEST(ConfigTest, HostileInputIsAnErrorNotACrash) {
  EXPECT_NE(ErrorOf(std::string(100000, '[')), "(no error)");
  EXPECT_NE(ErrorOf("x = \"\xff\xfe\"\n"), "(no error)");
  EXPECT_NE(ErrorOf(std::string("a = 1\0b = 2", 11)), "(no error)");
}

TEST(ConfigTest, LoadConfigReadsFilesAndNamesMissingOnes) {
  auto missing = LoadConfig("/nonexistent/watch.toml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("/nonexistent/watch.toml"), std::string::npos);

  std::string dir = std::filesystem::temp_directory_path() / "telescreen-config-XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  std::ofstream(dir + "/watch.toml") << "targets = [\"https://a.example/\"]\n"
                                     << "[output]\njson = \"a.json\"\n";
  auto loaded = LoadConfig(dir + "/watch.toml");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded.value().json_path, dir + "/a.json");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace telescreen::cli

namespace telescreen::cli {
namespace {

// The example shipped for the systemd units must load as written.
TEST(ConfigTest, ShippedExampleLoads) {
  auto loaded = LoadConfig(std::string(TELESCREEN_SOURCE_DIR) + "/docs/systemd/watch.toml");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded.value().targets.size(), 2u);
  EXPECT_EQ(loaded.value().fail_on_new, true);
}

}  // namespace
}  // namespace telescreen::cli
