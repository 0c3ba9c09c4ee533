// End-to-end: `telescreen accounts` against 25 fake sites on loopback, each
// its own host (port), covering every kind of answer a site rule meets:
// status codes, presence and absence texts, soft 404s that answer 200,
// redirects to a sign-in page, 429 with Retry-After, a slow site, POST
// checks, required headers, robots.txt and its Crawl-delay. Every site must
// be classified exactly, and no site asked more often or faster than its
// limits allow.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/file.h"
#include "fetch/testing_util.h"
#include "tests/support/run_binary.h"

namespace telescreen {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
using Answer = std::function<void(const httplib::Request&, httplib::Response&)>;

struct Hit {
  Clock::time_point start, end;
  std::string method, target, body;
  int status = 0;
};

// One fake site: answers robots.txt and hands every other request to
// `answer`, recording when each arrived and ended and how many ran at once.
class FakeSite {
 public:
  FakeSite(Answer answer, std::string robots)
      : answer_(std::move(answer)), robots_(std::move(robots)), server_([this](httplib::Server& s) {
          auto handle = [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); };
          s.Get(".*", handle);
          s.Post(".*", handle);
        }) {}

  std::string base() const { return server_.Url(""); }
  std::vector<Hit> hits() const {
    std::lock_guard lock(mu_);
    return hits_;
  }
  int max_in_flight() const { return max_in_flight_; }

 private:
  void Handle(const httplib::Request& req, httplib::Response& res) {
    int now = ++in_flight_;
    int seen = max_in_flight_.load();
    while (now > seen && !max_in_flight_.compare_exchange_weak(seen, now)) {
    }
    Hit hit{Clock::now(), {}, req.method, req.target, req.body, 0};
    if (req.path == "/robots.txt") {
      res.set_content(robots_, "text/plain");
    } else {
      answer_(req, res);
    }
    hit.end = Clock::now();
    hit.status = res.status;
    --in_flight_;
    std::lock_guard lock(mu_);
    hits_.push_back(std::move(hit));
  }

  Answer answer_;
  std::string robots_;
  mutable std::mutex mu_;
  std::vector<Hit> hits_;
  std::atomic<int> in_flight_{0};
  std::atomic<int> max_in_flight_{0};
  fetch::testing::LoopbackServer server_;  // last: it stops before the rest goes
};

// The last path segment (or the "name" query value) of a request.
std::string UserOf(const httplib::Request& req) {
  if (req.has_param("name")) return req.get_param_value("name");
  std::string p = req.path;
  return p.substr(p.rfind('/') + 1);
}

void Html(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "text/html; charset=utf-8");
}

// jdoe has a profile ("Profile of jdoe"); everyone else gets 404 "gone".
void JdoeOr404(const httplib::Request& req, httplib::Response& res) {
  if (UserOf(req) == "jdoe") return Html(res, 200, "<h1>Profile of jdoe</h1>");
  Html(res, 404, "gone");
}

struct Expect {
  std::string status;
  std::string detail_prefix;  // empty = any
};

struct SiteCase {
  std::string name;
  json rule;  // without "name"; "{base}" in URIs is the site's origin
  Answer answer;
  std::string robots = "User-agent: *\nAllow: /\n";
  std::map<std::string, Expect> expect;  // by username
  std::string shares_host_with;          // another case's name: same server
};

const Expect kFound{"found", "HTTP "};
const Expect kAbsent{"absent", "HTTP "};
std::map<std::string, Expect> Usual() {
  return {{"jdoe", kFound}, {"ghost", kAbsent}, {"jane.doe", kAbsent}};
}
std::map<std::string, Expect> AllUnknown(const std::string& why) {
  return {{"jdoe", {"unknown", why}}, {"ghost", {"unknown", why}}, {"jane.doe", {"unknown", why}}};
}

json Rule(const std::string& uri, int e_code, const std::string& e_string, int m_code,
          const std::string& m_string) {
  return json{{"uri_check", "{base}" + uri},
              {"e_code", e_code},
              {"e_string", e_string},
              {"m_code", m_code},
              {"m_string", m_string},
              {"known", json::array({"jdoe"})},
              {"cat", "test"}};
}

