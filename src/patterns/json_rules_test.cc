// JSON rules, post rules and walls in pattern packs, through PatternSet.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>

#include "patterns/pack.h"
#include "patterns/pattern_set.h"
#include "patterns/test_html.h"

namespace telescreen::patterns {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ParseTestHtml;

core::Url U(const char* s) { return core::Url::Parse(s).value(); }

PatternSet Load(const char* pack) {
  PatternSet set;
  std::vector<PackError> errors;
  auto st = set.AddPack(pack, "test.json", "test", &errors);
  EXPECT_TRUE(st.ok()) << (errors.empty() ? "" : errors[0].ToString());
  return set;
}

std::vector<std::string> ErrorsOf(const char* pack) {
  PatternSet set;
  std::vector<PackError> errors;
  EXPECT_FALSE(set.AddPack(pack, "bad.json", "test", &errors).ok());
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.ToString());
  return out;
}

const char* kApiPack = R"({
  "id": "api", "name": "API", "version": "1", "checked": "2026-12-02",
  "urls": ["^https://api\\.example/"],
  "rules": [
    {"id": "user", "json": "[login]", "urls": ["/users/[a-z]+$"],
     "fields": [
       {"target": "identity.name", "path": ["/first", "/last"]},
       {"target": "identity.profile", "path": "/html_url"},
       {"target": "identity.headline", "path": "/bio", "take": "html"}
     ]},
    {"id": "following", "type": "list", "json": "/*[login]", "urls": ["/following"],
     "fields": [
       {"target": "contact.name", "path": "/login"},
       {"target": "contact.url", "path": "/html_url"},
       {"target": "contact.relation", "value": "following"}
     ]},
    {"id": "events", "type": "list", "json": "/data/**[__typename=Event][time]",
     "fields": [
       {"target": "event.name", "path": "/title"},
       {"target": "event.start", "path": "/time", "as": "epoch"},
       {"target": "event.url", "path": "/link"}
     ]}
  ],
  "follow": [
    {"id": "more", "json": "/next", "kind": "next", "accept": "application/json"}
  ]
})";

TEST(JsonRulesTest, ReadIdentityFromAJsonBody) {
  PatternSet set = Load(kApiPack);
  model::PageFacts facts;
  auto url = U("https://api.example/users/ann");
  set.Apply(PageView{url, model::Visibility::kPublic, nullptr,
                     R"({"login": "ann", "first": "Ann", "last": "Lee", "html_url": "/ann",
                         "bio": "<p>Works at <b>ACME</b> &amp; more</p><p>See <span class=\"invisible\">https://</span><span>ann.example</span></p>"})"},
            &facts);
  ASSERT_EQ(facts.identity.size(), 3u);
  EXPECT_EQ(facts.identity[0].kind, "name");
  EXPECT_EQ(facts.identity[0].value, "Ann Lee");  // paths joined with a space
  EXPECT_EQ(facts.identity[0].evidence.via, "pattern:api/user");
  EXPECT_TRUE(facts.identity[0].evidence.machine_readable);
  EXPECT_EQ(facts.identity[1].value, "https://api.example/ann");  // URLs resolve against the page
  EXPECT_EQ(facts.identity[2].value, "Works at ACME & more See https://ann.example");  // take: html
}

TEST(JsonRulesTest, ReadListItemsAndFollowJsonLinks) {
  PatternSet set = Load(kApiPack);
  model::PageFacts facts;
  auto url = U("https://api.example/users/ann/following");
  set.Apply(PageView{url, model::Visibility::kMembersOnly, nullptr,
                     R"([{"login": "bo", "html_url": "https://x.example/bo"},
                         {"login": "cy", "html_url": "https://x.example/cy"},
                         {"login": "bo", "html_url": "https://x.example/bo"},
                         {"id": 5}])"},
            &facts);
  ASSERT_EQ(facts.contacts.size(), 2u);  // the repeated item counts once; {"id": 5} has no login
  EXPECT_EQ(facts.contacts[1].name, "cy");
  EXPECT_EQ(facts.contacts[1].relation, "following");
  EXPECT_EQ(facts.contacts[1].evidence[0].visibility, model::Visibility::kMembersOnly);
}

