// End-to-end: the reader's language, chosen by --lang or the locale, on a
// machine with no German locale installed (stock Debian 12 has only C.UTF-8).
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/file.h"
#include "fetch/testing_util.h"
#include "tests/support/run_binary.h"

namespace telescreen {
namespace {

using testing::RunResult;
using testing::RunTelescreen;

// No locale in the environment: only --lang (or the variable a test sets) decides.
const std::vector<std::string> kNoLocale = {"LC_ALL=", "LC_MESSAGES=", "LANG="};

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The demo's terminal summary under `args` and `env`; the reports go to a
// fresh folder so runs never share files.
RunResult Demo(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  const std::string dir = testing::MakeTempDir("telescreen-i18n");
  std::vector<std::string> all = args;
  for (const char* a : {"demo", "--now", "2026-01-15T00:00:00Z", "--json", "d.json", "--html", "d.html"}) {
    all.emplace_back(a);
  }
  return RunTelescreen(all, dir, env);
}

// The summary with each loopback port (random per run) as "PORT" and runs
// of white space as one space, since a longer port wraps a line elsewhere.
std::string Comparable(const std::string& out) {
  std::string s;
  bool space = false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out.compare(i, 10, "127.0.0.1:") == 0) {
      s += "127.0.0.1:PORT";
      for (i += 10; i < out.size() && out[i] >= '0' && out[i] <= '9';) ++i;
      --i;
      space = false;
      continue;
    }
    const bool ws = out[i] == ' ' || out[i] == '\n';
    if (ws && space) continue;
    s += ws ? ' ' : out[i];
    space = ws;
  }
  return s;
}

// Sentences and headings of the English summary, none of which may be left
// in the German one.
constexpr const char* kEnglish[] = {"exposure report for",
                                    "Reference time",
                                    "Score ",
                                    "What a stranger can learn",
                                    "Change these first",
                                    "Settings:",
                                    "Because:",
                                    "Seen:",
                                    "Found ",
                                    "pages read",
                                    " more finding",
                                    "SEVERE",
                                    "HIGH",
                                    "MODERATE",
                                    "LOW",
                                    "warnings."};

