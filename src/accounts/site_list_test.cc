#include "accounts/site_list.h"

#include <gtest/gtest.h>

namespace telescreen::accounts {
namespace {

// A list in the WhatsMyName data format with the field variants the
// community list uses: top-level license/authors/categories, integer codes,
// "known" arrays, optional uri_pretty, post_body with {account}, a headers
// object, strip_bad_char, "valid": false and "protection" (ignored), and a
// field this parser has never heard of. Written for this test.
constexpr char kWmnList[] = R"({
  "license": ["Example licence text"],
  "authors": ["someone"],
  "categories": ["social", "coding", "misc"],
  "sites": [
    {
      "name": "PlainSite",
      "uri_check": "https://plain.example/user/{account}",
      "e_code": 200,
      "e_string": "<title>Profile",
      "m_string": "Page not found",
      "m_code": 404,
      "known": ["alice", "bob"],
      "cat": "social"
    },
    {
      "name": "ApiSite",
      "uri_check": "https://api.example/v1/users?name={account}",
      "uri_pretty": "https://www.api.example/@{account}",
      "e_code": 200,
      "e_string": "\"id\":",
      "m_string": "\"data\":[]",
      "m_code": 200,
      "known": ["carol"],
      "cat": "coding",
      "headers": {"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"},
      "strip_bad_char": "."
    },
    {
      "name": "PostSite",
      "uri_check": "https://post.example/api/lookup",
      "uri_pretty": "https://post.example/{account}",
      "post_body": "{\"username\":\"{account}\"}",
      "headers": {"Content-Type": "application/json"},
      "e_code": 200,
      "e_string": "\"taken\":true",
      "m_string": "\"taken\":false",
      "m_code": 200,
      "known": ["dave"],
      "cat": "misc",
      "protection": ["cloudflare"]
    },
    {
      "name": "BrokenSite",
      "uri_check": "https://broken.example/{account}",
      "e_code": 200, "e_string": "x", "m_string": "y", "m_code": 404,
      "known": ["erin"], "cat": "misc", "valid": false
    },
    {
      "name": "Redirector",
      "uri_check": "http://redirect.example/{account}",
      "e_code": 200, "e_string": "profile", "m_string": "", "m_code": 302,
      "known": [], "cat": "social", "comments": ["a field nobody parses"]
    }
  ]
})";

TEST(SiteListTest, AcceptsTheWhatsMyNameFormat) {
  auto list = ParseSiteList(kWmnList, "wmn.json");
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list.value().sites.size(), 4u);
  EXPECT_EQ(list.value().skipped_invalid, 1u);

  Site plain;
  plain.name = "PlainSite";
  plain.uri_check = "https://plain.example/user/{account}";
  plain.e_code = 200;
  plain.e_string = "<title>Profile";
  plain.m_code = 404;
  plain.m_string = "Page not found";
  plain.known = {"alice", "bob"};
  plain.category = "social";
  EXPECT_EQ(list.value().sites[0], plain);

  const Site& api = list.value().sites[1];
  EXPECT_EQ(api.uri_pretty, "https://www.api.example/@{account}");
  EXPECT_EQ(api.m_code, 200);
  EXPECT_EQ(api.strip_bad_char, ".");
  ASSERT_EQ(api.headers.size(), 2u);
  EXPECT_EQ(api.headers[0].first, "Accept");
  EXPECT_FALSE(api.post);

  const Site& post = list.value().sites[2];
  EXPECT_TRUE(post.post);
  EXPECT_EQ(post.post_body, "{\"username\":\"{account}\"}");
  EXPECT_EQ(post.known, std::vector<std::string>{"dave"});

  EXPECT_EQ(list.value().sites[3].name, "Redirector");
  EXPECT_EQ(list.value().sites[3].m_code, 302);
  EXPECT_TRUE(list.value().sites[3].m_string.empty());
}

TEST(SiteListTest, TheBundledListParses) {
  auto list = BuiltinSites();
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_GE(list.value().sites.size(), 10u);
}

