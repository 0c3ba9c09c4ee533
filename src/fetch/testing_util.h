// Test helpers for the fetch module: curl's one-time global init, a
// cpp-httplib server on a free 127.0.0.1 port, and a recording fake Fetcher.
// Header-only and used by *_test.cc files only.
#pragma once

#include <curl/curl.h>
#include <httplib.h>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/hash.h"
#include "fetch/fetcher.h"

namespace telescreen::fetch::testing {

// curl_global_init once per test process (main does it in the product).
inline void EnsureCurlGlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// An httplib server on 127.0.0.1:<free port>, listening on its own thread
// from construction to destruction. Records every request path it served.
class LoopbackServer {
 public:
  explicit LoopbackServer(const std::function<void(httplib::Server&)>& routes) {
    routes(server_);
    // Logged on arrival, before routing, so a request counts even if its
    // handler never finishes.
    server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response&) {
      std::lock_guard<std::mutex> lock(mu_);
      served_.push_back(req.target);
      return httplib::Server::HandlerResponse::Unhandled;
    });
    // Enough threads that idle keep-alive connections never starve a test.
    server_.new_task_queue = [] { return new httplib::ThreadPool(32); };
    server_.set_keep_alive_timeout(2);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until the accept loop runs; wait for it.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LoopbackServer() {
    server_.stop();
    thread_.join();
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  int port() const { return port_; }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  // Request targets (path and query) received so far, in order of arrival.
  std::vector<std::string> Served() const {
    std::lock_guard<std::mutex> lock(mu_);
    return served_;
  }
  bool WasServed(const std::string& target) const {
    for (const std::string& s : Served()) {
      if (s == target) return true;
    }
    return false;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<std::string> served_;
};

// A steady clock that moves only when told (CrawlOptions::clock).
class FakeSteadyClock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  TimePoint Now() const { return now_; }
  void Advance(std::chrono::milliseconds d) { now_ += d; }
  // For CrawlOptions::clock; this object must outlive the crawl.
  std::function<TimePoint()> AsFunction() {
    return [this] { return now_; };
  }

 private:
  TimePoint now_ = TimePoint() + std::chrono::hours(1);
};

// A Fetcher that answers from a table at once and records what was asked.
// With a FakeSteadyClock attached, Wait() with nothing to answer advances
// that clock by max_wait instead of sleeping, and every Start() records the
// clock's time, so delays can be checked without timing anything.
class FakeFetcher final : public Fetcher {
 public:
  struct Reply {
    Reply(int s = 200, std::string b = "", std::string type = "text/html")
        : status(s), body(std::move(b)), content_type(std::move(type)) {}
    static Reply Failed(std::string why, Failure kind) {
      Reply r(0);
      r.error = std::move(why);
      r.failure = kind;
      return r;
    }
    static Reply Redirect(std::string to, int status = 302) {
      Reply r(status);
      r.location = std::move(to);
      return r;
    }
    int status = 200;
    std::string body;
    std::string content_type = "text/html";
    std::string error;
    Failure failure = Failure::kNone;
    std::optional<std::chrono::seconds> retry_after;
    std::string location;  // with a 3xx status: the redirect target (absolute)
    // The Date header; without one the crawler stamps a page with the
    // wall clock, which differs between two crawls that cross a second.
    std::string date;
  };
  // Replies for `url`, used in turn; the last one repeats.
  void Set(const std::string& url, std::vector<Reply> replies) { table_[url] = std::move(replies); }

  void set_clock(FakeSteadyClock* clock) { clock_ = clock; }

  void Start(FetchRequest request) override {
    started_.push_back(request);
    requested_.push_back(request.url);
    accepts_.push_back(request.accept);
    if (clock_ != nullptr) start_times_.push_back(clock_->Now());
    pending_.push_back(std::move(request));
  }
  std::vector<FetchResponse> Wait(std::chrono::milliseconds max_wait) override {
    std::vector<FetchResponse> out;
    if (pending_.empty()) {
      if (clock_ != nullptr) {
        clock_->Advance(max_wait);
      } else {
        std::this_thread::sleep_for(std::min(max_wait, std::chrono::milliseconds(50)));
      }
      return out;
    }
    FetchRequest req = std::move(pending_.front());
    pending_.pop_front();
    FetchResponse r;
    r.id = req.id;
    r.page.url = req.url;
    r.page.final_url = req.url;
    auto it = table_.find(req.url);
    if (it == table_.end()) {
      r.page.status = 404;
    } else {
      std::size_t n = served_count_[req.url]++;
      const Reply& reply = it->second[std::min(n, it->second.size() - 1)];
      r.page.status = reply.status;
      r.page.content_type = reply.content_type;
      r.page.error = reply.error;
      r.failure = reply.failure;
      r.retry_after = reply.retry_after;
      r.date_header = reply.date;
      r.body = reply.body;
      // A fake cannot follow; a kFollow caller gets the 3xx as it is.
      if (req.redirects == RedirectMode::kReturn) r.redirect_to = reply.location;
    }
    r.page.bytes = r.body.size();
    r.page.sha256 = core::Sha256Hex(r.body);
    out.push_back(std::move(r));
    return out;
  }
  std::size_t InFlight() const override { return pending_.size(); }

  const std::vector<std::string>& requested() const { return requested_; }
  // Every request as started (method, body, headers), in order.
  const std::vector<FetchRequest>& started() const { return started_; }
  const std::vector<std::string>& accepts() const { return accepts_; }
  // Clock time of each Start(), parallel to requested(); empty without a clock.
  const std::vector<FakeSteadyClock::TimePoint>& start_times() const { return start_times_; }
  // Clock time of the first Start() of `url`; REQUIRES: it was requested.
  FakeSteadyClock::TimePoint StartTime(const std::string& url) const {
    for (std::size_t i = 0; i < requested_.size() && i < start_times_.size(); ++i) {
      if (requested_[i] == url) return start_times_[i];
    }
    return {};
  }
  std::size_t CountRequests(const std::string& url) const {
    std::size_t n = 0;
    for (const auto& u : requested_) n += u == url;
    return n;
  }

 private:
  std::map<std::string, std::vector<Reply>> table_;
  std::map<std::string, std::size_t> served_count_;
  std::deque<FetchRequest> pending_;
  std::vector<FetchRequest> started_;
  std::vector<std::string> requested_;
  std::vector<std::string> accepts_;
  FakeSteadyClock* clock_ = nullptr;
  std::vector<FakeSteadyClock::TimePoint> start_times_;
};

}  // namespace telescreen::fetch::testing
