#include "patterns/pattern_set.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "core/file.h"
#include "core/resources.h"
#include "patterns/pack.h"
#include "patterns/text_rules.h"

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

// Everything one Apply call shares: the page, where facts go, and the
// page's visible text (computed once, only if a text rule needs it).
struct Context {
  const Dom& dom;
  const core::Url& url;
  std::string url_text;
  model::Visibility visibility;
  model::PageFacts* facts;
  std::set<std::pair<std::string, std::string>> identity_seen;
  std::set<std::string> links_seen;
  std::optional<std::string> visible_text;
  std::vector<PostSpan> posts;  // of visible_text
};

model::Evidence MakeEvidence(const Context& ctx, const Pack& pack, const std::string& rule_id,
                             RuleVisibility vis, const Remediation& fix, std::string_view excerpt) {
  model::Evidence e;
  e.page_url = ctx.url_text;
  e.via = "pattern:" + pack.info.id + "/" + rule_id;
  e.excerpt = CutUtf8(model::CollapseWhitespace(CutUtf8(excerpt, 4 * kExcerptBytes)), kExcerptBytes);
  e.visibility = Effective(vis, ctx.visibility);
  e.remediation = fix.ToString();
  return e;
}

void AddIdentity(Context& ctx, const std::string& kind, const std::string& value, model::Evidence ev) {
  if (value.empty() || !ctx.identity_seen.insert({kind, value}).second) return;
  ctx.facts->identity.push_back(model::IdentityFact{kind, value, std::move(ev)});
}

