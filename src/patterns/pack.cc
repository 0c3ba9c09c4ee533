#include "patterns/pack.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "core/text.h"
#include "model/scan_result.h"
#include "patterns/text_rules.h"

namespace telescreen::patterns {
namespace {

using nlohmann::json;
using RegexPtr = std::shared_ptr<const re2::RE2>;

// Finds where things are in the pack's text, so that semantic errors (which
// nlohmann_json cannot place) still name a line.
class Locator {
 public:
  explicit Locator(std::string_view text) : text_(text) {}

  int LineOfByte(std::size_t byte) const {
    byte = std::min(byte, text_.size());
    return 1 + static_cast<int>(std::count(text_.begin(), text_.begin() + static_cast<long>(byte), '\n'));
  }

  // The byte offset of `"id": "<id>"` (any whitespace around the colon),
  // searching from `from`; npos if absent.
  std::size_t FindId(const std::string& id, std::size_t from = 0) const {
    std::string quoted = json(id).dump();
    for (std::size_t p = text_.find(quoted, from); p != std::string_view::npos;
         p = text_.find(quoted, p + 1)) {
      std::size_t q = p;
      while (q > 0 && IsSpace(text_[q - 1])) --q;
      if (q == 0 || text_[q - 1] != ':') continue;
      --q;
      while (q > 0 && IsSpace(text_[q - 1])) --q;
      if (q >= 4 && text_.substr(q - 4, 4) == "\"id\"") return q - 4;
    }
    return std::string_view::npos;
  }

  // The byte offset of the key `"key"` at or after `from`; npos if absent.
  std::size_t FindKey(const std::string& key, std::size_t from = 0) const {
    std::string quoted = json(key).dump();
    for (std::size_t p = text_.find(quoted, from); p != std::string_view::npos;
         p = text_.find(quoted, p + 1)) {
      std::size_t q = p + quoted.size();
      while (q < text_.size() && IsSpace(text_[q])) ++q;
      if (q < text_.size() && text_[q] == ':') return p;
    }
    return std::string_view::npos;
  }

 private:
  static bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  std::string_view text_;
};

// Where, in the text, the thing being parsed is: its rule's position (for
// lines) and label ("rule 'contacts'") for messages.
struct Place {
  std::string label;  // "rule 'contacts'", "follow rule 'next'", "" (top level)
  std::size_t pos = std::string_view::npos;
};

class PackParser {
 public:
  PackParser(std::string_view text, const std::string& file, std::vector<PackError>* errors)
      : loc_(text), file_(file), errors_(errors) {}

  std::shared_ptr<Pack> Parse(std::string_view text, const std::string& source);
  bool failed() const { return failed_; }

 private:
  void Error(const Place& where, const std::string& key, const std::string& message) {
    failed_ = true;
    int line = 0;
    std::size_t pos = where.pos;
    if (!key.empty()) {
      std::size_t k = loc_.FindKey(key, pos == std::string_view::npos ? 0 : pos);
      if (k != std::string_view::npos) pos = k;
    }
    if (pos != std::string_view::npos) line = loc_.LineOfByte(pos);
    std::string msg = where.label.empty() ? message : where.label + ": " + message;
    if (errors_) errors_->push_back(PackError{file_, line, msg});
  }

