#include "patterns/samples.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/file.h"
#include "core/hash.h"
#include "core/resources.h"
#include "core/url.h"

namespace telescreen::patterns {
namespace {

using nlohmann::json;

const char* VisibilityName(model::Visibility v) {
  return v == model::Visibility::kPublic ? "public" : "members";
}

std::string Via(const std::vector<model::Evidence>& ev) { return ev.empty() ? "" : ev.front().via.str(); }

std::vector<std::string> SplitLines(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t nl = s.find('\n', i);
    if (nl == std::string_view::npos) nl = s.size();
    out.emplace_back(s.substr(i, nl - i));
    i = nl + 1;
  }
  if (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

// One sample: its HTML and expected JSON, from resources or a directory.
// A real-page sample has no HTML of its own: its JSON names the real page.
struct Sample {
  std::string site;
  std::string html_name;
  std::string html;
  std::string json_name;
  std::optional<std::string> json;
  bool real = false;
};

void AddBuiltinSamples(const std::string& site, std::vector<Sample>* out) {
  std::string prefix = "patterns/samples/" + site + "/";
  for (const auto& path : core::ListResources(prefix)) {
    if (path.rfind(prefix + "real/", 0) == 0 && path.ends_with(".json")) {
      out->push_back(Sample{site, path, "", path, std::string(*core::FindResource(path)), true});
      continue;
    }
    if (path.size() < 5 || path.substr(path.size() - 5) != ".html") continue;
    Sample s{
        site, path, std::string(*core::FindResource(path)), path.substr(0, path.size() - 5) + ".json", {}};
    if (auto j = core::FindResource(s.json_name)) s.json = std::string(*j);
    out->push_back(std::move(s));
  }
}

// The files in `folder` with extension `ext`, sorted, at most 200.
std::vector<std::filesystem::path> FilesIn(const std::filesystem::path& folder, const char* ext) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) return files;
  for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ext) files.push_back(it->path());
    if (files.size() >= 200) break;
  }
  std::sort(files.begin(), files.end());
  return files;
}

void AddUserSamples(const std::string& dir, const std::string& site, std::vector<Sample>* out) {
  if (dir.empty()) return;
  std::filesystem::path folder = std::filesystem::path(dir) / "samples" / site;
  for (const auto& f : FilesIn(folder, ".html")) {
    Sample s{site, f.string(), "", std::filesystem::path(f).replace_extension(".json").string(), {}, false};
    auto html = core::ReadFile(s.html_name, std::size_t{8} << 20);
    if (!html.ok()) continue;
    s.html = std::move(html).value();
    if (auto j = core::ReadFile(s.json_name, std::size_t{8} << 20); j.ok()) s.json = std::move(j).value();
    out->push_back(std::move(s));
  }
  for (const auto& f : FilesIn(folder / "real", ".json")) {
    Sample s{site, f.string(), "", f.string(), {}, true};
    if (auto j = core::ReadFile(s.json_name, std::size_t{8} << 20); j.ok()) s.json = std::move(j).value();
    out->push_back(std::move(s));
  }
}

// What a real-page sample expects: how many facts of each kind, and the
// SHA-256 of their JSON (FactsToJson).
json FactsDigest(const model::PageFacts& facts, const std::string& facts_json) {
  return json{{"identity", facts.identity.size()},
              {"contacts", facts.contacts.size()},
              {"events", facts.events.size()},
              {"links", facts.links.size()},
              {"sha256", core::Sha256Hex(facts_json)}};
}

// The sample's JSON, checked: an object with "url" and "expected".
std::optional<json> ReadSpec(const Sample& s, SampleResult* r) {
  if (!s.json) {
    r->error = s.json_name + ": missing (each sample needs its expected JSON)";
    return std::nullopt;
  }
  json spec = json::parse(*s.json, nullptr, /*allow_exceptions=*/false);
  if (spec.is_discarded()) {
    r->error = s.json_name + ": invalid JSON";
    return std::nullopt;
  }
  if (!spec.is_object() || !spec.contains("url") || !spec["url"].is_string() || !spec.contains("expected")) {
    r->error = s.json_name + ": needs \"url\" (string) and \"expected\" (facts)";
    return std::nullopt;
  }
  if (s.real && (!spec.contains("real_page") || !spec["real_page"].is_string())) {
    r->error = s.json_name + ": a real-page sample needs \"real_page\" (a path in TELESCREEN_REAL_PAGES)";
    return std::nullopt;
  }
  return spec;
}

