#include "core/time.h"

#include <gtest/gtest.h>

namespace telescreen::core {
namespace {

TEST(TimeTest, ParsesDateKeepingDayPrecision) {
  auto t = ParseIsoTime("2026-03-12");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->precision, TimePrecision::kDay);
  EXPECT_EQ(FormatIsoUtc(t->start), "2026-03-12T00:00:00Z");
  EXPECT_EQ(FormatIsoUtc(t->end), "2026-03-12T23:59:59Z");
}

TEST(TimeTest, ParsesOffsetsAndFractions) {
  auto t = ParseIsoTime("2015-10-21T19:00:00.250+02:00");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->has_offset);
  EXPECT_EQ(FormatIsoUtc(t->start), "2015-10-21T17:00:00Z");
  EXPECT_EQ(FormatIsoUtc(ParseIsoTime("2015-10-21T19:00Z")->start), "2015-10-21T19:00:00Z");
  EXPECT_EQ(FormatIsoUtc(ParseIsoTime("2015-10-21 19:00-0130")->start), "2015-10-21T20:30:00Z");
}

TEST(TimeTest, ParsesCompactIcalendarForms) {
  EXPECT_EQ(FormatIsoUtc(ParseIsoTime("20260312T190000Z")->start), "2026-03-12T19:00:00Z");
  EXPECT_EQ(ParseIsoTime("20260312")->precision, TimePrecision::kDay);
}

TEST(TimeTest, LastInstantEndsTheNamedPeriod) {
  using namespace std::chrono;
  const year_month_day leap_feb{year{2028} / February / day{1}};
  const TimePoint first{sys_days{leap_feb}};
  EXPECT_EQ(FormatIsoUtc(LastInstant(leap_feb, first, TimePrecision::kMonth)), "2028-02-29T23:59:59Z");
  EXPECT_EQ(FormatIsoUtc(LastInstant(leap_feb, first, TimePrecision::kYear)), "2028-12-31T23:59:59Z");
  const TimePoint evening = first + hours{19} + minutes{30};
  EXPECT_EQ(FormatIsoUtc(LastInstant(leap_feb, evening, TimePrecision::kMinute)), "2028-02-01T19:30:59Z");
  EXPECT_EQ(LastInstant(leap_feb, evening, TimePrecision::kSecond), evening);
}

TEST(TimeTest, YearAndMonthPrecision) {
  auto m = ParseIsoTime("2024-02");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->precision, TimePrecision::kMonth);
  EXPECT_EQ(FormatIsoUtc(m->end), "2024-02-29T23:59:59Z");
  EXPECT_EQ(ParseIsoTime("2024")->precision, TimePrecision::kYear);
}

TEST(TimeTest, RejectsGarbage) {
  for (const char* s : {"", "tomorrow", "2026-13-01", "2026-02-30", "2026-03-12T25:00", "2026-03-12Tfoo",
                        "12.03.2026", "2026-03-12T10:00+99:00"}) {
    EXPECT_FALSE(ParseIsoTime(s)) << s;
  }
}

TEST(TimeTest, ParseNowNamesBadInput) {
  auto r = ParseNow("yesterday");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("yesterday"), std::string::npos);
  EXPECT_EQ(FormatIsoUtc(ParseNow("2015-10-01").value()), "2015-10-01T00:00:00Z");
}

}  // namespace
}  // namespace telescreen::core