TEST(I18nEndToEnd, LangDeGivesTheGermanSummary) {
  auto r = Demo({"--lang", "de"}, {"LC_ALL=", "LC_MESSAGES=", "LANG=C.UTF-8"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Julia Winter"), std::string::npos) << r.out;
  for (const char* de : {"Telescreen-Bericht", "Bezugszeitpunkt", "Was Fremde erfahren können",
                         "Ändern Sie dies zuerst", "Gefunden:", "gelesenen Seiten"}) {
    EXPECT_NE(r.out.find(de), std::string::npos) << de << "\n" << r.out;
  }
  for (const char* en : kEnglish) EXPECT_EQ(r.out.find(en), std::string::npos) << en << "\n" << r.out;
}

TEST(I18nEndToEnd, LocaleThatIsNotInstalledGivesTheSameReportAsLang) {
  auto by_flag = Demo({"--lang", "de"}, {"LC_ALL=", "LC_MESSAGES=", "LANG="});
  auto by_lang = Demo({}, {"LC_ALL=", "LC_MESSAGES=", "LANG=de_DE.UTF-8"});
  auto by_lc_all = Demo({}, {"LC_ALL=de_AT.UTF-8", "LC_MESSAGES=en_US.UTF-8", "LANG=en_US.UTF-8"});
  ASSERT_EQ(by_flag.exit_code, 0) << by_flag.err;
  ASSERT_EQ(by_lang.exit_code, 0) << by_lang.err;
  EXPECT_EQ(Comparable(by_lang.out), Comparable(by_flag.out));
  EXPECT_EQ(Comparable(by_lc_all.out), Comparable(by_flag.out));
  EXPECT_NE(by_flag.out.find("Was Fremde erfahren können"), std::string::npos);
}

TEST(I18nEndToEnd, EnglishByDefaultAndWhenAsked) {
  auto plain = Demo({}, {"LC_ALL=", "LC_MESSAGES=", "LANG=", "LANGUAGE=de"});
  auto asked = Demo({"--lang=en"}, {"LC_ALL=de_DE.UTF-8"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.out.find("What a stranger can learn"), std::string::npos) << plain.out;
  EXPECT_EQ(Comparable(asked.out), Comparable(plain.out))
      << "--lang wins over the locale; LANGUAGE alone decides nothing";
}

// The demo's HTML report in the language asked for: lang attribute, texts
// and dates; the terminal summary dates the German way too.
TEST(I18nEndToEnd, HtmlReportFollowsTheLanguage) {
  auto html_of = [](const std::string& lang, RunResult* run) {
    const std::string dir = testing::MakeTempDir("telescreen-i18n-html");
    *run = RunTelescreen({"--lang", lang, "demo", "--now", "2026-01-15T00:00:00Z", "--html", "d.html"}, dir,
                         {"LC_ALL=", "LC_MESSAGES=", "LANG="});
    std::ifstream in(dir + "/d.html", std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  RunResult de_run, en_run;
  const std::string de = html_of("de", &de_run);
  const std::string en = html_of("en", &en_run);
  ASSERT_EQ(de_run.exit_code, 0) << de_run.err;
  ASSERT_EQ(en_run.exit_code, 0) << en_run.err;
  EXPECT_NE(de.find("<html lang=\"de\">"), std::string::npos);
  EXPECT_NE(en.find("<html lang=\"en\">"), std::string::npos);
  // 15 January 2026 is a Thursday.
  for (const char* s :
       {"Gescannte Seiten", "Julia Winter", "Bezugszeitpunkt Do., 15. Januar 2026, 00:00 Uhr UTC."}) {
    EXPECT_NE(de.find(s), std::string::npos) << s;
  }
  for (const char* s : {"Pages scanned", "How the score works", "Reference time 2026-01-15T00:00:00Z."}) {
    EXPECT_NE(en.find(s), std::string::npos) << s;
    EXPECT_EQ(de.find(s), std::string::npos) << s;
  }
  EXPECT_NE(de_run.out.find("Bezugszeitpunkt Do., 15. Januar 2026, 00:00 Uhr UTC"), std::string::npos)
      << de_run.out;
  EXPECT_NE(en_run.out.find("Reference time 2026-01-15T00:00:00Z"), std::string::npos) << en_run.out;
}

TEST(I18nEndToEnd, UnknownLangIsAUsageErrorNamingTheLanguages) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--lang", "fr", "demo"}, {"--lang=", "demo"}, {"--lang"}}) {
    auto r = RunTelescreen(args);
    EXPECT_EQ(r.exit_code, 2) << args[0];
    EXPECT_NE(r.err.find("de, en"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--lang"), std::string::npos) << r.err;
  }
}

// The help of the program and of each command, CLI11's own words included.
TEST(I18nEndToEnd, HelpIsGermanByLangAndByLocale) {
  auto by_flag = RunTelescreen({"--lang", "de", "--help"}, "", kNoLocale);
  auto by_locale = RunTelescreen({"--help"}, "", {"LC_ALL=", "LC_MESSAGES=", "LANG=de_DE.UTF-8"});
  ASSERT_EQ(by_flag.exit_code, 0) << by_flag.err;
  ASSERT_EQ(by_locale.exit_code, 0) << by_locale.err;
  EXPECT_EQ(by_locale.out, by_flag.out);
  for (const char* de :
       {"Aufruf:", "Optionen:", "Befehle:", "Exit-Codes:", "Diese Hilfe anzeigen und beenden",
        "Sprache der Berichte", "Ihre öffentlichen Profil-URLs durchsuchen"}) {
    EXPECT_NE(by_flag.out.find(de), std::string::npos) << de << "\n" << by_flag.out;
  }
  for (const char* en : {"Usage:", "Options:", "Subcommands:", "Print this help", "Exit codes",
                         "runtime error", "Crawl your public profile URLs"}) {
    EXPECT_EQ(by_flag.out.find(en), std::string::npos) << en << "\n" << by_flag.out;
  }
  auto english = RunTelescreen({"--help"}, "", kNoLocale);
  for (const char* en :
       {"Usage:", "Options:", "Subcommands:", "Print this help message and exit", "Exit codes:"}) {
    EXPECT_NE(english.out.find(en), std::string::npos) << en << "\n" << english.out;
  }
}

TEST(I18nEndToEnd, EveryCommandsHelpIsGerman) {
  const std::vector<std::vector<std::string>> commands = {{"scan"},
                                                          {"extract"},
                                                          {"accounts"},
                                                          {"demo"},
                                                          {"patterns"},
                                                          {"patterns", "check"},
                                                          {"history"},
                                                          {"diff"},
                                                          {"patterns", "list"},
                                                          {"patterns", "test"}};
  for (const auto& command : commands) {
    std::vector<std::string> args{"--lang", "de"};
    args.insert(args.end(), command.begin(), command.end());
    args.emplace_back("--help");
    auto r = RunTelescreen(args, "", kNoLocale);
    EXPECT_EQ(r.exit_code, 0) << command[0] << "\n" << r.err;
    EXPECT_NE(r.out.find("Optionen:"), std::string::npos) << command.back() << "\n" << r.out;
    EXPECT_NE(r.out.find("Diese Hilfe anzeigen und beenden"), std::string::npos) << command.back();
    for (const char* en :
         {"Options:", "Positionals:", "Print this help", " the ", "Write the ", "(default:"}) {
      EXPECT_EQ(r.out.find(en), std::string::npos) << command.back() << ": " << en << "\n" << r.out;
    }
  }
  auto scan = RunTelescreen({"--lang", "de", "scan", "--help"}, "", kNoLocale);
  for (const char* de :
       {"--max-pages N", "--json DATEI", "Nach N abgerufenen Seiten aufhören", "Argumente:"}) {
    EXPECT_NE(scan.out.find(de), std::string::npos) << de << "\n" << scan.out;
  }
}

TEST(I18nEndToEnd, UsageErrorsAreGermanWithExitTwo) {
  struct Case {
    std::vector<std::string> args;
    const char* says;
  } cases[] = {
      {{"scan", "--bogus"}, "dieses Argument gehört nicht hierher: --bogus"},
      {{"scan", "--depth", "5000", "https://example.org/"}, "--depth: 5000 liegt nicht zwischen 0 und 1000"},
      {{"scan", "--depth", "viele"}, "--depth: viele liegt nicht zwischen 0 und 1000"},
      {{"diff", "abc"}, "abc ist kein gültiger Wert für SCAN_A"},
      {{"scan", "--json", "a", "--json", "b"}, "--json: höchstens 1 Wert(e) erlaubt, 2 angegeben"},
      {{"extract"}, "FILE fehlt"},
      {{"scan", "--json"}, "--json braucht einen Wert"},
      {{}, "es fehlt ein Befehl"},
      {{"frobnicate"}, "unbekannter Befehl 'frobnicate'"},
      {{"scan"}, "scan: keine URL angegeben"},
      {{"diff", "0"}, "Scan-IDs beginnen bei 1"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args{"--lang", "de"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto r = RunTelescreen(args, "", kNoLocale);
    EXPECT_EQ(r.exit_code, 2) << c.says << "\n" << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << c.says << "\n" << r.err;
    for (const char* en : {"not expected", "is required", "Run with", "not in range", "unknown command"}) {
      EXPECT_EQ(r.err.find(en), std::string::npos) << en << "\n" << r.err;
    }
  }
  auto bogus = RunTelescreen({"--lang", "de", "scan", "--bogus"}, "", kNoLocale);
  EXPECT_NE(bogus.err.find("Aufruf falsch: "), std::string::npos) << bogus.err;
  EXPECT_NE(bogus.err.find("Mit --help erfahren Sie mehr."), std::string::npos) << bogus.err;
  auto english = RunTelescreen({"scan", "--bogus"}, "", kNoLocale);
  EXPECT_EQ(english.exit_code, 2);
  EXPECT_NE(english.err.find("usage error: The following argument was not expected: --bogus"),
            std::string::npos)
      << english.err;
  EXPECT_NE(english.err.find("Run with --help for more information."), std::string::npos) << english.err;
}

// An unusable --lang is reported in the locale's language, naming the languages there are.
TEST(I18nEndToEnd, UnknownLangIsReportedInTheLocalesLanguage) {
  auto r = RunTelescreen({"--lang"}, "", {"LC_ALL=", "LC_MESSAGES=", "LANG=de_DE.UTF-8"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--lang braucht eine Sprache (de, en)"), std::string::npos) << r.err;
  auto fr = RunTelescreen({"--lang", "fr", "--help"}, "", {"LC_ALL=", "LC_MESSAGES=", "LANG=de_DE.UTF-8"});
  EXPECT_EQ(fr.exit_code, 2);
  EXPECT_NE(fr.err.find("de, en"), std::string::npos) << fr.err;
}

TEST(I18nEndToEnd, DemoIntroAndClosingFollowTheLanguage) {
  auto de = Demo({"--lang", "de"}, kNoLocale);
  auto en = Demo({}, kNoLocale);
  ASSERT_EQ(de.exit_code, 0) << de.err;
  ASSERT_EQ(en.exit_code, 0) << en.err;
  for (const char* s : {"Demo: Julia Winter, eine erfundene Produktdesignerin",
                        "Öffnen Sie d.html in Ihrem Browser", "telescreen scan URL..."}) {
    EXPECT_NE(de.out.find(s), std::string::npos) << s << "\n" << de.out;
  }
  for (const char* s : {"HTML-Bericht: d.html", "JSON-Bericht: d.json"}) {
    EXPECT_NE(de.err.find(s), std::string::npos) << s << "\n" << de.err;
  }
  for (const char* s : {"a fictional product designer", "Open d.html in your browser"}) {
    EXPECT_NE(en.out.find(s), std::string::npos) << s << "\n" << en.out;
    EXPECT_EQ(de.out.find(s), std::string::npos) << s;
  }
  EXPECT_NE(en.err.find("HTML report: d.html"), std::string::npos) << en.err;
}

// `telescreen accounts` against two loopback sites: one has the profile, one has not.
TEST(I18nEndToEnd, AccountsReportFollowsTheLanguage) {
  fetch::testing::LoopbackServer site([](httplib::Server& s) {
    s.Get("/robots.txt", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("User-agent: *\nAllow: /\n", "text/plain");
    });
    s.Get(".*", [](const httplib::Request& req, httplib::Response& res) {
      const bool has = req.path == "/here/jdoe";
      res.status = has ? 200 : 404;
      res.set_content(has ? "Profile of jdoe" : "gone", "text/html; charset=utf-8");
    });
  });
  nlohmann::json sites = nlohmann::json::array();
  for (const char* name : {"here", "gone"}) {
    sites.push_back({{"name", std::string("Site ") + name},
                     {"uri_check", site.Url(std::string("/") + name + "/{account}")},
                     {"e_code", 200},
                     {"e_string", "Profile"},
                     {"m_code", 404},
                     {"m_string", ""},
                     {"known", {"jdoe"}},
                     {"cat", "test"}});
  }
  const std::string dir = testing::MakeTempDir("telescreen-i18n-accounts");
  ASSERT_TRUE(core::WriteFileAtomic(dir + "/sites.json", nlohmann::json{{"sites", sites}}.dump()).ok());
  auto run = [&](const std::string& lang) {
    return RunTelescreen(
        {"--lang", lang, "accounts", "jdoe", "--sites", "sites.json", "--only-sites", "--delay-ms", "0",
         "--no-history", "--html", lang + ".html", "--json", lang + ".json"},
        dir, kNoLocale);
  };
  auto de = run("de");
  auto en = run("en");
  ASSERT_EQ(de.exit_code, 0) << de.err;
  ASSERT_EQ(en.exit_code, 0) << en.err;
  for (const char* s : {"Profile unter jdoe (prüfen Sie nur Benutzernamen, die Ihnen gehören)",
                        "GEFUNDEN (1)", "Kein Profil auf 1 Website."}) {
    EXPECT_NE(de.out.find(s), std::string::npos) << s << "\n" << de.out;
  }
  for (const char* s : {"Profiles under jdoe", "FOUND (1)", "No profile on 1 site."}) {
    EXPECT_NE(en.out.find(s), std::string::npos) << s << "\n" << en.out;
    EXPECT_EQ(de.out.find(s), std::string::npos) << s;
  }
  const std::string de_html = ReadText(dir + "/de.html");
  const std::string en_html = ReadText(dir + "/en.html");
  for (const char* s : {"<html lang=\"de\">", "Gefundene Profile", "Benutzername", "Kein Profil"}) {
    EXPECT_NE(de_html.find(s), std::string::npos) << s;
  }
  for (const char* s : {"<html lang=\"en\">", "Profiles found", "Username", "No profile"}) {
    EXPECT_NE(en_html.find(s), std::string::npos) << s;
    EXPECT_EQ(de_html.find(s), std::string::npos) << s;
  }
  // The JSON's ids and values are the same in every language; only each
  // result's detail, a text a person reads, is in the language asked for
  // (and the time of the check differs).
  auto de_json = nlohmann::json::parse(ReadText(dir + "/de.json"));
  auto en_json = nlohmann::json::parse(ReadText(dir + "/en.json"));
  EXPECT_EQ(de_json["results"][0]["detail"], "HTTP 200 mit dem Text für vorhanden");
  EXPECT_EQ(en_json["results"][0]["detail"], "HTTP 200 with the presence text");
  for (auto* j : {&de_json, &en_json}) {
    j->erase("checked_at");
    for (auto& r : (*j)["results"]) r.erase("detail");
  }
  EXPECT_EQ(de_json, en_json);
}

}  // namespace
}  // namespace telescreen
