#include "patterns/pattern_set.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <unordered_map>

#include "core/file.h"
#include "core/memory.h"
#include "core/resources.h"
#include "core/text.h"
#include "core/time.h"
#include "patterns/json_source.h"
#include "patterns/pack.h"
#include "patterns/text_rules.h"
#include "patterns/walls.h"

namespace telescreen::patterns {
namespace {

using model::Dom;
using model::NodeId;

constexpr std::size_t kExcerptBytes = 200;

bool IsUrlMember(const Target& t) {
  if (t.object == "identity") return t.member == "url" || t.member == "profile" || t.member == "photo";
  return t.member == "url";
}

model::Visibility Effective(RuleVisibility rule, model::Visibility page) {
  if (page == model::Visibility::kPublic || rule == RuleVisibility::kPublic) {
    return rule == RuleVisibility::kPublic ? model::Visibility::kPublic : page;
  }
  return model::Visibility::kMembersOnly;
}

bool UrlAllowed(const std::vector<std::shared_ptr<const re2::RE2>>& urls, const std::string& url) {
  return urls.empty() || std::any_of(urls.begin(), urls.end(),
                                     [&](const auto& re) { return re2::RE2::PartialMatch(url, *re); });
}

// Everything one Apply call shares: the page, where facts go, and what is
// computed once per page on first use (visible text, JSON documents).
struct Context {
  Context(const PageView& page, model::PageFacts* out)
      : dom(page.dom),
        json_body(page.json_body),
        url(page.url),
        url_text(page.url.ToString()),
        visibility(page.visibility),
        facts(out) {}

