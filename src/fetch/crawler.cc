#include "fetch/crawler.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/time.h"
#include "fetch/address_policy.h"
#include "fetch/http_date.h"
#include "fetch/robots.h"

namespace telescreen::fetch {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kUnassigned = static_cast<std::size_t>(-1);

struct Item {
  core::Url url;  // the next request: a link, or a redirect's target
  std::string accept;
  int depth = 0;
  int attempt = 0;
  std::size_t index = kUnassigned;  // slot in the results once dispatched
  // Redirects followed so far for this page: the URL first asked for (empty
  // if none), the hop count, and what the earlier hops cost.
  std::string first_url;
  int redirects = 0;
  double fetch_ms = 0;
  bool members_only = false;
  // Crawler::Check: the request (owned by the caller for the whole run);
  // null for pages of Crawl().
  const CheckRequest* check = nullptr;
};

enum class RobotsState { kUnknown, kFetching, kReady };

struct Host {
  RobotsState robots_state = RobotsState::kUnknown;
  RobotsRules rules;
  int robots_attempts = 0;
  std::deque<Item> priority;  // retries, start URLs and pattern links
  std::deque<Item> plain;     // ordinary links
  std::size_t in_flight = 0;
  Clock::time_point last_start{};  // of the latest request to this host
  Clock::time_point next_start{};  // politeness delay, Retry-After, backoff
  std::string robots_error;        // why robots.txt got no response, if it did not
};

struct Started {
  bool robots = false;
  std::string origin;
  Item item;
};

// Request ids are unique per process, so a response left over from an
// earlier, aborted Crawl() on the same fetcher can never be mistaken for one
// of ours.
std::uint64_t NextRequestId() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

std::string RequestTarget(const core::Url& url) {
  return url.has_query() ? url.path() + "?" + url.query() : url.path();
}

// A page given to the handler pool, and what came back.
struct HandlerJob {
  CrawledPage crawled;
  Item item;
  std::vector<model::Link> links;  // the handler's answer
};

// Runs `handler` on the job's page; an exception becomes the page's error.
void RunHandler(const PageHandler& handler, HandlerJob& job) {
  try {
    if (handler) job.links = handler(job.crawled);
  } catch (const std::exception& e) {
    job.crawled.page.error = std::string("page handler failed: ") + e.what();
  } catch (...) {
    job.crawled.page.error = "page handler failed";
  }
}

// Runs the page handler on worker threads, so that extracting one page
// overlaps fetching the next. Results are taken back on the crawler's
// thread, which alone touches the frontier.
class HandlerPool {
 public:
  HandlerPool(const PageHandler& handler, std::size_t threads) : handler_(handler) {
    for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
  }
  ~HandlerPool() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    todo_cv_.notify_all();
    for (auto& t : workers_) t.join();
  }

  void Submit(HandlerJob job) {
    {
      std::lock_guard lock(mu_);
      todo_.push_back(std::move(job));
      ++pending_;
    }
    todo_cv_.notify_one();
  }

  // Jobs handled since the last call, after waiting up to `timeout` for one.
  std::vector<HandlerJob> Take(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    if (done_.empty() && timeout.count() > 0) {
      done_cv_.wait_for(lock, timeout, [this] { return !done_.empty(); });
    }
    std::vector<HandlerJob> out = std::move(done_);
    done_.clear();
    pending_ -= out.size();
    return out;
  }

  // Submitted and not yet taken back.
  std::size_t pending() const {
    std::lock_guard lock(mu_);
    return pending_;
  }

 private:
  void Work() {
    while (true) {
      HandlerJob job;
      {
        std::unique_lock lock(mu_);
        todo_cv_.wait(lock, [this] { return stop_ || !todo_.empty(); });
        if (stop_) return;
        job = std::move(todo_.front());
        todo_.pop_front();
      }
      Run(job);
      {
        std::lock_guard lock(mu_);
        done_.push_back(std::move(job));
      }
      done_cv_.notify_one();
    }
  }

  void Run(HandlerJob& job) {
    RunHandler(handler_, job);
    job.crawled.body.clear();
    job.crawled.body.shrink_to_fit();
  }