  // Reports keys of `obj` not in `allowed`.
  void CheckKeys(const json& obj, std::initializer_list<const char*> allowed, const Place& where) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return it.key() == a; });
      if (!known) Error(where, it.key(), "unknown field '" + it.key() + "'");
    }
  }

  // A string member; reports a wrong type. Returns "" when absent.
  std::string Str(const json& obj, const char* key, const Place& where, bool required = false) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) Error(where, "", std::string("missing required field '") + key + "'");
      return "";
    }
    if (!it->is_string()) {
      Error(where, key, std::string("field '") + key + "' must be a string");
      return "";
    }
    return it->get<std::string>();
  }

  std::size_t Count(const json& obj, const char* key, std::size_t def, std::size_t cap, const Place& where) {
    auto it = obj.find(key);
    if (it == obj.end()) return def;
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() == 0 || it->get<std::uint64_t>() > cap) {
      Error(where, key,
            std::string("field '") + key + "' must be an integer from 1 to " + std::to_string(cap));
      return def;
    }
    return static_cast<std::size_t>(it->get<std::uint64_t>());
  }

  RegexPtr Regex(const std::string& pattern, const Place& where, const std::string& key) {
    if (pattern.size() > kMaxRegexBytes) {
      Error(where, key, "regular expression longer than " + std::to_string(kMaxRegexBytes) + " bytes");
      return nullptr;
    }
    re2::RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(std::int64_t{4} << 20);
    auto re = std::make_shared<const re2::RE2>(pattern, options);
    if (!re->ok()) {
      Error(where, key, "bad regular expression '" + pattern + "': " + re->error());
      return nullptr;
    }
    return re;
  }

  std::optional<Selector> Sel(const std::string& text, const Place& where, const std::string& key) {
    auto sel = Selector::Parse(text);
    if (!sel.ok()) {
      Error(where, key, "bad selector '" + text + "': " + sel.error().message);
      return std::nullopt;
    }
    return std::move(sel).value();
  }

  std::vector<RegexPtr> Urls(const json& obj, const Place& where) {
    std::vector<RegexPtr> out;
    auto it = obj.find("urls");
    if (it == obj.end()) return out;
    if (!it->is_array() || it->empty() || it->size() > kMaxUrlPatterns) {
      Error(
          where, "urls",
          "field 'urls' must be a list of 1 to " + std::to_string(kMaxUrlPatterns) + " regular expressions");
      return out;
    }
    for (const auto& u : *it) {
      if (!u.is_string()) {
        Error(where, "urls", "field 'urls' must hold strings");
        continue;
      }
      Place at = where;
      at.label = where.label.empty() ? "field 'urls'" : where.label + ": field 'urls'";
      if (auto re = Regex(u.get<std::string>(), at, "urls")) out.push_back(std::move(re));
    }
    return out;
  }

  RuleVisibility Visibility(const json& obj, const Place& where) {
    std::string v = Str(obj, "visibility", where);
    if (v.empty() || v == "page") return RuleVisibility::kPage;
    if (v == "public") return RuleVisibility::kPublic;
    if (v == "members") return RuleVisibility::kMembers;
    Error(where, "visibility", "visibility must be \"page\", \"public\" or \"members\", not '" + v + "'");
    return RuleVisibility::kPage;
  }

  Remediation Fix(const json& obj, const Place& where) {
    Remediation r;
    auto it = obj.find("remediation");
    if (it == obj.end()) return r;
    if (!it->is_object()) {
      Error(where, "remediation", "field 'remediation' must be an object {text, settings_url}");
      return r;
    }
    CheckKeys(*it, {"text", "settings_url"}, where);
    auto text = it->find("text");
    if (text != it->end() && text->is_object()) {
      FixTexts(*text, where, &r);
    } else {
      r.text = Str(*it, "text", where, true);
    }
    r.settings_url = Str(*it, "settings_url", where);
    return r;
  }

  // "text": {"en": ..., "de": ...}: English is required (fix ids hash it);
  // every code must be a language Telescreen has.
  void FixTexts(const json& texts, const Place& where, Remediation* r) {
    for (auto it = texts.begin(); it != texts.end(); ++it) {
      auto lang = core::ParseLanguage(it.key());
      if (!lang.ok()) {
        Error(where, "text",
              "remediation text in unknown language '" + it.key() + "' (" + core::LanguageCodes() + ")");
        continue;
      }
      if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
        Error(where, "text", "remediation text '" + it.key() + "' must be a non-empty string");
        continue;
      }
      if (lang.value() == core::Language::kEnglish) {
        r->text = it->get<std::string>();
      } else {
        r->translations.emplace_back(lang.value(), it->get<std::string>());
      }
    }
    if (r->text.empty()) Error(where, "text", "remediation text needs an English 'en' entry");
  }

  // The id of the i-th entry of a section, and its place in the text.
  Place Locate(const json& obj, const char* what, std::size_t index, std::string* id) {
    Place where;
    *id = obj.is_object() && obj.contains("id") && obj["id"].is_string() ? obj["id"].get<std::string>() : "";
    if (id->empty()) {
      where.label = std::string(what) + " #" + std::to_string(index + 1);
    } else {
      where.label = std::string(what) + " '" + *id + "'";
      where.pos = loc_.FindId(*id);
    }
    return where;
  }

  // Starts reading the index-th entry of a section: where it is, its id
  // (checked, and against the ids in `seen`) and its keys (against
  // `allowed`). False, with an error, if the entry is not an object.
  bool Open(const json& obj, const char* what, std::size_t index, std::set<std::string>* seen,
            std::initializer_list<const char*> allowed, std::string* id, Place* where) {
    *where = Locate(obj, what, index, id);
    if (!obj.is_object()) {
      Error(*where, "", "must be an object");
      return false;
    }
    CheckId(*id, *where, seen);
    CheckKeys(obj, allowed, *where);
    return true;
  }

  void CheckId(const std::string& id, const Place& where, std::set<std::string>* seen) {
    if (id.empty()) {
      Error(where, "", "missing required field 'id'");
      return;
    }
    if (!ValidId(id)) {
      Error(where, "id", "id must be 1-64 characters of a-z, 0-9, '-', '_'");
    }
    if (!seen->insert(id).second) Error(where, "id", "duplicate id '" + id + "'");
  }

  static bool ValidId(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
  }

  std::optional<Target> ParseTarget(const std::string& t, const Place& where, const std::string& key,
                                    bool text_rule);
  void ParseRule(const json& obj, std::size_t index, Pack* pack);
  std::optional<Field> ParseField(const json& obj, std::size_t index, const Place& rule, bool json_rule);
  bool ParseFieldSource(const json& obj, const Place& where, bool json_rule, Field* f);
  void ParseFieldValue(const json& obj, const Place& where, Field* f);
  std::optional<JsonPath> Path(const std::string& text, const Place& where, const std::string& key);
  void ParseFollow(const json& obj, std::size_t index, Pack* pack);
  void ParseTextRule(const json& obj, std::size_t index, Pack* pack);
  void ParseTextMatch(const json& obj, const Place& where, TextRule* t);
  TextNormalize Normalization(const std::string& how, const Place& where);
  void ParseTextSet(const json& obj, const Place& where, TextRule* t);
  void ParseExamples(const json& ex, const Place& where, TextRule* t);
  void ParsePost(const json& obj, std::size_t index, Pack* pack);
  void ParseWall(const json& obj, std::size_t index, Pack* pack);

  Locator loc_;
  std::string file_;
  std::vector<PackError>* errors_;
  bool failed_ = false;
  std::set<std::string> rule_ids_;
  std::set<std::string> follow_ids_;
  std::set<std::string> text_ids_;
  std::set<std::string> post_ids_;
  std::set<std::string> wall_ids_;
};

