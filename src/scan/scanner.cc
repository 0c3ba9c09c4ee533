#include "scan/scanner.h"

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

#include "core/hash.h"
#include "core/i18n.h"
#include "core/memory.h"
#include "extract/extractor.h"
#include "scan/coverage.h"
#include "score/score.h"

namespace telescreen::scan {

Scanner::Scanner(const patterns::PatternSet& patterns, core::TimePoint now)
    : patterns_(patterns), now_(now), fix_texts_(patterns.RemediationTexts(core::CurrentLanguage())) {}

Scanner::Processed Scanner::Process(const std::string& key, const core::Url& url,
                                    std::string_view content_type, std::string_view body,
                                    model::Visibility visibility, std::string_view requested,
                                    bool follow_contacts) {
  extract::PageInput input{url, content_type, body, visibility, now_};
  extract::ExtractedPage page = extract::ExtractPage(input);
  const model::Dom* dom = page.dom ? &*page.dom : nullptr;
  const std::string final_url = url.ToString();
  Processed out;
  // A sign-in page or a block is a gap in what the scan saw, never the
  // person's content: nothing on it is kept.
  out.wall = patterns_.DetectWall({requested.empty() ? final_url : requested, final_url, 200, dom});
  if (out.wall.wall != model::Wall::kNone) return out;
  patterns_.Apply(patterns::PageView{url, visibility, dom, page.json ? body : std::string_view()},
                  &page.facts);
  // Other people's profiles are not the person's pages: a plain link to a
  // contact is not followed (links a pattern marked, e.g. "contacts", are).
  std::set<std::string> contact_urls;
  for (const auto& c : page.facts.contacts) {
    if (c.url.empty() || follow_contacts) continue;
    auto u = url.Resolve(c.url);
    if (u.ok()) contact_urls.insert(u.value().ToString());
  }
  for (auto& link : page.facts.links) {
    if (link.kind.empty() && !contact_urls.empty()) {
      auto u = core::Url::Parse(link.url);
      if (u.ok() && contact_urls.count(u.value().ToString())) continue;
    }
    out.links.push_back(link);
  }
  if (key != final_url) {
    // Saved files: the report names the file, not the placeholder base URL.
    auto relabel = [&](model::Evidence& e) {
      if (e.page_url == final_url || e.page_url.empty()) e.page_url = key;
    };
    for (auto& f : page.facts.identity) relabel(f.evidence);
    for (auto& c : page.facts.contacts)
      for (auto& e : c.evidence) relabel(e);
    for (auto& ev : page.facts.events)
      for (auto& e : ev.evidence) relabel(e);
  }
  facts_.Add(key, page.facts);
  return out;
}

void Scanner::NoteWall(const std::string& requested, patterns::WallVerdict wall) {
  if (wall.wall == model::Wall::kNone) return;
  std::lock_guard lock(walls_mu_);
  walls_[requested] = std::move(wall);
}

void Scanner::MarkWalls(std::vector<model::Page>* pages) {
  for (auto& p : *pages) {
    patterns::WallVerdict wall;
    if (auto it = walls_.find(p.url); it != walls_.end()) {
      wall = it->second;
    } else {
      wall = patterns_.DetectWall({p.url, p.final_url, p.status, nullptr});
    }
    p.wall = wall.wall;
    p.wall_detail = std::move(wall.detail);
  }
  walls_.clear();
}

model::ScanResult Scanner::Crawl(fetch::Fetcher& fetcher, const std::vector<core::Url>& start,
                                 const ScanOptions& options) {
  facts_.clear();
  walls_.clear();
  fetch::CrawlOptions crawl = options.crawl;
  crawl.handler_threads = options.extract_threads;
  if (crawl.handler_threads == 0)
    crawl.handler_threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  std::mutex on_page_mu;
  auto handler = [&](const fetch::CrawledPage& crawled) -> std::vector<model::Link> {
    if (options.on_page) {
      std::lock_guard lock(on_page_mu);
      options.on_page(crawled);
    }
    // An error page is data about the page (kept in pages), not about the
    // person; Finish tells from its status whether it was a wall.
    if (crawled.page.status < 200 || crawled.page.status >= 300) return {};
    const std::string& where = crawled.page.final_url.empty() ? crawled.page.url : crawled.page.final_url;
    auto url = core::Url::Parse(where);
    if (!url.ok()) return {};
    Processed done = Process(url.value().ToString(), url.value(), crawled.page.content_type, crawled.body,
                             crawled.page.visibility, crawled.page.url, options.follow_contacts);
    NoteWall(crawled.page.url, std::move(done.wall));
    return std::move(done.links);
  };
  std::vector<model::Page> pages;
  {
    // The crawler's frontier, seen set and robots cache go before the merge.
    fetch::Crawler crawler(fetcher, crawl);
    pages = crawler.Crawl(start, handler);
    interrupted_ = crawler.interrupted();
  }
  if (options.on_crawled) options.on_crawled();
  std::vector<std::string> targets;
  targets.reserve(start.size());
  for (const auto& u : start) targets.push_back(u.ToString());
  return Finish(std::move(targets), std::move(pages), {}, options.alongside_scoring);
}

model::ScanResult Scanner::FromPages(const std::vector<SavedPage>& saved,
                                     const std::vector<std::string>& targets) {
  facts_.clear();
  std::vector<model::Page> pages;
  std::vector<std::string> page_targets;
  for (const auto& s : saved) {
    page_targets.push_back(s.target.empty() ? s.label : s.target);
    // A redirect or an error answer in a HAR export is kept as a page: it
    // may be the sign-in page the browser was shown instead.
    const bool answered = s.status >= 200 && s.status < 300;
    if (answered) NoteWall(s.label, Process(s.label, s.url, s.content_type, s.body, s.visibility).wall);
    model::Page page;
    page.url = s.label;
    page.final_url = s.final_url.empty() ? s.url.ToString() : s.final_url;
    page.status = s.status;
    page.content_type = s.content_type;
    page.bytes = s.body.size();
    page.sha256 = core::Sha256Hex(s.body);
    page.visibility = s.visibility;
    page.captured_at = s.captured_at;
    pages.push_back(std::move(page));
  }
  return Finish(targets, std::move(pages), page_targets);
}

model::ScanResult Scanner::Finish(
    std::vector<std::string> targets, std::vector<model::Page> pages,
    const std::vector<std::string>& page_targets,
    const std::function<std::function<void()>(const model::ScanResult&)>& alongside_scoring) {
  model::ScanResult result;
  result.now = core::FormatIsoUtc(now_);
  result.targets = std::move(targets);
  MarkWalls(&pages);
  result.coverage = ComputeCoverage(result.targets, pages, page_targets);
  result.interrupted = interrupted_;
  if (interrupted_) MarkInterrupted(&result.coverage);
  interrupted_ = false;
  // Fetch order depends on timing; report pages in an order that does not.
  std::stable_sort(pages.begin(), pages.end(), [](const model::Page& a, const model::Page& b) {
    return std::tie(a.depth, a.url) < std::tie(b.depth, b.url);
  });
  result.pages = std::move(pages);
  MergeInput input{std::move(facts_), {}, now_};
  for (const auto& t : result.targets) {
    if (core::Url::Parse(t).ok()) input.own_profiles.push_back(t);
  }
  MergeFacts(input, &result);
  input.facts.clear();  // the merged result has it all; free it before scoring
  facts_.clear();
  // The facts lived mostly in the extraction threads' malloc arenas, which
  // scoring, on this thread, does not allocate from: give their pages back.
  core::ReleaseFreeMemory();
  std::function<void()> join = alongside_scoring ? alongside_scoring(result) : nullptr;
  score::ScoreScan(&result, now_, &fix_texts_);
  if (join) join();
  return result;
}

}  // namespace telescreen::scan
