// The HTML report: reports/template.html with reports/report.css inlined,
// one self-contained file. Safety rules, all enforced here:
//  - every string from a scan goes through HtmlEscape (text and attributes,
//    attributes always double-quoted);
//  - only http(s) URLs become links (SafeHttpUrl); anything else is text;
//  - no script at all, no style attributes: the CSP allows exactly the one
//    inline <style> by its SHA-256 and data: images, nothing else;
//  - the template is filled in one pass, so page text that looks like a
//    placeholder stays text.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/resources.h"
#include "core/text.h"
#include "core/time.h"
#include "core/url.h"
#include "report/escape.h"
#include "report/html_page.h"
#include "report/html_util.h"
#include "report/report.h"

namespace telescreen::report {
namespace {

using Vars = std::map<std::string, std::string>;
using namespace html;  // NOLINT: the section helpers

constexpr std::size_t kChecklistMax = 12;

// One pass over the template: {{name}} with a known name is replaced, any
// other text (including the replacements) is copied as it is.
std::string Expand(std::string_view tpl, const Vars& vars) {
  std::string out;
  std::size_t i = 0;
  while (i < tpl.size()) {
    std::size_t open = tpl.find("{{", i);
    if (open == std::string_view::npos) break;
    std::size_t close = tpl.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(tpl.substr(i, open - i));
    auto it = vars.find(std::string(tpl.substr(open + 2, close - open - 2)));
    if (it != vars.end()) {
      out += it->second;
    } else {
      out.append(tpl.substr(open, close + 2 - open));
    }
    i = close + 2;
  }
  out.append(tpl.substr(std::min(i, tpl.size())));
  return out;
}

// ---- Verdict ----------------------------------------------------------------

std::string Gauge(int total, bool complete) {
  const std::string shown = (complete ? "" : "\u2265") + std::to_string(total);
  // A ring: circumference of r=60 is 376.99; the arc is total% of it.
  const double c = 2 * 3.14159265358979 * 60;
  const double arc = c * std::clamp(total, 0, 100) / 100.0;
  return "<div class=\"gauge\"><svg viewBox=\"0 0 160 160\" role=\"img\" aria-label=\"Score " +
         std::string(complete ? "" : "at least ") + std::to_string(total) +
         " of 100\"><circle class=\"track\" cx=\"80\" cy=\"80\" r=\"60\"/>"
         "<circle class=\"arc\" cx=\"80\" cy=\"80\" r=\"60\" stroke-dasharray=\"" + Fmt(arc) + " " +
         Fmt(c) + "\" transform=\"rotate(-90 80 80)\"/><text class=\"num\" x=\"80\" y=\"90\" "
         "text-anchor=\"middle\">" + shown + "</text><text class=\"of\" x=\"80\" "
         "y=\"112\" text-anchor=\"middle\">of 100</text></svg></div>";
}

// "Because: <its strongest finding's title> and 2 more findings".
std::string Why(const model::Fix& fix, const FindingIndex& findings) {
  const model::Finding* first = fix.findings.empty() ? nullptr : findings.Get(fix.findings.front().view());
  std::string why = first != nullptr ? Esc(first->title) : std::string();
  if (fix.findings.size() > 1) {
    why += (why.empty() ? "" : " and ") + Plural(fix.findings.size() - 1, "more finding", "more findings");
  }
  return why;
}

std::string Verdict(const model::ScanResult& r, const FindingIndex& findings) {
  std::size_t past = 0, future = 0;
  for (const auto& e : r.events) {
    past += e.tense == model::Tense::kPast ? 1 : 0;
    future += e.tense == model::Tense::kFuture ? 1 : 0;
  }
  std::set<std::string> sites, facts;
  for (const auto& p : r.pages) sites.insert(SiteOf(p.final_url.empty() ? p.url : p.final_url));
  for (const auto& f : r.identity.facts) facts.insert(f.kind + "\x1f" + core::AsciiLower(f.value.str()));
  auto chip = [](std::size_t n, const char* one, const char* many) {
    return "<li><b>" + std::to_string(n) + "</b> " + (n == 1 ? one : many) + "</li>";
  };
  std::string out = Gauge(r.score.total, r.score.complete) + "<div><p class=\"level-name\">" +
                    Esc(r.score.level.empty() ? "unscored" : r.score.level) + " exposure</p><p>" +
                    Esc(r.score.level_summary) + "</p>";
  if (!r.fixes.empty()) {
    const model::Fix& fix = r.fixes.front();
    out += "<p><strong>Change this first:</strong> " + Esc(fix.text) + " <span class=\"muted\">(score " +
           std::to_string(r.score.total) + " &rarr; " + std::to_string(fix.cumulative_after) + "; " +
           Why(fix, findings) + ")</span></p>";
  }
  out += "<ul class=\"counts\">" + chip(r.contacts.size(), "contact", "contacts") +
         chip(past, "past event", "past events") + chip(future, "upcoming plan", "upcoming plans") +
         chip(facts.size(), "fact about you", "facts about you") +
         chip(sites.size(), "site", "sites") + "</ul></div>";
  return out;
}

// ---- Coverage: what the scan could not see ------------------------------------

std::string CoverageSection(const model::ScanResult& r) {
  const std::size_t unseen = model::CountNotFullySeen(r.coverage);
  if (unseen == 0) return "";
  std::string out =
      "<section id=\"coverage\" class=\"card coverage\" aria-labelledby=\"h-coverage\">"
      "<h2 id=\"h-coverage\">Not fully seen: " + std::to_string(unseen) + " of " +
      Plural(r.coverage.size(), "target", "targets") +
      "</h2>" +
      (r.interrupted ? "<p><strong>Interrupted:</strong> the scan was stopped before it ended. This "
                       "report holds the " + Plural(r.pages.size(), "page", "pages") +
                       " read until then; it was not recorded in the history.</p>"
                     : std::string()) +
      "<p>The score counts only what the scan could read: it is a lower bound, not an "
      "all-clear.</p><ul>";
  for (const auto& c : r.coverage) {
    if (c.seen == model::Seen::kFull) continue;
    out += "<li>" + Link(c.target) + " <span class=\"seen\">" + model::SeenName(c.seen) + "</span>";
    if (!c.detail.empty()) out += " <span class=\"muted\">" + Esc(Truncate(c.detail, 200)) + "</span>";
    out += "</li>";
  }
  out += "</ul>";
  if (model::AnyWall(r)) {
    out += "<p>Members see more than a stranger: scan again with <code>--cookies FILE</code> "
           "(cookies.txt exported from your signed-in browser), or export a HAR from your browser and run "
           "<code>telescreen extract FILE.har</code>.</p>";
  }
  return out + "</section>";
}

// ---- What to change first ----------------------------------------------------

// Each fix with the total before and after it, done in the listed order.
std::string Checklist(const model::ScanResult& r, const FindingIndex& findings) {
  const std::vector<model::Fix>& order = r.fixes;
  if (order.empty()) return "<p class=\"empty\">Nothing to change: the scan found nothing exposed.</p>";
  std::string out = "<ol class=\"checklist\">";
  int before = r.score.total;
  for (std::size_t n = 0; n < order.size() && n < kChecklistMax; ++n) {
    const model::Fix& fix = order[n];
    const int drop = before - fix.cumulative_after;
    const char* cls = drop >= 10 ? "impact big" : drop >= 3 ? "impact mid" : "impact";
    std::string text = Esc(fix.text);
    if (!fix.settings_url.empty() && fix.settings_url != fix.text) {
      text += " " + Link(fix.settings_url, "Settings");
    }
    std::string why = "Because: " + Why(fix, findings);
    if (fix.score_after != fix.cumulative_after) {
      why += "; done alone, the score would be " + std::to_string(fix.score_after);
    }
    out += "<li><input type=\"checkbox\" aria-label=\"done\"><div>" + text + "<span class=\"why\">" + why +
           "</span></div><span class=\"" + cls + "\" aria-label=\"score " + std::to_string(before) + " to " +
           std::to_string(fix.cumulative_after) + "\">" + std::to_string(before) + " &rarr; " +
           std::to_string(fix.cumulative_after) + "</span></li>";
    before = fix.cumulative_after;
  }
  out += "</ol>";
  if (order.size() > kChecklistMax) {
    out += "<p class=\"muted\">" + Plural(order.size() - kChecklistMax, "smaller fix is", "smaller fixes are") +
           " listed with the findings below.</p>";
  }
  return out;
}

// ---- Categories ---------------------------------------------------------------

std::string Categories(const model::ScanResult& r) {
  if (r.score.categories.empty()) return "<p class=\"empty\">Not scored.</p>";
  std::string out = "<ul class=\"cats\">";
  for (const auto& c : r.score.categories) {
    double s = std::clamp(c.score, 0.0, 100.0);
    out += "<li class=\"cat\"><div class=\"cat-head\"><span>" + Esc(c.label) +
           "</span><span class=\"cat-score\">" + std::to_string(std::lround(s)) +
           "</span></div><svg viewBox=\"0 0 100 6\" preserveAspectRatio=\"none\" role=\"img\" "
           "aria-label=\"" + Esc(c.label) + ": " + std::to_string(std::lround(s)) +
           " of 100\"><rect class=\"track\" x=\"0\" y=\"0\" width=\"100\" height=\"6\" rx=\"3\"/>"
           "<rect class=\"bar s-" + std::string(model::LevelOf(s)) + "\" x=\"0\" y=\"0\" width=\"" + Fmt(s) +
           "\" height=\"6\" rx=\"3\"/></svg><p>" + Esc(c.summary) + "</p></li>";
  }
  return out + "</ul>";
}

// ---- Changes since an earlier scan -------------------------------------------

std::string EventLine(const model::Event& e) {
  std::string s = Esc(e.name);
  if (!e.start.empty()) s += " <span class=\"muted\">" + Esc(e.start) + "</span>";
  if (!e.location.empty()) s += " <span class=\"muted\">at " + Esc(e.location) + "</span>";
  return s;
}

std::string Changes(const model::ScanResult& r) {
  if (!r.changes) return "";
  const auto& c = *r.changes;
  int delta = r.score.total - c.previous_score;
  std::string out =
      "<section id=\"changes\" class=\"card changes\" aria-labelledby=\"h-changes\">"
      "<h2 id=\"h-changes\">What changed since the last scan</h2><p>Compared with the scan of " +
      Esc(c.previous_now) + ": score " + std::to_string(c.previous_score) + " &rarr; " +
      std::to_string(r.score.total) + " <span class=\"" + (delta > 0 ? "up" : "down") + "\">(" +
      (delta >= 0 ? "+" : "") + std::to_string(delta) + ")</span>.</p>";
  auto list = [&](const char* title, std::vector<std::string> items) {
    if (items.empty()) return;
    out += "<h3>" + std::string(title) + "</h3><ul>";
    for (std::size_t i = 0; i < items.size() && i < kListMax; ++i) out += "<li>" + items[i] + "</li>";
    out += "</ul>";
  };
  auto contacts = [](const std::vector<model::Contact>& v) {
    std::vector<std::string> s;
    s.reserve(v.size());
    for (const auto& x : v) s.push_back(Link(x.url, x.name));
    return s;
  };
  auto events = [](const std::vector<model::Event>& v) {
    std::vector<std::string> s;
    s.reserve(v.size());
    for (const auto& x : v) s.push_back(EventLine(x));
    return s;
  };
  auto interactions = [](const std::vector<model::Interaction>& v) {
    std::vector<std::string> s;
    s.reserve(v.size());
    for (const auto& x : v) {
      s.push_back((x.url.empty() ? Esc(x.name) : Link(x.url, x.name.empty() ? x.url : x.name)) + " <span class=\"rel\">" +
                  model::InteractionKindName(x.kind) + "</span>");
    }
    return s;
  };
  std::vector<std::string> facts;
  for (const auto& f : c.newly_public) facts.push_back(Esc(f.kind) + ": " + Esc(f.value));
  list("New upcoming plans", events(c.new_plans));
  list("Newly public facts", facts);
  list("New contacts", contacts(c.new_contacts));
  list("New past events", events(c.new_events));
  list("New interactions (weak ties)", interactions(c.new_interactions));
  list("Contacts no longer visible", contacts(c.removed_contacts));
  list("Events no longer visible", events(c.removed_events));
  list("Plans no longer visible", events(c.removed_plans));
  list("Interactions no longer visible", interactions(c.removed_interactions));
  return out + "</section>";
}

}  // namespace

std::string RenderHtml(const model::ScanResult& r) {
  static constexpr std::string_view kFallbackTemplate =
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta "
      "http-equiv=\"Content-Security-Policy\" content=\"{{csp}}\"><title>{{title}}</title>"
      "<style>{{style}}</style></head><body><h1>{{heading}}</h1>{{coverage}}{{verdict}}{{fixes}}"
      "{{categories}}{{changes}}{{contacts}}{{timeline}}{{findings}}{{identity}}{{pages}}"
      "</body></html>";
  auto tpl = core::FindResource("reports/template.html");
  const std::string style = BuiltinStyle();

  std::string who = r.identity.names.empty() ? std::string() : Truncate(r.identity.names.front(), 80);
  Vars v;
  v["csp"] = Esc(StyleCsp(style));
  v["style"] = style;
  v["title"] = Esc(who.empty() ? "Telescreen exposure report" : "Exposure report: " + who);
  v["heading"] = who.empty() ? "What a stranger can learn from these profiles"
                             : "What a stranger can learn about " + Esc(who);
  std::string meta = "Scan of " + Plural(r.targets.size(), "start page", "start pages") + ", " +
                     Plural(r.pages.size(), "page", "pages") + " read. Reference time " +
                     Esc(r.now) + ".";
  v["meta"] = meta;
  v["level"] = r.score.level;
  const FindingIndex findings(r.findings);
  v["coverage"] = CoverageSection(r);
  v["verdict"] = Verdict(r, findings);
  v["fixes"] = Checklist(r, findings);
  v["categories"] = Categories(r);
  v["changes"] = Changes(r);
  v["contacts"] = html::Contacts(r);
  v["timeline"] = html::Timeline(r);
  v["findings"] = html::Findings(r);
  v["identity"] = html::Identity(r);
  v["pages"] = html::Pages(r);
  v["footer"] = "Telescreen report &middot; reference time " + Esc(r.now) +
                " &middot; keep this file private: it lists personal data.";
  return Expand(tpl ? *tpl : kFallbackTemplate, v);
}

}  // namespace telescreen::report
