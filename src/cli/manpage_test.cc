// The man page (docs/telescreen.1) must stay in step with --help: every
// command and every long option the command table registers is documented.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace telescreen::cli {
namespace {

std::string ManPage() {
  std::ifstream in(std::string(TELESCREEN_SOURCE_DIR) + "/docs/telescreen.1");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "--fail-on-new" as roff writes it: "\-\-fail\-on\-new".
std::string Roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '-') out += '\\';
    out += c;
  }
  return out;
}

void CheckOptions(const CLI::App& cmd, const std::string& page, const std::string& where) {
  for (const CLI::Option* opt : cmd.get_options()) {
    for (const std::string& name : opt->get_lnames()) {
      if (name == "help") continue;
      EXPECT_NE(page.find(Roff("--" + name)), std::string::npos)
          << where << ": --" << name << " is not in docs/telescreen.1";
    }
  }
  for (const CLI::App* sub : cmd.get_subcommands([](const CLI::App*) { return true; })) {
    EXPECT_NE(page.find(sub->get_name()), std::string::npos)
        << where << " " << sub->get_name() << " is not in docs/telescreen.1";
    CheckOptions(*sub, page, where + " " + sub->get_name());
  }
}

TEST(ManPageTest, DocumentsEveryCommandAndOption) {
  std::string page = ManPage();
  ASSERT_FALSE(page.empty());
  CLI::App app;
  Runner run;
  AddScanCommand(app, &run);
  AddExtractCommand(app, &run);
  AddDemoCommand(app, &run);
  AddPatternsCommand(app, &run);
  AddHistoryCommand(app, &run);
  AddDiffCommand(app, &run);
  AddAccountsCommand(app, &run);
  ASSERT_GE(app.get_subcommands([](const CLI::App*) { return true; }).size(), 7u);
  CheckOptions(app, page, "telescreen");
}

TEST(ManPageTest, DocumentsEveryExitCode) {
  std::string page = ManPage();
  for (int code : {kExitOk, kExitRuntime, kExitUsage, kExitAlert}) {
    EXPECT_NE(page.find(".B " + std::to_string(code) + "\n"), std::string::npos) << code;
  }
}

}  // namespace
}  // namespace telescreen::cli
