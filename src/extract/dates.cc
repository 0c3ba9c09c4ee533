// Dates as people write them; see dates.h.
//
// A hand-written tokenizer and a handful of token patterns, no regular
// expressions: the text comes from hostile pages, so input is cut to
// kMaxInputBytes and every pattern looks at a bounded number of tokens.
// Strict ISO 8601 goes to core::ParseIsoTime first.
#include "extract/dates.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/text.h"

namespace telescreen::extract {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;

constexpr std::size_t kMaxInputBytes = 512;  // a date phrase is short
constexpr std::size_t kMaxTokens = 128;
constexpr std::size_t kMaxWordBytes = 32;  // longer than any word we look up

struct Token {
  enum Kind { kNumber, kWord, kPunct } kind;
  std::string text;  // lower-case ASCII, accents folded (ä -> ae, é -> e)
  int value = 0;     // kNumber: the value (capped), kPunct: the character
  int digits = 0;    // kNumber: how many digits
};

// Folds a Latin letter with a diacritic, the two-byte UTF-8 sequence C3 xx,
// to ASCII so that spellings with and without it meet: "März" and "Maerz"
// (umlauts as Germans write them without), "lunedì" and "lunedi", "sábado"
// and "sabado", "août" and "aout". Returns nullptr for other letters.
const char* FoldC3(unsigned char second) {
  if (second == 0x9F) return "ss";
  // C3 80..9E are the capitals of C3 A0..BE; by the second byte less A0:
  static constexpr const char* kFolds[32] = {
      "a",     "a", "a", nullptr, "ae", nullptr, nullptr, "c",      // à á â ã ä å æ ç
      "e",     "e", "e", "e",     "i",  "i",     "i",     "i",      // è é ê ë ì í î ï
      nullptr, "n", "o", "o",     "o",  nullptr, "oe",    nullptr,  // ð ñ ò ó ô õ ö ÷
      nullptr, "u", "u", "u",     "ue", nullptr, nullptr, nullptr,  // ø ù ú û ü ý þ ÿ
  };
  const unsigned lower = second | 0x20U;
  return lower >= 0xA0 && lower <= 0xBF ? kFolds[lower - 0xA0] : nullptr;
}

bool IsAsciiLetter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// The letter at text[i] as lower-case ASCII, appended to *word unless word
// is null. Returns its length in bytes; 0 if text[i] starts no letter.
std::size_t TakeLetter(std::string_view text, std::size_t i, std::string* word) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (IsAsciiLetter(c)) {
    if (word != nullptr) word->push_back(static_cast<char>(c | 0x20));
    return 1;
  }
  if (c != 0xC3 || i + 1 >= text.size()) return 0;
  const char* folded = FoldC3(static_cast<unsigned char>(text[i + 1]));
  if (folded == nullptr) return 0;
  if (word != nullptr) *word += folded;
  return 2;
}

// A word from text[*i]: the first kMaxWordBytes folded letters are kept,
// the rest of an over-long word is skipped.
Token ReadWord(std::string_view text, std::size_t* i) {
  Token t{Token::kWord, "", 0, 0};
  while (*i < text.size()) {
    const std::size_t n = TakeLetter(text, *i, t.text.size() < kMaxWordBytes ? &t.text : nullptr);
    if (n == 0) break;
    *i += n;
  }
  return t;
}

Token ReadNumber(std::string_view text, std::size_t* i) {
  Token t{Token::kNumber, "", 0, 0};
  while (*i < text.size() && text[*i] >= '0' && text[*i] <= '9') {
    if (t.value < 100000) t.value = t.value * 10 + (text[*i] - '0');
    ++t.digits;
    t.text.push_back(text[*i]);
    ++*i;
  }
  return t;
}

bool IsPunctByte(char c) {
  return c == '.' || c == ',' || c == ':' || c == '/' || c == '-' || c == '+' || c == '(' || c == ')' ||
         c == '@';
}

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n && tokens.size() < kMaxTokens) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= '0' && c <= '9') {
      tokens.push_back(ReadNumber(text, &i));
    } else if (TakeLetter(text, i, nullptr) != 0) {
      tokens.push_back(ReadWord(text, &i));
    } else if (c == 0xE2 && i + 2 < n && text[i + 1] == '\x80' &&
               (text[i + 2] == '\x93' || text[i + 2] == '\x94')) {
      tokens.push_back(Token{Token::kPunct, "-", '-', 0});  // en and em dash: ranges
      i += 3;
    } else if (IsPunctByte(text[i])) {
      tokens.push_back(Token{Token::kPunct, std::string(1, text[i]), c, 0});
      ++i;
    } else {
      ++i;  // spaces, other bytes and other scripts separate tokens
    }
  }
  return tokens;
}

// --- Vocabulary -------------------------------------------------------------

struct NamedValue {
  std::string_view name;
  int value;
};