bool LooksLikeJson(const SamplePage& page) {
  if (page.content_type.find("json") != std::string::npos) return true;
  std::size_t i = page.body.find_first_not_of(" \t\r\n");
  return page.content_type.empty() && i != std::string::npos && (page.body[i] == '{' || page.body[i] == '[');
}

// Applies the pack to each page of the sample, in order, into one set of facts.
std::optional<std::string> ApplyToPages(const PatternSet& set, const HtmlParser& parse, const Sample& s,
                                        const json& spec, const std::vector<SamplePage>& pages,
                                        model::PageFacts* facts) {
  model::Visibility vis = spec.value("page_visibility", std::string("public")) == "members"
                              ? model::Visibility::kMembersOnly
                              : model::Visibility::kPublic;
  for (const auto& page : pages) {
    auto url = core::Url::Parse(page.url.empty() ? spec["url"].get<std::string>() : page.url);
    if (!url.ok()) return s.json_name + ": " + url.error().message;
    std::optional<model::Dom> dom;
    bool is_json = LooksLikeJson(page);
    if (!is_json) dom = parse(page.body);
    PageView view{url.value(), vis, dom ? &*dom : nullptr, is_json ? std::string_view(page.body) : ""};
    if (!set.ApplyPack(s.site, view, facts)) return "no pack with id '" + s.site + "'";
  }
  return std::nullopt;
}

SampleResult RunOne(const PatternSet& set, const HtmlParser& parse, const Sample& s,
                    const SampleOptions& options) {
  SampleResult r{s.site, s.html_name, false, false, "", ""};
  auto spec = ReadSpec(s, &r);
  if (!spec) return r;
  std::vector<SamplePage> pages;
  if (!s.real) {
    pages.push_back(SamplePage{"", "text/html", s.html});
  } else if (options.real_pages_dir.empty() || !options.load) {
    r.skipped = true;
    r.error = "skipped: TELESCREEN_REAL_PAGES is not set";
    return r;
  } else {
    auto loaded = options.load(options.real_pages_dir + "/" + (*spec)["real_page"].get<std::string>());
    if (!loaded.ok()) {
      r.error = s.json_name + ": " + loaded.error().message;
      return r;
    }
    pages = std::move(loaded).value();
  }
  model::PageFacts facts;
  if (auto error = ApplyToPages(set, parse, s, *spec, pages, &facts)) {
    r.error = *error;
    return r;
  }
  std::string actual = FactsToJson(facts);
  if (s.real) {
    // Real people's facts stay out of the repository: the sample holds their
    // digest and counts, and a mismatch shows the facts on the terminal only.
    json digest = FactsDigest(facts, actual);
    r.passed = digest == (*spec)["expected"];
    if (!r.passed)
      r.diff = LineDiff((*spec)["expected"].dump(2), digest.dump(2), 3) + "facts now:\n" + actual + "\n";
    return r;
  }
  std::string expected = (*spec)["expected"].dump(2);
  r.passed = json::parse(actual) == (*spec)["expected"];
  if (!r.passed) r.diff = LineDiff(expected, actual, 3);
  return r;
}

}  // namespace

