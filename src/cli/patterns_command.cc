// telescreen patterns list|check|test: inspect, validate and test the site
// pattern packs (built-in and the user's).
//
// Exit codes: list 0; check 0, or 2 if any pack has an error (bad JSON,
// unknown field, bad selector, bad RE2, failing text example) or a named
// file is missing, or if a remediation lacks a text in one of the
// languages Telescreen has (a warning, but counted: a pack should be
// complete before it ships); test 0, or 1 if any sample's facts differ from its
// expected JSON (the diff is printed) or a sample cannot be run.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/paths.h"
#include "core/file.h"
#include "core/i18n.h"
#include "core/resources.h"
#include "extract/extractor.h"
#include "fetch/charset.h"
#include "fetch/har.h"
#include "patterns/pack.h"
#include "patterns/pattern_set.h"
#include "patterns/samples.h"

namespace telescreen::cli {
namespace {

using core::Fill;
using core::Tr;

struct PatternsArgs {
  std::string user_dir;            // empty: the XDG default
  std::vector<std::string> files;  // check
  std::vector<std::string> sites;  // test
  bool verbose = false;
};

std::string UserDir(const PatternsArgs& args) {
  return args.user_dir.empty() ? UserPatternsDir() : args.user_dir;
}

void PrintPackErrors(const std::vector<patterns::PackError>& errors) {
  for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
}

int RunList(const PatternsArgs& args) {
  std::vector<patterns::PackError> errors;
  auto set = patterns::PatternSet::Load(UserDir(args), &errors);
  std::printf("%-12s %-40s %-8s %-11s %s\n", Tr("ID").c_str(), Tr("NAME").c_str(), Tr("VERSION").c_str(),
              Tr("CHECKED").c_str(), Tr("SOURCE").c_str());
  for (const auto& p : set.Packs()) {
    std::printf("%-12s %-40s %-8s %-11s %s\n", p.id.c_str(), p.name.c_str(), p.version.c_str(),
                p.checked.c_str(), p.source.c_str());
  }
  for (const auto& e : errors) PrintError(Fill(Tr("pack skipped: {1}"), {e.ToString()}));
  return kExitOk;
}

// One pack's text and the name its errors carry.
struct PackText {
  std::string file;
  std::string text;
};

int RunCheck(const PatternsArgs& args) {
  std::vector<PackText> packs;
  std::vector<patterns::PackError> errors;
  if (args.files.empty()) {
    for (const auto& path : patterns::BuiltinPackPaths()) {
      packs.push_back({path, std::string(*core::FindResource(path))});
    }
    for (const auto& path : patterns::UserPackPaths(UserDir(args))) packs.push_back({path, ""});
  } else {
    for (const auto& path : args.files) packs.push_back({path, ""});
  }
  std::size_t examples = 0;
  std::size_t untranslated = 0;  // warnings among `errors`
  for (auto& p : packs) {
    if (p.text.empty()) {
      auto text = core::ReadFile(p.file, patterns::kMaxPackBytes + 1);
      if (!text.ok()) {
        errors.push_back({p.file, 0, text.error().message});
        continue;
      }
      p.text = std::move(text).value();
    }
    auto pack = patterns::ParsePack(p.text, p.file, "check", &errors);
    if (!pack.ok()) continue;
    examples += patterns::CheckExamples(*pack.value(), p.text, &errors);
    untranslated += patterns::CheckTranslations(*pack.value(), p.text, &errors);
  }
  PrintPackErrors(errors);
  std::printf(
      "%s\n",
      Fill(Tr("{1} pack(s) checked, {2} text example(s) run, {3} error(s), {4} untranslated remediation(s)"),
           {std::to_string(packs.size()), std::to_string(examples),
            std::to_string(errors.size() - untranslated), std::to_string(untranslated)})
          .c_str());
  return errors.empty() ? kExitOk : kExitUsage;
}

// A real-page sample's file: a HAR export (each answered entry a page) or
// one saved page (HTML or JSON), converted to UTF-8.
core::Result<std::vector<patterns::SamplePage>> LoadRealPage(const std::string& path) {
  std::vector<patterns::SamplePage> pages;
  if (path.ends_with(".har")) {
    auto har = fetch::ReadHar(path);
    if (!har.ok()) return har.error();
    for (auto& entry : har.value()) {
      if (entry.page.status < 200 || entry.page.status >= 300) continue;
      pages.push_back({entry.page.url, entry.page.content_type, std::move(entry.body)});
    }
    return pages;
  }
  auto body = core::ReadFile(path);
  if (!body.ok()) return body.error();
  std::string type = path.ends_with(".json") ? "application/json" : "text/html";
  pages.push_back({"", type, fetch::ToUtf8(body.value(), type)});
  return pages;
}

int RunTest(const PatternsArgs& args) {
  std::vector<patterns::PackError> errors;
  auto set = patterns::PatternSet::Load(UserDir(args), &errors);
  for (const auto& e : errors) PrintError(Fill(Tr("pack skipped: {1}"), {e.ToString()}));
  patterns::SampleOptions options;
  options.sites = args.sites;
  options.user_dir = UserDir(args);
  if (const char* real = std::getenv("TELESCREEN_REAL_PAGES"); real && *real) options.real_pages_dir = real;
  options.load = LoadRealPage;
  auto parse = [](std::string_view html) { return extract::ParseHtml(html); };
  auto results = patterns::RunSamples(set, parse, options);
  int failed = 0, skipped = 0;
  for (const auto& r : results) {
    if (r.passed) {
      if (args.verbose) std::printf("PASS %-12s %s\n", r.site.c_str(), r.name.c_str());
      continue;
    }
    if (r.skipped) {
      ++skipped;
      if (args.verbose) std::printf("SKIP %-12s %s: %s\n", r.site.c_str(), r.name.c_str(), r.error.c_str());
      continue;
    }
    ++failed;
    if (!r.error.empty()) {
      std::printf("FAIL %-12s %s: %s\n", r.site.c_str(), r.name.c_str(), r.error.c_str());
    } else {
      std::printf("FAIL %-12s %s: %s\n%s", r.site.c_str(), r.name.c_str(),
                  Tr("facts differ (-expected +actual):").c_str(), r.diff.c_str());
    }
  }
  std::string summary =
      Fill(Tr("{1} sample(s), {2} failed, {3} skipped"),
           {std::to_string(results.size()), std::to_string(failed), std::to_string(skipped)});
  if (skipped > 0)
    summary += " " + Tr("(real pages: set TELESCREEN_REAL_PAGES to the folder that holds them)");
  std::printf("%s\n", summary.c_str());
  return failed == 0 && !results.empty() ? kExitOk : kExitRuntime;
}

}  // namespace

void AddPatternsCommand(CLI::App& app, Runner* run) {
  auto args = std::make_shared<PatternsArgs>();
  CLI::App* cmd = app.add_subcommand("patterns", Tr("List, validate and test the site pattern packs"));
  cmd->require_subcommand(1);
  cmd->add_option("--patterns-dir", args->user_dir,
                  Tr("User packs folder (default: $XDG_CONFIG_HOME/telescreen/patterns)"))
      ->option_text(Tr("DIR"));

  CLI::App* list = cmd->add_subcommand("list", Tr("Packs: id, name, version, date checked, source"));
  list->callback([args, run] { *run = [args] { return RunList(*args); }; });

  CLI::App* check = cmd->add_subcommand(
      "check", Tr("Validate packs (default: built-in and user packs) and run their text examples;\n"
                  "each error names file, line and rule; a remediation without a text in every\n"
                  "language Telescreen has (en, de) is a warning. Exit 2 on any error or warning."));
  check->add_option("FILE", args->files, Tr("Pack files to check"))->option_text(Tr("FILE..."));
  check->callback([args, run] { *run = [args] { return RunCheck(*args); }; });

  CLI::App* test = cmd->add_subcommand(
      "test", Tr("Run each pack on its sample pages (patterns/samples/<site>/) and diff the facts\n"
                 "against the expected JSON. Exit 1 on a mismatch."));
  test->add_option("SITE", args->sites, Tr("Pack ids (default: all with samples)"))
      ->option_text(Tr("SITE..."));
  test->add_flag("-v,--verbose", args->verbose, Tr("Also list passing samples"));
  test->callback([args, run] { *run = [args] { return RunTest(*args); }; });
}

}  // namespace telescreen::cli
