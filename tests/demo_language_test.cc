// End-to-end: the whole demo in German (terminal summary, HTML report and
// the JSON's texts) has no English sentence left, once the names, URLs,
// excerpts and other data it read from the pages are set aside.
#include <algorithm>
#include <cctype>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/file.h"
#include "core/text.h"
#include "extract/extractor.h"
#include "model/dom.h"
#include "tests/support/run_binary.h"

namespace telescreen {
namespace {

using json = nlohmann::json;
using testing::RunResult;
using testing::RunTelescreen;

struct DemoRun {
  RunResult run;
  std::string html;
  json report;
};

DemoRun RunDemo(const std::string& lang) {
  const std::string dir = testing::MakeTempDir("telescreen-demo-lang");
  DemoRun d;
  d.run = RunTelescreen(
      {"--lang", lang, "demo", "--now", "2026-01-15T00:00:00Z", "--json", "d.json", "--html", "d.html"}, dir,
      {"LC_ALL=", "LC_MESSAGES=", "LANG="});
  auto html = core::ReadFile(dir + "/d.html");
  auto report = core::ReadFile(dir + "/d.json");
  if (html.ok()) d.html = html.value();
  if (report.ok()) d.report = json::parse(report.value(), nullptr, false);
  return d;
}

// Keys of the JSON report whose values are texts Telescreen wrote (and
// translates), not data it read: everything else is data.
bool IsTextKey(std::string_view key) {
  static const std::set<std::string_view> kTexts = {"title", "remediation", "text",  "summary",
                                                    "label", "detail",      "error", "level"};
  return kTexts.count(key) > 0;
}

// Every string value of the report that is data (names, URLs, excerpts,
// ids, sites), longest first, so the longest piece is cut out first.
std::vector<std::string> DataStrings(const json& report) {
  std::set<std::string> found;
  std::function<void(const json&)> walk = [&](const json& v) {
    if (v.is_object()) {
      for (const auto& [k, child] : v.items()) {
        if (!IsTextKey(k)) walk(child);
      }
    } else if (v.is_array()) {
      for (const auto& child : v) walk(child);
    } else if (v.is_string() && v.get<std::string>().size() > 1) {
      found.insert(v.get<std::string>());
    }
  };
  walk(report);
  std::vector<std::string> out(found.begin(), found.end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return out;
}

// `text` with every data string cut out (each replaced by a space).
std::string WithoutData(std::string text, const std::vector<std::string>& data) {
  for (const auto& d : data) {
    for (std::size_t p; (p = text.find(d)) != std::string::npos;) text.replace(p, d.size(), " ");
  }
  return text;
}

// The visible texts of an HTML page: each text node and each title or
// aria-label attribute, whitespace collapsed; <style> and <script> skipped.
std::vector<std::string> HtmlTexts(const std::string& html) {
  const model::Dom dom = extract::ParseHtml(html);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < dom.size(); ++i) {
    const auto id = static_cast<model::NodeId>(i);
    const model::DomNode& n = dom.node(id);
    if (n.kind == model::NodeKind::kText) {
      const model::DomNode& parent = dom.node(n.parent);
      if (parent.tag == "style" || parent.tag == "script") continue;
      out.push_back(model::CollapseWhitespace(n.text));
    } else if (n.kind == model::NodeKind::kElement) {
      for (const char* attr : {"title", "aria-label", "alt", "placeholder"}) {
        if (const std::string* v = dom.Attr(id, attr)) out.push_back(model::CollapseWhitespace(*v));
      }
    }
  }
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(model::CollapseWhitespace(text.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

// The texts a person reads in the JSON report (titles, fixes, summaries).
std::vector<std::string> JsonTexts(const json& report) {
  std::vector<std::string> out;
  std::function<void(const json&)> walk = [&](const json& v) {
    if (v.is_object()) {
      for (const auto& [k, child] : v.items()) {
        if (IsTextKey(k) && child.is_string() && k != "level") out.push_back(child.get<std::string>());
        walk(child);
      }
    } else if (v.is_array()) {
      for (const auto& child : v) walk(child);
    }
  };
  walk(report);
  return out;
}

// Words that English sentences are built of and German ones are not (none
// of them is also a German word, as "was", "will", "an" or "so" are).
const std::set<std::string>& EnglishWords() {
  static const std::set<std::string> kWords = {
      "the",   "and",    "of",     "to",       "your",  "you",     "is",     "are",     "were",   "with",
      "for",   "from",   "this",   "that",     "these", "those",   "has",    "have",    "can",    "not",
      "by",    "it",     "be",     "or",       "who",   "what",    "when",   "which",   "their",  "they",
      "would", "should", "been",   "than",     "only",  "each",    "every",  "about",   "after",  "before",
      "until", "since",  "more",   "there",    "where", "visible", "public", "hide",    "remove", "found",
      "page",  "pages",  "people", "settings", "how",   "why",     "seen",   "because", "first",  "change"};
  return kWords;
}

// The English words in `text`, lower-cased, in order.
std::vector<std::string> EnglishWordsIn(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const unsigned char c = i < text.size() ? static_cast<unsigned char>(text[i]) : ' ';
    if (std::isalpha(c)) {
      word += static_cast<char>(std::tolower(c));
      continue;
    }
    if (c >= 0x80) {  // a letter of another script or an umlaut: not an English word
      word += '#';
      continue;
    }
    if (EnglishWords().count(word)) out.push_back(word);
    word.clear();
  }
  return out;
}

// The texts of `texts` that still read as English once data is cut out:
// two English words or more, or one English word making up most of a short
// text ("Settings:", "Seen").
std::vector<std::string> EnglishLeft(const std::vector<std::string>& texts,
                                     const std::vector<std::string>& data) {
  std::vector<std::string> left;
  for (const auto& t : texts) {
    const std::string rest = WithoutData(t, data);
    const auto words = EnglishWordsIn(rest);
    std::size_t letters = 0;
    for (char c : rest) letters += std::isalpha(static_cast<unsigned char>(c)) ? 1 : 0;
    if (words.size() >= 2 || (words.size() == 1 && letters <= words[0].size() + 3)) left.push_back(t);
  }
  std::sort(left.begin(), left.end());
  left.erase(std::unique(left.begin(), left.end()), left.end());
  return left;
}

class GermanDemo : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    de_ = new DemoRun(RunDemo("de"));
    en_ = new DemoRun(RunDemo("en"));
  }
  static void TearDownTestSuite() {
    delete de_;
    delete en_;
  }
  static DemoRun* de_;
  static DemoRun* en_;
};
DemoRun* GermanDemo::de_ = nullptr;
DemoRun* GermanDemo::en_ = nullptr;

// The check itself must see English: the English demo is full of it.
TEST_F(GermanDemo, TheCheckFindsTheEnglishDemoEnglish) {
  ASSERT_EQ(en_->run.exit_code, 0) << en_->run.err;
  const auto data = DataStrings(en_->report);
  EXPECT_GT(EnglishLeft(Lines(en_->run.out), data).size(), 20u);
  EXPECT_GT(EnglishLeft(HtmlTexts(en_->html), data).size(), 50u);
  EXPECT_GT(EnglishLeft(JsonTexts(en_->report), data).size(), 20u);
}

TEST_F(GermanDemo, TerminalSummaryHasNoEnglishSentence) {
  ASSERT_EQ(de_->run.exit_code, 0) << de_->run.err;
  EXPECT_NE(de_->run.out.find("Julia Winter"), std::string::npos);
  EXPECT_EQ(EnglishLeft(Lines(de_->run.out), DataStrings(de_->report)), std::vector<std::string>{});
}

TEST_F(GermanDemo, HtmlReportHasNoEnglishSentence) {
  ASSERT_EQ(de_->run.exit_code, 0) << de_->run.err;
  ASSERT_NE(de_->html.find("<html lang=\"de\">"), std::string::npos);
  EXPECT_EQ(EnglishLeft(HtmlTexts(de_->html), DataStrings(de_->report)), std::vector<std::string>{});
}

TEST_F(GermanDemo, JsonTextsAreGermanAndIdsAreTheSame) {
  ASSERT_EQ(de_->run.exit_code, 0) << de_->run.err;
  EXPECT_EQ(EnglishLeft(JsonTexts(de_->report), DataStrings(de_->report)), std::vector<std::string>{});
  // Ids and values do not depend on the language. The ports differ per run,
  // and ids hash URLs, so compare how many there are of each kind.
  auto kinds = [](const json& report, const char* list) {
    std::multiset<std::string> out;
    for (const auto& item : report[list]) {
      const std::string id = item["id"];
      out.insert(id.substr(0, id.rfind('.')));
    }
    return out;
  };
  EXPECT_EQ(kinds(de_->report, "findings"), kinds(en_->report, "findings"));
  EXPECT_EQ(kinds(de_->report, "fixes"), kinds(en_->report, "fixes"));
  EXPECT_EQ(de_->report["score"]["total"], en_->report["score"]["total"]);
  EXPECT_EQ(de_->report["score"]["level"], en_->report["score"]["level"]);
}

}  // namespace
}  // namespace telescreen
