// Sample pages: each pack has HTML samples in patterns/samples/<site>/
// (<name>.html beside <name>.json holding the page URL and the facts the
// pack must produce). RunSamples applies the pack and diffs the result, so
// a site's markup change shows up as a failing sample, offline.
//
// Real-page samples (patterns/samples/<site>/real/<name>.json) name a real
// saved page or HAR export that is not in the repository ("real_page":
// "cases/07-xing-profile.html", relative to SampleOptions::real_pages_dir,
// the TELESCREEN_REAL_PAGES folder); without that folder they are skipped.
// They are real people's pages: their "expected" holds only the number of
// facts of each kind and the SHA-256 of the facts' JSON, never the facts.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/dom.h"
#include "model/facts.h"
#include "patterns/pattern_set.h"

namespace telescreen::patterns {

// Turns HTML into a Dom. The CLI passes extract::ParseHtml; tests may pass
// a simpler reader (patterns must not depend on the extractor).
using HtmlParser = std::function<model::Dom(std::string_view html)>;

// One page of a real-page sample: a saved HTML file, or one HAR entry.
struct SamplePage {
  std::string url;           // the entry's URL; "" = the sample's "url"
  std::string content_type;  // "" = sniff
  std::string body;          // UTF-8
};

// Reads a real page file (HTML, JSON or HAR) into its pages. The CLI passes
// one that knows HAR (fetch) and charsets; patterns must not depend on fetch.
using PageLoader = std::function<core::Result<std::vector<SamplePage>>(const std::string& path)>;

struct SampleResult {
  std::string site;  // pack id
  std::string name;  // "patterns/samples/xing/profile.html"
  bool passed = false;
  bool skipped = false;  // a real-page sample without TELESCREEN_REAL_PAGES: neither passed nor failed
  std::string diff;      // on mismatch: "-expected\n+actual" lines
  std::string error;     // could not run: missing JSON, bad URL, no such pack
};

struct SampleOptions {
  std::vector<std::string> sites;  // pack ids; empty = every pack that has samples
  std::string user_dir;            // also reads <user_dir>/samples/<site>/; "" = none
  std::string real_pages_dir;      // where real-page samples' files are; "" = skip them
  PageLoader load;                 // reads a real page; empty = skip real-page samples
};

// Runs the samples. A site named in options.sites without samples is an
// error result. Never throws.
std::vector<SampleResult> RunSamples(const PatternSet& set, const HtmlParser& parse,
                                     const SampleOptions& options);

// The facts as stable, pretty-printed JSON (2-space indent): identity,
// contacts, events, links; each item with the rule it came from ("via").
std::string FactsToJson(const model::PageFacts& facts);

// A line diff of two texts (longest common subsequence; lines prefixed
// "-" (only in a), "+" (only in b), " " (both)). With context >= 0, runs of
// common lines further than `context` lines from a change are replaced by
// one "..." line. Inputs beyond 2,000 lines are compared line by line.
std::string LineDiff(std::string_view a, std::string_view b, int context = -1);

}  // namespace telescreen::patterns