std::vector<SiteCase> Cases() {
  std::vector<SiteCase> c;
  c.push_back({"Status", Rule("/u/{account}", 200, "Profile", 404, ""), JdoeOr404, {}, Usual(), ""});
  c.push_back({"AbsenceText",
               Rule("/users/{account}", 200, "Joined", 404, "No such user"),
               [](const httplib::Request& req, httplib::Response& res) {
                 if (UserOf(req) == "jdoe") return Html(res, 200, "Joined in 2012");
                 Html(res, 404, "No such user here");
               },
               {},
               Usual(),
               ""});
  c.push_back({"JsonApi",
               Rule("/api?name={account}", 200, "\"id\":", 200, "\"users\":[]"),
               [](const httplib::Request& req, httplib::Response& res) {
                 res.set_content(UserOf(req) == "jdoe" ? R"({"users":[{"id":1}]})" : R"({"users":[]})",
                                 "application/json");
               },
               {},
               Usual(),
               ""});
  c.push_back({"Soft404",
               Rule("/p/{account}", 200, "Profile of", 404, "Not found"),
               [](const httplib::Request&, httplib::Response& res) { Html(res, 200, "Welcome to Example!"); },
               {},
               AllUnknown("soft 404? HTTP 200"),
               ""});
  c.push_back({"LoginRedirect",
               Rule("/p/{account}", 200, "Profile", 404, ""),
               [](const httplib::Request& req, httplib::Response& res) {
                 res.status = 302;
                 res.set_header("Location", "/login?next=" + req.path);
               },
               {},
               AllUnknown("login wall: redirected to http://127.0.0.1:"),
               ""});
  c.push_back({"RedirectIsAbsent",
               Rule("/p/{account}", 200, "Profile", 302, ""),
               [](const httplib::Request& req, httplib::Response& res) {
                 if (UserOf(req) == "jdoe") return Html(res, 200, "Profile of jdoe");
                 res.status = 302;
                 res.set_header("Location", "/search");
               },
               {},
               Usual(),
               ""});
  c.push_back({"Throttled",
               Rule("/p/{account}", 200, "Profile", 404, ""),
               [](const httplib::Request& req, httplib::Response& res) {
                 if (UserOf(req) != "jdoe") return Html(res, 404, "gone");
                 res.status = 429;
                 res.set_header("Retry-After", "1");
               },
               {},
               {{"jdoe", {"unknown", "rate limited: HTTP 429"}}, {"ghost", kAbsent}, {"jane.doe", kAbsent}},
               ""});
  auto once = std::make_shared<std::map<std::string, int>>();
  auto once_mu = std::make_shared<std::mutex>();
  c.push_back({"ThrottledOnce",
               Rule("/p/{account}", 200, "Profile", 404, ""),
               [once, once_mu](const httplib::Request& req, httplib::Response& res) {
                 {
                   std::lock_guard lock(*once_mu);
                   if ((*once)[req.path]++ == 0) {
                     res.status = 429;
                     res.set_header("Retry-After", "1");
                     return;
                   }
                 }
                 JdoeOr404(req, res);
               },
               {},
               Usual(),
               ""});
  c.push_back({"Slow",
               Rule("/p/{account}", 200, "Profile", 404, ""),
               [](const httplib::Request& req, httplib::Response& res) {
                 if (UserOf(req) == "jdoe") std::this_thread::sleep_for(std::chrono::milliseconds(2500));
                 JdoeOr404(req, res);
               },
               {},
               {{"jdoe", {"unknown", "timeout: "}}, {"ghost", kAbsent}, {"jane.doe", kAbsent}},
               ""});
  {
    json rule = Rule("/api/lookup", 200, "\"exists\":true", 200, "\"exists\":false");
    rule["post_body"] = "{\"user\":\"{account}\"}";
    rule["headers"] = {{"Content-Type", "application/json"}};
    c.push_back({"PostJson",
                 rule,
                 [](const httplib::Request& req, httplib::Response& res) {
                   json body = json::parse(req.body, nullptr, false);
                   if (req.method != "POST" || req.get_header_value("Content-Type") != "application/json" ||
                       !body.is_object() || !body.contains("user")) {
                     return Html(res, 400, "bad request");
                   }
                   res.set_content(body["user"] == "jdoe" ? R"({"exists":true})" : R"({"exists":false})",
                                   "application/json");
                 },
                 {},
                 Usual(),
                 ""});
  }
  {
    json rule = Rule("/check", 200, "taken", 200, "available");
    rule["post_body"] = "name={account}&lang=en";
    c.push_back({"PostForm",
                 rule,
                 [](const httplib::Request& req, httplib::Response& res) {
                   if (req.method != "POST" || !req.has_param("lang")) return Html(res, 400, "bad request");
                   Html(res, 200, UserOf(req) == "jdoe" ? "name taken" : "name available");
                 },
                 {},
                 Usual(),
                 ""});
  }
  {
    json rule = Rule("/p/{account}", 200, "Profile", 404, "");
    rule["headers"] = {{"X-Check", "yes"}};
    c.push_back({"NeedsHeader",
                 rule,
                 [](const httplib::Request& req, httplib::Response& res) {
                   if (req.get_header_value("X-Check") != "yes") return Html(res, 403, "forbidden");
                   JdoeOr404(req, res);
                 },
                 {},
                 Usual(),
                 ""});
  }
  {
    json rule = Rule("/p/{account}", 200, "Profile", 404, "");
    rule["strip_bad_char"] = ".";
    c.push_back({"NoDots",
                 rule,
                 JdoeOr404,
                 {},
                 {{"jdoe", kFound},
                  {"ghost", kAbsent},
                  {"jane.doe", {"unknown", "skipped: the site does not take '.' in usernames"}}},
                 ""});
  }
  c.push_back({"RobotsDisallow", Rule("/private/{account}", 200, "Profile", 404, ""), JdoeOr404,
               "User-agent: *\nDisallow: /private/\n", AllUnknown("disallowed by robots.txt"), ""});
  c.push_back({"Blocked",
               Rule("/p/{account}", 200, "Profile", 404, ""),
               [](const httplib::Request&, httplib::Response& res) { Html(res, 403, "no robots please"); },
               {},
               AllUnknown("blocked or login wall: HTTP 403"),
               ""});
  c.push_back({"ServerError",
               Rule("/p/{account}", 200, "Profile", 404, ""),
               [](const httplib::Request&, httplib::Response& res) { Html(res, 500, "oops"); },
               {},
               AllUnknown("server error: HTTP 500"),
               ""});
  c.push_back({"LoginForm",
               Rule("/p/{account}", 200, "Profile", 404, ""),
               [](const httplib::Request&, httplib::Response& res) {
                 Html(res, 200, "<form action=/session><input type=\"password\" name=pw></form>");
               },
               {},
               AllUnknown("login wall: HTTP 200 with a sign-in form"),
               ""});
  c.push_back({"AbsenceWins",
               Rule("/p/{account}", 200, "Profile of", 200, "is not available"),
               [](const httplib::Request& req, httplib::Response& res) {
                 std::string u = UserOf(req);
                 Html(res, 200, u == "jdoe" ? "Profile of jdoe" : "Profile of " + u + " is not available");
               },
               {},
               Usual(),
               ""});
  c.push_back({"Gone",
               Rule("/p/{account}", 200, "Profile", 410, "gone"),
               [](const httplib::Request& req, httplib::Response& res) {
                 if (UserOf(req) == "jdoe") return Html(res, 200, "Profile of jdoe");
                 Html(res, 410, "gone for good");
               },
               {},
               Usual(),
               ""});
  c.push_back({"CrawlDelay", Rule("/p/{account}", 200, "Profile", 404, ""), JdoeOr404,
               "User-agent: *\nCrawl-delay: 1\n", Usual(), ""});
  {
    json rule = Rule("/api/users/{account}", 200, "Profile", 404, "");
    rule["uri_pretty"] = "{base}/@{account}";
    c.push_back({"PrettyUrl", rule, JdoeOr404, {}, Usual(), ""});
  }
  c.push_back({"SharedHostA", Rule("/a/{account}", 200, "Profile", 404, ""), JdoeOr404, {}, Usual(), ""});
  c.push_back(
      {"SharedHostB", Rule("/b/{account}", 200, "Profile", 404, ""), JdoeOr404, {}, Usual(), "SharedHostA"});
  c.push_back({"CodeAsString", Rule("/p/{account}", 200, "Profile", 404, ""), JdoeOr404, {}, Usual(), ""});
  c.back().rule["e_code"] = "200";
  c.push_back({"NotFoundIsNotSure",
               Rule("/p/{account}", 200, "Profile", 404, "Unknown user"),
               JdoeOr404,
               {},
               {{"jdoe", kFound},
                {"ghost", {"unknown", "HTTP 404 without the presence or the absence text"}},
                {"jane.doe", {"unknown", "HTTP 404 without the presence or the absence text"}}},
               ""});
  return c;
}

