// The HTML report's larger sections: the contact graph, the timeline, the
// findings, identity and pages. Same safety rules as html_report.cc: page
// text only through Esc, URLs only through Link, no style attributes.

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/i18n.h"
#include "core/local_format.h"
#include "core/text.h"
#include "core/time.h"
#include "report/html_util.h"

namespace telescreen::report::html {
namespace {

using core::Fill;
using core::Tr;
using core::TrN;

constexpr std::size_t kGraphMaxContacts = 48;
constexpr double kPi = 3.14159265358979;

struct SiteGroup {
  std::string site;  // display label
  std::vector<const model::Contact*> contacts;
  std::vector<std::string> vias;  // of the evidence from this site
};

// Contacts by the site that showed them; a contact seen on several sites is
// in each of those groups. Sites sorted by name, contacts in scan order.
std::vector<SiteGroup> GroupBySite(const model::ScanResult& r,
                                   std::map<std::string, std::set<std::string>>* sites_of_name) {
  std::map<std::string, SiteGroup> groups;
  for (const auto& c : r.contacts) {
    std::set<std::string> sites;
    for (const auto& e : c.evidence) sites.insert(SiteOf(e.page_url));
    if (sites.empty()) sites.insert(SiteOf(c.url));
    for (const auto& s : sites) {
      groups[s].site = s;
      groups[s].contacts.push_back(&c);
      (*sites_of_name)[core::AsciiLower(c.name)].insert(s);
    }
    for (const auto& e : c.evidence) groups[SiteOf(e.page_url)].vias.push_back(e.via.str());
  }
  std::vector<SiteGroup> out;
  const auto labels = SiteLabels(r);
  for (auto& [k, g] : groups) {
    auto it = labels.find(k);
    g.site = it != labels.end() ? it->second : SiteLabel(g.site, g.vias);
    out.push_back(std::move(g));
  }
  return out;
}

struct Point {
  double x, y;
};
Point Polar(double radius, double angle_deg) {
  double a = angle_deg * kPi / 180.0;
  return {radius * std::cos(a), radius * std::sin(a)};
}

// A radial graph: you in the centre, each site on the inner ring, the
// contacts it shows on the outer ring. Red marks a contact seen on more
// than one site: the overlap that ties your profiles together.
std::string Graph(const model::ScanResult& r, const std::vector<SiteGroup>& groups,
                  const std::map<std::string, std::set<std::string>>& sites_of_name) {
  std::size_t total = 0;
  for (const auto& g : groups) total += g.contacts.size();
  // Each site shows its share of kGraphMaxContacts (at least one) and gets
  // that many slots of the circle, plus one slot of gap.
  std::vector<std::size_t> shown;
  std::size_t slots = 0;
  for (const auto& g : groups) {
    std::size_t n = (kGraphMaxContacts * g.contacts.size() + total - 1) / std::max<std::size_t>(1, total);
    shown.push_back(std::clamp<std::size_t>(n, 1, g.contacts.size()));
    slots += shown.back() + 1;
  }
  std::string edges, nodes, labels;
  double angle = -90;  // start at the top
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const SiteGroup& g = groups[gi];
    const double span = 360.0 * static_cast<double>(shown[gi] + 1) / static_cast<double>(slots);
    double mid = angle + span / 2;
    Point s = Polar(125, mid);
    edges += "<line class=\"edge\" x1=\"0\" y1=\"0\" x2=\"" + Fmt(s.x) + "\" y2=\"" + Fmt(s.y) + "\"/>";
    for (std::size_t i = 0; i < shown[gi]; ++i) {
      const auto* c = g.contacts[i];
      bool multi = sites_of_name.at(core::AsciiLower(c->name)).size() > 1;
      double a = angle + span * static_cast<double>(i + 1) / static_cast<double>(shown[gi] + 1);
      Point p = Polar(235, a);
      std::string cls = multi ? " multi" : "";
      edges += "<line class=\"edge" + cls + "\" x1=\"" + Fmt(s.x) + "\" y1=\"" + Fmt(s.y) + "\" x2=\"" +
               Fmt(p.x) + "\" y2=\"" + Fmt(p.y) + "\"/>";
      nodes += "<circle class=\"contact" + cls + "\" cx=\"" + Fmt(p.x) + "\" cy=\"" + Fmt(p.y) +
               "\" r=\"6\"><title>" + Esc(c->name) +
               (c->relation.empty() ? std::string() : ", " + RelationText(c->relation)) + " (" + Esc(g.site) +
               ")</title></circle>";
      // Labels read outward; on the left half they are turned to stay upright.
      double norm = std::fmod(a + 720.0, 360.0);
      bool left = norm > 90 && norm < 270;
      labels += "<text class=\"contact-label\" transform=\"rotate(" + Fmt(left ? norm - 180 : norm) +
                ")\" x=\"" + (left ? "-246" : "246") + "\" y=\"3.5\" text-anchor=\"" +
                (left ? "end" : "start") + "\">" + Esc(Truncate(c->name, 20)) + "</text>";
    }
    nodes += "<circle class=\"site\" cx=\"" + Fmt(s.x) + "\" cy=\"" + Fmt(s.y) + "\" r=\"11\"><title>" +
             Esc(g.site) + ": " +
             Counted(TrN("{1} contact", "{1} contacts", g.contacts.size()), g.contacts.size()) +
             "</title></circle>";
    labels += "<text class=\"site-label\" x=\"" + Fmt(s.x) + "\" y=\"" + Fmt(s.y + (s.y < 0 ? -17 : 26)) +
              "\" text-anchor=\"middle\">" + Esc(Truncate(g.site, 34)) + "</text>";
    angle += span;
  }
  // The centre shows a first name: it must fit a 40-unit circle.
  std::string me = r.identity.names.empty() ? Tr("You") : r.identity.names.front();
  me = Truncate(me.substr(0, me.find(' ')), 9);
  const std::string label =
      Fill(Tr("Contact graph: {1} on {2}"),
           {Counted(TrN("{1} contact", "{1} contacts", r.contacts.size()), r.contacts.size()),
            Counted(TrN("{1} site", "{1} sites", groups.size()), groups.size())});
  return "<svg class=\"graph\" viewBox=\"-380 -370 760 740\" role=\"img\" aria-label=\"" + Esc(label) +
         "\">" + edges + nodes +
         "<circle class=\"me\" cx=\"0\" cy=\"0\" r=\"40\"/><text class=\"me-label\" "
         "x=\"0\" y=\"4.5\" text-anchor=\"middle\">" +
         Esc(me) + "</text>" + labels + "</svg>";
}

std::string EventWhen(const model::Event& e, const std::string& now) {
  std::string when;
  if (e.start.empty()) {
    when = Esc(Tr("date unknown"));
  } else {
    std::string shown(e.start.view().substr(0, 16));
    for (char& ch : shown) ch = ch == 'T' ? ' ' : ch;
    when = When(e.start.view(), shown);
  }
  std::string out = "<span class=\"when\">" + when + "</span>";
  if (e.tense == model::Tense::kFuture) {
    if (auto d = DaysFromNow(e, now)) {
      const auto days = static_cast<std::size_t>(std::max<long long>(*d, 0));
      if (*d <= 0) {
        out += " <span class=\"soon\">" + Tr("today") + "</span>";
      } else if (e.imminent) {
        out += " <span class=\"soon\">" + Counted(TrN("in {1} day", "in {1} days", days), days) + "</span>";
      } else {
        out += " <span class=\"muted\">" + Counted(TrN("in {1} day", "in {1} days", days), days) + "</span>";
      }
    }
  }
  return out;
}

std::string EventItem(const model::Event& e, const std::string& now,
                      const std::map<std::string, std::string>& labels) {
  std::string cls = e.tense == model::Tense::kFuture ? "future" : "past";
  if (e.imminent) cls += " imminent";
  std::string out = "<li class=\"" + cls + "\">" + EventWhen(e, now) + "<br><strong>" +
                    (e.url.empty() ? Esc(e.name) : Link(e.url, e.name)) + "</strong>";
  if (!e.location.empty())
    out += " <span class=\"where\">" + Fill(Tr("at {1}"), {Esc(e.location)}) + "</span>";
  if (!e.role.empty()) out += " <span class=\"tag\">" + EventRoleText(e.role.view()) + "</span>";
  if (!e.status.empty()) out += " <span class=\"tag warn\">" + EventStatusText(e.status.view()) + "</span>";
  if (!e.attendees.empty()) {
    // Whom you were (or will be) seen with there.
    constexpr std::size_t kNamesShown = 8;
    std::string who;
    for (std::size_t i = 0; i < e.attendees.size() && i < kNamesShown; ++i) {
      const model::Attendee& a = e.attendees[i];
      who += (who.empty() ? "" : ", ") +
             (a.url.empty() ? Esc(a.name) : Link(a.url, a.name.empty() ? a.url : a.name));
    }
    if (e.attendees.size() > kNamesShown) {
      who += Fill(Tr(" and {1} more"), {std::to_string(e.attendees.size() - kNamesShown)});
    }
    out += "<br><span class=\"with\">" + Fill(Tr("with {1}"), {who}) + "</span>";
  }
  std::set<std::string> sites;
  for (const auto& ev : e.evidence) {
    auto it = labels.find(SiteOf(ev.page_url));
    sites.insert(it != labels.end() ? it->second : SiteOf(ev.page_url));
  }
  if (!sites.empty()) {
    std::string s;
    for (const auto& x : sites) s += (s.empty() ? "" : ", ") + Esc(x);
    out += "<br><span class=\"muted\">" + Fill(Tr("seen on {1}"), {s});
    // A plan in words ("nächste Woche") is dated from the post that says it.
    if (!e.stated_at.empty()) {
      auto said = core::ParseIsoTime(e.stated_at);
      std::string date;
      if (said) {
        const std::string utc = core::FormatIsoUtc(said->start);
        date = When(utc, utc.substr(0, 10), core::TimePrecision::kDay);
      } else {
        date = Esc(Truncate(e.stated_at.str(), 40));
      }
      out += Fill(Tr(", said in a post of {1}"), {date});
    }
    out += "</span>";
  }
  return out + "</li>";
}

}  // namespace

