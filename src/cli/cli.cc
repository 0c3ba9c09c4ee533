// The command table and the one top-level catch.
#include <curl/curl.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string_view>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "core/i18n.h"

namespace telescreen::cli {
namespace {

struct CommandEntry {
  void (*add)(CLI::App& app, Runner* run);
};

// Subcommands in the order --help lists them.
constexpr CommandEntry kCommands[] = {
    {AddScanCommand},     {AddAccountsCommand}, {AddExtractCommand}, {AddDemoCommand},
    {AddPatternsCommand}, {AddHistoryCommand},  {AddDiffCommand},
};

constexpr const char* kFooter = R"(Exit codes:
  0  success
  1  runtime error (none of the targets could be seen, each named on stderr
     with its cause; an accounts check where no site could be checked;
     disk full; a pattern test failed; accounts --check-sites found rules
     that no longer detect)
  2  usage error (unknown option, malformed or non-http(s) URL, missing file,
     invalid pattern pack or config file)
  3  exposure alert (--fail-above or --fail-on-new tripped)
  130, 143  a scan or accounts check stopped by Ctrl-C (SIGINT) or SIGTERM:
     the reports asked for are written from what was read, marked
     interrupted; nothing goes into the history. A second Ctrl-C quits at once.

Run 'telescreen COMMAND --help' for a command's options. Docs: docs/ in the
source tree and 'man telescreen'.)";

core::Result<core::Language> WithLangContext(core::Result<core::Language> r) {
  if (!r.ok()) return r.error().WithContext("--lang");
  return r;
}

// The language from `--lang CODE` or `--lang=CODE` before the command word,
// else from the locale. Read before the command table is built, so that
// every text after it is in that language. An unknown code is an error.
core::Result<core::Language> ChooseLanguage(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--lang") {
      if (i + 1 >= argc) {
        return core::MakeError(core::ErrorCode::kInvalidArgument,
                               "--lang needs a language (" + core::LanguageCodes() + ")");
      }
      return WithLangContext(core::ParseLanguage(argv[i + 1]));
    }
    if (arg.substr(0, 7) == "--lang=") return WithLangContext(core::ParseLanguage(arg.substr(7)));
    if (arg.empty() || arg[0] != '-') break;  // the command: its own options follow
  }
  return core::LanguageFromEnvironment();
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
};

int Run(int argc, char** argv) {
  CurlGlobal curl;  // once, before any thread exists (curl's libcurl-thread doc)
  auto lang = ChooseLanguage(argc, argv);
  if (!lang.ok()) {
    std::fprintf(stderr, "telescreen: %s\n", lang.error().message.c_str());
    return kExitUsage;
  }
  core::UseLanguage(lang.value());  // before any thread, as it changes LC_MESSAGES
  CLI::App app{
      "telescreen: shows what a watcher learns about you from your public profiles:\n"
      "whom you know, where you were, where you will be.",
      "telescreen"};
  app.set_version_flag("--version", std::string("telescreen ") + TELESCREEN_VERSION);
  app.footer(kFooter);
  std::string lang_code;  // already applied by ChooseLanguage; declared so that CLI11 accepts it
  app.add_option("--lang", lang_code,
                 "Language of the terminal summary: " + core::LanguageCodes() +
                     " (default: from LC_ALL, LC_MESSAGES, LANG; else en)")
      ->type_name("CODE");
  app.require_subcommand(1);
  app.fallthrough(false);
  Runner run;
  for (const auto& c : kCommands) c.add(app, &run);
  auto is_command = [&app](const std::string& word) {
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      if (sub->get_name() == word) return true;
    }
    return false;
  };
  if (argc > 1 && argv[1][0] != '-' && !is_command(argv[1])) {
    std::fprintf(stderr, "telescreen: unknown command '%s'\nRun 'telescreen --help' for the commands.\n",
                 argv[1]);
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints the message and usage to stderr
    return kExitUsage;
  }
  return run ? run() : kExitUsage;
}

}  // namespace

int Main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "telescreen: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "telescreen: internal error\n");
  }
  return kExitRuntime;
}

}  // namespace telescreen::cli