constexpr int kDelayMs = 300;
// The client spaces the starts of its requests; the server sees their
// arrivals, each later by a connect and a scheduling delay that vary (a new
// connection after a timed-out one, a sanitizer build on a loaded machine).
// So each gap must be at least half the delay (unspaced requests arrive
// within a few ms of each other), and the span from a host's first to its
// last request at least the delays it owes, less this much for the jitter
// of its two ends.
constexpr int kSpanSlackMs = 100;

class AccountsE2e : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir("telescreen-accounts"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Starts one server per case (or shares one), writes the site list.
  std::string WriteList(std::vector<SiteCase>& cases) {
    json sites = json::array();
    for (auto& c : cases) {
      FakeSite* site = nullptr;
      if (!c.shares_host_with.empty()) {
        site = by_name_.at(c.shares_host_with);
      } else {
        servers_.push_back(std::make_unique<FakeSite>(c.answer, c.robots));
        site = servers_.back().get();
      }
      by_name_[c.name] = site;
      json rule = c.rule;
      for (const char* key : {"uri_check", "uri_pretty"}) {
        if (!rule.contains(key)) continue;
        std::string uri = rule[key];
        uri.replace(0, 6, site->base());
        rule[key] = uri;
      }
      rule["name"] = c.name;
      sites.push_back(rule);
    }
    // A site whose port nobody listens on.
    sites.push_back(Rule("/p/{account}", 200, "Profile", 404, ""));
    sites.back()["name"] = "Down";
    sites.back()["uri_check"] = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/p/{account}";
    json list{{"license", {"test"}}, {"authors", {"test"}}, {"categories", {"test"}}, {"sites", sites}};
    std::string path = dir_ + "/sites.json";
    EXPECT_TRUE(core::WriteFileAtomic(path, list.dump(2)).ok());
    return path;
  }

  // A port on 127.0.0.1 that was free a moment ago and is closed now.
  static int ClosedPort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port = ntohs(addr.sin_port);
    }
    ::close(fd);
    return port;
  }

  std::string dir_;
  std::vector<std::unique_ptr<FakeSite>> servers_;
  std::map<std::string, FakeSite*> by_name_;
};

