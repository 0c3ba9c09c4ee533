// The terminal summary: fits the given width, colour only when asked for,
// and never passes page text through unclean (a page could carry terminal
// escape sequences: every string from a scan goes through CleanText).

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>

#include "core/i18n.h"
#include "core/local_format.h"
#include "core/text.h"
#include "report/escape.h"
#include "report/report.h"

namespace telescreen::report {
namespace {

using core::Fill;
using core::Tr;
using core::TrN;
using std::to_string;

constexpr std::size_t kTopFixes = 5;
constexpr std::size_t kMinWidth = 40;

class Writer {
 public:
  Writer(const TextOptions& o)
      : color_(o.color == Color::kAlways),
        width_(std::max<std::size_t>(kMinWidth, static_cast<std::size_t>(std::max(0, o.width)))) {}

  // SGR codes: 1 bold, 2 dim, 31 red, 32 green, 33 yellow, 35 magenta.
  std::string Paint(const std::string& text, const char* sgr) const {
    if (!color_) return text;
    return std::string("\x1b[") + sgr + "m" + text + "\x1b[0m";
  }

  // Wrapped paragraph: `prefix` (already clean, `prefix_w` columns) then
  // text with later lines indented by `prefix_w`.
  void Para(const std::string& prefix, std::size_t prefix_w, std::string_view text,
            const char* sgr = nullptr) {
    auto lines = Wrap(text, width_, prefix_w);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::string body = sgr ? Paint(lines[i].substr(i == 0 ? 0 : prefix_w), sgr) : lines[i];
      if (i == 0) {
        out_ += prefix + body + "\n";
      } else {
        out_ += (sgr ? std::string(prefix_w, ' ') : std::string()) + body + "\n";
      }
    }
  }
  void Line(const std::string& s = "") { out_ += s + "\n"; }
  std::size_t width() const { return width_; }
  std::string Take() && { return std::move(out_); }