const std::set<std::string>& IdentityKinds() {
  static const std::set<std::string> kinds = {
      "name",    "url",   "profile",  "employer", "headline",  "location", "email",  "phone",
      "address", "photo", "birthday", "group",    "messenger", "username", "school", "title"};
  return kinds;
}

const std::set<std::string>& Members(const std::string& object) {
  static const std::set<std::string> contact = {"name", "url", "relation"};
  static const std::set<std::string> event = {"name", "start", "end", "location", "url", "role", "attendee"};
  static const std::set<std::string> group = {"name", "url"};
  static const std::set<std::string> none;
  if (object == "contact") return contact;
  if (object == "event") return event;
  if (object == "group") return group;
  if (object == "identity") return IdentityKinds();
  return none;
}

std::optional<Target> PackParser::ParseTarget(const std::string& t, const Place& where,
                                              const std::string& key, bool text_rule) {
  std::size_t dot = t.find('.');
  Target target;
  target.object = t.substr(0, dot);
  if (dot != std::string::npos) target.member = t.substr(dot + 1);
  bool known_object = target.object == "identity" || target.object == "contact" || target.object == "event" ||
                      target.object == "group";
  if (!known_object) {
    Error(where, key,
          "unknown target '" + t +
              "' (expected identity.<kind>, contact.<member>, event.<member> or group.<member>)");
    return std::nullopt;
  }
  // Text rules fill objects from named capture groups, so "event" alone is fine.
  if (text_rule && target.member.empty() && target.object != "identity") return target;
  if (!Members(target.object).count(target.member)) {
    std::string list;
    for (const auto& m : Members(target.object)) list += (list.empty() ? "" : ", ") + m;
    Error(where, key, "unknown target '" + t + "' (" + target.object + " has: " + list + ")");
    return std::nullopt;
  }
  return target;
}

std::optional<JsonPath> PackParser::Path(const std::string& text, const Place& where,
                                         const std::string& key) {
  auto path = JsonPath::Parse(text);
  if (!path.ok()) {
    Error(where, key, "bad JSON path '" + text + "': " + path.error().message);
    return std::nullopt;
  }
  return std::move(path).value();
}

