#include "fetch/har.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "core/hash.h"

namespace telescreen::fetch {
namespace {

const char kHar[] = R"({"log": {"version": "1.2", "creator": {"name": "Firefox", "version": "1"},
  "entries": [
    {"time": 12.5,
     "request": {"method": "GET", "url": "https://social.test/in/ann"},
     "response": {"status": 200,
       "headers": [{"name": "date", "value": "Thu, 01 Oct 2015 10:00:00 GMT"}],
       "content": {"mimeType": "text/html; charset=utf-8", "text": "<h1>Ann</h1>"}}},
    {"request": {"url": "https://social.test/logo.png"},
     "response": {"status": 200, "headers": [],
       "content": {"mimeType": "image/png", "text": "iVBORw0KGgo=", "encoding": "base64"}}},
    {"request": {"url": "https://social.test/api/contacts"},
     "response": {"status": 200, "headers": [],
       "content": {"mimeType": "application/json", "text": "eyJhIjoxfQ==", "encoding": "base64"}}},
    {"request": {"url": "https://social.test/latin"},
     "response": {"status": 200, "headers": [],
       "content": {"mimeType": "text/html; charset=iso-8859-1", "text": "S+ly", "encoding": "base64"}}}
  ]}})";

TEST(HarTest, ReadsTextAndBase64Bodies) {
  auto pages = ParseHar(kHar, "x.har");
  ASSERT_TRUE(pages.ok()) << pages.error().message;
  ASSERT_EQ(pages.value().size(), 3u);  // the PNG is skipped
  const CrawledPage& ann = pages.value()[0];
  EXPECT_EQ(ann.page.url, "https://social.test/in/ann");
  EXPECT_EQ(ann.page.final_url, "https://social.test/in/ann");
  EXPECT_EQ(ann.page.status, 200);
  EXPECT_EQ(ann.body, "<h1>Ann</h1>");
  EXPECT_EQ(ann.page.bytes, 12u);
  EXPECT_EQ(ann.page.sha256, core::Sha256Hex("<h1>Ann</h1>"));
  EXPECT_EQ(ann.page.fetch_ms, 12.5);
  EXPECT_EQ(ann.date_header, "Thu, 01 Oct 2015 10:00:00 GMT");
  EXPECT_EQ(ann.page.visibility, model::Visibility::kMembersOnly);
  EXPECT_EQ(pages.value()[1].body, "{\"a\":1}");
  EXPECT_EQ(pages.value()[2].body, "K\xC3\xA9r");  // "K\xE9r" in Latin-1 -> UTF-8
}

TEST(HarTest, KeepsRedirectsAndErrorsWithoutBodies) {
  // What the browser was shown instead of a page: a sign-in redirect, a block.
  auto pages = ParseHar(R"({"log":{"entries":[
      {"request":{"url":"https://www.site.test/in/ann"},
       "response":{"status":302,"redirectURL":"","headers":[{"name":"Location","value":"/authwall?trk=x"}],
                   "content":{"mimeType":"text/html","text":""}}},
      {"request":{"url":"https://www.site.test/in/bo"},
       "response":{"status":999,"headers":[],"content":{"mimeType":"","size":0}}},
      {"request":{"url":"https://www.site.test/logo.png"},
       "response":{"status":200,"headers":[],"content":{"mimeType":"image/png"}}}]}})",
                        "walls.har");
  ASSERT_TRUE(pages.ok()) << pages.error().message;
  ASSERT_EQ(pages.value().size(), 2u);
  EXPECT_EQ(pages.value()[0].page.status, 302);
  EXPECT_EQ(pages.value()[0].page.final_url, "https://www.site.test/authwall?trk=x");
  EXPECT_EQ(pages.value()[1].page.status, 999);
  EXPECT_EQ(pages.value()[1].body, "");
}

