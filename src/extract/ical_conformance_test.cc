// Conformance of the iCalendar and vCard readers against files and expected
// outputs other projects wrote. Reads the corpus from
// $TELESCREEN_CORPUS and skips when it is unset; prints match counts per
// suite (recorded in docs/conformance.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "extract/content_line.h"
#include "extract/ical.h"
#include "extract/vcard.h"

namespace telescreen::extract {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string CorpusDir() {
  const char* dir = std::getenv("TELESCREEN_CORPUS");
  return dir == nullptr ? "" : dir;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

PageInput InputFor(const fs::path& path) {
  PageInput input;
  input.url = core::Url::Parse("https://corpus.invalid/" + path.filename().string()).value();
  return input;  // now = 1970: recurring events come back as their DTSTART
}

std::vector<fs::path> FilesWithExtension(const fs::path& root, const std::string& ext) {
  std::vector<fs::path> out;
  if (!fs::exists(root)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ext) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Tally {
  int cases = 0;
  int matched = 0;
  void Add(bool ok) {
    ++cases;
    matched += ok ? 1 : 0;
  }
  std::string Show() const { return std::to_string(matched) + "/" + std::to_string(cases); }
};

// --- Robustness: every calendar and card parses --------------------------------

TEST(IcalConformance, ConformanceEveryIcsAndVcfParses) {
  const std::string corpus = CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "TELESCREEN_CORPUS not set";
  for (const char* suite : {"icalendar-py", "ical.js", "libical", "ez-vcard"}) {
    int files = 0;
    int with_facts = 0;
    int warned_only = 0;
    int silent = 0;
    for (const char* ext : {".ics", ".vcf"}) {
      for (const auto& path : FilesWithExtension(fs::path(corpus) / suite, ext)) {
        const std::string body = ReadFile(path);
        const model::PageFacts facts = std::string(ext) == ".ics" ? ExtractIcal(body, InputFor(path))
                                                                  : ExtractVcard(body, InputFor(path));
        ++files;
        const bool has = !facts.events.empty() || !facts.identity.empty() || !facts.contacts.empty();
        if (has) {
          ++with_facts;
        } else if (!facts.warnings.empty()) {
          ++warned_only;
        } else {
          ++silent;
          ADD_FAILURE() << path << ": neither facts nor a warning";
        }
      }
    }
    std::printf(
        "[conformance] %-13s files %3d: with events/identity %3d, clear warning only %3d, "
        "silent %d\n",
        suite, files, with_facts, warned_only, silent);
  }
}

// --- jCal (RFC 7265) and jCard (RFC 7095) expected outputs ---------------------

// Flattens a jCal/jCard property's values to the text our parser's value
// should unescape to: multi-values and structured parts joined as written.
std::string JoinJValue(const json& v, char separator) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number_float()) {
    std::ostringstream out;
    out << v.get<double>();
    return out.str();
  }
  if (v.is_boolean()) return v.get<bool>() ? "TRUE" : "FALSE";
  if (v.is_array()) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out.push_back(separator);
      out += JoinJValue(v[i], ',');
    }
    return out;
  }
  if (v.is_object()) {  // recur: {"freq": "WEEKLY", ...}
    return "";
  }
  return "";
}

struct JProperty {
  std::string component;  // "vevent"
  std::string name;       // lower-case
  std::string type;       // "text", "date-time", ...
  std::vector<json> values;
};

void CollectJProperties(const json& component, std::vector<JProperty>* out) {
  if (!component.is_array() || component.size() < 2 || !component[0].is_string()) return;
  const std::string name = component[0].get<std::string>();
  for (const auto& p : component[1]) {
    if (!p.is_array() || p.size() < 4) continue;
    JProperty prop{name, p[0].get<std::string>(), p[2].get<std::string>(), {}};
    for (std::size_t i = 3; i < p.size(); ++i) prop.values.push_back(p[i]);
    out->push_back(std::move(prop));
  }
  if (component.size() >= 3) {
    for (const auto& child : component[2]) CollectJProperties(child, out);
  }
}

// Text a jCal value stands for, in iCalendar's own spelling where the two
// differ only in punctuation (dates lose their dashes and colons).
std::string CompactDate(std::string s) {
  std::string out;
  for (char c : s) {
    if (c != '-' && c != ':') out.push_back(c);
  }
  return out;
}

