#include "fetch/http_date.h"

#include <array>
#include <chrono>

#include "core/text.h"

namespace telescreen::fetch {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDays = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                       "Friday", "Saturday", "Sunday"};

// A read position in the text; every method consumes only on success.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}

  bool Literal(std::string_view x) {
    if (s_.substr(i_, x.size()) != x) return false;
    i_ += x.size();
    return true;
  }
  // Exactly `n` ASCII digits.
  bool Digits(int n, int* out) {
    if (i_ + static_cast<std::size_t>(n) > s_.size()) return false;
    int v = 0;
    for (int k = 0; k < n; ++k) {
      char c = s_[i_ + static_cast<std::size_t>(k)];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    i_ += static_cast<std::size_t>(n);
    *out = v;
    return true;
  }
  // One of `names` (the longest that matches); its index in *out.
  template <std::size_t N>
  bool OneOf(const std::array<std::string_view, N>& names, int* out) {
    int best = -1;
    for (std::size_t k = 0; k < N; ++k) {
      if (s_.substr(i_, names[k].size()) == names[k] &&
          (best < 0 || names[k].size() > names[static_cast<std::size_t>(best)].size())) {
        best = static_cast<int>(k);
      }
    }
    if (best < 0) return false;
    i_ += names[static_cast<std::size_t>(best)].size();
    *out = best;
    return true;
  }
  bool AtEnd() const { return i_ == s_.size(); }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

struct Fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// time-of-day = hour ":" minute ":" second (second 60: a leap second).
bool TimeOfDay(Cursor* c, Fields* f) {
  return c->Digits(2, &f->hour) && c->Literal(":") && c->Digits(2, &f->minute) && c->Literal(":") &&
         c->Digits(2, &f->second) && f->hour <= 23 && f->minute <= 59 && f->second <= 60;
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
bool ImfFixdate(std::string_view s, Fields* f) {
  Cursor c(s);
  int ignored = 0;
  return c.OneOf(kDays, &ignored) && c.Literal(", ") && c.Digits(2, &f->day) && c.Literal(" ") &&
         c.OneOf(kMonths, &f->month) && c.Literal(" ") && c.Digits(4, &f->year) && c.Literal(" ") &&
         TimeOfDay(&c, f) && c.Literal(" GMT") && c.AtEnd();
}

// rfc850-date: "Sunday, 06-Nov-94 08:49:37 GMT" (year: two digits).
bool Rfc850(std::string_view s, Fields* f) {
  Cursor c(s);
  int ignored = 0;
  return c.OneOf(kLongDays, &ignored) && c.Literal(", ") && c.Digits(2, &f->day) && c.Literal("-") &&
         c.OneOf(kMonths, &f->month) && c.Literal("-") && c.Digits(2, &f->year) && c.Literal(" ") &&
         TimeOfDay(&c, f) && c.Literal(" GMT") && c.AtEnd();
}

// asctime-date: "Sun Nov  6 08:49:37 1994" (day: two digits or space and one).
bool Asctime(std::string_view s, Fields* f) {
  Cursor c(s);
  int ignored = 0;
  if (!c.OneOf(kDays, &ignored) || !c.Literal(" ") || !c.OneOf(kMonths, &f->month) || !c.Literal(" ")) {
    return false;
  }
  if (!(c.Literal(" ") ? c.Digits(1, &f->day) : c.Digits(2, &f->day))) return false;
  return c.Literal(" ") && TimeOfDay(&c, f) && c.Literal(" ") && c.Digits(4, &f->year) && c.AtEnd();
}

// RFC 9110 section 5.6.3 optional whitespace, and a CR left by a line split.
std::string_view Trim(std::string_view s) { return core::Trim(s, " \t\r"); }

}  // namespace

std::optional<core::TimePoint> ParseHttpDate(std::string_view text, core::TimePoint reference) {
  using namespace std::chrono;
  text = Trim(text);
  Fields f;
  if (!ImfFixdate(text, &f) && !Asctime(text, &f)) {
    f = Fields{};
    if (!Rfc850(text, &f)) return std::nullopt;
    // RFC 9110 section 5.6.7: a two-digit year that appears more than 50
    // years in the future is the most recent past year with those digits.
    int ref_year = static_cast<int>(year_month_day(floor<days>(reference)).year());
    int year = ref_year - ref_year % 100 + f.year;
    if (year > ref_year + 50) year -= 100;
    if (year <= ref_year - 50) year += 100;
    f.year = year;
  }
  year_month_day date{year(f.year), month(static_cast<unsigned>(f.month + 1)),
                      day(static_cast<unsigned>(f.day))};
  if (!date.ok()) return std::nullopt;
  return sys_days(date) + hours(f.hour) + minutes(f.minute) + seconds(f.second);
}

std::optional<core::TimePoint> ParseHttpDate(std::string_view text) {
  return ParseHttpDate(text, core::SystemClock().Now());
}

std::string HttpDateToIso(std::string_view text) {
  auto t = ParseHttpDate(text);
  return t ? core::FormatIsoUtc(*t) : std::string();
}

}  // namespace telescreen::fetch