std::optional<Field> PackParser::ParseField(const json& obj, std::size_t index, const Place& rule,
                                            bool json_rule) {
  Place where = rule;
  where.label = rule.label + ": field #" + std::to_string(index + 1);
  if (!obj.is_object()) {
    Error(where, "", "must be an object");
    return std::nullopt;
  }
  CheckKeys(obj, {"target", "selector", "path", "join", "take", "regex", "rewrite", "as", "value"}, where);
  Field f;
  auto target = ParseTarget(Str(obj, "target", where, true), where, "target", false);
  if (!target) return std::nullopt;
  f.target = *target;
  // The people listed with an event: every one the field reaches.
  if (f.target.object == "event" && f.target.member == "attendee") f.takes = FieldTakes::kEvery;
  where.label = rule.label + ": field '" + f.target.object + "." + f.target.member + "'";
  if (obj.contains("value")) {
    f.constant = Str(obj, "value", where);
    for (const char* k : {"selector", "path", "take", "regex", "as"}) {
      if (obj.contains(k))
        Error(where, "value", "'value' (a constant) excludes 'selector', 'path', 'take', 'regex' and 'as'");
    }
    return f;
  }
  if (!ParseFieldSource(obj, where, json_rule, &f)) return std::nullopt;
  ParseFieldValue(obj, where, &f);
  return f;
}

// Where the value comes from: a selector and "take" (HTML rules) or one or
// more JSON paths (JSON rules).
bool PackParser::ParseFieldSource(const json& obj, const Place& where, bool json_rule, Field* f) {
  std::string take = Str(obj, "take", where);
  if (json_rule) {
    if (obj.contains("selector")) Error(where, "selector", "a JSON rule's fields use 'path', not 'selector'");
    auto it = obj.find("path");
    if (it == obj.end()) {
      Error(where, "", "a JSON rule's field needs a 'path' (or a 'value')");
      return false;
    }
    std::vector<std::string> texts;
    if (it->is_string()) texts.push_back(it->get<std::string>());
    if (it->is_array() && !it->empty() && it->size() <= kMaxPathsPerField &&
        std::all_of(it->begin(), it->end(), [](const json& p) { return p.is_string(); })) {
      for (const auto& p : *it) texts.push_back(p.get<std::string>());
    }
    if (texts.empty()) {
      Error(where, "path",
            "'path' must be a JSON path or a list of 1 to " + std::to_string(kMaxPathsPerField));
      return false;
    }
    for (const auto& t : texts) {
      if (auto p = Path(t, where, "path")) f->paths.push_back(std::move(*p));
    }
    if (obj.contains("join")) {
      f->join = Str(obj, "join", where);
      if (texts.size() < 2) Error(where, "join", "'join' needs a list of paths");
    }
    if (take == "html")
      f->html = true;
    else if (!take.empty() && take != "text")
      Error(where, "take", "in a JSON rule take must be \"text\" or \"html\", not '" + take + "'");
    return f->paths.size() == texts.size();
  }
  if (obj.contains("path") || obj.contains("join")) {
    Error(where, "path", "'path' reads JSON: it needs the rule's 'json'");
  }
  if (obj.contains("selector")) {
    f->selector = Sel(Str(obj, "selector", where), where, "selector");
    if (!f->selector) return false;
  }
  if (take.rfind("attr:", 0) == 0 && take.size() > 5) {
    f->attr = take.substr(5);
    f->attr = core::AsciiLower(f->attr);
  } else if (!take.empty() && take != "text") {
    Error(where, "take", "take must be \"text\" or \"attr:NAME\", not '" + take + "'");
  }
  return true;
}

// The regex, rewrite and conversion applied to the value taken.
void PackParser::ParseFieldValue(const json& obj, const Place& where, Field* f) {
  if (obj.contains("regex")) {
    f->regex = Regex(Str(obj, "regex", where), where, "regex");
    if (f->regex && f->regex->NumberOfCapturingGroups() > 1 && !obj.contains("rewrite")) {
      Error(where, "regex", "regex has more than one capture group; add a 'rewrite' or use (?:...)");
    }
  }
  f->rewrite = Str(obj, "rewrite", where);
  if (!f->rewrite.empty()) {
    std::string why;
    if (!f->regex) {
      Error(where, "rewrite", "'rewrite' needs a 'regex'");
    } else if (!f->regex->CheckRewriteString(f->rewrite, &why)) {
      Error(where, "rewrite", "bad rewrite '" + f->rewrite + "': " + why);
    }
  }
  std::string as = Str(obj, "as", where);
  static const std::pair<const char*, ValueAs> kAs[] = {{"text", ValueAs::kText},
                                                        {"epoch", ValueAs::kEpoch},
                                                        {"epoch-s", ValueAs::kEpochSeconds},
                                                        {"epoch-ms", ValueAs::kEpochMillis},
                                                        {"snowflake", ValueAs::kSnowflake}};
  if (as.empty()) return;
  auto it = std::find_if(std::begin(kAs), std::end(kAs), [&](const auto& a) { return as == a.first; });
  if (it == std::end(kAs)) {
    Error(where, "as", "as must be text, epoch, epoch-s, epoch-ms or snowflake, not '" + as + "'");
    return;
  }
  f->as = it->second;
}

