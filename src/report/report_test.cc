#include "report/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/hash.h"
#include "core/i18n.h"
#include "core/text.h"
#include "report/escape.h"
#include "score/fixture.h"
#include "score/score.h"

namespace telescreen::report {
namespace {

using score::testing::HostileScan;
using score::testing::RealisticScan;

model::ScanResult Scored(model::ScanResult r) {
  score::ScoreScan(&r, core::ParseNow(score::testing::kFixtureNow).value());
  return r;
}

// ---- escaping -------------------------------------------------------------

TEST(EscapeTest, CleanTextDropsTerminalControls) {
  EXPECT_EQ(CleanText("a\x1b[2Jb\x07"
                      "c"),
            "a[2Jbc");
  EXPECT_EQ(CleanText("tab\there\nnl"), "tab here nl");
  EXPECT_EQ(CleanText("c1 \xc2\x9b"
                      "31m"),
            "c1 31m");  // U+009B CSI
  EXPECT_EQ(CleanText("bidi \xe2\x80\xae"
                      "gnp.exe"),
            "bidi gnp.exe");  // U+202E
  EXPECT_EQ(CleanText("bad \xff\xfe"), "bad \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(CleanText("overlong \xc0\xaf"), "overlong \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(CleanText("surrogate \xed\xa0\x80"), "surrogate \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(CleanText("Kova\xc4\x8d \xf0\x9f\x98\x80"), "Kova\xc4\x8d \xf0\x9f\x98\x80");
  EXPECT_EQ(CleanText(std::string("nul\0x", 5)), "nulx");
}

TEST(EscapeTest, HtmlEscapeCoversTextAndAttributes) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\" onclick='y'>&</a>"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
}

TEST(EscapeTest, OnlyHttpUrlsAreSafe) {
  EXPECT_EQ(SafeHttpUrl("https://a.example/p?q=1").value_or(""), "https://a.example/p?q=1");
  EXPECT_TRUE(SafeHttpUrl("HTTP://A.example/").has_value());
  for (const char* bad :
       {"javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "\tjavascript:x",
        "data:text/html,<script>x</script>", "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example/",
        "https://a.example/\"onmouseover=\"x", "https://a.example/<x>", "https://a b/", "http://",
        "ftp://a.example/", "https://a.example/\x1b[2J"}) {
    EXPECT_FALSE(SafeHttpUrl(bad).has_value()) << bad;
  }
}

TEST(EscapeTest, PadToWidthCountsColumnsNotBytes) {
  EXPECT_EQ(PadToWidth("M\xC3\xA4rz", 6), "M\xC3\xA4rz  ");
  EXPECT_EQ(PadToWidth("already wide", 4), "already wide");
}

TEST(EscapeTest, WrapFitsTheWidth) {
  std::string text =
      "A stranger can find you in person: where you will be, when, and with whom. "
      "Averyveryveryveryveryveryveryveryveryveryveryveryverylongwordthatmustbecut here.";
  auto lines = Wrap(text, 30, 4);
  ASSERT_GT(lines.size(), 3u);
  for (const auto& l : lines) EXPECT_LE(DisplayWidth(l), 30u) << l;
  EXPECT_EQ(lines[1].substr(0, 4), "    ");
  EXPECT_EQ(Wrap("", 30, 2).size(), 1u);
}

// ---- text -----------------------------------------------------------------

void ExpectNoRawControls(const std::string& out, bool color) {
  for (std::size_t i = 0; i < out.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(out[i]);
    if (c == '\n') continue;
    if (c == 0x1b) {
      ASSERT_TRUE(color) << "ESC at " << i;
      // Only our SGR sequences: ESC [ digits/; m
      std::size_t j = i + 1;
      ASSERT_LT(j, out.size());
      ASSERT_EQ(out[j], '[');
      ++j;
      while (j < out.size() && (std::isdigit(static_cast<unsigned char>(out[j])) || out[j] == ';')) ++j;
      ASSERT_LT(j, out.size());
      EXPECT_EQ(out[j], 'm') << "non-SGR escape at " << i;
      i = j;
      continue;
    }
    EXPECT_FALSE(c < 0x20 || c == 0x7f) << "control " << int(c) << " at " << i;
    if (c == 0xc2 && i + 1 < out.size()) {
      unsigned char d = static_cast<unsigned char>(out[i + 1]);
      EXPECT_FALSE(d >= 0x80 && d <= 0x9f) << "C1 control at " << i;
    }
  }
}

TEST(TextReportTest, FitsEightyColumnsWithoutColour) {
  for (const auto& r : {Scored(RealisticScan()), Scored(HostileScan())}) {
    std::string out = RenderText(r);
    std::istringstream in(out);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      EXPECT_LE(DisplayWidth(line), 80u) << line;
      ++n;
    }
    EXPECT_GT(n, 15);
    ExpectNoRawControls(out, false);
  }
  std::string out = RenderText(Scored(RealisticScan()));
  EXPECT_THAT(out, ::testing::HasSubstr("Score "));
  EXPECT_THAT(out, ::testing::HasSubstr("SEVERE"));
  EXPECT_THAT(out, ::testing::HasSubstr("Change these first (5 of "));
  EXPECT_THAT(out, ::testing::HasSubstr("Because: "));
  EXPECT_THAT(out, ::testing::HasSubstr("Where you will be"));
  EXPECT_THAT(out, ::testing::HasSubstr("Found 13 contacts"));
}

TEST(TextReportTest, ColourOnlyWhenAskedAndOnlyOurs) {
  TextOptions color;
  color.color = Color::kAlways;
  std::string out = RenderText(Scored(HostileScan()), color);
  EXPECT_NE(out.find("\x1b["), std::string::npos);
  ExpectNoRawControls(out, true);
  EXPECT_EQ(out.find("\x1b]"), std::string::npos);  // the page's OSC title change is gone
  // Narrow terminals still wrap.
  TextOptions narrow;
  narrow.width = 50;
  std::istringstream in(RenderText(Scored(RealisticScan()), narrow));
  std::string line;
  while (std::getline(in, line)) EXPECT_LE(DisplayWidth(line), 50u) << line;
}

TEST(TextReportTest, EmptyScan) {
  model::ScanResult r;
  std::string out = RenderText(Scored(r));
  EXPECT_THAT(out, ::testing::HasSubstr("Score 0/100"));
  EXPECT_THAT(out, ::testing::HasSubstr("No findings"));
}

TEST(TextReportTest, ChangesSection) {
  model::ScanResult r = Scored(RealisticScan());
  r.changes.emplace();
  r.changes->previous_score = 40;
  r.changes->previous_now = "2026-11-01T00:00:00Z";
  r.changes->new_plans.push_back(r.events.back());
  std::string out = RenderText(r);
  EXPECT_THAT(out, ::testing::HasSubstr("score 40 -> "));
  EXPECT_THAT(out, ::testing::HasSubstr("+ plan: FOSDEM"));
}

// ---- JSON -----------------------------------------------------------------

using Json = nlohmann::json;

// A small JSON Schema (draft 2020-12) checker for the keywords our schema
// uses: $ref (local), type, const, enum, required, properties,
// additionalProperties: false, items, minimum, maximum.
void Validate(const Json& v, const Json& schema, const Json& root, const std::string& path,
              std::vector<std::string>* errors) {
  if (schema.contains("$ref")) {
    std::string ref = schema["$ref"];
    ASSERT_EQ(ref.rfind("#/$defs/", 0), 0u) << ref;
    Validate(v, root["$defs"][ref.substr(8)], root, path, errors);
    return;
  }
  if (schema.contains("type")) {
    std::vector<std::string> types;
    if (schema["type"].is_array()) {
      for (const auto& t : schema["type"]) types.push_back(t);
    } else {
      types.push_back(schema["type"]);
    }
    bool ok = false;
    for (const auto& t : types) {
      ok |= (t == "object" && v.is_object()) || (t == "array" && v.is_array()) ||
            (t == "string" && v.is_string()) || (t == "integer" && v.is_number_integer()) ||
            (t == "number" && v.is_number()) || (t == "boolean" && v.is_boolean()) ||
            (t == "null" && v.is_null());
    }
    if (!ok) errors->push_back(path + ": type " + std::string(v.type_name()));
  }
  if (schema.contains("const") && v != schema["const"]) errors->push_back(path + ": const");
  if (schema.contains("enum")) {
    bool found = false;
    for (const auto& e : schema["enum"]) found |= e == v;
    if (!found) errors->push_back(path + ": not in enum: " + v.dump());
  }
  if (v.is_number() && schema.contains("minimum") && v.get<double>() < schema["minimum"].get<double>())
    errors->push_back(path + ": below minimum");
  if (v.is_number() && schema.contains("maximum") && v.get<double>() > schema["maximum"].get<double>())
    errors->push_back(path + ": above maximum");
  if (v.is_object()) {
    for (const auto& k : schema.value("required", Json::array())) {
      if (!v.contains(k.get<std::string>())) errors->push_back(path + ": missing " + k.get<std::string>());
    }
    const Json props = schema.value("properties", Json::object());
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (props.contains(it.key())) {
        Validate(it.value(), props[it.key()], root, path + "." + it.key(), errors);
      } else if (schema.contains("additionalProperties") && schema["additionalProperties"] == false) {
        errors->push_back(path + ": unexpected key " + it.key());
      }
    }
  }
  if (v.is_array() && schema.contains("items")) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      Validate(v[i], schema["items"], root, path + "[" + std::to_string(i) + "]", errors);
    }
  }
}