// Compares each property of the expected jCal/jCard with our content-line
// parse of the same property: name, and the value as text.
Tally CompareProperties(const std::string& body, const json& expected) {
  Tally tally;
  std::vector<JProperty> want;
  if (expected.is_array() && !expected.empty() && expected[0].is_array()) {
    for (const auto& c : expected) CollectJProperties(c, &want);
  } else {
    CollectJProperties(expected, &want);
  }
  const ContentLines lines = ParseContentLines(body);
  std::vector<const ContentLine*> got;
  for (const auto& l : lines.lines) {
    if (l.name != "BEGIN" && l.name != "END") got.push_back(&l);
  }
  std::size_t cursor = 0;
  for (const JProperty& p : want) {
    // Properties come in file order; find the next one of that name.
    std::size_t k = cursor;
    const std::string upper = AsciiUpper(p.name);
    auto full_name = [](const ContentLine& l) {
      return l.group.empty() ? l.name : AsciiUpper(l.group) + "." + l.name;
    };
    // jCal keeps a group in the name; jCard moves it to a "group" parameter.
    while (k < got.size() && full_name(*got[k]) != upper && got[k]->name != upper) ++k;
    if (k >= got.size()) {
      tally.Add(false);
      continue;
    }
    cursor = k + 1;
    const ContentLine& line = *got[k];
    std::string want_text;
    std::string got_text;
    if (p.type == "text" || p.type == "unknown") {
      const char sep = (p.name == "n" || p.name == "adr" || p.name == "org" || p.name == "gender" ||
                        p.name == "request-status")
                           ? ';'
                           : ',';
      for (std::size_t i = 0; i < p.values.size(); ++i) {
        if (i > 0) want_text.push_back(',');
        want_text += JoinJValue(p.values[i], sep);
      }
      std::vector<std::string> parts = SplitEscaped(line.value, sep);
      for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) got_text.push_back(sep);
        got_text += parts[i];
      }
      if (sep == ';') {
        // Structured: compare part by part, multi-values inside parts as commas.
        want_text.clear();
        for (std::size_t i = 0; i < p.values.size(); ++i) want_text += JoinJValue(p.values[i], ';');
        std::string g;
        for (std::size_t i = 0; i < parts.size(); ++i) {
          if (i > 0) g.push_back(';');
          g += parts[i];
        }
        got_text = g;
      } else {
        got_text = UnescapeText(line.value);
      }
    } else if (p.type == "date" || p.type == "date-time" || p.type == "time" || p.type == "utc-offset" ||
               p.type == "date-and-or-time" || p.type == "timestamp") {
      for (std::size_t i = 0; i < p.values.size(); ++i) {
        if (i > 0) want_text.push_back(',');
        want_text += CompactDate(JoinJValue(p.values[i], ','));
      }
      got_text = CompactDate(line.value);
    } else if (p.type == "recur" || p.type == "period" || p.type == "binary") {
      tally.Add(true);  // structure the extractor does not expose as text; name matched
      continue;
    } else {
      for (std::size_t i = 0; i < p.values.size(); ++i) {
        if (i > 0) want_text.push_back(',');
        want_text += JoinJValue(p.values[i], ',');
      }
      // vCard 3/4 writers escape commas and semicolons in URIs and phone
      // numbers too; the value the reader exposes is the unescaped one.
      got_text = UnescapeText(line.value);
    }
    const bool ok = want_text == got_text || AsciiUpper(want_text) == AsciiUpper(got_text);
    if (!ok && std::getenv("TELESCREEN_CONFORMANCE_VERBOSE") != nullptr) {
      std::printf("  mismatch %s: want '%s' got '%s'\n", p.name.c_str(), want_text.c_str(), got_text.c_str());
    }
    tally.Add(ok);
  }
  return tally;
}

// "2008-10-06" / "2012-09-01T13:00:00Z" as our Event.start spells it: the
// same, except TZID-zoned times carry their offset, which jCal leaves out.
bool SameStart(std::string_view want, std::string_view got) {
  if (want.size() <= 10 || want.back() == 'Z') return want == got;
  return got.substr(0, 19) == want.substr(0, 19);
}

struct EventTally {
  Tally start, summary, location, attendee;
};

