#include "accounts/accounts_report.h"

#include <nlohmann/json.hpp>

#include "core/i18n.h"
#include "core/local_format.h"
#include "report/escape.h"
#include "report/html_page.h"

namespace telescreen::accounts {
namespace {

using nlohmann::json;

using core::Fill;
using core::Tr;
using core::TrN;

std::string Clean(const std::string& s) { return report::CleanText(s); }

// A check's time as the reader's language writes it: ISO 8601 in English.
std::string Moment(const std::string& iso) { return Clean(core::ReaderMoment(iso)); }

// StatusName ("found", "absent", "unknown": the JSON's words) for a reader.
std::string StatusText(Status status) { return core::TrText(StatusName(status)); }

}  // namespace

std::string RenderAccountsText(const AccountsReport& r, TextKind kind) {
  std::string out;
  const bool stale = kind == TextKind::kStaleRules;
  std::string names;
  for (const auto& u : r.usernames) names += (names.empty() ? "" : ", ") + Clean(u);
  out += stale ? Tr("Site rules checked with their known usernames")
               : Fill(Tr("Profiles under {1} (check only usernames that are your own)"), {names});
  out += r.interrupted ? " -- " + Tr("INTERRUPTED: not every site answered") + "\n" : "\n";
  const std::size_t found = r.Count(Status::kFound);
  const std::size_t unknown = r.Count(Status::kUnknown);
  const std::size_t absent = r.Count(Status::kAbsent);
  if (stale) {
    out += "\n" +
           Fill(Tr("{1} still detect, {2} no longer detect (stale rules)"),
                {std::to_string(found), std::to_string(unknown + absent)}) +
           "\n";
    for (const auto& a : r.results) {
      if (a.status == Status::kFound) continue;
      out += "  " +
             Fill(Tr("STALE {1} (known '{2}'): {3}, {4}"),
                  {Clean(a.site), Clean(a.username), StatusText(a.status), Clean(a.detail)}) +
             "\n";
    }
    return out;
  }
  out += "\n" + Fill(Tr("FOUND ({1})"), {std::to_string(found)}) + "\n";
  for (const auto& a : r.results) {
    if (a.status != Status::kFound) continue;
    out += "  " + Clean(a.site) + "  " + Clean(a.url) +
           (r.usernames.size() > 1 ? "  [" + Clean(a.username) + "]" : "") + "\n";
  }
  if (found == 0) out += "  " + Tr("none") + "\n";
  if (unknown > 0) {
    out += "\n" + Fill(Tr("COULD NOT TELL ({1})"), {std::to_string(unknown)}) + "\n";
    for (const auto& a : r.results) {
      if (a.status != Status::kUnknown) continue;
      out += "  " + Clean(a.site) + (r.usernames.size() > 1 ? " [" + Clean(a.username) + "]" : "") + ": " +
             Clean(a.detail) + "\n";
    }
  }
  const std::string no_profile_on = Fill(TrN("{1} site", "{1} sites", absent), {std::to_string(absent)});
  if (unknown > 0 && found + absent == 0) {
    out += "\n" +
           TrN("No site could be checked: this says nothing about accounts on it.",
               "No site could be checked: this says nothing about accounts on them.", unknown) +
           "\n";
  } else if (unknown > 0) {
    out += "\n" +
           Fill(TrN("No profile on {1}; {2} site could not be checked (above): nothing is known there.",
                    "No profile on {1}; {2} sites could not be checked (above): nothing is known there.",
                    unknown),
                {no_profile_on, std::to_string(unknown)}) +
           "\n";
  } else {
    out += "\n" + Fill(Tr("No profile on {1}."), {no_profile_on}) + "\n";
  }
  return out;
}

std::string RenderChangesText(const AccountChanges& c) {
  std::string out =
      Fill(TrN("Since the check of {1}: {2} profile appeared, {3} disappeared",
               "Since the check of {1}: {2} profiles appeared, {3} disappeared", c.appeared.size()),
           {Moment(c.since), std::to_string(c.appeared.size()), std::to_string(c.disappeared.size())}) +
      "\n";
  for (const auto& a : c.appeared)
    out += "  + " + Clean(a.site) + "  " + Clean(a.url) + "  [" + Clean(a.username) + "]\n";
  for (const auto& a : c.disappeared)
    out += "  - " + Clean(a.site) + "  " + Clean(a.url) + "  [" + Clean(a.username) + "]\n";
  return out;
}

namespace {

json ResultJson(const AccountResult& a) {
  return json{{"username", a.username},         {"site", a.site},     {"url", a.url},
              {"status", StatusName(a.status)}, {"detail", a.detail}, {"category", a.category}};
}

json ResultsJson(const std::vector<AccountResult>& results) {
  json out = json::array();
  for (const auto& a : results) out.push_back(ResultJson(a));
  return out;
}

// Invalid UTF-8 from a site list or a response becomes U+FFFD, never an exception.
std::string Dump(const json& doc) { return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n"; }

}  // namespace

std::string RenderChangesJson(const AccountChanges& c) {
  return Dump(json{{"since", c.since},
                   {"appeared", ResultsJson(c.appeared)},
                   {"disappeared", ResultsJson(c.disappeared)}});
}

std::string RenderAccountsJson(const AccountsReport& r) {
  json doc = json::object();
  doc["schema_version"] = 1;
  doc["usernames"] = r.usernames;
  doc["checked_at"] = r.checked_at;
  doc["interrupted"] = r.interrupted;
  doc["results"] = ResultsJson(r.results);
  return Dump(doc);
}

core::Result<AccountsReport> ParseAccountsJson(const std::string& text) {
  auto bad = [](const std::string& what) {
    return core::MakeError(core::ErrorCode::kParse, "accounts report: " + what);
  };
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return bad("not a JSON object");
  if (doc.value("schema_version", 0) != 1) return bad("unknown schema_version");
  AccountsReport r;
  try {
    r.usernames = doc.at("usernames").get<std::vector<std::string>>();
    r.checked_at = doc.value("checked_at", "");
    r.interrupted = doc.value("interrupted", false);
    for (const auto& e : doc.at("results")) {
      AccountResult a;
      a.username = e.at("username").get<std::string>();
      a.site = e.at("site").get<std::string>();
      a.url = e.at("url").get<std::string>();
      a.status = ParseStatus(e.at("status").get<std::string>()).value_or(Status::kUnknown);
      a.detail = e.value("detail", "");
      a.category = e.value("category", "");
      r.results.push_back(std::move(a));
    }
  } catch (const json::exception& e) {
    return bad(e.what());
  }
  return r;
}

namespace {

std::string Esc(const std::string& s) { return report::HtmlEscape(s); }

// An <a> for an http(s) URL, else the escaped text.
std::string Link(const std::string& url) {
  auto safe = report::SafeHttpUrl(url);
  if (!safe) return Esc(url);
  return "<a href=\"" + Esc(*safe) + "\" rel=\"noreferrer noopener\">" + Esc(url) + "</a>";
}

std::string Section(const std::string& id, const std::string& title, const std::string& body) {
  return "<section id=\"" + id + "\" class=\"card\"><h2>" + title + "</h2>" + body + "</section>\n";
}

// Rows of one status; `with_url` shows the profile link, else the reason.
std::string Rows(const AccountsReport& r, Status status, bool with_url) {
  std::string rows;
  for (const auto& a : r.results) {
    if (a.status != status) continue;
    rows += "<tr><td>" + Esc(a.site) + "</td><td>" + Esc(a.username) + "</td><td>" +
            (with_url ? Link(a.url) : Esc(a.detail)) + "</td><td class=\"muted\">" + Esc(a.category) +
            "</td></tr>\n";
  }
  if (rows.empty()) return "<p class=\"empty\">" + Esc(Tr("None.")) + "</p>";
  return "<table><thead><tr><th>" + Esc(Tr("Site")) + "</th><th>" + Esc(Tr("Username")) + "</th><th>" +
         Esc(with_url ? Tr("Profile") : Tr("Why")) + "</th><th>" + Esc(Tr("Kind")) +
         "</th></tr></thead><tbody>\n" + rows + "</tbody></table>";
}

}  // namespace

std::string RenderAccountsHtml(const AccountsReport& r) {
  const std::string style = report::BuiltinStyle();
  std::string names;
  for (const auto& u : r.usernames) names += (names.empty() ? "" : ", ") + u;
  const std::size_t found = r.Count(Status::kFound);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"" + std::string(core::LanguageCode(core::CurrentLanguage())) +
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"" +
      Esc(report::StyleCsp(style)) +
      "\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"robots\" content=\"noindex, "
      "nofollow\">\n"
      "<title>" +
      Esc(Tr("Telescreen: forgotten accounts")) + "</title>\n<style>" + style +
      "</style>\n</head>\n<body>\n"
      "<header class=\"top\"><div class=\"wrap\"><p class=\"kicker\">" +
      Esc(Tr("Telescreen accounts report")) + "</p><h1>" + Esc(Fill(Tr("Profiles under {1}"), {names})) +
      "</h1><p class=\"meta\">" +
      Esc(Fill(TrN("Checked {1}: {2} site checks, {3} profile found. Meant for your own usernames.",
                   "Checked {1}: {2} site checks, {3} profiles found. Meant for your own usernames.", found),
               {Moment(r.checked_at), std::to_string(r.results.size()), std::to_string(found)})) +
      "</p></div></header>\n<main class=\"wrap\">\n";
  if (r.interrupted) {
    out +=
        "<section id=\"interrupted\" class=\"card\"><h2>" + Esc(Tr("Interrupted")) + "</h2><p>" +
        Esc(Tr("The checks were stopped before every site answered: this report shows only what was seen.")) +
        "</p></section>\n";
  }
  out += Section("found", Esc(Tr("Profiles found")), Rows(r, Status::kFound, true));
  out += Section("unknown", Esc(Tr("Sites that could not tell")), Rows(r, Status::kUnknown, false));
  out += Section("absent", Esc(Tr("No profile")), Rows(r, Status::kAbsent, false));
  out += "</main>\n<footer class=\"wrap foot\">" + Esc(Tr("Telescreen accounts report")) + " &middot; " +
         Esc(Tr("Keep this file private: it lists your accounts.")) + "</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace telescreen::accounts
