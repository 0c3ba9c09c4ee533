// The man pages (docs/telescreen.1 and its German translation
// docs/telescreen.de.1) must stay in step with --help: each documents every
// command and every option the command table registers, names no option or
// command the program does not have, and both name the same options.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace telescreen::cli {
namespace {

struct ManPage {
  const char* language;          // names the parameterised tests
  const char* path;              // relative to the source tree
  const char* commands_heading;  // the .SH heading of its list of commands
};

// So that a failing test names the page, not its bytes.
void PrintTo(const ManPage& page, std::ostream* os) { *os << page.path; }

constexpr ManPage kEnglish{"English", "docs/telescreen.1", "COMMANDS"};
constexpr ManPage kGerman{"German", "docs/telescreen.de.1", "BEFEHLE"};
constexpr ManPage kManPages[] = {kEnglish, kGerman};

std::string Read(const ManPage& page) {
  std::ifstream in(std::string(TELESCREEN_SOURCE_DIR) + "/" + page.path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The app as cli::Run builds it: the global options it registers beside the
// command table (--lang, --version), then every command.
void BuildApp(CLI::App& app, Runner* run) {
  app.set_version_flag("--version", "");
  app.add_option("--lang");
  AddScanCommand(app, run);
  AddExtractCommand(app, run);
  AddDemoCommand(app, run);
  AddPatternsCommand(app, run);
  AddHistoryCommand(app, run);
  AddDiffCommand(app, run);
  AddAccountsCommand(app, run);
}

std::vector<const CLI::App*> Subcommands(const CLI::App& cmd) {
  return cmd.get_subcommands([](const CLI::App*) { return true; });
}

// Every option name ("--fail-on-new", "-q") the app and its commands take,
// each with the first command that registers it, for the failure message.
void CollectOptions(const CLI::App& cmd, const std::string& where,
                    std::map<std::string, std::string>* names) {
  for (const CLI::Option* opt : cmd.get_options()) {
    for (const std::string& name : opt->get_lnames()) names->emplace("--" + name, where);
    for (const std::string& name : opt->get_snames()) names->emplace("-" + name, where);
  }
  for (const CLI::App* sub : Subcommands(cmd)) {
    CollectOptions(*sub, where + " " + sub->get_name(), names);
  }
}

// The commands a person runs: "scan", "patterns list" (a command with
// subcommands is only run through them).
void CollectCommands(const CLI::App& cmd, const std::string& prefix, std::set<std::string>* out) {
  for (const CLI::App* sub : Subcommands(cmd)) {
    const std::string path = prefix.empty() ? sub->get_name() : prefix + " " + sub->get_name();
    if (Subcommands(*sub).empty()) {
      out->insert(path);
    } else {
      CollectCommands(*sub, path, out);
    }
  }
}

// The option names a page mentions, as roff writes them: "\-\-fail\-on\-new"
// is --fail-on-new; "\-q" is -q when it stands alone ("\-q ", not "\->").
std::set<std::string> PageOptions(const std::string& page) {
  std::set<std::string> names;
  static const std::regex kLong(R"(\\-\\-([a-z0-9]+(?:\\-[a-z0-9]+)*))");
  for (std::sregex_iterator it(page.begin(), page.end(), kLong), end; it != end; ++it) {
    names.insert("--" + std::regex_replace((*it)[1].str(), std::regex(R"(\\-)"), "-"));
  }
  static const std::regex kShort(R"((?:^|[\s("])\\-([A-Za-z])(?=[\s",)]|$))");
  for (std::sregex_iterator it(page.begin(), page.end(), kShort), end; it != end; ++it) {
    names.insert("-" + (*it)[1].str());
  }
  return names;
}

// The commands the page's list of commands describes: the words before the
// first argument of each entry's tag (".BI \"patterns check \" ..." gives
// "patterns check").
std::set<std::string> PageCommands(const std::string& page, const std::string& heading) {
  std::set<std::string> commands;
  const std::size_t start = page.find("\n.SH " + heading + "\n");
  if (start == std::string::npos) return commands;
  const std::size_t end = page.find("\n.SH ", start + 1);
  std::istringstream section(page.substr(start, end - start));
  static const std::regex kTag(R"(^\.B[IR]? +"?((?:[a-z]+ ?)+))");
  std::string line;
  bool tag_next = false;
  while (std::getline(section, line)) {
    std::smatch m;
    if (tag_next && std::regex_search(line, m, kTag)) {
      std::string words = m[1].str();
      while (!words.empty() && words.back() == ' ') words.pop_back();
      commands.insert(words);
    }
    tag_next = line == ".TP";
  }
  return commands;
}

class ManPageTest : public testing::TestWithParam<ManPage> {
 protected:
  void SetUp() override {
    page_ = Read(GetParam());
    ASSERT_FALSE(page_.empty()) << GetParam().path;
    BuildApp(app_, &run_);
    ASSERT_GE(Subcommands(app_).size(), 7u);
    CollectOptions(app_, "telescreen", &options_);
  }

  std::string page_;
  CLI::App app_;
  Runner run_;
  std::map<std::string, std::string> options_;  // name -> command that takes it
};

TEST_P(ManPageTest, DocumentsEveryOption) {
  const std::set<std::string> documented = PageOptions(page_);
  for (const auto& [name, where] : options_) {
    EXPECT_EQ(documented.count(name), 1u) << where << ": " << name << " is not in " << GetParam().path;
  }
}

TEST_P(ManPageTest, NamesNoOptionTheProgramLacks) {
  for (const std::string& name : PageOptions(page_)) {
    EXPECT_EQ(options_.count(name), 1u) << GetParam().path << " names " << name << ", which no command takes";
  }
}

TEST_P(ManPageTest, ListsExactlyTheCommands) {
  std::set<std::string> commands;
  CollectCommands(app_, "", &commands);
  ASSERT_GE(commands.size(), 9u);
  EXPECT_EQ(PageCommands(page_, GetParam().commands_heading), commands) << GetParam().path;
}

TEST_P(ManPageTest, DocumentsEveryExitCode) {
  for (int code : {kExitOk, kExitRuntime, kExitUsage, kExitAlert}) {
    EXPECT_NE(page_.find(".B " + std::to_string(code) + "\n"), std::string::npos)
        << GetParam().path << ": exit status " << code;
  }
}

INSTANTIATE_TEST_SUITE_P(Languages, ManPageTest, testing::ValuesIn(kManPages),
                         [](const testing::TestParamInfo<ManPage>& info) {
                           return std::string(info.param.language);
                         });

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : " ") + name;
  return out;
}

// The translation against the English page directly, so that a failure
// names what one page has and the other lacks.
TEST(ManPageTranslationTest, NamesTheSameOptionsAsTheEnglishPage) {
  const std::string english = Read(kEnglish);
  const std::string german = Read(kGerman);
  ASSERT_FALSE(english.empty());
  ASSERT_FALSE(german.empty());
  const std::set<std::string> in_english = PageOptions(english);
  const std::set<std::string> in_german = PageOptions(german);
  ASSERT_GE(in_english.size(), 30u);
  std::vector<std::string> only_english;
  std::vector<std::string> only_german;
  std::set_difference(in_english.begin(), in_english.end(), in_german.begin(), in_german.end(),
                      std::back_inserter(only_english));
  std::set_difference(in_german.begin(), in_german.end(), in_english.begin(), in_english.end(),
                      std::back_inserter(only_german));
  EXPECT_TRUE(only_english.empty()) << "only in " << kEnglish.path << ": " << Join(only_english);
  EXPECT_TRUE(only_german.empty()) << "only in " << kGerman.path << ": " << Join(only_german);
}

}  // namespace
}  // namespace telescreen::cli
