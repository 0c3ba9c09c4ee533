// The command table: each subcommand registers its options on the CLI11 app
// and sets the function that runs it. cli/ is the only code that prints.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace telescreen::cli {

// Exit codes, documented in --help and the man page.
enum ExitCode : int {
  kExitOk = 0,       // success
  kExitRuntime = 1,  // runtime error (network down, disk full, a test mismatch)
  kExitUsage = 2,    // usage error: bad option, malformed URL, missing file, bad pack
  kExitAlert = 3,    // exposure alert: --fail-above / --fail-on-new tripped
};

// What a registered subcommand runs; returns an ExitCode.
using Runner = std::function<int()>;

// Each adds one subcommand to `app`; when it is chosen, its parse callback
// stores the function to run in *run. `run` outlives the app's parse.
void AddScanCommand(CLI::App& app, Runner* run);      // cli/scan_command.cc
void AddExtractCommand(CLI::App& app, Runner* run);   // cli/scan_command.cc
void AddDemoCommand(CLI::App& app, Runner* run);      // cli/demo_command.cc
void AddPatternsCommand(CLI::App& app, Runner* run);  // cli/patterns_command.cc
void AddHistoryCommand(CLI::App& app, Runner* run);   // cli/history_command.cc
void AddDiffCommand(CLI::App& app, Runner* run);      // cli/history_command.cc
void AddAccountsCommand(CLI::App& app, Runner* run);  // cli/accounts_command.cc

// Entry point: parses argv, runs the command, maps anything unexpected to a
// clear message and kExitRuntime. main() is one line calling it.
int Main(int argc, char** argv);

}  // namespace telescreen::cli