// Event-level comparison: each expected VEVENT must appear among our events
// with the same DTSTART, SUMMARY, LOCATION, and its attendees among our
// contacts (or as the reader, when the event got a role).
void CompareEvents(const std::string& body, const json& expected, const fs::path& path, EventTally* tally) {
  std::vector<json> vevents;
  std::vector<json> stack{expected};
  while (!stack.empty()) {
    json c = std::move(stack.back());
    stack.pop_back();
    if (!c.is_array()) continue;
    if (c.size() == 3 && c[0].is_string()) {
      if (c[0] == "vevent") vevents.push_back(c);
      for (const auto& child : c[2]) stack.push_back(child);
    } else {
      for (const auto& child : c) stack.push_back(child);
    }
  }
  if (vevents.empty()) return;
  const model::PageFacts facts = ExtractIcal(body, InputFor(path));
  std::set<std::string> contact_urls;
  for (const auto& c : facts.contacts) contact_urls.insert(AsciiUpper(c.url));
  for (const json& ve : vevents) {
    std::map<std::string, std::string> props;
    std::vector<std::string> attendees;
    for (const auto& p : ve[1]) {
      const std::string name = p[0].get<std::string>();
      const std::string value = JoinJValue(p[3], ',');
      if (name == "attendee")
        attendees.push_back(value);
      else if (!props.count(name))
        props[name] = value;
    }
    const model::Event* match = nullptr;
    for (const auto& e : facts.events) {  // same summary, preferring the same start
      if (e.name != props["summary"]) continue;
      if (match == nullptr ||
          (SameStart(props["dtstart"], e.start) && !SameStart(props["dtstart"], match->start))) {
        match = &e;
      }
    }
    if (match == nullptr && facts.events.size() == 1 && vevents.size() == 1) match = &facts.events[0];
    tally->summary.Add(match != nullptr && match->name == props["summary"]);
    tally->start.Add(match != nullptr && SameStart(props["dtstart"], match->start));
    tally->location.Add(match != nullptr && match->location == props["location"]);
    bool attendees_ok = match != nullptr;
    int missing = 0;
    for (const auto& a : attendees) {
      if (!contact_urls.count(AsciiUpper(a))) ++missing;
    }
    if (missing > 1 || (missing == 1 && (match == nullptr || match->role.empty()))) attendees_ok = false;
    tally->attendee.Add(attendees_ok);
  }
}

struct CardTally {
  Tally fn, email, tel;
};

void CompareCard(const std::string& body, const json& expected, const fs::path& path, CardTally* tally) {
  json card = expected;
  if (card.is_array() && !card.empty() && card[0].is_array()) card = card[0];  // several cards: the first
  std::string fn;
  std::set<std::string> emails, tels;
  for (const auto& p : card[1]) {
    const std::string name = p[0].get<std::string>();
    std::string value = JoinJValue(p[3], ',');
    if (name == "fn" && fn.empty()) fn = value;
    if (name == "email") emails.insert(value);
    if (name == "tel") {
      if (value.rfind("tel:", 0) == 0) value = value.substr(4);
      tels.insert(value);
    }
  }
  const model::PageFacts facts = ExtractVcard(body, InputFor(path));
  std::string got_fn;
  std::set<std::string> got_emails, got_tels;
  for (const auto& f : facts.identity) {
    if (f.kind == "name" && got_fn.empty()) got_fn = f.value;
    if (f.kind == "email") got_emails.insert(f.value.str());
    if (f.kind == "phone") got_tels.insert(f.value.str());
  }
  if (!fn.empty()) tally->fn.Add(fn == got_fn);
  if (!emails.empty()) tally->email.Add(emails == got_emails);
  if (!tels.empty()) tally->tel.Add(tels == got_tels);
}