// The text or attribute a field takes from `item`, through its regex.
std::optional<std::string> FieldValue(const Context& ctx, const Field& f, NodeId item) {
  if (f.constant) return *f.constant;
  NodeId node = f.selector ? f.selector->SelectFirst(ctx.dom, item) : item;
  if (node == model::kNoNode || node == ctx.dom.root()) {
    if (node == model::kNoNode || !f.attr.empty()) return std::nullopt;
  }
  std::string raw;
  if (f.attr.empty()) {
    raw = ctx.dom.Text(node);
  } else {
    const std::string* v = ctx.dom.Attr(node, f.attr);
    if (!v) return std::nullopt;
    raw = *v;
  }
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
  value = model::CollapseWhitespace(value);
  if (value.empty()) return std::nullopt;
  if (IsUrlMember(f.target)) {
    auto resolved = ctx.url.Resolve(value);
    if (!resolved.ok()) return std::nullopt;
    value = resolved.value().ToString();
  }
  return value;
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
               std::string stated_at = "") {
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
    e.stated_at = std::move(stated_at);
    if (e.name.empty()) e.name = e.location;
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

void ApplyRule(Context& ctx, const Pack& pack, const Rule& rule) {
  if (!rule.urls.empty() && std::none_of(rule.urls.begin(), rule.urls.end(), [&](const auto& re) {
        return re2::RE2::PartialMatch(ctx.url_text, *re);
      })) {
    return;
  }
  std::vector<NodeId> items;
  if (rule.list) {
    items = rule.selector->Select(ctx.dom, ctx.dom.root(), rule.max_items);
  } else {
    NodeId scope = rule.selector ? rule.selector->SelectFirst(ctx.dom, ctx.dom.root()) : ctx.dom.root();
    if (scope == model::kNoNode) return;
    items.push_back(scope);
  }
  std::set<std::string> seen_objects;
  for (NodeId item : items) {
    std::vector<std::pair<std::string, std::string>> members;
    std::string excerpt;
    for (const Field& f : rule.fields) {
      auto v = FieldValue(ctx, f, item);
      if (!v) continue;
      if (f.target.object == "identity") {
        AddIdentity(ctx, f.target.member, *v,
                    MakeEvidence(ctx, pack, rule.id, rule.visibility, rule.remediation, *v));
      } else {
        if (!f.constant) excerpt += (excerpt.empty() ? "" : " ") + *v;
        members.emplace_back(f.target.member, std::move(*v));
      }
    }
    if (rule.object.empty() || members.empty()) continue;
    // The same object twice in one list (a profile linked from avatar and
    // name) is one finding.
    std::string key;
    for (const auto& [k, v] : members) key += k + "\x1f" + v + "\x1e";
    if (!seen_objects.insert(key).second) continue;
    AddObject(ctx, rule.object, members,
              MakeEvidence(ctx, pack, rule.id, rule.visibility, rule.remediation, excerpt));
  }
}

void ApplyFollow(Context& ctx, const FollowRule& rule) {
  if (!rule.urls.empty() && std::none_of(rule.urls.begin(), rule.urls.end(), [&](const auto& re) {
        return re2::RE2::PartialMatch(ctx.url_text, *re);
      })) {
    return;
  }
  std::size_t added = 0;
  for (NodeId n : rule.selector.Select(ctx.dom, ctx.dom.root(), kMaxItemsCap)) {
    const std::string* href = ctx.dom.Attr(n, rule.attr);
    if (!href) continue;
    auto resolved = ctx.url.Resolve(CutUtf8(*href, 4096));
    if (!resolved.ok()) continue;
    std::string u = resolved.value().ToString();
    if (u == ctx.url_text) continue;
    if (rule.url_filter && !re2::RE2::PartialMatch(u, *rule.url_filter)) continue;
    if (!ctx.links_seen.insert(rule.kind + " " + u).second) continue;
    ctx.facts->links.push_back(model::Link{u, rule.kind});
    if (++added >= rule.max_links) break;
  }
}

// The page's visible text and its posts, made once per page on first use.
const std::string& TextOf(Context& ctx) {
  if (!ctx.visible_text) ctx.visible_text = VisibleText(ctx.dom, kMaxVisibleTextBytes, &ctx.posts);
  return *ctx.visible_text;
}

void ApplyText(Context& ctx, const Pack& pack, const TextRule& rule) {
  for (const auto& m : MatchText(rule, TextOf(ctx))) {
    model::Evidence ev = MakeEvidence(ctx, pack, rule.id, rule.visibility, rule.remediation, m.excerpt);
    if (rule.target.object == "identity") {
      AddIdentity(ctx, rule.target.member, m.value, std::move(ev));
    } else {
      // A plan's "morgen" counts from the day the post saying it was published.
      AddObject(ctx, rule.target.object, m.members, std::move(ev), PublishedAt(ctx.posts, m.offset));
    }
  }
}

void ApplyPackTo(Context& ctx, const Pack& pack) {
  for (const auto& r : pack.rules) ApplyRule(ctx, pack, r);
  for (const auto& f : pack.follow) ApplyFollow(ctx, f);
  if (pack.text_rules.empty()) return;
  auto matching = pack.text_filter ? pack.text_filter->Matching(TextOf(ctx)) : std::nullopt;
  if (!matching) {
    for (const auto& t : pack.text_rules) ApplyText(ctx, pack, t);
    return;
  }
  // One pass over the text found the rules that match; run only those.
  for (int i : *matching) ApplyText(ctx, pack, pack.text_rules[static_cast<std::size_t>(i)]);
}

// A postal address that a pattern read in a page's text, where the same
// page names it as an event's venue, is the venue's address, not the
// person's (a Meetup event page, a conference listing).
void DropVenueAddresses(model::PageFacts* facts) {
  if (facts->events.empty()) return;
  auto is_venue = [&](const model::IdentityFact& f) {
    if (f.kind != "address" || f.evidence.machine_readable || f.evidence.via.rfind("pattern:", 0) != 0) return false;
    std::string value = model::CollapseWhitespace(f.value);
    return !value.empty() && std::any_of(facts->events.begin(), facts->events.end(), [&](const model::Event& e) {
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

std::string DefaultUserDir() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg == '/') return std::string(xdg) + "/telescreen/patterns";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.config/telescreen/patterns";
  return "";
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
    std::sort(packs.begin(), packs.end(), [](const auto& a, const auto& b) { return a->info.id < b->info.id; });
  }
  return {};
}

std::vector<PackInfo> PatternSet::Packs() const {
  std::vector<PackInfo> out;
  for (const auto& p : impl_->packs) out.push_back(p->info);
  return out;
}

std::shared_ptr<const Pack> PatternSet::Find(const std::string& id) const {
  for (const auto& p : impl_->packs) {
    if (p->info.id == id) return p;
  }
  return nullptr;
}

void PatternSet::Apply(const Dom& dom, const core::Url& url, model::Visibility visibility,
                       model::PageFacts* facts) const {
  Context ctx{dom, url, url.ToString(), visibility, facts, {}, {}, {}};
  bool site_matched = false;
  for (const auto& p : impl_->packs) {
    if (!p->fallback && HasSiteRules(*p) && p->AppliesTo(ctx.url_text)) site_matched = true;
  }
  for (const auto& p : impl_->packs) {
    if (p->fallback && site_matched) continue;
    if (p->AppliesTo(ctx.url_text)) ApplyPackTo(ctx, *p);
  }
  DropVenueAddresses(facts);
}

bool PatternSet::ApplyPack(const std::string& id, const Dom& dom, const core::Url& url,
                           model::Visibility visibility, model::PageFacts* facts) const {
  auto p = Find(id);
  if (!p) return false;
  Context ctx{dom, url, url.ToString(), visibility, facts, {}, {}, {}};
  ApplyPackTo(ctx, *p);
  return true;
}

}  // namespace telescreen::patterns
