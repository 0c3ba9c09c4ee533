#include "fetch/curl_fetcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "core/hash.h"
#include "fetch/address_policy.h"
#include "fetch/testing_util.h"

namespace telescreen::fetch {
namespace {

using testing::EnsureCurlGlobalInit;
using testing::LoopbackServer;

// Starts `urls` at once and collects every response (by id order).
std::vector<FetchResponse> FetchAll(CurlFetcher& fetcher, const std::vector<FetchRequest>& reqs) {
  for (const FetchRequest& r : reqs) fetcher.Start(r);
  std::vector<FetchResponse> out;
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);  // hang guard
  while (out.size() < reqs.size() && std::chrono::steady_clock::now() < give_up) {
    for (auto& r : fetcher.Wait(std::chrono::milliseconds(200))) out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

FetchResponse FetchOne(CurlFetcher& fetcher, const std::string& url,
                       std::shared_ptr<const AddressPolicy> policy = nullptr) {
  FetchRequest req;
  req.id = 7;
  req.url = url;
  req.address_policy = std::move(policy);
  auto out = FetchAll(fetcher, {req});
  EXPECT_EQ(out.size(), 1u);
  return out.empty() ? FetchResponse{} : out[0];
}

CurlOptions FastOptions() {
  CurlOptions o;
  o.connect_timeout = std::chrono::milliseconds(2000);
  o.total_timeout = std::chrono::milliseconds(5000);
  return o;
}

class CurlFetcherTest : public ::testing::Test {
 protected:
  void SetUp() override { EnsureCurlGlobalInit(); }
};

TEST_F(CurlFetcherTest, FetchesPageWithMetadata) {
  std::string user_agent;
  LoopbackServer server([&](httplib::Server& s) {
    s.Get("/p", [&](const httplib::Request& req, httplib::Response& res) {
      user_agent = req.get_header_value("User-Agent");
      res.set_header("Date", "Thu, 01 Oct 2015 10:00:00 GMT");
      res.set_content("<p>hello</p>", "text/html; charset=utf-8");
    });
  });
  CurlFetcher fetcher(FastOptions());
  ASSERT_TRUE(fetcher.status().ok());
  FetchResponse r = FetchOne(fetcher, server.Url("/p"));
  EXPECT_EQ(r.id, 7u);
  EXPECT_EQ(r.page.status, 200);
  EXPECT_EQ(r.body, "<p>hello</p>");
  EXPECT_EQ(r.page.bytes, 12u);
  EXPECT_EQ(r.page.sha256, core::Sha256Hex("<p>hello</p>"));
  EXPECT_EQ(r.page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r.page.final_url, server.Url("/p"));
  EXPECT_EQ(r.page.error, "");
  EXPECT_FALSE(r.page.truncated);
  EXPECT_EQ(r.date_header, "Thu, 01 Oct 2015 10:00:00 GMT");
  EXPECT_EQ(r.failure, Failure::kNone);
  EXPECT_EQ(r.page.visibility, model::Visibility::kPublic);
  EXPECT_EQ(user_agent, DefaultUserAgent());
  EXPECT_NE(user_agent.find("telescreen/"), std::string::npos);
  EXPECT_EQ(fetcher.InFlight(), 0u);
}

TEST_F(CurlFetcherTest, NotFoundIsDataNotError) {
  LoopbackServer server([](httplib::Server&) {});
  CurlFetcher fetcher(FastOptions());
  FetchResponse r = FetchOne(fetcher, server.Url("/missing"));
  EXPECT_EQ(r.page.status, 404);
  EXPECT_EQ(r.page.error, "");
}

TEST_F(CurlFetcherTest, SeveralTransfersAtOnce) {
  LoopbackServer server([](httplib::Server& s) {
    s.Get(R"(/n/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content("page " + req.matches[1].str(), "text/plain");
    });
  });
  CurlFetcher fetcher(FastOptions());
  std::vector<FetchRequest> reqs;
  for (int i = 0; i < 6; ++i) {
    FetchRequest r;
    r.id = static_cast<std::uint64_t>(i);
    r.url = server.Url("/n/" + std::to_string(i));
    reqs.push_back(r);
  }
  for (const auto& r : reqs) fetcher.Start(r);
  EXPECT_EQ(fetcher.InFlight(), 6u);
  std::vector<FetchResponse> out;
  for (int spins = 0; out.size() < 6 && spins < 300; ++spins) {
    for (auto& r : fetcher.Wait(std::chrono::milliseconds(100))) out.push_back(std::move(r));
  }
  ASSERT_EQ(out.size(), 6u);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i].body, "page " + std::to_string(i));
}

