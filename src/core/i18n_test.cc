#include "core/i18n.h"

#include <gtest/gtest.h>

#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace telescreen::core {
namespace {

constexpr const char* kVars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};

// Restores the language and the variables a test changed.
class I18n : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* v : kVars) {
      const char* value = std::getenv(v);
      saved_.emplace_back(value != nullptr, value != nullptr ? value : "");
    }
  }
  void TearDown() override {
    for (std::size_t i = 0; i < saved_.size(); ++i) {
      if (saved_[i].first) {
        setenv(kVars[i], saved_[i].second.c_str(), 1);
      } else {
        unsetenv(kVars[i]);
      }
    }
    UseLanguage(Language::kEnglish);
  }

 private:
  std::vector<std::pair<bool, std::string>> saved_;
};

TEST_F(I18n, ParsesTheCodesThereAre) {
  ASSERT_TRUE(ParseLanguage("de").ok());
  EXPECT_EQ(ParseLanguage("de").value(), Language::kGerman);
  EXPECT_EQ(ParseLanguage("en").value(), Language::kEnglish);
  auto bad = ParseLanguage("fr");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("'fr'"), std::string::npos);
  EXPECT_NE(bad.error().message.find("de, en"), std::string::npos);
  EXPECT_FALSE(ParseLanguage("").ok());
  EXPECT_FALSE(ParseLanguage("DE_de").ok());
}

TEST_F(I18n, ReadsTheLanguageOfALocaleName) {
  EXPECT_EQ(LanguageOfLocale("de_DE.UTF-8"), Language::kGerman);
  EXPECT_EQ(LanguageOfLocale("de_AT@euro"), Language::kGerman);
  EXPECT_EQ(LanguageOfLocale("de"), Language::kGerman);
  EXPECT_EQ(LanguageOfLocale("C"), Language::kEnglish);
  EXPECT_EQ(LanguageOfLocale("C.UTF-8"), Language::kEnglish);
  EXPECT_EQ(LanguageOfLocale("POSIX"), Language::kEnglish);
  EXPECT_EQ(LanguageOfLocale(""), Language::kEnglish);
  EXPECT_EQ(LanguageOfLocale("fr_FR.UTF-8"), Language::kEnglish);
  EXPECT_EQ(LanguageOfLocale("dex_XY"), Language::kEnglish);
}

TEST_F(I18n, EnvironmentFollowsPosixPrecedence) {
  for (const char* v : kVars) unsetenv(v);
  EXPECT_EQ(LanguageFromEnvironment(), Language::kEnglish);
  setenv("LANG", "de_DE.UTF-8", 1);
  EXPECT_EQ(LanguageFromEnvironment(), Language::kGerman);
  setenv("LC_MESSAGES", "en_GB.UTF-8", 1);
  EXPECT_EQ(LanguageFromEnvironment(), Language::kEnglish);
  setenv("LC_ALL", "de_CH.UTF-8", 1);
  EXPECT_EQ(LanguageFromEnvironment(), Language::kGerman);
  setenv("LC_ALL", "", 1);  // empty counts as unset
  EXPECT_EQ(LanguageFromEnvironment(), Language::kEnglish);
}

TEST_F(I18n, FillPutsArgumentsInAnyOrder) {
  EXPECT_EQ(Fill("{2} von {1}", {"a", "b"}), "b von a");
  EXPECT_EQ(Fill("{1}{1}", {"x"}), "xx");
  EXPECT_EQ(Fill("{3} {0} {x} {1", {"a"}), "{3} {0} {x} {1");  // no such argument: kept
  EXPECT_EQ(Fill("", {}), "");
  EXPECT_EQ(Fill("{1}", {"{2}", "no"}), "{2}");  // an argument is not filled again
}

// The machine this runs on has no de_DE locale (stock Debian 12 has only
// C.UTF-8); the catalogue must be found all the same.
TEST_F(I18n, GermanWithoutAGermanLocaleInstalled) {
  ASSERT_FALSE(FindLocaleDir().empty()) << "the build puts locale/ beside the binaries";
  setenv("LANG", "de_DE.UTF-8", 1);
  UseLanguage(LanguageFromEnvironment());
  EXPECT_EQ(CurrentLanguage(), Language::kGerman);
  EXPECT_EQ(Tr("Changes"), "Änderungen");
  EXPECT_EQ(Tr("a text nobody translated"), "a text nobody translated");
  EXPECT_EQ(TrN("{1} warning.", "{1} warnings.", 1), "{1} Warnung.");
  EXPECT_EQ(TrN("{1} warning.", "{1} warnings.", 4), "{1} Warnungen.");
  EXPECT_EQ(TrN("{1} warning.", "{1} warnings.", 0), "{1} Warnungen.");
  UseLanguage(Language::kEnglish);
  EXPECT_EQ(Tr("Changes"), "Changes");
  EXPECT_EQ(TrN("{1} warning.", "{1} warnings.", 1), "{1} warning.");
}

// Texts kept in English in the model and the JSON (category labels, level
// sentences) are translated where they are shown.
TEST_F(I18n, TextsKeptInEnglishAreTranslatedWhereShown) {
  std::string label = NoopTr("Whom you know");  // as the scorer stores it
  EXPECT_EQ(label, "Whom you know");
  UseLanguage(Language::kGerman);
  EXPECT_EQ(TrText(label), "Wen Sie kennen");
  EXPECT_EQ(TrText("a text nobody translated"), "a text nobody translated");
  EXPECT_EQ(TrText(""), "");
  UseLanguage(Language::kEnglish);
  EXPECT_EQ(TrText(label), "Whom you know");
}

// Only the messages locale changes: numbers keep their "." decimal.
TEST_F(I18n, GermanLeavesNumbersAlone) {
  setenv("LC_ALL", "de_DE.UTF-8", 1);
  UseLanguage(Language::kGerman);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", 3.5);
  EXPECT_STREQ(buf, "3.50");
  EXPECT_EQ(std::to_string(0.25), "0.250000");
  EXPECT_STREQ(std::localeconv()->decimal_point, ".");
}

}  // namespace
}  // namespace telescreen::core
