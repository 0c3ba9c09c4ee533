// End-to-end: what each fix is worth. Two loopback sites are scanned; then,
// for one fix at a time, the sites are changed exactly as the fix says
// (the contact list hidden, the email address taken off, the plans hidden)
// and scanned again: the new total is the fix's score_after.
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/file.h"
#include "tests/support/run_binary.h"

namespace telescreen {
namespace {

using json = nlohmann::json;
using testing::RunTelescreen;

constexpr const char* kNow = "2026-03-02T09:00:00Z";

// What the site shows; each flag is one fix done.
struct Shown {
  std::atomic<bool> contacts{true};
  std::atomic<bool> email{true};
  std::atomic<bool> plans{true};
};

class Site {
 public:
  explicit Site(std::function<std::string()> page) : page_(std::move(page)) {
    server_.Get("/robots.txt", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("User-agent: *\nAllow: /\n", "text/plain");
    });
    server_.Get("/", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(page_(), "text/html; charset=utf-8");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Site() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  std::function<std::string()> page_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

class Fixes : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("telescreen-fixes");
    ASSERT_GT(home_.port(), 0);
    ASSERT_GT(social_.port(), 0);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string HomePage() const {
    std::string p = "<!doctype html><html><head><title>Ann Example</title>";
    p += "<link rel=\"me\" href=\"" + social_.Url() + "\"></head><body>";
    p += "<header class=\"h-card\"><h1 class=\"p-name\">Ann Example</h1>"
         "<p class=\"p-job-title\">Data engineer</p>"
         "<p class=\"p-adr h-adr\"><span class=\"p-locality\">Leipzig</span></p>";
    if (shown_.email) p += "<a class=\"u-email\" href=\"mailto:ann@ann.example\">ann@ann.example</a>";
    p += "</header>";
    if (shown_.contacts) {
      p += "<ul><li><a rel=\"friend met\" href=\"https://mira.example/\">Mira Petersen</a></li>"
           "<li><a rel=\"colleague met\" href=\"https://tobias.example/\">Tobias Brandt</a></li>"
           "<li><a rel=\"friend\" href=\"https://lea.example/\">Lea Hoffmann</a></li></ul>";
    }
    if (shown_.plans) {
      p += "<div class=\"h-event\"><span class=\"p-name\">Data Night Leipzig</span>, "
           "<time class=\"dt-start\" datetime=\"2026-03-06T19:00\">6 March</time>, "
           "<span class=\"p-location\">Basislager, Plagwitzer Str. 1, Leipzig</span></div>"
           "<div class=\"h-event\"><span class=\"p-name\">Spring Hack Day</span>, "
           "<time class=\"dt-start\" datetime=\"2026-04-18\">18 April</time>, "
           "<span class=\"p-location\">Kulturfabrik, Leipzig</span></div>";
    }
    p += "<div class=\"h-event\"><span class=\"p-name\">Winter Meetup</span>, "
         "<time class=\"dt-start\" datetime=\"2026-01-20T19:00\">20 January</time>, "
         "<span class=\"p-location\">Basislager, Plagwitzer Str. 1, Leipzig</span></div>";
    return p + "</body></html>";
  }
  std::string SocialPage() const {
    return "<!doctype html><html><head><title>Ann</title></head><body>"
           "<div class=\"h-card\"><span class=\"p-name\">Ann Example</span>"
           "<a class=\"u-url\" rel=\"me\" href=\"" +
           home_.Url() +
           "\">home</a></div>"
           "<ul><li><a rel=\"contact\" href=\"https://mira.example/\">Mira Petersen</a></li>"
           "<li><a rel=\"contact\" href=\"https://ole.example/\">Ole Svensson</a></li></ul>"
           "</body></html>";
  }

  json Scan(const std::string& name) {
    const std::string path = dir_ + "/" + name + ".json";
    auto run = RunTelescreen({"scan", home_.Url(), social_.Url(), "--now", kNow, "--no-history", "--delay-ms",
                              "0", "--depth", "0", "-q", "--json", path});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return json::parse(core::ReadFile(path).value());
  }

  // The fix answering a finding whose id starts with `prefix` and which was
  // seen on a page under `page` ("" = anywhere).
  static json FixFor(const json& report, const std::string& prefix, const std::string& page = "") {
    auto seen_on = [&](const std::string& id) {
      for (const auto& f : report["findings"]) {
        if (f["id"] != id) continue;
        for (const auto& e : f["evidence"]) {
          if (e["page_url"].get<std::string>().rfind(page, 0) == 0) return true;
        }
      }
      return false;
    };
    for (const auto& fix : report["fixes"]) {
      for (const auto& id : fix["findings"]) {
        const std::string s = id.get<std::string>();
        if (s.rfind(prefix, 0) == 0 && seen_on(s)) return fix;
      }
    }
    return json();
  }

  std::string dir_;
  Shown shown_;
  Site home_{[this] { return HomePage(); }};
  Site social_{[this] { return SocialPage(); }};
};

TEST_F(Fixes, DoingAFixOnTheSiteGivesItsScoreAfter) {
  const json before = Scan("before");
  const int total = before["score"]["total"];
  ASSERT_GT(total, 0);
  ASSERT_GE(before["fixes"].size(), 3u);

  struct Case {
    const char* name;
    json fix;
    std::atomic<bool>* shown;
  } cases[] = {
      {"contacts", FixFor(before, "network.site.", home_.Url()), &shown_.contacts},
      {"email", FixFor(before, "reach.email."), &shown_.email},
      {"plans", FixFor(before, "plans.event.", home_.Url()), &shown_.plans},
  };
  for (Case& c : cases) {
    SCOPED_TRACE(c.name);
    ASSERT_TRUE(c.fix.is_object()) << before["fixes"].dump(2);
    const int after = c.fix["score_after"];
    EXPECT_LT(after, total) << c.fix.dump();
    *c.shown = false;
    const json done = Scan(std::string("after-") + c.name);
    *c.shown = true;
    EXPECT_NEAR(done["score"]["total"].get<int>(), after, 1) << c.fix.dump();
    std::cout << "fix " << c.name << ": " << total << " -> score_after " << after << ", scanned again "
              << done["score"]["total"].get<int>() << "\n";
    // The fix is gone from the list once done.
    EXPECT_TRUE(FixFor(done, c.fix["findings"][0].get<std::string>()).is_null()) << done["fixes"].dump(2);
  }

  // Done together, in the listed order, the fixes reach cumulative_after.
  const json& order = before["fixes"];
  int prev = total;
  for (const auto& fix : order) {
    EXPECT_LE(fix["cumulative_after"].get<int>(), prev);
    prev = fix["cumulative_after"];
  }
  EXPECT_EQ(order.back()["cumulative_after"], 0);
}

TEST_F(Fixes, TheChecklistsShowTheScoreBeforeAndAfterEachFix) {
  const std::string html = dir_ + "/r.html";
  auto run = RunTelescreen({"scan", home_.Url(), social_.Url(), "--now", kNow, "--no-history", "--delay-ms",
                            "0", "--depth", "0", "--json", dir_ + "/r.json", "--html", html});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const json j = json::parse(core::ReadFile(dir_ + "/r.json").value());
  const std::string first = std::to_string(j["score"]["total"].get<int>()) + " -> " +
                            std::to_string(j["fixes"][0]["cumulative_after"].get<int>());
  const std::string second = std::to_string(j["fixes"][0]["cumulative_after"].get<int>()) + " -> " +
                             std::to_string(j["fixes"][1]["cumulative_after"].get<int>());
  EXPECT_NE(run.out.find("1. " + first + "  "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("2. " + second + "  "), std::string::npos) << run.out;
  const std::string page = core::ReadFile(html).value();
  std::string arrow = first;
  arrow.replace(arrow.find(" -> "), 4, " &rarr; ");
  EXPECT_NE(page.find(arrow), std::string::npos);
}

}  // namespace
}  // namespace telescreen
