#include "scan/coverage.h"

#include <algorithm>
#include <map>

#include "core/i18n.h"
#include "core/url.h"

namespace telescreen::scan {
namespace {

bool Answered(const model::Page& p) { return p.error.empty() && p.status >= 200 && p.status < 300; }

// Skipped on purpose: robots.txt disallows it. (A robots.txt that could not
// be fetched at all is a failure: the host did not answer.)
using model::SkippedByRobots;

// A page that was asked for and not seen (a wall, a failure); a redirect
// recorded on its own (a HAR's 3xx entry) is neither.
bool Unseen(const model::Page& p) {
  if (p.wall != model::Wall::kNone) return true;
  if (Answered(p) || SkippedByRobots(p)) return false;
  return !p.error.empty() || p.status == 0 || p.status >= 400;
}

std::string Cause(const model::Page& p) {
  if (p.wall != model::Wall::kNone) {
    if (!p.wall_detail.empty()) return p.wall_detail;
    return p.wall == model::Wall::kLogin ? core::Tr("login wall") : core::Tr("blocked");
  }
  if (!p.error.empty()) {
    // curl says "Couldn't resolve host name: Could not resolve host: x.org";
    // the crawler prefixes a robots.txt that got no answer. A person needs
    // the cause.
    static constexpr std::string_view kResolve = "Could not resolve host: ";
    if (auto at = p.error.find(kResolve); at != std::string::npos) {
      return core::Fill(core::Tr("could not resolve host {1}"), {p.error.substr(at + kResolve.size())});
    }
    static constexpr std::string_view kRobots = "robots.txt unreachable (RFC 9309 section 2.3.1.4): ";
    if (auto at = p.error.find(kRobots); at != std::string::npos) {
      return core::Fill(core::Tr("{1} (robots.txt unreachable)"), {p.error.substr(at + kRobots.size())});
    }
    return p.error;
  }
  if (p.status != 0) return "HTTP " + std::to_string(p.status);
  return core::Tr("no response");
}

// A target none of whose pages was fetched; its text in the reader's language.
std::string NotFetched() { return core::Tr("not fetched"); }

}  // namespace

std::vector<model::Coverage> ComputeCoverage(const std::vector<std::string>& targets,
                                             const std::vector<model::Page>& pages,
                                             const std::vector<std::string>& page_targets) {
  struct Bucket {
    std::vector<const model::Page*> own;
    std::vector<const model::Page*> others;
  };
  std::vector<Bucket> buckets(targets.size());
  std::map<std::string, std::size_t> by_url;
  std::map<std::string, std::size_t> by_site;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    by_url.emplace(core::NormalUrlOr(targets[i]), i);
    const std::string site = model::SiteOfUrl(targets[i]);
    if (!site.empty()) by_site.emplace(site, i);
  }
  const bool saved = !page_targets.empty();
  for (std::size_t k = 0; k < pages.size(); ++k) {
    const model::Page& p = pages[k];
    if (saved) {
      if (k >= page_targets.size()) break;
      auto it = by_url.find(core::NormalUrlOr(page_targets[k]));
      if (it != by_url.end()) buckets[it->second].own.push_back(&p);
      continue;
    }
    if (auto it = by_url.find(core::NormalUrlOr(p.url)); it != by_url.end()) {
      buckets[it->second].own.push_back(&p);
    } else if (auto s = by_site.find(model::SiteOfUrl(p.url)); s != by_site.end()) {
      buckets[s->second].others.push_back(&p);
    }
  }
  std::vector<model::Coverage> out;
  out.reserve(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const Bucket& b = buckets[i];
    model::Coverage c;
    c.target = targets[i];
    c.site = model::SiteOfUrl(targets[i]);
    if (c.site.empty()) {
      for (const model::Page* p : b.own) {
        c.site = model::SiteOfUrl(p->final_url.empty() ? p->url : p->final_url);
        if (!c.site.empty()) break;
      }
    }
    const model::Page* read = nullptr;
    const model::Page* wall = nullptr;
    const model::Page* failure = nullptr;
    std::size_t unseen = 0, robots = 0, all = 0;
    auto visit = [&](const model::Page* p, bool own) {
      ++all;
      if (Answered(*p) && p->wall == model::Wall::kNone) {
        if (own && !read) read = p;
        return;
      }
      if (SkippedByRobots(*p)) {
        ++robots;
        if (own && !failure) failure = p;
        return;
      }
      if (!Unseen(*p)) return;
      ++unseen;
      if (p->wall != model::Wall::kNone) {
        if (!wall) wall = p;
      } else if (!failure) {
        failure = p;
      }
    };
    for (const model::Page* p : b.own) visit(p, true);
    for (const model::Page* p : b.others) visit(p, false);
    if (!read) {
      if (wall) {
        c.seen = model::Seen::kWalled;
        c.detail = Cause(*wall);
      } else {
        c.seen = model::Seen::kFailed;
        c.detail = failure ? Cause(*failure) : b.own.empty() ? NotFetched() : Cause(*b.own.front());
      }
    } else if (unseen > 0) {
      c.seen = model::Seen::kPartial;
      const model::Page* first = wall ? wall : failure;
      const std::string counts =
          core::Fill(core::TrN("{1} of {2} page not seen", "{1} of {2} pages not seen", all),
                     {std::to_string(unseen), std::to_string(all)});
      c.detail = first ? core::Fill(core::Tr("{1}: {2}"), {counts, Cause(*first)}) : counts;
    } else {
      c.seen = model::Seen::kFull;
      if (robots > 0) {
        c.detail =
            core::Fill(core::TrN("{1} page skipped by robots.txt", "{1} pages skipped by robots.txt", robots),
                       {std::to_string(robots)});
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

void MarkInterrupted(std::vector<model::Coverage>* coverage) {
  for (model::Coverage& c : *coverage) {
    if (c.seen == model::Seen::kFull) {
      c.seen = model::Seen::kPartial;
      const std::string why = core::Tr("the scan was interrupted before all its pages were read");
      c.detail = c.detail.empty() ? why : core::Fill(core::Tr("{1}; {2}"), {why, c.detail});
    } else if (c.seen == model::Seen::kFailed && c.detail == NotFetched()) {
      c.detail = core::Tr("not fetched: the scan was interrupted");
    }
  }
}

}  // namespace telescreen::scan