// Month names read before or after a day ("March 12", "12 March") or
// before a year ("March 2026"): English, German, French, Italian, Spanish,
// full and abbreviated. "mar" is March in English, Italian and Spanish alike,
// and "Mär." folds to "maer", so the two never clash; where "mar." stands for
// Tuesday (mardi, martedì, martes) a day and another month follow it, and
// MonthFirstDate gives way ("mar. 14 avr."). In order: English and German,
// French ("mai", "sept", "oct", "nov", "déc" as above), Italian, Spanish.
constexpr std::array<NamedValue, 75> kMonths{
    {{"january", 1},    {"januar", 1},    {"jaenner", 1},   {"jan", 1},        {"february", 2},
     {"februar", 2},    {"feb", 2},       {"march", 3},     {"maerz", 3},      {"marz", 3},
     {"maer", 3},       {"mar", 3},       {"mrz", 3},       {"april", 4},      {"apr", 4},
     {"may", 5},        {"mai", 5},       {"june", 6},      {"juni", 6},       {"jun", 6},
     {"july", 7},       {"juli", 7},      {"jul", 7},       {"august", 8},     {"aug", 8},
     {"september", 9},  {"sept", 9},      {"sep", 9},       {"october", 10},   {"oktober", 10},
     {"oct", 10},       {"okt", 10},      {"november", 11}, {"nov", 11},       {"december", 12},
     {"dezember", 12},  {"dec", 12},      {"dez", 12},      {"janvier", 1},    {"janv", 1},
     {"fevrier", 2},    {"fevr", 2},      {"mars", 3},      {"avril", 4},      {"avr", 4},
     {"juin", 6},       {"juillet", 7},   {"juil", 7},      {"aout", 8},       {"septembre", 9},
     {"octobre", 10},   {"novembre", 11}, {"decembre", 12}, {"gennaio", 1},    {"febbraio", 2},
     {"marzo", 3},      {"aprile", 4},    {"maggio", 5},    {"giugno", 6},     {"luglio", 7},
     {"agosto", 8},     {"settembre", 9}, {"ottobre", 10},  {"dicembre", 12},  {"enero", 1},
     {"febrero", 2},    {"abril", 4},     {"mayo", 5},      {"junio", 6},      {"julio", 7},
     {"septiembre", 9}, {"setiembre", 9}, {"octubre", 10},  {"noviembre", 11}, {"diciembre", 12}}};

// Italian and Spanish abbreviations, read only right after a day ("15 set",
// "3 ago", "1 ene"): both languages put the day first, and several are
// English words ("set", "ago", "gen", "mag") that would turn "set 3 goals"
// or "12th gen" into dates. "feb", "mar", "apr", "nov" are in kMonths.
constexpr std::array<NamedValue, 10> kMonthsAfterDay{{{"gen", 1},
                                                      {"ene", 1},
                                                      {"abr", 4},
                                                      {"mag", 5},
                                                      {"giu", 6},
                                                      {"lug", 7},
                                                      {"ago", 8},
                                                      {"set", 9},
                                                      {"ott", 10},
                                                      {"dic", 12}}};

// Monday = 1 ... Sunday = 7 (ISO). Two-letter German forms are left out:
// "so", "do" and "mi" are ordinary words too; so are the Romance
// abbreviations ("mar" is March, "dom" and "sab" are words). In order:
// English and German, French, Italian ("lunedì" folds to "lunedi"),
// Spanish ("sábado" to "sabado").
constexpr std::array<NamedValue, 44> kWeekdays{
    {{"monday", 1},   {"mon", 1},        {"montag", 1},    {"tuesday", 2},   {"tue", 2},      {"tues", 2},
     {"dienstag", 2}, {"wednesday", 3},  {"wed", 3},       {"mittwoch", 3},  {"thursday", 4}, {"thu", 4},
     {"thurs", 4},    {"donnerstag", 4}, {"friday", 5},    {"fri", 5},       {"freitag", 5},  {"saturday", 6},
     {"sat", 6},      {"samstag", 6},    {"sonnabend", 6}, {"sunday", 7},    {"sonntag", 7},  {"lundi", 1},
     {"mardi", 2},    {"mercredi", 3},   {"jeudi", 4},     {"vendredi", 5},  {"samedi", 6},   {"dimanche", 7},
     {"lunedi", 1},   {"martedi", 2},    {"mercoledi", 3}, {"giovedi", 4},   {"venerdi", 5},  {"sabato", 6},
     {"domenica", 7}, {"lunes", 1},      {"martes", 2},    {"miercoles", 3}, {"jueves", 4},   {"viernes", 5},
     {"sabado", 6},   {"domingo", 7}}};

// Offsets in minutes east of UTC.
constexpr std::array<NamedValue, 20> kZones{{
    {"z", 0},      {"utc", 0},    {"gmt", 0},    {"ut", 0},     {"wet", 0},    {"west", 60},  {"bst", 60},
    {"cet", 60},   {"mez", 60},   {"cest", 120}, {"mesz", 120}, {"eet", 120},  {"eest", 180}, {"est", -300},
    {"edt", -240}, {"cst", -360}, {"cdt", -300}, {"mst", -420}, {"pst", -480}, {"pdt", -420},
}};

constexpr std::array<NamedValue, 30> kNumberWords{{
    {"a", 1},      {"an", 1},      {"one", 1},   {"ein", 1},     {"einem", 1},   {"einer", 1},
    {"eine", 1},   {"two", 2},     {"zwei", 2},  {"three", 3},   {"drei", 3},    {"four", 4},
    {"vier", 4},   {"five", 5},    {"fuenf", 5}, {"six", 6},     {"sechs", 6},   {"seven", 7},
    {"sieben", 7}, {"eight", 8},   {"acht", 8},  {"nine", 9},    {"neun", 9},    {"ten", 10},
    {"zehn", 10},  {"eleven", 11}, {"elf", 11},  {"twelve", 12}, {"zwoelf", 12}, {"couple", 2},
}};

template <std::size_t N>
int Lookup(const std::array<NamedValue, N>& table, std::string_view word) {
  for (const auto& entry : table) {
    if (entry.name == word) return entry.value;
  }
  return 0;
}

// --- Token cursor -----------------------------------------------------------

// Words that mark a German text, where "12/03/2026" is the 12th of March.
bool IsGermanWord(std::string_view w) {
  static constexpr std::array<std::string_view, 21> kWords{
      "uhr",        "um",      "bis",     "ab",      "montag",   "dienstag", "mittwoch",
      "donnerstag", "freitag", "samstag", "sonntag", "januar",   "februar",  "maerz",
      "mai",        "juni",    "juli",    "oktober", "dezember", "heute",    "morgen"};
  for (auto g : kWords) {
    if (g == w) return true;
  }
  return false;
}

class Cursor {
 public:
  explicit Cursor(const std::vector<Token>& tokens) : tokens_(tokens) {
    for (const Token& t : tokens) {
      if (t.kind == Token::kWord && IsGermanWord(t.text)) day_first_ = true;
    }
  }

  // True iff the text reads as German: slashed dates are day/month/year.
  bool day_first() const { return day_first_; }

