// CurlFetcher: Fetcher over libcurl's multi interface, several transfers at
// once, http and https only (also after redirects), body capped.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "fetch/fetcher.h"

namespace telescreen::fetch {

struct CurlOptions {
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds total_timeout{30000};   // whole transfer
  std::size_t max_body_bytes = std::size_t{4} << 20; // longer bodies are cut; page.truncated
  long max_redirects = 10;
  std::string user_agent;                            // default: "telescreen/VERSION (+docs URL)"
  std::size_t max_connections = 16;                  // curl's total connection cap
};

class CurlFetcher final : public Fetcher {
 public:
  // REQUIRES: curl_global_init was called once (main does it).
  explicit CurlFetcher(CurlOptions options);
  ~CurlFetcher() override;
  CurlFetcher(const CurlFetcher&) = delete;
  CurlFetcher& operator=(const CurlFetcher&) = delete;

  void Start(FetchRequest request) override;
  std::vector<FetchResponse> Wait(std::chrono::milliseconds max_wait) override;
  std::size_t InFlight() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The default User-Agent: names the tool, its version and its docs URL.
std::string DefaultUserAgent();

}  // namespace telescreen::fetch