  const Dom* dom;              // null for JSON responses
  std::string_view json_body;  // empty for HTML pages
  const core::Url& url;
  std::string url_text;
  model::Visibility visibility;
  model::PageFacts* facts;
  std::set<std::pair<std::string, std::string>> identity_seen;
  std::set<std::string> links_seen;
  std::unordered_map<NodeId, DeclaredPost> declared_posts;  // by the post's element
  std::optional<std::string> visible_text;
  std::vector<PostSpan> posts;  // of visible_text
  std::optional<std::vector<JsonDocument>> json_docs;
  JsonBudget json_budget;
  bool budget_warned = false;
};

model::Evidence MakeEvidence(const Context& ctx, const Pack& pack, const std::string& rule_id,
                             RuleVisibility vis, const Remediation& fix, std::string_view excerpt,
                             bool machine_readable = false) {
  model::Evidence e;
  e.page_url = ctx.url_text;
  e.via = "pattern:" + pack.info.id + "/" + rule_id;
  e.excerpt = CutUtf8(model::CollapseWhitespace(CutUtf8(excerpt, 4 * kExcerptBytes)), kExcerptBytes);
  e.machine_readable = machine_readable;
  e.visibility = Effective(vis, ctx.visibility);
  e.remediation = fix.ToString();
  return e;
}

void AddIdentity(Context& ctx, const std::string& kind, const std::string& value, model::Evidence ev) {
  if (value.empty() || !ctx.identity_seen.insert({kind, value}).second) return;
  ctx.facts->identity.push_back(model::IdentityFact{kind, value, std::move(ev)});
}

// An unsigned decimal number ("1573869600", "1573869600.5": the fraction
// dropped); nullopt for anything else or above 2^64.
std::optional<std::uint64_t> Decimal(std::string_view s) {
  if (auto dot = s.find('.'); dot != std::string_view::npos) s = s.substr(0, dot);
  if (s.empty() || s.size() > 20) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    std::uint64_t next = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (next / 10 != v) return std::nullopt;
    v = next;
  }
  return v;
}

// `value` read as `as`: an ISO 8601 UTC time for the time conversions
// ("" when it is not a number or lies outside 1970..9999).
std::string Convert(ValueAs as, const std::string& value) {
  if (as == ValueAs::kText) return value;
  auto n = Decimal(value);
  if (!n) return "";
  constexpr std::uint64_t kYear10000 = 253'402'300'800'000ULL;  // in milliseconds
  std::uint64_t ms = 0;
  switch (as) {
    case ValueAs::kEpoch:
      ms = *n > 100'000'000'000ULL ? *n : *n * 1000;
      break;
    case ValueAs::kEpochSeconds:
      ms = *n < kYear10000 / 1000 ? *n * 1000 : 0;
      break;
    case ValueAs::kEpochMillis:
      ms = *n;
      break;
    case ValueAs::kSnowflake:
      ms = *n >> 22;
      break;
    case ValueAs::kText:
      break;
  }
  if (ms == 0 || ms >= kYear10000) return "";
  return core::FormatIsoUtc(core::TimePoint(std::chrono::seconds(ms / 1000)));
}

// A field's raw text through its regex, rewrite and conversion; a URL
// member resolved against the page. nullopt when nothing is left.
std::optional<std::string> Finish(const Context& ctx, const Field& f, std::string raw) {
  raw = CutUtf8(raw, kMaxFieldTextBytes);
  std::string value;
  if (!f.regex) {
    value = std::move(raw);
  } else if (!f.rewrite.empty()) {
    if (!re2::RE2::Extract(raw, *f.regex, f.rewrite, &value)) return std::nullopt;
  } else if (f.regex->NumberOfCapturingGroups() >= 1) {
    if (!re2::RE2::PartialMatch(raw, *f.regex, &value)) return std::nullopt;
  } else {
    re2::StringPiece whole;
    if (!f.regex->Match(raw, 0, raw.size(), re2::RE2::UNANCHORED, &whole, 1)) return std::nullopt;
    value = std::string(whole.data(), whole.size());
  }
  value = model::CollapseWhitespace(Convert(f.as, model::CollapseWhitespace(value)));
  if (value.empty()) return std::nullopt;
  if (IsUrlMember(f.target)) {
    auto resolved = ctx.url.Resolve(value);
    if (!resolved.ok()) return std::nullopt;
    value = resolved.value().ToString();
  }
  return value;
}

// The text or attribute an HTML field takes from `item`, finished.
std::optional<std::string> HtmlFieldValue(const Context& ctx, const Field& f, NodeId item) {
  if (f.constant) return *f.constant;
  NodeId node = f.selector ? f.selector->SelectFirst(*ctx.dom, item) : item;
  if (node == model::kNoNode || node == ctx.dom->root()) {
    if (node == model::kNoNode || !f.attr.empty()) return std::nullopt;
  }
  if (f.attr.empty()) return Finish(ctx, f, ctx.dom->Text(node));
  const std::string* v = ctx.dom->Attr(node, f.attr);
  if (!v) return std::nullopt;
  return Finish(ctx, f, *v);
}

// Every text or attribute an HTML field reaches in `item`, finished; at
// most model::kMaxAttendees.
std::vector<std::string> HtmlFieldValues(const Context& ctx, const Field& f, NodeId item) {
  if (f.constant) return {*f.constant};
  std::vector<NodeId> nodes =
      f.selector ? f.selector->Select(*ctx.dom, item, model::kMaxAttendees) : std::vector<NodeId>{item};
  std::vector<std::string> out;
  for (NodeId node : nodes) {
    if (node == model::kNoNode) continue;
    std::optional<std::string> v;
    if (f.attr.empty()) {
      v = Finish(ctx, f, ctx.dom->Text(node));
    } else if (const std::string* a = ctx.dom->Attr(node, f.attr)) {
      v = Finish(ctx, f, *a);
    }
    if (v) out.push_back(std::move(*v));
  }
  return out;
}

// True iff the tag at html[at] ('<' ...) breaks the text: a block element
// or <br>, so "<p>a</p><p>b</p>" reads "a b" but "<span>ww</span>w" "www".
bool BreaksText(std::string_view html, std::size_t at) {
  std::size_t i = at + 1;
  if (i < html.size() && html[i] == '/') ++i;
  std::size_t j = i;
  while (j < html.size() && std::isalnum(static_cast<unsigned char>(html[j]))) ++j;
  const std::string name = core::AsciiLower(html.substr(i, j - i));
  static const std::set<std::string> kBreaks = {"p",  "br", "div", "li", "ul", "ol", "h1", "h2",
                                                "h3", "h4", "h5",  "h6", "tr", "td", "th", "blockquote"};
  return kBreaks.count(name) > 0;
}

// The text of an HTML fragment held in a JSON string (a Mastodon bio):
// tags dropped (block ends and <br> as spaces), character references decoded.
std::string FragmentText(std::string_view html) {
  std::string out;
  for (std::size_t i = 0; i < html.size();) {
    if (html[i] == '<') {
      std::size_t close = html.find('>', i);
      if (close == std::string_view::npos) break;
      if (BreaksText(html, i)) out += ' ';
      i = close + 1;
      continue;
    }
    if (std::size_t n = core::AppendHtmlReference(html, i, core::NoBreakSpace::kAsSpace, &out); n > 0) {
      i += n;
      continue;
    }
    out += html[i++];
  }
  return model::CollapseWhitespace(out);
}

// The text of one JSON node: a scalar as text, the first scalar of an
// array of scalars; "" for objects.
std::string NodeText(const Json& node) {
  if (!node.is_array()) return ScalarText(node);
  for (const Json& e : node) {
    if (!e.is_structured() && !e.is_null()) return ScalarText(e);
  }
  return "";
}

// The value a JSON field takes from `item`: its paths' values joined
// ("first" "last"), finished.
std::optional<std::string> JsonFieldValue(Context& ctx, const Field& f, const Json& item,
                                          const JsonVars& vars) {
  if (f.constant) return *f.constant;
  std::string raw;
  for (const JsonPath& path : f.paths) {
    const Json* node = path.SelectFirst(item, &ctx.json_budget, &vars);
    if (!node) continue;
    std::string text = NodeText(*node);
    if (f.html) text = FragmentText(text);
    if (text.empty()) continue;
    raw += (raw.empty() ? "" : f.join) + text;
  }
  if (raw.empty()) return std::nullopt;
  return Finish(ctx, f, std::move(raw));
}

// Every value a JSON field's paths reach in `item`, finished; at most
// model::kMaxAttendees.
std::vector<std::string> JsonFieldValues(Context& ctx, const Field& f, const Json& item,
                                         const JsonVars& vars) {
  if (f.constant) return {*f.constant};
  std::vector<std::string> out;
  for (const JsonPath& path : f.paths) {
    for (const Json* node : path.Select(item, model::kMaxAttendees, &ctx.json_budget, &vars)) {
      std::string text = NodeText(*node);
      if (f.html) text = FragmentText(text);
      if (text.empty()) continue;
      if (auto v = Finish(ctx, f, std::move(text))) out.push_back(std::move(*v));
      if (out.size() >= model::kMaxAttendees) return out;
    }
  }
  return out;
}

std::string Member(const std::vector<std::pair<std::string, std::string>>& m, const std::string& key) {
  for (const auto& [k, v] : m) {
    if (k == key) return v;
  }
  return "";
}

// Turns one item's object members into a contact, event or group fact.
void AddObject(Context& ctx, const std::string& object,
               const std::vector<std::pair<std::string, std::string>>& m, model::Evidence ev,
               const std::string& stated_at = "") {
  if (object == "contact") {
    model::Contact c{Member(m, "name"), Member(m, "url"), Member(m, "relation"), {}};
    if (c.name.empty() && c.url.empty()) return;
    if (c.relation.empty()) c.relation = "contact";
    c.evidence.push_back(std::move(ev));
    ctx.facts->contacts.push_back(std::move(c));
  } else if (object == "event") {
    model::Event e;
    e.name = Member(m, "name");
    e.start = Member(m, "start");
    e.end = Member(m, "end");
    e.location = Member(m, "location");
    e.url = Member(m, "url");
    e.role = Member(m, "role");
    e.stated_at = stated_at;
    for (const auto& [k, v] : m) {
      if (k == "attendee") e.attendees.push_back(model::Attendee{v, {}});
    }
    // An event known only by its place or its link is still an event.
    if (e.name.empty()) e.name = e.location;
    if (e.name.empty()) e.name = e.url;
    if (e.name.empty()) return;
    e.evidence.push_back(std::move(ev));
    ctx.facts->events.push_back(std::move(e));
  } else if (object == "group") {
    std::string name = Member(m, "name");
    std::string url = Member(m, "url");
    if (!url.empty()) ev.excerpt = CutUtf8(name.empty() ? url : name + " (" + url + ")", kExcerptBytes);
    AddIdentity(ctx, "group", name.empty() ? url : name, std::move(ev));
  }
}

// One item of a rule: its identity fields become facts, its other fields one
// object (the same object twice in one rule counts once). `value_of` gives
// a field's value for this item.
template <typename ValueOf, typename ValuesOf>
void EmitItem(Context& ctx, const Pack& pack, const Rule& rule, ValueOf value_of, ValuesOf values_of,
              std::set<std::string>* seen_objects) {
  const bool machine_readable = rule.json.has_value();
  std::vector<std::pair<std::string, std::string>> members;
  std::string excerpt;
  for (const Field& f : rule.fields) {
    if (f.takes == FieldTakes::kEvery) {
      for (std::string& v : values_of(f)) {
        excerpt += (excerpt.empty() ? "" : " ") + v;
        members.emplace_back(f.target.member, std::move(v));
      }
      continue;
    }
    auto v = value_of(f);
    if (!v) continue;
    if (f.target.object == "identity") {
      AddIdentity(ctx, f.target.member, *v,
                  MakeEvidence(ctx, pack, rule.id, rule.visibility, rule.remediation, *v, machine_readable));
    } else {
      if (!f.constant) excerpt += (excerpt.empty() ? "" : " ") + *v;
      members.emplace_back(f.target.member, std::move(*v));
    }
  }
  if (rule.object.empty() || members.empty()) return;
  // The same object twice (a profile linked from avatar and name) is one.
  std::string key;
  for (const auto& [k, v] : members) key += k + "\x1f" + v + "\x1e";
  if (!seen_objects->insert(key).second) return;
  AddObject(ctx, rule.object, members,
            MakeEvidence(ctx, pack, rule.id, rule.visibility, rule.remediation, excerpt, machine_readable));
}

void ApplyHtmlRule(Context& ctx, const Pack& pack, const Rule& rule) {
  std::vector<NodeId> items;
  if (rule.type == RuleType::kList) {
    items = rule.selector->Select(*ctx.dom, ctx.dom->root(), rule.max_items);
  } else {
    NodeId scope = rule.selector ? rule.selector->SelectFirst(*ctx.dom, ctx.dom->root()) : ctx.dom->root();
    if (scope == model::kNoNode) return;
    items.push_back(scope);
  }
  std::set<std::string> seen_objects;
  for (NodeId item : items) {
    EmitItem(
        ctx, pack, rule, [&](const Field& f) { return HtmlFieldValue(ctx, f, item); },
        [&](const Field& f) { return HtmlFieldValues(ctx, f, item); }, &seen_objects);
  }
}

// The page's JSON documents, found once per page on first use.
const std::vector<JsonDocument>& JsonDocsOf(Context& ctx) {
  if (!ctx.json_docs) {
    std::vector<std::string> warnings;
    if (!ctx.json_body.empty()) {
      ctx.json_docs = JsonBodyDocuments(ctx.json_body, {}, &warnings);
    } else if (ctx.dom) {
      ctx.json_docs = EmbeddedJsonDocuments(*ctx.dom, {}, &warnings);
    } else {
      ctx.json_docs.emplace();
    }
    for (auto& w : warnings) ctx.facts->warnings.push_back(std::move(w));
  }
  return *ctx.json_docs;
}

// The named groups of the first of `urls` that matches `url` ("slug" of
// "linkedin\\.com/in/(?P<slug>[^/]+)"): variables for JSON paths.
JsonVars UrlVariables(const std::vector<std::shared_ptr<const re2::RE2>>& urls, const std::string& url) {
  JsonVars vars;
  for (const auto& re : urls) {
    if (re->NamedCapturingGroups().empty()) continue;
    std::vector<re2::StringPiece> sub(static_cast<std::size_t>(re->NumberOfCapturingGroups()) + 1);
    if (!re->Match(url, 0, url.size(), re2::RE2::UNANCHORED, sub.data(), static_cast<int>(sub.size())))
      continue;
    for (const auto& [name, i] : re->NamedCapturingGroups()) {
      const re2::StringPiece& g = sub[static_cast<std::size_t>(i)];
      vars.emplace_back(name, std::string(g.data(), g.size()));
    }
    break;
  }
  return vars;
}

void ApplyJsonRule(Context& ctx, const Pack& pack, const Rule& rule) {
  std::set<std::string> seen_objects;
  std::size_t items_left = rule.type == RuleType::kList ? rule.max_items : 1;
  const JsonVars vars = UrlVariables(rule.urls.empty() ? pack.urls : rule.urls, ctx.url_text);
  for (const JsonDocument& doc : JsonDocsOf(ctx)) {
    if (items_left == 0 || ctx.json_budget.exhausted()) break;
    for (const Json* item : rule.json->Select(doc.value, items_left, &ctx.json_budget, &vars)) {
      --items_left;
      EmitItem(
          ctx, pack, rule, [&](const Field& f) { return JsonFieldValue(ctx, f, *item, vars); },
          [&](const Field& f) { return JsonFieldValues(ctx, f, *item, vars); }, &seen_objects);
    }
  }
  if (ctx.json_budget.exhausted() && !ctx.budget_warned) {
    ctx.budget_warned = true;
    ctx.facts->warnings.push_back("JSON rules stopped early: the page's JSON is larger than they may walk");
  }
}

// Adds a followed link unless it is the page itself, filtered out or seen.
bool AddLink(Context& ctx, const FollowRule& rule, std::string_view href) {
  auto resolved = ctx.url.Resolve(CutUtf8(href, 4096));
  if (!resolved.ok()) return false;
  std::string u = resolved.value().ToString();
  if (u == ctx.url_text) return false;
  if (rule.url_filter && !re2::RE2::PartialMatch(u, *rule.url_filter)) return false;
  if (!ctx.links_seen.insert(rule.kind + " " + u).second) return false;
  ctx.facts->links.push_back(model::Link{u, rule.kind, rule.accept});
  return true;
}

void ApplyFollow(Context& ctx, const FollowRule& rule) {
  if (!UrlAllowed(rule.urls, ctx.url_text)) return;
  std::size_t added = 0;
  if (rule.json) {
    for (const JsonDocument& doc : JsonDocsOf(ctx)) {
      for (const Json* node : rule.json->Select(doc.value, kMaxItemsCap, &ctx.json_budget)) {
        if (node->is_string() && AddLink(ctx, rule, node->get_ref<const std::string&>()) &&
            ++added >= rule.max_links) {
          return;
        }
      }
    }
    return;
  }
  if (!ctx.dom) return;
  for (NodeId n : rule.selector.Select(*ctx.dom, ctx.dom->root(), kMaxItemsCap)) {
    const std::string* href = ctx.dom->Attr(n, rule.attr);
    if (href && AddLink(ctx, rule, *href) && ++added >= rule.max_links) break;
  }
}

// The page's visible text and its posts, made once per page on first use.
const std::string& TextOf(Context& ctx) {
  if (!ctx.visible_text) {
    ctx.visible_text = VisibleText(*ctx.dom, kMaxVisibleTextBytes, &ctx.posts, &ctx.declared_posts);
  }
  return *ctx.visible_text;
}

// What names the innermost post holding `offset`: the first sentence (or
// line) of its title, else of its text, at most 120 bytes.
std::string PostTitle(const Context& ctx, std::size_t offset) {
  const PostSpan* post = InnermostPost(ctx.posts, offset);
  if (!post || !ctx.visible_text) return "";
  std::string_view text = post->title;
  if (text.empty()) text = std::string_view(*ctx.visible_text).substr(post->begin, post->end - post->begin);
  std::size_t end = text.find('\n');
  for (std::string_view stop : {". ", "! ", "? "}) {
    std::size_t at = text.find(stop, 10);
    if (at != std::string_view::npos && at < end) end = at + 1;
  }
  return CutUtf8(model::CollapseWhitespace(text.substr(0, end)), 120);
}

void ApplyText(Context& ctx, const Pack& pack, const TextRule& rule) {
  for (auto& m : MatchText(rule, TextOf(ctx))) {
    std::string published = PublishedAt(ctx.posts, m.offset);
    if (rule.within_post && published.empty()) continue;
    model::Evidence ev = MakeEvidence(ctx, pack, rule.id, rule.visibility, rule.remediation, m.excerpt);
    if (rule.target.object == "identity") {
      AddIdentity(ctx, rule.target.member, m.value, std::move(ev));
      continue;
    }
    if (rule.within_post && Member(m.members, "name").empty()) {
      if (std::string title = PostTitle(ctx, m.offset); !title.empty()) m.members.emplace_back("name", title);
    }
    // A plan's "morgen" counts from the day the post saying it was published.
    AddObject(ctx, rule.target.object, m.members, std::move(ev), published);
  }
}

void ApplyPackTo(Context& ctx, const Pack& pack) {
  for (const auto& r : pack.rules) {
    if (!UrlAllowed(r.urls, ctx.url_text)) continue;
    if (r.json) {
      ApplyJsonRule(ctx, pack, r);
    } else if (ctx.dom) {
      ApplyHtmlRule(ctx, pack, r);
    }
  }
  for (const auto& f : pack.follow) ApplyFollow(ctx, f);
  if (pack.text_rules.empty() || !ctx.dom) return;
  auto matching = pack.text_filter ? pack.text_filter->Matching(TextOf(ctx)) : std::nullopt;
  if (!matching) {
    for (const auto& t : pack.text_rules) ApplyText(ctx, pack, t);
    return;
  }
  // One pass over the text found the rules that match; run only those.
  for (int i : *matching) ApplyText(ctx, pack, pack.text_rules[static_cast<std::size_t>(i)]);
}

// The posts the packs declare on this page, with their dates, for the
// visible text (before any text rule reads it).
void DeclarePosts(Context& ctx, const std::vector<const Pack*>& packs) {
  if (!ctx.dom) return;
  for (const Pack* pack : packs) {
    for (const PostRule& rule : pack->posts) {
      if (!UrlAllowed(rule.urls, ctx.url_text)) continue;
      for (NodeId post : rule.selector.Select(*ctx.dom, ctx.dom->root(), kMaxItemsCap)) {
        auto date = HtmlFieldValue(ctx, rule.published, post);
        if (!date) continue;
        std::optional<std::string> title = rule.title ? HtmlFieldValue(ctx, *rule.title, post) : std::nullopt;
        ctx.declared_posts.emplace(post, DeclaredPost{std::move(*date), title.value_or("")});
      }
    }
  }
}

// A postal address that a pattern read in a page's text, where the same
// page names it as an event's venue, is the venue's address, not the
// person's (a Meetup event page, a conference listing).
void DropVenueAddresses(model::PageFacts* facts) {
  if (facts->events.empty()) return;
  auto is_venue = [&](const model::IdentityFact& f) {
    if (f.kind != "address" || f.evidence.machine_readable || f.evidence.via.rfind("pattern:", 0) != 0)
      return false;
    std::string value = model::CollapseWhitespace(f.value);
    return !value.empty() &&
           std::any_of(facts->events.begin(), facts->events.end(), [&](const model::Event& e) {
             return model::CollapseWhitespace(e.location).find(value) != std::string::npos;
           });
  };
  std::erase_if(facts->identity, is_venue);
}

bool HasSiteRules(const Pack& p) { return !p.rules.empty() || !p.follow.empty(); }

}  // namespace

