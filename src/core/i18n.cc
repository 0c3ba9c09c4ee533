// gettext under a missing locale: glibc looks a catalogue up by the
// LC_MESSAGES locale's name, and ignores LANGUAGE only when that locale is
// exactly "C" (or "POSIX"). "C.UTF-8" is always present in glibc 2.35 and
// later, is not "C", and leaves LANGUAGE in charge, so setting LC_MESSAGES
// to it and LANGUAGE to our code finds po/de.po's catalogue on a machine
// where de_DE.UTF-8 was never generated.

#include "core/i18n.h"

#include <libintl.h>
#include <locale.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace telescreen::core {
namespace {

constexpr const char* kDomain = "telescreen";

Language g_language = Language::kEnglish;

std::string ExeDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  return exe.parent_path().string();
}

}  // namespace

std::string LanguageCodes() { return "de, en"; }

Result<Language> ParseLanguage(std::string_view code) {
  if (code == "en") return Language::kEnglish;
  if (code == "de") return Language::kGerman;
  return MakeError(ErrorCode::kInvalidArgument,
                   Fill(Tr("unknown language '{1}' (languages: {2})"), {std::string(code), LanguageCodes()}));
}

const char* LanguageCode(Language lang) { return lang == Language::kGerman ? "de" : "en"; }

Language LanguageOfLocale(std::string_view name) {
  // language[_territory][.codeset][@modifier]
  std::string_view lang = name.substr(0, name.find_first_of("_.@"));
  return lang == "de" ? Language::kGerman : Language::kEnglish;
}

Language LanguageFromEnvironment() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v != nullptr && *v != '\0') return LanguageOfLocale(v);
  }
  return Language::kEnglish;
}

std::string FindLocaleDir() {
  const std::string dir = ExeDir();
  if (dir.empty()) return "";
  for (const std::string& candidate : {dir + "/locale", dir + "/../share/locale"}) {
    std::error_code ec;
    if (std::filesystem::exists(candidate + "/de/LC_MESSAGES/telescreen.mo", ec)) return candidate;
  }
  return "";
}

void UseLanguage(Language lang) {
  g_language = lang;
  const std::string dir = FindLocaleDir();
  if (!dir.empty()) bindtextdomain(kDomain, dir.c_str());
  bind_textdomain_codeset(kDomain, "UTF-8");
  setlocale(LC_MESSAGES, "C.UTF-8");
  // Our choice overrides a user's LANGUAGE list: --lang and LC_ALL decide.
  setenv("LANGUAGE", LanguageCode(lang), 1);
  // A changed LANGUAGE is noticed only when the catalogue counter moves;
  // textdomain() moves it.
  textdomain(textdomain(nullptr));
}

Language CurrentLanguage() { return g_language; }

std::string Tr(const char* msgid) {
  if (g_language == Language::kEnglish) return msgid;
  return dgettext(kDomain, msgid);
}

std::string TrText(std::string_view text) {
  // "" is the catalogue's header in gettext, never a text to translate.
  if (g_language == Language::kEnglish || text.empty()) return std::string(text);
  const std::string msgid(text);  // dgettext needs the terminating NUL
  return dgettext(kDomain, msgid.c_str());
}

std::string TrN(const char* singular, const char* plural, unsigned long n) {
  if (g_language == Language::kEnglish) return n == 1 ? singular : plural;
  return dngettext(kDomain, singular, plural, n);
}

std::string Fill(std::string_view text, std::initializer_list<std::string> args) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool slot = text[i] == '{' && i + 2 < text.size() && text[i + 1] >= '1' && text[i + 1] <= '9' &&
                      text[i + 2] == '}';
    const auto index = slot ? static_cast<std::size_t>(text[i + 1] - '1') : args.size();
    if (index < args.size()) {
      out += *(args.begin() + index);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace telescreen::core