TEST(JsonRulesTest, ReadEmbeddedJsonWithEpochTimes) {
  PatternSet set = Load(kApiPack);
  auto dom = ParseTestHtml(R"(<script>handle({"data": {"x": [
      {"__typename": "Event", "title": "Launch", "time": 1573869600, "link": "/e/1"},
      {"__typename": "Event", "title": "No time"},
      {"__typename": "Group", "title": "G", "time": 1}]}, "next": "/page2"});</script>)");
  model::PageFacts facts;
  auto url = U("https://api.example/group");
  set.Apply(PageView{url, model::Visibility::kPublic, &dom, {}}, &facts);
  ASSERT_EQ(facts.events.size(), 1u);
  EXPECT_EQ(facts.events[0].name, "Launch");
  EXPECT_EQ(facts.events[0].start, "2019-11-16T02:00:00Z");
  EXPECT_EQ(facts.events[0].url, "https://api.example/e/1");
  ASSERT_EQ(facts.links.size(), 1u);
  EXPECT_EQ(facts.links[0].url, "https://api.example/page2");
  EXPECT_EQ(facts.links[0].accept, "application/json");
}

// event.attendee takes every value, not the first: in JSON every value its
// paths reach, in HTML every element its selector matches in the item.
TEST(JsonRulesTest, AttendeesAreEveryPersonListedWithTheEvent) {
  PatternSet set = Load(R"({
  "id": "rsvp", "name": "RSVP", "version": "1", "checked": "2026-12-07",
  "urls": ["^https://rsvp\\.example/"],
  "rules": [
    {"id": "json-events", "type": "list", "json": "/events/*[title]",
     "fields": [
       {"target": "event.name", "path": "/title"},
       {"target": "event.attendee", "path": ["/rsvps/*/member/name", "/host/name"]}
     ]},
    {"id": "cards", "type": "list", "selector": ".card",
     "fields": [
       {"target": "event.name", "selector": "h3"},
       {"target": "event.attendee", "selector": ".avatar", "take": "attr:aria-label"}
     ]}
  ]})");
  auto dom = ParseTestHtml(R"(<div class="card"><h3>Card one</h3>
<span class="avatar" aria-label="Ann A."></span><span class="avatar" aria-label="Bo B."></span>
<span class="avatar"></span><span class="avatar" aria-label="  "></span></div>
<div class="card"><h3>Card two</h3></div>
<script>var s = {"events": [{"title": "Json one", "host": {"name": "Hal H."},
  "rsvps": [{"member": {"name": "Cy C."}}, {"member": {}}, {"member": {"name": "Di D."}}]}]};</script>)");
  model::PageFacts facts;
  auto url = U("https://rsvp.example/group/events");
  set.Apply(PageView{url, model::Visibility::kPublic, &dom, {}}, &facts);
  std::map<std::string, std::vector<std::string>> people;
  for (const auto& e : facts.events) {
    auto& names = people[e.name.str()];
    for (const auto& a : e.attendees) names.push_back(a.name.str());
  }
  EXPECT_THAT(people["Card one"], ElementsAre("Ann A.", "Bo B."));
  EXPECT_THAT(people["Card two"], ElementsAre());
  EXPECT_THAT(people["Json one"], ElementsAre("Cy C.", "Di D.", "Hal H."));
  EXPECT_EQ(facts.events.size(), 3u);
  EXPECT_TRUE(facts.contacts.empty());  // listed with an event is not a contact of the page
}

