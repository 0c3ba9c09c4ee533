// Fetcher: the seam between the crawler's decisions and the network. The
// crawler starts transfers and collects finished ones; CurlFetcher does it
// with libcurl's multi interface, tests may use a recording fake.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/facts.h"

namespace telescreen::fetch {

class AddressPolicy;

// Who follows redirects (301, 302, 303, 307, 308 with a Location).
enum class RedirectMode {
  kFollow,  // the fetcher, up to its hop limit, http(s) only, address policy on every hop
  kReturn,  // the caller: the 3xx comes back with FetchResponse::redirect_to set, so it
            // can ask the target's robots.txt and keep the target host's limits
};

enum class HttpMethod { kGet, kPost };

struct FetchRequest {
  std::uint64_t id = 0;  // chosen by the caller, echoed in the response
  std::string url;       // absolute http(s) URL
  std::string accept;    // Accept header; empty = "text/html,...;q=0.9,*/*;q=0.8"
  // kPost sends post_body (Content-Type from `headers`, else
  // application/x-www-form-urlencoded). A redirect followed by the fetcher
  // (kFollow) is a GET, as browsers do after 301, 302 and 303.
  HttpMethod method = HttpMethod::kGet;
  std::string post_body;
  // Extra request headers as "Name: value" lines, sent with the first hop
  // only. REQUIRES: no CR or LF in them (the caller validates).
  std::vector<std::string> headers;
  // Which addresses the transfer may connect to (checked on every connection,
  // also after redirects). Null = any address; the Crawler always sets one.
  std::shared_ptr<const AddressPolicy> address_policy;
  RedirectMode redirects = RedirectMode::kFollow;
};

// Whether a failed transfer is worth retrying.
enum class Failure {
  kNone,       // a response arrived (any status), or the body was cut at the cap
  kTransient,  // timeout, connection refused or reset, ...: retry may help
  kPermanent,  // refused address, unsupported scheme, too many redirects, ...
};

struct FetchResponse {
  std::uint64_t id = 0;
  model::Page page;  // url, final_url, status, content type, bytes, sha256, error
  std::string body;  // at most max_body_bytes (decoded)
  std::optional<std::chrono::seconds> retry_after;  // from a Retry-After header
  std::string date_header;                          // HTTP Date: as sent, empty if none
  // RedirectMode::kReturn only: the absolute target of a 3xx (resolved
  // against the URL, any scheme: the caller checks it); else empty.
  std::string redirect_to;
  Failure failure = Failure::kNone;
};

class Fetcher {
 public:
  virtual ~Fetcher() = default;
  // Queues a transfer. Never blocks on the network.
  virtual void Start(FetchRequest request) = 0;
  // Drives transfers for at most `max_wait` and returns those that finished
  // (possibly none). A 404 or a timeout is a finished transfer with the
  // outcome in page.status / page.error, not an error of the program.
  virtual std::vector<FetchResponse> Wait(std::chrono::milliseconds max_wait) = 0;
  // Transfers started and not yet returned by Wait().
  virtual std::size_t InFlight() const = 0;
};

}  // namespace telescreen::fetch
