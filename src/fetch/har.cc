#include "fetch/har.h"

#include "core/text.h"
#include "core/url.h"

#include <nlohmann/json.hpp>

#include "core/file.h"
#include "core/hash.h"
#include "core/json_text.h"
#include "core/time.h"
#include "fetch/charset.h"
#include "fetch/http_date.h"

namespace telescreen::fetch {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxHarBytes = std::size_t{256} << 20;

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

const json* Member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

using core::StringMember;

std::string HeaderValue(const json& response, std::string_view name) {
  const json* headers = Member(response, "headers");
  if (headers == nullptr || !headers->is_array()) return "";
  for (const json& h : *headers) {
    if (core::EqualsIgnoreAsciiCase(StringMember(h, "name"), name)) return StringMember(h, "value");
  }
  return "";
}

// When the entry's content was captured, ISO 8601 UTC: the response's Date
// header (what the server said; RFC 9110 section 6.6.1), else the entry's
// startedDateTime (when the browser sent the request; HAR 1.2, ISO 8601
// with an offset); "" when neither parses.
std::string CapturedAt(const std::string& date_header, const std::string& started) {
  if (std::string iso = HttpDateToIso(date_header); !iso.empty()) return iso;
  auto t = core::ParseIsoTime(started);
  return t ? core::FormatIsoUtc(t->start) : std::string();
}

// One entry -> a page, or an error message (without the file/entry prefix).
// `skip` is set for entries without a text body, unless the answer was a
// redirect or an error: those say what the browser was shown instead of a
// page (a sign-in redirect, a block), and stay, bodiless if need be.
core::Result<CrawledPage> ReadEntry(const json& entry, bool* skip) {
  *skip = false;
  auto fail = [](const std::string& what) { return core::MakeError(core::ErrorCode::kParse, what); };
  const json* request = Member(entry, "request");
  const json* response = Member(entry, "response");
  if (request == nullptr || !request->is_object()) return fail("missing request object");
  if (response == nullptr || !response->is_object()) return fail("missing response object");
  std::string url = StringMember(*request, "url");
  if (url.empty()) return fail("request.url is missing or not a string");
  CrawledPage p;
  p.page.url = url;
  p.page.final_url = url;
  p.page.visibility = model::Visibility::kMembersOnly;
  const json* status = Member(*response, "status");
  if (status != nullptr && status->is_number_integer()) p.page.status = status->get<int>();
  const bool notable = p.page.status >= 300;
  if (p.page.status >= 300 && p.page.status < 400) {
    std::string to = StringMember(*response, "redirectURL");
    if (to.empty()) to = HeaderValue(*response, "location");
    if (auto target = core::Url::Parse(url); !to.empty() && target.ok()) {
      if (auto resolved = target.value().Resolve(to); resolved.ok())
        p.page.final_url = resolved.value().ToString();
    }
  }
  const json* time = Member(entry, "time");
  if (time != nullptr && time->is_number()) p.page.fetch_ms = time->get<double>();
  p.date_header = HeaderValue(*response, "date");
  p.page.captured_at = CapturedAt(p.date_header, StringMember(entry, "startedDateTime"));

  const json* content = Member(*response, "content");
  if (content == nullptr || !content->is_object()) return fail("missing response.content object");
  p.page.content_type = StringMember(*content, "mimeType");
  if (p.page.content_type.empty()) p.page.content_type = HeaderValue(*response, "content-type");
  const json* text = Member(*content, "text");
  if (!IsTextContentType(p.page.content_type) || text == nullptr) {
    *skip = !notable;
    return p;
  }
  if (!text->is_string()) return fail("response.content.text is not a string");
  std::string body = text->get<std::string>();
  if (StringMember(*content, "encoding") == "base64") {
    std::string decoded;
    if (!DecodeBase64(body, &decoded)) return fail("response.content.text is not valid base64");
    body = std::move(decoded);
  }
  if (body.empty()) {
    *skip = !notable;
    return p;
  }
  p.body = ToUtf8(body, p.page.content_type);
  p.page.bytes = p.body.size();
  p.page.sha256 = core::Sha256Hex(p.body);
  return p;
}

}  // namespace

bool DecodeBase64(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size() / 4 * 3);
  std::uint32_t acc = 0;
  int bits = 0;
  int padding = 0;
  std::size_t symbols = 0;
  for (char c : in) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      ++padding;
      ++symbols;
      continue;
    }
    int v = Base64Value(c);
    if (v < 0 || padding > 0) return false;  // junk, or data after padding
    ++symbols;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  if (padding > 2) return false;
  if (padding > 0 && symbols % 4 != 0) return false;
  return symbols % 4 != 1;  // a lone 6-bit symbol cannot encode a byte
}

core::Result<std::vector<CrawledPage>> ParseHar(std::string_view text, const std::string& source_name) {
  auto fail = [&](const std::string& what) {
    return core::MakeError(core::ErrorCode::kParse, source_name + ": " + what);
  };
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return fail("not valid JSON (is it a HAR export?)");
  const json* log = Member(doc, "log");
  const json* entries = log != nullptr ? Member(*log, "entries") : nullptr;
  if (entries == nullptr || !entries->is_array()) {
    return fail("not a HAR file: no log.entries array");
  }
  std::vector<CrawledPage> pages;
  std::size_t index = 0;
  for (const json& entry : *entries) {
    bool skip = false;
    auto page = ReadEntry(entry, &skip);
    if (!page.ok()) {
      return fail("entry " + std::to_string(index) + ": " + page.error().message);
    }
    if (!skip) pages.push_back(std::move(page).value());
    ++index;
  }
  if (pages.empty()) {
    return fail(
        "no entry has an HTML, JSON or text body, nor a redirect or error status "
        "(export the HAR with content)");
  }
  return pages;
}

core::Result<std::vector<CrawledPage>> ReadHar(const std::string& path) {
  auto text = core::ReadFile(path, kMaxHarBytes);
  if (!text.ok()) return text.error();
  try {
    return ParseHar(text.value(), path);
  } catch (const std::exception& e) {  // nlohmann type errors, out of memory
    return core::MakeError(core::ErrorCode::kParse, path + ": " + e.what());
  }
}

}  // namespace telescreen::fetch
