#include "fetch/http_date.h"

#include <gtest/gtest.h>

namespace telescreen::fetch {
namespace {

core::TimePoint At(const char* iso) { return core::ParseNow(iso).value(); }

std::string Iso(std::string_view text, const char* reference = "2026-11-26T00:00:00Z") {
  auto t = ParseHttpDate(text, At(reference));
  return t ? core::FormatIsoUtc(*t) : std::string("none");
}

// RFC 9110 section 5.6.7 (RFC 7231 section 7.1.1.1): the three forms, with
// the RFC's own example instant.
TEST(HttpDateTest, ReadsTheThreeFormsOfTheRfcExample) {
  EXPECT_EQ(Iso("Sun, 06 Nov 1994 08:49:37 GMT"), "1994-11-06T08:49:37Z");   // IMF-fixdate
  EXPECT_EQ(Iso("Sunday, 06-Nov-94 08:49:37 GMT"), "1994-11-06T08:49:37Z");  // obsolete RFC 850
  EXPECT_EQ(Iso("Sun Nov  6 08:49:37 1994"), "1994-11-06T08:49:37Z");        // ANSI C asctime()
  EXPECT_EQ(Iso("Sat Jan 10 08:00:00 2026"), "2026-01-10T08:00:00Z");
  EXPECT_EQ(Iso("  Sat, 10 Jan 2026 08:00:00 GMT \r"), "2026-01-10T08:00:00Z");  // header whitespace
  EXPECT_EQ(HttpDateToIso("Thu, 01 Oct 2015 10:00:00 GMT"), "2015-10-01T10:00:00Z");
}

// A two-digit year more than 50 years ahead is the most recent past year
// with those digits (RFC 9110 section 5.6.7).
TEST(HttpDateTest, TwoDigitYearsFollowTheFiftyYearRule) {
  EXPECT_EQ(Iso("Friday, 10-Jan-76 08:00:00 GMT"), "2076-01-10T08:00:00Z");  // 50 years ahead: kept
  EXPECT_EQ(Iso("Saturday, 10-Jan-77 08:00:00 GMT"), "1977-01-10T08:00:00Z");
  EXPECT_EQ(Iso("Saturday, 10-Jan-26 08:00:00 GMT"), "2026-01-10T08:00:00Z");
  EXPECT_EQ(Iso("Monday, 03-Jan-00 08:00:00 GMT", "2099-06-01T00:00:00Z"), "2100-01-03T08:00:00Z");
}

TEST(HttpDateTest, RejectsAnythingElse) {
  for (const char* bad :
       {"", "GMT", "2026-01-10T08:00:00Z", "Sat, 10 Jan 2026 08:00:00",  // no zone
        "Sat, 10 Jan 2026 08:00:00 UTC", "Sat, 10 Jan 2026 08:00:00 +0000",
        "Sat, 1 Jan 2026 08:00:00 GMT",   // one-digit day in IMF-fixdate
        "Sat, 10 jan 2026 08:00:00 GMT",  // case-sensitive (section 5.6.7)
        "Xyz, 10 Jan 2026 08:00:00 GMT", "Sat, 31 Feb 2026 08:00:00 GMT", "Sat, 10 Jan 2026 24:00:00 GMT",
        "Sat, 10 Jan 2026 08:60:00 GMT", "Sat, 10 Jan 2026 08:00:61 GMT", "Sat, 10 Jan 2026 08:00:00 GMTX",
        "Sat, 10 Jan 26 08:00:00 GMT", "Sat Jan 10 08:00:00 26", "Saturday, 10-Jan-2026 08:00:00 GMT",
        "Sat, 10 Jan 2026 8:00:00 GMT"}) {
    EXPECT_EQ(Iso(bad), "none") << bad;
    EXPECT_EQ(HttpDateToIso(bad), "") << bad;
  }
}

TEST(HttpDateTest, LeapSecondAndLeapDay) {
  EXPECT_EQ(Iso("Sat, 31 Dec 2016 23:59:60 GMT"), "2017-01-01T00:00:00Z");
  EXPECT_EQ(Iso("Thu, 29 Feb 2024 12:00:00 GMT"), "2024-02-29T12:00:00Z");
  EXPECT_EQ(Iso("Sun, 29 Feb 2026 12:00:00 GMT"), "none");
}

}  // namespace
}  // namespace telescreen::fetch