  const PageHandler& handler_;
  mutable std::mutex mu_;
  std::condition_variable todo_cv_, done_cv_;
  std::deque<HandlerJob> todo_;
  std::vector<HandlerJob> done_;
  std::size_t pending_ = 0;
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

// One Crawl() call: the frontier, the per-host state and the results.
class CrawlRun {
 public:
  CrawlRun(Fetcher& fetcher, const CrawlOptions& options, const PageHandler& handler)
      : fetcher_(fetcher),
        options_(options),
        handler_(handler),
        rng_(static_cast<unsigned>(Clock::now().time_since_epoch().count())) {}

  Clock::time_point Now() const { return options_.clock ? options_.clock() : Clock::now(); }
  bool StopRequested() const { return options_.stop_requested && options_.stop_requested(); }
  bool interrupted() const { return interrupted_; }

  std::vector<model::Page> Run(const std::vector<core::Url>& start) {
    started_at_ = Now();
    policy_ = std::make_shared<AddressPolicy>(AddressPolicy::ForStartUrls(start));
    for (const core::Url& url : start) sites_.insert(url.SiteKey());
    for (const core::Url& url : start) Enqueue(url, "", 0, true);
    Loop();
    std::vector<model::Page> out;
    out.reserve(results_.size());
    for (model::Page& page : results_) {
      if (!page.url.empty()) out.push_back(std::move(page));
    }
    return out;
  }

  std::vector<model::Page> RunChecks(const std::vector<CheckRequest>& requests) {
    started_at_ = Now();
    // Special addresses only by IP literal: no DNS lookup before the first
    // request (a list of 600 sites would wait for 600 of them), and a site
    // name that resolves to a private address is refused like a link.
    std::vector<core::Url> literal;
    std::set<std::string> hosts;
    for (const CheckRequest& r : requests) {
      AddressClass c;
      if (hosts.insert(r.url.host()).second && ClassifyAddressText(r.url.host(), &c))
        literal.push_back(r.url);
    }
    policy_ = std::make_shared<AddressPolicy>(AddressPolicy::ForStartUrls(literal));
    results_.resize(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
      results_[i].url = requests[i].url.ToString();
      results_[i].final_url = results_[i].url;
      results_[i].error = "not checked: stopped";
      Item item;
      item.url = requests[i].url;
      item.accept = requests[i].accept;
      item.index = i;  // its slot is fixed: outcomes come back in request order
      item.check = &requests[i];
      std::string origin = item.url.Origin();
      auto [it, inserted] = hosts_.try_emplace(origin);
      if (inserted) host_order_.push_back(origin);
      it->second.priority.push_back(std::move(item));
      ++queued_;
    }
    Loop();
    return std::move(results_);
  }

 private:
  void Loop() {
    try {
      if (options_.handler_threads > 0 && handler_) {
        pool_ = std::make_unique<HandlerPool>(handler_, options_.handler_threads);
      }
      while (true) {
        if (StopRequested()) {
          interrupted_ = !started_.empty() || (pool_ && pool_->pending() > 0) || HasDispatchable();
          break;
        }
        if (!PoolFull()) Dispatch();
        std::size_t handling = pool_ ? pool_->pending() : 0;
        if (started_.empty() && handling == 0 && !HasDispatchable()) break;
        if (started_.empty() && handling > 0) {
          // Nothing on the wire: wait for the handlers, whose links may add work.
          for (HandlerJob& job : pool_->Take(WaitTime())) Complete(std::move(job));
          continue;
        }
        auto wait = WaitTime();
        if (handling > 0) wait = std::min(wait, std::chrono::milliseconds(2));
        for (FetchResponse& r : fetcher_.Wait(wait)) OnResponse(std::move(r));
        if (pool_) {
          for (HandlerJob& job : pool_->Take(std::chrono::milliseconds(0))) Complete(std::move(job));
        }
      }
      // Stopped: the pages already fetched are still read (a few at most:
      // the pool's queue is bounded); transfers in flight are abandoned.
      while (pool_ && pool_->pending() > 0) {
        for (HandlerJob& job : pool_->Take(std::chrono::milliseconds(100))) Complete(std::move(job));
      }
    } catch (...) {
      // Out of memory or a fetcher bug: keep the outcomes we have.
    }
    pool_.reset();  // joins the workers; pages still in their queue are dropped
  }

