// End-to-end: members-only views, via the user's cookies.txt or a HAR
// export of their own logged-in browser. Cookie values must never
// reach a report.
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/file.h"
#include "tests/support/run_binary.h"

namespace telescreen {
namespace {

using json = nlohmann::json;
using testing::RunTelescreen;

constexpr const char* kSecret = "s3cr3t-session-4711";

constexpr const char* kMembersPage = R"(<!doctype html><html><head><title>Kim Beispiel</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Person","name":"Kim Beispiel",
"knows":[{"@type":"Person","name":"Uwe Unsichtbar","url":"https://uwe.example/"},
         {"@type":"Person","name":"Vera Verborgen","url":"https://vera.example/"}]}</script>
</head><body><h1>Kim Beispiel</h1></body></html>)";

constexpr const char* kPublicPage = R"(<!doctype html><html><head><title>Kim Beispiel</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Person","name":"Kim Beispiel"}</script>
</head><body><h1>Kim Beispiel</h1><p>Log in to see contacts.</p></body></html>)";

class MembersOnly : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("telescreen-members");
    server_.Get("/kim", [this](const httplib::Request& req, httplib::Response& res) {
      std::string cookie = req.get_header_value("Cookie");
      if (cookie.find(kSecret) != std::string::npos) ++cookie_requests_;
      bool member = cookie.find(std::string("session=") + kSecret) != std::string::npos;
      res.set_header("Date", "Fri, 09 Jan 2026 07:30:00 GMT");  // the page's capture time
      res.set_content(member ? kMembersPage : kPublicPage, "text/html; charset=utf-8");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
    std::filesystem::remove_all(dir_);
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/kim"; }

  std::string dir_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> cookie_requests_{0};
};

TEST_F(MembersOnly, CookiesShowWhatMembersSeeAndNeverReachTheReport) {
  std::string cookies = dir_ + "/cookies.txt";
  ASSERT_TRUE(core::WriteFileAtomic(cookies, std::string("# Netscape HTTP Cookie File\n"
                                                         "127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\t") +
                                                 kSecret + "\n" +
                                                 "other.example\tTRUE\t/\tFALSE\t0\tsession\tnot-for-us\n")
                  .ok());
  auto anonymous = RunTelescreen({"scan", Url(), "--depth", "0", "-q", "--json", dir_ + "/public.json"});
  ASSERT_EQ(anonymous.exit_code, 0) << anonymous.err;
  EXPECT_TRUE(json::parse(core::ReadFile(dir_ + "/public.json").value())["contacts"].empty());

  auto member = RunTelescreen({"scan", Url(), "--depth", "0", "--cookies", cookies, "--json",
                               dir_ + "/m.json", "--html", dir_ + "/m.html"});
  ASSERT_EQ(member.exit_code, 0) << member.err;
  EXPECT_GE(cookie_requests_.load(), 1);
  std::string text = core::ReadFile(dir_ + "/m.json").value();
  json j = json::parse(text);
  ASSERT_EQ(j["contacts"].size(), 2u);
  for (const auto& c : j["contacts"]) EXPECT_EQ(c["visibility"], "members-only") << c.dump();
  ASSERT_EQ(j["pages"].size(), 1u);
  EXPECT_EQ(j["pages"][0]["captured_at"], "2026-01-09T07:30:00Z");  // the response's Date header
  // The cookie's value appears nowhere a user or a log might show.
  for (const std::string& out : {text, core::ReadFile(dir_ + "/m.html").value(), member.out, member.err}) {
    EXPECT_EQ(out.find(kSecret), std::string::npos);
    EXPECT_EQ(out.find("not-for-us"), std::string::npos);
  }
}

TEST_F(MembersOnly, HarExportIsReadAsMembersOnlyWithoutNetwork) {
  json har = {
      {"log",
       {{"version", "1.2"},
        {"creator", {{"name", "Firefox"}, {"version", "128.0"}}},
        {"entries",
         json::array(
             {{{"startedDateTime", "2026-01-10T09:00:00.000+01:00"},
               {"time", 120},
               {"request",
                {{"method", "GET"}, {"url", "https://network.example/in/kim"}, {"headers", json::array()}}},
               {"response",
                {{"status", 200},
                 {"headers", json::array({{{"name", "Date"}, {"value", "Sat, 10 Jan 2026 08:00:01 GMT"}},
                                          {{"name", "Content-Type"}, {"value", "text/html"}}})},
                 {"content", {{"mimeType", "text/html; charset=utf-8"}, {"text", kMembersPage}}}}}},
              {{"startedDateTime", "2026-01-10T09:00:01.000+01:00"},
               {"time", 5},
               {"request", {{"method", "GET"}, {"url", "https://network.example/logo.png"}}},
               {"response",
                {{"status", 200},
                 {"content",
                  {{"mimeType", "image/png"}, {"text", "iVBORw0KGgo="}, {"encoding", "base64"}}}}}}})}}}};
  std::string path = dir_ + "/kim.har";
  ASSERT_TRUE(core::WriteFileAtomic(path, har.dump()).ok());
  auto r =
      RunTelescreen({"extract", path, "--now", "2026-01-10T00:00:00Z", "-q", "--json", dir_ + "/h.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(core::ReadFile(dir_ + "/h.json").value());
  EXPECT_EQ(j["identity"]["names"][0], "Kim Beispiel");
  ASSERT_EQ(j["contacts"].size(), 2u);
  for (const auto& c : j["contacts"]) {
    EXPECT_EQ(c["visibility"], "members-only");
    EXPECT_EQ(c["sources"][0], "https://network.example/in/kim");
  }
  // The capture time is the entry's Date header (not its
  // startedDateTime, 09:00+01:00 = 08:00Z too, so the header is 1 s later).
  ASSERT_EQ(j["pages"].size(), 1u);
  EXPECT_EQ(j["pages"][0]["captured_at"], "2026-01-10T08:00:01Z");
  EXPECT_TRUE(j["warnings"].empty()) << j["warnings"].dump();  // captured after --now: no note

  // A month later, the report says the pages are older than --now and how
  // to score as of their capture.
  auto later =
      RunTelescreen({"extract", path, "--now", "2026-02-10T00:00:00Z", "-q", "--json", dir_ + "/l.json"});
  ASSERT_EQ(later.exit_code, 0) << later.err;
  json l = json::parse(core::ReadFile(dir_ + "/l.json").value());
  ASSERT_EQ(l["warnings"].size(), 1u) << l["warnings"].dump();
  EXPECT_NE(l["warnings"][0].get<std::string>().find("30 days before the reference time"), std::string::npos)
      << l["warnings"][0];
  EXPECT_NE(l["warnings"][0].get<std::string>().find("pass --now 2026-01-10T08:00:01Z"), std::string::npos)
      << l["warnings"][0];

  // A broken HAR names the file and is a usage error.
  ASSERT_TRUE(
      core::WriteFileAtomic(dir_ + "/bad.har", "{\"log\": {\"entries\": [ {\"request\": 5} ]}}").ok());
  auto bad = RunTelescreen({"extract", dir_ + "/bad.har", "-q"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.har"), std::string::npos) << bad.err;
}

// A saved file's capture time is its modification time.
TEST_F(MembersOnly, SavedFileIsCapturedAtItsModificationTime) {
  std::string path = dir_ + "/kim.html";
  ASSERT_TRUE(core::WriteFileAtomic(path, kPublicPage).ok());
  // 2025-03-01T10:00:00Z, set through the file system like any copy would.
  std::chrono::sys_seconds mtime =
      std::chrono::sys_days(std::chrono::year(2025) / 3 / 1) + std::chrono::hours(10);
  std::filesystem::last_write_time(path, std::chrono::file_clock::from_sys(mtime));
  auto r = RunTelescreen({"extract", path, "--now", "2025-03-05T00:00:00Z", "-q", "--json", dir_ + "/f.json",
                          "--html", dir_ + "/f.html"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(core::ReadFile(dir_ + "/f.json").value());
  ASSERT_EQ(j["pages"].size(), 1u);
  EXPECT_EQ(j["pages"][0]["captured_at"], "2025-03-01T10:00:00Z");
  EXPECT_NE(core::ReadFile(dir_ + "/f.html").value().find("2025-03-01T10:00:00Z"), std::string::npos);
  ASSERT_EQ(j["warnings"].size(), 1u);
  EXPECT_NE(j["warnings"][0].get<std::string>().find("pass --now 2025-03-01T10:00:00Z"), std::string::npos);

  // Rescoring as of the capture: no note.
  auto asof =
      RunTelescreen({"extract", path, "--now", "2025-03-01T10:00:00Z", "-q", "--json", dir_ + "/a.json"});
  ASSERT_EQ(asof.exit_code, 0) << asof.err;
  EXPECT_TRUE(json::parse(core::ReadFile(dir_ + "/a.json").value())["warnings"].empty());
}

}  // namespace
}  // namespace telescreen