TEST_F(AccountsE2e, ClassifiesEverySiteExactlyAndPolitely) {
  std::vector<SiteCase> cases = Cases();
  ASSERT_GE(cases.size(), 20u);
  std::string list = WriteList(cases);
  std::string out = dir_ + "/accounts.json";
  auto run = testing::RunTelescreen({"accounts", "jdoe", "ghost", "jane.doe", "--sites", list, "--only-sites",
                                     "--json", out, "--html", dir_ + "/accounts.html", "--per-host", "1",
                                     "--delay-ms", std::to_string(kDelayMs), "--timeout-ms", "1000"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto html = core::ReadFile(dir_ + "/accounts.html");
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html.value().find("href=\"" + by_name_["Status"]->base() + "/u/jdoe\""), std::string::npos);
  EXPECT_LT(html.value().find("id=\"found\""), html.value().find("id=\"unknown\""));
  auto text = core::ReadFile(out);
  ASSERT_TRUE(text.ok());
  json report = json::parse(text.value());
  EXPECT_EQ(report["schema_version"], 1);
  EXPECT_EQ(report["usernames"], json({"jdoe", "ghost", "jane.doe"}));
  EXPECT_FALSE(report["interrupted"].get<bool>());
  ASSERT_EQ(report["results"].size(), (cases.size() + 1) * 3);

  std::map<std::pair<std::string, std::string>, json> got;
  bool past_found = false;
  for (const json& r : report["results"]) {
    got[{r["site"], r["username"]}] = r;
    // Found profiles come first.
    if (r["status"] != "found") past_found = true;
    EXPECT_FALSE(past_found && r["status"] == "found") << r.dump();
  }
  for (const SiteCase& c : cases) {
    for (const auto& [user, want] : c.expect) {
      SCOPED_TRACE(c.name + " / " + user);
      const json& r = got[{c.name, user}];
      ASSERT_TRUE(r.is_object());
      EXPECT_EQ(r["status"], want.status) << r.dump();
      EXPECT_EQ(r["detail"].get<std::string>().rfind(want.detail_prefix, 0), 0u) << r.dump();
      EXPECT_EQ(r["category"], "test");
    }
  }
  for (const std::string user : {"jdoe", "ghost", "jane.doe"}) {
    const json& down = got[std::make_pair(std::string("Down"), user)];
    EXPECT_EQ(down["status"], "unknown");
    EXPECT_FALSE(down["detail"].get<std::string>().empty());
  }
  const json& pretty = got[std::make_pair(std::string("PrettyUrl"), std::string("jdoe"))];
  EXPECT_EQ(pretty["url"], by_name_["PrettyUrl"]->base() + "/@jdoe");
  // The terminal summary lists found profiles first.
  EXPECT_LT(run.out.find("FOUND ("), run.out.find("COULD NOT TELL ("));
  EXPECT_NE(run.out.find(by_name_["Status"]->base() + "/u/jdoe"), std::string::npos);

  for (const auto& [name, site] : by_name_) {
    SCOPED_TRACE(name);
    std::vector<Hit> hits = site->hits();
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.start < b.start; });
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits.front().target, "/robots.txt") << "robots.txt is asked before anything else";
    // A timed-out request still runs on the server while the client, after
    // its backoff, sends the next: only there may two overlap.
    if (name != "Slow") {
      EXPECT_LE(site->max_in_flight(), 1);
    }
    int gap_ms = name == "CrawlDelay" ? 1000 : kDelayMs;
    long owed_ms = 0;
    for (std::size_t i = 1; i < hits.size(); ++i) {
      auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(hits[i].start - hits[i - 1].start);
      EXPECT_GE(gap.count(), gap_ms / 2) << hits[i].target;
      owed_ms += gap_ms;
      if (hits[i - 1].status == 429) {
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(hits[i].start - hits[i - 1].end);
        EXPECT_GE(wait.count(), 1000 - kSpanSlackMs)
            << "Retry-After: 1 not honoured before " << hits[i].target;
      }
    }
    auto span = std::chrono::duration_cast<std::chrono::milliseconds>(hits.back().start - hits.front().start);
    EXPECT_GE(span.count(), owed_ms - kSpanSlackMs) << hits.size() << " requests";
    for (const Hit& h : hits) {
      EXPECT_EQ(h.target.find("jane.doe") != std::string::npos && name == "NoDots", false);
      EXPECT_EQ(h.target.find("/private/"), std::string::npos);
      EXPECT_EQ(h.target.find("/login"), std::string::npos) << "a check follows no redirect";
    }
    std::size_t robots =
        std::count_if(hits.begin(), hits.end(), [](const Hit& h) { return h.target == "/robots.txt"; });
    EXPECT_EQ(robots, 1u);
    // Each check once; the throttled, failing and slow ones at most twice more.
    std::map<std::string, int> per_target;
    for (const Hit& h : hits) per_target[h.method + " " + h.target + " " + h.body]++;
    for (const auto& [target, n] : per_target) EXPECT_LE(n, 3) << target;
  }
  std::size_t throttled_jdoe = 0;
  for (const Hit& h : by_name_["Throttled"]->hits()) throttled_jdoe += h.target == "/p/jdoe";
  EXPECT_EQ(throttled_jdoe, 3u) << "one request and two retries after Retry-After";
  std::size_t post_hits = 0;
  for (const Hit& h : by_name_["PostJson"]->hits()) post_hits += h.method == "POST";
  EXPECT_EQ(post_hits, 3u);
}