Json LoadSchema() {
  std::ifstream in(std::string(TELESCREEN_SOURCE_DIR) + "/docs/report.schema.json");
  EXPECT_TRUE(in.good());
  return Json::parse(in);
}

std::vector<std::string> SchemaErrors(const std::string& text) {
  Json schema = LoadSchema();
  std::vector<std::string> errors;
  Validate(Json::parse(text), schema, schema, "$", &errors);
  return errors;
}

TEST(JsonReportTest, MatchesTheSchema) {
  model::ScanResult r = Scored(RealisticScan());
  r.changes.emplace();
  r.changes->new_contacts.push_back(r.contacts.front());
  r.changes->newly_public.push_back(r.identity.facts.front());
  for (const auto& scan : {r, Scored(HostileScan()), Scored(model::ScanResult{})}) {
    EXPECT_THAT(SchemaErrors(RenderJson(scan)), ::testing::IsEmpty());
  }
}

// The report is written piece by piece (to keep big scans small in memory);
// it must read exactly as one dump(2) of the whole document would.
TEST(JsonReportTest, PiecewiseOutputIsTheSameAsOneDump) {
  model::ScanResult r = Scored(RealisticScan());
  r.changes.emplace();
  r.changes->new_contacts.push_back(r.contacts.front());
  for (const auto& scan : {r, Scored(HostileScan()), Scored(model::ScanResult{})}) {
    std::string text = RenderJson(scan);
    EXPECT_EQ(text, nlohmann::ordered_json::parse(text).dump(2) + "\n");
  }
}