  const Token* At(std::size_t i) const { return i < tokens_.size() ? &tokens_[i] : nullptr; }
  bool IsPunct(std::size_t i, char c) const {
    const Token* t = At(i);
    return t != nullptr && t->kind == Token::kPunct && t->value == c;
  }
  bool IsWord(std::size_t i, std::string_view w) const {
    const Token* t = At(i);
    return t != nullptr && t->kind == Token::kWord && t->text == w;
  }
  // A number of `min_digits`..`max_digits` digits.
  const Token* Number(std::size_t i, int min_digits, int max_digits) const {
    const Token* t = At(i);
    if (t == nullptr || t->kind != Token::kNumber) return nullptr;
    if (t->digits < min_digits || t->digits > max_digits) return nullptr;
    return t;
  }
  // The month named at i (1..12), or 0: a name that may lead a date.
  int Month(std::size_t i) const {
    const Token* t = At(i);
    return t != nullptr && t->kind == Token::kWord ? Lookup(kMonths, t->text) : 0;
  }
  // The month named at i right after a day: kMonths and kMonthsAfterDay.
  int MonthAfterDay(std::size_t i) const {
    if (const int m = Month(i); m != 0) return m;
    const Token* t = At(i);
    return t != nullptr && t->kind == Token::kWord ? Lookup(kMonthsAfterDay, t->text) : 0;
  }
  std::size_t size() const { return tokens_.size(); }

 private:
  const std::vector<Token>& tokens_;
  bool day_first_ = false;
};

// "3rd", "12th" and French "1er".
bool IsOrdinalSuffix(std::string_view w) {
  return w == "st" || w == "nd" || w == "rd" || w == "th" || w == "er";
}

// The index past an ordinal suffix at i, or i.
std::size_t SkipOrdinal(const Cursor& c, std::size_t i) {
  const Token* t = c.At(i);
  return t != nullptr && t->kind == Token::kWord && IsOrdinalSuffix(t->text) ? i + 1 : i;
}

// --- Times and zones --------------------------------------------------------

// What says that a number is a time.
enum class TimeMark {
  kNone,   // a bare "19" or "19.30": may be a day or a version
  kColon,  // "19:00"
  kWord,   // "7pm", "19 Uhr", "19h30", "noon"
};

struct TimeMatch {
  int hour = 0;
  int minute = 0;
  int second = 0;
  bool has_seconds = false;
  int pm = -1;  // 1 after "pm", 0 after "am", -1 neither
  std::size_t begin = 0;
  std::size_t end = 0;
};

// "am"/"pm"/"a.m."/"p.m." at i: returns the index after it and sets *pm.
std::size_t Meridiem(const Cursor& c, std::size_t i, int* pm) {
  if (c.IsWord(i, "am") || c.IsWord(i, "pm")) {
    *pm = c.IsWord(i, "pm") ? 1 : 0;
    return c.IsPunct(i + 1, '.') ? i + 2 : i + 1;
  }
  if ((c.IsWord(i, "a") || c.IsWord(i, "p")) && c.IsPunct(i + 1, '.') && c.IsWord(i + 2, "m")) {
    *pm = c.IsWord(i, "p") ? 1 : 0;
    return c.IsPunct(i + 3, '.') ? i + 4 : i + 3;
  }
  return i;
}

// ":00", ":00:05", ":00:05.3" or ".30" at j, after an hour. Returns the
// index after them; *colon: the minutes followed a colon.
std::size_t ReadMinutes(const Cursor& c, std::size_t j, TimeMatch* t, bool* colon) {
  *colon = false;
  if (!(c.IsPunct(j, ':') || c.IsPunct(j, '.')) || c.Number(j + 1, 2, 2) == nullptr) return j;
  *colon = c.IsPunct(j, ':');
  t->minute = c.At(j + 1)->value;
  j += 2;
  if (c.IsPunct(j, ':') && c.Number(j + 1, 2, 2)) {
    t->second = c.At(j + 1)->value;
    t->has_seconds = true;
    j += 2;
    if (c.IsPunct(j, '.') && c.Number(j + 1, 1, 9)) j += 2;  // fraction
  }
  return j;
}

// "pm", "a.m.", "Uhr", "h", "hrs" or "h30" at j, after a clock. Returns the
// index after it, j when there is none, nullopt for an hour am/pm cannot
// take ("13pm").
std::optional<std::size_t> ReadTimeSuffix(const Cursor& c, std::size_t j, bool colon, TimeMatch* t) {
  int pm = -1;
  const std::size_t k = Meridiem(c, j, &pm);
  if (pm >= 0) {
    if (t->hour < 1 || t->hour > 12) return std::nullopt;
    t->hour = t->hour % 12 + pm * 12;
    t->pm = pm;
    return k;
  }
  if (!colon && c.IsWord(j, "h") && c.Number(j + 1, 2, 2)) {
    t->minute = c.At(j + 1)->value;  // "19h30"
    return j + 2;
  }
  if (c.IsWord(j, "uhr") || c.IsWord(j, "h") || c.IsWord(j, "hrs")) return j + 1;
  return j;
}

// The clock at i: "noon", "19", "19:00", "19:00:05", "19.30", with a
// suffix ("pm", "Uhr", "h30"); *mark says what makes it a time.
std::optional<TimeMatch> ReadClock(const Cursor& c, std::size_t i, TimeMark* mark) {
  *mark = TimeMark::kWord;
  if (c.IsWord(i, "noon") || c.IsWord(i, "midday") || c.IsWord(i, "mittag")) {
    return TimeMatch{12, 0, 0, false, 1, i, i + 1};
  }
  if (c.IsWord(i, "midnight") || c.IsWord(i, "mitternacht")) {
    return TimeMatch{0, 0, 0, false, 0, i, i + 1};
  }
  const Token* h = c.Number(i, 1, 2);
  if (h == nullptr) return std::nullopt;
  TimeMatch t{h->value, 0, 0, false, -1, i, i + 1};
  bool colon = false;
  const std::size_t j = ReadMinutes(c, i + 1, &t, &colon);
  const std::optional<std::size_t> k = ReadTimeSuffix(c, j, colon, &t);
  if (!k) return std::nullopt;
  *mark = *k != j ? TimeMark::kWord : colon ? TimeMark::kColon : TimeMark::kNone;
  if (t.hour > 24 || t.minute > 59 || t.second > 60) return std::nullopt;
  if (t.hour == 24 && (t.minute != 0 || t.second != 0)) return std::nullopt;
  if (t.second == 60) t.second = 59;  // a leap second reads as the second before
  t.end = *k;
  return t;
}

