#include "fetch/curl_fetcher.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>
#include <map>

#include "core/hash.h"
#include "core/text.h"
#include "core/url.h"
#include "fetch/address_policy.h"
#include "fetch/charset.h"
#include "fetch/cookies.h"
#include "fetch/http_date.h"

namespace telescreen::fetch {
namespace {

using Clock = std::chrono::steady_clock;

struct CurlEasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
struct CurlMultiDeleter {
  void operator()(CURLM* h) const { curl_multi_cleanup(h); }
};
using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlSlist = std::unique_ptr<curl_slist, SlistDeleter>;

constexpr char kDefaultAccept[] = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8";

// A header line as curl hands it over: "Name: value\r\n".
std::string_view TrimValue(std::string_view s) { return core::Trim(s, " \t\r\n"); }

// RFC 9110 section 10.2.3: delay-seconds or an HTTP-date.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value) {
  if (value.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(value[0]))) {
    long long secs = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), secs);
    if (ec == std::errc::result_out_of_range) return std::chrono::seconds(INT32_MAX);
    if (ec != std::errc() || ptr != value.data() + value.size()) return std::nullopt;
    return std::chrono::seconds(secs);
  }
  core::TimePoint now = core::SystemClock().Now();
  auto when = ParseHttpDate(value, now);  // the same parser as the Date header's
  if (!when) return std::nullopt;
  return *when > now ? std::chrono::duration_cast<std::chrono::seconds>(*when - now)
                     : std::chrono::seconds(0);
}

Failure Classify(CURLcode code, bool refused) {
  if (refused) return Failure::kPermanent;
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return Failure::kTransient;
    default:
      return Failure::kPermanent;
  }
}

}  // namespace

// One logical request; redirects are followed by us, not by curl, so that the
// scheme, the address and the cookies are decided afresh for every hop.
struct Transfer {
  FetchRequest request;
  std::string current_url;
  long redirects = 0;
  CurlEasy easy;
  CurlSlist headers;
  std::string cookie_header;
  std::string body;
  std::size_t cap = 0;
  bool truncated = false;
  bool cookies_sent = false;  // on any hop
  std::string retry_after;
  std::string date;
  std::string refusal;  // set by the open-socket callback
  Clock::time_point started;
  char errbuf[CURL_ERROR_SIZE] = {0};
};

namespace {

// curl callbacks: C linkage expectations, so nothing may throw out of them.
size_t WriteCallback(char* data, size_t size, size_t n, void* user) noexcept {
  auto* t = static_cast<Transfer*>(user);
  std::size_t len = size * n;
  try {
    std::size_t room = t->cap > t->body.size() ? t->cap - t->body.size() : 0;
    if (len > room) {
      t->body.append(data, room);
      t->truncated = true;
      return 0;  // aborts the transfer: CURLE_WRITE_ERROR, which we expect
    }
    t->body.append(data, len);
    return len;
  } catch (...) {
    return 0;
  }
}

size_t HeaderCallback(char* data, size_t size, size_t n, void* user) noexcept {
  auto* t = static_cast<Transfer*>(user);
  std::size_t len = size * n;
  try {
    std::string_view line(data, len);
    if (line.starts_with("HTTP/")) {  // a new response (e.g. after 100 Continue)
      t->retry_after.clear();
      t->date.clear();
    } else if (core::StartsWithIgnoreAsciiCase(line, "retry-after:")) {
      t->retry_after = std::string(TrimValue(line.substr(12)).substr(0, 128));
    } else if (core::StartsWithIgnoreAsciiCase(line, "date:")) {
      t->date = std::string(TrimValue(line.substr(5)).substr(0, 128));
    }
  } catch (...) {
    return 0;
  }
  return len;
}

// Checks the address curl is about to connect to: after DNS and for every
// hop, so neither a redirect nor DNS rebinding reaches a refused address.
curl_socket_t OpenSocketCallback(void* user, curlsocktype purpose, struct curl_sockaddr* address) noexcept {
  auto* t = static_cast<Transfer*>(user);
  if (purpose == CURLSOCKTYPE_IPCXN && t->request.address_policy != nullptr) {
    try {
      std::string why = t->request.address_policy->Refusal(&address->addr);
      if (!why.empty()) {
        t->refusal = std::move(why);
        return CURL_SOCKET_BAD;
      }
    } catch (...) {
      return CURL_SOCKET_BAD;
    }
  }
  return socket(address->family, address->socktype, address->protocol);
}

}  // namespace

