// Extraction throughput: single-thread ExtractPage against
// raw gumbo_parse + gumbo_destroy_output on the same bytes, and extruct
// (../shared/bench/peer-extruct.py) on the same files in the same run.
//
//   extract_bench --site DIR [--pages 300] --corpus DIR [--min-bytes 20000]
//                 [--reps 5] [--extruct PATH/peer-extruct.py]
//                 [--only-extract 1] [--profile PASSES]
//
// --only-extract 1 times one pass of ExtractPage alone (for its peak RSS);
// --profile N runs N passes of ExtractPage alone (for perf record).
//
// Prints one line per input set and method with MB/s of thread CPU time
// (best of --reps runs, methods interleaved so machine noise hits them
// alike) and the ratios. extruct's figure is its own wall-clock MB/s.
// Exit codes: 0 done, 2 usage error or no input files.
#include <gumbo.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "core/url.h"
#include "extract/extractor.h"

namespace {

namespace fs = std::filesystem;
using telescreen::extract::ExtractPage;
using telescreen::extract::PageInput;

struct Doc {
  fs::path path;
  std::string bytes;
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool IsHtml(const fs::path& p) {
  std::string ext = p.extension().string();
  return ext == ".html" || ext == ".htm" || ext == ".xhtml";
}

std::vector<Doc> ReadAll(const std::vector<fs::path>& paths) {
  std::vector<Doc> docs;
  docs.reserve(paths.size());
  for (const auto& p : paths) docs.push_back({p, ReadFile(p)});
  return docs;
}

std::vector<Doc> SitePages(const fs::path& dir, std::size_t pages) {
  std::vector<fs::path> paths;
  for (std::size_t i = 0; i < pages; ++i) {
    fs::path p = dir / "p" / (std::to_string(i) + ".html");
    if (fs::exists(p)) paths.push_back(p);
  }
  return ReadAll(paths);
}

std::vector<Doc> CorpusPages(const fs::path& dir, std::uintmax_t min_bytes) {
  std::vector<fs::path> paths;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && IsHtml(e.path()) && e.file_size() > min_bytes) paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  return ReadAll(paths);
}

std::size_t TotalBytes(const std::vector<Doc>& docs) {
  std::size_t n = 0;
  for (const auto& d : docs) n += d.bytes.size();
  return n;
}

// CPU seconds of this thread: on a shared, loaded machine wall time mostly
// measures the other processes.
double ThreadSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double WallSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Thread CPU seconds for one pass of `fn` over every document; the pass's
// wall-clock seconds go to `*wall`.
double Time(const std::vector<Doc>& docs, const std::function<std::size_t(const Doc&)>& fn, std::size_t& sink,
            double* wall = nullptr) {
  double w0 = WallSeconds();
  double t0 = ThreadSeconds();
  for (const auto& d : docs) sink += fn(d);
  double cpu = ThreadSeconds() - t0;
  if (wall) *wall = WallSeconds() - w0;
  return cpu;
}

std::size_t RawGumbo(const Doc& d) {
  GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, d.bytes.data(), d.bytes.size());
  std::size_t n = out->root->v.element.children.length;
  gumbo_destroy_output(&kGumboDefaultOptions, out);
  return n;
}

std::size_t ParseOnly(const Doc& d) { return telescreen::extract::ParseHtml(d.bytes).size(); }

std::size_t Extract(const Doc& d) {
  static const telescreen::core::Url base = telescreen::core::Url::Parse("http://127.0.0.1/").value();
  PageInput in;
  in.url = base;
  in.content_type = "text/html";
  in.body = d.bytes;
  auto page = ExtractPage(in);
  return page.facts.identity.size() + page.facts.contacts.size() + page.facts.events.size() +
         page.facts.links.size();
}

// Runs the peer script on the same files; returns its MB/s or -1.
double Extruct(const std::string& script, const std::vector<Doc>& docs) {
  if (script.empty()) return -1;
  std::string cmd = "/usr/bin/python3 '" + script + "'";
  for (const auto& d : docs) cmd += " '" + d.path.string() + "'";
  cmd += " 2>/dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return -1;
  char line[512] = {0};
  std::string out;
  while (fgets(line, sizeof line, pipe)) out += line;
  pclose(pipe);
  std::size_t at = out.find("MB/s ");
  return at == std::string::npos ? -1 : std::atof(out.c_str() + at + 5);
}