// The end of a time range at i, after its start: "- 9pm", "bis 21 Uhr",
// "to 10:00 PM". It must say it is a time: "19:00 - 14. März" keeps its day,
// and the range end is never read as a "-10:00" offset. *mark as ReadClock.
std::optional<TimeMatch> TimeRangeEnd(const Cursor& c, std::size_t i, TimeMark* mark) {
  if (!(c.IsPunct(i, '-') || c.IsWord(i, "bis") || c.IsWord(i, "to") || c.IsWord(i, "until"))) {
    return std::nullopt;
  }
  auto t = ReadClock(c, i + 1, mark);
  if (!t || *mark == TimeMark::kNone) return std::nullopt;
  return t;
}

std::optional<TimeMatch> TimeRangeEnd(const Cursor& c, std::size_t i) {
  TimeMark mark = TimeMark::kNone;
  return TimeRangeEnd(c, i, &mark);
}

// "6–9pm": a start without am/pm takes the end's, unless that would put it
// after the end ("11–1pm" and "9–5pm" start in the morning).
void TakeMeridiem(const TimeMatch& end, TimeMatch* start) {
  if (start->pm >= 0 || end.pm < 0 || start->hour < 1 || start->hour > 12) return;
  const int same_half = start->hour % 12 + end.pm * 12;
  const bool after_end = same_half * 60 + start->minute > end.hour * 60 + end.minute;
  start->pm = after_end ? 1 - end.pm : end.pm;
  start->hour = start->hour % 12 + start->pm * 12;
}

// "19:00", "19:00:05", "7:30 pm", "7pm", "19 Uhr", "19.30 Uhr", "19h",
// "noon"; a bare hour only when a range end's word says what it is: "19 - 21
// Uhr" starts at 19:00, "6–9pm" at 18:00. A bare "6" alone is no time, nor
// is the "3" in "Track 3 - 14:00".
std::optional<TimeMatch> TimeAt(const Cursor& c, std::size_t i) {
  TimeMark mark = TimeMark::kNone;
  auto t = ReadClock(c, i, &mark);
  if (!t) return std::nullopt;
  TimeMark end_mark = TimeMark::kNone;
  const auto end = TimeRangeEnd(c, t->end, &end_mark);
  if (mark == TimeMark::kNone && !(end && end_mark == TimeMark::kWord)) return std::nullopt;
  if (end) TakeMeridiem(*end, &*t);
  return t;
}

struct ZoneMatch {
  int offset_minutes = 0;
  std::size_t end = 0;
};

// "+0100", "+01:00", "-05", "Z", "UTC", "GMT+1", "CEST", "(MEZ)".
std::optional<ZoneMatch> ZoneAt(const Cursor& c, std::size_t i) {
  std::size_t j = i;
  if (c.IsPunct(j, '(')) ++j;
  int offset = 0;
  bool named = false;
  if (const Token* w = c.At(j); w && w->kind == Token::kWord) {
    bool known = false;
    for (const auto& z : kZones) {
      if (z.name == w->text) {
        offset = z.value;
        known = true;
      }
    }
    if (!known) return std::nullopt;
    named = true;
    ++j;
  }
  if (c.IsPunct(j, '+') || c.IsPunct(j, '-')) {
    const int sign = c.IsPunct(j, '-') ? -1 : 1;
    const Token* n = c.Number(j + 1, 1, 4);
    if (n != nullptr) {
      int h = 0;
      int m = 0;
      std::size_t k = j + 2;
      if (n->digits <= 2) {
        h = n->value;
        if (c.IsPunct(k, ':') && c.Number(k + 1, 2, 2)) {
          m = c.At(k + 1)->value;
          k += 2;
        } else if (!named || c.IsPunct(k, '.')) {
          // A bare "- 14" is a range dash and a day ("19:00 - 14. März"),
          // not an offset; "+01:00", "+0100" and "GMT+1" are.
          return named ? std::optional<ZoneMatch>(ZoneMatch{offset, j}) : std::nullopt;
        }
      } else {
        h = n->value / 100;
        m = n->value % 100;
      }
      if (h > 14 || m > 59) return std::nullopt;
      offset += sign * (h * 60 + m);
      j = k;
      named = true;
    }
  }
  if (!named) return std::nullopt;
  if (c.IsPunct(j, ')')) ++j;
  return ZoneMatch{offset, j};
}

// Words that may sit between a date and its time.
bool IsFiller(const Cursor& c, std::size_t i) {
  static constexpr std::array<std::string_view, 14> kFillers{"um",    "at",    "ab",       "t",      "from",
                                                             "von",   "gegen", "starting", "beginn", "start",
                                                             "begin", "doors", "einlass",  "time"};
  const Token* t = c.At(i);
  if (t == nullptr) return false;
  if (t->kind == Token::kPunct)
    return t->value == ',' || t->value == '-' || t->value == '@' || t->value == '/' || t->value == ':';
  for (auto f : kFillers) {
    if (t->text == f) return true;
  }
  return Lookup(kWeekdays, t->text) != 0;
}

// The first time at or after `from` (skipping fillers), or anywhere outside
// [skip_begin, skip_end) when none follows.
std::optional<TimeMatch> FindTime(const Cursor& c, std::size_t from, std::size_t skip_begin,
                                  std::size_t skip_end) {
  std::size_t i = from;
  for (int guard = 0; guard < 4 && IsFiller(c, i); ++guard) ++i;
  if (auto t = TimeAt(c, i)) return t;
  for (std::size_t k = 0; k < c.size(); ++k) {
    if (k >= skip_begin && k < skip_end) continue;
    if (auto t = TimeAt(c, k); t && (t->end <= skip_begin || k >= skip_end)) return t;
  }
  return std::nullopt;
}