void PackParser::ParseRule(const json& obj, std::size_t index, Pack* pack) {
  std::string id;
  Place where;
  if (!Open(obj, "rule", index, &rule_ids_,
            {"id", "type", "selector", "json", "urls", "fields", "max_items", "visibility", "remediation",
             "comment"},
            &id, &where))
    return;
  Rule r;
  r.id = id;
  std::string type = Str(obj, "type", where);
  if (type == "list") {
    r.type = RuleType::kList;
  } else if (!type.empty() && type != "single") {
    Error(where, "type", "type must be \"single\" or \"list\", not '" + type + "'");
  }
  if (obj.contains("selector")) r.selector = Sel(Str(obj, "selector", where), where, "selector");
  if (obj.contains("json")) {
    r.json = Path(Str(obj, "json", where), where, "json");
    if (obj.contains("selector"))
      Error(where, "json", "a rule reads HTML ('selector') or JSON ('json'), not both");
  }
  if (r.type == RuleType::kList && !obj.contains("selector") && !obj.contains("json")) {
    Error(where, "", "a list rule needs a 'selector' (HTML) or a 'json' path (JSON) for its items");
  }
  r.urls = Urls(obj, where);
  r.max_items = Count(obj, "max_items", kDefaultMaxItems, kMaxItemsCap, where);
  r.visibility = Visibility(obj, where);
  r.remediation = Fix(obj, where);
  auto fields = obj.find("fields");
  if (fields == obj.end() || !fields->is_array() || fields->empty() || fields->size() > kMaxFields) {
    return Error(where, "fields",
                 "field 'fields' must be a list of 1 to " + std::to_string(kMaxFields) + " fields");
  }
  for (std::size_t i = 0; i < fields->size(); ++i) {
    auto f = ParseField((*fields)[i], i, where, obj.contains("json"));
    if (!f) continue;
    if (f->target.object != "identity") {
      if (!r.object.empty() && r.object != f->target.object) {
        Error(where, "fields",
              "fields mix '" + r.object + "' and '" + f->target.object +
                  "' targets; one rule builds one kind of object");
      }
      r.object = f->target.object;
    }
    r.fields.push_back(std::move(*f));
  }
  pack->rules.push_back(std::move(r));
}

void PackParser::ParseFollow(const json& obj, std::size_t index, Pack* pack) {
  std::string id;
  Place where;
  if (!Open(
          obj, "follow rule", index, &follow_ids_,
          {"id", "selector", "json", "kind", "attr", "accept", "url_filter", "urls", "max_links", "comment"},
          &id, &where))
    return;
  std::string kind = Str(obj, "kind", where, true);
  static const std::set<std::string> kinds = {"contacts", "events", "groups", "next", "profile"};
  if (!kind.empty() && !kinds.count(kind)) {
    Error(where, "kind", "kind must be contacts, events, groups, next or profile, not '" + kind + "'");
  }
  FollowRule f;
  f.id = id;
  f.kind = kind;
  std::optional<Selector> sel;
  if (obj.contains("json")) {
    f.json = Path(Str(obj, "json", where), where, "json");
    if (obj.contains("selector") || obj.contains("attr")) {
      Error(where, "json", "a follow rule reads HTML ('selector', 'attr') or JSON ('json'), not both");
    }
  } else {
    sel = Sel(Str(obj, "selector", where, true), where, "selector");
    if (sel) f.selector = *sel;
  }
  if (obj.contains("attr")) f.attr = Str(obj, "attr", where);
  f.accept = Str(obj, "accept", where);
  if (obj.contains("url_filter")) f.url_filter = Regex(Str(obj, "url_filter", where), where, "url_filter");
  f.urls = Urls(obj, where);
  f.max_links = Count(obj, "max_links", kDefaultMaxLinks, kMaxItemsCap, where);
  if (sel || f.json) pack->follow.push_back(std::move(f));
}

void PackParser::ParseTextRule(const json& obj, std::size_t index, Pack* pack) {
  std::string id;
  Place where;
  if (!Open(obj, "text rule", index, &text_ids_,
            {"id", "regex", "target", "rewrite", "normalize", "set", "visibility", "remediation", "within",
             "examples", "comment"},
            &id, &where))
    return;
  TextRule t;
  t.id = id;
  ParseTextMatch(obj, where, &t);
  t.normalize = Normalization(Str(obj, "normalize", where), where);
  ParseTextSet(obj, where, &t);
  t.visibility = Visibility(obj, where);
  t.remediation = Fix(obj, where);
  if (std::string within = Str(obj, "within", where); within == "post") {
    t.within_post = true;
  } else if (!within.empty()) {
    Error(where, "within", "within must be \"post\", not '" + within + "'");
  }
  if (auto ex = obj.find("examples"); ex != obj.end()) ParseExamples(*ex, where, &t);
  pack->text_rules.push_back(std::move(t));
}

