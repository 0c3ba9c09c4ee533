// Microformats2 parsing (https://microformats.org/wiki/microformats2-parsing)
// into plain structs (microformats_internal.h), and from those the
// canonical JSON; microformats_facts.cc maps the structs to facts.
#include "extract/microformats.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "core/text.h"
#include "extract/microdata.h"
#include "extract/microformats_internal.h"
#include "extract/schema_org.h"

namespace telescreen::extract {
namespace {

using json = nlohmann::json;
using model::Dom;
using model::NodeId;

constexpr int kMaxItemDepth = 50;  // nested microformats deeper are read as plain elements

// ---- class names ---------------------------------------------------------

using core::Tokens;

// The name after the prefix: ([a-z0-9]+-)?[a-z]+(-[a-z]+)* (a vendor
// prefix may hold digits; the name itself only letters).
bool ValidName(std::string_view n) {
  auto letters = [](std::string_view seg) {
    return !seg.empty() && std::all_of(seg.begin(), seg.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  };
  const bool several = n.find('-') != std::string_view::npos;
  std::size_t start = 0;
  for (bool first = true;; first = false) {
    std::size_t dash = n.find('-', start);
    std::string_view seg =
        n.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start);
    bool vendor = first && several && !seg.empty() && std::all_of(seg.begin(), seg.end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                  });
    if (!letters(seg) && !vendor) return false;
    if (dash == std::string_view::npos) return true;
    start = dash + 1;
  }
}

struct Classes {
  std::vector<std::string> roots;       // "h-card"
  std::vector<std::string> properties;  // "p-name", "u-url", ...
  Tokens all;                           // every class token
};

void AddUnique(std::vector<std::string>& v, std::string s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

Classes ReadClasses(const Dom& dom, NodeId id) {
  Classes c;
  const std::string* cls = dom.Attr(id, "class");
  if (!cls) return c;
  c.all = Tokens(*cls);
  for (std::string_view t : c.all) {
    if (t.starts_with("h-") && ValidName(t.substr(2))) AddUnique(c.roots, std::string(t));
    for (std::string_view prefix : {"p-", "u-", "dt-", "e-"}) {
      if (t.starts_with(prefix) && ValidName(t.substr(prefix.size()))) {
        AddUnique(c.properties, std::string(t));
      }
    }
  }
  std::sort(c.roots.begin(), c.roots.end());
  return c;
}

// ---- mf1 back-compat tables ----------------------------------------------

struct Mf1Property {
  std::string_view root;  // mf2 root type it applies in
  std::string_view mf1;
  std::string_view mf2;
};
constexpr Mf1Property kMf1Properties[] = {
    {"h-card", "fn", "p-name"},
    {"h-card", "honorific-prefix", "p-honorific-prefix"},
    {"h-card", "given-name", "p-given-name"},
    {"h-card", "additional-name", "p-additional-name"},
    {"h-card", "family-name", "p-family-name"},
    {"h-card", "honorific-suffix", "p-honorific-suffix"},
    {"h-card", "nickname", "p-nickname"},
    {"h-card", "email", "u-email"},
    {"h-card", "logo", "u-logo"},
    {"h-card", "photo", "u-photo"},
    {"h-card", "url", "u-url"},
    {"h-card", "uid", "u-uid"},
    {"h-card", "category", "p-category"},
    {"h-card", "adr", "p-adr"},
    {"h-card", "extended-address", "p-extended-address"},
    {"h-card", "street-address", "p-street-address"},
    {"h-card", "locality", "p-locality"},
    {"h-card", "region", "p-region"},
    {"h-card", "postal-code", "p-postal-code"},
    {"h-card", "country-name", "p-country-name"},
    {"h-card", "label", "p-label"},
    {"h-card", "geo", "p-geo"},
    {"h-card", "latitude", "p-latitude"},
    {"h-card", "longitude", "p-longitude"},
    {"h-card", "tel", "p-tel"},
    {"h-card", "note", "p-note"},
    {"h-card", "bday", "dt-bday"},
    {"h-card", "key", "u-key"},
    {"h-card", "org", "p-org"},
    {"h-card", "organization-name", "p-organization-name"},
    {"h-card", "organization-unit", "p-organization-unit"},
    {"h-card", "title", "p-job-title"},
    {"h-card", "role", "p-role"},
    {"h-card", "tz", "p-tz"},
    {"h-card", "rev", "dt-rev"},
    {"h-card", "sound", "u-sound"},
    {"h-card", "agent", "p-agent"},
    {"h-card", "sort-string", "p-sort-string"},
    {"h-event", "summary", "p-name"},
    {"h-event", "dtstart", "dt-start"},
    {"h-event", "dtend", "dt-end"},
    {"h-event", "duration", "dt-duration"},
    {"h-event", "description", "p-description"},
    {"h-event", "url", "u-url"},
    {"h-event", "category", "p-category"},
    {"h-event", "location", "p-location"},
    {"h-event", "geo", "p-location"},
    {"h-event", "attendee", "p-attendee"},
    {"h-event", "contact", "p-contact"},
    {"h-event", "organizer", "p-organizer"},
    {"h-entry", "entry-title", "p-name"},
    {"h-entry", "entry-summary", "p-summary"},
    {"h-entry", "entry-content", "e-content"},
    {"h-entry", "published", "dt-published"},
    {"h-entry", "updated", "dt-updated"},
    {"h-entry", "author", "p-author"},
    {"h-entry", "category", "p-category"},
    {"h-entry", "geo", "p-geo"},
    {"h-entry", "latitude", "p-latitude"},
    {"h-entry", "longitude", "p-longitude"},
    {"h-news", "entry-title", "p-name"},
    {"h-news", "entry-summary", "p-summary"},
    {"h-news", "entry-content", "e-content"},
    {"h-news", "published", "dt-published"},
    {"h-news", "updated", "dt-updated"},
    {"h-news", "author", "p-author"},
    {"h-news", "dateline", "p-dateline"},
    {"h-news", "source-org", "p-source-org"},
    {"h-feed", "author", "p-author"},
    {"h-feed", "photo", "u-photo"},
    {"h-feed", "url", "u-url"},
    {"h-feed", "category", "p-category"},
    {"h-adr", "post-office-box", "p-post-office-box"},
    {"h-adr", "extended-address", "p-extended-address"},
    {"h-adr", "street-address", "p-street-address"},
    {"h-adr", "locality", "p-locality"},
    {"h-adr", "region", "p-region"},
    {"h-adr", "postal-code", "p-postal-code"},
    {"h-adr", "country-name", "p-country-name"},
    {"h-geo", "latitude", "p-latitude"},
    {"h-geo", "longitude", "p-longitude"},
    {"h-review", "summary", "p-name"},
    {"h-review", "item", "p-item"},
    {"h-review", "reviewer", "p-author"},
    {"h-review", "dtreviewed", "dt-published"},
    {"h-review", "rating", "p-rating"},
    {"h-review", "best", "p-best"},
    {"h-review", "worst", "p-worst"},
    {"h-review", "description", "e-content"},
    {"h-product", "fn", "p-name"},
    {"h-product", "photo", "u-photo"},
    {"h-product", "brand", "p-brand"},
    {"h-product", "category", "p-category"},
    {"h-product", "description", "p-description"},
    {"h-product", "url", "u-url"},
    {"h-product", "price", "p-price"},
    {"h-product", "review", "p-review"},
    {"h-review-aggregate", "summary", "p-name"},
    {"h-review-aggregate", "item", "p-item"},
    {"h-review-aggregate", "rating", "p-rating"},
    {"h-review-aggregate", "count", "p-count"},
    {"h-review-aggregate", "votes", "p-votes"},
    {"h-review-aggregate", "best", "p-best"},
    {"h-review-aggregate", "worst", "p-worst"},
    {"h-resume", "summary", "p-summary"},
    {"h-resume", "contact", "p-contact"},
    {"h-resume", "education", "p-education"},
    {"h-resume", "experience", "p-experience"},
    {"h-resume", "skill", "p-skill"},
    {"h-resume", "affiliation", "p-affiliation"},
    {"h-recipe", "fn", "p-name"},
    {"h-recipe", "ingredient", "p-ingredient"},
    {"h-recipe", "yield", "p-yield"},
    {"h-recipe", "instructions", "e-instructions"},
    {"h-recipe", "duration", "dt-duration"},
    {"h-recipe", "photo", "u-photo"},
    {"h-recipe", "summary", "p-summary"},
    {"h-recipe", "author", "p-author"},
};

std::vector<std::string> Mf1Roots(const Classes& c) {
  std::vector<std::string> out;
  for (std::string_view t : c.all) {
    if (std::string_view mf2 = Mf2TypeOfMf1Root(t); !mf2.empty()) AddUnique(out, std::string(mf2));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// mf2 property names the mf1 classes of an element mean inside roots of
// `types` (the back-compat types of the enclosing item).
std::vector<std::string> Mf1Properties(const Dom& dom, NodeId id, const Classes& c,
                                       const std::vector<std::string>& types) {
  std::vector<std::string> out;
  for (std::string_view t : c.all) {
    for (const auto& p : kMf1Properties) {
      if (t != p.mf1) continue;
      if (std::find(types.begin(), types.end(), p.root) != types.end()) {
        AddUnique(out, std::string(p.mf2));
      }
    }
  }
  // rel=bookmark is the permalink and rel=tag a category in hentry.
  auto has = [&](std::string_view t) { return std::find(types.begin(), types.end(), t) != types.end(); };
  if (has("h-entry") || has("h-review") || has("h-news")) {
    if (dom.HasToken(id, "rel", "bookmark")) AddUnique(out, "u-url");
  }
  if (has("h-entry") && dom.HasToken(id, "rel", "tag")) AddUnique(out, "p-category");
  return out;
}

// ---- text ----------------------------------------------------------------

bool IsSkipped(const std::string& tag) { return tag == "script" || tag == "style" || tag == "template"; }

// textContent without script/style; <img> replaced by its alt when
// `img_alt`. Whitespace collapsed and trimmed.
// Appends text to `out` with runs of ASCII whitespace collapsed to one
// space and none at either end (model::CollapseWhitespace, piece by piece:
// a space is only written before the next non-space).
class CollapsedText {
 public:
  void Append(std::string_view text) {
    for (char c : text) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        space_ = !out_.empty();
      } else {
        if (space_) out_ += ' ';
        space_ = false;
        out_ += c;
      }
    }
  }
  std::string Finish() { return std::move(out_); }

 private:
  std::string out_;
  bool space_ = false;
};

std::string TextContent(const Dom& dom, NodeId id, bool img_alt) {
  CollapsedText out;
  const auto& root = dom.node(id);
  // Most property elements hold text only: no stack needed. (An <img>
  // stands for its alt, below.)
  if (!(img_alt && root.tag == "img") &&
      std::all_of(root.children.begin(), root.children.end(),
                  [&](NodeId c) { return dom.node(c).kind == model::NodeKind::kText; })) {
    if (root.kind == model::NodeKind::kText) out.Append(root.text);
    for (NodeId c : root.children) out.Append(dom.node(c).text);
    return out.Finish();
  }
  std::vector<NodeId> stack = {id};
  while (!stack.empty()) {
    NodeId n = stack.back();
    stack.pop_back();
    const auto& node = dom.node(n);
    if (node.kind == model::NodeKind::kText) {
      out.Append(node.text);
      continue;
    }
    if (n != id && IsSkipped(node.tag)) continue;
    if (img_alt && node.tag == "img") {
      if (const std::string* alt = dom.Attr(n, "alt")) {
        out.Append(" ");
        out.Append(*alt);
        out.Append(" ");
      }
      continue;
    }
    for (auto it = node.children.rbegin(); it != node.children.rend(); ++it) stack.push_back(*it);
  }
  return out.Finish();
}

bool IsVoid(const std::string& tag) {
  static constexpr std::string_view kVoid[] = {"area",  "base", "br",   "col",   "embed",  "hr",    "img",
                                               "input", "link", "meta", "param", "source", "track", "wbr"};
  return std::find(std::begin(kVoid), std::end(kVoid), tag) != std::end(kVoid);
}

void AppendEscaped(std::string& out, std::string_view text, bool attribute) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += attribute ? "<" : "&lt;";
        break;
      case '>':
        out += attribute ? ">" : "&gt;";
        break;
      case '"':
        out += attribute ? "&quot;" : "\"";
        break;
      default:
        out.push_back(c);
    }
  }
}