namespace {

// People who only responded to the person's posts: listed apart, as the
// weak ties they are.
std::string Interactions(const model::ScanResult& r) {
  if (r.interactions.empty()) return "";
  std::string out = "<h3>" + Tr("Also seen responding to your posts") + " <span class=\"muted\">(" +
                    Fill(Tr("{1}, not counted as contacts"), {std::to_string(r.interactions.size())}) +
                    ")</span></h3><ul>";
  for (std::size_t i = 0; i < r.interactions.size() && i < kListMax; ++i) {
    const model::Interaction& x = r.interactions[i];
    out += "<li>" + (x.url.empty() ? Esc(x.name) : Link(x.url, x.name.empty() ? x.url : x.name)) +
           " <span class=\"rel\">" + InteractionText(x.kind) + "</span></li>";
  }
  if (r.interactions.size() > kListMax) {
    out += "<li class=\"muted\">" +
           Fill(Tr("and {1} more"), {std::to_string(r.interactions.size() - kListMax)}) + "</li>";
  }
  return out + "</ul>";
}

}  // namespace

std::string Contacts(const model::ScanResult& r) {
  if (r.contacts.empty())
    return "<p class=\"empty\">" + Tr("No contacts were visible.") + "</p>" + Interactions(r);
  std::map<std::string, std::set<std::string>> sites_of_name;
  auto groups = GroupBySite(r, &sites_of_name);
  std::size_t multi = 0;
  for (const auto& [name, sites] : sites_of_name) multi += sites.size() > 1 ? 1 : 0;
  std::string out =
      "<p class=\"lede\">" + Fill(TrN("{1} person is visibly connected to you on {2}",
                                      "{1} people are visibly connected to you on {2}", r.contacts.size()),
                                  {std::to_string(r.contacts.size()),
                                   Counted(TrN("{1} site", "{1} sites", groups.size()), groups.size())});
  if (multi > 0) {
    out += "; " + Counted(TrN("{1} appears on more than one, which ties those profiles together",
                              "{1} appear on more than one, which ties those profiles together", multi),
                          multi);
  }
  out += ".</p>" + Graph(r, groups, sites_of_name) + "<p class=\"legend\"><span class=\"dot site\"></span> " +
         Tr("site") + " &nbsp; <span class=\"dot\"></span> " + Tr("contact") +
         " &nbsp; <span class=\"dot multi\"></span> " + Tr("contact seen on several sites") +
         "</p><div class=\"sites\">";
  for (const auto& g : groups) {
    out += "<div class=\"site-box\"><h3>" + Esc(g.site) + " <span class=\"muted\">(" +
           std::to_string(g.contacts.size()) + ")</span></h3><ul>";
    for (std::size_t i = 0; i < g.contacts.size() && i < kListMax; ++i) {
      const auto* c = g.contacts[i];
      out += "<li>" + (c->url.empty() ? Esc(c->name) : Link(c->url, c->name));
      if (!c->relation.empty()) out += " <span class=\"rel\">" + RelationText(c->relation) + "</span>";
      if (sites_of_name[core::AsciiLower(c->name)].size() > 1)
        out += " <span class=\"tag warn\">" + Tr("on several sites") + "</span>";
      out += "</li>";
    }
    if (g.contacts.size() > kListMax) {
      out += "<li class=\"muted\">" +
             Fill(Tr("and {1} more"), {std::to_string(g.contacts.size() - kListMax)}) + "</li>";
    }
    out += "</ul></div>";
  }
  return out + "</div>" + Interactions(r);
}