TEST(JsonReportTest, StreamedInPiecesGivesTheSameBytes) {
  model::ScanResult r = RealisticScan();
  for (int i = 0; i < 3000; ++i) {
    r.contacts.push_back(score::testing::MakeContact(
        "C" + std::to_string(i), "https://big.example/u/" + std::to_string(i), "follower",
        score::testing::Ev("https://big.example/followers", "activitypub", "x", true)));
  }
  r = Scored(r);
  std::string joined;
  std::size_t pieces = 0, largest = 0;
  RenderJsonTo(r, [&](std::string_view piece) {
    joined += piece;
    ++pieces;
    largest = std::max(largest, piece.size());
    return true;
  });
  EXPECT_EQ(joined, RenderJson(r));
  EXPECT_GT(pieces, 5u);
  EXPECT_LT(largest, 200u * 1024);
  // A sink that stops is not called again.
  std::size_t calls = 0;
  RenderJsonTo(r, [&](std::string_view) { return ++calls < 2; });
  EXPECT_EQ(calls, 2u);
}

TEST(JsonReportTest, TheSchemaCheckerCatchesMistakes) {
  Json j = Json::parse(RenderJson(Scored(RealisticScan())));
  j["contacts"][0].erase("url");
  j["events"][0]["tense"] = "later";
  j["score"]["total"] = 101;
  j["extra"] = 1;
  auto errors = SchemaErrors(j.dump());
  EXPECT_THAT(errors, ::testing::Contains(::testing::HasSubstr("missing url")));
  EXPECT_THAT(errors, ::testing::Contains(::testing::HasSubstr("not in enum")));
  EXPECT_THAT(errors, ::testing::Contains(::testing::HasSubstr("above maximum")));
  EXPECT_THAT(errors, ::testing::Contains(::testing::HasSubstr("unexpected key extra")));
}

TEST(JsonReportTest, HoldsTheShapeReadersRelyOn) {
  Json j = Json::parse(RenderJson(Scored(RealisticScan())));
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["now"], score::testing::kFixtureNow);
  EXPECT_TRUE(j["identity"]["names"].is_array());
  EXPECT_TRUE(j["identity"]["profiles"].is_array());
  EXPECT_EQ(j["contacts"].size(), 13u);
  EXPECT_TRUE(j["contacts"][0]["sources"].is_array());
  std::set<std::string> tenses;
  for (const auto& e : j["events"]) tenses.insert(e["tense"].get<std::string>());
  EXPECT_EQ(tenses, (std::set<std::string>{"past", "future"}));
  EXPECT_TRUE(j["events"][0]["end"].is_null());
  EXPECT_EQ(j["pages"][0]["status"], 200);
  EXPECT_GE(j["score"]["total"].get<int>(), 0);
  EXPECT_LE(j["score"]["total"].get<int>(), 100);
  EXPECT_EQ(j["score"]["categories"].size(), 6u);
  EXPECT_FALSE(j["findings"].empty());
  EXPECT_FALSE(j["findings"][0]["remediation"].get<std::string>().empty());
  // Fixes: each with its worth, in the order to do them, every finding answered once.
  ASSERT_FALSE(j["fixes"].empty());
  std::set<std::string> answered;
  int before = j["score"]["total"];
  for (const auto& fix : j["fixes"]) {
    EXPECT_EQ(fix["id"].get<std::string>().rfind("fix.", 0), 0u);
    EXPECT_FALSE(fix["text"].get<std::string>().empty());
    EXPECT_TRUE(fix["settings_url"].is_null());
    EXPECT_LE(fix["cumulative_after"].get<int>(), before);
    EXPECT_LE(fix["score_after"].get<int>(), j["score"]["total"].get<int>());
    before = fix["cumulative_after"];
    for (const auto& id : fix["findings"]) EXPECT_TRUE(answered.insert(id.get<std::string>()).second);
  }
  EXPECT_EQ(answered.size(), j["findings"].size());
  EXPECT_FALSE(j.contains("changes"));
  // Key order is fixed.
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  std::string text = RenderJson(Scored(RealisticScan()));
  EXPECT_LT(text.find("\"schema_version\""), text.find("\"now\""));
  EXPECT_LT(text.find("\"score\""), text.find("\"findings\""));
}

