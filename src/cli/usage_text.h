// CLI11's own words in the reader's language: the fixed labels of --help
// ("Usage", "Options", ...) and the usage errors CLI11 builds in English.
#pragma once

#include <string>

namespace CLI {
class App;
class Error;
}  // namespace CLI

namespace telescreen::cli {

// Sets the help labels, the groups "Options" and "Subcommands", the texts
// of --help and --version and the usage-error message of `app` and of every
// subcommand below it, in the current language. Call it once the command
// table is built.
void TranslateHelp(CLI::App& app);

// A CLI11 usage error as one line in the current language:
// "usage error: <what is wrong>". In English, and for texts CLI11 words in
// ways we do not know, CLI11's own words follow the translated prefix.
std::string UsageErrorText(const CLI::Error& error);

}  // namespace telescreen::cli
