#include "store/scan_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/deflate.h"
#include "model/report_json.h"
#include "store/diff.h"
#include "store/testing_scans.h"

namespace telescreen::store {
namespace {

using nlohmann::json;

TEST(ScanCodecTest, RoundTripsEveryField) {
  auto scan = testing::AnnScan();
  scan.pages[0].error = "timeout";
  scan.pages[0].truncated = true;
  scan.pages[0].depth = 2;
  scan.pages[0].fetch_ms = 12.25;
  scan.pages[0].visibility = model::Visibility::kMembersOnly;
  scan.pages[0].captured_at = "2025-12-31T23:59:58Z";
  scan.events[1].imminent = true;
  scan.events[0].end = "2025-02-02";
  scan.events[0].url = "https://fosdem.org/";
  scan.events[0].status = "moved-online";
  scan.events[0].attendees = {{"Bob Builder", "https://example.org/bob"}, {"Carol", ""}};
  scan.interactions = {
      {"Eve", "https://eve.example/", model::InteractionKind::kMention, scan.contacts[0].evidence}};
  scan.score.level_summary = "Some of your life is visible.";
  scan.findings[0].evidence[0].remediation = "Settings > Privacy";
  scan.pages[0].wall = model::Wall::kLogin;
  scan.pages[0].wall_detail = "login wall (redirect to /authwall)";
  scan.coverage = {
      {"https://example.org/ann", "example.org", model::Seen::kPartial, "1 of 2 pages not seen"},
      {"https://x.invalid/", "x.invalid", model::Seen::kFailed, "could not resolve host x.invalid"}};
  scan.score.complete = false;
  model::Fix fix;
  fix.id = "fix.0123456789ab";
  fix.text = "Hide your contact list";
  fix.settings_url = "https://example.org/settings";
  fix.findings = {core::SharedString(std::string("network.site.1")),
                  core::SharedString(std::string("network.overlap"))};
  fix.score_after = 31;
  fix.cumulative_after = 29;
  scan.fixes = {fix};
  std::string encoded = EncodeScan(scan);
  auto decoded = DecodeScan(encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& d = decoded.value();
  EXPECT_EQ(EncodeScan(d), encoded);
  // The whole object, so a field the codec drops on both sides still fails;
  // changes are derived and never stored.
  EXPECT_TRUE(d == scan);
  EXPECT_FALSE(d.changes.has_value());
  // A field changed after encoding is noticed.
  model::ScanResult changed = d;
  changed.pages[0].wall_detail = "HTTP 999";
  EXPECT_FALSE(changed == scan);
}

// What the history stores (codec 2: the text deflated) reads back whole,
// and for a diff without pages and findings but with every contact, event
// and identity fact; rows written by codec 1 (the text) still read.
TEST(ScanCodecTest, StoredRowsReadWholeOrForADiff) {
  auto scan = testing::AnnScan();
  scan.interrupted = true;
  core::Deflater packed;
  EncodeScanTo(scan, [&packed](std::string_view piece) { packed.Write(piece); });
  const std::string stored = packed.Finish();
  const std::string text = EncodeScan(scan);
  EXPECT_LT(stored.size(), text.size());
  auto whole = DecodeStoredScan(kScanCodecVersion, stored);
  ASSERT_TRUE(whole.ok()) << whole.error().message;
  EXPECT_TRUE(whole.value() == scan);
  auto old_row = DecodeStoredScan(1, text);
  ASSERT_TRUE(old_row.ok()) << old_row.error().message;
  EXPECT_TRUE(old_row.value() == scan);
  for (std::int64_t codec : {std::int64_t{1}, std::int64_t{kScanCodecVersion}}) {
    SCOPED_TRACE(codec);
    auto light = DecodeStoredScan(codec, codec == 1 ? text : stored, ScanParts::kForDiff);
    ASSERT_TRUE(light.ok()) << light.error().message;
    model::ScanResult expected = whole.value();
    expected.pages.clear();
    expected.findings.clear();
    EXPECT_TRUE(light.value() == expected);
    EXPECT_EQ(Diff(light.value(), scan, 1).new_contacts.size(), 0u);
  }
  // A damaged or truncated row is an error, never a crash or a partial scan.
  EXPECT_FALSE(DecodeStoredScan(kScanCodecVersion, stored.substr(0, stored.size() / 2)).ok());
  EXPECT_FALSE(DecodeStoredScan(kScanCodecVersion, "not deflated").ok());
  EXPECT_FALSE(DecodeStoredScan(kScanCodecVersion + 1, stored).ok());
}

// Records every item DecodeStoredScanItems hands over, in order.
class ItemLog : public ScanItemSink {
 public:
  void Contact(model::Contact contact) override { log.push_back("contact " + contact.name); }
  void Event(model::Event event) override { log.push_back("event " + event.name.str()); }
  void Fact(model::IdentityFact fact) override { log.push_back("fact " + fact.value.str()); }
  std::vector<std::string> log;
};

std::string Deflated(std::string_view text) {
  core::Deflater packed;
  packed.Write(text);
  return packed.Finish();
}

// For a diff the items are handed over one at a time and the rest comes
// back; parsing stops at the pages once everything before them is read, so
// what follows is never parsed. Rows written with the score after the
// pages (before that order) still read in full.
TEST(ScanCodecTest, ItemsAreHandedOverAndParsingStopsAtThePages) {
  auto scan = testing::AnnScan();
  const std::string text = EncodeScan(scan);
  const std::vector<std::string> expected = {"contact Bob Builder", "contact Carol",
                                             "event FOSDEM",        "event Chaos Communication Congress",
                                             "fact Acme GmbH",      "fact ann@example.org"};
  auto check = [&](const std::string& stored) {
    ItemLog sink;
    auto rest = DecodeStoredScanItems(kScanCodecVersion, stored, sink);
    ASSERT_TRUE(rest.ok()) << rest.error().message;
    std::vector<std::string> log = sink.log;
    std::sort(log.begin(), log.end());
    std::vector<std::string> want = expected;
    std::sort(want.begin(), want.end());
    EXPECT_EQ(log, want);
    EXPECT_TRUE(rest.value().contacts.empty());
    EXPECT_TRUE(rest.value().events.empty());
    EXPECT_TRUE(rest.value().identity.facts.empty());
    EXPECT_TRUE(rest.value().pages.empty());
    model::ScanResult head = scan;  // what is left once the items are handed over
    head.contacts.clear();
    head.events.clear();
    head.identity.facts.clear();
    head.pages.clear();
    head.findings.clear();
    EXPECT_TRUE(rest.value() == head);
  };
  check(Deflated(text));
  // Garbage where the pages are: not read for a diff, an error when read whole.
  const std::size_t pages = text.find(",\"pages\":");
  ASSERT_NE(pages, std::string::npos);
  const std::string cut = Deflated(text.substr(0, pages) + ",\"pages\":[{\"url\": nonsense");
  check(cut);
  EXPECT_FALSE(DecodeStoredScan(kScanCodecVersion, cut).ok());
  // The score after the pages, as rows were written before.
  const auto parsed = nlohmann::ordered_json::parse(text);
  nlohmann::ordered_json old_order;
  for (const auto& [key, value] : parsed.items()) {
    if (key != "score") old_order[key] = value;
  }
  old_order["score"] = parsed["score"];
  check(Deflated(old_order.dump()));
}

// Scans stored before coverage existed read as complete: they were scored
// as if every target had been seen, and a diff against them stays as it was.
TEST(ScanCodecTest, ScansStoredBeforeCoverageAreComplete) {
  auto scan = testing::AnnScan();
  std::string encoded = EncodeScan(scan);
  for (const char* key : {",\"complete\":true", "\"coverage\":[],"}) {
    auto at = encoded.find(key);
    ASSERT_NE(at, std::string::npos) << key;
    encoded.erase(at, std::string_view(key).size());
  }
  auto decoded = DecodeScan(encoded);
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(decoded.value().score.complete);
  EXPECT_TRUE(decoded.value().coverage.empty());
}

// Scans stored before Event::imminent existed get it from model::IsImminent
// against their own reference time; a stored value is kept as it is.
TEST(ScanCodecTest, ImminentMissingFromOlderRowsIsRecomputed) {
  auto scan = testing::AnnScan("2026-12-20T00:00:00Z");  // the Congress plan is 7 days away
  json j = json::parse(EncodeScan(scan));
  for (auto& e : j["events"]) e.erase("imminent");
  for (auto& p : j["pages"]) p.erase("captured_at");
  auto old_row = DecodeScan(j.dump());
  ASSERT_TRUE(old_row.ok());
  EXPECT_FALSE(old_row.value().events[0].imminent);  // past
  EXPECT_TRUE(old_row.value().events[1].imminent);
  EXPECT_EQ(old_row.value().pages[0].captured_at, "");
  j["events"][1]["imminent"] = false;
  EXPECT_FALSE(DecodeScan(j.dump()).value().events[1].imminent);
}

TEST(ScanCodecTest, ChangesAreNotStored) {
  auto scan = testing::AnnScan();
  scan.changes = Diff(scan, scan, 3);
  EXPECT_EQ(EncodeScan(scan).find("previous"), std::string::npos);
}

// The encoder writes JSON text itself: quotes, backslashes and control
// characters are escaped, UTF-8 passes as is, numbers read back exactly,
// and a number JSON cannot hold reads as 0.
TEST(ScanCodecTest, TextAndNumbersRoundTrip) {
  auto scan = testing::AnnScan();
  scan.contacts[0].name = "Bob \"the\" \\Builder\\\n\t\r\b\f\x01\x1f\x7f";
  scan.contacts[1].name = "Zoë 中文 \xF0\x9F\x98\x80";
  scan.findings[0].points = 0.1 + 0.2;
  scan.findings[0].sensitivity = 1e-300;
  scan.findings[0].visibility = std::numeric_limits<double>::quiet_NaN();
  scan.pages[0].bytes = std::numeric_limits<std::uint64_t>::max();
  scan.pages[0].status = -1;
  const std::string text = EncodeScan(scan);
  EXPECT_FALSE(json::parse(text, nullptr, false).is_discarded());
  auto decoded = DecodeScan(text);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& d = decoded.value();
  EXPECT_EQ(d.contacts[0].name, scan.contacts[0].name);
  EXPECT_EQ(d.contacts[1].name, scan.contacts[1].name);
  EXPECT_EQ(d.findings[0].points, scan.findings[0].points);
  EXPECT_EQ(d.findings[0].sensitivity, 1e-300);
  EXPECT_EQ(d.findings[0].visibility, 0);
  EXPECT_EQ(d.pages[0].bytes, scan.pages[0].bytes);
  EXPECT_EQ(d.pages[0].status, -1);
  // Overlong forms and surrogates are not UTF-8: replaced, as other bad bytes.
  scan.contacts[0].name = "A\xC0\xAF \xED\xA0\x80";
  auto replaced = DecodeScan(EncodeScan(scan));
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(replaced.value().contacts[0].name.substr(0, 1), "A");
  EXPECT_EQ(replaced.value().contacts[0].name.find('\xC0'), std::string::npos);
}

TEST(ScanCodecTest, InvalidUtf8IsReplacedNotFatal) {
  auto scan = testing::AnnScan();
  scan.contacts[0].name = "Bob \xff\xfe";
  auto decoded = DecodeScan(EncodeScan(scan));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value().contacts[0].name.substr(0, 4), "Bob ");
}

TEST(ScanCodecTest, RejectsGarbageAndNewerEncodings) {
  EXPECT_FALSE(DecodeScan("").ok());
  EXPECT_FALSE(DecodeScan("[1,2]").ok());
  EXPECT_FALSE(DecodeScan("{\"now\": ").ok());
  auto newer = DecodeScan("{\"codec\": 99}");
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.error().message.find("newer"), std::string::npos);
}

TEST(ScanCodecTest, WrongTypesAndHugeNumbersReadAsDefaults) {
  auto decoded = DecodeScan(R"({"now": 5, "targets": "x", "contacts": [1, {"name": ["a"]}],
      "pages": [{"status": 1e300, "depth": -1e300, "bytes": -5, "url": "u"}],
      "score": {"total": 18446744073709551615}})");
  ASSERT_TRUE(decoded.ok());
  const auto& d = decoded.value();
  EXPECT_EQ(d.now, "");
  EXPECT_TRUE(d.targets.empty());
  ASSERT_EQ(d.contacts.size(), 1u);
  EXPECT_EQ(d.contacts[0].name, "");
  EXPECT_EQ(d.pages[0].status, INT32_MAX);
  EXPECT_EQ(d.pages[0].depth, INT32_MIN);
  EXPECT_EQ(d.pages[0].bytes, 0u);
  EXPECT_EQ(d.score.total, INT32_MAX);
}