// The regex, its target and rewrite; a regex filling an object names
// members of that object in its named groups.
void PackParser::ParseTextMatch(const json& obj, const Place& where, TextRule* t) {
  t->regex = Regex(Str(obj, "regex", where, true), where, "regex");
  auto target = ParseTarget(Str(obj, "target", where, true), where, "target", true);
  if (target) t->target = *target;
  t->rewrite = Str(obj, "rewrite", where);
  if (t->regex && !t->rewrite.empty()) {
    std::string why;
    if (!t->regex->CheckRewriteString(t->rewrite, &why)) Error(where, "rewrite", "bad rewrite: " + why);
  }
  if (!t->regex || t->target.object == "identity") return;
  for (const auto& [name, i] : t->regex->NamedCapturingGroups()) {
    (void)i;
    if (!Members(t->target.object).count(name)) {
      Error(where, "regex", "named group '" + name + "' is not a member of " + t->target.object);
    }
  }
}

TextNormalize PackParser::Normalization(const std::string& how, const Place& where) {
  static const std::pair<const char*, TextNormalize> kHow[] = {
      {"email", TextNormalize::kEmail}, {"phone", TextNormalize::kPhone}, {"lower", TextNormalize::kLower}};
  if (how.empty()) return TextNormalize::kNone;
  auto it = std::find_if(std::begin(kHow), std::end(kHow), [&](const auto& h) { return how == h.first; });
  if (it != std::end(kHow)) return it->second;
  Error(where, "normalize", "normalize must be email, phone or lower, not '" + how + "'");
  return TextNormalize::kNone;
}

// "set": constant string members of the rule's target object.
void PackParser::ParseTextSet(const json& obj, const Place& where, TextRule* t) {
  auto set = obj.find("set");
  if (set == obj.end()) return;
  if (!set->is_object()) return Error(where, "set", "field 'set' must be an object of constant members");
  for (auto it = set->begin(); it != set->end(); ++it) {
    if (!it->is_string() || !Members(t->target.object).count(it.key())) {
      Error(where, "set", "'set' member '" + it.key() + "' is not a string member of " + t->target.object);
      continue;
    }
    t->set.emplace_back(it.key(), it->get<std::string>());
  }
}

// "examples": {match: [text | {text, value}], no_match: [text]}, run by
// CheckExamples.
void PackParser::ParseExamples(const json& ex, const Place& where, TextRule* t) {
  if (!ex.is_object())
    return Error(where, "examples", "field 'examples' must be an object {match, no_match}");
  CheckKeys(ex, {"match", "no_match"}, where);
  for (const char* k : {"match", "no_match"}) {
    auto list = ex.find(k);
    if (list == ex.end()) continue;
    if (!list->is_array() || list->size() > kMaxExamples) {
      Error(where, k, std::string("'") + k + "' must be a list of at most 64 examples");
      continue;
    }
    const bool match = std::string(k) == "match";
    for (const auto& e : *list) {
      if (e.is_string() && match) {
        t->match.push_back({e.get<std::string>(), ""});
      } else if (e.is_string()) {
        t->no_match.push_back(e.get<std::string>());
      } else if (e.is_object() && match && e.contains("text") && e["text"].is_string() &&
                 e.contains("value") && e["value"].is_string()) {
        t->match.push_back({e["text"].get<std::string>(), e["value"].get<std::string>()});
      } else {
        Error(where, k,
              std::string("'") + k + "' examples must be strings" + (match ? " or {text, value}" : ""));
      }
    }
  }
}

void PackParser::ParsePost(const json& obj, std::size_t index, Pack* pack) {
  std::string id;
  Place where;
  if (!Open(obj, "post rule", index, &post_ids_, {"id", "selector", "published", "title", "urls", "comment"},
            &id, &where))
    return;
  PostRule p;
  p.id = id;
  auto sel = Sel(Str(obj, "selector", where, true), where, "selector");
  p.urls = Urls(obj, where);
  auto published = obj.find("published");
  if (published == obj.end() || !published->is_object()) {
    return Error(where, "published", "a post rule needs 'published': {selector, take, regex, rewrite, as}");
  }
  for (const char* part : {"published", "title"}) {
    auto spec = obj.find(part);
    if (spec == obj.end()) continue;
    Place at = where;
    at.label = where.label + ": " + part;
    if (!spec->is_object()) return Error(at, part, std::string("'") + part + "' must be an object");
    CheckKeys(*spec, {"selector", "take", "regex", "rewrite", "as"}, at);
    Field f;
    if (!ParseFieldSource(*spec, at, false, &f)) return;
    ParseFieldValue(*spec, at, &f);
    if (std::string(part) == "published")
      p.published = std::move(f);
    else
      p.title = std::move(f);
  }
  if (!sel) return;
  p.selector = std::move(*sel);
  pack->posts.push_back(std::move(p));
}