// A plan within 14 days is flagged imminent. The flag is set once
// (model::IsImminent, at merge); every report shows that same flag.
model::ScanResult PlansScan() {
  model::ScanResult r;
  r.now = "2026-11-26T12:00:00Z";
  core::TimePoint now = core::ParseNow(r.now).value();
  auto add = [&](const char* name, const char* start, model::Tense tense) {
    model::Event e;
    e.name = name;
    e.start = start;
    e.tense = tense;
    e.imminent = model::IsImminent(e, now);
    r.events.push_back(e);
  };
  add("In three days", "2026-11-29T19:00:00Z", model::Tense::kFuture);
  add("In exactly fourteen days", "2026-12-10T12:00:00Z", model::Tense::kFuture);
  add("In fifteen days", "2026-12-11T13:00:00Z", model::Tense::kFuture);
  add("Last week", "2026-11-19", model::Tense::kPast);
  add("Some Tuesday", "Tuesday", model::Tense::kUnknown);
  model::Page page;
  page.url = "https://a.example/";
  page.status = 200;
  page.captured_at = "2026-01-10T08:00:00Z";
  r.pages = {page, model::Page{}};
  return r;
}

TEST(JsonReportTest, EventsCarryImminentAndPagesTheirCaptureTime) {
  model::ScanResult r = Scored(PlansScan());
  std::string text = RenderJson(r);
  EXPECT_THAT(SchemaErrors(text), ::testing::IsEmpty());
  Json j = Json::parse(text);
  ASSERT_EQ(j["events"].size(), 5u);
  std::vector<bool> imminent;
  for (const auto& e : j["events"]) imminent.push_back(e.at("imminent").get<bool>());
  EXPECT_EQ(imminent, (std::vector<bool>{true, true, false, false, false}));
  EXPECT_LT(text.find("\"tense\""), text.find("\"imminent\""));  // beside tense
  EXPECT_TRUE(j["events"][0].contains("stated_at"));
  EXPECT_EQ(j["pages"][0]["captured_at"], "2026-01-10T08:00:00Z");
  EXPECT_TRUE(j["pages"][1].contains("captured_at"));
  EXPECT_TRUE(j["pages"][1]["captured_at"].is_null());
  // The schema knows both keys (additionalProperties is false).
  j["events"][0]["imminent"] = "yes";
  j["pages"][0]["captured_at"] = 5;
  auto errors = SchemaErrors(j.dump());
  EXPECT_THAT(errors, ::testing::Contains(::testing::HasSubstr("events[0].imminent")));
  EXPECT_THAT(errors, ::testing::Contains(::testing::HasSubstr("pages[0].captured_at")));
}

TEST(ReportsTest, TextAndHtmlUseTheSameImminentFlag) {
  model::ScanResult r = PlansScan();
  EXPECT_THAT(RenderText(r), ::testing::HasSubstr("3 upcoming, 2 of them within 14 days"));
  std::string html = RenderHtml(r);
  auto count = [&](const std::string& needle) {
    std::size_t n = 0;
    for (auto p = html.find(needle); p != std::string::npos; p = html.find(needle, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<li class=\"future imminent\">"), 2u);
  EXPECT_EQ(count("<li class=\"future\">"), 1u);
  EXPECT_THAT(html, ::testing::HasSubstr("<span class=\"soon\">in 3 days</span>"));
  EXPECT_THAT(html, ::testing::HasSubstr("<span class=\"soon\">in 14 days</span>"));
  EXPECT_THAT(html, ::testing::HasSubstr("<span class=\"muted\">in 15 days</span>"));
  // The flag decides, not a second computation: clear it and the mark goes.
  for (auto& e : r.events) e.imminent = false;
  EXPECT_EQ(RenderHtml(r).find("future imminent"), std::string::npos);
  EXPECT_EQ(RenderHtml(r).find("class=\"soon\">in"), std::string::npos);
  EXPECT_THAT(RenderText(r), ::testing::HasSubstr("3 upcoming)"));
  EXPECT_THAT(RenderHtml(PlansScan()), ::testing::HasSubstr("2026-01-10T08:00:00Z"));  // pages table
}

TEST(JsonReportTest, StableBytes) {
  std::string a = RenderJson(Scored(RealisticScan()));
  std::string b = RenderJson(Scored(RealisticScan()));
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.back(), '\n');
  // Hostile bytes do not throw and come out as valid JSON.
  model::ScanResult r = HostileScan();
  r.contacts[0].name = "\xff\xfe broken utf-8";
  std::string h = RenderJson(Scored(r));
  EXPECT_NO_THROW(Json::parse(h));
}

// ---- HTML -----------------------------------------------------------------

// Every tag and attribute the report may contain. Anything else in the
// output means page text escaped into markup.
const std::set<std::string> kTags = {"!doctype", "html",    "head",    "meta",    "title", "style",  "body",
                                     "header",   "main",    "footer",  "section", "div",   "p",      "h1",
                                     "h2",       "h3",      "span",    "strong",  "em",    "b",      "a",
                                     "ul",       "ol",      "li",      "input",   "svg",   "circle", "rect",
                                     "line",     "text",    "table",   "thead",   "tbody", "tr",     "th",
                                     "td",       "details", "summary", "article", "br",    "code"};
const std::set<std::string> kAttrs = {"lang",
                                      "charset",
                                      "name",
                                      "content",
                                      "http-equiv",
                                      "class",
                                      "id",
                                      "aria-labelledby",
                                      "aria-label",
                                      "href",
                                      "rel",
                                      "type",
                                      "viewbox",
                                      "role",
                                      "cx",
                                      "cy",
                                      "r",
                                      "x",
                                      "y",
                                      "x1",
                                      "y1",
                                      "x2",
                                      "y2",
                                      "width",
                                      "height",
                                      "rx",
                                      "transform",
                                      "text-anchor",
                                      "stroke-dasharray",
                                      "preserveaspectratio"};