TEST(ScanCodecTest, ChangesJsonShape) {
  auto before = testing::AnnScan();
  auto after = testing::AnnScan();
  after.contacts.push_back(testing::MakeContact("Dave", ""));
  after.events.push_back(testing::MakeEvent("Dentist", "2026-01-05", model::Tense::kFuture));
  after.events.back().imminent = true;
  after.score.total = 55;
  const model::Changes changes = Diff(before, after, 4);
  const std::string text = EncodeChangesJson(changes, after.score.total);
  json j = json::parse(text);
  // The report's "changes" member, key for key and in its order, with the
  // later scan's score after the earlier one's.
  model::OrderedJson report = model::ChangesJson(changes);
  std::vector<std::string> keys, report_keys;
  const model::OrderedJson written = model::OrderedJson::parse(text);
  for (const auto& [key, value] : written.items()) keys.push_back(key);
  for (const auto& [key, value] : report.items()) report_keys.push_back(key);
  report_keys.insert(report_keys.begin() + 4, {"score", "score_change"});
  EXPECT_EQ(keys, report_keys);
  json without_score = j;
  without_score.erase("score");
  without_score.erase("score_change");
  EXPECT_EQ(without_score, json::parse(report.dump()));
  EXPECT_EQ(j["previous_scan_id"], 4);
  EXPECT_EQ(j["previous_score"], 40);
  EXPECT_EQ(j["score"], 55);
  EXPECT_EQ(j["score_change"], 15);
  ASSERT_EQ(j["new_contacts"].size(), 1u);
  EXPECT_EQ(j["new_contacts"][0]["name"], "Dave");
  EXPECT_TRUE(j["new_contacts"][0]["url"].is_null());
  EXPECT_EQ(j["new_contacts"][0]["sources"], json::array({"https://example.org/ann"}));
  ASSERT_EQ(j["new_plans"].size(), 1u);
  EXPECT_EQ(j["new_plans"][0]["tense"], "future");
  EXPECT_EQ(j["new_plans"][0]["imminent"], true);
  EXPECT_EQ(j["new_plans"][0]["location"], "Berlin");
  EXPECT_TRUE(j["new_plans"][0].contains("status"));  // the report's event shape, whole
  EXPECT_TRUE(j["new_plans"][0].contains("attendees"));
  EXPECT_TRUE(j["removed_contacts"].empty());
  EXPECT_TRUE(j["newly_public"].empty());
}

}  // namespace
}  // namespace telescreen::store
