// End-to-end: what a scan could not see. A login wall, a block and an
// unresolvable host are gaps the reports name first, never an all-clear;
// the history compares only what both scans saw.
#include <httplib.h>

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

constexpr const char* kNow = "2026-01-15T00:00:00Z";

constexpr const char* kProfile = R"(<!doctype html><html><head><title>Ann Example</title></head><body>
<div class="h-card"><a class="p-name u-url" href="/in/ann">Ann Example</a></div>
<ul>
  <li class="h-card"><a class="p-name u-url" rel="contact" href="https://bob.example/">Bob Beispiel</a></li>
  <li class="h-card"><a class="p-name u-url" rel="contact" href="https://cleo.example/">Cleo Muster</a></li>
</ul></body></html>)";

constexpr const char* kSignIn = R"(<!doctype html><html><body><h1>Sign in</h1>
<form method="post"><input name="user"><input type="password" name="pass"><button>Sign in</button></form>
</body></html>)";

class Coverage : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("telescreen-coverage");
    server_.Get("/robots.txt", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("User-agent: *\nAllow: /\n", "text/plain");
    });
    server_.Get("/in/walled", [](const httplib::Request&, httplib::Response& res) {
      res.status = 302;
      res.set_header("Location", "/authwall?trk=public_profile");
    });
    server_.Get("/authwall", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(kSignIn, "text/html; charset=utf-8");
    });
    server_.Get("/home", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("<html><body><h1 class=\"h-card p-name\">Ann Example</h1></body></html>", "text/html");
    });
    server_.Get("/in/robot", [](const httplib::Request&, httplib::Response& res) {
      res.status = 999;
      res.set_content("<html><body></body></html>", "text/html");
    });
    server_.Get("/in/ann", [this](const httplib::Request&, httplib::Response& res) {
      std::string page = kProfile;
      if (extra_contact_) {
        page.insert(page.find("</ul>"),
                    "<li class=\"h-card\"><a class=\"p-name u-url\" rel=\"contact\" "
                    "href=\"https://dora.example/\">Dora Neu</a></li>");
      }
      res.set_content(ann_walled_ ? std::string(kSignIn) : page, "text/html; charset=utf-8");
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
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  json ReadJson(const std::string& path) { return json::parse(core::ReadFile(path).value()); }

  std::string dir_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> ann_walled_{false};
  std::atomic<bool> extra_contact_{false};
};

TEST_F(Coverage, WallsBlocksAndFailuresAreNamedFirstAndTheScoreIsALowerBound) {
  const std::string json_path = dir_ + "/r.json", html_path = dir_ + "/r.html";
  auto run = RunTelescreen({"scan", Url("/in/walled"), Url("/in/robot"), "http://nobody.invalid/",
                            Url("/in/ann"), "--now", kNow, "--no-history", "--delay-ms", "0", "--depth", "0",
                            "--json", json_path, "--html", html_path});
  ASSERT_EQ(run.exit_code, 0) << run.err;  // something was seen
  json j = ReadJson(json_path);
  ASSERT_EQ(j["coverage"].size(), 4u);
  EXPECT_EQ(j["coverage"][0]["target"], Url("/in/walled"));
  EXPECT_EQ(j["coverage"][0]["seen"], "walled");
  EXPECT_EQ(j["coverage"][0]["detail"], "login wall (redirect to /authwall)");
  EXPECT_EQ(j["coverage"][1]["seen"], "walled");
  EXPECT_NE(j["coverage"][1]["detail"].get<std::string>().find("HTTP 999"), std::string::npos);
  EXPECT_EQ(j["coverage"][2]["seen"], "failed");
  EXPECT_EQ(j["coverage"][2]["site"], "nobody.invalid");
  EXPECT_EQ(j["coverage"][2]["detail"], "could not resolve host nobody.invalid");
  EXPECT_EQ(j["coverage"][3]["seen"], "full");
  EXPECT_TRUE(j["coverage"][3]["detail"].is_null());
  EXPECT_EQ(j["score"]["complete"], false);
  // The sign-in page is marked, and nothing on it is read as Ann's.
  bool marked = false;
  for (const auto& p : j["pages"]) {
    if (p["url"] == Url("/in/walled")) marked = p["wall"] == "login";
  }
  EXPECT_TRUE(marked);
  EXPECT_EQ(j["contacts"].size(), 2u);

  // The terminal summary leads with the gaps, then a lower bound; never the all-clear.
  const std::string& out = run.out;
  auto gaps = out.find("NOT FULLY SEEN: 3 of 4 targets");
  auto score = out.find("Score at least ");
  ASSERT_NE(gaps, std::string::npos) << out;
  ASSERT_NE(score, std::string::npos) << out;
  EXPECT_LT(gaps, score);
  EXPECT_NE(out.find("could not resolve host nobody.invalid"), std::string::npos);
  EXPECT_NE(out.find("--cookies"), std::string::npos);
  EXPECT_EQ(out.find("Little about you is public"), std::string::npos);

  // So does the HTML report: the coverage card comes before the verdict.
  std::string html = core::ReadFile(html_path).value();
  auto card = html.find("id=\"coverage\"");
  auto verdict = html.find("id=\"verdict\"");
  ASSERT_NE(card, std::string::npos);
  ASSERT_NE(verdict, std::string::npos);
  EXPECT_LT(card, verdict);
  EXPECT_NE(html.find("HTTP 999"), std::string::npos);
  EXPECT_EQ(html.find("Little about you is public"), std::string::npos);
}

TEST_F(Coverage, WhenNothingIsSeenStderrNamesEachTargetAndItsCause) {
  auto run = RunTelescreen({"scan", Url("/in/walled"), "http://nobody.invalid/", "--now", kNow,
                            "--no-history", "--delay-ms", "0", "-q"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("none of the targets could be seen"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(Url("/in/walled") + ": walled (login wall (redirect to /authwall))"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("http://nobody.invalid/: failed (could not resolve host nobody.invalid)"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("JSON report"), std::string::npos);  // none was asked for
}

TEST_F(Coverage, AScanThatHitAWallIsNotComparedAsIfItsContactsHadGone) {
  const std::vector<std::string> env = {"XDG_DATA_HOME=" + dir_ + "/data"};
  // Her homepage is on another site (localhost), seen every time: the scan
  // with the wall still saw something, and is recorded.
  const std::string home = "http://localhost:" + std::to_string(port_) + "/home";
  auto scan = [&](const std::string& json_path) {
    return RunTelescreen({"scan", Url("/in/ann"), home, "--now", kNow, "--delay-ms", "0", "--depth", "0",
                          "-q", "--fail-on-new", "--json", json_path},
                         "", env);
  };
  auto first = scan(dir_ + "/1.json");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(ReadJson(dir_ + "/1.json")["contacts"].size(), 2u);

  // Ann's page is walled now: her contacts are unseen, not gone.
  ann_walled_ = true;
  auto second = scan(dir_ + "/2.json");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  json j2 = ReadJson(dir_ + "/2.json");
  EXPECT_EQ(j2["coverage"][0]["seen"], "walled");
  EXPECT_EQ(j2["score"]["complete"], false);
  ASSERT_TRUE(j2.contains("changes")) << j2.dump(2);
  EXPECT_TRUE(j2["changes"]["removed_contacts"].empty()) << j2["changes"].dump(2);

  // Seen again: the earlier scan could not see her page, so nothing there
  // counts as new, and --fail-on-new stays quiet.
  ann_walled_ = false;
  auto third = scan(dir_ + "/3.json");
  EXPECT_EQ(third.exit_code, 0) << third.err;
  json j3 = ReadJson(dir_ + "/3.json");
  ASSERT_TRUE(j3.contains("changes"));
  EXPECT_TRUE(j3["changes"]["new_contacts"].empty()) << j3["changes"].dump(2);
  EXPECT_EQ(j3["changes"]["previous_complete"], false);

  // Both scans saw her page: a contact added there is new, and alerts.
  extra_contact_ = true;
  auto fourth = scan(dir_ + "/4.json");
  EXPECT_EQ(fourth.exit_code, 3) << fourth.err;
  json j4 = ReadJson(dir_ + "/4.json");
  ASSERT_EQ(j4["changes"]["new_contacts"].size(), 1u) << j4["changes"].dump(2);
  EXPECT_EQ(j4["changes"]["new_contacts"][0]["name"], "Dora Neu");
}

}  // namespace
}  // namespace telescreen
