#include "cli/usage_text.h"

#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/i18n.h"

namespace telescreen::cli {
namespace {

using core::Fill;
using core::Tr;

// The words CLI11 uses for the usage errors we meet (CLI11 2.x, Error.hpp
// and Validators.hpp), reworded through the catalogue; "" when unknown.
std::string KnownError(std::string_view what) {
  constexpr std::string_view kOneExtra = "The following argument was not expected: ";
  constexpr std::string_view kExtras = "The following arguments were not expected: ";
  constexpr std::string_view kRequired = " is required";
  if (what.starts_with(kOneExtra)) {
    return Fill(Tr("this argument does not belong here: {1}"), {std::string(what.substr(kOneExtra.size()))});
  }
  if (what.starts_with(kExtras)) {
    return Fill(Tr("these arguments do not belong here: {1}"), {std::string(what.substr(kExtras.size()))});
  }
  if (what == "A subcommand is required") return Tr("a command is missing");
  if (what.ends_with(kRequired)) {
    return Fill(Tr("{1} is missing"), {std::string(what.substr(0, what.size() - kRequired.size()))});
  }
  // "--depth: Value 5000 not in range 0 to 1000"
  if (auto colon = what.find(": Value "); colon != std::string_view::npos) {
    std::string_view rest = what.substr(colon + 8);
    auto in_range = rest.find(" not in range ");
    auto to = rest.find(" to ", in_range == std::string_view::npos ? 0 : in_range);
    if (in_range != std::string_view::npos && to != std::string_view::npos) {
      return Fill(
          Tr("{1}: {2} is not between {3} and {4}"),
          {std::string(what.substr(0, colon)), std::string(rest.substr(0, in_range)),
           std::string(rest.substr(in_range + 14, to - in_range - 14)), std::string(rest.substr(to + 4))});
    }
  }
  // "--json: 1 required TEXT missing"
  if (auto colon = what.find(": 1 required ");
      colon != std::string_view::npos && what.ends_with(" missing")) {
    return Fill(Tr("{1} needs a value"), {std::string(what.substr(0, colon))});
  }
  // "The value abc is not an allowed value for --depth"
  constexpr std::string_view kValue = "The value ";
  constexpr std::string_view kNotAllowed = " is not an allowed value for ";
  if (auto mid = what.find(kNotAllowed); what.starts_with(kValue) && mid != std::string_view::npos) {
    return Fill(Tr("{1} is not a valid value for {2}"),
                {std::string(what.substr(kValue.size(), mid - kValue.size())),
                 std::string(what.substr(mid + kNotAllowed.size()))});
  }
  // "Could not convert: SCAN_A = abc"
  constexpr std::string_view kConvert = "Could not convert: ";
  if (auto eq = what.find(" = "); what.starts_with(kConvert) && eq != std::string_view::npos) {
    return Fill(
        Tr("{1} is not a valid value for {2}"),
        {std::string(what.substr(eq + 3)), std::string(what.substr(kConvert.size(), eq - kConvert.size()))});
  }
  // "--json: At Most 1 required but received 2"
  if (auto at = what.find(": At Most "); at != std::string_view::npos) {
    std::string_view rest = what.substr(at + 10);
    auto but = rest.find(" required but received ");
    if (but != std::string_view::npos) {
      return Fill(Tr("{1}: at most {2} value(s) allowed, {3} given"),
                  {std::string(what.substr(0, at)), std::string(rest.substr(0, but)),
                   std::string(rest.substr(but + 23))});
    }
  }
  return "";  // CLI11's words follow the translated prefix
}

std::string FailureMessage(const CLI::App* app, const CLI::Error& error) {
  std::string out = "telescreen: " + UsageErrorText(error) + "\n";
  if (app->get_help_ptr() != nullptr) {
    out += Fill(Tr("Run with {1} for more information."), {app->get_help_ptr()->get_name()}) + "\n";
  }
  return out;
}

void TranslateApp(CLI::App* app, const std::string& options, const std::string& commands) {
  for (CLI::Option* opt : app->get_options([](const CLI::Option*) { return true; })) {
    if (opt->get_group() == "Options") opt->group(options);
  }
  if (CLI::Option* help = app->get_help_ptr(); help != nullptr) {
    help->description(Tr("Print this help message and exit"));
  }
  app->failure_message(FailureMessage);
  for (CLI::App* sub : app->get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_group() == "Subcommands") sub->group(commands);
    TranslateApp(sub, options, commands);
  }
}

}  // namespace

void TranslateHelp(CLI::App& app) {
  const auto& formatter = app.get_formatter();
  // The formatter is shared with every subcommand.
  for (const char* label :
       {core::NoopTr("Usage"), core::NoopTr("OPTIONS"), core::NoopTr("SUBCOMMAND"),
        core::NoopTr("SUBCOMMANDS"), core::NoopTr("Positionals"), core::NoopTr("REQUIRED")}) {
    formatter->label(label, core::TrText(label));
  }
  if (CLI::Option* version = app.get_option_no_throw("--version"); version != nullptr) {
    version->description(Tr("Display program version information and exit"));
  }
  TranslateApp(&app, Tr("Options"), Tr("Subcommands"));
}

std::string UsageErrorText(const CLI::Error& error) {
  const std::string what = error.what();
  // English keeps CLI11's own words, which the man page and scripts know.
  const std::string known = core::CurrentLanguage() == core::Language::kEnglish ? "" : KnownError(what);
  return Fill(Tr("usage error: {1}"), {known.empty() ? what : known});
}

}  // namespace telescreen::cli
