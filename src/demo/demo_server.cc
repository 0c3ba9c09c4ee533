#include "demo/demo_server.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

#include "core/i18n.h"
#include "core/resources.h"

namespace telescreen::demo {
namespace {

struct SiteSpec {
  const char* name;   // folder under demo/site/
  const char* start;  // the person's profile path on it
};

constexpr SiteSpec kSites[] = {
    {"network", "/xing/profile/Julia_Winter"},
    {"social", "/@jwinter"},
    {"events", "/meetup/members/200417/"},
    {"home", "/"},
};

std::string DateString(core::TimePoint now, long offset_days, bool compact) {
  std::string iso = core::FormatIsoUtc(now + std::chrono::days{offset_days}).substr(0, 10);
  if (!compact) return iso;
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

const char* ContentType(std::string_view path) {
  auto ends = [&](std::string_view s) {
    return path.size() >= s.size() && path.substr(path.size() - s.size()) == s;
  };
  if (ends(".ics")) return "text/calendar; charset=utf-8";
  if (ends(".txt")) return "text/plain; charset=utf-8";
  if (ends(".json")) return "application/activity+json; charset=utf-8";
  return "text/html; charset=utf-8";
}

// Maps a request path (and ?page=N) to a resource under demo/site/<site>/.
std::optional<std::string> ResourceFor(const std::string& site, const httplib::Request& req) {
  std::string path = req.path;
  if (path.find("..") != std::string::npos) return std::nullopt;
  std::string base = "demo/site/" + site + path;
  std::string page = req.has_param("page") ? "_page" + req.get_param_value("page") : "";
  if (page == "_page1") page.clear();
  std::vector<std::string> candidates;
  if (path.back() == '/') {
    candidates.push_back(base + "index.html");
    candidates.push_back(base.substr(0, base.size() - 1) + ".html");
  } else {
    candidates.push_back(base + page + ".html");
    candidates.push_back(base + "/index.html");
    if (page.empty()) candidates.push_back(base + ".json");
    if (page.empty()) candidates.push_back(base);
  }
  for (const auto& c : candidates) {
    if (core::FindResource(c)) return c;
  }
  return std::nullopt;
}

}  // namespace

std::string FillTemplate(std::string_view page,
                         const std::vector<std::pair<std::string, std::string>>& origins,
                         core::TimePoint now) {
  std::string out;
  out.reserve(page.size() + 256);
  std::size_t pos = 0;
  while (true) {
    std::size_t open = page.find("{{", pos);
    std::size_t close = open == std::string_view::npos ? open : page.find("}}", open + 2);
    if (close == std::string_view::npos) {
      out.append(page.substr(pos));
      return out;
    }
    out.append(page.substr(pos, open - pos));
    std::string key(page.substr(open + 2, close - open - 2));
    std::string value = "{{" + key + "}}";
    for (const auto& [name, origin] : origins) {
      if (key == name) value = origin;
    }
    if (key == "year") value = core::FormatIsoUtc(now).substr(0, 4);
    for (const char* prefix : {"date:", "compact:"}) {
      std::string p = prefix;
      if (key.rfind(p, 0) == 0 && key.size() > p.size() && key.size() < p.size() + 7) {
        char* end = nullptr;
        long days = std::strtol(key.c_str() + p.size(), &end, 10);
        if (end && *end == '\0') value = DateString(now, days, p == "compact:");
      }
    }
    out += value;
    pos = close + 2;
  }
}

struct DemoServer::Impl {
  std::vector<std::unique_ptr<httplib::Server>> servers;
  std::vector<std::thread> threads;
  mutable std::mutex mu;
  std::vector<std::string> log;
};

DemoServer::DemoServer() : impl_(std::make_unique<Impl>()) {}
DemoServer::~DemoServer() { Stop(); }

core::Result<std::vector<std::string>> DemoServer::Start(core::TimePoint now) {
  std::vector<std::pair<int, std::unique_ptr<httplib::Server>>> bound;
  for (std::size_t i = 0; i < std::size(kSites); ++i) {
    auto server = std::make_unique<httplib::Server>();
    int port = server->bind_to_any_port("127.0.0.1");
    if (port <= 0) {
      for (auto& b : bound) b.second->stop();
      return core::MakeError(core::ErrorCode::kIo, core::Tr("demo: cannot bind a loopback port"));
    }
    bound.emplace_back(port, std::move(server));
  }
  // Sites get the ports in ascending order, so the sites' URLs always sort
  // alike and reports order the same way on every run (ephemeral ports all
  // have five digits, so string order is numeric order).
  std::sort(bound.begin(), bound.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<std::string, std::string>> origins;
  for (std::size_t i = 0; i < bound.size(); ++i) {
    origins.push_back({kSites[i].name, "http://127.0.0.1:" + std::to_string(bound[i].first)});
    impl_->servers.push_back(std::move(bound[i].second));
  }
  for (std::size_t i = 0; i < impl_->servers.size(); ++i) {
    std::string site = kSites[i].name;
    httplib::Server& server = *impl_->servers[i];
    server.Get(".*", [this, site, origins, now](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(impl_->mu);
        impl_->log.push_back("GET " + site + " " + req.target);
      }
      auto resource = ResourceFor(site, req);
      if (!resource) {
        res.status = 404;
        res.set_content("<!doctype html><title>Not found</title><h1>Not found</h1>",
                        "text/html; charset=utf-8");
        return;
      }
      res.set_content(FillTemplate(*core::FindResource(*resource), origins, now), ContentType(*resource));
    });
    impl_->threads.emplace_back([&server] { server.listen_after_bind(); });
  }
  std::vector<std::string> starts;
  // bind_to_any_port already listens: early connections wait in the backlog.
  for (std::size_t i = 0; i < origins.size(); ++i) starts.push_back(origins[i].second + kSites[i].start);
  return starts;
}

void DemoServer::Stop() {
  for (auto& s : impl_->servers) s->stop();
  for (auto& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
  impl_->threads.clear();
  impl_->servers.clear();
}

std::vector<std::string> DemoServer::RequestLog() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->log;
}

}  // namespace telescreen::demo