TEST_F(CurlFetcherTest, BodyCappedAndMarkedTruncated) {
  LoopbackServer server([](httplib::Server& s) {
    s.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(100000, 'x'), "application/octet-stream");
    });
  });
  CurlOptions o = FastOptions();
  o.max_body_bytes = 1000;
  CurlFetcher fetcher(o);
  FetchResponse r = FetchOne(fetcher, server.Url("/big"));
  EXPECT_EQ(r.page.status, 200);
  EXPECT_TRUE(r.page.truncated);
  EXPECT_EQ(r.body.size(), 1000u);
  EXPECT_EQ(r.page.bytes, 1000u);
  EXPECT_EQ(r.page.error, "");
  EXPECT_EQ(r.page.sha256, core::Sha256Hex(std::string(1000, 'x')));
}

TEST_F(CurlFetcherTest, FollowsRedirectsAndReportsFinalUrl) {
  LoopbackServer server([](httplib::Server& s) {
    s.Get("/a", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/b"); });
    s.Get("/b", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/c", 301); });
    s.Get("/c",
          [](const httplib::Request&, httplib::Response& res) { res.set_content("end", "text/plain"); });
  });
  CurlFetcher fetcher(FastOptions());
  FetchResponse r = FetchOne(fetcher, server.Url("/a"));
  EXPECT_EQ(r.page.status, 200);
  EXPECT_EQ(r.body, "end");
  EXPECT_EQ(r.page.url, server.Url("/a"));
  EXPECT_EQ(r.page.final_url, server.Url("/c"));
}

TEST_F(CurlFetcherTest, RedirectLoopStopsAfterMaxRedirects) {
  LoopbackServer server([](httplib::Server& s) {
    s.Get("/loop", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/loop"); });
  });
  CurlFetcher fetcher(FastOptions());
  FetchResponse r = FetchOne(fetcher, server.Url("/loop"));
  EXPECT_NE(r.page.error.find("too many redirects"), std::string::npos) << r.page.error;
  EXPECT_EQ(r.failure, Failure::kPermanent);
  EXPECT_EQ(server.Served().size(), 11u);  // the request and 10 redirects
}

TEST_F(CurlFetcherTest, ReturnModeHandsBackTheRedirect) {
  LoopbackServer server([](httplib::Server& s) {
    s.Get("/a", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/b?x=1", 301); });
    s.Get("/f",
          [](const httplib::Request&, httplib::Response& res) { res.set_redirect("file:///etc/passwd"); });
    s.Get("/p",
          [](const httplib::Request&, httplib::Response& res) { res.set_content("plain", "text/plain"); });
  });
  CurlFetcher fetcher(FastOptions());
  std::vector<FetchRequest> reqs(3);
  const char* paths[] = {"/a", "/f", "/p"};
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    reqs[i].id = i + 1;
    reqs[i].url = server.Url(paths[i]);
    reqs[i].redirects = RedirectMode::kReturn;
  }
  auto out = FetchAll(fetcher, reqs);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].page.status, 301);
  EXPECT_EQ(out[0].redirect_to, server.Url("/b?x=1"));  // absolute
  EXPECT_EQ(out[0].page.final_url, server.Url("/a"));
  EXPECT_EQ(out[0].failure, Failure::kNone);
  EXPECT_EQ(out[1].redirect_to, "file:///etc/passwd");  // the caller refuses it
  EXPECT_EQ(out[2].redirect_to, "");
  EXPECT_EQ(out[2].body, "plain");
  // Nothing was followed.
  std::vector<std::string> served = server.Served();
  std::sort(served.begin(), served.end());
  EXPECT_EQ(served, (std::vector<std::string>{"/a", "/f", "/p"}));
}

TEST_F(CurlFetcherTest, RedirectToFileSchemeRefused) {
  LoopbackServer server([](httplib::Server& s) {
    s.Get("/f",
          [](const httplib::Request&, httplib::Response& res) { res.set_redirect("file:///etc/passwd"); });
  });
  CurlFetcher fetcher(FastOptions());
  FetchResponse r = FetchOne(fetcher, server.Url("/f"));
  EXPECT_NE(r.page.error.find("redirect refused"), std::string::npos) << r.page.error;
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.failure, Failure::kPermanent);
}

TEST_F(CurlFetcherTest, NonHttpStartUrlRefused) {
  CurlFetcher fetcher(FastOptions());
  FetchResponse r = FetchOne(fetcher, "ftp://127.0.0.1/x");
  EXPECT_FALSE(r.page.error.empty());
  EXPECT_EQ(r.page.status, 0);
}

TEST_F(CurlFetcherTest, DecodesGzipBody) {
  LoopbackServer server([](httplib::Server& s) {
    s.Get("/z", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(50000, 'a'), "text/plain");  // httplib gzips text
    });
  });
  CurlFetcher fetcher(FastOptions());
  FetchResponse r = FetchOne(fetcher, server.Url("/z"));
  EXPECT_EQ(r.body, std::string(50000, 'a'));
}