  bool Obey() const { return options_.robots == RobotsPolicy::kObey; }
  bool BudgetLeft() const { return pages_started_ < options_.max_pages; }
  std::size_t MaxQueued() const { return std::max<std::size_t>(options_.max_pages * 4, 256); }

  void Enqueue(const core::Url& url, const std::string& accept, int depth, bool priority) {
    if (queued_ >= MaxQueued()) return;  // a link farm cannot grow the frontier unboundedly
    std::string key = url.ToString() + '\n' + accept;
    if (!seen_.insert(std::move(key)).second) return;
    std::string origin = url.Origin();
    auto [it, inserted] = hosts_.try_emplace(origin);
    if (inserted) host_order_.push_back(origin);
    Item item;
    item.url = url;
    item.accept = accept;
    item.depth = depth;
    (priority ? it->second.priority : it->second.plain).push_back(std::move(item));
    ++queued_;
  }

  static Item* Front(Host& h) {
    if (!h.priority.empty()) return &h.priority.front();
    if (!h.plain.empty()) return &h.plain.front();
    return nullptr;
  }

  Item Pop(Host& h) {
    std::deque<Item>& q = h.priority.empty() ? h.plain : h.priority;
    Item item = std::move(q.front());
    q.pop_front();
    --queued_;
    return item;
  }

  // True iff some queued item may still be started (now or later).
  bool HasDispatchable() {
    for (auto& [origin, h] : hosts_) {
      Item* front = Front(h);
      if (front == nullptr) continue;
      if (front->index != kUnassigned || BudgetLeft()) return true;
      // Retries sit at the front of `priority`, so a fresh front means none.
    }
    return false;
  }

  void Dispatch() {
    Clock::time_point now = Now();
    std::size_t n = host_order_.size();
    for (std::size_t k = 0; k < n && started_.size() < options_.concurrency; ++k) {
      const std::string& origin = host_order_[(rotation_ + k) % n];
      DispatchHost(origin, hosts_[origin], now);
    }
    if (n > 0) rotation_ = (rotation_ + 1) % n;
  }

  void DispatchHost(const std::string& origin, Host& h, Clock::time_point now) {
    while (started_.size() < options_.concurrency) {
      Item* front = Front(h);
      if (front == nullptr) return;
      if (Obey() && h.robots_state == RobotsState::kUnknown) {
        // A retry of robots.txt waits out its Retry-After or backoff too.
        if (now >= h.next_start) StartRobots(origin, h);
        return;
      }
      if (Obey() && h.robots_state == RobotsState::kFetching) return;
      if (h.in_flight >= options_.per_host || now < h.next_start) return;
      if (front->index == kUnassigned && !BudgetLeft()) return;
      Item item = Pop(h);
      if (Obey() && !h.rules.IsAllowed(RequestTarget(item.url))) {
        RecordDisallowed(item, h);
        continue;
      }
      if (item.index == kUnassigned) {
        item.index = results_.size();
        results_.emplace_back();
        ++pages_started_;
      }
      FetchRequest req;
      req.id = NextRequestId();
      req.url = item.url.ToString();
      req.accept = item.accept;
      req.address_policy = policy_;
      if (item.check != nullptr) {
        req.method = item.check->method;
        req.post_body = item.check->post_body;
        req.headers = item.check->headers;
      }
      // Each hop comes back here, so that its origin's robots.txt and
      // per-host limits apply to it.
      req.redirects = RedirectMode::kReturn;
      started_.emplace(req.id, Started{false, origin, std::move(item)});
      ++h.in_flight;
      fetcher_.Start(std::move(req));
      MarkStarted(h);
    }
  }

  void StartRobots(const std::string& origin, Host& h) {
    FetchRequest req;
    req.id = NextRequestId();
    req.url = origin + "/robots.txt";
    req.accept = "text/plain,*/*;q=0.5";
    req.address_policy = policy_;
    started_.emplace(req.id, Started{true, origin, Item{}});
    h.robots_state = RobotsState::kFetching;
    ++h.in_flight;
    fetcher_.Start(std::move(req));
    MarkStarted(h);
  }

