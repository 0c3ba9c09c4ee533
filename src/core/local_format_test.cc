#include "core/local_format.h"

#include <gtest/gtest.h>

#include <cmath>

namespace telescreen::core {
namespace {

constexpr Language kDe = Language::kGerman;
constexpr Language kEn = Language::kEnglish;

TEST(FormatMoment, GermanSaysWeekdayDayMonthAndTime) {
  // 12 March 2026 is a Thursday.
  EXPECT_EQ(FormatMoment("2026-03-12T19:00", kDe), "Do., 12. März 2026, 19:00 Uhr");
  EXPECT_EQ(FormatMoment("2026-03-14T19:00:00", kDe), "Sa., 14. März 2026, 19:00 Uhr");
  EXPECT_EQ(FormatMoment("2026-03-15", kDe), "So., 15. März 2026");
  EXPECT_EQ(FormatMoment("2026-12", kDe), "Dezember 2026");
  EXPECT_EQ(FormatMoment("2026", kDe), "2026");
  EXPECT_EQ(FormatMoment("2027-01-04T08:05", kDe), "Mo., 4. Januar 2027, 08:05 Uhr");
}

TEST(FormatMoment, EnglishKeepsTheIsoForm) {
  EXPECT_EQ(FormatMoment("2026-03-12T19:00", kEn), "2026-03-12 19:00");
  EXPECT_EQ(FormatMoment("2026-03-15", kEn), "2026-03-15");
  EXPECT_EQ(FormatMoment("2026-12", kEn), "2026-12");
  EXPECT_EQ(FormatMoment("2026", kEn), "2026");
  EXPECT_EQ(FormatMoment("20260312T190000", kEn), "2026-03-12 19:00");
}

TEST(ReaderMoment, EnglishAsWrittenOtherLanguagesFormatted) {
  EXPECT_EQ(ReaderMoment("2026-03-12T19:00"), "2026-03-12T19:00");
  UseLanguage(kDe);
  const std::string german = ReaderMoment("2026-03-12T19:00");
  const std::string day = ReaderMoment("2026-03-12T19:00", TimePrecision::kDay);
  UseLanguage(kEn);
  EXPECT_EQ(german, "Do., 12. März 2026, 19:00 Uhr");
  EXPECT_EQ(day, "Do., 12. März 2026");
}

TEST(FormatMoment, WallClockAsWrittenAndUtcSaid) {
  EXPECT_EQ(FormatMoment("2026-03-12T19:00+02:00", kDe), "Do., 12. März 2026, 19:00 Uhr");
  EXPECT_EQ(FormatMoment("2026-03-12T23:30:00-05:00", kEn), "2026-03-12 23:30");
  EXPECT_EQ(FormatMoment("2026-12-01T10:00:00Z", kDe), "Di., 1. Dezember 2026, 10:00 Uhr UTC");
  EXPECT_EQ(FormatMoment("2026-12-01T10:00:00Z", kEn), "2026-12-01 10:00 UTC");
  EXPECT_EQ(FormatMoment("20260312T190000Z", kDe), "Do., 12. März 2026, 19:00 Uhr UTC");
}

TEST(FormatMoment, FinestPrecisionIsABound) {
  EXPECT_EQ(FormatMoment("2026-12-01T10:00:05Z", kDe, TimePrecision::kSecond),
            "Di., 1. Dezember 2026, 10:00:05 Uhr UTC");
  EXPECT_EQ(FormatMoment("2026-12-01T10:00:05Z", kEn, TimePrecision::kSecond), "2026-12-01 10:00:05 UTC");
  EXPECT_EQ(FormatMoment("2026-11-28T08:15:00Z", kDe, TimePrecision::kDay), "Sa., 28. November 2026");
  EXPECT_EQ(FormatMoment("2026-11-28T08:15:00Z", kEn, TimePrecision::kDay), "2026-11-28");
  // A finer bound never invents precision the author did not give.
  EXPECT_EQ(FormatMoment("2026-05", kDe, TimePrecision::kSecond), "Mai 2026");
}

TEST(FormatMoment, TextThatIsNoDateStaysAsItIs) {
  EXPECT_EQ(FormatMoment("nächste Woche", kDe), "nächste Woche");
  EXPECT_EQ(FormatMoment("", kDe), "");
  EXPECT_EQ(FormatMoment("<b>x</b>", kEn), "<b>x</b>");
}

TEST(WeekdayName, NamesTheDayOrEachWeekOnIt) {
  EXPECT_EQ(WeekdayName(0, kEn), "Sunday");
  EXPECT_EQ(WeekdayName(4, kDe), "Donnerstag");
  EXPECT_EQ(WeekdayName(6, kEn, WeekdayForm::kEvery), "on Saturdays");
  EXPECT_EQ(WeekdayName(3, kDe, WeekdayForm::kEvery), "mittwochs");
  // Taken modulo 7, negative counts too.
  EXPECT_EQ(WeekdayName(8, kEn), "Monday");
  EXPECT_EQ(WeekdayName(-1, kDe), "Samstag");
}

TEST(FormatDecimal, GermanUsesTheDecimalComma) {
  EXPECT_EQ(FormatDecimal(3.5, 1, kDe), "3,5");
  EXPECT_EQ(FormatDecimal(3.5, 1, kEn), "3.5");
  EXPECT_EQ(FormatDecimal(12.345, 2, kDe), "12,35");
  EXPECT_EQ(FormatDecimal(7, 0, kDe), "7");
  EXPECT_EQ(FormatDecimal(-0.25, 1, kEn), "-0.2");
  EXPECT_EQ(FormatDecimal(std::nan(""), 1, kDe), "0,0");
}

}  // namespace
}  // namespace telescreen::core
