// The reader's language: which one (--lang or the locale) and the texts in
// it, from the GNU gettext catalogues built from po/*.po.
//
//   core::Language lang = core::LanguageFromEnvironment();
//   core::UseLanguage(lang);                  // once, before any thread starts
//   std::string s = core::Tr("Changes");      // "Änderungen" in German
//   std::string p = core::Fill(core::TrN("{1} page", "{1} pages", n), {std::to_string(n)});
//
// Only LC_MESSAGES is ever changed: numbers in JSON, SQLite and scores keep
// the "." decimal whatever the user's locale says.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "core/result.h"

namespace telescreen::core {

enum class Language { kEnglish, kGerman };

// The codes --lang accepts, comma-separated, for messages: "de, en".
std::string LanguageCodes();

// Returns the language with code `code` ("en", "de"); an error naming the
// languages there are otherwise.
Result<Language> ParseLanguage(std::string_view code);

// The code of `lang` ("en", "de"); also the HTML lang attribute.
const char* LanguageCode(Language lang);

// The language a POSIX locale name asks for ("de_DE.UTF-8", "de", "de_AT@euro"
// give German); English for "C", "POSIX", empty and any language we lack.
Language LanguageOfLocale(std::string_view locale_name);

// The language the environment asks for: the first non-empty one of LC_ALL,
// LC_MESSAGES, LANG (POSIX precedence), read through LanguageOfLocale.
Language LanguageFromEnvironment();

// The folder holding <code>/LC_MESSAGES/telescreen.mo, found relative to the
// running binary: <dir of binary>/locale (the build tree), then
// <dir of binary>/../share/locale (an install). Empty when neither holds one.
std::string FindLocaleDir();

// Makes Tr and TrN answer in `lang`. Works whether or not a locale for the
// language is installed (stock Debian has only C.UTF-8): the catalogue is
// chosen through LANGUAGE under the C.UTF-8 messages locale. Without a
// catalogue, texts stay English. REQUIRES: no other thread is running.
void UseLanguage(Language lang);

// The language set by UseLanguage (English before any call).
Language CurrentLanguage();

// `msgid` in the current language (itself when English or untranslated).
std::string Tr(const char* msgid);

// The plural form for `n` of `singular`/`plural` in the current language.
std::string TrN(const char* singular, const char* plural, unsigned long n);

// Marks a literal for translation without translating it, for texts kept in
// English (tables, the JSON) and translated where they are shown by TrText.
constexpr const char* NoopTr(const char* msgid) { return msgid; }

// `text` in the current language when the catalogue has it (a literal
// marked by Tr or NoopTr); `text` itself otherwise.
std::string TrText(std::string_view text);

// `text` with each "{1}".."{9}" replaced by args[0]..args[8]: translations
// may put the arguments in any order. Other text is left as it is.
std::string Fill(std::string_view text, std::initializer_list<std::string> args);

}  // namespace telescreen::core