bool g_only_extract = false;  // --only-extract 1: skip gumbo (to see ExtractPage's own peak RSS)
int g_profile_passes = 0;     // --profile N: only N passes of ExtractPage (for perf record)

void Run(const std::string& label, const std::vector<Doc>& docs, int reps, const std::string& extruct) {
  const double mb = static_cast<double>(TotalBytes(docs)) / 1e6;
  std::size_t sink = 0;
  double best_gumbo = 1e30, best_extract = 1e30, best_parse = 1e30, best_wall = 1e30;
  Time(docs, Extract, sink);  // warm caches and allocator
  if (g_profile_passes > 0) {
    double cpu = 0;
    for (int r = 0; r < g_profile_passes; ++r) cpu += Time(docs, Extract, sink);
    std::printf("%s: ExtractPage %.3f s CPU a pass (%d passes)\n", label.c_str(), cpu / g_profile_passes,
                g_profile_passes);
    return;
  }
  if (g_only_extract) {
    std::printf("%s: ExtractPage %.3f s CPU a pass\n", label.c_str(), Time(docs, Extract, sink));
    return;
  }
  for (int r = 0; r < reps; ++r) {
    best_gumbo = std::min(best_gumbo, Time(docs, RawGumbo, sink));
    best_parse = std::min(best_parse, Time(docs, ParseOnly, sink));
    double wall = 0;
    best_extract = std::min(best_extract, Time(docs, Extract, sink, &wall));
    best_wall = std::min(best_wall, wall);
  }
  const double gumbo_mbs = mb / best_gumbo, extract_mbs = mb / best_extract;
  const double extruct_mbs = Extruct(extruct, docs);
  std::printf("%s: %zu pages, %.2f MB (checksum %zu)\n", label.c_str(), docs.size(), mb, sink % 1000);
  std::printf("  raw gumbo parse+destroy : %7.2f MB/s  (CPU time; %.3f s a pass)\n", gumbo_mbs, best_gumbo);
  std::printf("  telescreen ParseHtml    : %7.2f MB/s  (%.2fx raw gumbo; Dom only)\n", mb / best_parse,
              mb / best_parse / gumbo_mbs);
  std::printf("  telescreen ExtractPage  : %7.2f MB/s  (%.2fx raw gumbo; CPU time; %.3f s a pass)\n",
              extract_mbs, extract_mbs / gumbo_mbs, best_extract);
  std::printf("  telescreen ExtractPage  : %7.2f MB/s  wall clock, best pass\n", mb / best_wall);
  if (extruct_mbs > 0) {
    // peer-extruct.py reports wall-clock MB/s, so compare wall with wall.
    std::printf("  extruct (peer-extruct)  : %7.2f MB/s  wall clock (telescreen %.1fx extruct)\n",
                extruct_mbs, mb / best_wall / extruct_mbs);
  } else {
    std::printf("  extruct (peer-extruct)  : not run\n");
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::string site, corpus, extruct;
  std::size_t pages = 300;
  std::uintmax_t min_bytes = 20000;
  int reps = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--site")
      site = value;
    else if (flag == "--corpus")
      corpus = value;
    else if (flag == "--extruct")
      extruct = value;
    else if (flag == "--pages")
      pages = std::stoul(value);
    else if (flag == "--min-bytes")
      min_bytes = std::stoull(value);
    else if (flag == "--reps")
      reps = std::max(1, std::stoi(value));
    else if (flag == "--only-extract")
      g_only_extract = value == "1";
    else if (flag == "--profile")
      g_profile_passes = std::max(0, std::stoi(value));
    else {
      std::fprintf(stderr, "extract_bench: unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  bool ran = false;
  if (!site.empty()) {
    auto docs = SitePages(site, pages);
    if (!docs.empty()) {
      Run("synthetic (make-site.py)", docs, reps, extruct);
      ran = true;
    }
  }
  if (!corpus.empty()) {
    auto docs = CorpusPages(corpus, min_bytes);
    if (!docs.empty()) {
      Run("corpus HTML over " + std::to_string(min_bytes) + " bytes", docs, reps, extruct);
      ran = true;
    }
  }
  if (!ran) {
    std::fprintf(stderr,
                 "usage: extract_bench --site DIR [--pages N] --corpus DIR [--min-bytes N] "
                 "[--reps N] [--extruct peer-extruct.py]\n");
    return 2;
  }
  return 0;
}
