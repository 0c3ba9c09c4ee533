// End-to-end: scan a loopback site, change it (a new
// contact and a future event), scan again with the same --db: the second
// JSON's `changes` lists exactly those, `telescreen diff` shows them,
// --fail-on-new exits 3, --quiet prints only what needs action.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/file.h"
#include "store/history_store.h"
#include "tests/support/run_binary.h"

namespace telescreen {
namespace {

using json = nlohmann::json;
using testing::RunTelescreen;

constexpr const char* kNow = "2026-01-15T00:00:00Z";

std::string AnnPage(bool changed) {
  std::string knows =
      R"({"@type":"Person","name":"Bob Builder","url":"https://bob.example/"},
         {"@type":"Person","name":"Carol Jones","url":"https://carol.example/"})";
  if (changed) knows += R"(, {"@type":"Person","name":"Dave Miller","url":"https://dave.example/"})";
  std::string events =
      R"({"@context":"https://schema.org","@type":"Event","name":"FOSDEM 2025",
          "startDate":"2025-02-01","location":{"@type":"Place","name":"ULB Brussels"}})";
  std::string plan =
      R"(<script type="application/ld+json">{"@context":"https://schema.org","@type":"Event",
         "name":"Team offsite","startDate":"2026-06-01",
         "location":{"@type":"Place","name":"Hamburg"}}</script>)";
  return "<!doctype html><html><head><title>Ann Example</title>"
         "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
         "\"@type\":\"Person\",\"name\":\"Ann Example\",\"knows\":[" +
         knows + "]}</script><script type=\"application/ld+json\">" + events + "</script>" +
         (changed ? plan : "") + "</head><body><h1>Ann Example</h1></body></html>";
}

// Ann's homepage in microformats: someone else's h-card (at another URL,
// so not Ann's own) and an event; changed, a second card, a second event,
// and a post with a stranger's comment.
std::string CardsPage(bool changed) {
  std::string cards =
      R"(<div class="h-card"><a class="p-name u-url" href="https://bob.example/">Bob Builder</a></div>)";
  std::string events =
      R"(<div class="h-event"><span class="p-name">FOSDEM 2025</span>
         <time class="dt-start" datetime="2025-02-01">1 Feb 2025</time>
         <span class="p-location">ULB Brussels</span></div>)";
  if (changed) {
    cards +=
        R"(<div class="h-card"><a class="p-name u-url" href="https://carol.example/">Carol Jones</a></div>)";
    events += R"(<div class="h-event"><span class="p-name">38C3</span>
                 <time class="dt-start" datetime="2024-12-27">27 Dec 2024</time>
                 <span class="p-location">CCH Hamburg</span></div>
                 <div class="h-entry"><p class="e-content">Back from Hamburg</p>
                 <div class="p-comment h-cite"><a class="p-author h-card" href="https://eve.example/">Eve</a>
                 Welcome back!</div></div>)";
  }
  return "<!doctype html><html><head><title>Ann Example</title></head><body>" + cards + events +
         "</body></html>";
}