// innerHTML of `id`, serialised with an explicit stack.
std::string InnerHtml(const Dom& dom, NodeId id) {
  std::string out;
  // A negative entry -(n+1) closes element n.
  std::vector<NodeId> stack;
  const auto& kids = dom.node(id).children;
  for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back(*it);
  while (!stack.empty()) {
    NodeId n = stack.back();
    stack.pop_back();
    if (n < 0) {
      out += "</" + dom.node(-n - 1).tag + ">";
      continue;
    }
    const auto& node = dom.node(n);
    if (node.kind == model::NodeKind::kText) {
      const auto& parent = dom.node(node.parent);
      if (parent.tag == "script" || parent.tag == "style")
        out += node.text;
      else
        AppendEscaped(out, node.text, false);
      continue;
    }
    out += "<" + node.tag;
    for (const auto& [name, value] : node.attributes) {
      out += " " + name + "=\"";
      AppendEscaped(out, value, true);
      out += "\"";
    }
    out += ">";
    if (IsVoid(node.tag)) continue;
    stack.push_back(-n - 1);
    for (auto it = node.children.rbegin(); it != node.children.rend(); ++it) stack.push_back(*it);
  }
  return std::string(core::Trim(out));
}

// Element children; <template> contents are inert and never parsed.
std::vector<NodeId> ElementChildren(const Dom& dom, NodeId id) {
  std::vector<NodeId> out;
  for (NodeId c : dom.node(id).children) {
    const auto& n = dom.node(c);
    if (n.kind == model::NodeKind::kElement && n.tag != "template") out.push_back(c);
  }
  return out;
}