void PackParser::ParseWall(const json& obj, std::size_t index, Pack* pack) {
  std::string id;
  Place where;
  if (!Open(obj, "wall", index, &wall_ids_,
            {"id", "kind", "status", "final_url", "selector", "detail", "comment"}, &id, &where))
    return;
  WallRule w;
  w.id = id;
  std::string kind = Str(obj, "kind", where, true);
  auto parsed = model::ParseWall(kind);
  if (!parsed || *parsed == model::Wall::kNone) {
    Error(where, "kind", "kind must be \"login\" or \"blocked\", not '" + kind + "'");
  } else {
    w.kind = *parsed;
  }
  if (auto st = obj.find("status"); st != obj.end()) {
    bool valid = st->is_array() && !st->empty() && st->size() <= 32;
    for (const auto& v : valid ? *st : json::array()) {
      if (!v.is_number_unsigned() || v.get<std::uint64_t>() < 100 || v.get<std::uint64_t>() > 999)
        valid = false;
      else
        w.status.push_back(static_cast<int>(v.get<std::uint64_t>()));
    }
    if (!valid) Error(where, "status", "'status' must be a list of HTTP status codes (100 to 999)");
  }
  if (obj.contains("final_url")) w.final_url = Regex(Str(obj, "final_url", where), where, "final_url");
  if (obj.contains("selector")) w.selector = Sel(Str(obj, "selector", where), where, "selector");
  if (!obj.contains("status") && !obj.contains("final_url") && !obj.contains("selector")) {
    Error(where, "", "a wall needs at least one of 'status', 'final_url', 'selector'");
  }
  w.detail = Str(obj, "detail", where, true);
  pack->walls.push_back(std::move(w));
}

std::shared_ptr<Pack> PackParser::Parse(std::string_view text, const std::string& source) {
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // e.byte is 1-based: the byte at which parsing failed.
    std::string what = e.what();
    if (auto p = what.find("parse error"); p != std::string::npos) what = what.substr(p);
    Error(Place{"", e.byte > 0 ? e.byte - 1 : 0}, "", "invalid JSON: " + what);
    return nullptr;
  }
  Place top{"", 0};  // top-level problems without a key of their own: line 1
  if (!doc.is_object()) {
    Error(top, "", "a pack must be a JSON object");
    return nullptr;
  }
  CheckKeys(doc,
            {"$schema", "id", "name", "version", "checked", "notes", "urls", "fallback", "follow", "rules",
             "text_rules", "posts", "walls"},
            top);
  auto pack = std::make_shared<Pack>();
  pack->file = file_;
  pack->info.id = Str(doc, "id", top, true);
  if (!pack->info.id.empty() && !ValidId(pack->info.id)) {
    Error(top, "id", "id must be 1-64 characters of a-z, 0-9, '-', '_'");
  }
  pack->info.name = Str(doc, "name", top, true);
  pack->info.version = Str(doc, "version", top, true);
  pack->info.checked = Str(doc, "checked", top, true);
  if (!pack->info.checked.empty() &&
      !re2::RE2::FullMatch(pack->info.checked, R"([0-9]{4}-[0-9]{2}-[0-9]{2})")) {
    Error(top, "checked", "'checked' must be a date, YYYY-MM-DD, not '" + pack->info.checked + "'");
  }
  pack->info.source = source;
  pack->notes = Str(doc, "notes", top);
  if (!doc.contains("urls")) Error(top, "", "missing required field 'urls'");
  pack->urls = Urls(doc, top);
  if (auto fb = doc.find("fallback"); fb != doc.end()) {
    if (fb->is_boolean()) {
      pack->fallback = fb->get<bool>();
    } else {
      Error(top, "fallback", "field 'fallback' must be true or false");
    }
  }
  struct Section {
    const char* key;
    void (PackParser::*parse)(const json&, std::size_t, Pack*);
  };
  for (const Section& s :
       {Section{"rules", &PackParser::ParseRule}, Section{"follow", &PackParser::ParseFollow},
        Section{"text_rules", &PackParser::ParseTextRule}, Section{"posts", &PackParser::ParsePost},
        Section{"walls", &PackParser::ParseWall}}) {
    auto it = doc.find(s.key);
    if (it == doc.end()) continue;
    if (!it->is_array() || it->size() > kMaxRules) {
      Error(top, s.key,
            std::string("field '") + s.key + "' must be a list of at most " + std::to_string(kMaxRules) +
                " entries");
      continue;
    }
    for (std::size_t i = 0; i < it->size(); ++i) (this->*s.parse)((*it)[i], i, pack.get());
  }
  if (pack->rules.empty() && pack->follow.empty() && pack->text_rules.empty() && pack->walls.empty() &&
      !failed_) {
    Error(top, "", "a pack needs at least one of 'rules', 'follow', 'text_rules', 'walls'");
  }
  if (!failed_) pack->text_filter = TextRuleFilter::Build(pack->text_rules);
  return pack;
}

}  // namespace

