// The terminal summary: fits the given width, colour only when asked for,
// and never passes page text through unclean (a page could carry terminal
// escape sequences: every string from a scan goes through CleanText).

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

#include "report/escape.h"
#include "report/report.h"

namespace telescreen::report {
namespace {

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

std::string Bar(double score, std::size_t cells) {
  auto filled = static_cast<std::size_t>(std::clamp(score, 0.0, 100.0) * cells / 100.0 + 0.5);
  return std::string(filled, '#') + std::string(cells - filled, '.');
}

std::string Pad(std::string s, std::size_t w) {
  std::size_t dw = DisplayWidth(s);
  if (dw < w) s += std::string(w - dw, ' ');
  return s;
}

std::string Upper(std::string s) {
  for (char& c : s) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return s;
}

// First when the view was partial: which targets were not fully seen, why,
// and how to see what members see.
void Coverage(const model::ScanResult& r, Writer* w) {
  const std::size_t unseen = model::CountNotFullySeen(r.coverage);
  if (unseen == 0) return;
  if (r.interrupted) {
    w->Line(w->Paint("INTERRUPTED: the scan was stopped before it ended", "1;33"));
    w->Para("  ", 2,
            "This report holds the " + std::to_string(r.pages.size()) +
                (r.pages.size() == 1 ? " page" : " pages") +
                " read until then; it was not recorded in the history. Scan again to see the rest.");
  }
  w->Line(w->Paint("NOT FULLY SEEN: " + std::to_string(unseen) + " of " +
                       std::to_string(r.coverage.size()) + (r.coverage.size() == 1 ? " target" : " targets"),
                   "1;33"));
  for (const auto& c : r.coverage) {
    if (c.seen == model::Seen::kFull) continue;
    std::string line = CleanText(c.target) + ": " + model::SeenName(c.seen);
    if (!c.detail.empty()) line += " (" + CleanText(c.detail) + ")";
    w->Para("  - ", 4, line);
  }
  if (model::AnyWall(r)) {
    w->Para("  ", 2,
            "Members see more than a stranger: scan again with --cookies FILE (cookies.txt exported "
            "from your signed-in browser), or export a HAR from your browser and run "
            "'telescreen extract FILE.har'.");
  }
  w->Line();
}

void Header(const model::ScanResult& r, Writer* w) {
  std::string who = r.identity.names.empty() ? std::string("the scanned profiles")
                                             : CleanText(r.identity.names.front());
  w->Para("", 0, "Telescreen exposure report for " + who, "1");
  w->Para("", 0, "Reference time " + CleanText(r.now), "2");
  w->Line();
  Coverage(r, w);
  std::string score = std::string(r.score.complete ? "Score " : "Score at least ") +
                      std::to_string(r.score.total) + "/100  ";
  w->Line(w->Paint(score + Upper(CleanText(r.score.level)), LevelSgr(r.score.level)));
  if (!r.score.level_summary.empty()) w->Para("", 0, r.score.level_summary);
  w->Line();
}

void Categories(const model::ScanResult& r, Writer* w) {
  if (r.score.categories.empty()) return;
  w->Line(w->Paint("What a stranger can learn", "1"));
  for (const auto& c : r.score.categories) {
    char num[8];
    std::snprintf(num, sizeof num, "%3d", static_cast<int>(c.score + 0.5));
    std::string head = "  " + Pad(CleanText(c.label), 26) + " " +
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
    w->Para("", 0, "No findings: nothing the scan saw raises your exposure.");
    w->Line();
    return;
  }
  if (r.fixes.empty()) return;
  std::map<std::string_view, const model::Finding*> by_id;
  for (const auto& f : r.findings) by_id.emplace(f.id.view(), &f);
  std::size_t n = std::min(kTopFixes, r.fixes.size());
  w->Para("", 0,
          "Change these first (" + std::to_string(n) + " of " + std::to_string(r.fixes.size()) +
              (r.fixes.size() == 1 ? " fix" : " fixes") + ", the score after each, done in this order)",
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
      w->Para("    Settings: ", 14, fix.settings_url, "2");
    }
    const model::Finding* f = fix.findings.empty() ? nullptr : by_id[fix.findings.front().view()];
    if (f == nullptr) continue;
    std::string because = f->title.str();
    if (fix.findings.size() > 1) {
      because += " and " + std::to_string(fix.findings.size() - 1) +
                 (fix.findings.size() == 2 ? " more finding" : " more findings");
    }
    w->Para("    Because: ", 13, because);
    if (!f->evidence.empty()) {
      const auto& e = f->evidence.front();
      std::string seen = e.page_url.str() + " (" + e.via.str() + ")";
      if (f->evidence.size() > 1) seen += " and " + std::to_string(f->evidence.size() - 1) + " more";
      w->Para("    Seen: ", 10, seen, "2");
    }
  }
  w->Line();
}

void Changes(const model::ScanResult& r, Writer* w) {
  if (!r.changes) return;
  const auto& c = *r.changes;
  int delta = r.score.total - c.previous_score;
  std::string s = "Since the scan of " + CleanText(c.previous_now) + ": score " +
                  std::to_string(c.previous_score) + " -> " + std::to_string(r.score.total) +
                  " (" + (delta >= 0 ? "+" : "") + std::to_string(delta) + "); " +
                  std::to_string(c.new_contacts.size()) + " new contacts, " +
                  std::to_string(c.removed_contacts.size()) + " gone; " +
                  std::to_string(c.new_interactions.size()) + " new interactions; " +
                  std::to_string(c.new_events.size()) + " new past events; " +
                  std::to_string(c.new_plans.size()) + " new plans; " +
                  std::to_string(c.newly_public.size()) + " facts newly public.";
  w->Line(w->Paint("Changes", "1"));
  w->Para("  ", 2, s);
  for (const auto& e : c.new_plans) w->Para("  + plan: ", 10, e.name + " " + e.start);
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
  std::string s = "Found " + std::to_string(r.contacts.size()) + " contacts, " +
                  std::to_string(r.events.size()) + " events (" + std::to_string(past) +
                  " past, " + std::to_string(future) + " upcoming" +
                  (imminent > 0 ? ", " + std::to_string(imminent) + " of them within " +
                                      std::to_string(model::kImminentDays) + " days"
                                : std::string()) +
                  "), " +
                  std::to_string(r.identity.facts.size()) + " identity facts on " +
                  std::to_string(r.pages.size() - static_cast<std::size_t>(walled + failed + robots)) +
                  " pages read";
  std::string notes;
  auto note = [&notes](int n, const char* what) {
    if (n > 0) notes += (notes.empty() ? "" : ", ") + std::to_string(n) + " " + what;
  };
  // Not fetched on purpose is not a failure: said apart, and not as "failed".
  note(robots, "skipped by robots.txt");
  note(walled, "behind a login wall or block");
  note(failed, "failed");
  if (!notes.empty()) s += "; " + notes;
  s += ".";
  if (!r.warnings.empty()) s += " " + std::to_string(r.warnings.size()) + " warnings.";
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
