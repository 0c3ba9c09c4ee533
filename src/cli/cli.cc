// The command table and the one top-level catch.
#include <curl/curl.h>

#include <cstdio>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace telescreen::cli {
namespace {

struct CommandEntry {
  void (*add)(CLI::App& app, Runner* run);
};

// Subcommands in the order --help lists them.
constexpr CommandEntry kCommands[] = {
    {AddScanCommand},    {AddAccountsCommand}, {AddExtractCommand}, {AddDemoCommand},
    {AddPatternsCommand}, {AddHistoryCommand}, {AddDiffCommand},
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

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
};

int Run(int argc, char** argv) {
  CurlGlobal curl;  // once, before any thread exists (curl's libcurl-thread doc)
  CLI::App app{"telescreen: shows what a watcher learns about you from your public profiles:\n"
               "whom you know, where you were, where you will be.",
               "telescreen"};
  app.set_version_flag("--version", std::string("telescreen ") + TELESCREEN_VERSION);
  app.footer(kFooter);
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
    std::fprintf(stderr, "telescreen: unknown command '%s'\nRun 'telescreen --help' for the commands.\n", argv[1]);
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
