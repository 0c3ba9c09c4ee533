// End-to-end: the reader's language, chosen by --lang or the locale, on a
// machine with no German locale installed (stock Debian 12 has only C.UTF-8).
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/run_binary.h"

namespace telescreen {
namespace {

using testing::RunResult;
using testing::RunTelescreen;

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

}  // namespace
}  // namespace telescreen