std::string PackError::ToString() const {
  // I/O errors already lead with the path (core::ReadFile); say it once.
  std::string_view msg = message;
  if (msg.rfind(file + ": ", 0) == 0) msg.remove_prefix(file.size() + 2);
  std::string where = line > 0 ? file + ":" + std::to_string(line) : file;
  return where + ": " + std::string(msg);
}

struct PatternSet::Impl {
  std::vector<std::shared_ptr<const Pack>> packs;  // sorted by id
};

PatternSet::PatternSet() : impl_(std::make_unique<Impl>()) {}
PatternSet::~PatternSet() = default;
PatternSet::PatternSet(PatternSet&&) noexcept = default;
PatternSet& PatternSet::operator=(PatternSet&&) noexcept = default;

std::vector<std::string> BuiltinPackPaths() {
  std::vector<std::string> out;
  for (const auto& path : core::ListResources("patterns/")) {
    std::string_view rest = std::string_view(path).substr(9);
    if (rest.find('/') != std::string_view::npos) continue;  // samples/...
    if (rest.size() < 6 || rest.substr(rest.size() - 5) != ".json") continue;
    if (rest.find(".schema.") != std::string_view::npos) continue;
    out.push_back(path);
  }
  return out;
}

std::vector<std::string> UserPackPaths(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) return out;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto& p = it->path();
    if (p.extension() == ".json" && p.filename().string().find(".schema.") == std::string::npos &&
        it->is_regular_file(ec)) {
      out.push_back(p.string());
    }
    if (out.size() >= 1000) break;
  }
  std::sort(out.begin(), out.end());
  return out;
}