TEST_F(AccountsE2e, AMalformedListNamesTheFileAndTheEntry) {
  std::string path = dir_ + "/bad.json";
  ASSERT_TRUE(
      core::WriteFileAtomic(path, R"({"sites":[{"name":"Fine","uri_check":"https://a.example/{account}",
    "e_code":200,"e_string":"x","m_code":404,"m_string":""},{"name":"Bad","uri_check":"https://b.example/",
    "e_code":200,"e_string":"x","m_code":404,"m_string":""}]})")
          .ok());
  auto run = testing::RunTelescreen({"accounts", "jdoe", "--sites", path});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find(path + ": sites[1] (\"Bad\"): uri_check: has no {account}"), std::string::npos)
      << run.err;

  auto none = testing::RunTelescreen({"accounts"});
  EXPECT_EQ(none.exit_code, 2);
  auto missing = testing::RunTelescreen({"accounts", "jdoe", "--sites", dir_ + "/nope.json"});
  EXPECT_EQ(missing.exit_code, 2);
}

// Every site unreachable: no all-clear. The summary says nothing could be
// checked, the exit code is 1, and the check stays out of the history.
TEST_F(AccountsE2e, ACheckThatCouldTellNothingIsAnErrorAndNotRecorded) {
  json down = Rule("/p/{account}", 200, "Profile", 404, "");
  down["name"] = "Down";
  down["uri_check"] = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/p/{account}";
  json list{{"sites", json::array({down})}};
  const std::string path = dir_ + "/down.json";
  ASSERT_TRUE(core::WriteFileAtomic(path, list.dump()).ok());
  const std::string db = dir_ + "/history.db";
  auto run = testing::RunTelescreen(
      {"accounts", "jdoe", "--sites", path, "--only-sites", "--db", db, "--ignore-robots"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("No site could be checked"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("No profile on"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("nothing recorded"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(db));
}

// SIGTERM while a slow site keeps the checks busy: stops within 2 s, writes
// the JSON from the answers so far, marked interrupted, exits 143.
TEST_F(AccountsE2e, StopsOnSigtermAndWritesWhatItHas) {
  auto answered = std::make_shared<std::atomic<int>>(0);
  FakeSite slow(
      [answered](const httplib::Request&, httplib::Response& res) {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        Html(res, 404, "gone");
        ++*answered;
      },
      "User-agent: *\nAllow: /\n");
  json sites = json::array();
  for (int i = 0; i < 40; ++i) {
    json rule = Rule("/p" + std::to_string(i) + "/{account}", 200, "Profile", 404, "");
    rule["uri_check"] = slow.base() + "/p" + std::to_string(i) + "/{account}";
    rule["name"] = "Slow" + std::to_string(i);
    sites.push_back(rule);
  }
  std::string list = dir_ + "/slow.json";
  ASSERT_TRUE(core::WriteFileAtomic(list, json{{"sites", sites}}.dump()).ok());
  std::string out = dir_ + "/partial.json";
  int pid = testing::SpawnTelescreen({"accounts", "jdoe", "--sites", list, "--only-sites", "--json", out,
                                      "--per-host", "1", "--delay-ms", "100", "-q"},
                                     "", {});
  // Wait for a few answers rather than a fixed time: under the sanitizers on
  // a busy machine the binary can take over a second just to start.
  for (int waited = 0; *answered < 3 && waited < 300; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto sent = Clock::now();
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - sent);
  EXPECT_LT(took.count(), 2000);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 143);
  auto text = core::ReadFile(out);
  ASSERT_TRUE(text.ok());
  json report = json::parse(text.value());
  EXPECT_TRUE(report["interrupted"].get<bool>());
  ASSERT_EQ(report["results"].size(), 40u);
  std::size_t absent = 0, stopped = 0;
  for (const json& r : report["results"]) {
    absent += r["status"] == "absent";
    stopped += r["detail"] == "not checked: stopped";
  }
  EXPECT_GT(absent, 0u);
  EXPECT_GT(stopped, 0u);
  std::filesystem::perms perms = std::filesystem::status(out).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

// The history: a second check of the same usernames says which profiles
// appeared and which disappeared, and `diff --accounts` says the same.
TEST_F(AccountsE2e, TheHistoryShowsAccountsThatAppearedOrDisappeared) {
  auto second = std::make_shared<std::atomic<bool>>(false);
  FakeSite site(
      [second](const httplib::Request& req, httplib::Response& res) {
        // Before: a profile on /old only. After: on /new only.
        bool has = req.path == (*second ? "/new/jdoe" : "/old/jdoe");
        Html(res, has ? 200 : 404, has ? "Profile of jdoe" : "gone");
      },
      "User-agent: *\nAllow: /\n");
  json sites = json::array();
  for (const char* name : {"old", "new"}) {
    json rule = Rule("/x/{account}", 200, "Profile", 404, "");
    rule["uri_check"] = site.base() + "/" + name + "/{account}";
    rule["name"] = std::string("Site ") + name;
    sites.push_back(rule);
  }
  std::string list = dir_ + "/two.json";
  ASSERT_TRUE(core::WriteFileAtomic(list, json{{"sites", sites}}.dump()).ok());
  std::string db = dir_ + "/history.db";
  std::vector<std::string> args{"accounts", "jdoe", "--sites",    list, "--only-sites",
                                "--db",     db,     "--delay-ms", "0"};
  auto first = testing::RunTelescreen(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out.find("Since the check"), std::string::npos);
  *second = true;
  auto again = testing::RunTelescreen(args);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("1 profile appeared, 1 disappeared"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("  + Site new  " + site.base() + "/new/jdoe"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("  - Site old  " + site.base() + "/old/jdoe"), std::string::npos) << again.out;

  auto diff = testing::RunTelescreen({"diff", "--accounts", "--db", db, "--json"});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  json changes = json::parse(diff.out);
  ASSERT_EQ(changes["appeared"].size(), 1u);
  EXPECT_EQ(changes["appeared"][0]["site"], "Site new");
  ASSERT_EQ(changes["disappeared"].size(), 1u);
  EXPECT_EQ(changes["disappeared"][0]["site"], "Site old");
  // The scans' own history is untouched by account checks.
  auto history = testing::RunTelescreen({"history", "--db", db});
  EXPECT_EQ(history.exit_code, 0) << history.err;
}

// --scan: the found profile is scanned like `telescreen scan` would, so its
// contacts count; --json then holds that one exposure report.
TEST_F(AccountsE2e, ScanFeedsTheFoundProfilesIntoOneReport) {
  FakeSite site(
      [](const httplib::Request& req, httplib::Response& res) {
        if (req.path != "/u/jdoe") return Html(res, 404, "gone");
        Html(res, 200,
             "<!doctype html><html><body><div class=\"h-card\"><a class=\"p-name u-url\" "
             "href=\"/u/jdoe\">Jane Doe</a></div><ul><li class=\"h-card\"><a class=\"p-name u-url\" "
             "rel=\"contact\" href=\"https://friend.example/\">Forgotten Friend</a></li></ul>"
             "<p>Profile of jdoe</p></body></html>");
      },
      "User-agent: *\nAllow: /\n");
  json rule = Rule("/u/{account}", 200, "Profile of", 404, "");
  rule["uri_check"] = site.base() + "/u/{account}";
  rule["name"] = "Old network";
  std::string list = dir_ + "/one.json";
  ASSERT_TRUE(core::WriteFileAtomic(list, json{{"sites", json::array({rule})}}.dump()).ok());
  std::string out = dir_ + "/exposure.json";
  auto run = testing::RunTelescreen({"accounts", "jdoe", "--sites", list, "--only-sites", "--scan", "--json",
                                     out, "--db", dir_ + "/history.db", "--delay-ms", "0"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto text = core::ReadFile(out);
  ASSERT_TRUE(text.ok());
  json report = json::parse(text.value());
  ASSERT_TRUE(report.contains("contacts")) << text.value().substr(0, 400);
  EXPECT_NE(text.value().find("Forgotten Friend"), std::string::npos);
  EXPECT_NE(text.value().find(site.base() + "/u/jdoe"), std::string::npos);
  EXPECT_NE(run.out.find("FOUND (1)"), std::string::npos);
}

// --check-sites: each site with its own known usernames; a rule that no
// longer detects is named, and the exit status is 1.
TEST_F(AccountsE2e, CheckSitesNamesTheStaleRules) {
  FakeSite site(JdoeOr404, "User-agent: *\nAllow: /\n");
  json fresh = Rule("/u/{account}", 200, "Profile", 404, "");
  fresh["uri_check"] = site.base() + "/u/{account}";
  fresh["name"] = "Fresh";
  json stale = Rule("/u/{account}", 200, "Member since", 404, "");  // the site's markup changed
  stale["uri_check"] = site.base() + "/u/{account}";
  stale["name"] = "Stale";
  json unknown_known = fresh;
  unknown_known["name"] = "NoKnown";
  unknown_known["known"] = json::array();
  std::string list = dir_ + "/check.json";
  ASSERT_TRUE(
      core::WriteFileAtomic(list, json{{"sites", json::array({fresh, stale, unknown_known})}}.dump()).ok());
  auto run = testing::RunTelescreen({"accounts", "--check-sites", "--sites", list, "--only-sites",
                                     "--delay-ms", "0", "--db", dir_ + "/history.db"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.out.find("1 still detect, 1 no longer detect"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("STALE Stale (known 'jdoe'): unknown, soft 404? HTTP 200"), std::string::npos)
      << run.out;
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/history.db")) << "--check-sites records nothing";
}

}  // namespace
}  // namespace telescreen
