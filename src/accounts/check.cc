#include "accounts/check.h"

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "core/enum_names.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/url.h"

namespace telescreen::accounts {
namespace {

constexpr std::string_view kAccount = "{account}";

std::string ReplaceAll(std::string text, std::string_view what, std::string_view with) {
  for (std::size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + with.size())) {
    text.replace(p, what.size(), with);
  }
  return text;
}

bool IsJsonBody(const Site& site) {
  for (const auto& [name, value] : site.headers) {
    if (core::EqualsIgnoreAsciiCase(name, "content-type")) {
      return core::AsciiLower(value).find("json") != std::string::npos;
    }
  }
  std::string_view body = core::Trim(site.post_body);
  return !body.empty() && (body.front() == '{' || body.front() == '[');
}

// The username as the inside of a JSON string literal.
std::string JsonInside(std::string_view username) {
  std::string quoted =
      nlohmann::json(std::string(username)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return quoted.substr(1, quoted.size() - 2);
}

// Boyer-Moore, not find(): a hostile body of 1 MiB against a rule's text
// of up to 8 KB must stay linear, never n * m.
bool Contains(std::string_view body, const std::string& needle) {
  if (needle.empty()) return true;
  if (needle.size() > body.size()) return false;
  std::boyer_moore_searcher searcher(needle.begin(), needle.end());
  return std::search(body.begin(), body.end(), searcher) != body.end();
}

// A URL whose path reads like a sign-in page.
bool LooksLikeLogin(std::string_view url) {
  std::string lower = core::AsciiLower(url);
  std::size_t scheme = lower.find("://");
  std::size_t path = lower.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path == std::string::npos) return false;
  for (const char* word : {"login", "signin", "sign_in", "sign-in", "logon", "auth", "session"}) {
    if (lower.find(word, path) != std::string::npos) return true;
  }
  return false;
}

bool HasPasswordField(std::string_view body) {
  std::string lower = core::AsciiLower(body.substr(0, 1 << 20));
  return lower.find("type=\"password\"") != std::string::npos ||
         lower.find("type='password'") != std::string::npos ||
         lower.find("type=password") != std::string::npos;
}

std::string Http(int status) { return "HTTP " + std::to_string(status); }

// Why an answer that fits neither rule tells nothing.
std::string Unexplained(const Site& site, const model::Page& page, std::string_view body) {
  const int status = page.status;
  if (status == 429) {
    return core::Fill(core::Tr("rate limited: {1} (after the retries Retry-After allowed)"), {Http(status)});
  }
  if (status == 503) return core::Fill(core::Tr("site busy or down: {1}"), {Http(status)});
  if (status >= 300 && status < 400) {
    const bool away = !page.final_url.empty() && page.final_url != page.url;
    if (away && LooksLikeLogin(page.final_url)) {
      return core::Fill(core::Tr("login wall: redirected to {1}"), {page.final_url});
    }
    if (!away) return core::Fill(core::Tr("{1} redirect elsewhere matches neither rule"), {Http(status)});
    return core::Fill(core::Tr("{1} redirect to {2} matches neither rule"), {Http(status), page.final_url});
  }
  if (status == 401 || status == 403 || status == 999) {
    return core::Fill(core::Tr("blocked or login wall: {1}"), {Http(status)});
  }
  if (HasPasswordField(body))
    return core::Fill(core::Tr("login wall: {1} with a sign-in form"), {Http(status)});
  if (status == site.e_code || status == site.m_code) {
    const std::string why =
        core::Fill(core::Tr("{1} without the presence or the absence text"), {Http(status)});
    return status == 200 ? core::Fill(core::Tr("soft 404? {1}"), {why}) : why;
  }
  if (status >= 500) return core::Fill(core::Tr("server error: {1}"), {Http(status)});
  return core::Fill(core::Tr("{1} matches neither rule (found: {2}, absent: {3})"),
                    {Http(status), std::to_string(site.e_code), std::to_string(site.m_code)});
}

}  // namespace

// The JSON's words, marked for translation: the reports show them through
// core::TrText.
constexpr core::EnumName<Status> kStatuses[] = {
    {Status::kFound, core::NoopTr("found")},
    {Status::kAbsent, core::NoopTr("absent")},
    {Status::kUnknown, core::NoopTr("unknown")},
};

const char* StatusName(Status s) { return core::NameIn(kStatuses, s, "unknown"); }

std::optional<Status> ParseStatus(std::string_view name) { return core::ValueIn(kStatuses, name); }

PreparedCheck Prepare(const Site& site, std::string_view username) {
  PreparedCheck out;
  for (char c : site.strip_bad_char) {
    if (username.find(c) != std::string_view::npos) {
      out.skipped =
          core::Fill(core::Tr("skipped: the site does not take '{1}' in usernames"), {std::string(1, c)});
      return out;
    }
  }
  const std::string encoded = core::PercentEncode(username);
  auto url = core::Url::Parse(ReplaceAll(site.uri_check, kAccount, encoded));
  if (!url.ok()) {
    out.skipped = core::Fill(core::Tr("skipped: {1}"), {url.error().message});
    return out;
  }
  out.request.url = url.value();
  out.pretty_url = ReplaceAll(site.uri_pretty.empty() ? site.uri_check : site.uri_pretty, kAccount, encoded);
  if (site.post) {
    out.request.method = fetch::HttpMethod::kPost;
    std::string value = IsJsonBody(site) ? JsonInside(username) : encoded;
    out.request.post_body = ReplaceAll(site.post_body, kAccount, value);
  }
  for (const auto& [name, value] : site.headers) {
    out.request.headers.push_back(name + ": " + ReplaceAll(value, kAccount, encoded));
  }
  return out;
}

Outcome Classify(const Site& site, const model::Page& page, std::string_view body) {
  if (page.status == 0) {
    std::string why = page.error.empty() ? core::Tr("no answer") : page.error;
    if (core::AsciiLower(why).find("timeout") != std::string::npos ||
        core::AsciiLower(why).find("timed out") != std::string::npos) {
      why = core::Fill(core::Tr("timeout: {1}"), {why});
    }
    return {Status::kUnknown, why};
  }
  const bool has_absence_text = !site.m_string.empty() && Contains(body, site.m_string);
  if (page.status == site.e_code && Contains(body, site.e_string) && !has_absence_text) {
    return {Status::kFound, core::Fill(core::Tr("{1} with the presence text"), {Http(page.status)})};
  }
  if (page.status == site.m_code && Contains(body, site.m_string)) {
    if (site.m_string.empty()) return {Status::kAbsent, Http(page.status)};
    return {Status::kAbsent, core::Fill(core::Tr("{1} with the absence text"), {Http(page.status)})};
  }
  std::string why = Unexplained(site, page, body);
  if (page.truncated) why = core::Fill(core::Tr("{1} (body cut at the size cap)"), {why});
  return {Status::kUnknown, why};
}

}  // namespace telescreen::accounts
