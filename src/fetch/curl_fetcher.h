// CurlFetcher: Fetcher over libcurl's multi interface, several transfers at
// once, http and https only (also after redirects), body capped.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "core/result.h"
#include "fetch/fetcher.h"

namespace telescreen::fetch {

struct CurlOptions {
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds total_timeout{30000};     // whole transfer
  std::size_t max_body_bytes = std::size_t{4} << 20;  // longer bodies are cut; page.truncated
  long max_redirects = 10;
  std::string user_agent;            // default: "telescreen/VERSION (+docs URL)"
  std::size_t max_connections = 16;  // curl's total connection cap
  // A transfer slower than low_speed_bytes per second for low_speed_time is
  // aborted (a server dripping a byte a second cannot hold a slot for long).
  long low_speed_bytes = 100;
  std::chrono::seconds low_speed_time{10};
  // Netscape cookies.txt; empty = no cookies. Read once by the constructor
  // (check status()); matching cookies are sent per request and such pages
  // are marked members-only. Nothing is ever written back.
  std::string cookies_file;
  // Bodies of text types (HTML, XML, JSON, text/*) are converted to UTF-8.
  bool convert_to_utf8 = true;
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

  // Ok, or why the options could not be used (e.g. the cookies file is
  // unreadable; the message names the file and line). REQUIRES checking by
  // the caller: when not ok, every transfer fails with this message.
  const core::Status& status() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The default User-Agent: names the tool, its version and its docs URL.
std::string DefaultUserAgent();

}  // namespace telescreen::fetch