PatternSet PatternSet::Load(const std::string& user_dir, std::vector<PackError>* errors) {
  PatternSet set;
  for (const auto& path : BuiltinPackPaths()) {
    auto text = core::FindResource(path);
    if (text) (void)set.AddPack(std::string(*text), path, "built-in", errors);
  }
  for (const auto& path : UserPackPaths(user_dir)) {
    auto text = core::ReadFile(path, kMaxPackBytes);
    if (!text.ok()) {
      if (errors) errors->push_back({path, 0, text.error().message});
      continue;
    }
    (void)set.AddPack(text.value(), path, path, errors);
  }
  // Compiling the text rules (their Unicode classes, the one RE2::Set over
  // all of a pack's rules) needs about four times the memory the compiled
  // programs keep; give the freed rest back rather than carry it through
  // the scan (the extraction threads allocate from arenas of their own).
  core::ReleaseFreeMemory();
  return set;
}

core::Status PatternSet::AddPack(const std::string& json_text, const std::string& file,
                                 const std::string& source, std::vector<PackError>* errors) {
  auto pack = ParsePack(json_text, file, source, errors);
  if (!pack.ok()) return pack.error();
  auto p = std::const_pointer_cast<Pack>(pack.value());
  p->info.file = file;
  auto& packs = impl_->packs;
  auto it = std::find_if(packs.begin(), packs.end(), [&](const auto& q) { return q->info.id == p->info.id; });
  if (it != packs.end()) {
    *it = p;  // a later pack (the user's) replaces one of the same id
  } else {
    packs.push_back(p);
    std::sort(packs.begin(), packs.end(),
              [](const auto& a, const auto& b) { return a->info.id < b->info.id; });
  }
  return {};
}