// --- Dates ------------------------------------------------------------------

struct DateMatch {
  int year = 0;  // 0 = not given
  int month = 0;
  int day = 0;        // 0 = month precision; the last day of a range
  int first_day = 0;  // a range's first day in the same month ("12.–14. März"); 0 = none
  std::size_t begin = 0;
  std::size_t end = 0;  // one past the last token used
};

int ExpandYear(const Token& t) {
  if (t.digits == 4) return t.value;
  return t.value < 70 ? 2000 + t.value : 1900 + t.value;  // "26" -> 2026
}

bool ValidDate(int y, int m, int d) {
  if (m < 1 || m > 12 || y < 1 || y > 9999) return false;
  if (d == 0) return true;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                        std::chrono::day{unsigned(d)}};
  return ymd.ok();
}

// Numeric forms: 2026-03-12, 2026/03/12, 12.03.2026, 12.3.26, 12.03.,
// 3/12/2026 (US order unless the first number cannot be a month or the
// text is German).
std::optional<DateMatch> NumericDate(const Cursor& c, std::size_t i) {
  const Token* a = c.Number(i, 1, 4);
  if (a == nullptr) return std::nullopt;
  for (char sep : {'-', '/'}) {
    if (a->digits == 4 && c.IsPunct(i + 1, sep) && c.Number(i + 2, 1, 2) && c.IsPunct(i + 3, sep) &&
        c.Number(i + 4, 1, 2)) {
      return DateMatch{a->value, c.At(i + 2)->value, c.At(i + 4)->value, 0, i, i + 5};
    }
  }
  // ISO 8601 week date "2026-W11-4" (Thursday of week 11).
  if (a->digits == 4 && c.IsPunct(i + 1, '-') && c.IsWord(i + 2, "w") && c.Number(i + 3, 2, 2) &&
      c.IsPunct(i + 4, '-') && c.Number(i + 5, 1, 1)) {
    const int week = c.At(i + 3)->value;
    const int weekday = c.At(i + 5)->value;
    if (week < 1 || week > 53 || weekday < 1 || weekday > 7 || a->value < 1) return std::nullopt;
    const sys_days jan4{std::chrono::year{a->value} / std::chrono::January / 4};
    const int jan4_weekday = static_cast<int>(std::chrono::weekday{jan4}.iso_encoding());
    const sys_days d = jan4 - days{jan4_weekday - 1} + days{(week - 1) * 7 + weekday - 1};
    const std::chrono::year_month_day ymd{d};
    return DateMatch{static_cast<int>(ymd.year()),
                     static_cast<int>(unsigned(ymd.month())),
                     static_cast<int>(unsigned(ymd.day())),
                     0,
                     i,
                     i + 6};
  }
  if (a->digits > 2) return std::nullopt;
  const Token* b = c.Number(i + 2, 1, 2);
  if (b == nullptr) return std::nullopt;
  if (c.IsPunct(i + 1, '.') && c.IsPunct(i + 3, '.')) {
    const Token* y = c.Number(i + 4, 2, 4);
    if (y != nullptr && y->digits != 3 && !c.IsPunct(i + 5, ':') && !c.IsPunct(i + 5, '.')) {
      return DateMatch{ExpandYear(*y), b->value, a->value, 0, i, i + 5};
    }
    // "14.03." with the year implied, but not "2.3.4" or "1.2.3.4".
    if (y == nullptr && c.Number(i + 4, 1, 9) != nullptr) return std::nullopt;
    if (c.Number(i + 4, 1, 9) != nullptr && !c.IsPunct(i + 5, ':')) return std::nullopt;
    return DateMatch{0, b->value, a->value, 0, i, i + 4};
  }
  for (char sep : {'/', '-'}) {
    if (!c.IsPunct(i + 1, sep) || !c.IsPunct(i + 3, sep)) continue;
    const Token* y = c.Number(i + 4, 2, 4);
    if (y == nullptr || y->digits == 3) continue;
    if (a->value > 12 || sep == '-' || (c.day_first() && b->value <= 12)) {
      return DateMatch{ExpandYear(*y), b->value, a->value, 0, i, i + 5};
    }
    return DateMatch{ExpandYear(*y), a->value, b->value, 0, i, i + 5};
  }
  return std::nullopt;
}

// After a month name: an optional "." ("Mar."), then the caller's part.
std::size_t SkipMonthDot(const Cursor& c, std::size_t i) { return c.IsPunct(i, '.') ? i + 1 : i; }

// Spanish "de"/"del" between a month and its year ("abril de 2026").
bool IsYearOf(const Cursor& c, std::size_t i) { return c.IsWord(i, "de") || c.IsWord(i, "del"); }

// An optional year after a textual date: ", 2026" / " 2026" / "-26" /
// " de 2026".
std::size_t TakeYear(const Cursor& c, std::size_t i, int* year) {
  std::size_t j = i;
  if (c.IsPunct(j, ',') || c.IsPunct(j, '-') || IsYearOf(c, j)) ++j;
  const Token* y = c.Number(j, 4, 4);
  if (y == nullptr && c.IsPunct(i, '-')) y = c.Number(j, 2, 2);  // RFC 850 "12-Mar-26"
  // A number followed by ':' is a time, not a year.
  if (y == nullptr || c.IsPunct(j + 1, ':')) return i;
  *year = ExpandYear(*y);
  return j + 1;
}

// True iff the number at i is the tail of a longer number, not a day: a
// version "2.3", a time "19:00", "1/3", "+49", a phone number "030 123-12".
// "12-14" stays a range of days.
bool GluedToNumber(const Cursor& c, std::size_t i) {
  const Token* before = i >= 2 ? c.At(i - 2) : nullptr;
  if (before == nullptr || before->kind != Token::kNumber) return false;
  if (c.IsPunct(i - 1, '.') || c.IsPunct(i - 1, ':') || c.IsPunct(i - 1, '/') || c.IsPunct(i - 1, '+')) {
    return true;
  }
  return c.IsPunct(i - 1, '-') && before->digits > 2;
}