struct Tag {
  bool closing = false;
  std::string name;
  std::vector<std::pair<std::string, std::string>> attrs;
};

// A strict little tokenizer for our own output: tags, double-quoted
// attributes, text. Fails the test on anything it does not expect.
std::vector<Tag> Tags(const std::string& html) {
  std::vector<Tag> tags;
  std::size_t i = 0;
  while ((i = html.find('<', i)) != std::string::npos) {
    std::size_t j = i + 1;
    Tag t;
    if (j < html.size() && html[j] == '/') {
      t.closing = true;
      ++j;
    }
    while (j < html.size() &&
           (std::isalnum(static_cast<unsigned char>(html[j])) || html[j] == '!' || html[j] == '-'))
      t.name += static_cast<char>(std::tolower(static_cast<unsigned char>(html[j++])));
    while (j < html.size() && html[j] != '>') {
      while (j < html.size() && (html[j] == ' ' || html[j] == '/')) ++j;
      std::string name;
      while (j < html.size() && html[j] != '=' && html[j] != ' ' && html[j] != '>' && html[j] != '/')
        name += static_cast<char>(std::tolower(static_cast<unsigned char>(html[j++])));
      std::string value;
      if (j < html.size() && html[j] == '=') {
        ++j;
        EXPECT_EQ(html[j], '"') << "unquoted attribute " << name << " at " << j;
        std::size_t end = html.find('"', j + 1);
        value = html.substr(j + 1, end - j - 1);
        j = end + 1;
      }
      if (!name.empty()) t.attrs.emplace_back(name, value);
    }
    tags.push_back(t);
    if (t.name == "style" && !t.closing)
      i = html.find("</style>", j);  // CSS is not markup
    else
      i = j;
  }
  return tags;
}

void ExpectSafeHtml(const std::string& html) {
  int styles = 0;
  for (const auto& t : Tags(html)) {
    EXPECT_TRUE(kTags.count(t.name)) << "unexpected tag <" << t.name << ">";
    styles += t.name == "style" && !t.closing ? 1 : 0;
    for (const auto& [name, value] : t.attrs) {
      if (t.name == "!doctype" && name == "html") continue;
      EXPECT_TRUE(kAttrs.count(name)) << "unexpected attribute " << name << " on <" << t.name << ">";
      if (name == "href") {
        EXPECT_TRUE(value.rfind("http://", 0) == 0 || value.rfind("https://", 0) == 0) << value;
      }
    }
  }
  EXPECT_EQ(styles, 1);
  std::string lower = html;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(lower.find("<script"), std::string::npos);
  EXPECT_EQ(lower.find("href=\"javascript"), std::string::npos);
}

TEST(HtmlReportTest, RealisticReportHasEverySection) {
  std::string html = RenderHtml(Scored(RealisticScan()));
  for (const char* s :
       {"What to change first", "What a stranger can learn", "Whom you know",
        "Where you were and where you will be", "Every finding", "Pages scanned", "How the score works",
        "Mira Kova\xc4\x8d", "Data Night Leipzig", "<svg class=\"graph\"", "in 7 days", "severe"}) {
    EXPECT_THAT(html, ::testing::HasSubstr(s));
  }
  ExpectSafeHtml(html);
  EXPECT_EQ(html.find("{{"), std::string::npos);
}

TEST(HtmlReportTest, CspAllowsExactlyTheInlineStyle) {
  std::string html = RenderHtml(Scored(RealisticScan()));
  std::size_t a = html.find("<style>") + 7;
  std::size_t b = html.find("</style>");
  ASSERT_LT(a, b);
  std::string style = html.substr(a, b - a);
  EXPECT_GT(style.size(), 1000u);
  EXPECT_EQ(style.find("url("), std::string::npos);
  EXPECT_EQ(style.find("@import"), std::string::npos);
  std::size_t csp = html.find("Content-Security-Policy\" content=\"");
  ASSERT_NE(csp, std::string::npos);
  std::string policy = html.substr(csp + 34, html.find('"', csp + 34) - csp - 34);
  EXPECT_THAT(policy, ::testing::StartsWith("default-src &#39;none&#39;; style-src &#39;sha256-"));
  EXPECT_THAT(policy, ::testing::Not(::testing::HasSubstr("unsafe")));
  EXPECT_THAT(policy, ::testing::Not(::testing::HasSubstr("script-src")));
  // The hash is the base64 of the style's SHA-256: 44 characters ending in '='.
  std::size_t h = policy.find("sha256-") + 7;
  std::string b64 = policy.substr(h, policy.find("&#39;", h) - h);
  EXPECT_EQ(b64.size(), 44u);
  EXPECT_EQ(b64.back(), '=');
  EXPECT_EQ(core::Sha256Hex(style).size(), 64u);
}

TEST(HtmlReportTest, HostileTextNeverBecomesMarkup) {
  std::string html = RenderHtml(Scored(HostileScan()));
  ExpectSafeHtml(html);
  EXPECT_THAT(html, ::testing::HasSubstr("&lt;script&gt;document.title="));
  EXPECT_THAT(html, ::testing::HasSubstr("&quot;&gt;&lt;svg onload="));
  EXPECT_THAT(html, ::testing::HasSubstr("{{style}} {{csp}}"));  // not expanded
  EXPECT_EQ(html.find('\x1b'), std::string::npos);
}