void RunJSuite(const std::string& label, const std::vector<std::pair<fs::path, fs::path>>& pairs) {
  Tally properties;
  Tally files;
  EventTally events;
  CardTally cards;
  for (const auto& [input, expected_path] : pairs) {
    const std::string body = ReadFile(input);
    const json expected = json::parse(ReadFile(expected_path), nullptr, false);
    ASSERT_FALSE(expected.is_discarded()) << expected_path;
    const Tally t = CompareProperties(body, expected);
    properties.cases += t.cases;
    properties.matched += t.matched;
    files.Add(t.cases == t.matched);
    if (std::getenv("TELESCREEN_CONFORMANCE_VERBOSE") != nullptr && t.cases != t.matched) {
      std::printf("  %s: %s properties\n", input.filename().c_str(), t.Show().c_str());
    }
    if (input.extension() == ".vcf") {
      CompareCard(body, expected, input, &cards);
    } else {
      CompareEvents(body, expected, input, &events);
    }
  }
  std::printf("[conformance] %s: %zu pairs; files fully matching %s; properties %s\n", label.c_str(),
              pairs.size(), files.Show().c_str(), properties.Show().c_str());
  if (events.start.cases > 0) {
    std::printf("[conformance] %s: VEVENT DTSTART %s, SUMMARY %s, LOCATION %s, ATTENDEE %s\n", label.c_str(),
                events.start.Show().c_str(), events.summary.Show().c_str(), events.location.Show().c_str(),
                events.attendee.Show().c_str());
  }
  if (cards.fn.cases > 0) {
    std::printf("[conformance] %s: vCard FN %s, EMAIL %s, TEL %s\n", label.c_str(), cards.fn.Show().c_str(),
                cards.email.Show().c_str(), cards.tel.Show().c_str());
  }
  // Regression floor: the parsing layer agrees on nearly every property.
  EXPECT_GE(properties.matched * 100, properties.cases * 90) << label;
}

TEST(IcalConformance, ConformanceIcalJsParserPairs) {
  const std::string corpus = CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "TELESCREEN_CORPUS not set";
  const fs::path dir = fs::path(corpus) / "ical.js/test/parser";
  std::vector<std::pair<fs::path, fs::path>> ics, vcf;
  for (const char* ext : {".ics", ".vcf"}) {
    for (const auto& input : FilesWithExtension(dir, ext)) {
      fs::path expected = input;
      expected.replace_extension(".json");
      if (!fs::exists(expected)) continue;
      (std::string(ext) == ".ics" ? ics : vcf).emplace_back(input, expected);
    }
  }
  if (ics.empty() && vcf.empty()) GTEST_SKIP() << dir << " has no pairs";
  RunJSuite("ical.js jCal", ics);
  RunJSuite("ical.js jCard", vcf);
}

TEST(IcalConformance, ConformanceIcalendarPyRfc7265Pairs) {
  const std::string corpus = CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "TELESCREEN_CORPUS not set";
  const fs::path dir = fs::path(corpus) / "icalendar-py/src/icalendar/tests/calendars";
  std::vector<std::pair<fs::path, fs::path>> pairs;
  for (const char* stem : {"rfc_7265_appendix_example_1", "rfc_7265_appendix_example_2"}) {
    const fs::path ics = dir / (std::string(stem) + "_ical.ics");
    const fs::path jcal = dir / (std::string(stem) + "_jcal.jcal");
    if (fs::exists(ics) && fs::exists(jcal)) pairs.emplace_back(ics, jcal);
  }
  if (pairs.empty()) GTEST_SKIP() << dir << " has no RFC 7265 pairs";
  RunJSuite("icalendar-py RFC 7265", pairs);
}

// RSVPs in real iTIP messages: libical's 2446.ics and incoming.ics carry
// PARTSTAT; the readers must turn some of them into roles or contacts.
TEST(IcalConformance, ConformanceLibicalInvitationsYieldAttendees) {
  const std::string corpus = CorpusDir();
  if (corpus.empty()) GTEST_SKIP() << "TELESCREEN_CORPUS not set";
  int events = 0;
  int contacts = 0;
  int roles = 0;
  for (const auto& path : FilesWithExtension(fs::path(corpus) / "libical/test-data", ".ics")) {
    const model::PageFacts facts = ExtractIcal(ReadFile(path), InputFor(path));
    events += static_cast<int>(facts.events.size());
    contacts += static_cast<int>(facts.contacts.size());
    for (const auto& e : facts.events) roles += e.role.empty() ? 0 : 1;
  }
  std::printf("[conformance] libical: %d events, %d organizer/attendee contacts, %d events with a role\n",
              events, contacts, roles);
  EXPECT_GT(contacts, 0);
  EXPECT_GT(roles, 0);
}

}  // namespace
}  // namespace telescreen::extract