// Day first: "12. März 2026", "12 March 2026", "3rd of Feb 2026",
// "12-Mar-26", "1er août", "15 set 2026", "2 de abril de 2026".
std::optional<DateMatch> DayFirstDate(const Cursor& c, std::size_t i) {
  const Token* d = c.Number(i, 1, 2);
  if (d == nullptr || GluedToNumber(c, i)) return std::nullopt;
  std::size_t j = i + 1;
  bool english = false;  // "3rd", "3 of": English, where "set" and "gen" are words
  if (c.IsPunct(j, '.') || c.IsPunct(j, '-')) {
    ++j;
  } else if (SkipOrdinal(c, j) != j) {
    english = !c.IsWord(j, "er");
    ++j;
  }
  if (c.IsWord(j, "of")) {
    english = true;
    ++j;
  } else if (c.IsWord(j, "de")) {
    ++j;  // Spanish "2 de abril"
  }
  const int month = english ? c.Month(j) : c.MonthAfterDay(j);
  if (month == 0) return std::nullopt;
  DateMatch m{0, month, d->value, 0, i, 0};
  m.end = TakeYear(c, SkipMonthDot(c, j + 1), &m.year);
  return m;
}

// A dash or a word joining the first and last day of a range: "12–14",
// "20. bis 21.", "20. und 21.", "2 and 3", "2 to 3", "du 2 au 3", "2 et 3",
// "dal 15 al 16", "15 e 16", "del 2 al 3", "2 y 3". "und", "and", "et", "e"
// and "y" name two days; they are read as the range that holds both.
bool IsDayJoiner(const Cursor& c, std::size_t i) {
  static constexpr std::array<std::string_view, 12> kWords{"bis",   "und", "and", "to", "through", "thru",
                                                           "until", "au",  "et",  "al", "e",       "y"};
  const Token* t = c.At(i);
  if (t == nullptr || t->kind == Token::kNumber) return false;
  if (t->kind == Token::kPunct) return t->value == '-';
  return std::find(kWords.begin(), kWords.end(), t->text) != kWords.end();
}

// After a month-first day at k: the range's last day, "-14" in "March
// 12-14, 2026", "and 21" in "January 20 and 21". Not a time ("May 2 - 3pm").
// Returns the index after it, or k.
std::size_t TakeDayRangeEnd(const Cursor& c, std::size_t k, DateMatch* m) {
  const Token* last = c.Number(k + 1, 1, 2);
  if (last == nullptr || !IsDayJoiner(c, k) || last->value <= m->day || TimeAt(c, k + 1)) {
    return k;
  }
  m->first_day = m->day;
  m->day = last->value;
  return SkipOrdinal(c, k + 2);
}

// Month first: "Mar 12, 2026", "March 12th, 2026", "March 12-14, 2026",
// "March 2026", "abril de 2026".
std::optional<DateMatch> MonthFirstDate(const Cursor& c, std::size_t i) {
  const int month = c.Month(i);
  if (month == 0) return std::nullopt;
  const std::size_t j = SkipMonthDot(c, i + 1);
  const Token* d = c.Number(j, 1, 2);
  if (d == nullptr) {  // a month name alone is no date: "May I ask", "March forward"
    const std::size_t k = IsYearOf(c, j) ? j + 1 : j;
    const Token* y = c.Number(k, 4, 4);
    if (y == nullptr) return std::nullopt;
    return DateMatch{y->value, month, 0, 0, i, k + 1};
  }
  std::size_t k = SkipOrdinal(c, j + 1);
  // "mar. 14 avr.": a day and then a month; the first word was Tuesday
  // (mardi, martedì, martes), the date is the day-first one that follows.
  if (c.MonthAfterDay(SkipMonthDot(c, k)) != 0) return std::nullopt;
  DateMatch m{0, month, d->value, 0, i, 0};
  k = TakeDayRangeEnd(c, k, &m);
  m.end = TakeYear(c, k, &m.year);
  return m;
}

// "12.–14.", "12-", "20. bis", "2 and": the first day of a range written
// before the date at m->begin. Not a time's minutes ("19:00 - 14. März")
// nor the tail of another number.
void TakeRangeStart(const Cursor& c, DateMatch* m) {
  if (m->day == 0 || m->first_day != 0 || m->begin < 2 || !IsDayJoiner(c, m->begin - 1)) return;
  std::size_t k = m->begin - 2;
  if (c.IsPunct(k, '.') && k > 0) --k;
  const Token* n = c.Number(k, 1, 2);
  if (n == nullptr || n->value < 1 || n->value >= m->day || GluedToNumber(c, k)) return;
  m->first_day = n->value;
  m->begin = k;
}

std::optional<DateMatch> FindDate(const Cursor& c) {
  for (std::size_t i = 0; i < c.size(); ++i) {
    auto m = NumericDate(c, i);
    if (!m) m = DayFirstDate(c, i);
    if (!m) m = MonthFirstDate(c, i);
    // Implausible numbers ("12.14.", a version string) are no date: keep looking.
    if (!m || m->month < 1 || m->month > 12 || m->day > 31) continue;
    TakeRangeStart(c, &*m);
    return m;
  }
  return std::nullopt;
}

// --- Relative expressions ---------------------------------------------------

// Days from `ref` to the weekday `wd` (1 = Monday): strictly after `ref`
// when `strict`, else today counts.
int DaysToWeekday(sys_days ref, int wd, bool strict) {
  const int today = static_cast<int>(std::chrono::weekday{ref}.iso_encoding());
  int delta = (wd - today + 7) % 7;
  if (delta == 0 && strict) delta = 7;
  return delta;
}

struct RelativeMatch {
  sys_days first;
  sys_days last;  // inclusive; == first for a single day
  std::size_t end = 0;
};

