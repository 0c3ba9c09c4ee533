#include "core/url.h"

#include <cctype>
#include <utility>
#include <vector>

#include "core/text.h"

namespace telescreen::core {
namespace {

// RFC 3986 section 2.3 (ASCII only, whatever the locale).
bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

bool IsUrlUnsafe(unsigned char c) {
  return c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' ||
         c == '}' || c == '%';
}

void AppendEscape(unsigned char c, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out->push_back('%');
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 15]);
}

// RFC 3986 section 5.2.4.
std::string RemoveDotSegments(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t pos = 0;
  bool absolute = !path.empty() && path[0] == '/';
  if (absolute) pos = 1;
  bool trailing_slash = false;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    std::string_view seg =
        path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    bool last = slash == std::string_view::npos;
    if (seg == ".") {
      trailing_slash = last;
    } else if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
      trailing_slash = last;
    } else {
      segments.push_back(seg);
      trailing_slash = false;
    }
    if (last) break;
    pos = slash + 1;
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i) out += '/';
    out += segments[i];
  }
  if (trailing_slash && (out.empty() || out.back() != '/')) out += '/';
  return out;
}

constexpr char kNotAbsolute[] = "not an absolute URL (expected http:// or https://)";

// Every way a URL can be malformed is the caller's input being wrong.
Error Malformed(std::string why) { return MakeError(ErrorCode::kInvalidArgument, std::move(why)); }

bool ValidHost(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  for (unsigned char c : host) {
    if (c <= 0x20 || c == '/' || c == '?' || c == '#' || c == '@' || c == '\\' || c == '<' || c == '>' ||
        c == '"' || c == '%' || c == 0x7f) {
      return false;
    }
  }
  return true;
}

// Browsers strip leading/trailing C0 controls and spaces, and tabs/newlines
// anywhere (WHATWG URL); do the same so pasted URLs work. `*cleaned` holds
// the text only when there is a tab or newline to take out.
std::string_view StripIgnoredBytes(std::string_view text, std::string* cleaned) {
  std::string_view s = text;
  if (text.find_first_of("\t\n\r") != std::string_view::npos) {
    for (char c : text) {
      if (c != '\t' && c != '\n' && c != '\r') cleaned->push_back(c);
    }
    s = *cleaned;
  }
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= 0x20) s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= 0x20) s.remove_suffix(1);
  return s;
}

// The scheme `text` (what precedes the first ':', empty when there is no
// ':'), lower-cased; only http and https are accepted.
Result<std::string> ParseScheme(std::string_view text) {
  if (text.empty()) return Malformed(kNotAbsolute);
  std::string scheme = AsciiLower(text);
  for (char c : scheme) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return Malformed(kNotAbsolute);
    }
  }
  if (scheme != "http" && scheme != "https") {
    return Malformed("unsupported scheme '" + scheme + "' (only http and https)");
  }
  return scheme;
}

// What follows "scheme:" without its leading "//". Backslashes count as
// slashes, as in the WHATWG parser; `*slashed` holds the text only when
// there is one to turn.
Result<std::string_view> AfterSlashes(std::string_view rest, std::string* slashed) {
  if (rest.find('\\') != std::string_view::npos) {
    *slashed = rest;
    for (char& c : *slashed) {
      if (c == '\\') c = '/';
    }
    rest = *slashed;
  }
  if (rest.substr(0, 2) != "//") return Malformed("missing '//' after the scheme");
  return rest.substr(2);
}

struct HostAndPort {
  std::string_view host;  // as written; IPv6 without its brackets
  std::string_view port;  // digits as written; empty when none
};

// Splits an authority (RFC 3986 section 3.2) into host and port; the
// userinfo is dropped.
Result<HostAndPort> SplitAuthority(std::string_view authority) {
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  HostAndPort out;
  if (authority.empty() || authority[0] != '[') {
    const std::size_t colon = authority.rfind(':');
    out.host = authority.substr(0, colon);
    if (colon != std::string_view::npos) out.port = authority.substr(colon + 1);
    return out;
  }
  const std::size_t close = authority.find(']');
  if (close == std::string_view::npos) return Malformed("unterminated IPv6 address");
  out.host = authority.substr(1, close - 1);
  const std::string_view after = authority.substr(close + 1);
  if (!after.empty()) {
    if (after[0] != ':') return Malformed("junk after IPv6 address");
    out.port = after.substr(1);
  }
  for (char c : out.host) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') {
      return Malformed("invalid IPv6 address");
    }
  }
  return out;
}

// The host decoded, lower-cased and without trailing dots.
Result<std::string> NormalizeHost(std::string_view host) {
  std::string out = AsciiLower(PercentDecode(host));
  while (!out.empty() && out.back() == '.') out.pop_back();
  if (!ValidHost(out)) return Malformed("missing or invalid host");
  return out;
}

// The port `text` names (1..65535), or `default_port` when it is empty.
Result<int> ParsePort(std::string_view text, int default_port) {
  if (text.empty()) return default_port;
  if (text.size() > 5) return Malformed("invalid port");
  int port = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return Malformed("invalid port");
    port = port * 10 + (c - '0');
  }
  if (port <= 0 || port > 65535) return Malformed("invalid port");
  return port;
}

}  // namespace

std::string LinkScheme(std::string_view link) {
  std::size_t i = 0;
  while (i < link.size() && static_cast<unsigned char>(link[i]) <= 0x20) ++i;
  std::string scheme;
  for (; i < link.size(); ++i) {
    const char c = link[i];
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c == ':') return AsciiLower(scheme);
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool later = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!alpha && (scheme.empty() || !later)) return {};
    scheme += static_cast<char>(c);
  }
  return {};
}

