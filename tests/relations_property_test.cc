// Properties of who "you" are and whom you were with, through the real
// pipeline (extract, merge, score) on generated pages:
// - adding a co-attendee to an event, or someone who commented on or liked
//   a post, never lowers the score;
// - the person's identity does not change when a card that is not theirs
//   is added to their page.
#include <gtest/gtest.h>

#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "core/url.h"
#include "extract/extractor.h"
#include "model/scan_result.h"
#include "scan/merge.h"
#include "score/score.h"

namespace telescreen {
namespace {

constexpr const char* kPageUrl = "https://ann.example/";
constexpr const char* kNow = "2026-01-15T00:00:00Z";

struct Person {
  std::string name;
  std::string url;  // may be empty
};

struct EventSpec {
  std::string name;
  std::string start;
  std::string role;  // "" or "attended": Ann listed as an attendee
  std::vector<Person> attendees;
};

struct PageSpec {
  bool owner_card = true;  // Ann's own card, u-url and u-uid = the page
  std::vector<Person> cards;
  std::vector<EventSpec> events;
  std::vector<std::pair<Person, bool>> responses;  // on Ann's post: a like (true) or a comment
};

std::string Card(const Person& p, const std::string& cls) {
  if (p.url.empty())
    return "<span class=\"" + cls + "h-card\"><span class=\"p-name\">" + p.name + "</span></span>";
  return "<a class=\"" + cls + "h-card\" href=\"" + p.url + "\">" + p.name + "</a>";
}

std::string Render(const PageSpec& spec) {
  std::string html = "<!doctype html><html><head><title>Home</title></head><body>";
  if (spec.owner_card) {
    html += std::string("<div class=\"h-card\"><a class=\"p-name u-url u-uid\" href=\"") + kPageUrl +
            "\">Ann Example</a> <span class=\"p-org\">Acme</span></div>";
  }
  for (const Person& p : spec.cards) html += Card(p, "");
  for (const EventSpec& e : spec.events) {
    html += "<div class=\"h-event\"><span class=\"p-name\">" + e.name +
            "</span> <time class=\"dt-start\" datetime=\"" + e.start + "\">" + e.start +
            "</time> <span class=\"p-location\">Hamburg</span>";
    if (e.role == "attended") html += Card({"Ann Example", kPageUrl}, "p-attendee ");
    for (const Person& p : e.attendees) html += Card(p, "p-attendee ");
    html += "</div>";
  }
  if (!spec.responses.empty()) {
    html += "<div class=\"h-entry\"><p class=\"e-content\">A post</p>";
    for (const auto& [who, like] : spec.responses) {
      html += std::string("<div class=\"") + (like ? "u-like" : "p-comment") + " h-cite\">" +
              Card(who, "p-author ") + (like ? "" : " wrote a comment") + "</div>";
    }
    html += "</div>";
  }
  return html + "</body></html>";
}

model::ScanResult ScanOf(const PageSpec& spec) {
  const std::string html = Render(spec);
  extract::PageInput input;
  input.url = core::Url::Parse(kPageUrl).value();
  input.content_type = "text/html; charset=utf-8";
  input.body = html;
  input.now = core::ParseNow(kNow).value();
  extract::ExtractedPage page = extract::ExtractPage(input);
  scan::MergeInput merge;
  merge.now = input.now;
  merge.own_profiles = {kPageUrl};
  merge.facts.Add(kPageUrl, page.facts);
  model::ScanResult result;
  result.now = core::FormatIsoUtc(merge.now);
  result.targets = {kPageUrl};
  scan::MergeFacts(merge, &result);
  score::ScoreScan(&result, merge.now);
  return result;
}

double Category(const model::ScanResult& r, std::string_view id) {
  for (const auto& c : r.score.categories) {
    if (c.id == id) return c.score;
  }
  ADD_FAILURE() << "no category " << id;
  return 0;
}

// Random names, URLs, events and dates (past and future), from a seed.
class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  Person NewPerson() {
    const int n = next_++;
    Person p{"Person " + std::to_string(n) + " " + kSurnames[Pick(std::size(kSurnames))], ""};
    if (Pick(3) != 0) p.url = "https://p" + std::to_string(n) + ".example/";
    return p;
  }

  EventSpec NewEvent() {
    EventSpec e;
    e.name = "Event " + std::to_string(next_++);
    e.start =
        std::to_string(2024 + Pick(4)) + "-0" + std::to_string(1 + Pick(9)) + "-1" + std::to_string(Pick(10));
    e.role = Pick(2) ? "attended" : "";
    for (std::size_t i = Pick(3); i > 0; --i) e.attendees.push_back(NewPerson());
    return e;
  }