TEST(JsonRulesTest, TimeConversions) {
  const char* pack = R"json({
    "id": "t", "name": "T", "version": "1", "checked": "2026-12-02", "urls": ["^https://t\\.example/"],
    "rules": [{"id": "e", "type": "list", "json": "/*",
      "fields": [{"target": "event.name", "path": "/n"},
                 {"target": "event.start", "path": "/t", "as": "epoch"},
                 {"target": "event.end", "path": "/id", "regex": "activity:([0-9]+)", "as": "snowflake"}]}]
  })json";
  PatternSet set = Load(pack);
  model::PageFacts facts;
  auto url = U("https://t.example/");
  set.Apply(PageView{url, model::Visibility::kPublic, nullptr,
                     R"([{"n": "seconds", "t": 1313020800},
                         {"n": "millis", "t": 1313020800000},
                         {"n": "text", "t": "1313020800"},
                         {"n": "snowflake", "t": "x", "id": "urn:li:activity:7442999397778587648"},
                         {"n": "junk", "t": "soon"}])"},
            &facts);
  ASSERT_EQ(facts.events.size(), 5u);
  EXPECT_EQ(facts.events[0].start, "2011-08-11T00:00:00Z");
  EXPECT_EQ(facts.events[1].start, "2011-08-11T00:00:00Z");
  EXPECT_EQ(facts.events[2].start, "2011-08-11T00:00:00Z");
  EXPECT_EQ(facts.events[3].end, "2026-03-26T18:22:20Z");  // the id's top 41 bits: milliseconds
  EXPECT_EQ(facts.events[4].start, "");                    // not a number: no time
}

TEST(JsonRulesTest, NamedGroupsOfTheUrlPatternAreVariables) {
  // An API answer that holds the signed-in viewer's profile beside the one
  // asked for: the URL says which is the person's.
  const char* pack = R"json({
    "id": "v", "name": "V", "version": "1", "checked": "2026-12-02", "urls": ["^https://v\\.example/"],
    "rules": [{"id": "me", "json": "/included/*[publicIdentifier={who}]",
               "urls": ["[?&]memberIdentity=(?P<who>[^&]+)"],
               "fields": [{"target": "identity.name", "path": ["/firstName", "/lastName"]}]}]
  })json";
  PatternSet set = Load(pack);
  model::PageFacts facts;
  auto url = U("https://v.example/profiles?q=memberIdentity&memberIdentity=lex");
  set.Apply(PageView{url, model::Visibility::kPublic, nullptr,
                     R"({"included": [{"publicIdentifier": "viewer", "firstName": "Vi", "lastName": "Ewer"},
                                      {"publicIdentifier": "lex", "firstName": "Lex", "lastName": "F"}]})"},
            &facts);
  ASSERT_EQ(facts.identity.size(), 1u);
  EXPECT_EQ(facts.identity[0].value, "Lex F");
}

TEST(JsonRulesTest, BadJsonOnAPageIsAWarningNotACrash) {
  PatternSet set = Load(kApiPack);
  model::PageFacts facts;
  auto url = U("https://api.example/users/ann/following");
  set.Apply(PageView{url, model::Visibility::kPublic, nullptr, "[{\"login\": "}, &facts);
  EXPECT_TRUE(facts.contacts.empty());
  EXPECT_THAT(facts.warnings, ElementsAre("JSON body: not valid JSON"));
}

TEST(JsonRulesTest, PackErrorsNameLineAndRule) {
  EXPECT_THAT(
      ErrorsOf(R"({"id": "x", "name": "X", "version": "1", "checked": "2026-12-02", "urls": ["x"],
  "rules": [{"id": "r", "json": "users/*",
             "fields": [{"target": "contact.name", "path": "/a"}]}]})"),
      ElementsAre("bad.json:2: rule 'r': bad JSON path 'users/*': column 1: a path starts with '/' or "
                  "'[' (\"\" is the document itself)"));
  EXPECT_THAT(ErrorsOf(R"({"id": "x", "name": "X", "version": "1", "checked": "2026-12-02", "urls": ["x"],
  "rules": [{"id": "r", "json": "/a",
             "fields": [{"target": "contact.name", "selector": "a"}]}]})"),
              ElementsAre(HasSubstr("use 'path', not 'selector'"), HasSubstr("needs a 'path'")));
  EXPECT_THAT(ErrorsOf(R"({"id": "x", "name": "X", "version": "1", "checked": "2026-12-02", "urls": ["x"],
  "rules": [{"id": "r", "selector": "a",
             "fields": [{"target": "contact.name", "path": "/a"}]}]})"),
              ElementsAre(HasSubstr("'path' reads JSON: it needs the rule's 'json'")));
  EXPECT_THAT(ErrorsOf(R"({"id": "x", "name": "X", "version": "1", "checked": "2026-12-02", "urls": ["x"],
  "rules": [{"id": "r", "json": "",
             "fields": [{"target": "event.start", "path": "/t", "as": "unix"}]}]})"),
              ElementsAre(HasSubstr("as must be text, epoch, epoch-s, epoch-ms or snowflake")));
}

