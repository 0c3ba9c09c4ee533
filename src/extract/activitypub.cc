// ActivityPub actors and collections; see activitypub.h.
//
// ActivityStreams 2.0 (W3C Recommendation) vocabulary: an actor (Person,
// Service, ...) gives identity facts and links to its followers/following
// collections; an OrderedCollection or its pages give contacts, and their
// "first"/"next" links the pages still to fetch. Mastodon's profile fields
// arrive as PropertyValue attachments whose values are small HTML snippets.
#include "extract/activitypub.h"

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "core/json_text.h"
#include "core/text.h"
#include "extract/content_line.h"
#include "extract/machine_reader.h"

namespace telescreen::extract {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxInputBytes = std::size_t{4} << 20;
constexpr int kMaxDepth = 64;  // deeper JSON is not an actor or collection
constexpr std::size_t kMaxItems = 5000;
constexpr char kAcceptActivity[] = "application/activity+json";

bool HasType(const json& obj, std::initializer_list<std::string_view> types) {
  auto it = obj.find("type");
  if (it == obj.end()) return false;
  auto matches = [&](const json& t) {
    if (!t.is_string()) return false;
    std::string_view s = t.get_ref<const std::string&>();
    if (auto colon = s.rfind(':'); colon != std::string_view::npos)
      s.remove_prefix(colon + 1);  // "as:Person"
    for (auto want : types) {
      if (s == want) return true;
    }
    return false;
  };
  if (it->is_array()) {
    for (const auto& t : *it) {
      if (matches(t)) return true;
    }
    return false;
  }
  return matches(*it);
}

using core::StringMember;

// A URL from a string, a Link/Image object ({"href"} / {"url"}), or the
// first of an array of those.
std::string UrlOf(const json& v, int depth = 0) {
  if (depth > 3) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object()) {
    if (auto h = StringMember(v, "href"); !h.empty()) return h;
    if (auto it = v.find("url"); it != v.end()) return UrlOf(*it, depth + 1);
    return StringMember(v, "id");
  }
  if (v.is_array()) {
    for (const auto& item : v) {
      if (auto u = UrlOf(item, depth + 1); !u.empty()) return u;
    }
  }
  return "";
}

// Text of a small HTML snippet: tags dropped, character references decoded.
std::string HtmlToText(std::string_view html) {
  std::string out;
  bool in_tag = false;
  for (std::size_t i = 0; i < html.size(); ++i) {
    const char c = html[i];
    if (in_tag) {
      if (c == '>') in_tag = false;
      continue;
    }
    if (c == '<') {
      // Block-level breaks become spaces so words do not run together.
      if (html.substr(i, 3) == "<br" || html.substr(i, 3) == "<p>" || html.substr(i, 4) == "</p>") {
        if (!out.empty() && out.back() != ' ') out.push_back(' ');
      }
      in_tag = true;
      continue;
    }
    if (std::size_t n = core::AppendHtmlReference(html, i, core::NoBreakSpace::kAsSpace, &out); n > 0) {
      i += n - 1;
      continue;
    }
    out.push_back(c);
  }
  std::size_t b = out.find_first_not_of(" \n\t");
  std::size_t e = out.find_last_not_of(" \n\t");
  return b == std::string::npos ? "" : out.substr(b, e - b + 1);
}

// The first href="..." in an HTML snippet.
std::string FirstHref(std::string_view html) {
  const std::size_t at = html.find("href=\"");
  if (at == std::string_view::npos) return "";
  const std::size_t start = at + 6;
  const std::size_t end = html.find('"', start);
  if (end == std::string_view::npos) return "";
  std::string href = HtmlToText(html.substr(start, end - start));  // decodes &amp;
  return href;
}

bool Contains(std::string_view hay, std::initializer_list<std::string_view> needles) {
  for (auto n : needles) {
    if (hay.find(n) != std::string_view::npos) return true;
  }
  return false;
}

std::string HostOf(const std::string& url) {
  auto parsed = core::Url::Parse(url);
  return parsed.ok() ? parsed.value().host() : "";
}

// "https://host/users/bob" -> "bob@host"; used when a collection lists bare URLs.
std::string NameFromActorUrl(const std::string& url) {
  auto parsed = core::Url::Parse(url);
  if (!parsed.ok()) return url;
  std::string_view path = parsed.value().path();
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  std::string_view last = path.substr(path.rfind('/') + 1);
  if (!last.empty() && last.front() == '@') last.remove_prefix(1);
  if (last.empty()) return parsed.value().host();
  return std::string(last) + "@" + parsed.value().host();
}

