#include "fetch/cookies.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/file.h"
#include "core/text.h"

namespace telescreen::fetch {
namespace {

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> fields;
  while (true) {
    std::size_t tab = line.find('\t');
    fields.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) break;
    line.remove_prefix(tab + 1);
  }
  return fields;
}

bool ParseBool(std::string_view s, bool* out) {
  std::string l = core::AsciiLower(s);
  if (l == "true") {
    *out = true;
    return true;
  }
  if (l == "false") {
    *out = false;
    return true;
  }
  return false;
}

// Characters a cookie name or value may hold on the wire: no controls, no
// ';' (it would let one value smuggle another cookie or header).
bool SafeForHeader(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f || c == ';') return false;
  }
  return true;
}

bool DomainMatches(const Cookie& cookie, const std::string& host) {
  if (host == cookie.domain) return true;
  if (!cookie.include_subdomains) return false;
  return host.size() > cookie.domain.size() && host.ends_with(cookie.domain) &&
         host[host.size() - cookie.domain.size() - 1] == '.';
}

}  // namespace

bool CookiePathMatches(std::string_view cookie_path, std::string_view request_path) {
  if (request_path.empty()) request_path = "/";
  if (cookie_path == request_path) return true;
  if (!request_path.starts_with(cookie_path)) return false;
  return cookie_path.ends_with('/') || request_path[cookie_path.size()] == '/';
}

core::Result<CookieJar> CookieJar::Load(const std::string& path, std::int64_t now_unix) {
  auto text = core::ReadFile(path, std::size_t{16} << 20);
  if (!text.ok()) return text.error();
  return Parse(text.value(), path, now_unix);
}

core::Result<CookieJar> CookieJar::Parse(std::string_view text, const std::string& source_name,
                                         std::int64_t now_unix) {
  CookieJar jar;
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.starts_with("#HttpOnly_")) {
      line.remove_prefix(10);
    } else if (line.empty() || line.front() == '#') {
      continue;
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    auto where = [&](const std::string& what) {
      return core::MakeError(core::ErrorCode::kParse,
                             source_name + ": line " + std::to_string(line_no) + ": " + what);
    };
    std::vector<std::string_view> f = SplitTabs(line);
    if (f.size() != 7) {
      return where("expected 7 tab-separated fields (Netscape cookies.txt), found " +
                   std::to_string(f.size()));
    }
    Cookie c;
    c.domain = core::AsciiLower(f[0]);
    while (!c.domain.empty() && c.domain.front() == '.') {
      c.domain.erase(0, 1);
      c.include_subdomains = true;
    }
    bool sub = false;
    if (c.domain.empty()) return where("empty domain");
    if (!ParseBool(f[1], &sub)) return where("field 2 must be TRUE or FALSE");
    c.include_subdomains = c.include_subdomains || sub;
    c.path = f[2].empty() ? "/" : std::string(f[2]);
    if (!ParseBool(f[3], &c.secure)) return where("field 4 must be TRUE or FALSE");
    auto [ptr, ec] = std::from_chars(f[4].data(), f[4].data() + f[4].size(), c.expires);
    if (ec != std::errc() || ptr != f[4].data() + f[4].size()) {
      return where("field 5 (expiry) must be a number");
    }
    c.name = std::string(f[5]);
    c.value = std::string(f[6]);
    if (c.name.empty()) return where("empty cookie name");
    if (!SafeForHeader(c.name) || !SafeForHeader(c.value) || c.name.find('=') != std::string::npos) {
      return where("cookie '" + c.name.substr(0, 64) + "' has characters not allowed in a Cookie header");
    }
    if (c.expires != 0 && c.expires < now_unix) continue;
    jar.cookies_.push_back(std::move(c));
  }
  return jar;
}

std::string CookieJar::HeaderFor(const core::Url& url) const {
  std::vector<const Cookie*> matching;
  for (const Cookie& c : cookies_) {
    if (c.secure && url.scheme() != "https") continue;
    if (!DomainMatches(c, url.host())) continue;
    if (!CookiePathMatches(c.path, url.path())) continue;
    matching.push_back(&c);
  }
  std::stable_sort(matching.begin(), matching.end(),
                   [](const Cookie* a, const Cookie* b) { return a->path.size() > b->path.size(); });
  std::string header;
  for (const Cookie* c : matching) {
    if (!header.empty()) header += "; ";
    header += c->name;
    header += '=';
    header += c->value;
  }
  return header;
}

}  // namespace telescreen::fetch