 private:
  bool color_;
  std::size_t width_;
  std::string out_;
};

const char* LevelSgr(const std::string& level) {
  if (level == "severe") return "1;31";
  if (level == "high") return "1;35";
  if (level == "moderate") return "1;33";
  return "1;32";
}

const char* ScoreSgr(double score) {
  if (score >= 70) return "31";
  if (score >= 45) return "35";
  if (score >= 20) return "33";
  return "32";
}

// The level's name ("low" .. "severe", ids in the JSON) as the reader says it.
std::string LevelText(const std::string& level) {
  if (level == "severe") return Tr("severe");
  if (level == "high") return Tr("high");
  if (level == "moderate") return Tr("moderate");
  if (level == "low") return Tr("low");
  return CleanText(level);
}

// A date from the scan, cleaned: as written in English (the bytes the
// summary has always had), in German's own form otherwise.
std::string When(const std::string& iso) { return CleanText(core::ReaderMoment(iso)); }

std::string Bar(double score, std::size_t cells) {
  auto filled = static_cast<std::size_t>(
      std::lround(std::clamp(score, 0.0, 100.0) * static_cast<double>(cells) / 100.0));
  return std::string(filled, '#') + std::string(cells - filled, '.');
}

using core::AsciiUpper;

// First when the view was partial: which targets were not fully seen, why,
// and how to see what members see.
void Coverage(const model::ScanResult& r, Writer* w) {
  const std::size_t unseen = model::CountNotFullySeen(r.coverage);
  if (unseen == 0) return;
  if (r.interrupted) {
    w->Line(w->Paint(Tr("INTERRUPTED: the scan was stopped before it ended"), "1;33"));
    w->Para("  ", 2,
            Fill(TrN("This report holds the {1} page read until then; it was not recorded in the "
                     "history. Scan again to see the rest.",
                     "This report holds the {1} pages read until then; it was not recorded in the "
                     "history. Scan again to see the rest.",
                     r.pages.size()),
                 {to_string(r.pages.size())}));
  }
  w->Line(w->Paint(
      Fill(TrN("NOT FULLY SEEN: {1} of {2} target", "NOT FULLY SEEN: {1} of {2} targets", r.coverage.size()),
           {to_string(unseen), to_string(r.coverage.size())}),
      "1;33"));
  for (const auto& c : r.coverage) {
    if (c.seen == model::Seen::kFull) continue;
    std::string line = CleanText(c.target) + ": " + model::SeenName(c.seen);
    if (!c.detail.empty()) line += " (" + CleanText(c.detail) + ")";
    w->Para("  - ", 4, line);
  }
  if (model::AnyWall(r)) {
    w->Para("  ", 2,
            Tr("Members see more than a stranger: scan again with --cookies FILE (cookies.txt "
               "exported from your signed-in browser), or export a HAR from your browser and run "
               "'telescreen extract FILE.har'."));
  }
  w->Line();
}

void Header(const model::ScanResult& r, Writer* w) {
  std::string who =
      r.identity.names.empty() ? Tr("the scanned profiles") : CleanText(r.identity.names.front());
  w->Para("", 0, Fill(Tr("Telescreen exposure report for {1}"), {who}), "1");
  w->Para("", 0, Fill(Tr("Reference time {1}"), {When(r.now)}), "2");
  w->Line();
  Coverage(r, w);
  std::string score = Fill(r.score.complete ? Tr("Score {1}/100") : Tr("Score at least {1}/100"),
                           {to_string(r.score.total)}) +
                      "  ";
  w->Line(w->Paint(score + AsciiUpper(LevelText(r.score.level)), LevelSgr(r.score.level)));
  if (!r.score.level_summary.empty()) w->Para("", 0, core::TrText(r.score.level_summary));
  w->Line();
}

void Categories(const model::ScanResult& r, Writer* w) {
  if (r.score.categories.empty()) return;
  w->Line(w->Paint(Tr("What a stranger can learn"), "1"));
  for (const auto& c : r.score.categories) {
    char num[8];
    std::snprintf(num, sizeof num, "%3ld", std::lround(c.score));
    std::string head = "  " + PadToWidth(CleanText(core::TrText(c.label)), 26) + " " +
                       w->Paint(Bar(c.score, 10), ScoreSgr(c.score)) + " " + num;
    w->Line(head);
    if (!c.summary.empty()) w->Para("    ", 4, c.summary, "2");
  }
  w->Line();
}

// The checklist: the fixes in the order to do them, each with the total
// before and after it ("94 -> 81") when they are done in that order.
void Fixes(const model::ScanResult& r, Writer* w) {
  if (r.findings.empty()) {
    w->Para("", 0, Tr("No findings: nothing the scan saw raises your exposure."));
    w->Line();
    return;
  }
  if (r.fixes.empty()) return;
  std::map<std::string_view, const model::Finding*> by_id;
  for (const auto& f : r.findings) by_id.emplace(f.id.view(), &f);
  std::size_t n = std::min(kTopFixes, r.fixes.size());
  w->Para("", 0,
          Fill(TrN("Change these first ({1} of {2} fix, the score after each, done in this order)",
                   "Change these first ({1} of {2} fixes, the score after each, done in this order)",
                   r.fixes.size()),
               {to_string(n), to_string(r.fixes.size())}),
          "1");
  int before = r.score.total;
  for (std::size_t i = 0; i < n; ++i) {
    const model::Fix& fix = r.fixes[i];
    std::string num = std::to_string(i + 1) + ". ";
    std::string prefix = std::string(4 - std::min<std::size_t>(4, num.size()), ' ') + num;
    const std::string drop = std::to_string(before) + " -> " + std::to_string(fix.cumulative_after);
    w->Para(prefix + w->Paint(drop, "1") + "  ", prefix.size() + drop.size() + 2, fix.text);
    before = fix.cumulative_after;
    if (!fix.settings_url.empty() && fix.settings_url != fix.text) {
      const std::string label = "    " + Tr("Settings:") + " ";
      w->Para(label, DisplayWidth(label), fix.settings_url, "2");
    }
    const model::Finding* f = fix.findings.empty() ? nullptr : by_id[fix.findings.front().view()];
    if (f == nullptr) continue;
    std::string because = f->title.str();
    if (fix.findings.size() > 1) {
      const std::size_t more = fix.findings.size() - 1;
      because += Fill(TrN(" and {1} more finding", " and {1} more findings", more), {to_string(more)});
    }
    const std::string because_label = "    " + Tr("Because:") + " ";
    w->Para(because_label, DisplayWidth(because_label), because);
    if (!f->evidence.empty()) {
      const auto& e = f->evidence.front();
      std::string seen = e.page_url.str() + " (" + e.via.str() + ")";
      if (f->evidence.size() > 1) seen += Fill(Tr(" and {1} more"), {to_string(f->evidence.size() - 1)});
      const std::string seen_label = "    " + Tr("Seen:") + " ";
      w->Para(seen_label, DisplayWidth(seen_label), seen, "2");
    }
  }
  w->Line();
}

void Changes(const model::ScanResult& r, Writer* w) {
  if (!r.changes) return;
  const auto& c = *r.changes;
  int delta = r.score.total - c.previous_score;
  std::string s = Fill(Tr("Since the scan of {1}: score {2} -> {3} ({4}); {5} new contacts, {6} gone; "
                          "{7} new interactions; {8} new past events; {9} new plans;"),
                       {When(c.previous_now), to_string(c.previous_score), to_string(r.score.total),
                        (delta >= 0 ? "+" : "") + to_string(delta), to_string(c.new_contacts.size()),
                        to_string(c.removed_contacts.size()), to_string(c.new_interactions.size()),
                        to_string(c.new_events.size()), to_string(c.new_plans.size())}) +
                  " " + Fill(Tr("{1} facts newly public."), {to_string(c.newly_public.size())});
  w->Line(w->Paint(Tr("Changes"), "1"));
  w->Para("  ", 2, s);
  const std::string plan_label = "  + " + Tr("plan:") + " ";
  for (const auto& e : c.new_plans)
    w->Para(plan_label, DisplayWidth(plan_label), e.name + " " + When(e.start.str()));
  w->Line();
}

void Counts(const model::ScanResult& r, Writer* w) {
  int past = 0, future = 0, imminent = 0;
  for (const auto& e : r.events) {
    past += e.tense == model::Tense::kPast ? 1 : 0;
    future += e.tense == model::Tense::kFuture ? 1 : 0;
    imminent += e.imminent ? 1 : 0;
  }
  int failed = 0, walled = 0, robots = 0;
  for (const auto& p : r.pages) {
    if (p.wall != model::Wall::kNone) {
      ++walled;
    } else if (model::SkippedByRobots(p)) {
      ++robots;
    } else if (!p.error.empty() || p.status >= 400) {
      ++failed;
    }
  }
  const std::string soon =
      imminent > 0
          ? Fill(TrN(", {1} of them within {2} day", ", {1} of them within {2} days", model::kImminentDays),
                 {to_string(imminent), to_string(model::kImminentDays)})
          : std::string();
  const std::size_t read = r.pages.size() - static_cast<std::size_t>(walled + failed + robots);
  std::string s = Fill(Tr("Found {1} contacts, {2} events ({3} past, {4} upcoming{5}), "
                          "{6} identity facts on {7} pages read"),
                       {to_string(r.contacts.size()), to_string(r.events.size()), to_string(past),
                        to_string(future), soon, to_string(r.identity.facts.size()), to_string(read)});
  std::string notes;
  auto note = [&notes](int n, const std::string& what) {
    if (n > 0) notes += (notes.empty() ? "" : ", ") + Fill(what, {to_string(n)});
  };
  // Not fetched on purpose is not a failure: said apart, and not as "failed".
  note(robots, Tr("{1} skipped by robots.txt"));
  note(walled, Tr("{1} behind a login wall or block"));
  note(failed, Tr("{1} failed"));
  if (!notes.empty()) s += "; " + notes;
  s += ".";
  if (!r.warnings.empty()) {
    s += " " + Fill(TrN("{1} warning.", "{1} warnings.", r.warnings.size()), {to_string(r.warnings.size())});
  }
  w->Para("", 0, s);
}

}  // namespace

std::string RenderText(const model::ScanResult& result, const TextOptions& options) {
  Writer w(options);
  Header(result, &w);
  Categories(result, &w);
  Fixes(result, &w);
  Changes(result, &w);
  Counts(result, &w);
  return std::move(w).Take();
}

}  // namespace telescreen::report