std::string Timeline(const model::ScanResult& r) {
  std::vector<const model::Event*> future, past, unknown;
  for (const auto& e : r.events) {
    (e.tense == model::Tense::kFuture ? future
     : e.tense == model::Tense::kPast ? past
                                      : unknown)
        .push_back(&e);
  }
  if (r.events.empty()) return "<p class=\"empty\">" + Tr("No events or plans were visible.") + "</p>";
  auto by_start = [](const model::Event* a, const model::Event* b) { return a->start < b->start; };
  std::stable_sort(future.begin(), future.end(), by_start);
  std::stable_sort(past.begin(), past.end(), [&](auto* a, auto* b) { return by_start(b, a); });
  std::string out;
  const auto labels = SiteLabels(r);
  auto list = [&](const std::string& head, const std::vector<const model::Event*>& v,
                  const std::string& note) {
    if (v.empty()) return;
    out += "<h3 class=\"tl-head\">" + head + " <span class=\"muted\">(" + std::to_string(v.size()) +
           ")</span></h3><p class=\"lede\">" + note + "</p><ol class=\"tl\">";
    for (std::size_t i = 0; i < v.size() && i < kListMax; ++i) out += EventItem(*v[i], r.now, labels);
    out += "</ol>";
  };
  list(Tr("Upcoming plans"), future,
       Tr("Anyone can read when and where you will be. Plans in the next two weeks are marked red."));
  list(Tr("Past events"), past,
       Tr("Each dated place narrows down who you are; four are enough for most people."));
  list(Tr("Events without a clear date"), unknown, Tr("Dates could not be placed relative to the scan."));
  return out;
}