struct CurlFetcher::Impl {
  CurlOptions options;
  CurlMulti multi;
  std::map<CURL*, std::unique_ptr<Transfer>> active;
  std::vector<FetchResponse> ready;  // failed before reaching curl
  core::Status status;
  CookieJar jar;
  std::string user_agent;

  void Launch(std::unique_ptr<Transfer> t);
  void Fail(std::unique_ptr<Transfer> t, std::string error, Failure failure);
  void Finish(CURL* easy, CURLcode code, std::vector<FetchResponse>* out);
  FetchResponse MakeResponse(Transfer& t, CURLcode code);
};

void CurlFetcher::Impl::Fail(std::unique_ptr<Transfer> t, std::string error, Failure failure) {
  // Filled in place: moving a local FetchResponse into the vector made GCC 12
  // at -O2 report a string member "maybe uninitialized" (a false positive).
  FetchResponse& r = ready.emplace_back();
  r.id = t->request.id;
  r.page.url = t->request.url;
  r.page.final_url = t->current_url;
  r.page.error = std::move(error);
  r.page.fetch_ms = std::chrono::duration<double, std::milli>(Clock::now() - t->started).count();
  r.page.sha256 = core::Sha256Hex("");
  r.failure = failure;
}

void CurlFetcher::Impl::Launch(std::unique_ptr<Transfer> t) {
  if (!status.ok()) return Fail(std::move(t), status.error().message, Failure::kPermanent);
  auto url = core::Url::Parse(t->current_url);
  if (!url.ok()) {
    std::string what = t->redirects > 0 ? "redirect refused: " : "";
    return Fail(std::move(t), what + url.error().message, Failure::kPermanent);
  }
  t->easy.reset(curl_easy_init());
  if (!t->easy) return Fail(std::move(t), "curl_easy_init failed", Failure::kTransient);
  CURL* e = t->easy.get();
  t->body.clear();
  t->truncated = false;
  t->refusal.clear();
  t->retry_after.clear();
  t->date.clear();
  t->errbuf[0] = '\0';

  std::string accept =
      "Accept: " + (t->request.accept.empty() ? std::string(kDefaultAccept) : t->request.accept);
  t->headers.reset(curl_slist_append(nullptr, accept.c_str()));
  if (t->redirects == 0) {
    // Headers and the POST body belong to the request asked for, not to
    // wherever a redirect leads.
    for (const std::string& h : t->request.headers) {
      // Appending to a non-empty list keeps its head; null means out of memory.
      if (curl_slist_append(t->headers.get(), h.c_str()) == nullptr) {
        return Fail(std::move(t), "out of memory", Failure::kTransient);
      }
    }
  }
  t->cookie_header = jar.HeaderFor(url.value());
  if (!t->cookie_header.empty()) t->cookies_sent = true;

  curl_easy_setopt(e, CURLOPT_URL, t->current_url.c_str());
  curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);  // we follow, see Finish()
  curl_easy_setopt(e, CURLOPT_PROXY, "");           // no proxy from the environment
  curl_easy_setopt(e, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers.get());
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // gzip, deflate, br; capped decoded
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout.count()));
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, options.low_speed_bytes);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.low_speed_time.count()));
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, WriteCallback);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, HeaderCallback);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, OpenSocketCallback);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t.get());
  if (!t->cookie_header.empty()) curl_easy_setopt(e, CURLOPT_COOKIE, t->cookie_header.c_str());
  if (t->request.method == HttpMethod::kPost && t->redirects == 0) {
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t->request.post_body.size()));
    curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, t->request.post_body.c_str());
    // No "Expect: 100-continue" (curl adds it past 1 KB): a server that
    // ignores it would cost a second per check.
    if (curl_slist_append(t->headers.get(), "Expect:") == nullptr) {
      return Fail(std::move(t), "out of memory", Failure::kTransient);
    }
  }
  t->cap = options.max_body_bytes;

  if (curl_multi_add_handle(multi.get(), e) != CURLM_OK) {
    return Fail(std::move(t), "curl_multi_add_handle failed", Failure::kTransient);
  }
  active.emplace(e, std::move(t));
}

