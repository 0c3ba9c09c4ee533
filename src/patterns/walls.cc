#include "patterns/walls.h"

#include <re2/re2.h>

#include <algorithm>

#include "core/i18n.h"
#include "core/url.h"

namespace telescreen::patterns {
namespace {

using model::NodeId;

// Paths of sign-in pages (LinkedIn's /authwall and /uas/login, Facebook's
// /login and /checkpoint, XING's /signup?login, Meetup's /login, Mastodon's
// /auth/sign_in, ...).
const re2::RE2& SignInPath() {
  static const re2::RE2 re(
      R"((?i)^/(?:[a-z]{2}(?:-[a-z]{2})?/)?(?:authwall|checkpoint|login|log-in|signin|sign-in|sign_in|)"
      R"(uas/login|accounts/login|auth/sign_in|users/sign_in|session/new|login\.php|signup/login)(?:[/?#.]|$))");
  return re;
}

std::string PathOf(std::string_view url) {
  auto parsed = core::Url::Parse(url);
  return parsed.ok() ? parsed.value().path() : "";
}

bool IsPasswordField(const model::Dom& dom, NodeId n) {
  if (dom.node(n).tag != "input") return false;
  const std::string* type = dom.Attr(n, "type");
  return type && (*type == "password" || *type == "PASSWORD");
}

// One pass over the node array: every page is checked, few have one.
bool HasPasswordField(const model::Dom& dom) {
  for (NodeId n = 0; static_cast<std::size_t>(n) < dom.size(); ++n) {
    if (IsPasswordField(dom, n)) return true;
  }
  return false;
}

// The bytes of visible text outside the forms that hold a password field.
std::size_t TextOutsideLoginForms(const model::Dom& dom) {
  std::size_t inside = 0;
  for (NodeId form : dom.ElementsByTag("form")) {
    auto inside_form = dom.Descendants(form);
    bool login = std::any_of(inside_form.begin(), inside_form.end(),
                             [&](NodeId n) { return IsPasswordField(dom, n); });
    if (login) inside += dom.Text(form).size();
  }
  std::size_t all = dom.Text(dom.root()).size();
  return all > inside ? all - inside : 0;
}

WallVerdict Verdict(model::Wall wall, std::string detail) { return WallVerdict{wall, std::move(detail)}; }

}  // namespace

std::optional<WallVerdict> PackWall(const Pack& pack, const WallCheck& page) {
  std::string_view final_url = page.final_url.empty() ? page.url : page.final_url;
  for (const WallRule& w : pack.walls) {
    if (!w.status.empty() && std::find(w.status.begin(), w.status.end(), page.status) == w.status.end())
      continue;
    if (w.final_url && !re2::RE2::PartialMatch(final_url, *w.final_url)) continue;
    if (w.selector && (!page.dom || w.selector->SelectFirst(*page.dom, page.dom->root()) == model::kNoNode)) {
      continue;
    }
    return Verdict(w.kind, w.detail);
  }
  return std::nullopt;
}

WallVerdict GenericWall(const WallCheck& page) {
  switch (page.status) {
    case 401:
      return Verdict(model::Wall::kLogin, core::Tr("HTTP 401 (sign-in required)"));
    case 403:
      return Verdict(model::Wall::kBlocked, core::Tr("HTTP 403 (access refused)"));
    case 429:
      return Verdict(model::Wall::kBlocked, core::Tr("HTTP 429 (too many requests)"));
    case 999:
      return Verdict(model::Wall::kBlocked, core::Tr("HTTP 999 (the site refuses automated requests)"));
    default:
      break;
  }
  if (!page.final_url.empty() && page.final_url != page.url) {
    std::string to = PathOf(page.final_url);
    if (re2::RE2::PartialMatch(to, SignInPath()) && !re2::RE2::PartialMatch(PathOf(page.url), SignInPath())) {
      return Verdict(model::Wall::kLogin,
                     core::Fill(core::Tr("login wall (redirect to {1})"), {to.substr(0, 60)}));
    }
  }
  if (page.dom && page.status >= 200 && page.status < 300 && HasPasswordField(*page.dom) &&
      TextOutsideLoginForms(*page.dom) < kMaxLoginPageTextBytes) {
    return Verdict(model::Wall::kLogin, core::Tr("login form instead of the page"));
  }
  return {};
}

}  // namespace telescreen::patterns
