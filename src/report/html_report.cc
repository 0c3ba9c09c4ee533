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

#include "core/i18n.h"
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
using core::Fill;
using core::Tr;
using core::TrN;

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
  const std::string label =
      Fill(complete ? Tr("Score {1} of 100") : Tr("Score at least {1} of 100"), {std::to_string(total)});
  return "<div class=\"gauge\"><svg viewBox=\"0 0 160 160\" role=\"img\" aria-label=\"" + Esc(label) +
         "\"><circle class=\"track\" cx=\"80\" cy=\"80\" r=\"60\"/>"
         "<circle class=\"arc\" cx=\"80\" cy=\"80\" r=\"60\" stroke-dasharray=\"" +
         Fmt(arc) + " " + Fmt(c) +
         "\" transform=\"rotate(-90 80 80)\"/><text class=\"num\" x=\"80\" y=\"90\" "
         "text-anchor=\"middle\">" +
         shown +
         "</text><text class=\"of\" x=\"80\" "
         "y=\"112\" text-anchor=\"middle\">" +
         Esc(Tr("of 100")) + "</text></svg></div>";
}

// "Because: <its strongest finding's title> and 2 more findings".
std::string Why(const model::Fix& fix, const FindingIndex& findings) {
  const model::Finding* first = fix.findings.empty() ? nullptr : findings.Get(fix.findings.front().view());
  std::string why = first != nullptr ? Esc(first->title) : std::string();
  if (fix.findings.size() > 1) {
    const std::size_t more = fix.findings.size() - 1;
    why += why.empty() ? Counted(TrN("{1} more finding", "{1} more findings", more), more)
                       : Counted(TrN(" and {1} more finding", " and {1} more findings", more), more);
  }
  return why;
}

// The level's name ("low" .. "severe", ids in the JSON) in the reader's words.
std::string LevelText(const std::string& level) {
  if (level.empty()) return Tr("unscored");
  if (level == "severe") return Tr("severe");
  if (level == "high") return Tr("high");
  if (level == "moderate") return Tr("moderate");
  if (level == "low") return Tr("low");
  return Esc(level);
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
  auto chip = [](const std::string& text, std::size_t n) { return "<li>" + Counted(text, n) + "</li>"; };
  std::string out = Gauge(r.score.total, r.score.complete) + "<div><p class=\"level-name\">" +
                    Fill(Tr("{1} exposure"), {LevelText(r.score.level)}) + "</p><p>" +
                    Esc(core::TrText(r.score.level_summary)) + "</p>";
  if (!r.fixes.empty()) {
    const model::Fix& fix = r.fixes.front();
    out += "<p><strong>" + Tr("Change this first:") + "</strong> " + Esc(fix.text) +
           " <span class=\"muted\">" +
           Fill(Tr("(score {1} &rarr; {2}; {3})"),
                {std::to_string(r.score.total), std::to_string(fix.cumulative_after), Why(fix, findings)}) +
           "</span></p>";
  }
  const std::size_t contacts = r.contacts.size();
  out += "<ul class=\"counts\">" +
         chip(TrN("<b>{1}</b> contact", "<b>{1}</b> contacts", contacts), contacts) +
         chip(TrN("<b>{1}</b> past event", "<b>{1}</b> past events", past), past) +
         chip(TrN("<b>{1}</b> upcoming plan", "<b>{1}</b> upcoming plans", future), future) +
         chip(TrN("<b>{1}</b> fact about you", "<b>{1}</b> facts about you", facts.size()), facts.size()) +
         chip(TrN("<b>{1}</b> site", "<b>{1}</b> sites", sites.size()), sites.size()) + "</ul></div>";
  return out;
}

// ---- Coverage: what the scan could not see ------------------------------------

std::string CoverageSection(const model::ScanResult& r) {
  const std::size_t unseen = model::CountNotFullySeen(r.coverage);
  if (unseen == 0) return "";
  const std::size_t pages = r.pages.size();
  std::string out =
      "<section id=\"coverage\" class=\"card coverage\" aria-labelledby=\"h-coverage\">"
      "<h2 id=\"h-coverage\">" +
      Fill(TrN("Not fully seen: {1} of {2} target", "Not fully seen: {1} of {2} targets", r.coverage.size()),
           {std::to_string(unseen), std::to_string(r.coverage.size())}) +
      "</h2>" +
      (r.interrupted
           ? "<p><strong>" + Tr("Interrupted:") + "</strong> " +
                 Counted(TrN("the scan was stopped before it ended. This report holds the {1} page "
                             "read until then; it was not recorded in the history.",
                             "the scan was stopped before it ended. This report holds the {1} pages "
                             "read until then; it was not recorded in the history.",
                             pages),
                         pages) +
                 "</p>"
           : std::string()) +
      "<p>" + Tr("The score counts only what the scan could read: it is a lower bound, not an all-clear.") +
      "</p><ul>";
  for (const auto& c : r.coverage) {
    if (c.seen == model::Seen::kFull) continue;
    out += "<li>" + Link(c.target) + " <span class=\"seen\">" + SeenText(c.seen) + "</span>";
    if (!c.detail.empty()) out += " <span class=\"muted\">" + Esc(Truncate(c.detail, 200)) + "</span>";
    out += "</li>";
  }
  out += "</ul>";
  if (model::AnyWall(r)) {
    out += "<p>" +
           Tr("Members see more than a stranger: scan again with <code>--cookies FILE</code> (cookies.txt "
              "exported from your signed-in browser), or export a HAR from your browser and run "
              "<code>telescreen extract FILE.har</code>.") +
           "</p>";
  }
  return out + "</section>";
}