  // The host's gap counts from when its request was handed to the fetcher,
  // not from when this round of dispatching began: handing over the other
  // hosts' requests first can take a while.
  void MarkStarted(Host& h) {
    h.last_start = Now();
    h.next_start = h.last_start + HostDelay(h);
  }

  // The host's minimum gap between requests: --delay-ms, raised by its
  // robots.txt Crawl-delay up to max_crawl_delay.
  std::chrono::milliseconds HostDelay(const Host& h) const {
    if (!Obey() || h.robots_state != RobotsState::kReady) return options_.delay;
    auto crawl_delay = h.rules.crawl_delay();
    if (!crawl_delay.has_value()) return options_.delay;
    return std::max(options_.delay, std::min(*crawl_delay, options_.max_crawl_delay));
  }

  // A page robots.txt does not let us request: a link (a new result) or a
  // redirect's next hop (its page's slot).
  void RecordDisallowed(const Item& item, const Host& h) {
    std::string why;
    if (h.rules.disallow_all()) {
      why = "robots.txt unreachable (RFC 9309 section 2.3.1.4)";
      if (!h.robots_error.empty()) why += ": " + h.robots_error;
    } else {
      why = "disallowed by robots.txt";
    }
    model::Page page;
    page.depth = item.depth;
    if (item.first_url.empty()) {
      page.url = item.url.ToString();
      page.final_url = page.url;
      page.error = h.rules.disallow_all() ? "not fetched: " + why : why;
    } else {
      page.url = item.first_url;
      page.final_url = item.url.ToString();
      page.error = "redirect to " + page.final_url + " refused: " + why;
    }
    FinishUnfetched(std::move(page), item);
  }

  // Records an outcome for which no page body was handed to the handler.
  void FinishUnfetched(model::Page page, const Item& item) {
    page.fetch_ms += item.fetch_ms;  // earlier hops of a redirect
    if (item.members_only) page.visibility = model::Visibility::kMembersOnly;
    Count(page);
    if (item.index == kUnassigned) {
      results_.push_back(std::move(page));
    } else {
      results_[item.index] = std::move(page);
    }
    Progress();
  }

  std::chrono::milliseconds WaitTime() const {
    Clock::time_point now = Now();
    auto wait = std::chrono::milliseconds(started_.empty() ? 1000 : 250);
    for (const auto& [origin, h] : hosts_) {
      if (h.priority.empty() && h.plain.empty()) continue;
      if (h.next_start <= now) continue;
      auto until = std::chrono::duration_cast<std::chrono::milliseconds>(h.next_start - now) +
                   std::chrono::milliseconds(1);
      wait = std::min(wait, until);
    }
    return wait;
  }

  std::chrono::milliseconds Backoff(int attempt) {
    auto base = options_.retry_base_delay * (1 << std::min(attempt, 10));
    std::uniform_int_distribution<long long> jitter(0, std::max<long long>(base.count(), 0));
    return base + std::chrono::milliseconds(jitter(rng_));
  }