class Reader : public MachineReader {
 public:
  Reader(const PageInput& input, model::PageFacts* facts) : MachineReader(input, facts, "activitypub") {}

  void Read(const json& doc) {
    if (HasType(doc, {"Person", "Service", "Application", "Group", "Organization"})) {
      ReadActor(doc);
    } else if (HasType(doc, {"OrderedCollection", "Collection", "OrderedCollectionPage", "CollectionPage"})) {
      ReadCollection(doc, RelationOf(doc), 0);
    } else if (!HasType(doc, {"Event", "Note", "Article", "Page", "Place", "Join", "Leave", "Accept",
                              "Reject", "TentativeAccept", "Create", "Update", "Announce", "Invite"})) {
      // Objects and activities of the vocabulary (an Event, a Join) are for
      // the pattern packs' JSON rules; anything else is worth a note.
      facts_->warnings.push_back(
          "activitypub: document type '" +
          CutUtf8(
              doc.contains("type") ? doc.at("type").dump(-1, ' ', false, json::error_handler_t::replace) : "",
              60) +
          "' is neither an actor nor a collection");
    }
  }

 private:
  // Absolute http(s) form of `ref`, or "" when it is not one.
  std::string Absolute(std::string_view ref) const {
    if (ref.empty()) return "";
    auto url = input_.url.Resolve(ref);
    return url.ok() ? url.value().ToString() : "";
  }

  void AddFact(const std::string& kind, std::string value, const std::string& field) {
    if (value.empty() || facts_->identity.size() >= 500) return;
    value = CutUtf8(value, 1000);
    if (!NewFactKey(kind + "\n" + value)) return;
    model::IdentityFact fact;
    fact.kind = kind;
    fact.evidence = MakeEvidence(field + ": " + value);
    fact.value = value;
    facts_->identity.push_back(std::move(fact));
  }

  void AddLink(const std::string& url, const std::string& kind) {
    const std::string absolute = Absolute(url);
    if (absolute.empty() || !link_keys_.insert(absolute).second) return;
    model::Link link;
    link.url = absolute;
    link.kind = kind;
    link.accept = kAcceptActivity;
    facts_->links.push_back(std::move(link));
  }

  void ReadActor(const json& actor) {
    AddFact("name", HtmlToText(StringMember(actor, "name")), "name");
    const std::string id = Absolute(StringMember(actor, "id"));
    const std::string username = StringMember(actor, "preferredUsername");
    if (!username.empty()) {
      const std::string host = id.empty() ? input_.url.host() : HostOf(id);
      AddFact("name", "@" + username + "@" + host, "preferredUsername");
    }
    if (auto it = actor.find("url"); it != actor.end()) AddFact("profile", Absolute(UrlOf(*it)), "url");
    AddFact("profile", id, "id");
    AddFact("headline", HtmlToText(StringMember(actor, "summary")), "summary");
    if (auto it = actor.find("icon"); it != actor.end()) AddFact("photo", Absolute(UrlOf(*it)), "icon");
    // Accounts the person moved from or to: the same person elsewhere.
    if (auto it = actor.find("alsoKnownAs"); it != actor.end()) {
      const json single = json::array({*it});
      for (const auto& alias : it->is_array() ? *it : single) {
        AddFact("profile", Absolute(UrlOf(alias)), "alsoKnownAs");
      }
    }
    if (auto it = actor.find("attachment"); it != actor.end()) {
      const json single = json::array({*it});
      for (const auto& field : it->is_array() ? *it : single) ReadField(field);
    }
    for (const char* key : {"followers", "following"}) {
      if (auto it = actor.find(key); it != actor.end()) {
        if (std::string url = UrlOf(*it); !url.empty()) AddLink(url, "contacts");
      }
    }
  }

  // A profile field: {"type":"PropertyValue","name":"Website","value":"<a href=...>"}.
  void ReadField(const json& field) {
    if (!field.is_object() || !HasType(field, {"PropertyValue"})) return;
    const std::string name = HtmlToText(StringMember(field, "name"));
    const std::string html = StringMember(field, "value");
    const std::string text = HtmlToText(html);
    if (text.empty()) return;
    const std::string key = core::AsciiLower(name);
    const std::string label = "attachment '" + name + "'";
    std::string href = FirstHref(html);
    if (href.empty() && (text.rfind("http://", 0) == 0 || text.rfind("https://", 0) == 0)) href = text;
    if (Contains(key, {"mail"})) {
      AddFact("email", text, label);
    } else if (Contains(key, {"phone", "tel", "signal"})) {
      AddFact("phone", text, label);
    } else if (Contains(key, {"location", "ort", "city", "stadt", "based"})) {
      AddFact("location", text, label);
    } else if (Contains(key, {"birth", "geburt"})) {
      AddFact("birthday", text, label);
    } else if (Contains(key, {"work", "employer", "arbeit", "job", "company"})) {
      AddFact("employer", text, label);
    } else if (!href.empty()) {
      AddFact("url", Absolute(href), label);
    } else {
      AddFact("headline", name + ": " + text, label);
    }
  }