// ---- What to change first ----------------------------------------------------

// Each fix with the total before and after it, done in the listed order.
std::string Checklist(const model::ScanResult& r, const FindingIndex& findings) {
  const std::vector<model::Fix>& order = r.fixes;
  if (order.empty()) {
    return "<p class=\"empty\">" + Tr("Nothing to change: the scan found nothing exposed.") + "</p>";
  }
  std::string out = "<ol class=\"checklist\">";
  int before = r.score.total;
  for (std::size_t n = 0; n < order.size() && n < kChecklistMax; ++n) {
    const model::Fix& fix = order[n];
    const int drop = before - fix.cumulative_after;
    const char* cls = drop >= 10 ? "impact big" : drop >= 3 ? "impact mid" : "impact";
    std::string text = Esc(fix.text);
    if (!fix.settings_url.empty() && fix.settings_url != fix.text) {
      text += " " + Link(fix.settings_url, Tr("Settings"));
    }
    std::string why = Tr("Because:") + " " + Why(fix, findings);
    if (fix.score_after != fix.cumulative_after) {
      why += Fill(Tr("; done alone, the score would be {1}"), {std::to_string(fix.score_after)});
    }
    out += "<li><input type=\"checkbox\" aria-label=\"" + Esc(Tr("done")) + "\"><div>" + text +
           "<span class=\"why\">" + why + "</span></div><span class=\"" + cls + "\" aria-label=\"" +
           Esc(Fill(Tr("score {1} to {2}"), {std::to_string(before), std::to_string(fix.cumulative_after)})) +
           "\">" + std::to_string(before) + " &rarr; " + std::to_string(fix.cumulative_after) +
           "</span></li>";
    before = fix.cumulative_after;
  }
  out += "</ol>";
  if (order.size() > kChecklistMax) {
    const std::size_t rest = order.size() - kChecklistMax;
    out += "<p class=\"muted\">" +
           Counted(TrN("{1} smaller fix is listed with the findings below.",
                       "{1} smaller fixes are listed with the findings below.", rest),
                   rest) +
           "</p>";
  }
  return out;
}

// ---- Categories ---------------------------------------------------------------

std::string Categories(const model::ScanResult& r) {
  if (r.score.categories.empty()) return "<p class=\"empty\">" + Tr("Not scored.") + "</p>";
  std::string out = "<ul class=\"cats\">";
  for (const auto& c : r.score.categories) {
    double s = std::clamp(c.score, 0.0, 100.0);
    const std::string label = core::TrText(c.label);
    out += "<li class=\"cat\"><div class=\"cat-head\"><span>" + Esc(label) +
           "</span><span class=\"cat-score\">" + std::to_string(std::lround(s)) +
           "</span></div><svg viewBox=\"0 0 100 6\" preserveAspectRatio=\"none\" role=\"img\" "
           "aria-label=\"" +
           Esc(label) + ": " + Esc(Fill(Tr("{1} of 100"), {std::to_string(std::lround(s))})) +
           "\"><rect class=\"track\" x=\"0\" y=\"0\" width=\"100\" height=\"6\" rx=\"3\"/>"
           "<rect class=\"bar s-" +
           std::string(model::LevelOf(s)) + "\" x=\"0\" y=\"0\" width=\"" + Fmt(s) +
           "\" height=\"6\" rx=\"3\"/></svg><p>" + Esc(c.summary) + "</p></li>";
  }
  return out + "</ul>";
}

// ---- Changes since an earlier scan -------------------------------------------

std::string EventLine(const model::Event& e) {
  std::string s = Esc(e.name);
  if (!e.start.empty()) s += " <span class=\"muted\">" + When(e.start, e.start) + "</span>";
  if (!e.location.empty()) s += " <span class=\"muted\">" + Fill(Tr("at {1}"), {Esc(e.location)}) + "</span>";
  return s;
}