std::vector<PackInfo> PatternSet::Packs() const {
  std::vector<PackInfo> out;
  for (const auto& p : impl_->packs) out.push_back(p->info);
  return out;
}

std::map<std::string, std::string, std::less<>> PatternSet::RemediationTexts(core::Language lang) const {
  std::map<std::string, std::string, std::less<>> out;
  if (lang == core::Language::kEnglish) return out;
  auto add = [&](const Remediation& fix) {
    if (auto text = fix.ToString(lang)) out.emplace(fix.ToString(), std::move(*text));
  };
  for (const auto& p : impl_->packs) {
    for (const Rule& r : p->rules) add(r.remediation);
    for (const TextRule& t : p->text_rules) add(t.remediation);
  }
  return out;
}

std::shared_ptr<const Pack> PatternSet::Find(const std::string& id) const {
  for (const auto& p : impl_->packs) {
    if (p->info.id == id) return p;
  }
  return nullptr;
}

namespace {

// The packs that apply to `url`: those whose URL patterns match, but a
// fallback pack (the generic homepage pack) only when no site pack does.
std::vector<const Pack*> ApplicablePacks(const std::vector<std::shared_ptr<const Pack>>& packs,
                                         const std::string& url) {
  bool site_matched = std::any_of(packs.begin(), packs.end(), [&](const auto& p) {
    return !p->fallback && HasSiteRules(*p) && p->AppliesTo(url);
  });
  std::vector<const Pack*> out;
  for (const auto& p : packs) {
    if ((!p->fallback || !site_matched) && p->AppliesTo(url)) out.push_back(p.get());
  }
  return out;
}

}  // namespace

