// End-to-end: the telescreen binary against loopback servers, as a user runs
// it. Golden JSON with a fixed --now (update with TELESCREEN_UPDATE_GOLDEN=1).
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/file.h"
#include "core/time.h"
#include "demo/demo_server.h"
#include "tests/support/run_binary.h"

namespace telescreen {
namespace {

using testing::RunTelescreen;
using json = nlohmann::json;

constexpr const char* kNow = "2026-01-15T00:00:00Z";

std::string ReadText(const std::string& path) {
  auto r = core::ReadFile(path);
  return r.ok() ? r.value() : "";
}

// Replaces each site's random port by its name and drops what varies from
// run to run (timings; bytes and hashes, which include the port), then sorts
// lists whose order follows URLs (and so ports).
json Canonical(std::string text, const std::vector<std::string>& starts) {
  const char* names[] = {"NETWORK", "SOCIAL", "EVENTS", "HOME"};
  for (std::size_t i = 0; i < starts.size() && i < 4; ++i) {
    std::string origin = starts[i].substr(0, starts[i].find('/', 8));
    for (std::size_t p; (p = text.find(origin)) != std::string::npos;)
      text.replace(p, origin.size(), names[i]);
    std::string hostport = origin.substr(7);
    for (std::size_t p; (p = text.find(hostport)) != std::string::npos;)
      text.replace(p, hostport.size(), names[i]);
  }
  json j = json::parse(text);
  std::function<void(json&)> walk = [&](json& v) {
    if (v.is_object()) {
      v.erase("fetch_ms");
      v.erase("sha256");
      v.erase("bytes");
      v.erase("captured_at");  // crawled pages: the fetch time (the demo server sends no Date)
      // Finding ids end in a hash of their evidence URLs (with the port),
      // and so do a fix's id and the finding ids it lists.
      auto unhash = [](json& id) {
        if (!id.is_string()) return;
        std::string s = id;
        std::size_t dot = s.rfind('.');
        if (dot != std::string::npos && s.size() - dot == 13) id = s.substr(0, dot) + ".HASH";
      };
      if (v.contains("id")) unhash(v["id"]);
      if (v.contains("findings") && v["findings"].is_array()) {
        for (auto& id : v["findings"]) unhash(id);
      }
      for (auto& [k, child] : v.items()) walk(child);
    } else if (v.is_array()) {
      for (auto& child : v) walk(child);
      bool strings = std::all_of(v.begin(), v.end(), [](const json& x) { return x.is_string(); });
      if (strings) std::sort(v.begin(), v.end());
    }
  };
  // Lists of objects whose order follows URLs (evidence, pages, facts, and
  // findings tied on points) are compared as sets; contacts and events keep
  // their order, which depends on names and times only.
  std::function<void(json&, bool)> sort_objects = [&](json& v, bool top) {
    if (v.is_object()) {
      for (auto& [k, child] : v.items()) sort_objects(child, top && false);
    } else if (v.is_array()) {
      for (auto& child : v) sort_objects(child, false);
      std::sort(v.begin(), v.end(), [](const json& a, const json& b) { return a.dump() < b.dump(); });
    }
  };
  walk(j);
  for (auto& [key, value] : j.items()) {
    if (key == "contacts" || key == "events") {
      for (auto& item : value) sort_objects(item, false);
    } else {
      sort_objects(value, false);
    }
  }
  return j;
}

void ExpectGolden(const json& actual, const std::string& name) {
  std::string path = std::string(TELESCREEN_SOURCE_DIR) + "/tests/golden/" + name;
  if (std::getenv("TELESCREEN_UPDATE_GOLDEN")) {
    ASSERT_TRUE(core::WriteFileAtomic(path, actual.dump(2) + "\n").ok());
    ::chmod(path.c_str(), 0644);
  }
  std::string expected = ReadText(path);
  ASSERT_FALSE(expected.empty()) << "missing golden file " << path
                                 << " (run with TELESCREEN_UPDATE_GOLDEN=1 to create it)";
  std::string got = actual.dump(2) + "\n";
  if (got == expected) return;
  // Show where they part, not two whole reports.
  std::istringstream a(got), e(expected);
  std::string la, le;
  int line = 0;
  std::string context;
  while (true) {
    bool more_a = static_cast<bool>(std::getline(a, la));
    bool more_e = static_cast<bool>(std::getline(e, le));
    ++line;
    if (!more_a && !more_e) break;
    if (la != le) {
      ADD_FAILURE() << "golden mismatch: " << path << " line " << line << "\n  expected: " << le
                    << "\n  actual:   " << la << "\n  after:\n"
                    << context
                    << "(TELESCREEN_UPDATE_GOLDEN=1 rewrites it; review the diff before committing)";
      return;
    }
    context = context.size() > 600 ? la + "\n" : context + la + "\n";
  }
}

class EndToEnd : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir("telescreen-e2e"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(EndToEnd, ScanOfTheDemoSitesMatchesGolden) {
  demo::DemoServer server;
  auto starts = server.Start(core::ParseNow(kNow).value());
  ASSERT_TRUE(starts.ok());
  std::vector<std::string> args{"scan"};
  for (const auto& s : starts.value()) args.push_back(s);
  for (const char* a :
       {"--now", kNow, "--delay-ms", "0", "--per-host", "4", "--depth", "3", "--quiet", "--json"})
    args.push_back(a);
  args.push_back(dir_ + "/scan.json");
  auto r = RunTelescreen(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "") << "--quiet prints nothing on stdout";
  json report = json::parse(ReadText(dir_ + "/scan.json"));
  EXPECT_EQ(report["schema_version"], 1);
  EXPECT_EQ(report["now"], kNow);
  // What a user checks: the person, the contacts across all four sites
  // (XING's list over two pages of pagination), past events and plans.
  EXPECT_EQ(report["identity"]["names"][0], "Julia Winter");
  std::set<std::string> contacts;
  for (const auto& c : report["contacts"]) contacts.insert(c["name"].get<std::string>());
  for (const char* name : {"Tobias Brandt", "Eva Schubert", "Karim Haddad", "Mira Petersen", "Paul Richter",
                           "David Winter", "Nele Jansen"}) {
    EXPECT_TRUE(contacts.count(name)) << name;
  }
  EXPECT_EQ(contacts.size(), report["contacts"].size()) << "each contact listed once";
  int past = 0, future = 0;
  for (const auto& e : report["events"]) {
    past += e["tense"] == "past";
    future += e["tense"] == "future";
  }
  EXPECT_GE(past, 2);
  EXPECT_GE(future, 2);
  // robots.txt is obeyed: the disallowed settings page was never requested.
  for (const auto& line : server.RequestLog())
    EXPECT_EQ(line.find("/xing/settings"), std::string::npos) << line;
  ExpectGolden(Canonical(ReadText(dir_ + "/scan.json"), starts.value()), "demo-scan.json");
}

// The same scan in German: its texts (titles, fixes, summaries) are German,
// its ids and values those of the English one; --lang de and a German
// locale that is not even installed give the same bytes.
TEST_F(EndToEnd, ScanOfTheDemoSitesInGermanMatchesGolden) {
  demo::DemoServer server;
  auto starts = server.Start(core::ParseNow(kNow).value());
  ASSERT_TRUE(starts.ok());
  auto scan = [&](std::vector<std::string> args, const std::vector<std::string>& env,
                  const std::string& out) {
    args.push_back("scan");
    for (const auto& s : starts.value()) args.push_back(s);
    for (const char* a :
         {"--now", kNow, "--delay-ms", "0", "--per-host", "4", "--depth", "3", "--quiet", "--json"})
      args.push_back(a);
    args.push_back(dir_ + "/" + out);
    return RunTelescreen(args, "", env);
  };
  auto by_flag = scan({"--lang", "de"}, {"LC_ALL=", "LC_MESSAGES=", "LANG="}, "flag.json");
  ASSERT_EQ(by_flag.exit_code, 0) << by_flag.err;
  auto by_locale = scan({}, {"LC_ALL=", "LC_MESSAGES=", "LANG=de_DE.UTF-8"}, "locale.json");
  ASSERT_EQ(by_locale.exit_code, 0) << by_locale.err;
  const json german = Canonical(ReadText(dir_ + "/flag.json"), starts.value());
  EXPECT_EQ(Canonical(ReadText(dir_ + "/locale.json"), starts.value()), german);
  ExpectGolden(german, "demo-scan.de.json");
}

TEST_F(EndToEnd, SameInputGivesTheSameBytes) {
  demo::DemoServer server;
  auto starts = server.Start(core::ParseNow(kNow).value());
  ASSERT_TRUE(starts.ok());
  std::string first;
  for (int run = 0; run < 2; ++run) {
    std::vector<std::string> args{"scan"};
    for (const auto& s : starts.value()) args.push_back(s);
    for (const char* a :
         {"--now", kNow, "--delay-ms", "0", "--concurrency", run ? "1" : "16", "-q", "--json"})
      args.push_back(a);
    args.push_back(dir_ + "/r.json");
    ASSERT_EQ(RunTelescreen(args).exit_code, 0);
    json j = json::parse(ReadText(dir_ + "/r.json"));
    for (auto& p : j["pages"]) {
      p.erase("fetch_ms");
      p.erase("captured_at");  // the fetch time
    }
    if (run == 0)
      first = j.dump();
    else
      EXPECT_EQ(j.dump(), first) << "order must not depend on fetch timing or concurrency";
  }
}

TEST_F(EndToEnd, DemoWritesReportsWithContactsPastAndFuture) {
  auto r = RunTelescreen({"demo", "--json", dir_ + "/d.json", "--html", dir_ + "/d.html"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Julia Winter"), std::string::npos);
  json d = json::parse(ReadText(dir_ + "/d.json"));
  EXPECT_GE(d["contacts"].size(), 5u);
  bool past = false, future = false;
  for (const auto& e : d["events"]) {
    past |= e["tense"] == "past";
    future |= e["tense"] == "future";
  }
  EXPECT_TRUE(past);
  EXPECT_TRUE(future);
  int total = d["score"]["total"];
  EXPECT_GT(total, 0);
  EXPECT_LE(total, 100);
  EXPECT_FALSE(d["findings"].empty());
  // The HTML report loads nothing from the network and is owner-only.
  std::string html = ReadText(dir_ + "/d.html");
  ASSERT_FALSE(html.empty());
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  for (const char* bad :
       {"<script src", "<link rel=\"stylesheet\" href", "<img src=\"http", "url(http", "@import"}) {
    EXPECT_EQ(html.find(bad), std::string::npos) << bad;
  }
  struct stat st {};
  ASSERT_EQ(::stat((dir_ + "/d.html").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(EndToEnd, ExtractReadsSavedFilesWithoutNetwork) {
  std::string page = dir_ + "/profile.html";
  ASSERT_TRUE(core::WriteFileAtomic(page, R"(<!doctype html><html><head>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Person","name":"Ada Example",
 "knows":[{"@type":"Person","name":"Grace Sample","url":"https://grace.example/"}]}</script></head>
<body><div class="h-event"><span class="p-name">Privacy Camp</span>
<time class="dt-start" datetime="2015-11-02">2 Nov</time></div></body></html>)")
                  .ok());
  auto r =
      RunTelescreen({"extract", page, "--now", "2015-10-01T00:00:00Z", "--json", dir_ + "/e.json", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(ReadText(dir_ + "/e.json"));
  EXPECT_EQ(j["identity"]["names"][0], "Ada Example");
  ASSERT_EQ(j["contacts"].size(), 1u);
  EXPECT_EQ(j["contacts"][0]["name"], "Grace Sample");
  EXPECT_EQ(j["contacts"][0]["sources"][0], page);
  ASSERT_EQ(j["events"].size(), 1u);
  EXPECT_EQ(j["events"][0]["tense"], "future");
  EXPECT_EQ(j["events"][0]["start"], "2015-11-02");
}

// Bad input gets a clear message naming what is wrong, and exit code 2.
TEST_F(EndToEnd, UsageErrorsExitWithTwoAndSayWhy) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  } cases[] = {
      {{"scan", "--no-such-option", "https://example.org/"}, "--no-such-option"},
      {{"scan", "http//broken"}, "http//broken"},
      {{"scan", "ftp://example.org/me"}, "ftp"},
      {{"scan", "https://example.org/", "--now", "tomorrow"}, "tomorrow"},
      {{"extract", "/no/such/file.html"}, "/no/such/file.html"},
      {{"frobnicate"}, "frobnicate"},
      {{}, "subcommand"},
  };
  for (const auto& c : cases) {
    auto r = RunTelescreen(c.args);
    std::string joined;
    for (const auto& a : c.args) joined += a + " ";
    EXPECT_EQ(r.exit_code, 2) << joined << "\n" << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << joined << " should mention " << c.says << ":\n"
                                                     << r.err;
  }
}

TEST_F(EndToEnd, HelpAndVersion) {
  auto help = RunTelescreen({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* s : {"scan", "extract", "demo", "Exit codes", "exposure alert"}) {
    EXPECT_NE(help.out.find(s), std::string::npos) << s;
  }
  auto scan_help = RunTelescreen({"scan", "--help"});
  EXPECT_EQ(scan_help.exit_code, 0);
  for (const char* s :
       {"--max-pages", "--depth", "--concurrency", "--delay-ms", "--now", "--json", "--html"}) {
    EXPECT_NE(scan_help.out.find(s), std::string::npos) << s;
  }
  auto version = RunTelescreen({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("telescreen 0."), std::string::npos);
}

TEST_F(EndToEnd, UnreachableSiteIsARuntimeErrorNotACrash) {
  // Port 9 on loopback: nothing listens (connection refused at once).
  auto r = RunTelescreen({"scan", "http://127.0.0.1:9/", "--json", dir_ + "/x.json", "-q"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json j = json::parse(ReadText(dir_ + "/x.json"));
  ASSERT_EQ(j["pages"].size(), 1u);
  EXPECT_NE(j["pages"][0]["error"], nullptr);
}

}  // namespace
}  // namespace telescreen

namespace telescreen {
namespace {

// An event listing with dozens of concerts, each given twice (JSON-LD
// and microdata), yields each event once with its date, venue and tense.
TEST(EndToEndListing, ConcertListingYieldsEachEventOnceWithTense) {
  std::string dir = testing::MakeTempDir("telescreen-listing");
  std::string page = std::string(TELESCREEN_SOURCE_DIR) + "/tests/fixtures/concert-listing.html";
  auto r =
      testing::RunTelescreen({"extract", page, "--base-url", "https://concerts.example/artists/nachtfalter",
                              "--now", "2015-10-01T00:00:00Z", "-q", "--json", dir + "/c.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(ReadText(dir + "/c.json"));
  std::filesystem::remove_all(dir);
  ASSERT_EQ(j["events"].size(), 36u);
  std::set<std::string> starts;
  int past = 0, future = 0;
  for (const auto& e : j["events"]) {
    starts.insert(e["start"].get<std::string>().substr(0, 10));
    EXPECT_FALSE(e["location"].is_null()) << e.dump();
    past += e["tense"] == "past";
    future += e["tense"] == "future";
  }
  EXPECT_EQ(starts.size(), 36u) << "one entry per concert";
  // 2015-03-13 + 11 days * i: i = 0..18 lie before 2015-10-01.
  EXPECT_EQ(past, 19);
  EXPECT_EQ(future, 17);
  EXPECT_EQ(j["events"][0]["start"], "2015-03-13T20:00:00+01:00");
  EXPECT_NE(j["events"][0]["location"].get<std::string>().find("Molotow"), std::string::npos);
}

}  // namespace
}  // namespace telescreen