std::string Changes(const model::ScanResult& r) {
  if (!r.changes) return "";
  const auto& c = *r.changes;
  int delta = r.score.total - c.previous_score;
  std::string out =
      "<section id=\"changes\" class=\"card changes\" aria-labelledby=\"h-changes\">"
      "<h2 id=\"h-changes\">" +
      Tr("What changed since the last scan") + "</h2><p>" +
      Fill(Tr("Compared with the scan of {1}: score {2} &rarr; {3} {4}."),
           {When(c.previous_now, c.previous_now), std::to_string(c.previous_score),
            std::to_string(r.score.total),
            std::string("<span class=\"") + (delta > 0 ? "up" : "down") + "\">(" + (delta >= 0 ? "+" : "") +
                std::to_string(delta) + ")</span>"}) +
      "</p>";
  auto list = [&](const std::string& title, std::vector<std::string> items) {
    if (items.empty()) return;
    out += "<h3>" + title + "</h3><ul>";
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
      s.push_back((x.url.empty() ? Esc(x.name) : Link(x.url, x.name.empty() ? x.url : x.name)) +
                  " <span class=\"rel\">" + InteractionText(x.kind) + "</span>");
    }
    return s;
  };
  std::vector<std::string> facts;
  for (const auto& f : c.newly_public) facts.push_back(FactKindText(f.kind.view()) + ": " + Esc(f.value));
  list(Tr("New upcoming plans"), events(c.new_plans));
  list(Tr("Newly public facts"), facts);
  list(Tr("New contacts"), contacts(c.new_contacts));
  list(Tr("New past events"), events(c.new_events));
  list(Tr("New interactions (weak ties)"), interactions(c.new_interactions));
  list(Tr("Contacts no longer visible"), contacts(c.removed_contacts));
  list(Tr("Events no longer visible"), events(c.removed_events));
  list(Tr("Plans no longer visible"), events(c.removed_plans));
  list(Tr("Interactions no longer visible"), interactions(c.removed_interactions));
  return out + "</section>";
}

}  // namespace

std::string RenderHtml(const model::ScanResult& r) {
  static constexpr std::string_view kFallbackTemplate =
      "<!DOCTYPE html><html lang=\"{{lang}}\"><head><meta charset=\"utf-8\"><meta "
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
  const std::string now = When(r.now, r.now);
  v["lang"] = core::LanguageCode(core::CurrentLanguage());
  v["title"] = Esc(who.empty() ? Tr("Telescreen exposure report") : Fill(Tr("Exposure report: {1}"), {who}));
  v["heading"] = who.empty() ? Tr("What a stranger can learn from these profiles")
                             : Fill(Tr("What a stranger can learn about {1}"), {Esc(who)});
  v["meta"] =
      Counted(TrN("Scan of {1} start page", "Scan of {1} start pages", r.targets.size()), r.targets.size()) +
      ", " + Counted(TrN("{1} page read.", "{1} pages read.", r.pages.size()), r.pages.size()) + " " +
      Fill(Tr("Reference time {1}"), {now}) + ".";
  // The template's own texts.
  v["t_kicker"] = Tr("Telescreen exposure report");
  v["t_verdict"] = Tr("Verdict");
  v["t_categories"] = Tr("What a stranger can learn");
  v["t_fixes"] = Tr("What to change first");
  v["t_fixes_lede"] =
      Tr("In the order to do them: each lowers your score most, given those above it. The numbers are your "
         "score before and after each, done in this order. Tick them off as you go.");
  v["t_contacts"] = Tr("Whom you know, and where it shows");
  v["t_timeline"] = Tr("Where you were and where you will be");
  v["t_findings"] = Tr("Every finding, with its evidence");
  v["t_identity"] = Tr("Who you are across sites");
  v["t_pages"] = Tr("Pages scanned");
  v["t_method"] = Tr("How the score works");
  v["t_method_score"] = Tr(
      "Every item found is scored as <em>sensitivity &times; visibility</em>: how much harm it can do, times "
      "how freely it can be read (members-only, public, or public and machine-readable, which scrapers "
      "collect for free). Items seen on several sites count more. Items add up within six categories, each "
      "scored 0 to 100 with diminishing returns; the categories combine into the total so that one severe "
      "category is enough for a high score. Items only logged-in members can see never raise the total past "
      "&ldquo;low&rdquo;.");
  v["t_method_source"] = Tr(
      "This report was written by Telescreen from public pages only. It loads nothing from the network and "
      "runs no script; links go to the pages where each item was seen.");
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
  v["footer"] = Fill(Tr("Telescreen report &middot; reference time {1} &middot; keep this file private: it "
                        "lists personal data."),
                     {now});
  return Expand(tpl ? *tpl : kFallbackTemplate, v);
}

}  // namespace telescreen::report