// A wall's detail and the target come from the site and the user: escaped
// in HTML, cleaned on the terminal, and said before the score.
TEST(ReportsTest, APartialViewLeadsAndItsCausesAreEscaped) {
  model::ScanResult r = RealisticScan();
  r.targets = {"https://walled.example/in/ann", "https://ann.example/"};
  r.coverage = {{r.targets[0], "walled.example", model::Seen::kWalled,
                 "login wall <script>alert(1)</script>\x1b]0;owned\x07"},
                {r.targets[1], "ann.example", model::Seen::kFull, ""}};
  model::Page walled;
  walled.url = r.targets[0];
  walled.final_url = "https://walled.example/authwall";
  walled.status = 200;
  walled.wall = model::Wall::kLogin;
  r.pages.push_back(walled);
  r = Scored(r);
  ASSERT_FALSE(r.score.complete);
  std::string html = RenderHtml(r);
  ExpectSafeHtml(html);
  EXPECT_THAT(html, ::testing::HasSubstr("login wall &lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_LT(html.find("id=\"coverage\""), html.find("id=\"verdict\""));
  EXPECT_THAT(html, ::testing::HasSubstr("aria-label=\"Score at least "));
  EXPECT_THAT(html, ::testing::HasSubstr("--cookies FILE"));
  std::string text = RenderText(r);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_LT(text.find("NOT FULLY SEEN: 1 of 2 targets"), text.find("Score at least "));
  EXPECT_THAT(text, ::testing::HasSubstr("https://walled.example/in/ann: walled (login wall"));
  EXPECT_EQ(text.find("Little about you"), std::string::npos);
  // Interrupted: said first, and no advice to sign in when nothing was a wall.
  model::ScanResult stopped = RealisticScan();
  stopped.interrupted = true;
  stopped.coverage = {{"https://ann.example/", "ann.example", model::Seen::kPartial,
                       "the scan was interrupted before all its pages were read"}};
  stopped = Scored(stopped);
  EXPECT_FALSE(stopped.score.complete);
  std::string stopped_text = RenderText(stopped);
  EXPECT_LT(stopped_text.find("INTERRUPTED"), stopped_text.find("Score at least "));
  EXPECT_EQ(stopped_text.find("--cookies"), std::string::npos);
  std::string stopped_html = RenderHtml(stopped);
  ExpectSafeHtml(stopped_html);
  EXPECT_LT(stopped_html.find("Interrupted:"), stopped_html.find("id=\"verdict\""));
  EXPECT_EQ(stopped_html.find("--cookies"), std::string::npos);
  EXPECT_THAT(RenderJson(stopped), ::testing::HasSubstr("\"interrupted\": true"));
  // Seen in full: no card, no "at least".
  r.coverage[0].seen = model::Seen::kFull;
  r = Scored(r);
  EXPECT_EQ(RenderHtml(r).find("id=\"coverage\""), std::string::npos);
  EXPECT_EQ(RenderText(r).find("at least"), std::string::npos);
}

// A page robots.txt disallows was skipped on purpose,
// not failed; the summary counts the pages read apart from it.
TEST(ReportsTest, SummarySaysPagesReadAndSkippedNotFailed) {
  model::ScanResult r = RealisticScan();
  const std::size_t read = r.pages.size();
  model::Page skipped;
  skipped.url = "https://mira.example/private/";
  skipped.error = "disallowed by robots.txt";
  r.pages.push_back(skipped);
  model::Page failed;
  failed.url = "https://mira.example/gone";
  failed.status = 404;
  r.pages.push_back(failed);
  std::string text = RenderText(Scored(r));
  EXPECT_THAT(text, ::testing::HasSubstr("on " + std::to_string(read) +
                                         " pages read; 1 skipped by robots.txt, 1 failed."));
}

TEST(HtmlReportTest, PlanStatedInAPostSaysWhen) {
  model::ScanResult r = Scored(PlansScan());
  model::Evidence seen{"https://social.example/@ann/1001",
                       "pattern:text/plan-de-event",
                       "Bin morgen dort",
                       false,
                       model::Visibility::kPublic,
                       ""};
  r.events[0].stated_at = "2026-11-28T08:15:00Z";
  r.events[0].evidence = {seen};
  r.events[1].stated_at = "<b onmouseover=x>gestern</b>";
  r.events[1].evidence = {seen};
  std::string html = RenderHtml(r);
  ExpectSafeHtml(html);
  EXPECT_THAT(html, ::testing::HasSubstr("said in a post of 2026-11-28</span>"));
  EXPECT_THAT(html, ::testing::HasSubstr("said in a post of &lt;b onmouseover=x&gt;gestern&lt;/b&gt;"));
}

TEST(HtmlReportTest, EmptyAndChanges) {
  std::string empty = RenderHtml(Scored(model::ScanResult{}));
  ExpectSafeHtml(empty);
  EXPECT_THAT(empty, ::testing::HasSubstr("No contacts were visible"));
  EXPECT_EQ(empty.find("id=\"changes\""), std::string::npos);
  model::ScanResult r = Scored(RealisticScan());
  r.changes.emplace();
  r.changes->previous_score = 95;
  r.changes->new_plans.push_back(r.events.back());
  std::string html = RenderHtml(r);
  ExpectSafeHtml(html);
  EXPECT_THAT(html, ::testing::HasSubstr("What changed since the last scan"));
  EXPECT_THAT(html, ::testing::HasSubstr("New upcoming plans"));
}