// A malformed list names the file and the entry (index and name).
TEST(SiteListTest, ErrorsNameTheFileAndTheEntry) {
  struct Case {
    const char* json;
    const char* expected;
  };
  const Case cases[] = {
      {"[]", "f.json: expected an object with a \"sites\" array"},
      {"{\"sites\": [", "f.json: not valid JSON"},
      {R"({"sites":[{"name":"A","uri_check":"https://a/{account}","e_code":"abc","e_string":"","m_code":404,"m_string":""}]})",
       "f.json: sites[0] (\"A\"): e_code: expected an HTTP status code"},
      {R"({"sites":[{"name":"A","uri_check":"https://a/x","e_code":200,"e_string":"","m_code":404,"m_string":""}]})",
       "f.json: sites[0] (\"A\"): uri_check: has no {account}"},
      {R"({"sites":[{"name":"A","uri_check":"ftp://a/{account}","e_code":200,"e_string":"","m_code":404,"m_string":""}]})",
       "f.json: sites[0] (\"A\"): uri_check:"},
      {R"({"sites":[{"name":"A","uri_check":"https://a/{account}","e_code":200,"e_string":"","m_code":404}]})",
       "f.json: sites[0] (\"A\"): missing field 'm_string'"},
      {R"({"sites":[{"uri_check":"https://a/{account}"}]})", "f.json: sites[0]: missing field 'name'"},
      {R"({"sites":[{"name":"A","uri_check":"https://a/{account}","e_code":99,"e_string":"","m_code":404,"m_string":""}]})",
       "f.json: sites[0] (\"A\"): e_code: 99 is not an HTTP status code"},
      {R"({"sites":[{"name":"A","uri_check":"https://a/{account}","e_code":200,"e_string":"","m_code":404,"m_string":"","headers":{"X":"a\r\nEvil: 1"}}]})",
       "f.json: sites[0] (\"A\"): headers: X: the value has a line break"},
      {R"({"sites":[{"name":"A","uri_check":"https://a/{account}","e_code":200,"e_string":"","m_code":404,"m_string":"","known":"bob"}]})",
       "f.json: sites[0] (\"A\"): known: expected an array"},
      {R"({"sites":[{"name":"A","uri_check":"https://a/{account}","e_code":200,"e_string":"","m_code":404,"m_string":""},
                    {"name":"a","uri_check":"https://b/{account}","e_code":200,"e_string":"","m_code":404,"m_string":""}]})",
       "f.json: sites[1] (\"a\"): a second site named \"a\" (the first is sites[0])"},
      {R"({"sites":[7]})", "f.json: sites[0]: expected an object"},
      {R"({"sites":[{"name":"Evil\u001b[2J","uri_check":"https://a/x","e_code":200,"e_string":"","m_code":404,"m_string":""}]})",
       "f.json: sites[0] (\"Evil[2J\"): uri_check: has no {account}"},
  };
  for (const Case& c : cases) {
    auto list = ParseSiteList(c.json, "f.json");
    ASSERT_FALSE(list.ok()) << c.json;
    EXPECT_EQ(list.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_EQ(list.error().message.rfind(c.expected, 0), 0u) << list.error().message;
  }
}

TEST(SiteListTest, MergeReplacesByNameAndAppendsTheRest) {
  std::vector<Site> base(2);
  base[0].name = "One";
  base[1].name = "Two";
  std::vector<Site> extra(2);
  extra[0].name = "two";
  extra[0].e_code = 201;
  extra[1].name = "Three";
  MergeSites(&base, extra);
  ASSERT_EQ(base.size(), 3u);
  EXPECT_EQ(base[1].name, "two");
  EXPECT_EQ(base[1].e_code, 201);
  EXPECT_EQ(base[2].name, "Three");
}

// Hostile lists never crash: deep nesting, wrong types everywhere, huge
// numbers, invalid UTF-8. Each is refused with an error or parsed.
TEST(SiteListTest, HostileListsAreRefusedNotFatal) {
  std::vector<std::string> inputs = {
      std::string(100000, '['),
      "{\"sites\": " + std::string(50000, '[') + std::string(50000, ']') + "}",
      R"({"sites":[{"name":"A","uri_check":"https://a/{account}","e_code":1e400,"e_string":"","m_code":404,"m_string":""}]})",
      R"({"sites":[{"name":"A","uri_check":"https://a/{account}","e_code":-5,"e_string":"","m_code":404,"m_string":""}]})",
      R"({"sites":[{"name":"A","uri_check":"https://a/{account}","e_code":200.5,"e_string":"","m_code":404,"m_string":""}]})",
      R"({"sites":[{"name":["x"],"uri_check":7}]})",
      R"({"sites":[{"name":"A","uri_check":"https://a/{account}","e_code":200,"e_string":"","m_code":404,"m_string":"","headers":{"Bad Name":"v"}}]})",
      "{\"sites\":[{\"name\":\"\xff\xfe\",\"uri_check\":\"https://a/{account}\"}]}",
      "",
  };
  for (const std::string& in : inputs) {
    auto list = ParseSiteList(in, "h.json");
    if (!list.ok()) {
      EXPECT_EQ(list.error().message.rfind("h.json", 0), 0u) << list.error().message;
    }
  }
}

}  // namespace
}  // namespace telescreen::accounts