  void OnResponse(FetchResponse r) {
    auto it = started_.find(r.id);
    if (it == started_.end()) return;
    Started s = std::move(it->second);
    started_.erase(it);
    Host& h = hosts_[s.origin];
    if (h.in_flight > 0) --h.in_flight;
    if (s.robots) {
      // RFC 9309 section 2.3.1: no response at all counts as unreachable.
      int status = r.page.status;
      if (!r.page.error.empty() && !r.page.truncated) status = 0;
      bool transient = r.failure == Failure::kTransient || status >= 500 || status == 429;
      if (transient && h.robots_attempts < options_.max_retries) {
        // One bad moment should not close a whole site for the scan.
        ++h.robots_attempts;
        h.robots_state = RobotsState::kUnknown;
        h.next_start = std::max(h.next_start, Now() + RobotsRetryDelay(r));
        return;
      }
      h.rules = RobotsRules::ForStatus(status, r.body, options_.user_agent_token);
      h.robots_state = RobotsState::kReady;
      if (status == 0) h.robots_error = r.page.error;
      // A Crawl-delay also spaces the first page from the robots.txt request.
      h.next_start = std::max(h.next_start, h.last_start + HostDelay(h));
      return;
    }
    if (MaybeRetry(r, s.item, h)) return;
    if (!r.redirect_to.empty()) {
      // A check's answer is the redirect itself ("moved to the sign-in page").
      if (s.item.check == nullptr) return FollowRedirect(r, std::move(s.item));
      r.page.final_url = r.redirect_to;
    }
    r.page.depth = s.item.depth;
    if (!s.item.first_url.empty()) {
      r.page.url = s.item.first_url;
      r.page.fetch_ms += s.item.fetch_ms;
      if (s.item.members_only) r.page.visibility = model::Visibility::kMembersOnly;
    }
    HandlePage(r, s.item);
  }

  // Queues a redirect's next hop on its own host, ahead of that host's
  // other work (it already holds a result slot and counts against
  // max_pages once). Only http(s) URLs parse; the address policy is
  // enforced by the fetcher when the hop connects.
  void FollowRedirect(const FetchResponse& r, Item item) {
    if (item.first_url.empty()) item.first_url = item.url.ToString();
    item.fetch_ms += r.page.fetch_ms;
    if (r.page.visibility == model::Visibility::kMembersOnly) item.members_only = true;
    model::Page page;
    page.url = item.first_url;
    page.final_url = r.redirect_to;
    page.depth = item.depth;
    if (item.redirects >= options_.max_redirects) {
      page.error = "too many redirects (more than " + std::to_string(options_.max_redirects) + ")";
      return FinishUnfetched(std::move(page), item);
    }
    auto target = core::Url::Parse(r.redirect_to);
    if (!target.ok()) {
      page.error = "redirect refused: " + target.error().message;
      return FinishUnfetched(std::move(page), item);
    }
    item.url = target.value();
    ++item.redirects;
    item.attempt = 0;
    std::string origin = item.url.Origin();
    auto [it, inserted] = hosts_.try_emplace(origin);
    if (inserted) host_order_.push_back(origin);
    // At the very front: behind a fresh link it could wait forever once
    // max_pages is reached (DispatchHost stops at a fresh front item).
    it->second.priority.push_front(std::move(item));
    ++queued_;
  }

  std::chrono::milliseconds RobotsRetryDelay(const FetchResponse& r) {
    if (r.retry_after.has_value() && *r.retry_after <= options_.max_retry_after) {
      return *r.retry_after;
    }
    return Backoff(0);
  }

  bool MaybeRetry(const FetchResponse& r, Item& item, Host& h) {
    int status = r.page.status;
    bool throttled = status == 429 || status == 503;
    // A Retry-After pauses the whole host (RFC 9110 section 10.2.3), also
    // when this request has no retry left: the host's next request waits.
    if (throttled && r.retry_after.has_value() && *r.retry_after <= options_.max_retry_after) {
      h.next_start = std::max(h.next_start, Now() + *r.retry_after);
    }
    if (item.attempt >= options_.max_retries) return false;
    std::chrono::milliseconds wait{0};
    if (throttled && r.retry_after.has_value()) {
      if (*r.retry_after > options_.max_retry_after) return false;
      wait = *r.retry_after;
    } else if (throttled || status >= 500 || r.failure == Failure::kTransient) {
      if (status == 501 || status == 505) return false;  // will not change
      wait = Backoff(item.attempt);
    } else {
      return false;
    }
    ++item.attempt;
    h.next_start = std::max(h.next_start, Now() + wait);
    h.priority.push_front(std::move(item));
    ++queued_;
    return true;
  }

  // Pages fetched but still with the handler: at most a few per thread, so
  // bodies do not pile up while the handlers are behind.
  bool PoolFull() const { return pool_ && pool_->pending() >= 2 * options_.handler_threads + 2; }