FetchResponse CurlFetcher::Impl::MakeResponse(Transfer& t, CURLcode code) {
  FetchResponse r;
  r.id = t.request.id;
  model::Page& page = r.page;
  page.url = t.request.url;
  page.final_url = t.current_url;
  long status = 0;
  curl_easy_getinfo(t.easy.get(), CURLINFO_RESPONSE_CODE, &status);
  page.status = static_cast<int>(status);
  char* content_type = nullptr;
  curl_easy_getinfo(t.easy.get(), CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type != nullptr) page.content_type = content_type;
  page.truncated = t.truncated;
  page.fetch_ms = std::chrono::duration<double, std::milli>(Clock::now() - t.started).count();
  page.visibility = t.cookies_sent ? model::Visibility::kMembersOnly : model::Visibility::kPublic;

  bool ok = code == CURLE_OK || (code == CURLE_WRITE_ERROR && t.truncated);
  if (!ok) {
    if (!t.refusal.empty()) {
      page.error = t.refusal;
    } else {
      page.error = curl_easy_strerror(code);
      if (t.errbuf[0] != '\0') page.error += std::string(": ") + t.errbuf;
    }
    r.failure = Classify(code, !t.refusal.empty());
  }
  r.body = std::move(t.body);
  if (options.convert_to_utf8 && IsTextContentType(page.content_type)) {
    r.body = ToUtf8(r.body, page.content_type);
  }
  page.bytes = r.body.size();
  page.sha256 = core::Sha256Hex(r.body);
  r.retry_after = ParseRetryAfter(t.retry_after);
  r.date_header = std::move(t.date);
  return r;
}

void CurlFetcher::Impl::Finish(CURL* easy, CURLcode code, std::vector<FetchResponse>* out) {
  auto it = active.find(easy);
  if (it == active.end()) return;
  std::unique_ptr<Transfer> t = std::move(it->second);
  active.erase(it);
  curl_multi_remove_handle(multi.get(), easy);

  bool ok = code == CURLE_OK || (code == CURLE_WRITE_ERROR && t->truncated);
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  char* location = nullptr;
  curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &location);
  bool redirect = ok && (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) &&
                  location != nullptr && location[0] != '\0';
  if (!redirect || t->request.redirects == RedirectMode::kReturn) {
    FetchResponse r = MakeResponse(*t, code);
    if (redirect) r.redirect_to = location;
    out->push_back(std::move(r));
    return;
  }
  if (t->redirects >= options.max_redirects) {
    return Fail(std::move(t), "too many redirects (more than " + std::to_string(options.max_redirects) + ")",
                Failure::kPermanent);
  }
  ++t->redirects;
  t->current_url = location;
  Launch(std::move(t));
}

CurlFetcher::CurlFetcher(CurlOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->user_agent = impl_->options.user_agent.empty() ? DefaultUserAgent() : impl_->options.user_agent;
  impl_->multi.reset(curl_multi_init());
  if (!impl_->multi) {
    impl_->status = core::MakeError(core::ErrorCode::kInternal, "curl_multi_init failed");
    return;
  }
  curl_multi_setopt(impl_->multi.get(), CURLMOPT_MAX_TOTAL_CONNECTIONS,
                    static_cast<long>(impl_->options.max_connections));
  if (!impl_->options.cookies_file.empty()) {
    auto jar = CookieJar::Load(impl_->options.cookies_file, static_cast<std::int64_t>(std::time(nullptr)));
    if (jar.ok()) {
      impl_->jar = std::move(jar).value();
    } else {
      impl_->status = jar.error();
    }
  }
}

CurlFetcher::~CurlFetcher() {
  for (auto& [easy, t] : impl_->active) curl_multi_remove_handle(impl_->multi.get(), easy);
  impl_->active.clear();
}

void CurlFetcher::Start(FetchRequest request) {
  auto t = std::make_unique<Transfer>();
  t->current_url = request.url;
  t->request = std::move(request);
  t->started = Clock::now();
  impl_->Launch(std::move(t));
}

std::vector<FetchResponse> CurlFetcher::Wait(std::chrono::milliseconds max_wait) {
  std::vector<FetchResponse> out = std::move(impl_->ready);
  impl_->ready.clear();
  Clock::time_point deadline = Clock::now() + max_wait;
  while (true) {
    int running = 0;
    curl_multi_perform(impl_->multi.get(), &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(impl_->multi.get(), &queued)) {
      if (msg->msg == CURLMSG_DONE) impl_->Finish(msg->easy_handle, msg->data.result, &out);
    }
    for (auto& r : impl_->ready) out.push_back(std::move(r));
    impl_->ready.clear();
    if (!out.empty()) break;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    curl_multi_poll(impl_->multi.get(), nullptr, 0, static_cast<int>(std::min<long long>(left.count(), 1000)),
                    nullptr);
  }
  return out;
}

std::size_t CurlFetcher::InFlight() const { return impl_->active.size() + impl_->ready.size(); }

const core::Status& CurlFetcher::status() const { return impl_->status; }

std::string DefaultUserAgent() {
  return std::string("telescreen/") + TELESCREEN_VERSION + " (+https://telescreen.invalid/docs)";
}

}  // namespace telescreen::fetch