int UnitDays(std::string_view w) {
  if (w == "day" || w == "days" || w == "tag" || w == "tage" || w == "tagen") return 1;
  if (w == "week" || w == "weeks" || w == "woche" || w == "wochen") return 7;
  return 0;
}

int UnitMonths(std::string_view w) {
  if (w == "month" || w == "months" || w == "monat" || w == "monate" || w == "monaten") return 1;
  if (w == "year" || w == "years" || w == "jahr" || w == "jahre" || w == "jahren") return 12;
  return 0;
}

// "3", "drei", "a": a count at i.
int CountAt(const Cursor& c, std::size_t i) {
  const Token* t = c.At(i);
  if (t == nullptr) return 0;
  if (t->kind == Token::kNumber) return t->digits <= 4 ? t->value : 0;
  if (t->kind == Token::kWord) return Lookup(kNumberWords, t->text);
  return 0;
}

sys_days AddMonths(sys_days d, int months) {
  std::chrono::year_month_day ymd{d};
  auto ym = std::chrono::year_month{ymd.year(), ymd.month()} + std::chrono::months{months};
  auto last = std::chrono::year_month_day_last{ym.year(), std::chrono::month_day_last{ym.month()}};
  auto day = std::min(ymd.day(), last.day());
  return sys_days{std::chrono::year_month_day{ym.year(), ym.month(), day}};
}

RelativeMatch Day(sys_days d, std::size_t end) { return RelativeMatch{d, d, end}; }

// "heute", "tomorrow", "übermorgen", ...: days from the reference.
std::optional<int> NamedDayOffset(std::string_view w) {
  if (w == "heute" || w == "heut" || w == "today" || w == "tonight") return 0;
  if (w == "morgen" || w == "tomorrow") return 1;
  if (w == "uebermorgen") return 2;
  if (w == "gestern" || w == "yesterday") return -1;
  if (w == "vorgestern") return -2;
  return std::nullopt;
}

// "<count> <unit>" at i ("3 Tagen", "a week", "zwei Monate") shifted by
// `sign` from the reference; the match ends after the unit.
std::optional<RelativeMatch> CountedShift(const Cursor& c, std::size_t i, sys_days ref, int sign) {
  const int n = CountAt(c, i);
  const Token* unit = c.At(i + 1);
  if (n <= 0 || n > 3660 || unit == nullptr || unit->kind != Token::kWord) return std::nullopt;
  if (const int d = UnitDays(unit->text); d != 0) return Day(ref + days{sign * n * d}, i + 2);
  if (const int m = UnitMonths(unit->text); m != 0 && n <= 120) {
    return Day(AddMonths(ref, sign * n * m), i + 2);
  }
  return std::nullopt;
}

// "next Tuesday", "letzten Sonntag", "am Freitag", "nächste Woche",
// "übernächste Woche", "next month": a modifier word at i and what follows.
std::optional<RelativeMatch> ModifiedPhrase(const Cursor& c, std::size_t i, sys_days ref) {
  const std::string& w = c.At(i)->text;
  const int after_next = (w == "uebernaechste" || w == "uebernaechsten") ? 7 : 0;
  const bool next = w == "next" || w == "naechsten" || w == "naechste" || w == "naechster" ||
                    w == "kommenden" || w == "kommende" || w == "coming" || after_next > 0;
  const bool last = w == "last" || w == "letzten" || w == "letzte" || w == "vergangenen" || w == "past";
  const bool on = w == "on" || w == "am" || w == "this" || w == "diesen" || w == "dieser" || w == "diese";
  const Token* u = c.At(i + 1);
  if (!(next || last || on) || u == nullptr || u->kind != Token::kWord) return std::nullopt;
  const int today = static_cast<int>(std::chrono::weekday{ref}.iso_encoding());
  if (const int wd = Lookup(kWeekdays, u->text); wd != 0) {
    int delta = DaysToWeekday(ref, wd, next) + after_next;
    if (last) delta = -((today - wd + 7) % 7 == 0 ? 7 : (today - wd + 7) % 7);  // strictly before
    return Day(ref + days{delta}, i + 2);
  }
  if (UnitDays(u->text) == 7 && !on) {  // the Monday-to-Sunday week after (or before) this one
    const sys_days monday = ref - days{today - 1} + days{next ? 7 + after_next : -7};
    return RelativeMatch{monday, monday + days{6}, i + 2};
  }
  if (UnitMonths(u->text) == 1 && !on) {  // the calendar month after (or before) this one
    const std::chrono::year_month_day ymd{ref};
    const auto ym = std::chrono::year_month{ymd.year(), ymd.month()} + std::chrono::months{next ? 1 : -1};
    const sys_days first{ym / std::chrono::day{1}};
    const sys_days end{std::chrono::year_month_day_last{ym.year(), std::chrono::month_day_last{ym.month()}}};
    return RelativeMatch{first, end, i + 2};
  }
  return std::nullopt;
}

std::optional<RelativeMatch> RelativeAt(const Cursor& c, std::size_t i, sys_days ref) {
  const Token* t = c.At(i);
  if (t == nullptr) return std::nullopt;
  if (t->kind == Token::kNumber || Lookup(kNumberWords, t->text) != 0) {
    if (c.IsWord(i + 2, "ago")) {  // "3 days ago", "two weeks ago"
      if (auto r = CountedShift(c, i, ref, -1)) return RelativeMatch{r->first, r->last, i + 3};
    }
  }
  if (t->kind != Token::kWord) return std::nullopt;
  if (auto offset = NamedDayOffset(t->text)) return Day(ref + days{*offset}, i + 1);
  if (auto r = ModifiedPhrase(c, i, ref)) return r;
  if (const int wd = Lookup(kWeekdays, t->text); wd != 0) {  // "Friday", "Freitag, 19 Uhr"
    return Day(ref + days{DaysToWeekday(ref, wd, false)}, i + 1);
  }
  if (t->text == "in") return CountedShift(c, i + 1, ref, +1);   // "in 3 days", "in drei Tagen"
  if (t->text == "vor") return CountedShift(c, i + 1, ref, -1);  // "vor 2 Wochen"
  return std::nullopt;
}