// Pushes the element children of `id` onto `stack` last first, so they pop
// in document order (as ElementChildren reversed, without a temporary).
void PushElementChildren(const Dom& dom, NodeId id, std::vector<NodeId>& stack) {
  const auto& kids = dom.node(id).children;
  for (auto it = kids.rbegin(); it != kids.rend(); ++it) {
    const auto& n = dom.node(*it);
    if (n.kind == model::NodeKind::kElement && n.tag != "template") stack.push_back(*it);
  }
}

bool HasRoot(const Dom& dom, NodeId id) { return !ReadClasses(dom, id).roots.empty(); }

// ---- dates (value-class pattern) -----------------------------------------

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsDate(std::string_view s) {  // YYYY-MM-DD or YYYY-DDD
  return (s.size() == 10 && AllDigits(s.substr(0, 4)) && s[4] == '-' && AllDigits(s.substr(5, 2)) &&
          s[7] == '-' && AllDigits(s.substr(8, 2))) ||
         (s.size() == 8 && AllDigits(s.substr(0, 4)) && s[4] == '-' && AllDigits(s.substr(5, 3)));
}

bool IsTimezone(std::string_view s) {
  if (s == "Z" || s == "z") return true;
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) return false;
  std::string digits;
  for (char c : s.substr(1)) {
    if (c == ':') continue;
    digits.push_back(c);
  }
  return AllDigits(digits) && (digits.size() == 2 || digits.size() == 4);
}