std::string Findings(const model::ScanResult& r) {
  if (r.findings.empty()) return "<p class=\"empty\">" + Tr("No findings.") + "</p>";
  std::map<std::string, std::string, std::less<>> labels;  // category id -> label
  for (const auto& c : r.score.categories) labels[c.id] = core::TrText(c.label);
  auto label = [&labels](std::string_view id) -> std::string_view {
    auto it = labels.find(id);
    return it != labels.end() ? std::string_view(it->second) : id;
  };
  std::string out;
  constexpr std::size_t kShownOpen = 10;  // the rest behind one click: the page stays short on a phone
  for (std::size_t i = 0; i < r.findings.size() && i < kListMax; ++i) {
    if (i == kShownOpen) {
      const std::size_t more = r.findings.size() - kShownOpen;
      out += "<details class=\"more\"><summary>" +
             Counted(TrN("{1} more finding", "{1} more findings", more), more) + "</summary>";
    }
    const auto& f = r.findings[i];
    std::string vis = f.visibility >= 1.0   ? Tr("public, machine-readable")
                      : f.visibility >= 0.8 ? Tr("public")
                                            : Tr("members only");
    out += "<article class=\"finding\"><h3>" + Esc(f.title) + "</h3><div class=\"pts\"><span class=\"tag\">" +
           Esc(label(f.category)) + "</span> " + Fill(Tr("{1} points"), {Decimal(f.points)}) + " &middot; " +
           vis + "</div>";
    if (!f.remediation.empty())
      out += "<p class=\"fix\"><b>" + Tr("Fix:") + "</b> " + Esc(f.remediation) + "</p>";
    if (!f.evidence.empty()) {
      out += "<details><summary>" + Fill(Tr("Evidence ({1})"), {std::to_string(f.evidence.size())}) +
             "</summary><ul class=\"ev\">";
      for (const auto& e : f.evidence) {
        out += "<li>" + Link(e.page_url) + " <span class=\"tag\">" + Esc(e.via) + "</span>";
        if (!e.excerpt.empty()) {
          out += " <span class=\"ex\">" +
                 Fill(Tr("&ldquo;{1}&rdquo;"), {Esc(Truncate(e.excerpt.str(), 200))}) + "</span>";
        }
        out += "</li>";
      }
      out += "</ul></details>";
    }
    out += "</article>";
  }
  if (r.findings.size() > kShownOpen) out += "</details>";
  return out;
}