TEST(HtmlReportTest, HugeScanStaysBounded) {
  model::ScanResult r = RealisticScan();
  for (int i = 0; i < 3000; ++i) {
    r.contacts.push_back(score::testing::MakeContact(
        "C" + std::to_string(i), "https://big.example/u/" + std::to_string(i), "follower",
        score::testing::Ev("https://big.example/followers", "activitypub", "x", true)));
  }
  std::string html = RenderHtml(Scored(r));
  ExpectSafeHtml(html);
  EXPECT_LT(html.size(), 2u << 20);
  // The graph draws at most 48 contacts.
  std::size_t a = html.find("<svg class=\"graph\"");
  std::size_t b = html.find("</svg>", a);
  std::string graph = html.substr(a, b - a);
  std::size_t nodes = 0;
  for (std::size_t p = 0; (p = graph.find("<circle class=\"contact", p)) != std::string::npos; ++p) ++nodes;
  EXPECT_LE(nodes, 48u + 4u);
}

// ---- HTML in German --------------------------------------------------------

// Renders in German for the test's length, English again afterwards.
class GermanHtmlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(core::FindLocaleDir().empty()) << "the build puts locale/ beside the binaries";
  }
  void TearDown() override { core::UseLanguage(core::Language::kEnglish); }

  static std::string Render(const model::ScanResult& r, core::Language lang) {
    core::UseLanguage(lang);
    std::string html = RenderHtml(r);
    core::UseLanguage(core::Language::kEnglish);
    return html;
  }

  // A scan with every section: coverage gap, interrupted, changes, warnings.
  static model::ScanResult FullScan() {
    model::ScanResult r = RealisticScan();
    r.targets = {"https://walled.example/in/ann", "https://ann.example/"};
    r.coverage = {{r.targets[0], "walled.example", model::Seen::kWalled, "login wall"},
                  {r.targets[1], "ann.example", model::Seen::kFull, ""}};
    model::Page walled;
    walled.url = r.targets[0];
    walled.status = 200;
    walled.wall = model::Wall::kLogin;
    r.pages.push_back(walled);
    r.interrupted = true;
    r.warnings = {"first warning", "second warning"};
    model::Interaction reply;
    reply.name = "Ola Nordmann";
    reply.url = "https://social.example/@ola";
    reply.kind = model::InteractionKind::kReaction;
    r.interactions.push_back(reply);
    r = Scored(r);
    r.changes.emplace();
    r.changes->previous_score = 95;
    r.changes->previous_now = "2026-11-20T09:30:00Z";
    r.changes->new_plans.push_back(r.events.back());
    r.changes->new_contacts = r.contacts;
    r.changes->newly_public = r.identity.facts;
    r.changes->removed_events = r.events;
    r.changes->new_interactions = r.interactions;
    for (auto& e : r.events) e.stated_at = "2026-11-28T08:15:00Z";
    return r;
  }
};

