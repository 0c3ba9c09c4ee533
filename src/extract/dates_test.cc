#include "extract/dates.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace telescreen::extract {
namespace {

using core::TimePrecision;

// Tuesday, 10 March 2026, noon UTC: the date of the post holding the phrase.
core::TimePoint Reference() { return core::ParseNow("2026-03-10T12:00:00Z").value(); }

struct Expect {
  std::string start;  // FormatIsoUtc of the start
  TimePrecision precision;
  bool has_offset;
};

::testing::AssertionResult Parses(std::string_view text, const Expect& want) {
  auto got = ParseDate(text, Reference());
  if (!got) return ::testing::AssertionFailure() << "'" << text << "' not recognised";
  const std::string start = core::FormatIsoUtc(got->start);
  if (start != want.start || got->precision != want.precision || got->has_offset != want.has_offset) {
    return ::testing::AssertionFailure()
           << "'" << text << "' -> " << start << " precision " << static_cast<int>(got->precision)
           << " offset " << got->has_offset << "; want " << want.start << " precision "
           << static_cast<int>(want.precision) << " offset " << want.has_offset;
  }
  return ::testing::AssertionSuccess();
}

// A date written with a range: start, end and precision, read against `reference`.
struct Span {
  std::string start;  // FormatIsoUtc of the start
  std::string end;    // FormatIsoUtc of the inclusive end
  TimePrecision precision = TimePrecision::kDay;
};

::testing::AssertionResult SpansAt(std::string_view text, std::string_view reference, const Span& want) {
  auto got = ParseDate(text, core::ParseNow(reference).value());
  if (!got) return ::testing::AssertionFailure() << "'" << text << "' not recognised";
  const std::string start = core::FormatIsoUtc(got->start);
  const std::string end = core::FormatIsoUtc(got->end);
  if (start != want.start || end != want.end || got->precision != want.precision || got->has_offset) {
    return ::testing::AssertionFailure()
           << "'" << text << "' -> " << start << ".." << end << " precision "
           << static_cast<int>(got->precision) << " offset " << got->has_offset << "; want " << want.start
           << ".." << want.end << " precision " << static_cast<int>(want.precision);
  }
  return ::testing::AssertionSuccess();
}

constexpr auto kDay = TimePrecision::kDay;
constexpr auto kMinute = TimePrecision::kMinute;
constexpr auto kSecond = TimePrecision::kSecond;

TEST(ParseDateTest, IsoForms) {
  EXPECT_TRUE(Parses("2026-03-12", {"2026-03-12T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("2026-03-12T19:00:00Z", {"2026-03-12T19:00:00Z", kSecond, true}));
  EXPECT_TRUE(Parses("2026-03-12 19:00", {"2026-03-12T19:00:00Z", kMinute, false}));
  EXPECT_TRUE(Parses("2026-03-12T19:00+01:00", {"2026-03-12T18:00:00Z", kMinute, true}));
  EXPECT_TRUE(Parses("  2026-03-12\n", {"2026-03-12T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("Posted 2026-03-12T19:00:00Z by ann", {"2026-03-12T19:00:00Z", kSecond, true}));
  EXPECT_TRUE(Parses("2026/03/12", {"2026-03-12T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("2026-W11-4", {"2026-03-12T00:00:00Z", kDay, false}));  // ISO week date
  EXPECT_TRUE(Parses("2021-W01-1", {"2021-01-04T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("2020-W53-7", {"2021-01-03T00:00:00Z", kDay, false}));
}

TEST(ParseDateTest, Rfc2822AndHttpDates) {
  // RFC 5322 section 3.3 and RFC 9110 section 5.6.7 (IMF-fixdate, RFC 850, asctime).
  EXPECT_TRUE(Parses("Thu, 12 Mar 2026 19:00:00 +0100", {"2026-03-12T18:00:00Z", kSecond, true}));
  EXPECT_TRUE(Parses("Thu, 12 Mar 2026 19:00:00 GMT", {"2026-03-12T19:00:00Z", kSecond, true}));
  EXPECT_TRUE(Parses("Thu, 12 Mar 2026 19:00:00 -0500", {"2026-03-13T00:00:00Z", kSecond, true}));
  EXPECT_TRUE(Parses("Thursday, 12-Mar-26 19:00:00 GMT", {"2026-03-12T19:00:00Z", kSecond, true}));
  EXPECT_TRUE(Parses("Thu Mar 12 19:00:00 2026", {"2026-03-12T19:00:00Z", kSecond, false}));
  EXPECT_TRUE(Parses("12 Mar 2026 19:00 CET", {"2026-03-12T18:00:00Z", kMinute, true}));
}

TEST(ParseDateTest, GermanTextualDates) {
  EXPECT_TRUE(Parses("12. März 2026", {"2026-03-12T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("12. Maerz 2026", {"2026-03-12T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("12. MÄRZ 2026", {"2026-03-12T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("Dienstag, 3. Februar 2026, 19:00 Uhr", {"2026-02-03T19:00:00Z", kMinute, false}));
  EXPECT_TRUE(Parses("Sa., 14. Nov. 2026 um 20 Uhr", {"2026-11-14T20:00:00Z", kMinute, false}));
  EXPECT_TRUE(Parses("1. Dezember 2026, 18.30 Uhr (MEZ)", {"2026-12-01T17:30:00Z", kMinute, true}));
  EXPECT_TRUE(Parses("5. Juli 2026 20:00 MESZ", {"2026-07-05T18:00:00Z", kMinute, true}));
  EXPECT_TRUE(Parses("Einlass: 19 Uhr, 7. Mai 2026", {"2026-05-07T19:00:00Z", kMinute, false}));
}

TEST(ParseDateTest, NumericDates) {
  EXPECT_TRUE(Parses("12.03.2026", {"2026-03-12T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("12.3.26", {"2026-03-12T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("12.03.2026, 19:30", {"2026-03-12T19:30:00Z", kMinute, false}));
  EXPECT_TRUE(Parses("3/12/2026", {"2026-03-12T00:00:00Z", kDay, false}));                // US order
  EXPECT_TRUE(Parses("25/12/2026", {"2026-12-25T00:00:00Z", kDay, false}));               // cannot be US
  EXPECT_TRUE(Parses("12/03/2026 um 19 Uhr", {"2026-03-12T19:00:00Z", kMinute, false}));  // German
  EXPECT_TRUE(Parses("3/12/2026 7 am", {"2026-03-12T07:00:00Z", kMinute, false}));
  EXPECT_TRUE(Parses("Sa 14.03. 20:00", {"2026-03-14T20:00:00Z", kMinute, false}));
}

TEST(ParseDateTest, EnglishTextualDates) {
  EXPECT_TRUE(Parses("Mar 12, 2026", {"2026-03-12T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("March 12th, 2026", {"2026-03-12T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("12 March 2026", {"2026-03-12T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("3 Feb 2026 7pm", {"2026-02-03T19:00:00Z", kMinute, false}));
  EXPECT_TRUE(Parses("Sat, Nov 14, 2026 at 8:30 PM EST", {"2026-11-15T01:30:00Z", kMinute, true}));
  EXPECT_TRUE(Parses("the 3rd of February 2026", {"2026-02-03T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("Mar. 1, 2026, 7 p.m.", {"2026-03-01T19:00:00Z", kMinute, false}));
  EXPECT_TRUE(Parses("12 am, June 1 2026", {"2026-06-01T00:00:00Z", kMinute, false}));
}

TEST(ParseDateTest, DayRanges) {
  struct Case {
    std::string_view text, start, end;
  };
  for (const Case& k : {Case{"12.–14. März 2026", "2026-03-12T00:00:00Z", "2026-03-14T23:59:59Z"},
                        Case{"12.-14.03.2026", "2026-03-12T00:00:00Z", "2026-03-14T23:59:59Z"},
                        Case{"March 12-14, 2026", "2026-03-12T00:00:00Z", "2026-03-14T23:59:59Z"},
                        Case{"3 – 5 May 2026", "2026-05-03T00:00:00Z", "2026-05-05T23:59:59Z"}}) {
    auto got = ParseDate(k.text, Reference());
    ASSERT_TRUE(got) << k.text;
    EXPECT_EQ(core::FormatIsoUtc(got->start), k.start) << k.text;
    EXPECT_EQ(core::FormatIsoUtc(got->end), k.end) << k.text;
    EXPECT_EQ(got->precision, TimePrecision::kDay) << k.text;
  }
  // A time before a date is not the start of a range.
  EXPECT_TRUE(Parses("19:00 - 14. März 2026", {"2026-03-14T19:00:00Z", kMinute, false}));
}

TEST(ParseDateTest, EventSitePhrases) {
  // Meetup, Eventbrite, XING and Songkick style lines.
  EXPECT_TRUE(Parses("Thursday, March 12, 2026 at 7:00 PM CET", {"2026-03-12T18:00:00Z", kMinute, true}));
  // The range end is not a "-10:00" offset; the zone after it applies.
  EXPECT_TRUE(Parses("Sat, Mar 14, 2026 7:00 PM - 10:00 PM CET", {"2026-03-14T18:00:00Z", kMinute, true}));
  EXPECT_TRUE(Parses("12.03.2026, 19:00 - 21:00 Uhr", {"2026-03-12T19:00:00Z", kMinute, false}));
  EXPECT_TRUE(Parses("Fr, 13.03.2026, 19 - 21 Uhr", {"2026-03-13T19:00:00Z", kMinute, false}));
  EXPECT_TRUE(Parses("Fr, 13.03.2026 ab 20:00", {"2026-03-13T20:00:00Z", kMinute, false}));
  EXPECT_TRUE(Parses("Friday 13 March 2026", {"2026-03-13T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("Mon 16 Mar 19:30", {"2026-03-16T19:30:00Z", kMinute, false}));
  EXPECT_TRUE(Parses("this Friday at noon", {"2026-03-13T12:00:00Z", kMinute, false}));
  EXPECT_TRUE(Parses("übernächste Woche", {"2026-03-23T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("Dec 31, 2025 11:59pm PST", {"2026-01-01T07:59:00Z", kMinute, true}));
}

TEST(ParseDateTest, MonthPrecision) {
  auto got = ParseDate("March 2026", Reference());
  ASSERT_TRUE(got);
  EXPECT_EQ(got->precision, TimePrecision::kMonth);
  EXPECT_EQ(core::FormatIsoUtc(got->start), "2026-03-01T00:00:00Z");
  EXPECT_EQ(core::FormatIsoUtc(got->end), "2026-03-31T23:59:59Z");
}

TEST(ParseDateTest, DayPrecisionCoversTheWholeDay) {
  auto got = ParseDate("12. März 2026", Reference());
  ASSERT_TRUE(got);
  EXPECT_EQ(core::FormatIsoUtc(got->end), "2026-03-12T23:59:59Z");
}

TEST(ParseDateTest, MissingYearIsTheNearestOne) {
  EXPECT_TRUE(Parses("14. März", {"2026-03-14T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("January 5", {"2027-01-05T00:00:00Z", kDay, false}) ||
              Parses("January 5", {"2026-01-05T00:00:00Z", kDay, false}));
  // Nearest to 10 March 2026: 2 Dec 2025 (98 days back) beats 2 Dec 2026.
  EXPECT_TRUE(Parses("2. Dezember", {"2025-12-02T00:00:00Z", kDay, false}));
}

TEST(ParseDateTest, GermanRelative) {
  EXPECT_TRUE(Parses("heute", {"2026-03-10T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("Morgen", {"2026-03-11T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("übermorgen", {"2026-03-12T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("gestern", {"2026-03-09T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("morgen um 19 Uhr", {"2026-03-11T19:00:00Z", kMinute, false}));
  // The reference is a Tuesday: "nächsten Dienstag" is a week on.
  EXPECT_TRUE(Parses("nächsten Dienstag", {"2026-03-17T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("am Freitag", {"2026-03-13T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("in drei Tagen", {"2026-03-13T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("vor 2 Wochen", {"2026-02-24T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("letzten Sonntag", {"2026-03-08T00:00:00Z", kDay, false}));
}

TEST(ParseDateTest, NextWeekIsMondayToSunday) {
  for (std::string_view text : {"nächste Woche", "next week"}) {
    auto got = ParseDate(text, Reference());
    ASSERT_TRUE(got) << text;
    EXPECT_EQ(core::FormatIsoUtc(got->start), "2026-03-16T00:00:00Z") << text;
    EXPECT_EQ(core::FormatIsoUtc(got->end), "2026-03-22T23:59:59Z") << text;
    EXPECT_EQ(got->precision, TimePrecision::kDay);
  }
}

TEST(ParseDateTest, EnglishRelative) {
  EXPECT_TRUE(Parses("today", {"2026-03-10T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("Tomorrow at 7pm", {"2026-03-11T19:00:00Z", kMinute, false}));
  EXPECT_TRUE(Parses("yesterday", {"2026-03-09T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("next Tuesday", {"2026-03-17T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("on Friday", {"2026-03-13T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("on Tuesday", {"2026-03-10T00:00:00Z", kDay, false}));  // today counts
  EXPECT_TRUE(Parses("in 3 days", {"2026-03-13T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("in two weeks", {"2026-03-24T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("3 days ago", {"2026-03-07T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("in a month", {"2026-04-10T00:00:00Z", kDay, false}));
}

// Dates from LinkedIn and XING posts, often without a year: the year is the
// one nearest to the post's date (the reference).

TEST(ParseDateTest, EnglishTimeRanges) {
  struct Case {
    std::string_view text;
    Span want;
  };
  const Case cases[] = {
      // "6–9pm": the start takes the end's "pm"; the end is the last minute named.
      {"apr 10, 6–9pm", {"2026-04-10T18:00:00Z", "2026-04-10T21:00:59Z", kMinute}},
      {"Apr 10, 6 - 9 pm", {"2026-04-10T18:00:00Z", "2026-04-10T21:00:59Z", kMinute}},
      {"Apr 10, 6pm–9pm", {"2026-04-10T18:00:00Z", "2026-04-10T21:00:59Z", kMinute}},
      {"Apr 10, 6:30–9pm", {"2026-04-10T18:30:00Z", "2026-04-10T21:00:59Z", kMinute}},
      // Across noon the start stays in the morning.
      {"Apr 10, 11–1pm", {"2026-04-10T11:00:00Z", "2026-04-10T13:00:59Z", kMinute}},
      {"Apr 10, 9–5pm", {"2026-04-10T09:00:00Z", "2026-04-10T17:00:59Z", kMinute}},
      {"Apr 10, 10–noon", {"2026-04-10T10:00:00Z", "2026-04-10T12:00:59Z", kMinute}},
      // An end before the start is on the next day.
      {"Apr 10, 10pm–2am", {"2026-04-10T22:00:00Z", "2026-04-11T02:00:59Z", kMinute}},
      // Single times.
      {"Apr 10, 6pm", {"2026-04-10T18:00:00Z", "2026-04-10T18:00:59Z", kMinute}},
      {"April 10 at 6:30 PM", {"2026-04-10T18:30:00Z", "2026-04-10T18:30:59Z", kMinute}},
      // "10, 6": the 6 is neither a day nor (without am/pm) a time.
      {"apr 10, 6", {"2026-04-10T00:00:00Z", "2026-04-10T23:59:59Z", kDay}},
  };
  for (const Case& k : cases) EXPECT_TRUE(SpansAt(k.text, "2026-03-26T09:00:00Z", k.want));
  // With a zone after the range end.
  auto zoned = ParseDate("Sat, Mar 14, 2026 7:00 PM - 10:00 PM CET", Reference());
  ASSERT_TRUE(zoned);
  EXPECT_EQ(core::FormatIsoUtc(zoned->end), "2026-03-14T21:00:59Z");
}

TEST(ParseDateTest, GermanTimeRanges) {
  constexpr std::string_view kRef = "2026-03-10T12:00:00Z";
  EXPECT_TRUE(SpansAt("12.03.2026, 19:00 - 21:00 Uhr", kRef,
                      {"2026-03-12T19:00:00Z", "2026-03-12T21:00:59Z", kMinute}));
  EXPECT_TRUE(SpansAt("Fr, 13.03.2026, 19 - 21 Uhr", kRef,
                      {"2026-03-13T19:00:00Z", "2026-03-13T21:00:59Z", kMinute}));
  EXPECT_TRUE(
      SpansAt("13.03.2026, 19 bis 21 Uhr", kRef, {"2026-03-13T19:00:00Z", "2026-03-13T21:00:59Z", kMinute}));
  // A bare number before a range end without "Uhr" is no start: a room, not 3 o'clock.
  EXPECT_TRUE(SpansAt("Raum 3 - 14:00, 12. März 2026", kRef,
                      {"2026-03-12T14:00:00Z", "2026-03-12T14:00:59Z", kMinute}));
}

TEST(ParseDateTest, EnglishDayRangesWithoutYear) {
  constexpr std::string_view kRef = "2026-03-23T09:00:00Z";
  for (std::string_view text : {"may 2–3", "May 2-3", "May 2 – 3", "May 2 to 3", "May 2 and 3"}) {
    EXPECT_TRUE(SpansAt(text, kRef, {"2026-05-02T00:00:00Z", "2026-05-03T23:59:59Z"}));
  }
  // A weekday before a day-first date; words and "!" around it are skipped.
  constexpr std::string_view kFriday = "2026-02-27T09:00:00Z";
  for (std::string_view text : {"Tuesday, 3 March", "on Tuesday, 3 March!", "Tue 3 Mar"}) {
    EXPECT_TRUE(SpansAt(text, kFriday, {"2026-03-03T00:00:00Z", "2026-03-03T23:59:59Z"}));
  }
}

TEST(ParseDateTest, DayRangesJoinedByWords) {
  constexpr std::string_view kRef = "2026-03-10T12:00:00Z";
  const Span jan_20_21{"2010-01-20T00:00:00Z", "2010-01-21T23:59:59Z"};
  // German numeric day-month-year with the day range joined by "und", "bis" or a dash.
  EXPECT_TRUE(SpansAt("20. und 21. 1. 2010", kRef, jan_20_21));
  EXPECT_TRUE(SpansAt("20. bis 21. 1. 2010", kRef, jan_20_21));
  EXPECT_TRUE(SpansAt("20.-21. 1. 2010", kRef, jan_20_21));
  EXPECT_TRUE(SpansAt("20.–21.1.2010", kRef, jan_20_21));
  // German textual: "vom ... bis ...".
  EXPECT_TRUE(SpansAt("vom 20. bis 21. Januar 2010", kRef, jan_20_21));
  // English, day first and month first.
  EXPECT_TRUE(SpansAt("20 and 21 January 2010", kRef, jan_20_21));
  EXPECT_TRUE(SpansAt("January 20 and 21, 2010", kRef, jan_20_21));
  EXPECT_TRUE(SpansAt("from 20 to 21 January 2010", kRef, jan_20_21));
}

TEST(ParseDateTest, ItalianDates) {
  constexpr std::string_view kRef = "2026-03-10T12:00:00Z";
  const Span april_15_16{"2026-04-15T00:00:00Z", "2026-04-16T23:59:59Z"};
  // Day ranges: "il 15–16 aprile", "dal 15 al 16 aprile", "15 e 16 aprile".
  for (std::string_view text :
       {"il 15–16 aprile", "15–16 aprile", "dal 15 al 16 aprile", "15 e 16 aprile", "15-16 Aprile"}) {
    EXPECT_TRUE(SpansAt(text, kRef, april_15_16)) << text;
  }
  EXPECT_TRUE(
      SpansAt("il 2-3 aprile", "2025-03-20T12:00:00Z", {"2025-04-02T00:00:00Z", "2025-04-03T23:59:59Z"}));
  // Weekday, day, month, year, time ("martedì" with and without the accent).
  EXPECT_TRUE(Parses("martedì 3 marzo 2026", {"2026-03-03T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("martedi 3 marzo 2026", {"2026-03-03T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("lunedì 16 marzo alle 18:30", {"2026-03-16T18:30:00Z", kMinute, false}));
  EXPECT_TRUE(Parses("venerdì", {"2026-03-13T00:00:00Z", kDay, false}));  // the coming Friday
  // Every month, in full and abbreviated after a day ("15 set", "3 ago").
  EXPECT_TRUE(Parses("1 gennaio 2026", {"2026-01-01T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("1 gen 2026", {"2026-01-01T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("2 febbraio 2026", {"2026-02-02T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("3 mar 2026", {"2026-03-03T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("5 maggio 2026", {"2026-05-05T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("5 mag. 2026", {"2026-05-05T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("6 giugno 2026", {"2026-06-06T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("6 giu 2026", {"2026-06-06T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("7 luglio 2026", {"2026-07-07T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("7 lug 2026", {"2026-07-07T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("8 agosto 2026", {"2026-08-08T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("8 ago 2026", {"2026-08-08T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("9 settembre 2026", {"2026-09-09T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("15 set 2026", {"2026-09-15T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("10 ottobre 2026", {"2026-10-10T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("10 ott 2026", {"2026-10-10T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("11 novembre 2026", {"2026-11-11T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("12 dicembre 2026", {"2026-12-12T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("12 dic 2026", {"2026-12-12T00:00:00Z", kDay, false}));
  // "mar" before a day and another month is "martedì", not March.
  EXPECT_TRUE(Parses("mar 14 apr 2026", {"2026-04-14T00:00:00Z", kDay, false}));
}

TEST(ParseDateTest, SpanishDates) {
  constexpr std::string_view kRef = "2026-03-10T12:00:00Z";
  EXPECT_TRUE(SpansAt("del 2 al 3 de abril", kRef, {"2026-04-02T00:00:00Z", "2026-04-03T23:59:59Z"}));
  EXPECT_TRUE(SpansAt("2 y 3 de mayo", kRef, {"2026-05-02T00:00:00Z", "2026-05-03T23:59:59Z"}));
  EXPECT_TRUE(Parses("2 de abril de 2026", {"2026-04-02T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("sábado, 4 de abril", {"2026-04-04T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("miércoles 15 de julio de 2026, 19:00", {"2026-07-15T19:00:00Z", kMinute, false}));
  EXPECT_TRUE(Parses("1 de enero de 2027", {"2027-01-01T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("1 ene 2027", {"2027-01-01T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("20 de febrero de 2026", {"2026-02-20T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("20 de marzo", {"2026-03-20T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("3 abr 2026", {"2026-04-03T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("6 de junio de 2026", {"2026-06-06T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("7 de julio de 2026", {"2026-07-07T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("8 de agosto de 2026", {"2026-08-08T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("9 de septiembre de 2026", {"2026-09-09T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("9 de setiembre de 2026", {"2026-09-09T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("10 de octubre de 2026", {"2026-10-10T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("11 de noviembre de 2026", {"2026-11-11T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("12 de diciembre del 2026", {"2026-12-12T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("domingo", {"2026-03-15T00:00:00Z", kDay, false}));  // the coming Sunday
  auto month = ParseDate("abril de 2026", Reference());
  ASSERT_TRUE(month);
  EXPECT_EQ(month->precision, TimePrecision::kMonth);
  EXPECT_EQ(core::FormatIsoUtc(month->start), "2026-04-01T00:00:00Z");
}

TEST(ParseDateTest, FrenchDates) {
  constexpr std::string_view kRef = "2026-03-10T12:00:00Z";
  EXPECT_TRUE(SpansAt("du 2 au 3 avril", kRef, {"2026-04-02T00:00:00Z", "2026-04-03T23:59:59Z"}));
  EXPECT_TRUE(SpansAt("2 et 3 avril", kRef, {"2026-04-02T00:00:00Z", "2026-04-03T23:59:59Z"}));
  EXPECT_TRUE(Parses("le 15 avril", {"2026-04-15T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("mardi 14 juillet 2026", {"2026-07-14T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("1er août 2026", {"2026-08-01T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("sam. 4 juil. 2026 à 20h", {"2026-07-04T20:00:00Z", kMinute, false}));
  EXPECT_TRUE(Parses("lun. 2 févr. 2026", {"2026-02-02T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("9 septembre 2026", {"2026-09-09T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("10 octobre 2026", {"2026-10-10T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("11 novembre 2026", {"2026-11-11T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("5 déc. 2026", {"2026-12-05T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("12 décembre 2026", {"2026-12-12T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("3 janv. 2027", {"2027-01-03T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("3 avr. 2026", {"2026-04-03T00:00:00Z", kDay, false}));
  // "mar." before a day and another month is "mardi", not March.
  EXPECT_TRUE(Parses("mar. 14 avr.", {"2026-04-14T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("dimanche", {"2026-03-15T00:00:00Z", kDay, false}));
}

TEST(ParseDateTest, GermanAbbreviatedMaerz) {
  // "Mär." folds to "maer"; "Mar." (English, Italian) and "Mrz." mean the same month.
  EXPECT_TRUE(Parses("12. Mär. 2026", {"2026-03-12T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("12. Mär 2026", {"2026-03-12T00:00:00Z", kDay, false}));
}

TEST(ParseDateTest, NumbersAroundADateAreNotPartOfIt) {
  // A version number before a month and year: the month, not a day "3".
  auto version = ParseDate("Version 2.3 Mai 2026", Reference());
  ASSERT_TRUE(version);
  EXPECT_EQ(version->precision, TimePrecision::kMonth);
  // The tail of a phone number is no day.
  auto phone = ParseDate("Tel. 030 123-12 Mai 2026", Reference());
  ASSERT_TRUE(phone);
  EXPECT_EQ(phone->precision, TimePrecision::kMonth);
  EXPECT_TRUE(Parses("Call +49 170 1234567 on May 2", {"2026-05-02T00:00:00Z", kDay, false}));
  // A weekday abbreviation's dot is not a number's: the range stands.
  auto weekday = ParseDate("Sa. 12.–14. März 2026", Reference());
  ASSERT_TRUE(weekday);
  EXPECT_EQ(core::FormatIsoUtc(weekday->start), "2026-03-12T00:00:00Z");
  // An ISO date in running text is read as it is, whatever follows.
  EXPECT_TRUE(Parses("Posted 2026-03-28, see you May 2-3", {"2026-03-28T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("am 2026-04-10 (10 Uhr)", {"2026-04-10T10:00:00Z", kMinute, false}));
}

TEST(ParseDateTest, OrdinaryWordsAndNumbersAreNoDate) {
  // Month names that are ordinary words need a day or a year; the Italian and
  // Spanish abbreviations ("set", "ago", "gen", "mag") only follow a day.
  for (std::string_view text : {"in 5 minutes",   "version 2.3", "6–9",           "6–9pm",
                                "Top 10",         "May I ask",   "March forward", "may",
                                "march",          "mar",         "set",           "ago",
                                "We may meet",    "set 3 goals", "Set 10 alarms", "Gen 5 consoles",
                                "12th gen Intel", "mag 3",       "ago 2026",      "Top 10 tips"}) {
    EXPECT_FALSE(ParseDate(text, Reference())) << "'" << text << "'";
  }
}

TEST(ParseDateTest, RejectsWhatIsNotADate) {
  for (std::string_view text : {"", "   ", "hello world", "19:00", "Tel. 030 1234567", "2026-13-45",
                                "31. Februar 2026", "Version 2.3.4", "12.", "am", "7 am"}) {
    EXPECT_FALSE(ParseDate(text, Reference())) << "'" << text << "'";
  }
}

TEST(ParseDateTest, InvalidTimesAreNotTimes) {
  // 25:00 is no time: the date stands alone.
  EXPECT_TRUE(Parses("12.03.2026 25:00", {"2026-03-12T00:00:00Z", kDay, false}));
  EXPECT_TRUE(Parses("Mar 12, 2026 13pm", {"2026-03-12T00:00:00Z", kDay, false}));
}

TEST(ParseDateTest, HostileInputIsBounded) {
  std::string long_text(1 << 20, '1');
  EXPECT_FALSE(ParseDate(long_text, Reference()));
  std::string dots;
  for (int i = 0; i < 100000; ++i) dots += "1.";
  (void)ParseDate(dots, Reference());  // must return, whatever it says
  std::string words;
  for (int i = 0; i < 100000; ++i) words += "next ";
  EXPECT_FALSE(ParseDate(words, Reference()));
  std::string umlauts;
  for (int i = 0; i < 10000; ++i) umlauts += "\xC3\xA4\xC3";
  EXPECT_FALSE(ParseDate(umlauts, Reference()));
}

}  // namespace
}  // namespace telescreen::extract