// Normalises "8pm", "8:30 p.m.", "20:00:05Z" to "HH:MM[:SS]" plus zone;
// returns "" if `s` is not a time.
std::string NormaliseTime(std::string_view s) {
  std::string t;
  for (char c : s) {
    if (c != ' ' && c != '.') t.push_back(c);
  }
  t = core::AsciiLower(t);
  bool pm = false, am = false;
  if (t.ends_with("pm")) pm = true;
  if (t.ends_with("am")) am = true;
  if (pm || am) t.resize(t.size() - 2);
  std::string zone;
  std::size_t z = t.find_first_of("z+-");
  if (z != std::string::npos) {
    zone = t.substr(z);
    t.resize(z);
    if (zone == "z") zone = "Z";
    if (!IsTimezone(zone)) return {};
  }
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t colon = t.find(':', start);
    parts.push_back(t.substr(start, colon == std::string::npos ? std::string::npos : colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (parts.size() > 3) return {};
  for (const auto& p : parts) {
    if (!AllDigits(p) || p.size() > 2) return {};
  }
  if (parts.size() == 1 && !pm && !am) return {};
  int hour = std::stoi(parts[0]);
  if (pm && hour < 12) hour += 12;
  if (am && hour == 12) hour = 0;
  if (hour > 24) return {};
  std::string out = (hour < 10 ? "0" : "") + std::to_string(hour);
  out += ":" + (parts.size() > 1 ? (parts[1].size() == 1 ? "0" + parts[1] : parts[1]) : "00");
  if (parts.size() > 2) out += ":" + (parts[2].size() == 1 ? "0" + parts[2] : parts[2]);
  return out + zone;
}

// Joins value-class parts into "YYYY-MM-DD HH:MM[zone]".
std::string JoinDateParts(const std::vector<std::string>& values) {
  std::string date, time, zone;
  for (const std::string& raw : values) {
    std::string_view v = core::Trim(raw);
    if (v.size() > 10 && IsDate(v.substr(0, 10)) && (v[10] == 'T' || v[10] == ' ')) {
      if (date.empty() && time.empty()) return std::string(v);
      continue;
    }
    if (IsDate(v)) {
      if (date.empty()) date = std::string(v);
    } else if (IsTimezone(v)) {
      if (zone.empty()) zone = std::string(v);
    } else if (std::string t = NormaliseTime(v); !t.empty()) {
      if (time.empty()) time = t;
    }
  }
  if (!zone.empty() && !time.empty() && time.find_first_of("Z+-") == std::string::npos) {
    time += zone;
  }
  if (date.empty()) return time;
  return time.empty() ? date : date + " " + time;
}

// ---- the parser ----------------------------------------------------------

class Parser {
 public:
  Parser(const Dom& dom, const FactSink& sink, bool with_html)
      : dom_(dom), sink_(sink), with_html_(with_html) {}

  std::vector<mf2::Item> Items(const Candidates& candidates) {
    std::vector<mf2::Item> items;
    is_candidate_.assign(dom_.size(), false);
    for (NodeId id : candidates.mf_roots) is_candidate_[static_cast<std::size_t>(id)] = true;
    for (NodeId id : candidates.mf_roots) {
      if (IsInsideRoot(id) || InsideTemplate(id)) continue;
      Classes c = ReadClasses(dom_, id);
      std::vector<std::string> types = c.roots.empty() ? Mf1Roots(c) : c.roots;
      if (types.empty()) continue;
      items.push_back(Item(id, types, /*backcompat=*/c.roots.empty(), 0));
    }
    return items;
  }

 private:
  // True iff an ancestor of `id` is a microformat root (then `id` is
  // parsed as part of it, not as a top-level item).
  bool IsInsideRoot(NodeId id) const {
    for (NodeId p = dom_.node(id).parent; p > 0; p = dom_.node(p).parent) {
      if (!is_candidate_[static_cast<std::size_t>(p)]) continue;
      Classes c = ReadClasses(dom_, p);
      if (!c.roots.empty() || !Mf1Roots(c).empty()) return true;
    }
    return false;
  }

  bool InsideTemplate(NodeId id) const {
    for (NodeId p = dom_.node(id).parent; p > 0; p = dom_.node(p).parent) {
      if (dom_.node(p).tag == "template") return true;
    }
    return false;
  }

  std::string Attr(NodeId id, std::string_view name) const {
    const std::string* v = dom_.Attr(id, name);
    return v ? *v : std::string();
  }
  bool Has(NodeId id, std::string_view name) const { return dom_.Attr(id, name) != nullptr; }
  const std::string& Tag(NodeId id) const { return dom_.node(id).tag; }

  // Elements with class "value" / "value-title" below `id`, not inside
  // nested microformats.
  std::vector<NodeId> ValueElements(NodeId id) const {
    std::vector<NodeId> out;
    std::vector<NodeId> stack;
    PushElementChildren(dom_, id, stack);
    while (!stack.empty()) {
      NodeId n = stack.back();
      stack.pop_back();
      if (dom_.Attr(n, "class")) {  // no class: neither a root nor a value
        Classes c = ReadClasses(dom_, n);
        if (!c.roots.empty()) continue;
        bool value = c.all.Contains("value");
        bool title = c.all.Contains("value-title");
        if (value || title) {
          out.push_back(n);
          continue;
        }
      }
      PushElementChildren(dom_, n, stack);
    }
    return out;
  }

  std::vector<std::string> ValueClassParts(NodeId id, bool dates) const {
    std::vector<std::string> parts;
    for (NodeId v : ValueElements(id)) {
      const std::string& tag = Tag(v);
      // An abbr is neither img, area nor data, so testing it first with
      // value-title keeps the value-class rules' order.
      if (dom_.HasClass(v, "value-title") || (tag == "abbr" && Has(v, "title"))) {
        parts.push_back(Attr(v, "title"));
      } else if ((tag == "img" || tag == "area") && Has(v, "alt")) {
        parts.push_back(Attr(v, "alt"));
      } else if (tag == "data" && Has(v, "value")) {
        parts.push_back(Attr(v, "value"));
      } else if (dates && (tag == "del" || tag == "ins" || tag == "time") && Has(v, "datetime")) {
        parts.push_back(Attr(v, "datetime"));
      } else {
        parts.push_back(TextContent(dom_, v, false));
      }
    }
    return parts;
  }

  std::string PValue(NodeId id) const {
    auto parts = ValueClassParts(id, false);
    if (!parts.empty()) {
      std::string joined;
      for (const auto& p : parts) joined += p;
      return joined;
    }
    const std::string& tag = Tag(id);
    if ((tag == "abbr" || tag == "link") && Has(id, "title")) return Attr(id, "title");
    if ((tag == "data" || tag == "input") && Has(id, "value")) return Attr(id, "value");
    if ((tag == "img" || tag == "area") && Has(id, "alt")) return Attr(id, "alt");
    return TextContent(dom_, id, true);
  }

  static mf2::Value Text(std::string text) {
    mf2::Value v;
    v.value = std::move(text);
    return v;
  }

  mf2::Value UValue(NodeId id) const { return Text(UText(id)); }

  // The u-* value: a string, or {value, alt} for an <img> with alt.
  mf2::Value UValueOrImage(NodeId id) const {
    if (Tag(id) == "img" && Has(id, "src") && Has(id, "alt")) {
      mf2::Value v;
      v.kind = mf2::Value::Kind::kImage;
      v.value = sink_.Resolve(Attr(id, "src"));
      v.alt = Attr(id, "alt");
      return v;
    }
    return UValue(id);
  }

  // The u-* value as a string (an <img>'s src without its alt).
  std::string UText(NodeId id) const {
    const std::string& tag = Tag(id);
    if ((tag == "a" || tag == "area" || tag == "link") && Has(id, "href")) {
      return sink_.Resolve(Attr(id, "href"));
    }
    if (tag == "img" && Has(id, "src")) return sink_.Resolve(Attr(id, "src"));
    if ((tag == "audio" || tag == "video" || tag == "source" || tag == "iframe") && Has(id, "src")) {
      return sink_.Resolve(Attr(id, "src"));
    }
    if (tag == "video" && Has(id, "poster")) return sink_.Resolve(Attr(id, "poster"));
    if (tag == "object" && Has(id, "data")) return sink_.Resolve(Attr(id, "data"));
    auto parts = ValueClassParts(id, false);
    if (!parts.empty()) {
      std::string joined;
      for (const auto& p : parts) joined += p;
      return joined;
    }
    if (tag == "abbr" && Has(id, "title")) return Attr(id, "title");
    if ((tag == "data" || tag == "input") && Has(id, "value")) return Attr(id, "value");
    return TextContent(dom_, id, false);
  }

  std::string DtValue(NodeId id) const {
    auto parts = ValueClassParts(id, true);
    if (!parts.empty()) return JoinDateParts(parts);
    const std::string& tag = Tag(id);
    if ((tag == "time" || tag == "ins" || tag == "del") && Has(id, "datetime")) {
      return Attr(id, "datetime");
    }
    if (tag == "abbr" && Has(id, "title")) return Attr(id, "title");
    if ((tag == "data" || tag == "input") && Has(id, "value")) return Attr(id, "value");
    return TextContent(dom_, id, false);
  }

  mf2::Value EValue(NodeId id) const {
    mf2::Value v;
    v.kind = mf2::Value::Kind::kHtml;
    if (with_html_) v.html = InnerHtml(dom_, id);
    v.value = TextContent(dom_, id, true);
    return v;
  }

  mf2::Value PropertyValue(NodeId id, std::string_view prefix) const {
    if (prefix == "p") return Text(PValue(id));
    if (prefix == "u") return UValueOrImage(id);
    if (prefix == "dt") return Text(DtValue(id));
    return EValue(id);
  }

  // The plain text a property value stands for: JSON objects by "value".
  std::string PropertyText(NodeId id, std::string_view prefix) const {
    if (prefix == "p") return PValue(id);
    if (prefix == "u") return UText(id);
    if (prefix == "dt") return DtValue(id);
    return TextContent(dom_, id, true);
  }

  static std::pair<std::string_view, std::string_view> SplitProperty(std::string_view p) {
    std::size_t dash = p.find('-');
    return {p.substr(0, dash), p.substr(dash + 1)};
  }

  static std::vector<mf2::Value>& Slot(mf2::Properties& props, std::string_view name) {
    auto it = props.find(name);
    if (it == props.end()) it = props.emplace(std::string(name), std::vector<mf2::Value>()).first;
    return it->second;
  }

  // The "value" of the first value of `name` in `item`, or nullptr.
  static const std::string* FirstValue(const mf2::Item& item, std::string_view name) {
    auto it = item.properties.find(name);
    return it == item.properties.end() || it->second.empty() ? nullptr : &it->second[0].value;
  }

  struct Flags {
    bool p_or_e = false, u = false, nested = false, dt_start = false;
  };

  mf2::Item Item(NodeId root, const std::vector<std::string>& types, bool backcompat, int depth) {
    mf2::Item item;
    item.type = types;
    mf2::Properties& props = item.properties;
    Flags flags;
    std::vector<NodeId> stack;
    PushElementChildren(dom_, root, stack);
    while (!stack.empty()) {
      NodeId n = stack.back();
      stack.pop_back();
      Classes c = ReadClasses(dom_, n);
      std::vector<std::string> properties =
          backcompat ? Mf1Properties(dom_, n, c, types) : std::move(c.properties);
      std::vector<std::string> nested_types = std::move(c.roots);
      bool nested_backcompat = false;
      if (nested_types.empty()) {
        nested_types = Mf1Roots(c);
        nested_backcompat = !nested_types.empty();
      }
      if (!nested_types.empty() && depth < kMaxItemDepth) {
        flags.nested = true;
        mf2::Item nested = Item(n, nested_types, nested_backcompat, depth + 1);
        if (properties.empty()) {
          item.children.push_back(std::move(nested));
          continue;
        }
        // One item for every property the element names (the JSON copies it).
        auto shared = std::make_shared<const mf2::Item>(std::move(nested));
        for (std::size_t i = 0; i < properties.size(); ++i) {
          auto [prefix, name] = SplitProperty(properties[i]);
          mf2::Value value;
          value.kind = mf2::Value::Kind::kItem;
          value.item = shared;
          value.copy = i + 1 != properties.size();
          // Objects stand for their "value", which is always a string.
          const std::string* first = prefix == "p"   ? FirstValue(*shared, "name")
                                     : prefix == "u" ? FirstValue(*shared, "url")
                                                     : nullptr;
          value.value = first ? *first : PropertyText(n, prefix);
          if (prefix == "e" && with_html_) {
            value.html = InnerHtml(dom_, n);
            value.has_html = true;
          }
          Slot(props, name).push_back(std::move(value));
        }
        continue;
      }
      for (const std::string& p : properties) {
        auto [prefix, name] = SplitProperty(p);
        if (prefix == "p" || prefix == "e") flags.p_or_e = true;
        if (prefix == "u") flags.u = true;
        Slot(props, name).push_back(PropertyValue(n, prefix));
      }
      PushElementChildren(dom_, n, stack);
    }
    if (!backcompat) Imply(root, props, flags);
    ImplyEndDate(props);
    if (const std::string* id = dom_.Attr(root, "id")) item.id = *id;
    return item;
  }

  // .h-x>X:only-child (or :only-of-type) that is not itself a root.
  NodeId OnlyChild(NodeId id, std::string_view tag_a, std::string_view tag_b, bool of_type) const {
    auto kids = ElementChildren(dom_, id);
    NodeId found = model::kNoNode;
    int count = 0;
    for (NodeId k : kids) {
      bool match = Tag(k) == tag_a || Tag(k) == tag_b;
      if (of_type ? match : true) {
        ++count;
        if (match) found = k;
      }
    }
    if (count != 1 || found == model::kNoNode || HasRoot(dom_, found)) return model::kNoNode;
    return found;
  }

  std::string ImpliedName(NodeId root) const {
    auto named = [&](NodeId n) -> std::optional<std::string> {
      const std::string& tag = Tag(n);
      if ((tag == "img" || tag == "area") && !Attr(n, "alt").empty()) return Attr(n, "alt");
      if (tag == "abbr" && !Attr(n, "title").empty()) return Attr(n, "title");
      return std::nullopt;
    };
    if (auto v = named(root)) return *v;
    auto kids = ElementChildren(dom_, root);
    if (kids.size() == 1 && !HasRoot(dom_, kids[0])) {
      if (auto v = named(kids[0])) return *v;
      auto grand = ElementChildren(dom_, kids[0]);
      if (grand.size() == 1 && !HasRoot(dom_, grand[0])) {
        if (auto v = named(grand[0])) return *v;
      }
    }
    return TextContent(dom_, root, true);
  }

  // The implied photo and url rules: `read` on the root itself, else on its
  // only <tag_a> or <tag_b> child (of that type), else the same one level
  // further down through an only child that is not itself a microformat.
  template <typename Read>
  auto ImpliedFrom(NodeId root, std::string_view tag_a, std::string_view tag_b, const Read& read) const
      -> decltype(read(root)) {
    if (auto v = read(root)) return v;
    for (NodeId level = root, depth = 0; depth < 2; ++depth) {
      NodeId child = OnlyChild(level, tag_a, tag_b, true);
      if (child != model::kNoNode) {
        if (auto v = read(child)) return v;
      }
      auto kids = ElementChildren(dom_, level);
      if (kids.size() != 1 || HasRoot(dom_, kids[0])) break;
      level = kids[0];
    }
    return std::nullopt;
  }

  std::optional<mf2::Value> ImpliedPhoto(NodeId root) const {
    auto photo = [&](NodeId n) -> std::optional<mf2::Value> {
      if (Tag(n) == "img" && Has(n, "src")) return UValueOrImage(n);
      if (Tag(n) == "object" && Has(n, "data")) return Text(sink_.Resolve(Attr(n, "data")));
      return std::nullopt;
    };
    return ImpliedFrom(root, "img", "object", photo);
  }

  std::optional<std::string> ImpliedUrl(NodeId root) const {
    auto link = [&](NodeId n) -> std::optional<std::string> {
      if ((Tag(n) == "a" || Tag(n) == "area") && Has(n, "href")) return sink_.Resolve(Attr(n, "href"));
      return std::nullopt;
    };
    return ImpliedFrom(root, "a", "area", link);
  }

  void Imply(NodeId root, mf2::Properties& props, const Flags& flags) const {
    if (!props.contains("name") && !flags.p_or_e && !flags.nested) {
      Slot(props, "name").push_back(Text(ImpliedName(root)));
    }
    if (!props.contains("photo") && !flags.u && !flags.nested) {
      if (auto v = ImpliedPhoto(root)) Slot(props, "photo").push_back(std::move(*v));
    }
    if (!props.contains("url") && !flags.u && !flags.nested) {
      if (auto v = ImpliedUrl(root)) Slot(props, "url").push_back(Text(std::move(*v)));
    }
  }

  // dt-end given as a time only takes its date from dt-start.
  static void ImplyEndDate(mf2::Properties& props) {
    auto start_it = props.find("start");
    auto end_it = props.find("end");
    if (start_it == props.end() || end_it == props.end() || start_it->second.empty()) return;
    const mf2::Value& start = start_it->second[0];
    if (start.kind != mf2::Value::Kind::kString || start.value.size() < 10) return;
    std::string date = start.value.substr(0, 10);
    if (!IsDate(date)) return;
    for (mf2::Value& end : end_it->second) {
      if (end.kind != mf2::Value::Kind::kString) continue;
      std::string t = NormaliseTime(end.value);
      if (!t.empty() && !IsDate(end.value.substr(0, std::min<std::size_t>(10, end.value.size())))) {
        end.value = date + " " + t;
      }
    }
  }

  const Dom& dom_;
  const FactSink& sink_;
  const bool with_html_;  // serialise e-* properties' HTML (the JSON needs it, facts do not)
  std::vector<bool> is_candidate_;
};

void Rels(const Dom& dom, const Candidates& candidates, const FactSink& sink, mf2::Document& doc) {
  for (NodeId id : candidates.links) {
    const std::string* rel = dom.Attr(id, "rel");
    const std::string* href = dom.Attr(id, "href");
    if (!rel || !href) continue;
    Tokens tokens(*rel);
    if (tokens.empty()) continue;
    std::string url = sink.Resolve(*href);
    mf2::RelUrl& entry = doc.rel_urls[url];
    for (std::string_view t : tokens) {
      const std::string token = core::AsciiLower(t);
      std::vector<std::string>& list = doc.rels[token];
      if (std::find(list.begin(), list.end(), url) == list.end()) list.push_back(url);
      if (std::find(entry.rels.begin(), entry.rels.end(), token) == entry.rels.end()) {
        entry.rels.push_back(token);
      }
    }
    std::string text = TextContent(dom, id, false);
    if (!text.empty()) entry.attributes.emplace("text", std::move(text));  // the first one stays
    for (std::string_view attr : {"hreflang", "media", "title", "type"}) {
      const std::string* v = dom.Attr(id, attr);
      if (v) entry.attributes.emplace(std::string(attr), *v);
    }
  }
}

// ---- the canonical JSON --------------------------------------------------

json ItemJson(const mf2::Item& item, std::size_t& budget);

// The JSON of the nested items one item's values name, each built once.
using ItemJsonCache = std::vector<std::pair<const mf2::Item*, json>>;

json ValueJson(const mf2::Value& v, std::size_t& budget, ItemJsonCache& cache) {
  switch (v.kind) {
    case mf2::Value::Kind::kString:
      return v.value;
    case mf2::Value::Kind::kImage:
      return json{{"value", v.value}, {"alt", v.alt}};
    case mf2::Value::Kind::kHtml:
      return json{{"html", v.html}, {"value", v.value}};
    case mf2::Value::Kind::kItem:
      break;
  }
  auto cached =
      std::find_if(cache.begin(), cache.end(), [&](const auto& e) { return e.first == v.item.get(); });
  if (cached == cache.end()) {
    json built = ItemJson(*v.item, budget);
    cache.emplace_back(v.item.get(), std::move(built));
    cached = cache.end() - 1;
  }
  // All but the last property naming an item hold copies: budgeted, so an
  // element naming several properties at every level cannot make the JSON
  // grow exponentially (the parse itself shares the item).
  json out = v.copy ? CopyWithBudget(cached->second, budget) : cached->second;
  if (!out.is_object()) out = json::object();
  out["value"] = v.value;
  if (v.has_html) out["html"] = v.html;
  return out;
}

json ItemJson(const mf2::Item& item, std::size_t& budget) {
  json out(json::value_t::object);
  out["type"] = item.type;
  json& props = out["properties"];
  props = json::object();
  ItemJsonCache cache;
  for (const auto& [name, values] : item.properties) {
    json& list = props[name];
    list = json::array();
    for (const mf2::Value& v : values) list.push_back(ValueJson(v, budget, cache));
  }
  if (!item.children.empty()) {
    json& children = out["children"];
    for (const mf2::Item& c : item.children) children.push_back(ItemJson(c, budget));
  }
  if (item.id) out["id"] = *item.id;
  return out;
}

}  // namespace

std::string_view XfnRelation(std::string_view rel) {
  static constexpr std::string_view kXfn[] = {"friend",    "acquaintance", "contact",  "met",   "co-worker",
                                              "colleague", "co-resident",  "neighbor", "child", "parent",
                                              "sibling",   "spouse",       "kin",      "muse",  "crush",
                                              "date",      "sweetheart"};
  for (std::string_view x : kXfn) {
    if (x == rel) return x;
  }
  return {};
}

namespace mf2 {

Document Parse(const Dom& dom, const Candidates& candidates, const FactSink& sink, bool with_html) {
  Document doc;
  Rels(dom, candidates, sink, doc);
  doc.items = Parser(dom, sink, with_html).Items(candidates);
  return doc;
}

json ToJson(const Document& doc) {
  std::size_t budget = kCopyBudgetPerPage;
  json out;
  json& items = out["items"];
  items = json::array();
  for (const Item& item : doc.items) items.push_back(ItemJson(item, budget));
  json& rels = out["rels"];
  rels = json::object();
  for (const auto& [token, urls] : doc.rels) rels[token] = urls;
  json& rel_urls = out["rel-urls"];
  rel_urls = json::object();
  for (const auto& [url, entry] : doc.rel_urls) {
    json& e = rel_urls[url];
    e["rels"] = entry.rels;
    for (const auto& [name, value] : entry.attributes) e[name] = value;
  }
  return out;
}

}  // namespace mf2

json ParseMicroformats(const Dom& dom, const Candidates& candidates, const FactSink& sink) {
  return mf2::ToJson(mf2::Parse(dom, candidates, sink, true));
}

void ExtractMicroformats(const Dom& dom, const Candidates& candidates, FactSink& sink) {
  mf2::MapToFacts(mf2::Parse(dom, candidates, sink, false), sink);
}

}  // namespace telescreen::extract
