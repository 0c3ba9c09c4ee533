#include "fetch/crawler.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "fetch/address_policy.h"
#include "fetch/robots.h"

namespace telescreen::fetch {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kUnassigned = static_cast<std::size_t>(-1);

struct Item {
  core::Url url;
  std::string accept;
  int depth = 0;
  int attempt = 0;
  std::size_t index = kUnassigned;  // slot in the results once dispatched
};

enum class RobotsState { kUnknown, kFetching, kReady };

struct Host {
  RobotsState robots_state = RobotsState::kUnknown;
  RobotsRules rules;
  int robots_attempts = 0;
  std::deque<Item> priority;  // retries, start URLs and pattern links
  std::deque<Item> plain;     // ordinary links
  std::size_t in_flight = 0;
  Clock::time_point next_start{};  // politeness delay, Retry-After, backoff
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

// The robots.txt rules known so far, by origin; shared with the redirect
// checks handed to the fetcher (which may outlive a Crawl() call).
using RobotsBook = std::map<std::string, RobotsRules>;

// Refuses a redirect into a path that the target origin's robots.txt
// (when already known) disallows. Origins whose robots.txt has not been
// fetched yet are let through: the hop cannot wait for it.
std::string CheckRedirect(const RobotsBook& book, const std::string& target) {
  auto url = core::Url::Parse(target);
  if (!url.ok()) return "";  // the fetcher refuses it with a better message
  auto it = book.find(url.value().Origin());
  if (it == book.end() || it->second.IsAllowed(RequestTarget(url.value()))) return "";
  return "redirect to " + url.value().ToString() + " refused: disallowed by robots.txt";
}

// One Crawl() call: the frontier, the per-host state and the results.
class CrawlRun {
 public:
  CrawlRun(Fetcher& fetcher, const CrawlOptions& options, const PageHandler& handler)
      : fetcher_(fetcher),
        options_(options),
        handler_(handler),
        rng_(static_cast<unsigned>(Clock::now().time_since_epoch().count())) {}

  std::vector<model::Page> Run(const std::vector<core::Url>& start) {
    started_at_ = Clock::now();
    policy_ = std::make_shared<AddressPolicy>(AddressPolicy::ForStartUrls(start));
    for (const core::Url& url : start) sites_.insert(url.SiteKey());
    for (const core::Url& url : start) Enqueue(url, "", 0, true);
    try {
      while (true) {
        Dispatch();
        if (started_.empty() && !HasDispatchable()) break;
        for (FetchResponse& r : fetcher_.Wait(WaitTime())) OnResponse(std::move(r));
      }
    } catch (...) {
      // Out of memory or a fetcher bug: keep the outcomes we have.
    }
    std::vector<model::Page> out;
    out.reserve(results_.size());
    for (model::Page& page : results_) {
      if (!page.url.empty()) out.push_back(std::move(page));
    }
    return out;
  }

 private:
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
    Item item{url, accept, depth, 0, kUnassigned};
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
    Clock::time_point now = Clock::now();
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
        StartRobots(origin, h, now);
        return;
      }
      if (Obey() && h.robots_state == RobotsState::kFetching) return;
      if (h.in_flight >= options_.per_host || now < h.next_start) return;
      if (front->index == kUnassigned && !BudgetLeft()) return;
      Item item = Pop(h);
      if (Obey() && !h.rules.IsAllowed(RequestTarget(item.url))) {
        RecordDisallowed(item, h.rules.disallow_all());
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
      if (Obey()) {
        req.redirect_check = [book = robots_book_](const std::string& target) {
          return CheckRedirect(*book, target);
        };
      }
      started_.emplace(req.id, Started{false, origin, std::move(item)});
      ++h.in_flight;
      h.next_start = now + options_.delay;
      fetcher_.Start(std::move(req));
    }
  }

  void StartRobots(const std::string& origin, Host& h, Clock::time_point now) {
    FetchRequest req;
    req.id = NextRequestId();
    req.url = origin + "/robots.txt";
    req.accept = "text/plain,*/*;q=0.5";
    req.address_policy = policy_;
    started_.emplace(req.id, Started{true, origin, Item{}});
    h.robots_state = RobotsState::kFetching;
    ++h.in_flight;
    h.next_start = now + options_.delay;
    fetcher_.Start(std::move(req));
  }

  void RecordDisallowed(const Item& item, bool robots_unreachable) {
    model::Page page;
    page.url = item.url.ToString();
    page.final_url = page.url;
    page.depth = item.depth;
    page.error = robots_unreachable
                     ? "not fetched: robots.txt unreachable (RFC 9309 section 2.3.1.4)"
                     : "disallowed by robots.txt";
    Count(page);
    results_.push_back(std::move(page));
    Progress();
  }

  std::chrono::milliseconds WaitTime() const {
    Clock::time_point now = Clock::now();
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
        h.next_start = std::max(h.next_start, Clock::now() + RobotsRetryDelay(r));
        return;
      }
      h.rules = RobotsRules::ForStatus(status, r.body, options_.user_agent_token);
      h.robots_state = RobotsState::kReady;
      (*robots_book_)[s.origin] = h.rules;
      return;
    }
    if (MaybeRetry(r, s.item, h)) return;
    r.page.depth = s.item.depth;
    HandlePage(r, s.item);
  }

  std::chrono::milliseconds RobotsRetryDelay(const FetchResponse& r) {
    if (r.retry_after.has_value() && *r.retry_after <= options_.max_retry_after) {
      return *r.retry_after;
    }
    return Backoff(0);
  }

  bool MaybeRetry(const FetchResponse& r, Item& item, Host& h) {
    if (item.attempt >= options_.max_retries) return false;
    int status = r.page.status;
    bool throttled = status == 429 || status == 503;
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
    h.next_start = std::max(h.next_start, Clock::now() + wait);
    h.priority.push_front(std::move(item));
    ++queued_;
    return true;
  }

  void HandlePage(const FetchResponse& r, const Item& item) {
    model::Page page = r.page;
    std::vector<model::Link> links;
    CrawledPage crawled{page, r.body, r.date_header};
    try {
      if (handler_) links = handler_(crawled);
    } catch (const std::exception& e) {
      page.error = std::string("page handler failed: ") + e.what();
    } catch (...) {
      page.error = "page handler failed";
    }
    if (!page.final_url.empty() && page.final_url != page.url) {
      auto final_url = core::Url::Parse(page.final_url);
      if (final_url.ok()) {
        seen_.insert(final_url.value().ToString() + '\n' + item.accept);
        // A start page that moved (http -> https, a new host) brings its new
        // site into scope.
        if (item.depth == 0) sites_.insert(final_url.value().SiteKey());
      }
    }
    for (const model::Link& link : links) Follow(link, item.depth);
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
    p.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_at_);
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
  std::shared_ptr<RobotsBook> robots_book_ = std::make_shared<RobotsBook>();
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
};

}  // namespace

Crawler::Crawler(Fetcher& fetcher, CrawlOptions options)
    : fetcher_(fetcher), options_(std::move(options)) {
  if (options_.concurrency == 0) options_.concurrency = 1;
  if (options_.per_host == 0) options_.per_host = 1;
  if (options_.max_depth < 0) options_.max_depth = 0;
}

std::vector<model::Page> Crawler::Crawl(const std::vector<core::Url>& start,
                                        const PageHandler& handler) {
  CrawlRun run(fetcher_, options_, handler);
  return run.Run(start);
}

}  // namespace telescreen::fetch