std::string Remediation::ToString() const {
  if (text.empty()) return settings_url;
  if (settings_url.empty()) return text;
  return text + " (" + settings_url + ")";
}

std::optional<std::string> Remediation::ToString(core::Language lang) const {
  if (lang == core::Language::kEnglish) return ToString();
  for (const auto& [l, t] : translations) {
    if (l == lang) return Remediation{t, settings_url, {}}.ToString();
  }
  return std::nullopt;
}

bool Pack::AppliesTo(std::string_view url) const {
  return std::any_of(urls.begin(), urls.end(),
                     [&](const RegexPtr& re) { return re2::RE2::PartialMatch(url, *re); });
}

core::Result<std::shared_ptr<const Pack>> ParsePack(std::string_view json_text, const std::string& file,
                                                    const std::string& source,
                                                    std::vector<PackError>* errors) {
  std::vector<PackError> local;
  if (!errors) errors = &local;
  if (json_text.size() > kMaxPackBytes) {
    errors->push_back({file, 0, "pack larger than " + std::to_string(kMaxPackBytes) + " bytes"});
    return core::MakeError(core::ErrorCode::kInvalidArgument, errors->back().ToString());
  }
  std::size_t before = errors->size();
  PackParser parser(json_text, file, errors);
  auto pack = parser.Parse(json_text, source);
  if (!pack || parser.failed()) {
    std::string first = errors->size() > before ? (*errors)[before].ToString() : file + ": invalid pack";
    return core::MakeError(core::ErrorCode::kInvalidArgument, first);
  }
  return std::shared_ptr<const Pack>(std::move(pack));
}

std::size_t CheckTranslations(const Pack& pack, std::string_view json_text,
                              std::vector<PackError>* warnings) {
  Locator loc(json_text);
  std::size_t found = 0;
  auto check = [&](const char* what, const std::string& id, const Remediation& fix) {
    if (fix.text.empty()) return;
    for (core::Language lang : {core::Language::kGerman}) {
      if (fix.ToString(lang)) continue;
      std::size_t pos = loc.FindId(id);
      warnings->push_back({pack.file, pos == std::string_view::npos ? 0 : loc.LineOfByte(pos),
                           std::string("warning: ") + what + " '" + id + "': remediation has no '" +
                               core::LanguageCode(lang) + "' text"});
      ++found;
    }
  };
  for (const auto& r : pack.rules) check("rule", r.id, r.remediation);
  for (const auto& t : pack.text_rules) check("text rule", t.id, t.remediation);
  return found;
}

std::size_t CheckExamples(const Pack& pack, std::string_view json_text, std::vector<PackError>* errors) {
  Locator loc(json_text);
  std::size_t run = 0;
  for (const auto& rule : pack.text_rules) {
    std::size_t pos = loc.FindId(rule.id);
    int line = pos == std::string_view::npos ? 0 : loc.LineOfByte(pos);
    auto report = [&](const std::string& example, const std::string& message) {
      std::size_t p = json_text.find(json(example).dump(), pos == std::string_view::npos ? 0 : pos);
      errors->push_back({pack.file, p == std::string_view::npos ? line : loc.LineOfByte(p),
                         "text rule '" + rule.id + "': example " + json(example).dump() + " " + message});
    };
    for (const auto& ex : rule.match) {
      ++run;
      auto v = FirstTextValue(rule, ex.text);
      if (!v) {
        report(ex.text, "should match but does not");
      } else if (!ex.expect.empty() && *v != ex.expect) {
        report(ex.text, "gives " + json(*v).dump() + ", expected " + json(ex.expect).dump());
      }
    }
    for (const auto& ex : rule.no_match) {
      ++run;
      if (auto v = FirstTextValue(rule, ex)) report(ex, "should not match but gives " + json(*v).dump());
    }
  }
  return run;
}

}  // namespace telescreen::patterns