const char* kPostsPack = R"json({
  "id": "feed", "name": "Feed", "version": "1", "checked": "2026-12-02",
  "urls": ["^https://feed\\.example/"],
  "posts": [
    {"id": "post", "selector": "div.post",
     "published": {"selector": "a.permalink", "take": "attr:href", "regex": "/p/([0-9]+)", "as": "snowflake"},
     "title": {"selector": ".text"}}
  ],
  "text_rules": [
    {"id": "dated", "target": "event", "within": "post", "set": {"role": "mentioned"},
     "regex": "(?P<start>[0-9]{1,2} March)"}
  ]
})json";

TEST(PostRulesTest, DeclaredPostsDateWhatTheySayAndNameTheEvent) {
  PatternSet set = Load(kPostsPack);
  auto dom = ParseTestHtml(R"(<html><body>
<div class="post"><a class="permalink" href="/p/7442999397778587648">4d</a>
  <p class="text">Demo night. Bring what you build, 3 March, SF.</p></div>
<p>Outside any post: 5 March</p>
</body></html>)");
  model::PageFacts facts;
  auto url = U("https://feed.example/ann");
  set.Apply(PageView{url, model::Visibility::kPublic, &dom, {}}, &facts);
  ASSERT_EQ(facts.events.size(), 1u);  // "5 March" is outside every post
  EXPECT_EQ(facts.events[0].start, "3 March");
  EXPECT_EQ(facts.events[0].stated_at, "2026-03-26T18:22:20Z");
  EXPECT_EQ(facts.events[0].name, "Demo night.");  // the first sentence of the post's title
  EXPECT_EQ(facts.events[0].role, "mentioned");
}

const char* kWallPack = R"json({
  "id": "site", "name": "Site", "version": "1", "checked": "2026-12-02",
  "urls": ["^https://site\\.example/"],
  "walls": [
    {"id": "authwall", "kind": "login", "final_url": "/authwall", "detail": "login wall (redirect to /authwall)"},
    {"id": "999", "kind": "blocked", "status": [999], "detail": "HTTP 999 (site refuses robots)"},
    {"id": "join", "kind": "login", "selector": "form#join", "detail": "sign-up form instead of the profile"}
  ]
})json";

TEST(WallsTest, PackSignalsComeFirst) {
  PatternSet set = Load(kWallPack);
  auto v = set.DetectWall({"https://site.example/in/ann", "https://site.example/authwall?x=1", 200, nullptr});
  EXPECT_EQ(v.wall, model::Wall::kLogin);
  EXPECT_EQ(v.detail, "login wall (redirect to /authwall)");
  v = set.DetectWall({"https://site.example/in/ann", "https://site.example/in/ann", 999, nullptr});
  EXPECT_EQ(v.wall, model::Wall::kBlocked);
  EXPECT_EQ(v.detail, "HTTP 999 (site refuses robots)");
  auto dom = ParseTestHtml(R"(<h1>Ann</h1><form id="join"><input name="email"></form>)");
  v = set.DetectWall({"https://site.example/in/ann", "", 200, &dom});
  EXPECT_EQ(v.detail, "sign-up form instead of the profile");
}