bool IsSafeLink(std::string_view link) {
  const std::string scheme = LinkScheme(link);
  return scheme.empty() || scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel";
}

std::string NormalizePercentEncoding(std::string_view s, RawBytes raw) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (const int escaped = HexEscapeAt(s, i, '%'); escaped >= 0) {
      const auto v = static_cast<unsigned char>(escaped);
      if (IsUnreserved(v)) {
        out.push_back(static_cast<char>(v));
      } else {
        AppendEscape(v, &out);
      }
      i += 2;
    } else if (c <= 0x20 || c >= 0x7f || (raw == RawBytes::kEscapeForUrl && IsUrlUnsafe(c))) {
      AppendEscape(c, &out);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string PercentDecode(std::string_view text) { return DecodeHexEscapes(text, '%'); }

std::string NormalUrlOr(std::string_view text) {
  auto url = Url::Parse(text);
  return url.ok() ? url.value().ToString() : std::string(text);
}

std::string PercentEncode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c)) {
      out.push_back(ch);
    } else {
      AppendEscape(c, &out);
    }
  }
  return out;
}

Result<Url> Url::Parse(std::string_view text) {
  // The message leads with the text, built only on failure.
  const auto fail = [text](const Error& error) {
    return error.WithContext("'" + std::string(text.substr(0, 200)) + "'");
  };
  std::string cleaned;  // backing store for the views below, used only when
  std::string slashed;  // a byte has to be taken out or turned
  const std::string_view s = StripIgnoredBytes(text, &cleaned);
  const std::size_t colon = s.find(':');
  auto scheme = ParseScheme(colon == std::string_view::npos ? std::string_view() : s.substr(0, colon));
  if (!scheme.ok()) return fail(scheme.error());
  auto rest = AfterSlashes(s.substr(colon + 1), &slashed);
  if (!rest.ok()) return fail(rest.error());
  const std::size_t authority_end = rest.value().find_first_of("/?#");
  auto authority = SplitAuthority(rest.value().substr(0, authority_end));
  if (!authority.ok()) return fail(authority.error());
  auto host = NormalizeHost(authority.value().host);
  if (!host.ok()) return fail(host.error());
  auto port = ParsePort(authority.value().port, scheme.value() == "https" ? 443 : 80);
  if (!port.ok()) return fail(port.error());

  Url url;
  url.scheme_ = std::move(scheme).value();
  url.host_ = std::move(host).value();
  url.port_ = port.value();
  url.SetPathAndQuery(authority_end == std::string_view::npos ? std::string_view()
                                                              : rest.value().substr(authority_end));
  return url;
}

void Url::SetPathAndQuery(std::string_view tail) {
  tail = tail.substr(0, tail.find('#'));  // the fragment is never sent
  const std::size_t q = tail.find('?');
  if (q != std::string_view::npos) {
    has_query_ = true;
    query_ = NormalizePercentEncoding(tail.substr(q + 1), RawBytes::kEscapeForUrl);
  }
  path_ = RemoveDotSegments(NormalizePercentEncoding(tail.substr(0, q), RawBytes::kEscapeForUrl));
  if (path_.empty()) path_ = "/";
}

Result<Url> Url::Resolve(std::string_view reference) const {
  std::string_view r = reference;
  while (!r.empty() && static_cast<unsigned char>(r.front()) <= 0x20) r.remove_prefix(1);
  while (!r.empty() && static_cast<unsigned char>(r.back()) <= 0x20) r.remove_suffix(1);
  // A scheme present: absolute reference (RFC 3986 section 5.2.2).
  std::size_t colon = r.find(':');
  std::size_t first_delim = r.find_first_of("/?#");
  if (colon != std::string_view::npos && colon > 0 &&
      (first_delim == std::string_view::npos || colon < first_delim)) {
    bool scheme_chars = std::isalpha(static_cast<unsigned char>(r[0]));
    for (std::size_t i = 0; i < colon && scheme_chars; ++i) {
      char c = r[i];
      scheme_chars = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    }
    // "http:foo" is treated as absolute, as strict parsers do.
    if (scheme_chars) return Parse(r);
  }
  if (r.substr(0, 2) == "//" || r.substr(0, 2) == "\\\\") return Parse(scheme_ + ":" + std::string(r));
  std::string base_authority = Origin();
  if (r.empty() || r[0] == '#') return Parse(ToString());
  if (r[0] == '?') return Parse(base_authority + path_ + std::string(r));
  if (r[0] == '/') return Parse(base_authority + std::string(r));
  // Merge paths (section 5.2.3).
  std::string merged = path_.substr(0, path_.rfind('/') + 1);
  merged += r;
  return Parse(base_authority + merged);
}

std::string Url::Origin() const {
  std::string out = scheme_ + "://";
  if (host_.find(':') != std::string::npos) {
    out += "[" + host_ + "]";
  } else {
    out += host_;
  }
  int default_port = scheme_ == "https" ? 443 : 80;
  if (port_ != default_port) out += ":" + std::to_string(port_);
  return out;
}

std::string Url::ToString() const {
  std::string out = Origin() + path_;
  if (has_query_) out += "?" + query_;
  return out;
}

std::string Url::SiteKey() const {
  std::string h = host_;
  if (h.rfind("www.", 0) == 0) h = h.substr(4);
  return h + ":" + std::to_string(port_);
}

}  // namespace telescreen::core
