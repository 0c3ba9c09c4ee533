#include "extract/ical.h"

#include <gtest/gtest.h>

#include <string>

#include "extract/content_line.h"
#include "extract/ical_internal.h"

namespace telescreen::extract {
namespace {

PageInput Input(std::string_view url = "https://example.org/cal/ann.ics") {
  PageInput input;
  input.url = core::Url::Parse(url).value();
  input.content_type = "text/calendar";
  input.now = core::ParseNow("2026-03-10T12:00:00Z").value();
  return input;
}

// RFC 5545 section 3.1: a long line folded with CRLF + one blank.
TEST(ContentLineTest, UnfoldsAndParsesParameters) {
  auto parsed = ParseContentLines(
      "BEGIN:VEVENT\r\n"
      "ATTENDEE;CN=\"Doe, "
      "Jane\";PARTSTAT=ACCEPTED;DELEGATED-FROM=\"mailto:a@x.org\",\"mailto:b@x.org\":mai\r\n"
      " lto:jane@example.org\r\n"
      "DESCRIPTION:line one\\nline two\\, with comma\\; and semicolon\r\n"
      "\t continued\r\n"
      "garbage without colon\r\n");
  ASSERT_EQ(parsed.lines.size(), 3u);
  const ContentLine& attendee = parsed.lines[1];
  EXPECT_EQ(attendee.name, "ATTENDEE");
  EXPECT_EQ(attendee.Param("CN"), "Doe, Jane");
  EXPECT_TRUE(attendee.HasParam("PARTSTAT", "accepted"));
  EXPECT_TRUE(attendee.HasParam("DELEGATED-FROM", "mailto:b@x.org"));
  EXPECT_EQ(attendee.value, "mailto:jane@example.org");
  EXPECT_EQ(attendee.line_number, 2u);
  EXPECT_EQ(UnescapeText(parsed.lines[2].value), "line one\nline two, with comma; and semicolon continued");
  ASSERT_EQ(parsed.warnings.size(), 1u);
  EXPECT_NE(parsed.warnings[0].find("line 6"), std::string::npos);
}

TEST(ContentLineTest, OddLineEndings) {
  // iOS 5 writes CR CR LF; old Mac exporters a lone CR.
  for (std::string_view text : {"BEGIN:VCARD\r\r\nFN:Ann\r\r\nEND:VCARD\r\r\n",
                                "BEGIN:VCARD\rFN:Ann\rEND:VCARD\r", "BEGIN:VCARD\nFN:Ann\nEND:VCARD"}) {
    auto parsed = ParseContentLines(text);
    ASSERT_EQ(parsed.lines.size(), 3u) << text;
    EXPECT_EQ(parsed.lines[0].value, "VCARD");
    EXPECT_EQ(parsed.lines[1].value, "Ann");
    EXPECT_EQ(parsed.lines[2].line_number, 3u);
  }
}

TEST(ContentLineTest, CaretEncodingInParameters) {  // RFC 6868
  auto parsed = ParseContentLines("ATTENDEE;CN=\"George ^'Bob^' Herman\":mailto:g@x.org\n");
  ASSERT_EQ(parsed.lines.size(), 1u);
  EXPECT_EQ(parsed.lines[0].Param("CN"), "George \"Bob\" Herman");
}

TEST(ContentLineTest, HostileFoldingStaysLinear) {
  std::string text = "SUMMARY:x";
  for (int i = 0; i < 200000; ++i) text += "\r\n =";
  auto parsed = ParseContentLines(text);
  ASSERT_EQ(parsed.lines.size(), 1u);
  EXPECT_LE(parsed.lines[0].value.size(), std::size_t{64} << 10);
}

constexpr char kInvite[] =
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//Example//Meetup//EN\r\n"
    "METHOD:REPLY\r\n"
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Berlin\r\n"
    "END:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:1234@example.org\r\n"
    "DTSTART;TZID=Europe/Berlin:20260312T190000\r\n"
    "DTEND;TZID=Europe/Berlin:20260312T213000\r\n"
    "SUMMARY:C++ User Group\\, March\r\n"
    "LOCATION:Kalkscheune\\, Johannisstr. 2\\, Berlin\r\n"
    "URL:https://example.org/events/42\r\n"
    "ORGANIZER;CN=Bob Meier:mailto:bob@example.org\r\n"
    "ATTENDEE;CN=Ann Example;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:ann@example.org\r\n"
    "BEGIN:VALARM\r\n"
    "ACTION:DISPLAY\r\n"
    "SUMMARY:not the event\r\n"
    "END:VALARM\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

TEST(IcalTest, ReplyWithTzidAcceptedIsRsvpYes) {
  auto facts = ExtractIcal(kInvite, Input());
  ASSERT_EQ(facts.events.size(), 1u);
  const model::Event& e = facts.events[0];
  EXPECT_EQ(e.name, "C++ User Group, March");
  EXPECT_EQ(e.start, "2026-03-12T19:00:00+01:00");
  EXPECT_EQ(e.end, "2026-03-12T21:30:00+01:00");
  EXPECT_EQ(e.location, "Kalkscheune, Johannisstr. 2, Berlin");
  EXPECT_EQ(e.url, "https://example.org/events/42");
  EXPECT_EQ(e.role, "rsvp-yes");
  EXPECT_EQ(e.tense, model::Tense::kUnknown);
  ASSERT_EQ(e.evidence.size(), 1u);
  EXPECT_EQ(e.evidence[0].via, "ical");
  EXPECT_TRUE(e.evidence[0].machine_readable);
  // The organiser is a contact; the replying attendee is the reader.
  ASSERT_EQ(facts.contacts.size(), 1u);
  EXPECT_EQ(facts.contacts[0].name, "Bob Meier");
  EXPECT_EQ(facts.contacts[0].url, "mailto:bob@example.org");
  EXPECT_EQ(facts.contacts[0].relation, "organizer");
  EXPECT_TRUE(facts.warnings.empty()) << facts.warnings[0];
}

TEST(IcalTest, SummerTimeOffsetComesFromTheTzDatabase) {
  std::string text = kInvite;
  text.replace(text.find("20260312T190000"), 15, "20260712T190000");
  auto facts = ExtractIcal(text, Input());
  ASSERT_EQ(facts.events.size(), 1u);
  EXPECT_EQ(facts.events[0].start, "2026-07-12T19:00:00+02:00");
}

TEST(IcalTest, PartstatMapsToRoles) {
  for (auto [partstat, role] :
       {std::pair{"TENTATIVE", "rsvp-maybe"}, {"DECLINED", "rsvp-no"}, {"NEEDS-ACTION", "invited"}}) {
    std::string text = kInvite;
    text.replace(text.find("ACCEPTED"), 8, partstat);
    auto facts = ExtractIcal(text, Input());
    ASSERT_EQ(facts.events.size(), 1u);
    EXPECT_EQ(facts.events[0].role, role) << partstat;
  }
}

TEST(IcalTest, OwnerFromFeedUrlPicksTheirAttendeeLine) {
  constexpr char kFeed[] =
      "BEGIN:VCALENDAR\n"
      "BEGIN:VEVENT\n"
      "DTSTART:20260320T180000Z\n"
      "DURATION:PT2H\n"
      "SUMMARY:Team dinner\n"
      "ATTENDEE;CN=Ann;PARTSTAT=TENTATIVE:mailto:ann@example.org\n"
      "ATTENDEE;CN=Carl;PARTSTAT=ACCEPTED:mailto:carl@example.org\n"
      "ATTENDEE;PARTSTAT=DECLINED:mailto:dora@example.org\n"
      "END:VEVENT\n"
      "END:VCALENDAR\n";
  auto facts = ExtractIcal(
      kFeed, Input("https://calendar.example.com/calendar/ical/ann%40example.org/public/basic.ics"));
  ASSERT_EQ(facts.events.size(), 1u);
  EXPECT_EQ(facts.events[0].start, "2026-03-20T18:00:00Z");
  EXPECT_EQ(facts.events[0].end, "2026-03-20T20:00:00Z");
  EXPECT_EQ(facts.events[0].role, "rsvp-maybe");
  ASSERT_EQ(facts.contacts.size(), 2u);
  EXPECT_EQ(facts.contacts[0].name, "Carl");
  EXPECT_EQ(facts.contacts[0].relation, "co-attendee");
  EXPECT_EQ(facts.contacts[1].name, "dora@example.org");
}

TEST(IcalTest, OwnerFromCalendarNameOrganisedAndWindowsTzid) {
  // Google names a person's primary calendar after their address; Outlook
  // writes Windows zone names.
  constexpr char kFeed[] =
      "BEGIN:VCALENDAR\n"
      "X-WR-CALNAME:ann@example.org\n"
      "BEGIN:VEVENT\n"
      "DTSTART;TZID=W. Europe Standard Time:20260401T180000\n"
      "SUMMARY:Talk: privacy for beginners\n"
      "ORGANIZER;CN=Ann:mailto:ann@example.org\n"
      "ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@example.org\n"
      "END:VEVENT\n"
      "END:VCALENDAR\n";
  auto facts = ExtractIcal(kFeed, Input());
  ASSERT_EQ(facts.events.size(), 1u);
  EXPECT_EQ(facts.events[0].role, "organised");
  EXPECT_EQ(facts.events[0].start, "2026-04-01T18:00:00+02:00");
  ASSERT_EQ(facts.contacts.size(), 1u);  // Ann is the person, not her own contact
  EXPECT_EQ(facts.contacts[0].name, "Bob");
  EXPECT_EQ(facts.contacts[0].relation, "co-attendee");
}

TEST(IcalTest, APublishedFeedIsNamedAfterWhoseItIsAnInvitationIsNot) {
  // A group's or person's public feed (Meetup's group calendar) names its
  // owner: RFC 7986 NAME first, else X-WR-CALNAME; an address there is the
  // owner's e-mail (above), not a name.
  auto name_of = [](const std::string& text) {
    std::vector<std::string> names;
    for (const auto& f : ExtractIcal(text, Input()).identity) {
      if (f.kind == "name") names.push_back(f.value + " via " + f.evidence.via + " " + f.evidence.excerpt);
    }
    return names;
  };
  const std::string body =
      "BEGIN:VEVENT\nDTSTART:20260401T180000Z\nSUMMARY:Talk\nEND:VEVENT\nEND:VCALENDAR\n";
  EXPECT_EQ(name_of("BEGIN:VCALENDAR\nX-WR-CALNAME:Backend\\, Leipzig\nNAME: Backend Leipzig \n" + body),
            (std::vector<std::string>{"Backend Leipzig via ical:calendar-name NAME:Backend Leipzig"}));
  EXPECT_EQ(
      name_of("BEGIN:VCALENDAR\nMETHOD:PUBLISH\nX-WR-CALNAME:Backend\\, Leipzig\n" + body),
      (std::vector<std::string>{"Backend, Leipzig via ical:calendar-name X-WR-CALNAME:Backend, Leipzig"}));
  EXPECT_TRUE(name_of("BEGIN:VCALENDAR\nMETHOD:REQUEST\nX-WR-CALNAME:Team\n" + body).empty());
  EXPECT_TRUE(name_of("BEGIN:VCALENDAR\nX-WR-CALNAME:ann@example.org\n" + body).empty());
}

TEST(IcalTest, AllDayAndFloatingKeepTheirPrecision) {
  constexpr char kText[] =
      "BEGIN:VCALENDAR\n"
      "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260501\nDTEND;VALUE=DATE:20260502\nSUMMARY:Mayday\nEND:"
      "VEVENT\n"
      "BEGIN:VEVENT\nDTSTART:20260502T100000\nSUMMARY:Brunch\nEND:VEVENT\n"
      "END:VCALENDAR\n";
  auto facts = ExtractIcal(kText, Input());
  ASSERT_EQ(facts.events.size(), 2u);
  EXPECT_EQ(facts.events[0].start, "2026-05-01");
  EXPECT_EQ(facts.events[0].end, "2026-05-02");
  EXPECT_EQ(facts.events[1].start, "2026-05-02T10:00:00");
  EXPECT_EQ(facts.events[1].end, "");
  EXPECT_EQ(facts.events[1].role, "");
}

TEST(IcalTest, WeeklyRruleExpandsInsideTheWindowWithExdate) {
  constexpr char kText[] =
      "BEGIN:VCALENDAR\n"
      "BEGIN:VEVENT\n"
      "UID:run@example.org\n"
      "DTSTART;TZID=Europe/Berlin:20260302T070000\n"
      "DTEND;TZID=Europe/Berlin:20260302T080000\n"
      "RRULE:FREQ=WEEKLY;BYDAY=MO,TH;COUNT=6\n"
      "EXDATE;TZID=Europe/Berlin:20260309T070000\n"
      "SUMMARY:Running club\n"
      "END:VEVENT\n"
      "END:VCALENDAR\n";
  auto facts = ExtractIcal(kText, Input());
  std::vector<std::string> starts;
  for (const auto& e : facts.events) starts.push_back(e.start.str());
  // 2 Mar (Mon), 5 Mar (Thu), [9 Mar excluded], 12 Mar, 16 Mar, 19 Mar: COUNT 6 includes the
  // excluded one.
  EXPECT_EQ(starts, (std::vector<std::string>{"2026-03-02T07:00:00+01:00", "2026-03-05T07:00:00+01:00",
                                              "2026-03-12T07:00:00+01:00", "2026-03-16T07:00:00+01:00",
                                              "2026-03-19T07:00:00+01:00"}));
  ASSERT_FALSE(facts.events.empty());
  EXPECT_EQ(facts.events[0].end, "2026-03-02T08:00:00+01:00");
}

TEST(IcalTest, RecurrenceIdOverridesAnOccurrence) {
  constexpr char kText[] =
      "BEGIN:VCALENDAR\n"
      "BEGIN:VEVENT\nUID:x\nDTSTART:20260301T100000Z\nRRULE:FREQ=DAILY;COUNT=3\nSUMMARY:Daily\nEND:"
      "VEVENT\n"
      "BEGIN:VEVENT\nUID:x\nRECURRENCE-ID:20260302T100000Z\nDTSTART:20260302T150000Z\nSUMMARY:"
      "Moved\nEND:VEVENT\n"
      "END:VCALENDAR\n";
  auto facts = ExtractIcal(kText, Input());
  ASSERT_EQ(facts.events.size(), 3u);
  EXPECT_EQ(facts.events[0].start, "2026-03-01T10:00:00Z");
  EXPECT_EQ(facts.events[1].start, "2026-03-03T10:00:00Z");
  EXPECT_EQ(facts.events[2].start, "2026-03-02T15:00:00Z");
  EXPECT_EQ(facts.events[2].name, "Moved");
}

TEST(IcalTest, EndlessDailyRuleFromLongAgoIsCappedAndFast) {
  constexpr char kText[] =
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:19000101T090000Z\nRRULE:FREQ=DAILY\nSUMMARY:Standup\n"
      "END:VEVENT\nEND:VCALENDAR\n";
  auto facts = ExtractIcal(kText, Input());
  ASSERT_EQ(facts.events.size(), 100u);
  EXPECT_EQ(facts.events[0].start, "2025-03-10T09:00:00Z");  // now - 366 days, 12:00
  ASSERT_FALSE(facts.warnings.empty());
  EXPECT_NE(facts.warnings[0].find("stopped at 100"), std::string::npos);
}

TEST(IcalTest, CountedDailyRuleFromLongAgoSkipsAhead) {
  // COUNT forbids skipping blindly, but plain DAILY counts one per day.
  constexpr char kText[] =
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:19000101T090000Z\nRRULE:FREQ=DAILY;COUNT=46000\n"
      "SUMMARY:Standup\nEND:VEVENT\nEND:VCALENDAR\n";
  auto facts = ExtractIcal(kText, Input());
  ASSERT_EQ(facts.events.size(), 100u);
  EXPECT_EQ(facts.events[0].start, "2025-03-10T09:00:00Z");
  std::string text = kText;
  // 2025-03-10 is occurrence 45725; COUNT=45774 ends 49 days later.
  text.replace(text.find("46000"), 5, "45774");
  auto fewer = ExtractIcal(text, Input());
  ASSERT_EQ(fewer.events.size(), 50u);
  EXPECT_EQ(fewer.events.back().start, "2025-04-28T09:00:00Z");
}

TEST(IcalTest, ThousandsOfHopelessRulesStayBounded) {
  std::string text = "BEGIN:VCALENDAR\n";
  for (int i = 0; i < 3000; ++i) {
    text +=
        "BEGIN:VEVENT\nDTSTART:19000101T000000Z\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=9\n"
        "SUMMARY:x\nEND:VEVENT\n";
  }
  text += "END:VCALENDAR\n";
  auto facts = ExtractIcal(text, Input());
  EXPECT_EQ(facts.events.size(), 2000u);  // the event cap; each keeps its DTSTART
  bool budget = false;
  for (const auto& w : facts.warnings) budget = budget || w.find("budget") != std::string::npos;
  EXPECT_TRUE(budget);
}

TEST(IcalTest, YearlyRuleBeforeTheWindowKeepsTheSeries) {
  constexpr char kText[] =
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20100101\nRRULE:FREQ=YEARLY;UNTIL="
      "20120101\n"
      "SUMMARY:New year\nEND:VEVENT\nEND:VCALENDAR\n";
  auto facts = ExtractIcal(kText, Input());
  ASSERT_EQ(facts.events.size(), 1u);
  EXPECT_EQ(facts.events[0].start, "2010-01-01");
}

TEST(IcalTest, UnknownTzidFallsBackToVtimezone) {
  constexpr char kText[] =
      "BEGIN:VCALENDAR\n"
      "BEGIN:VTIMEZONE\nTZID:My Zone\n"
      "BEGIN:STANDARD\nDTSTART:19701025T030000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\n"
      "TZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nEND:STANDARD\n"
      "BEGIN:DAYLIGHT\nDTSTART:19700329T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\n"
      "TZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nEND:DAYLIGHT\n"
      "END:VTIMEZONE\n"
      "BEGIN:VEVENT\nDTSTART;TZID=My Zone:20260312T190000\nSUMMARY:Winter\nEND:VEVENT\n"
      "BEGIN:VEVENT\nDTSTART;TZID=My Zone:20260612T190000\nSUMMARY:Summer\nEND:VEVENT\n"
      "BEGIN:VEVENT\nDTSTART;TZID=Nowhere/Special:20260612T190000\nSUMMARY:Floating\nEND:VEVENT\n"
      "END:VCALENDAR\n";
  auto facts = ExtractIcal(kText, Input());
  ASSERT_EQ(facts.events.size(), 3u);
  EXPECT_EQ(facts.events[0].start, "2026-03-12T19:00:00+01:00");
  EXPECT_EQ(facts.events[1].start, "2026-06-12T19:00:00+02:00");
  EXPECT_EQ(facts.events[2].start, "2026-06-12T19:00:00");
  ASSERT_EQ(facts.warnings.size(), 1u);
  EXPECT_NE(facts.warnings[0].find("Nowhere/Special"), std::string::npos);
}

TEST(IcalTest, TzidVariantsResolve) {
  EXPECT_NE(ical_internal::ResolveTzid("Europe/Berlin"), nullptr);
  EXPECT_NE(ical_internal::ResolveTzid("/mozilla.org/20050126_1/Europe/Berlin"), nullptr);
  EXPECT_NE(ical_internal::ResolveTzid("W. Europe Standard Time"), nullptr);
  EXPECT_EQ(ical_internal::ResolveTzid("Mars/Olympus_Mons"), nullptr);
  EXPECT_EQ(ical_internal::ResolveTzid(""), nullptr);
}

TEST(RruleTest, MonthlyByDayOrdinals) {
  auto rule = ical_internal::ParseRrule("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3");
  ASSERT_TRUE(rule.ok()) << rule.error().message;
  const auto start = date::local_days{date::year{2026} / 1 / 30} + std::chrono::hours{18};
  ical_internal::RecurrenceWindow window{start - date::days{1}, start + date::days{365}};
  bool capped = false;
  auto got = ical_internal::ExpandRrule(rule.value(), start, window, std::nullopt, &capped);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(date::format("%F", got[1]), "2026-02-27");  // last Friday of February
  EXPECT_EQ(date::format("%F", got[2]), "2026-03-27");
  EXPECT_FALSE(capped);
}

TEST(RruleTest, MonthlyOn31stSkipsShortMonths) {
  auto rule = ical_internal::ParseRrule("FREQ=MONTHLY;INTERVAL=1;UNTIL=20260601T000000Z");
  ASSERT_TRUE(rule.ok());
  const auto start = date::local_days{date::year{2026} / 1 / 31} + std::chrono::hours{9};
  ical_internal::RecurrenceWindow window{start, start + date::days{365}};
  bool capped = false;
  auto until = date::local_days{date::year{2026} / 6 / 1} + std::chrono::seconds{0};
  auto got = ical_internal::ExpandRrule(rule.value(), start, window, until, &capped);
  std::vector<std::string> days;
  for (auto t : got) days.push_back(date::format("%F", t));
  EXPECT_EQ(days, (std::vector<std::string>{"2026-01-31", "2026-03-31", "2026-05-31"}));
}

TEST(RruleTest, RejectsMalformedRules) {
  auto error_of = [](std::string_view text) -> std::string {
    auto rule = ical_internal::ParseRrule(text);
    if (rule.ok()) return "(parsed)";
    EXPECT_EQ(rule.error().code, core::ErrorCode::kParse);
    return rule.error().message;
  };
  EXPECT_EQ(error_of("INTERVAL=2"), "RRULE without FREQ");
  EXPECT_EQ(error_of("FREQ=DAILY;INTERVAL=0"), "RRULE INTERVAL=0 not understood");
  EXPECT_EQ(error_of("FREQ=WEEKLY;BYDAY=XX"), "RRULE BYDAY=XX not understood");
  EXPECT_EQ(error_of("FREQ=MONTHLY;BYMONTHDAY=40"), "RRULE BYMONTHDAY=40 not understood");
  EXPECT_EQ(error_of("FREQ=DAILY;BOGUS"), "RRULE part without '=': BOGUS");
}

TEST(RruleTest, ImpossibleRuleGivesUpBounded) {
  auto rule = ical_internal::ParseRrule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30");
  ASSERT_TRUE(rule.ok());
  const auto start = date::local_days{date::year{2026} / 1 / 1} + std::chrono::seconds{0};
  ical_internal::RecurrenceWindow window{start, start + date::days{365 * 3000}};
  bool capped = false;
  auto got = ical_internal::ExpandRrule(rule.value(), start, window, std::nullopt, &capped);
  EXPECT_TRUE(got.empty());
}

TEST(IcalTest, MalformedInputWarnsAndKeepsWhatItCan) {
  constexpr char kText[] =
      "BEGIN:VCALENDAR\n"
      "BEGIN:VEVENT\nSUMMARY:No start\nEND:VEVENT\n"
      "BEGIN:VEVENT\nDTSTART:yesterday\nSUMMARY:Bad start\nEND:VEVENT\n"
      "BEGIN:VEVENT\nDTSTART:20260401T100000Z\nSUMMARY:Good\nRRULE:FREQ=SOMETIMES;BYDAY=XX\n"
      "END:VTODO\n"
      "BEGIN:VEVENT\nDTSTART:20260402\nSUMMARY:Truncated\n";
  auto facts = ExtractIcal(kText, Input());
  // Undated events keep their names; the truncated last one is kept too.
  ASSERT_EQ(facts.events.size(), 4u);
  EXPECT_EQ(facts.events[0].name, "No start");
  EXPECT_EQ(facts.events[0].start, "");
  EXPECT_EQ(facts.events[1].name, "Bad start");
  EXPECT_EQ(facts.events[2].name, "Good");
  EXPECT_EQ(facts.events[2].start, "2026-04-01T10:00:00Z");
  EXPECT_EQ(facts.events[3].name, "Truncated");
  EXPECT_GE(facts.warnings.size(), 4u);
}

TEST(IcalTest, NotAnIcalendar) {
  auto facts = ExtractIcal("<html><body>hello</body></html>", Input());
  EXPECT_TRUE(facts.events.empty());
  ASSERT_EQ(facts.warnings.size(), 1u);
  EXPECT_NE(facts.warnings[0].find("not an iCalendar"), std::string::npos);
}

TEST(IcalTest, CancelledEventsAreDropped) {
  constexpr char kText[] =
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260401T100000Z\nSTATUS:CANCELLED\nSUMMARY:Off\n"
      "END:VEVENT\nEND:VCALENDAR\n";
  EXPECT_TRUE(ExtractIcal(kText, Input()).events.empty());
}

}  // namespace
}  // namespace telescreen::extract