std::string Identity(const model::ScanResult& r) {
  std::string out;
  if (!r.identity.names.empty()) {
    out += "<p><strong>" + Tr("Names:") + "</strong> ";
    for (std::size_t i = 0; i < r.identity.names.size(); ++i)
      out += (i ? ", " : "") + Esc(r.identity.names[i]);
    out += "</p>";
  }
  if (!r.identity.profiles.empty()) {
    out += "<p><strong>" + Tr("Profiles that point at each other:") + "</strong></p><ul>";
    for (const auto& p : r.identity.profiles) out += "<li>" + Link(p) + "</li>";
    out += "</ul>";
  }
  if (!r.identity.facts.empty()) {
    const auto labels = SiteLabels(r);
    out += "<div class=\"table-wrap\"><table><thead><tr><th>" + Tr("What") + "</th><th>" + Tr("Value") +
           "</th><th>" + Tr("Seen on") + "</th><th class=\"hide-narrow\">" + Tr("How") +
           "</th></tr></thead><tbody>";
    for (std::size_t i = 0; i < r.identity.facts.size() && i < kListMax; ++i) {
      const auto& f = r.identity.facts[i];
      out += "<tr><td>" + FactKindText(f.kind.view()) + "</td><td>" + Esc(Truncate(f.value.str(), 120)) +
             "</td><td>" +
             Link(f.evidence.page_url, labels.count(SiteOf(f.evidence.page_url))
                                           ? labels.at(SiteOf(f.evidence.page_url))
                                           : SiteOf(f.evidence.page_url)) +
             "</td><td class=\"hide-narrow\">" + Esc(f.evidence.via) +
             (f.evidence.visibility == model::Visibility::kMembersOnly
                  ? " <span class=\"tag\">" + Tr("members only") + "</span>"
                  : std::string()) +
             "</td></tr>";
    }
    out += "</tbody></table></div>";
  }
  return out.empty() ? "<p class=\"empty\">" + Tr("No identity details were found.") + "</p>" : out;
}

std::string Pages(const model::ScanResult& r) {
  std::string out;
  if (r.pages.empty()) {
    out = "<p class=\"empty\">" + Tr("No pages.") + "</p>";
  } else {
    out = "<div class=\"table-wrap\"><table><thead><tr><th>" + Tr("Page") + "</th><th>" + Tr("Status") +
          "</th><th class=\"hide-narrow\">" + Tr("Type") + "</th><th class=\"hide-narrow\">" + Tr("Bytes") +
          "</th><th class=\"hide-narrow\">" + Tr("Captured") + "</th></tr></thead><tbody>";
    for (std::size_t i = 0; i < r.pages.size() && i < kListMax; ++i) {
      const auto& p = r.pages[i];
      std::string status = p.status ? std::to_string(p.status) : std::string("&ndash;");
      if (!p.error.empty()) status += " <span class=\"tag warn\">" + Esc(Truncate(p.error, 80)) + "</span>";
      if (p.truncated) status += " <span class=\"tag\">" + Tr("truncated") + "</span>";
      if (p.wall != model::Wall::kNone) {
        status += std::string(" <span class=\"tag warn\">") +
                  (p.wall == model::Wall::kLogin ? Tr("login wall") : Tr("blocked")) +
                  (p.wall_detail.empty() ? std::string() : ": " + Esc(Truncate(p.wall_detail, 80))) +
                  "</span>";
      }
      out += "<tr><td>" + Link(p.url) + "</td><td>" + status + "</td><td class=\"hide-narrow\">" +
             Esc(p.content_type) + "</td><td class=\"hide-narrow\">" + std::to_string(p.bytes) +
             "</td><td class=\"hide-narrow\">" +
             (p.captured_at.empty() ? std::string("&ndash;") : When(p.captured_at, p.captured_at)) +
             "</td></tr>";
    }
    out += "</tbody></table></div>";
  }
  if (!r.warnings.empty()) {
    out += "<details><summary>" +
           Counted(TrN("{1} warning", "{1} warnings", r.warnings.size()), r.warnings.size()) +
           "</summary><ul>";
    for (std::size_t i = 0; i < r.warnings.size() && i < kListMax; ++i)
      out += "<li>" + Esc(r.warnings[i]) + "</li>";
    out += "</ul></details>";
  }
  return out;
}

}  // namespace telescreen::report::html
