// Sample pages: each pack has HTML samples in patterns/samples/<site>/
// (<name>.html beside <name>.json holding the page URL and the facts the
// pack must produce). RunSamples applies the pack and diffs the result, so
// a site's markup change shows up as a failing sample, offline.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/dom.h"
#include "model/facts.h"
#include "patterns/pattern_set.h"

namespace telescreen::patterns {

// Turns HTML into a Dom. The CLI passes extract::ParseHtml; tests may pass
// a simpler reader (patterns must not depend on the extractor).
using HtmlParser = std::function<model::Dom(std::string_view html)>;

struct SampleResult {
  std::string site;     // pack id
  std::string name;     // "patterns/samples/xing/profile.html"
  bool passed = false;
  std::string diff;     // on mismatch: "-expected\n+actual" lines
  std::string error;    // could not run: missing JSON, bad URL, no such pack
};

struct SampleOptions {
  std::vector<std::string> sites;  // pack ids; empty = every pack that has samples
  std::string user_dir;            // also reads <user_dir>/samples/<site>/; "" = none
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