std::optional<RelativeMatch> FindRelative(const Cursor& c, sys_days ref) {
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (auto r = RelativeAt(c, i, ref)) return r;
  }
  return std::nullopt;
}

// --- Assembly ---------------------------------------------------------------

// The year for a date written without one: the one that puts it nearest to
// the reference (an event page in December saying "12 March" means next year).
int NearestYear(int month, int day, sys_days ref) {
  const int ref_year = static_cast<int>(std::chrono::year_month_day{ref}.year());
  int best = ref_year;
  long best_distance = -1;
  for (int y = ref_year - 1; y <= ref_year + 1; ++y) {
    if (!ValidDate(y, month, day == 0 ? 1 : day)) continue;
    const sys_days d{std::chrono::year{y} / std::chrono::month{unsigned(month)} /
                     std::chrono::day{unsigned(day == 0 ? 1 : day)}};
    const long distance = std::labs(static_cast<long>((d - ref).count()));
    if (best_distance < 0 || distance < best_distance) {
      best = y;
      best_distance = distance;
    }
  }
  return best;
}

// A time of day as the text gives it: the start, the end of a range
// ("6–9pm"), the zone.
struct TimeOfDay {
  TimeMatch start;
  std::optional<TimeMatch> end;
  std::optional<ZoneMatch> zone;
};

// `time` with the range end and the zone written after it.
std::optional<TimeOfDay> WithRangeAndZone(const Cursor& c, const std::optional<TimeMatch>& time) {
  if (!time) return std::nullopt;
  TimeOfDay out{*time, TimeRangeEnd(c, time->end), std::nullopt};
  out.zone = ZoneAt(c, out.end ? out.end->end : time->end);
  return out;
}

seconds SinceMidnight(const TimeMatch& t) { return hours{t.hour} + minutes{t.minute} + seconds{t.second}; }

// From a time to the last instant it names: its minute's last second,
// unless the seconds are given.
seconds Tail(const TimeMatch& t) { return t.has_seconds ? seconds{0} : seconds{59}; }

core::ParsedTime Assemble(sys_days first, sys_days last, const std::optional<TimeOfDay>& time) {
  core::ParsedTime out;
  if (!time) {
    out.start = first;
    out.end = last + days{1} - seconds{1};
    out.precision = core::TimePrecision::kDay;
    return out;
  }
  const seconds offset = time->zone ? minutes{time->zone->offset_minutes} : minutes{0};
  const seconds start = SinceMidnight(time->start);
  out.start = first + start - offset;
  out.precision = time->start.has_seconds ? core::TimePrecision::kSecond : core::TimePrecision::kMinute;
  out.end = out.start + Tail(time->start);
  if (time->end) {  // a range ends at the last instant its end names
    seconds end = SinceMidnight(*time->end);
    if (end < start) end += days{1};  // "10pm–2am" ends the next day
    out.end = first + end - offset + Tail(*time->end);
  }
  out.has_offset = time->zone.has_value();
  return out;
}

core::ParsedTime WholeMonth(std::chrono::year y, std::chrono::month m) {
  core::ParsedTime out;
  const std::chrono::year_month_day first{y / m / std::chrono::day{1}};
  out.start = sys_days{first};
  out.precision = core::TimePrecision::kMonth;
  out.end = core::LastInstant(first, out.start, out.precision);
  return out;
}

// asctime puts the year after the time ("Thu Mar 12 19:00:00 2026"):
// that year, or 0.
int YearAfterTime(const Cursor& c, const DateMatch& date, const TimeOfDay& time) {
  if (time.zone || time.end || date.end != time.start.begin) return 0;
  const Token* y = c.Number(time.start.end, 4, 4);
  return y != nullptr && ValidDate(y->value, date.month, date.day) ? y->value : 0;
}

std::optional<core::ParsedTime> FromDate(const Cursor& c, DateMatch date, sys_days ref) {
  if (date.year == 0) date.year = NearestYear(date.month, date.day, ref);
  if (!ValidDate(date.year, date.month, date.day)) return std::nullopt;
  const auto m = std::chrono::month{unsigned(date.month)};
  auto y = std::chrono::year{date.year};
  if (date.day == 0) return WholeMonth(y, m);  // "March 2026": month precision
  if (date.first_day > 0) {                    // a range of days: day precision, no time
    return Assemble(sys_days{y / m / std::chrono::day{unsigned(date.first_day)}},
                    sys_days{y / m / std::chrono::day{unsigned(date.day)}}, std::nullopt);
  }
  auto time = WithRangeAndZone(c, FindTime(c, date.end, date.begin, date.end));
  if (time) {
    if (const int year = YearAfterTime(c, date, *time); year != 0) {
      y = std::chrono::year{year};
      time->zone = ZoneAt(c, time->start.end + 1);
    }
  }
  const sys_days day{y / m / std::chrono::day{unsigned(date.day)}};
  return Assemble(day, day, time);
}

core::ParsedTime FromRelative(const Cursor& c, const RelativeMatch& rel) {
  std::optional<TimeMatch> time;
  if (rel.first == rel.last) time = FindTime(c, rel.end, 0, rel.end);
  return Assemble(rel.first, rel.last, WithRangeAndZone(c, time));
}

}  // namespace

std::optional<core::ParsedTime> ParseDate(std::string_view text, core::TimePoint reference) {
  text = core::Trim(text.substr(0, kMaxInputBytes));
  if (text.empty()) return std::nullopt;
  if (auto iso = core::ParseIsoTime(text)) return iso;

  const std::vector<Token> tokens = Tokenize(text);
  const Cursor c(tokens);
  const sys_days ref = std::chrono::floor<days>(reference);

  if (auto date = FindDate(c)) return FromDate(c, *date, ref);
  if (auto rel = FindRelative(c, ref)) return FromRelative(c, *rel);
  return std::nullopt;
}

}  // namespace telescreen::extract
