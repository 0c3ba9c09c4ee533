// The command table and the one top-level catch.
#include <curl/curl.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/usage_text.h"
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

// The end of the top-level --help: exit codes and where the docs are.
std::string Footer() {
  return core::Tr(
      "Exit codes:\n"
      "  0  success\n"
      "  1  runtime error (none of the targets could be seen, each named on stderr\n"
      "     with its cause; an accounts check where no site could be checked;\n"
      "     disk full; a pattern test failed; accounts --check-sites found rules\n"
      "     that no longer detect)\n"
      "  2  usage error (unknown option, malformed or non-http(s) URL, missing file,\n"
      "     invalid pattern pack or config file)\n"
      "  3  exposure alert (--fail-above or --fail-on-new tripped)\n"
      "  130, 143  a scan or accounts check stopped by Ctrl-C (SIGINT) or SIGTERM:\n"
      "     the reports asked for are written from what was read, marked\n"
      "     interrupted; nothing goes into the history. A second Ctrl-C quits at once.\n"
      "\n"
      "Run 'telescreen COMMAND --help' for a command's options. Docs: docs/ in the\n"
      "source tree and 'man telescreen'.");
}

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
        return core::MakeError(
            core::ErrorCode::kInvalidArgument,
            core::Fill(core::Tr("--lang needs a language ({1})"), {core::LanguageCodes()}));
      }
      return WithLangContext(core::ParseLanguage(argv[i + 1]));
    }
    if (arg.substr(0, 7) == "--lang=") return WithLangContext(core::ParseLanguage(arg.substr(7)));
    if (arg.empty() || arg[0] != '-') break;  // the command: its own options follow
  }
  return core::LanguageFromEnvironment();
}

// The index of the command word: the first argument that is neither an
// option nor the value of --lang; argc when there is none.
int CommandWord(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--lang") {
      ++i;
      continue;
    }
    if (arg.empty() || arg[0] != '-') return i;
  }
  return argc;
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
};

int Run(int argc, char** argv) {
  CurlGlobal curl;  // once, before any thread exists (curl's libcurl-thread doc)
  // The locale's language first, so that an unusable --lang is reported in it.
  core::UseLanguage(core::LanguageFromEnvironment());  // before any thread: it changes LC_MESSAGES
  auto lang = ChooseLanguage(argc, argv);
  if (!lang.ok()) {
    std::fprintf(stderr, "telescreen: %s\n", lang.error().message.c_str());
    return kExitUsage;
  }
  if (lang.value() != core::CurrentLanguage()) core::UseLanguage(lang.value());
  CLI::App app{core::Tr("telescreen: shows what a watcher learns about you from your public profiles:\n"
                        "whom you know, where you were, where you will be."),
               "telescreen"};
  app.set_version_flag("--version", std::string("telescreen ") + TELESCREEN_VERSION);
  app.footer(Footer());
  std::string lang_code;  // already applied by ChooseLanguage; declared so that CLI11 accepts it
  app.add_option("--lang", lang_code,
                 core::Fill(core::Tr("Language of the reports, help and messages: {1} (default: from LC_ALL, "
                                     "LC_MESSAGES, LANG; else en)"),
                            {core::LanguageCodes()}))
      ->type_name("CODE");
  app.require_subcommand(1);
  app.fallthrough(false);
  Runner run;
  for (const auto& c : kCommands) c.add(app, &run);
  TranslateHelp(app);
  auto is_command = [&app](const std::string& word) {
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      if (sub->get_name() == word) return true;
    }
    return false;
  };
  const int word = CommandWord(argc, argv);
  if (word < argc && !is_command(argv[word])) {
    const std::string text = core::Fill(
        core::Tr("unknown command '{1}'\nRun 'telescreen --help' for the commands."), {argv[word]});
    std::fprintf(stderr, "telescreen: %s\n", text.c_str());
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
    std::fprintf(stderr, "telescreen: %s\n", core::Fill(core::Tr("internal error: {1}"), {e.what()}).c_str());
  } catch (...) {
    std::fprintf(stderr, "telescreen: %s\n", core::Tr("internal error").c_str());
  }
  return kExitRuntime;
}

}  // namespace telescreen::cli