  void HandlePage(FetchResponse& r, const Item& item) {
    model::Page page = std::move(r.page);  // `r` is not read again
    // Capture time of a response: what its Date header says, else our fetch
    // time. No response (status 0): nothing was captured.
    if (page.status != 0) {
      page.captured_at = HttpDateToIso(r.date_header);
      if (page.captured_at.empty()) page.captured_at = core::FormatIsoUtc(core::SystemClock().Now());
    }
    HandlerJob job{CrawledPage{std::move(page), std::move(r.body), std::move(r.date_header),
                               item.check != nullptr ? item.index : 0},
                   item,
                   {}};
    if (pool_) return pool_->Submit(std::move(job));
    RunHandler(handler_, job);
    Complete(std::move(job));
  }

  // Records a handled page and follows its links.
  void Complete(HandlerJob job) {
    model::Page& page = job.crawled.page;
    const Item& item = job.item;
    if (!page.final_url.empty() && page.final_url != page.url) {
      auto final_url = core::Url::Parse(page.final_url);
      if (final_url.ok()) {
        seen_.insert(final_url.value().ToString() + '\n' + item.accept);
        // A start page that moved (http -> https, a new host) brings its new
        // site into scope.
        if (item.depth == 0) sites_.insert(final_url.value().SiteKey());
      }
    }
    if (item.check == nullptr) {
      for (const model::Link& link : job.links) Follow(link, item.depth);
    }
    Count(page);
    results_[item.index] = std::move(page);
    Progress();
  }

  void Follow(const model::Link& link, int depth) {
    auto url = core::Url::Parse(link.url);
    if (!url.ok()) return;
    if (sites_.count(url.value().SiteKey()) == 0) return;
    int next_depth = link.kind == "next" ? depth : depth + 1;
    if (next_depth > options_.max_depth) return;
    Enqueue(url.value(), link.accept, next_depth, !link.kind.empty());
  }

  void Count(const model::Page& page) {
    ++pages_done_;
    if (!page.error.empty() || page.status >= 400) ++errors_;
  }

  void Progress() {
    if (!options_.on_progress) return;
    CrawlProgress p;
    p.pages_done = pages_done_;
    p.errors = errors_;
    p.queued = queued_;
    p.in_flight = started_.size();
    p.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Now() - started_at_);
    try {
      options_.on_progress(p);
    } catch (...) {
      // A progress printer must not stop the crawl.
    }
  }

  Fetcher& fetcher_;
  const CrawlOptions& options_;
  const PageHandler& handler_;
  std::mt19937 rng_;
  Clock::time_point started_at_;
  std::shared_ptr<AddressPolicy> policy_;
  std::set<std::string> sites_;
  std::unordered_set<std::string> seen_;
  std::map<std::string, Host> hosts_;
  std::vector<std::string> host_order_;
  std::size_t rotation_ = 0;
  std::unordered_map<std::uint64_t, Started> started_;
  std::vector<model::Page> results_;
  std::size_t pages_started_ = 0;
  std::size_t queued_ = 0;
  std::size_t pages_done_ = 0;
  std::size_t errors_ = 0;
  std::unique_ptr<HandlerPool> pool_;  // with options_.handler_threads > 0
  bool interrupted_ = false;           // stopped by options_.stop_requested with work left
};

}  // namespace

Crawler::Crawler(Fetcher& fetcher, CrawlOptions options) : fetcher_(fetcher), options_(std::move(options)) {
  if (options_.concurrency == 0) options_.concurrency = 1;
  if (options_.per_host == 0) options_.per_host = 1;
  if (options_.max_depth < 0) options_.max_depth = 0;
}

std::vector<model::Page> Crawler::Crawl(const std::vector<core::Url>& start, const PageHandler& handler) {
  CrawlRun run(fetcher_, options_, handler);
  std::vector<model::Page> pages = run.Run(start);
  interrupted_ = run.interrupted();
  return pages;
}

std::vector<model::Page> Crawler::Check(const std::vector<CheckRequest>& requests,
                                        const PageHandler& handler) {
  CrawlRun run(fetcher_, options_, handler);
  std::vector<model::Page> pages = run.RunChecks(requests);
  interrupted_ = run.interrupted();
  return pages;
}

}  // namespace telescreen::fetch