  // "follower" / "following" from the collection's id or partOf.
  std::string RelationOf(const json& collection) const {
    std::string id = StringMember(collection, "partOf");
    if (id.empty()) id = StringMember(collection, "id");
    if (id.empty()) id = std::string(page_url());
    if (auto q = id.find('?'); q != std::string::npos) id.resize(q);
    while (!id.empty() && id.back() == '/') id.pop_back();
    if (id.size() >= 10 && id.compare(id.size() - 10, 10, "/followers") == 0) return "follower";
    if (id.size() >= 10 && id.compare(id.size() - 10, 10, "/following") == 0) return "following";
    return "contact";
  }

  void ReadCollection(const json& collection, const std::string& relation, int depth) {
    for (const char* key : {"orderedItems", "items"}) {
      auto it = collection.find(key);
      if (it == collection.end() || !it->is_array()) continue;
      for (const auto& item : *it) {
        if (facts_->contacts.size() >= kMaxItems) break;
        AddContact(item, relation);
      }
    }
    // "first" may be a URL or an embedded page (Mastodon embeds the first page).
    if (auto it = collection.find("first"); it != collection.end()) {
      if (it->is_object() && depth < 2) {
        ReadCollection(*it, relation, depth + 1);
      } else if (std::string url = UrlOf(*it); !url.empty()) {
        AddLink(url, "next");
      }
    }
    if (auto it = collection.find("next"); it != collection.end()) {
      if (std::string url = UrlOf(*it); !url.empty()) AddLink(url, "next");
    }
  }

  void AddContact(const json& item, const std::string& relation) {
    model::Contact contact;
    contact.relation = relation;
    if (item.is_string()) {
      contact.url = Absolute(item.get<std::string>());
      if (contact.url.empty()) return;
      contact.name = NameFromActorUrl(contact.url);
    } else if (item.is_object()) {
      std::string id = Absolute(StringMember(item, "id"));
      std::string url;
      if (auto it = item.find("url"); it != item.end()) url = Absolute(UrlOf(*it));
      contact.url = !url.empty() ? url : id;
      contact.name = HtmlToText(StringMember(item, "name"));
      if (contact.name.empty()) {
        const std::string username = StringMember(item, "preferredUsername");
        if (!username.empty() && !(id.empty() && contact.url.empty())) {
          contact.name = username + "@" + HostOf(id.empty() ? contact.url : id);
        }
      }
      if (contact.name.empty() && !contact.url.empty()) {
        contact.name = NameFromActorUrl(contact.url);
      }
    } else {
      return;
    }
    if (contact.name.empty() && contact.url.empty()) return;
    if (!NewContactKey(relation + "\n" + contact.url + "\n" + contact.name)) return;
    contact.name = CutUtf8(contact.name, 300);
    contact.evidence.push_back(MakeEvidence(relation + ": " + contact.url));
    facts_->contacts.push_back(std::move(contact));
  }

  std::set<std::string> link_keys_;
};

}  // namespace

bool IsActivityStreams(std::string_view json_text) {
  json_text = json_text.substr(0, 64 << 10);  // @context comes first in practice
  return json_text.find("://www.w3.org/ns/activitystreams") != std::string_view::npos;
}

model::PageFacts ExtractActivityPub(std::string_view json_text, const PageInput& input) {
  model::PageFacts facts;
  if (json_text.size() > kMaxInputBytes) {
    facts.warnings.push_back("activitypub: document longer than " + std::to_string(kMaxInputBytes) +
                             " bytes; not read");
    return facts;
  }
  if (core::JsonNestingDepth(json_text, kMaxDepth) > kMaxDepth) {
    facts.warnings.push_back("activitypub: JSON nested deeper than " + std::to_string(kMaxDepth) +
                             "; not read");
    return facts;
  }
  const json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    facts.warnings.push_back("activitypub: not a JSON object");
    return facts;
  }
  Reader(input, &facts).Read(doc);
  return facts;
}

}  // namespace telescreen::extract