TEST_F(CurlFetcherTest, RetryAfterSecondsAndDate) {
  LoopbackServer server([](httplib::Server& s) {
    s.Get("/secs", [](const httplib::Request&, httplib::Response& res) {
      res.status = 429;
      res.set_header("Retry-After", "120");
    });
    s.Get("/date", [](const httplib::Request&, httplib::Response& res) {
      res.status = 503;
      res.set_header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT");  // in the past
    });
  });
  CurlFetcher fetcher(FastOptions());
  FetchResponse a = FetchOne(fetcher, server.Url("/secs"));
  EXPECT_EQ(a.page.status, 429);
  ASSERT_TRUE(a.retry_after.has_value());
  EXPECT_EQ(a.retry_after->count(), 120);
  FetchResponse b = FetchOne(fetcher, server.Url("/date"));
  EXPECT_EQ(b.page.status, 503);
  ASSERT_TRUE(b.retry_after.has_value());
  EXPECT_EQ(b.retry_after->count(), 0);
}

TEST_F(CurlFetcherTest, AddressPolicyRefusesLoopbackWithoutConnecting) {
  LoopbackServer server([](httplib::Server& s) {
    s.Get("/secret",
          [](const httplib::Request&, httplib::Response& res) { res.set_content("secret", "text/plain"); });
  });
  CurlFetcher fetcher(FastOptions());
  auto public_only = std::make_shared<AddressPolicy>();
  FetchResponse r = FetchOne(fetcher, server.Url("/secret"), public_only);
  EXPECT_NE(r.page.error.find("loopback"), std::string::npos) << r.page.error;
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.failure, Failure::kPermanent);
  EXPECT_FALSE(server.WasServed("/secret"));

  auto allowed = std::make_shared<AddressPolicy>();
  allowed->Allow("127.0.0.1");
  FetchResponse ok = FetchOne(fetcher, server.Url("/secret"), allowed);
  EXPECT_EQ(ok.body, "secret");
}

TEST_F(CurlFetcherTest, AddressPolicyAppliesAfterRedirect) {
  // The first hop is an allowed address; the redirect goes to 127.0.0.2,
  // another loopback address that the policy does not allow.
  LoopbackServer target([](httplib::Server& s) {
    s.Get("/x",
          [](const httplib::Request&, httplib::Response& res) { res.set_content("internal", "text/plain"); });
  });
  int target_port = target.port();
  LoopbackServer start([&](httplib::Server& s) {
    s.Get("/go", [target_port](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("http://127.0.0.2:" + std::to_string(target_port) + "/x");
    });
  });
  CurlFetcher fetcher(FastOptions());
  auto policy = std::make_shared<AddressPolicy>();
  policy->Allow("127.0.0.1");
  FetchResponse r = FetchOne(fetcher, start.Url("/go"), policy);
  EXPECT_NE(r.page.error.find("refused to connect to 127.0.0.2"), std::string::npos) << r.page.error;
  EXPECT_TRUE(target.Served().empty());
}

TEST_F(CurlFetcherTest, TotalTimeoutEndsSlowTransfer) {
  LoopbackServer server([](httplib::Server& s) {
    s.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("application/octet-stream",
                                       [](size_t offset, httplib::DataSink& sink) {
                                         if (offset > 64) return false;
                                         std::this_thread::sleep_for(std::chrono::milliseconds(100));
                                         sink.write("x", 1);
                                         return true;
                                       });
    });
  });
  CurlOptions o = FastOptions();
  o.total_timeout = std::chrono::milliseconds(500);
  CurlFetcher fetcher(o);
  FetchResponse r = FetchOne(fetcher, server.Url("/slow"));
  EXPECT_NE(r.page.error.find("imeout"), std::string::npos) << r.page.error;
  EXPECT_EQ(r.failure, Failure::kTransient);
  EXPECT_FALSE(r.body.empty());  // keeps what arrived
}

TEST_F(CurlFetcherTest, SendsRequestedAcceptHeader) {
  std::string accept;
  LoopbackServer server([&](httplib::Server& s) {
    s.Get("/ap", [&](const httplib::Request& req, httplib::Response& res) {
      accept = req.get_header_value("Accept");
      res.set_content("{}", "application/activity+json");
    });
  });
  CurlFetcher fetcher(FastOptions());
  FetchRequest req;
  req.url = server.Url("/ap");
  req.accept = "application/activity+json";
  auto out = FetchAll(fetcher, {req});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(accept, "application/activity+json");
}