  PageSpec NewPage() {
    PageSpec spec;
    spec.owner_card = Pick(4) != 0;
    for (std::size_t i = Pick(4); i > 0; --i) spec.cards.push_back(NewPerson());
    for (std::size_t i = Pick(4); i > 0; --i) spec.events.push_back(NewEvent());
    for (std::size_t i = Pick(3); i > 0; --i) spec.responses.push_back({NewPerson(), Pick(2) == 0});
    return spec;
  }

  std::size_t Pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

 private:
  static constexpr const char* kSurnames[] = {"Miller", "Jones", "Schmidt", "Weber", "Rossi", "Dubois"};
  std::mt19937 rng_;
  int next_ = 0;
};

constexpr unsigned kCases = 60;

TEST(RelationsProperty, AddingACoAttendeeNeverLowersTheScore) {
  for (unsigned seed = 1; seed <= kCases; ++seed) {
    Generator gen(seed);
    PageSpec spec = gen.NewPage();
    if (spec.events.empty()) spec.events.push_back(gen.NewEvent());
    const int before = ScanOf(spec).score.total;
    EventSpec& e = spec.events[gen.Pick(spec.events.size())];
    e.attendees.push_back(gen.NewPerson());
    const model::ScanResult after = ScanOf(spec);
    EXPECT_GE(after.score.total, before) << "seed " << seed << "\n" << Render(spec);
  }
}

TEST(RelationsProperty, AddingAnInteractionNeverLowersTheScore) {
  for (unsigned seed = 1; seed <= kCases; ++seed) {
    Generator gen(seed);
    PageSpec spec = gen.NewPage();
    const model::ScanResult before = ScanOf(spec);
    spec.responses.push_back({gen.NewPerson(), gen.Pick(2) == 0});
    const model::ScanResult after = ScanOf(spec);
    EXPECT_GE(after.score.total, before.score.total) << "seed " << seed << "\n" << Render(spec);
    EXPECT_EQ(after.interactions.size(), before.interactions.size() + 1) << "seed " << seed << "\n"
                                                                         << Render(spec);
    EXPECT_EQ(after.contacts.size(), before.contacts.size()) << "seed " << seed;
  }
}

TEST(RelationsProperty, CoAttendeesOfAnEventYouAttendAreContacts) {
  PageSpec spec;
  spec.events.push_back(
      {"Hamburg Meetup", "2026-02-01", "attended", {{"Bob Builder", "https://bob.example/"}}});
  spec.events.push_back({"Stranger's Party", "2026-03-01", "", {{"Eve Stranger", ""}}});
  const model::ScanResult r = ScanOf(spec);
  ASSERT_EQ(r.contacts.size(), 1u);
  EXPECT_EQ(r.contacts[0].name, "Bob Builder");
  EXPECT_EQ(r.contacts[0].relation, "co-attendee");
  ASSERT_EQ(r.events.size(), 2u);
  // Both events list their attendees; only the one Ann attends makes them contacts.
  ASSERT_EQ(r.events[1].attendees.size(), 1u);
  EXPECT_EQ(r.events[1].attendees[0].name, "Eve Stranger");
  // A plan that names who else will be there says more than one that does not.
  PageSpec alone = spec;
  alone.events[0].attendees.clear();
  EXPECT_GT(Category(r, "plans"), Category(ScanOf(alone), "plans"));
}

TEST(RelationsProperty, IdentityDoesNotChangeWhenACardThatIsNotTheOwnersIsAdded) {
  for (unsigned seed = 1; seed <= kCases; ++seed) {
    Generator gen(seed);
    PageSpec spec = gen.NewPage();
    const model::ScanResult before = ScanOf(spec);
    // Someone else's card: at their own URL (a page without owner markup
    // takes its only card without a URL as the owner's, see
    // RepresentativeCard), anywhere among the others.
    Person added = gen.NewPerson();
    if (!spec.owner_card && added.url.empty()) added.url = "https://added.example/";
    spec.cards.insert(spec.cards.begin() + static_cast<long>(gen.Pick(spec.cards.size() + 1)), added);
    const model::ScanResult after = ScanOf(spec);
    EXPECT_EQ(after.identity.names, before.identity.names) << "seed " << seed << "\n" << Render(spec);
    EXPECT_EQ(after.identity.profiles, before.identity.profiles) << "seed " << seed;
    // The contacts before are all still there, and the new card is the one new contact.
    EXPECT_EQ(after.contacts.size(), before.contacts.size() + 1) << "seed " << seed << "\n" << Render(spec);
  }
}

}  // namespace
}  // namespace telescreen