TEST(WallsTest, GenericSignals) {
  PatternSet set;
  EXPECT_EQ(set.DetectWall({"https://a.example/u", "", 401, nullptr}).wall, model::Wall::kLogin);
  EXPECT_EQ(set.DetectWall({"https://a.example/u", "", 403, nullptr}).wall, model::Wall::kBlocked);
  EXPECT_EQ(set.DetectWall({"https://a.example/u", "", 429, nullptr}).detail, "HTTP 429 (too many requests)");
  EXPECT_EQ(set.DetectWall({"https://a.example/u", "", 404, nullptr}).wall, model::Wall::kNone);
  auto v = set.DetectWall({"https://a.example/u", "https://a.example/login?next=/u", 200, nullptr});
  EXPECT_EQ(v.wall, model::Wall::kLogin);
  EXPECT_EQ(v.detail, "login wall (redirect to /login)");
  EXPECT_EQ(set.DetectWall({"https://a.example/u", "https://a.example/de-DE/login/", 200, nullptr}).wall,
            model::Wall::kLogin);
  // Asking for the login page is not running into a wall; neither is a
  // redirect elsewhere.
  EXPECT_EQ(set.DetectWall({"https://a.example/login", "https://a.example/login/", 200, nullptr}).wall,
            model::Wall::kNone);
  EXPECT_EQ(set.DetectWall({"https://a.example/u", "https://a.example/users/u", 200, nullptr}).wall,
            model::Wall::kNone);
  EXPECT_EQ(set.DetectWall({"https://a.example/u", "https://a.example/loginhelp", 200, nullptr}).wall,
            model::Wall::kNone);
}

TEST(WallsTest, APageThatIsLittleMoreThanALoginFormIsAWall) {
  PatternSet set;
  auto wall = ParseTestHtml(R"(<h1>Sign in</h1><form><input name="u"><input type="password"></form>)");
  EXPECT_EQ(set.DetectWall({"https://a.example/u", "", 200, &wall}).wall, model::Wall::kLogin);
  // A profile with a sign-in box in its header is content, not a wall.
  std::string profile = "<form><input type=\"password\"></form><main>";
  for (int i = 0; i < 100; ++i) profile += "<p>Ann Lee spoke at a conference about privacy and networks.</p>";
  profile += "</main>";
  auto page = ParseTestHtml(profile);
  EXPECT_EQ(set.DetectWall({"https://a.example/u", "", 200, &page}).wall, model::Wall::kNone);
}

}  // namespace
}  // namespace telescreen::patterns

namespace telescreen::patterns {
namespace {

// The fenced ```json blocks under `heading` in docs/patterns.md, in order.
std::vector<std::string> DocJsonBlocks(const std::string& heading) {
  std::ifstream in(std::string(TELESCREEN_SOURCE_DIR) + "/docs/patterns.md");
  std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> blocks;
  std::size_t at = doc.find(heading);
  std::size_t end = doc.find("\n### ", at);
  while (at != std::string::npos) {
    std::size_t open = doc.find("```json\n", at);
    if (open == std::string::npos || open > end) break;
    std::size_t close = doc.find("```", open + 8);
    blocks.push_back(doc.substr(open + 8, close - open - 8));
    at = close + 3;
  }
  return blocks;
}

TEST(JsonRulesTest, TheWorkedExampleInTheDocsDoesWhatTheDocsSay) {
  auto blocks = DocJsonBlocks("#### A worked example");
  ASSERT_EQ(blocks.size(), 2u);
  PatternSet set = Load(blocks[1].c_str());
  model::PageFacts facts;
  auto url = U("https://api.klub.example/v1/users/anna/friends?page=1");
  set.Apply(PageView{url, model::Visibility::kPublic, nullptr, blocks[0]}, &facts);
  ASSERT_EQ(facts.identity.size(), 2u);
  EXPECT_EQ(facts.identity[0].value, "Anna Beispiel");
  ASSERT_EQ(facts.contacts.size(), 1u);
  EXPECT_EQ(facts.contacts[0].name, "Bert Muster");
  EXPECT_EQ(facts.contacts[0].url, "https://klub.example/people/bert");
  EXPECT_EQ(facts.contacts[0].relation, "friend");
  ASSERT_EQ(facts.links.size(), 1u);
  EXPECT_EQ(facts.links[0].url, "https://api.klub.example/v1/users/anna/friends?page=2");
  EXPECT_EQ(facts.links[0].accept, "application/json");
  EXPECT_EQ(facts.links[0].kind, "next");
}

}  // namespace
}  // namespace telescreen::patterns