std::string FactsToJson(const model::PageFacts& facts) {
  json out = json::object();
  out["identity"] = json::array();
  for (const auto& f : facts.identity) {
    out["identity"].push_back({{"kind", f.kind},
                               {"value", f.value},
                               {"via", f.evidence.via},
                               {"visibility", VisibilityName(f.evidence.visibility)}});
  }
  out["contacts"] = json::array();
  for (const auto& c : facts.contacts) {
    out["contacts"].push_back(
        {{"name", c.name}, {"url", c.url}, {"relation", c.relation}, {"via", Via(c.evidence)}});
  }
  out["events"] = json::array();
  for (const auto& e : facts.events) {
    json event = {{"name", e.name}, {"start", e.start}, {"end", e.end},          {"location", e.location},
                  {"url", e.url},   {"role", e.role},   {"via", Via(e.evidence)}};
    // Only when there are some, so that samples of events without them
    // need not say so.
    if (!e.attendees.empty()) {
      json people = json::array();
      for (const auto& a : e.attendees) people.push_back(a.name);
      event["attendees"] = std::move(people);
    }
    out["events"].push_back(std::move(event));
  }
  out["links"] = json::array();
  for (const auto& l : facts.links) out["links"].push_back({{"url", l.url}, {"kind", l.kind}});
  return out.dump(2);
}

std::string LineDiff(std::string_view a, std::string_view b, int context) {
  auto x = SplitLines(a);
  auto y = SplitLines(b);
  std::vector<std::pair<char, std::string>> ops;
  if (x.size() > 2000 || y.size() > 2000) {
    for (std::size_t i = 0; i < std::max(x.size(), y.size()); ++i) {
      if (i < x.size() && i < y.size() && x[i] == y[i]) {
        ops.emplace_back(' ', x[i]);
        continue;
      }
      if (i < x.size()) ops.emplace_back('-', x[i]);
      if (i < y.size()) ops.emplace_back('+', y[i]);
    }
  } else {
    // lcs[i][j]: length of the LCS of x[i..] and y[j..].
    std::vector<std::vector<int>> lcs(x.size() + 1, std::vector<int>(y.size() + 1, 0));
    for (std::size_t i = x.size(); i-- > 0;) {
      for (std::size_t j = y.size(); j-- > 0;) {
        lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    std::size_t i = 0, j = 0;
    while (i < x.size() || j < y.size()) {
      if (i < x.size() && j < y.size() && x[i] == y[j]) {
        ops.emplace_back(' ', x[i++]);
        ++j;
      } else if (i < x.size() && (j == y.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
        ops.emplace_back('-', x[i++]);
      } else {
        ops.emplace_back('+', y[j++]);
      }
    }
  }
  // Keep common lines within `context` of a change.
  std::vector<bool> keep(ops.size(), context < 0);
  for (std::size_t k = 0; k < ops.size() && context >= 0; ++k) {
    if (ops[k].first == ' ') continue;
    std::size_t from = k >= static_cast<std::size_t>(context) ? k - static_cast<std::size_t>(context) : 0;
    std::size_t to = std::min(ops.size(), k + static_cast<std::size_t>(context) + 1);
    for (std::size_t m = from; m < to; ++m) keep[m] = true;
  }
  std::string out;
  bool elided = false;
  for (std::size_t k = 0; k < ops.size(); ++k) {
    if (!keep[k]) {
      if (!elided) out += "...\n";
      elided = true;
      continue;
    }
    elided = false;
    out += ops[k].first + ops[k].second + "\n";
  }
  return out;
}

std::vector<SampleResult> RunSamples(const PatternSet& set, const HtmlParser& parse,
                                     const SampleOptions& options) {
  std::vector<std::string> sites = options.sites;
  bool all = sites.empty();
  if (all) {
    for (const auto& p : set.Packs()) sites.push_back(p.id);
  }
  std::vector<SampleResult> results;
  for (const auto& site : sites) {
    std::vector<Sample> samples;
    AddBuiltinSamples(site, &samples);
    AddUserSamples(options.user_dir, site, &samples);
    if (samples.empty()) {
      if (!all) results.push_back({site, "", false, false, "", "no samples for '" + site + "'"});
      continue;
    }
    for (const auto& s : samples) results.push_back(RunOne(set, parse, s, options));
  }
  return results;
}

}  // namespace telescreen::patterns
