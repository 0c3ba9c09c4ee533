#include "extract/vcard.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace telescreen::extract {
namespace {

PageInput Input() {
  PageInput input;
  input.url = core::Url::Parse("https://example.org/people/ann.vcf").value();
  input.content_type = "text/vcard";
  return input;
}

std::vector<std::string> Values(const model::PageFacts& facts, std::string_view kind) {
  std::vector<std::string> out;
  for (const auto& f : facts.identity) {
    if (f.kind == kind) out.push_back(f.value.str());
  }
  return out;
}

// RFC 6350 section 8, the example vCard (folded, with escaped commas).
TEST(VcardTest, Rfc6350Example) {
  constexpr char kCard[] =
      "BEGIN:VCARD\r\n"
      "VERSION:4.0\r\n"
      "FN:Simon Perreault\r\n"
      "N:Perreault;Simon;;;ing. jr,M.Sc.\r\n"
      "BDAY:--0203\r\n"
      "ANNIVERSARY:20090808T1430-0500\r\n"
      "GENDER:M\r\n"
      "LANG;PREF=1:fr\r\n"
      "ORG:Viagenie;Research\\, Development\r\n"
      "ADR;TYPE=work:;Suite D2-630;2875 Laurier;\r\n"
      " Quebec;QC;G1V 2M2;Canada\r\n"
      "TEL;VALUE=uri;TYPE=\"work,voice\";PREF=1:tel:+1-418-656-9254;ext=102\r\n"
      "TEL;VALUE=uri;TYPE=\"work,cell,voice,video,text\":tel:+1-418-262-6501\r\n"
      "EMAIL;TYPE=work:simon.perreault@viagenie.ca\r\n"
      "GEO;TYPE=work:geo:46.772673,-71.282945\r\n"
      "KEY;TYPE=work;VALUE=uri:http://www.viagenie.ca/simon.perreault/simon.asc\r\n"
      "TZ:-0500\r\n"
      "URL;TYPE=home:http://nomis80.org\r\n"
      "END:VCARD\r\n";
  auto facts = ExtractVcard(kCard, Input());
  EXPECT_EQ(Values(facts, "name"), std::vector<std::string>{"Simon Perreault"});
  EXPECT_EQ(Values(facts, "employer"), std::vector<std::string>{"Viagenie, Research, Development"});
  EXPECT_EQ(Values(facts, "address"),
            std::vector<std::string>{"Suite D2-630, 2875 Laurier, Quebec, QC, G1V 2M2, Canada"});
  EXPECT_EQ(Values(facts, "phone"), (std::vector<std::string>{"+1-418-656-9254;ext=102", "+1-418-262-6501"}));
  EXPECT_EQ(Values(facts, "email"), std::vector<std::string>{"simon.perreault@viagenie.ca"});
  EXPECT_EQ(Values(facts, "birthday"), std::vector<std::string>{"--02-03"});
  EXPECT_EQ(Values(facts, "url"), std::vector<std::string>{"http://nomis80.org"});
  ASSERT_FALSE(facts.identity.empty());
  EXPECT_EQ(facts.identity[0].evidence.via, "vcard");
  EXPECT_TRUE(facts.identity[0].evidence.machine_readable);
  EXPECT_EQ(facts.identity[0].evidence.page_url, "https://example.org/people/ann.vcf");
  EXPECT_TRUE(facts.contacts.empty());
  EXPECT_TRUE(facts.warnings.empty());
}

// RFC 2426 section 7 style vCard 3.0 with a title, nickname and social profile.
TEST(VcardTest, Version3WithSocialProfile) {
  constexpr char kCard[] =
      "BEGIN:VCARD\n"
      "VERSION:3.0\n"
      "N:Example;Ann;;Dr.;\n"
      "NICKNAME:Annie,A.E.\n"
      "TITLE:Head of Research\n"
      "item1.EMAIL;type=INTERNET;type=pref:ann@example.org\n"
      "item1.X-ABLabel:_$!<Other>!$_\n"
      "X-SOCIALPROFILE;type=twitter:https://twitter.com/annexample\n"
      "BDAY;VALUE=date:1985-04-15\n"
      "PHOTO;VALUE=uri:https://example.org/ann.jpg\n"
      "END:VCARD\n";
  auto facts = ExtractVcard(kCard, Input());
  EXPECT_EQ(Values(facts, "name"), (std::vector<std::string>{"Dr. Ann Example", "Annie", "A.E."}));
  EXPECT_EQ(Values(facts, "headline"), std::vector<std::string>{"Head of Research"});
  EXPECT_EQ(Values(facts, "email"), std::vector<std::string>{"ann@example.org"});
  EXPECT_EQ(Values(facts, "profile"), std::vector<std::string>{"https://twitter.com/annexample"});
  EXPECT_EQ(Values(facts, "birthday"), std::vector<std::string>{"1985-04-15"});
  EXPECT_EQ(Values(facts, "photo"), std::vector<std::string>{"https://example.org/ann.jpg"});
}

// vCard 2.1: bare parameters, quoted-printable with soft line breaks, Latin-1.
TEST(VcardTest, Version21QuotedPrintable) {
  constexpr char kCard[] =
      "BEGIN:VCARD\r\n"
      "VERSION:2.1\r\n"
      "N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen\r\n"
      "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller\r\n"
      "ADR;WORK;ENCODING=QUOTED-PRINTABLE:;;Hauptstra=C3=9Fe 1=\r\n"
      "=0D=0AHinterhaus;Berlin;;10115;Germany\r\n"
      "TEL;WORK;VOICE:+49 30 1234567\r\n"
      "BDAY:19700101\r\n"
      "END:VCARD\r\n";
  auto facts = ExtractVcard(kCard, Input());
  EXPECT_EQ(Values(facts, "name"), std::vector<std::string>{"J\xC3\xBCrgen M\xC3\xBCller"});
  EXPECT_EQ(Values(facts, "address"), std::vector<std::string>{"Hauptstra\xC3\x9F"
                                                               "e 1, Hinterhaus, Berlin, 10115, Germany"});
  EXPECT_EQ(Values(facts, "phone"), std::vector<std::string>{"+49 30 1234567"});
  EXPECT_EQ(Values(facts, "birthday"), std::vector<std::string>{"1970-01-01"});
}

TEST(VcardTest, Latin1NameWithoutFnUsesN) {
  constexpr char kCard[] = "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=ISO-8859-1:M\xFCller;J\xFCrgen\nEND:VCARD\n";
  auto facts = ExtractVcard(kCard, Input());
  EXPECT_EQ(Values(facts, "name"), std::vector<std::string>{"J\xC3\xBCrgen M\xC3\xBCller"});
}

TEST(VcardTest, AddressBookOtherCardsAreContacts) {
  constexpr char kBook[] =
      "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Example\nEMAIL:ann@example.org\nEND:VCARD\n"
      "BEGIN:VCARD\nVERSION:3.0\nFN:Bob Meier\nURL:https://bob.example.net/\nEND:VCARD\n"
      "BEGIN:VCARD\nVERSION:3.0\nN:Smith;Carla;;;\nEMAIL:carla@example.com\nEND:VCARD\n"
      "BEGIN:VCARD\nVERSION:3.0\nFN:Bob Meier\nURL:https://bob.example.net/\nEND:VCARD\n"
      "BEGIN:VCARD\nVERSION:3.0\nNOTE:nobody\nEND:VCARD\n";
  auto facts = ExtractVcard(kBook, Input());
  EXPECT_EQ(Values(facts, "name"), std::vector<std::string>{"Ann Example"});
  ASSERT_EQ(facts.contacts.size(), 2u);
  EXPECT_EQ(facts.contacts[0].name, "Bob Meier");
  EXPECT_EQ(facts.contacts[0].url, "https://bob.example.net/");
  EXPECT_EQ(facts.contacts[0].relation, "contact");
  EXPECT_EQ(facts.contacts[1].name, "Carla Smith");
  EXPECT_EQ(facts.contacts[1].url, "mailto:carla@example.com");
  ASSERT_EQ(facts.warnings.size(), 1u);
  EXPECT_NE(facts.warnings[0].find("without a name"), std::string::npos);
}

TEST(VcardTest, NotAVcardAndTruncated) {
  auto none = ExtractVcard("BEGIN:VCALENDAR\nEND:VCALENDAR\n", Input());
  EXPECT_TRUE(none.identity.empty());
  ASSERT_EQ(none.warnings.size(), 1u);
  EXPECT_NE(none.warnings[0].find("not a vCard"), std::string::npos);

  auto cut = ExtractVcard("BEGIN:VCARD\nFN:Ann\nTEL:+1 555", Input());
  EXPECT_EQ(Values(cut, "name"), std::vector<std::string>{"Ann"});
  EXPECT_EQ(Values(cut, "phone"), std::vector<std::string>{"+1 555"});
  ASSERT_EQ(cut.warnings.size(), 1u);
  EXPECT_NE(cut.warnings[0].find("never ended"), std::string::npos);
}

TEST(VcardTest, ManyCardsAreBounded) {
  std::string book;
  for (int i = 0; i < 6000; ++i) book += "BEGIN:VCARD\nFN:P" + std::to_string(i) + "\nEND:VCARD\n";
  auto facts = ExtractVcard(book, Input());
  EXPECT_EQ(facts.contacts.size(), 4999u);
  EXPECT_FALSE(facts.warnings.empty());
}

}  // namespace
}  // namespace telescreen::extract