TEST(HarTest, ErrorsNameFileAndEntry) {
  auto bad_b64 = ParseHar(R"({"log":{"entries":[
      {"request":{"url":"https://a.test/"},"response":{"status":200,"content":{"mimeType":"text/html","text":"<p>ok</p>"}}},
      {"request":{"url":"https://a.test/x"},"response":{"status":200,"content":{"mimeType":"text/html","text":"!!!","encoding":"base64"}}}]}})",
                          "my.har");
  ASSERT_FALSE(bad_b64.ok());
  EXPECT_EQ(bad_b64.error().message, "my.har: entry 1: response.content.text is not valid base64");

  auto no_url = ParseHar(R"({"log":{"entries":[{"request":{},"response":{"content":{}}}]}})", "my.har");
  ASSERT_FALSE(no_url.ok());
  EXPECT_NE(no_url.error().message.find("my.har: entry 0: request.url"), std::string::npos);

  auto not_json = ParseHar("{", "my.har");
  ASSERT_FALSE(not_json.ok());
  EXPECT_NE(not_json.error().message.find("my.har: not valid JSON"), std::string::npos);

  auto not_har = ParseHar(R"({"log": {}})", "my.har");
  ASSERT_FALSE(not_har.ok());
  EXPECT_NE(not_har.error().message.find("no log.entries"), std::string::npos);

  auto no_content = ParseHar(
      R"({"log":{"entries":[{"request":{"url":"https://a.test/"},"response":{"content":{"mimeType":"text/html"}}}]}})",
      "my.har");
  ASSERT_FALSE(no_content.ok());
  EXPECT_NE(no_content.error().message.find("with content"), std::string::npos);
}

TEST(HarTest, WrongTypesAreErrorsNotCrashes) {
  for (
      const char* text :
      {R"([])", R"({"log": []})", R"({"log": {"entries": [1, 2]}})",
       R"({"log": {"entries": [{"request": {"url": 5}, "response": {}}]}})",
       R"({"log": {"entries": [{"request": {"url": "u"}, "response": {"content": {"mimeType": "text/html", "text": 7}}}]}})"}) {
    auto r = ParseHar(text, "t.har");
    EXPECT_FALSE(r.ok()) << text;
  }
}

TEST(HarTest, ReadsFromFile) {
  std::string path = ::testing::TempDir() + "/telescreen_har_test.har";
  {
    std::ofstream out(path);
    out << kHar;
  }
  auto pages = ReadHar(path);
  std::remove(path.c_str());
  ASSERT_TRUE(pages.ok()) << pages.error().message;
  EXPECT_EQ(pages.value().size(), 3u);
  auto missing = ReadHar("/nonexistent/file.har");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("/nonexistent/file.har"), std::string::npos);
}

// Saved pages: the capture time is the response's Date header
// (RFC 9110 section 6.6.1), else the entry's startedDateTime (HAR 1.2).
TEST(HarTest, CaptureTimeFromDateHeaderElseStartedDateTime) {
  auto pages = ParseHar(R"({"log":{"entries":[
      {"startedDateTime":"2026-01-10T09:00:00.000+01:00","request":{"url":"https://a.test/dated"},
       "response":{"status":200,"headers":[{"name":"Content-Type","value":"text/html"},
                                           {"name":"DATE","value":"Sat, 10 Jan 2026 08:00:05 GMT"}],
                   "content":{"mimeType":"text/html","text":"<p>a</p>"}}},
      {"startedDateTime":"2026-01-10T09:30:00.123+01:00","request":{"url":"https://a.test/started"},
       "response":{"status":200,"headers":[{"name":"Date","value":"yesterday"}],
                   "content":{"mimeType":"text/html","text":"<p>b</p>"}}},
      {"request":{"url":"https://a.test/unknown"},
       "response":{"status":200,"content":{"mimeType":"text/html","text":"<p>c</p>"}}}]}})",
                        "t.har");
  ASSERT_TRUE(pages.ok()) << pages.error().message;
  ASSERT_EQ(pages.value().size(), 3u);
  EXPECT_EQ(pages.value()[0].page.captured_at, "2026-01-10T08:00:05Z");  // Date, not startedDateTime
  EXPECT_EQ(pages.value()[1].page.captured_at, "2026-01-10T08:30:00Z");  // unparsable Date: started
  EXPECT_EQ(pages.value()[2].page.captured_at, "");                      // neither
  auto first = ParseHar(kHar, "x.har");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.value()[0].page.captured_at, "2015-10-01T10:00:00Z");  // lower-case "date"
}

TEST(HarTest, Base64) {
  std::string out;
  EXPECT_TRUE(DecodeBase64("aGVsbG8=", &out));
  EXPECT_EQ(out, "hello");
  EXPECT_TRUE(DecodeBase64("aGVs\nbG8h", &out));
  EXPECT_EQ(out, "hello!");
  EXPECT_TRUE(DecodeBase64("", &out));
  EXPECT_EQ(out, "");
  EXPECT_FALSE(DecodeBase64("aGV=sbG8", &out));
  EXPECT_FALSE(DecodeBase64("a", &out));
  EXPECT_FALSE(DecodeBase64("aGVsbG8*", &out));
}

}  // namespace
}  // namespace telescreen::fetch