void PatternSet::Apply(const Dom& dom, const core::Url& url, model::Visibility visibility,
                       model::PageFacts* facts) const {
  Apply(PageView{url, visibility, &dom, {}}, facts);
}

void PatternSet::Apply(const PageView& page, model::PageFacts* facts) const {
  Context ctx(page, facts);
  std::vector<const Pack*> packs = ApplicablePacks(impl_->packs, ctx.url_text);
  DeclarePosts(ctx, packs);
  for (const Pack* p : packs) ApplyPackTo(ctx, *p);
  DropVenueAddresses(facts);
}

WallVerdict PatternSet::DetectWall(const WallCheck& page) const {
  for (const auto& p : impl_->packs) {
    if (p->walls.empty() ||
        !(p->AppliesTo(page.url) || (!page.final_url.empty() && p->AppliesTo(page.final_url)))) {
      continue;
    }
    if (auto verdict = PackWall(*p, page)) return *verdict;
  }
  return GenericWall(page);
}

bool PatternSet::ApplyPack(const std::string& id, const Dom& dom, const core::Url& url,
                           model::Visibility visibility, model::PageFacts* facts) const {
  return ApplyPack(id, PageView{url, visibility, &dom, {}}, facts);
}

bool PatternSet::ApplyPack(const std::string& id, const PageView& page, model::PageFacts* facts) const {
  auto p = Find(id);
  if (!p) return false;
  Context ctx(page, facts);
  DeclarePosts(ctx, {p.get()});
  ApplyPackTo(ctx, *p);
  return true;
}

}  // namespace telescreen::patterns