TEST_F(GermanHtmlTest, FixedTextsDatesAndNumbersAreGerman) {
  const model::ScanResult r = FullScan();
  const std::string html = Render(r, core::Language::kGerman);
  ExpectSafeHtml(html);
  EXPECT_EQ(html.find("{{"), std::string::npos);
  EXPECT_THAT(html, ::testing::StartsWith("<!DOCTYPE html>\n<html lang=\"de\">"));
  for (const char* s :
       {"<h2 id=\"h-fixes\">Was Sie zuerst ändern sollten</h2>",
        "<h2 id=\"h-categories\">Was Fremde erfahren können</h2>", "<h2 id=\"h-pages\">Gescannte Seiten</h2>",
        "<h2 id=\"h-method\">Wie der Wert entsteht</h2>", "Was sich seit dem letzten Scan geändert hat",
        "Nicht vollständig gesehen: 1 von 2 Zielen", "<strong>Abgebrochen:</strong>",
        "hinter Anmeldeschranke oder Sperre", "<th>Gesehen auf</th>", "aria-label=\"Wert mindestens ",
        "Telescreen-Bericht &middot; Bezugszeitpunkt ",
        // The reference time, 2026-11-26T12:00:00Z, a Thursday.
        "Bezugszeitpunkt Do., 26. November 2026, 12:00 Uhr UTC.",
        "Im Vergleich zum Scan vom Fr., 20. November 2026, 09:30 Uhr UTC: Wert 95 &rarr; ",
        ", angekündigt in einem Beitrag vom Sa., 28. November 2026</span>", "2 Warnungen</summary>",
        "<td>E-Mail-Adresse</td>", "<li>Arbeitgeber: Northwind Logistics</li>",
        "<span class=\"rel\">folgt Ihnen</span>", "<span class=\"rel\">Reaktion</span>"}) {
    EXPECT_THAT(html, ::testing::HasSubstr(s));
  }
  // Points keep one decimal, with the German comma; the SVG keeps its dots.
  EXPECT_THAT(html, ::testing::ContainsRegex("[0-9]+,[0-9] Punkte &middot; "));
  EXPECT_EQ(html.find(" points &middot; "), std::string::npos);
  EXPECT_THAT(html, ::testing::ContainsRegex("stroke-dasharray=\"[0-9]+\\.[0-9] [0-9]+\\.[0-9]\""));
  // Page text stays as it came, escaped.
  EXPECT_THAT(html, ::testing::HasSubstr("Mira Kova\xc4\x8d"));
  EXPECT_THAT(html, ::testing::HasSubstr("Data Night Leipzig"));
  // English is the default, and is English again after German.
  EXPECT_THAT(Render(r, core::Language::kEnglish),
              ::testing::StartsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
  EXPECT_THAT(RenderHtml(r), ::testing::HasSubstr("<h2 id=\"h-pages\">Pages scanned</h2>"));
}

// The texts of the report's own elements (headings, table heads, summaries,
// labels, notices) and aria-labels, each trimmed; texts without a letter
// (counts, arrows) are left out.
std::set<std::string> FixedTexts(const std::string& html) {
  static const std::set<std::string> kElements = {"title", "h1", "h2", "h3", "th", "summary", "strong", "b"};
  static const std::set<std::string> kClasses = {"kicker", "lede", "empty", "legend",     "muted", "soon",
                                                 "seen",   "why",  "tag",   "level-name", "of",    "counts"};
  static const std::set<std::string> kVoid = {"meta", "input", "br", "!doctype"};
  std::set<std::string> out;
  auto add = [&out](std::string t) {
    const auto b = t.find_first_not_of(" \n\t;,.()&");
    if (b == std::string::npos) return;
    t = t.substr(b, t.find_last_not_of(" \n\t;,.(") - b + 1);
    if (std::any_of(t.begin(), t.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) {
      out.insert(t);
    }
  };
  std::vector<std::pair<std::string, std::string>> open;  // element, class
  std::size_t i = 0;
  while (i < html.size()) {
    const std::size_t lt = html.find('<', i);
    const std::string text = html.substr(i, (lt == std::string::npos ? html.size() : lt) - i);
    if (!open.empty() && (kElements.count(open.back().first) || kClasses.count(open.back().second)))
      add(text);
    if (lt == std::string::npos) break;
    const std::size_t gt = html.find('>', lt);
    std::string tag = html.substr(lt + 1, gt - lt - 1);
    i = gt + 1;
    if (tag.rfind("style", 0) == 0) {
      i = html.find("</style>", i) + 8;
      continue;
    }
    if (tag[0] == '/') {
      if (!open.empty()) open.pop_back();
      continue;
    }
    for (std::size_t a = tag.find("aria-label=\""); a != std::string::npos;
         a = tag.find("aria-label=\"", a + 1)) {
      add(tag.substr(a + 12, tag.find('"', a + 12) - a - 12));
    }
    const std::string name = core::AsciiLower(tag.substr(0, tag.find_first_of(" /")));
    if (kVoid.count(name) || tag.back() == '/') continue;
    std::string cls;
    if (auto c = tag.find("class=\""); c != std::string::npos) {
      cls = tag.substr(c + 7, tag.find('"', c + 7) - c - 7);
      cls = cls.substr(0, cls.find(' '));
    }
    open.emplace_back(name, cls);
  }
  return out;
}

// Undoes HtmlEscape, to find a text from the report in the JSON.
std::string Unescape(std::string s) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}) {
    for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
      s.replace(p, from.size(), to);
  }
  return s;
}

TEST_F(GermanHtmlTest, NoEnglishFixedTextIsLeft) {
  const model::ScanResult r = FullScan();
  const std::set<std::string> english = FixedTexts(Render(r, core::Language::kEnglish));
  const std::set<std::string> german = FixedTexts(Render(r, core::Language::kGerman));
  ASSERT_GT(english.size(), 40u);
  // What the scan itself holds (names, sites, the scorer's finding titles,
  // ids) is the same in both; so are words German shares with English.
  const std::string data = RenderJson(r);
  // A text made only of pieces of the scan (a contact's "name, relation
  // (site)") is data too.
  auto from_scan = [&data](const std::string& text) {
    std::string piece;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      if (i < text.size() && std::string_view(",():").find(text[i]) == std::string_view::npos) {
        piece += text[i];
        continue;
      }
      const auto b = piece.find_first_not_of(' ');
      if (b != std::string::npos) {
        const std::string quoted =
            Json(Unescape(piece.substr(b, piece.find_last_not_of(' ') - b + 1))).dump();
        if (data.find(quoted.substr(1, quoted.size() - 2)) == std::string::npos) return false;
      }
      piece.clear();
    }
    return true;
  };
  const std::set<std::string> same_in_german = {"Status", "Bytes"};
  std::vector<std::string> left;
  for (const auto& t : english) {
    if (!german.count(t) || same_in_german.count(t) || from_scan(t)) continue;
    left.push_back(t);
  }
  EXPECT_THAT(left, ::testing::IsEmpty());
  // The section headings and table heads are all among the compared texts.
  for (const char* s :
       {"What to change first", "Every finding, with its evidence", "Pages scanned", "Captured", "Seen on",
        "Verdict", "New contacts", "Upcoming plans", "Also seen responding to your posts"}) {
    EXPECT_TRUE(english.count(s)) << s;
  }
}

}  // namespace
}  // namespace telescreen::report