// A one-page site whose page can be changed between scans.
class AnnSite {
 public:
  explicit AnnSite(std::string (*page)(bool) = AnnPage) {
    server_.Get("/ann", [this, page](const httplib::Request&, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      res.set_content(page(changed_), "text/html; charset=utf-8");
    });
    server_.Get("/robots.txt", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("User-agent: *\nAllow: /\n", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~AnnSite() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/ann"; }
  void Change() {
    std::lock_guard<std::mutex> lock(mu_);
    changed_ = true;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  std::mutex mu_;
  bool changed_ = false;
  int port_ = 0;
};

json ReadJson(const std::string& path) {
  auto text = core::ReadFile(path);
  EXPECT_TRUE(text.ok()) << path;
  return text.ok() ? json::parse(text.value(), nullptr, false) : json();
}

std::vector<std::string> Names(const json& list) {
  std::vector<std::string> out;
  for (const auto& item : list) out.push_back(item.value("name", ""));
  return out;
}

class HistoryEndToEnd : public ::testing::Test {
 protected:
  explicit HistoryEndToEnd(std::string (*page)(bool) = AnnPage) : site_(page) {}
  void SetUp() override { dir_ = testing::MakeTempDir("telescreen-history-e2e"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  testing::RunResult Scan(const std::string& json_path, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"scan",    site_.url(), "--now",      kNow, "--db",   db(),
                                     "--depth", "0",         "--delay-ms", "0",  "--json", json_path};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunTelescreen(args);
  }
  std::string db() const { return dir_ + "/history.db"; }

  AnnSite site_;
  std::string dir_;
};

TEST_F(HistoryEndToEnd, SecondScanShowsExactlyTheNewContactAndPlan) {
  auto first = Scan(dir_ + "/a.json", {"--fail-on-new"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  json a = ReadJson(dir_ + "/a.json");
  EXPECT_FALSE(a.contains("changes"));  // nothing to compare with yet
  EXPECT_EQ(Names(a["contacts"]).size(), 2u);

  site_.Change();
  auto second = Scan(dir_ + "/b.json", {"--fail-on-new"});
  EXPECT_EQ(second.exit_code, 3) << second.err;
  json b = ReadJson(dir_ + "/b.json");
  ASSERT_TRUE(b.contains("changes")) << b.dump(2);
  const json& c = b["changes"];
  EXPECT_EQ(Names(c["new_contacts"]), std::vector<std::string>{"Dave Miller"});
  EXPECT_EQ(Names(c["new_plans"]), std::vector<std::string>{"Team offsite"});
  EXPECT_TRUE(c["removed_contacts"].empty());
  EXPECT_TRUE(c["new_events"].empty());
  EXPECT_TRUE(c["removed_events"].empty());
  EXPECT_TRUE(c["removed_plans"].empty());
  EXPECT_EQ(c["previous_scan_id"], 1);
  EXPECT_EQ(c["previous_score"], a["score"]["total"]);

  // `diff` (the last two scans of these targets) shows the same.
  auto diff = RunTelescreen({"diff", "--db", db(), "--json"});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  json d = json::parse(diff.out, nullptr, false);
  EXPECT_EQ(Names(d["new_contacts"]), std::vector<std::string>{"Dave Miller"});
  EXPECT_EQ(Names(d["new_plans"]), std::vector<std::string>{"Team offsite"});
  EXPECT_EQ(d["score"], b["score"]["total"]);
  auto text = RunTelescreen({"diff", "--db", db(), "1", "2"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("+ Dave Miller  https://dave.example/"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("+ 2026-06-01  Team offsite  @ Hamburg"), std::string::npos) << text.out;

  // `history` lists both scans.
  auto history = RunTelescreen({"history", "--db", db(), "--json"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  json h = json::parse(history.out, nullptr, false);
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0]["contacts"], 2);
  EXPECT_EQ(h[1]["contacts"], 3);
  EXPECT_EQ(h[1]["plans"], 1);
  EXPECT_EQ(h[1]["targets"], json::array({site_.url()}));

  // Nothing new since: no alert.
  auto third = Scan(dir_ + "/c.json", {"--fail-on-new"});
  EXPECT_EQ(third.exit_code, 0) << third.err;
  EXPECT_TRUE(ReadJson(dir_ + "/c.json")["changes"]["new_contacts"].empty());
}

// The same site in microformats. Who Ann is must not depend on how many
// cards her page shows: with one card (Bob's, at his own URL) Bob is a
// contact, not "you", so the second scan reports exactly the card and the
// event it added (and the commenter, as an interaction).
class CardsEndToEnd : public HistoryEndToEnd {
 protected:
  CardsEndToEnd() : HistoryEndToEnd(CardsPage) {}
};

TEST_F(CardsEndToEnd, SecondScanShowsExactlyTheNewCardAndEvent) {
  auto first = Scan(dir_ + "/a.json", {"--fail-on-new"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  json a = ReadJson(dir_ + "/a.json");
  EXPECT_EQ(Names(a["contacts"]), std::vector<std::string>{"Bob Builder"});
  EXPECT_EQ(Names(a["events"]), std::vector<std::string>{"FOSDEM 2025"});
  for (const auto& name : a["identity"]["names"]) EXPECT_NE(name, "Bob Builder");

  site_.Change();
  auto second = Scan(dir_ + "/b.json", {"--fail-on-new"});
  EXPECT_EQ(second.exit_code, 3) << second.err;
  json b = ReadJson(dir_ + "/b.json");
  EXPECT_EQ(b["identity"], a["identity"]);
  ASSERT_TRUE(b.contains("changes")) << b.dump(2);
  const json& c = b["changes"];
  EXPECT_EQ(Names(c["new_contacts"]), std::vector<std::string>{"Carol Jones"});
  EXPECT_EQ(Names(c["new_events"]), std::vector<std::string>{"38C3"});
  EXPECT_TRUE(c["removed_contacts"].empty());
  EXPECT_TRUE(c["removed_events"].empty());
  EXPECT_TRUE(c["new_plans"].empty());
  EXPECT_TRUE(c["newly_public"].empty()) << c["newly_public"].dump();
  EXPECT_EQ(Names(c["new_interactions"]), std::vector<std::string>{"Eve"});  // a weak tie, not a contact
  EXPECT_EQ(Names(b["interactions"]), std::vector<std::string>{"Eve"});

  auto diff = RunTelescreen({"diff", "--db", db(), "--json"});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  json d = json::parse(diff.out, nullptr, false);
  EXPECT_EQ(Names(d["new_contacts"]), std::vector<std::string>{"Carol Jones"});
  EXPECT_EQ(Names(d["new_events"]), std::vector<std::string>{"38C3"});
  EXPECT_TRUE(d["removed_contacts"].empty());
  auto text = RunTelescreen({"diff", "--db", db(), "1", "2"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("+ Carol Jones  https://carol.example/"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("38C3"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("Bob Builder"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("+ Eve  https://eve.example/  (comment)"), std::string::npos) << text.out;
  EXPECT_EQ(Names(d["new_interactions"]), std::vector<std::string>{"Eve"});
}

TEST_F(HistoryEndToEnd, QuietPrintsOnlyAlerts) {
  auto first = Scan(dir_ + "/a.json", {"--quiet", "--fail-on-new"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, "");
  site_.Change();
  auto second = Scan(dir_ + "/b.json", {"--quiet", "--fail-on-new"});
  EXPECT_EQ(second.exit_code, 3);
  EXPECT_NE(second.out.find("ALERT: 1 new contact and 1 new plan visible since scan 1"), std::string::npos)
      << second.out;
  auto above = Scan(dir_ + "/c.json", {"--quiet", "--fail-above", "0"});
  EXPECT_EQ(above.exit_code, 3);
  EXPECT_NE(above.out.find("ALERT: score "), std::string::npos) << above.out;
  auto below = Scan(dir_ + "/d.json", {"--quiet", "--fail-above", "100"});
  EXPECT_EQ(below.exit_code, 0);
  EXPECT_EQ(below.out, "");
}

TEST_F(HistoryEndToEnd, ConfigFileDrivesTheScan) {
  std::string config = dir_ + "/watch.toml";
  std::ofstream(config) << "targets = [\"" << site_.url() << "\"]\n"
                        << "[limits]\ndepth = 0\ndelay_ms = 0\n"
                        << "[output]\njson = \"out/last.json\"\nquiet = true\n"
                        << "[history]\ndb = \"h.db\"\nkeep = 1\n"
                        << "[alerts]\nfail_on_new = true\n";
  auto first = RunTelescreen({"scan", "--config", config, "--now", kNow});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, "");
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/out/last.json"));
  site_.Change();
  auto second = RunTelescreen({"scan", "--config", config, "--now", kNow});
  EXPECT_EQ(second.exit_code, 3) << second.err;
  EXPECT_EQ(ReadJson(dir_ + "/out/last.json")["changes"]["new_contacts"].size(), 1u);
  // keep = 1: only the newest scan is left.
  auto history = RunTelescreen({"history", "--db", dir_ + "/h.db", "--json"});
  ASSERT_EQ(history.exit_code, 0);
  EXPECT_EQ(json::parse(history.out, nullptr, false).size(), 1u);
  // A config error names the file and line, exit 2.
  std::ofstream(config, std::ios::app) << "[limits2]\n";
  auto bad = RunTelescreen({"scan", "--config", config});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find(config + ":13:2: limits2: unknown key"), std::string::npos) << bad.err;
}

TEST_F(HistoryEndToEnd, BodiesAreKeptOnlyWhenAsked) {
  ASSERT_EQ(Scan(dir_ + "/a.json").exit_code, 0);
  ASSERT_EQ(Scan(dir_ + "/b.json", {"--store-bodies"}).exit_code, 0);
  auto store = store::HistoryStore::Open(db(), store::Access::kRead);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_FALSE(store.value().LoadBody(1, site_.url()).value().has_value());
  auto body = store.value().LoadBody(2, site_.url());
  ASSERT_TRUE(body.ok() && body.value().has_value());
  EXPECT_NE(body.value()->find("Ann Example"), std::string::npos);
}

TEST_F(HistoryEndToEnd, HistoryFilesAreOwnerOnly) {
  ASSERT_EQ(Scan(dir_ + "/a.json").exit_code, 0);
  struct stat st {};
  ASSERT_EQ(stat(db().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(HistoryEndToEnd, BadHistoryGivesAClearErrorAndKeepsTheFile) {
  std::ofstream(db()) << "my notes, not a database" << std::string(4096, '.');
  auto r = Scan(dir_ + "/a.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("not a SQLite database"), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/a.json"));  // the report is still written
  auto history = RunTelescreen({"history", "--db", db()});
  EXPECT_EQ(history.exit_code, 1);
  auto missing = RunTelescreen({"history", "--db", dir_ + "/none.db"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no history yet"), std::string::npos);
}

// Starts the binary without waiting; output goes to /dev/null.
pid_t Spawn(std::vector<std::string> args, const std::string& data_home) {
  return testing::SpawnTelescreen(args, "", {"XDG_DATA_HOME=" + data_home});
}

// Nothing lost, at the level of the binary: scans killed with
// SIGKILL at many moments (before, during and after the history write) leave
// a sound history and an intact previous report, and the next scan works.
TEST_F(HistoryEndToEnd, ScansKilledAtAnyMomentLoseNothing) {
  std::string report = dir_ + "/report.json";
  std::vector<std::string> args = {"scan", site_.url(),  "--now", kNow,     "--db", db(), "--depth",
                                   "0",    "--delay-ms", "0",     "--json", report, "-q"};
  for (int round = 0; round < 16; ++round) {
    SCOPED_TRACE(round);
    if (round == 8) site_.Change();
    pid_t pid = Spawn(args, dir_ + "/data");
    ASSERT_GT(pid, 0);
    // 0 .. 1.5 s in uneven steps: before start-up, mid-crawl, mid-write, after.
    std::this_thread::sleep_for(std::chrono::milliseconds((round * 97) % 1500));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (std::filesystem::exists(report)) {
      json r = ReadJson(report);
      EXPECT_FALSE(r.is_discarded());
      EXPECT_EQ(r.value("schema_version", 0), 1);  // the old or the new report, whole
    }
    if (!std::filesystem::exists(db())) continue;
    auto store = store::HistoryStore::Open(db(), store::Access::kRead);
    if (!store.ok()) {
      EXPECT_EQ(store.error().code, core::ErrorCode::kNotFound) << store.error().message;
      continue;  // created, killed before its first scan: "no scans recorded yet"
    }
    EXPECT_EQ(store.value().IntegrityCheck().value(), "ok");
    auto scans = store.value().ListScans();
    ASSERT_TRUE(scans.ok());
    for (const auto& s : scans.value()) EXPECT_TRUE(store.value().LoadScan(s.id).ok());
  }
  auto last = RunTelescreen(args);
  ASSERT_EQ(last.exit_code, 0) << last.err;
  EXPECT_EQ(ReadJson(report).value("schema_version", 0), 1);
  auto history = RunTelescreen({"history", "--db", db(), "--json"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_GE(json::parse(history.out, nullptr, false).size(), 1u);
}

}  // namespace
}  // namespace telescreen
