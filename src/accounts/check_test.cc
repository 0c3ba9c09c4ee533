#include "accounts/check.h"

#include <gtest/gtest.h>

#include <chrono>

namespace telescreen::accounts {
namespace {

Site Rule(int e_code, std::string e_string, int m_code, std::string m_string) {
  Site s;
  s.name = "Example";
  s.uri_check = "https://example.test/u/{account}";
  s.e_code = e_code;
  s.e_string = std::move(e_string);
  s.m_code = m_code;
  s.m_string = std::move(m_string);
  return s;
}

model::Page Answer(int status, std::string final_url = "") {
  model::Page p;
  p.url = "https://example.test/u/jdoe";
  p.final_url = final_url.empty() ? p.url : final_url;
  p.status = status;
  return p;
}

TEST(PrepareTest, PercentEncodesTheUsernameIntoTheUrl) {
  Site s = Rule(200, "", 404, "");
  s.uri_pretty = "https://example.test/@{account}";
  PreparedCheck c = Prepare(s, "j doe/../x?y#z");
  ASSERT_TRUE(c.skipped.empty()) << c.skipped;
  EXPECT_EQ(c.request.url.ToString(), "https://example.test/u/j%20doe%2F..%2Fx%3Fy%23z");
  EXPECT_EQ(c.pretty_url, "https://example.test/@j%20doe%2F..%2Fx%3Fy%23z");
  EXPECT_EQ(c.request.method, fetch::HttpMethod::kGet);
}

TEST(PrepareTest, SkipsAUsernameWithACharacterTheSiteDoesNotTake) {
  Site s = Rule(200, "", 404, "");
  s.strip_bad_char = ".";
  PreparedCheck c = Prepare(s, "jane.doe");
  EXPECT_EQ(c.skipped, "skipped: the site does not take '.' in usernames");
  EXPECT_TRUE(Prepare(s, "janedoe").skipped.empty());
}

TEST(PrepareTest, EncodesThePostBodyForItsType) {
  Site json = Rule(200, "", 200, "");
  json.post = true;
  json.post_body = "{\"user\":\"{account}\"}";
  json.headers = {{"Content-Type", "application/json"}};
  PreparedCheck c = Prepare(json, "a\"b");
  EXPECT_EQ(c.request.method, fetch::HttpMethod::kPost);
  EXPECT_EQ(c.request.post_body, "{\"user\":\"a\\\"b\"}");
  EXPECT_EQ(c.request.headers, std::vector<std::string>{"Content-Type: application/json"});

  Site form = Rule(200, "", 200, "");
  form.post = true;
  form.post_body = "name={account}&x=1";
  EXPECT_EQ(Prepare(form, "a&b=c").request.post_body, "name=a%26b%3Dc&x=1");
}

TEST(ClassifyTest, FoundNeedsTheStatusThePresenceTextAndNoAbsenceText) {
  Site s = Rule(200, "Profile of", 200, "is not available");
  EXPECT_EQ(Classify(s, Answer(200), "<h1>Profile of jdoe</h1>").status, Status::kFound);
  EXPECT_EQ(Classify(s, Answer(200), "Profile of jdoe is not available").status, Status::kAbsent);
  EXPECT_EQ(Classify(s, Answer(201), "Profile of jdoe").status, Status::kUnknown);
}

TEST(ClassifyTest, AbsentNeedsTheStatusAndTheAbsenceText) {
  Site s = Rule(200, "Profile", 404, "No such user");
  EXPECT_EQ(Classify(s, Answer(404), "No such user here").status, Status::kAbsent);
  Outcome o = Classify(s, Answer(404), "Something else");
  EXPECT_EQ(o.status, Status::kUnknown);
  EXPECT_EQ(o.detail, "HTTP 404 without the presence or the absence text");
}

TEST(ClassifyTest, SaysWhyItCannotTell) {
  Site s = Rule(200, "Profile", 404, "");
  EXPECT_EQ(Classify(s, Answer(200), "Welcome!").detail,
            "soft 404? HTTP 200 without the presence or the absence text");
  EXPECT_EQ(Classify(s, Answer(302, "https://example.test/login?next=/u/jdoe"), "").detail,
            "login wall: redirected to https://example.test/login?next=/u/jdoe");
  EXPECT_EQ(Classify(s, Answer(429), "").detail.rfind("rate limited: HTTP 429", 0), 0u);
  EXPECT_EQ(Classify(s, Answer(403), "").detail, "blocked or login wall: HTTP 403");
  EXPECT_EQ(Classify(s, Answer(200), "<form><input type=\"password\"></form>").detail,
            "login wall: HTTP 200 with a sign-in form");
  model::Page timeout = Answer(0);
  timeout.error = "Timeout was reached: Operation timed out after 1000 milliseconds";
  EXPECT_EQ(Classify(s, timeout, "").detail.rfind("timeout: ", 0), 0u);
}

TEST(ClassifyTest, ARedirectCanBeTheAbsenceRule) {
  Site s = Rule(200, "Profile", 302, "");
  EXPECT_EQ(Classify(s, Answer(302, "https://example.test/search"), "").status, Status::kAbsent);
}

// Hostile answers: a 1 MiB body of one letter against an 8 KB rule text
// that almost matches everywhere stays fast (the search is linear).
TEST(ClassifyTest, APathologicalBodyStaysLinear) {
  std::string needle(8191, 'a');
  needle += 'b';
  Site s = Rule(200, needle, 404, needle);
  std::string body(1 << 20, 'a');
  auto start = std::chrono::steady_clock::now();
  Outcome o = Classify(s, Answer(200), body);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(o.status, Status::kUnknown);
  EXPECT_LT(took, std::chrono::seconds(10));  // n * m would be minutes (8e9 steps)
}

}  // namespace
}  // namespace telescreen::accounts