// A POST carries its body and headers as given, without waiting for a
// "100 Continue" (curl's default past 1 KB).
TEST_F(CurlFetcherTest, PostsTheBodyWithItsHeaders) {
  std::string method, body, type, extra, expect;
  LoopbackServer server([&](httplib::Server& s) {
    s.Post("/lookup", [&](const httplib::Request& req, httplib::Response& res) {
      method = req.method;
      body = req.body;
      type = req.get_header_value("Content-Type");
      extra = req.get_header_value("X-Check");
      expect = req.get_header_value("Expect");
      res.set_content("{\"taken\":true}", "application/json");
    });
  });
  CurlFetcher fetcher(FastOptions());
  FetchRequest req;
  req.url = server.Url("/lookup");
  req.method = HttpMethod::kPost;
  req.post_body = "{\"user\":\"" + std::string(2000, 'x') + "\"}";
  req.headers = {"Content-Type: application/json", "X-Check: yes"};
  auto start = std::chrono::steady_clock::now();
  auto out = FetchAll(fetcher, {req});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].page.status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
  EXPECT_EQ(method, "POST");
  EXPECT_EQ(body, req.post_body);
  EXPECT_EQ(type, "application/json");
  EXPECT_EQ(extra, "yes");
  EXPECT_EQ(expect, "");
}

TEST_F(CurlFetcherTest, ConnectionRefusedIsTransient) {
  int port;
  {
    LoopbackServer gone([](httplib::Server&) {});
    port = gone.port();
  }
  CurlFetcher fetcher(FastOptions());
  FetchResponse r = FetchOne(fetcher, "http://127.0.0.1:" + std::to_string(port) + "/");
  EXPECT_FALSE(r.page.error.empty());
  EXPECT_EQ(r.page.status, 0);
  EXPECT_EQ(r.failure, Failure::kTransient);
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream out(path);
  out << text;
  return path;
}

TEST_F(CurlFetcherTest, SendsOnlyMatchingCookiesAndMarksMembersOnly) {
  std::vector<std::string> cookies_seen;
  std::mutex mu;
  auto record = [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    cookies_seen.push_back(req.target + " " + req.get_header_value("Cookie"));
    res.set_content("ok", "text/plain");
  };
  LoopbackServer other([&](httplib::Server& s) { s.Get("/landing", record); });
  int other_port = other.port();
  LoopbackServer server([&](httplib::Server& s) {
    s.Get("/members/ann", record);
    s.Get("/public", record);
    s.Get("/members/away", [other_port](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("http://localhost:" + std::to_string(other_port) + "/landing");
    });
  });
  std::string path = WriteTemp("telescreen_cookies.txt",
                               "# Netscape HTTP Cookie File\n"
                               "127.0.0.1\tFALSE\t/members\tFALSE\t0\tsid\tV4LUE\n"
                               "127.0.0.1\tFALSE\t/\tTRUE\t0\tsecure_only\tS\n"
                               "other.test\tTRUE\t/\tFALSE\t0\tx\ty\n");
  CurlOptions o = FastOptions();
  o.cookies_file = path;
  CurlFetcher fetcher(o);
  ASSERT_TRUE(fetcher.status().ok()) << fetcher.status().error().message;
  FetchResponse members = FetchOne(fetcher, server.Url("/members/ann"));
  FetchResponse pub = FetchOne(fetcher, server.Url("/public"));
  auto policy = std::make_shared<AddressPolicy>();
  policy->Allow("127.0.0.1");
  policy->Allow("::1");
  FetchResponse away = FetchOne(fetcher, server.Url("/members/away"), policy);
  std::remove(path.c_str());
  EXPECT_EQ(members.page.visibility, model::Visibility::kMembersOnly);
  EXPECT_EQ(pub.page.visibility, model::Visibility::kPublic);
  EXPECT_EQ(away.page.final_url, "http://localhost:" + std::to_string(other_port) + "/landing");
  ASSERT_EQ(cookies_seen.size(), 3u);
  EXPECT_EQ(cookies_seen[0], "/members/ann sid=V4LUE");
  EXPECT_EQ(cookies_seen[1], "/public ");
  EXPECT_EQ(cookies_seen[2], "/landing ");  // not carried to another host by the redirect
}

TEST_F(CurlFetcherTest, BadCookiesFileReportedWithoutValues) {
  std::string path = WriteTemp("telescreen_bad_cookies.txt", "127.0.0.1\tFALSE\t/\tNOPE\t0\tsid\tS3CR3T\n");
  CurlOptions o = FastOptions();
  o.cookies_file = path;
  CurlFetcher fetcher(o);
  std::remove(path.c_str());
  ASSERT_FALSE(fetcher.status().ok());
  EXPECT_NE(fetcher.status().error().message.find(path + ": line 1"), std::string::npos);
  EXPECT_EQ(fetcher.status().error().message.find("S3CR3T"), std::string::npos);
  FetchResponse r = FetchOne(fetcher, "http://127.0.0.1:1/");
  EXPECT_EQ(r.page.error, fetcher.status().error().message);
}

}  // namespace
}  // namespace telescreen::fetch
