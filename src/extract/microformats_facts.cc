// Parsed microformats -> identity, contacts and events.
#include <algorithm>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/text.h"
#include "core/url.h"
#include "extract/microformats.h"
#include "extract/microformats_internal.h"
#include "model/scan_result.h"

namespace telescreen::extract::mf2 {
namespace {

constexpr std::size_t kMaxItemsVisited = 100000;

bool HasType(const Item& item, std::string_view type) {
  return std::find(item.type.begin(), item.type.end(), type) != item.type.end();
}

// The values of property `name` (empty when absent).
const std::vector<Value>& Values(const Item& item, std::string_view name) {
  static const std::vector<Value> kEmpty;
  auto it = item.properties.find(name);
  return it == item.properties.end() ? kEmpty : it->second;
}

std::string AdrText(const Item& item);

// Plain text of one property value: strings as they are, nested items by
// their name (or formatted address, or "value"), objects by "value".
std::string ValueText(const Value& v) {
  if (v.kind == Value::Kind::kItem) {
    if (HasType(*v.item, "h-adr")) return AdrText(*v.item);
    const std::vector<Value>& names = Values(*v.item, "name");
    if (!names.empty() && names[0].kind == Value::Kind::kString) return names[0].value;
  }
  return v.value;
}

std::string First(const Item& item, std::string_view name) {
  for (const Value& v : Values(item, name)) {
    std::string t = ValueText(v);
    if (!t.empty()) return t;
  }
  return {};
}

std::string AdrText(const Item& item) {
  std::string out;
  for (std::string_view key : {"street-address", "locality", "region", "postal-code", "country-name"}) {
    std::string part = First(item, key);
    if (part.empty()) continue;
    if (!out.empty()) out += ", ";
    out += part;
  }
  if (out.empty()) {
    const std::vector<Value>& names = Values(item, "name");
    if (!names.empty() && names[0].kind == Value::Kind::kString) out = names[0].value;
  }
  return out;
}

std::string StripScheme(std::string_view s, std::string_view scheme) {
  return std::string(core::WithoutPrefixIgnoreAsciiCase(s, scheme));
}

// Every item: top-level ones, children and nested property values
// (properties in name order), depth first. An item several properties
// share is one object: it is expanded where it is first reached and
// skipped after (it would give the same facts again), so sharing at every
// level of a deep nesting cannot make the walk exponential.
void CollectItems(const std::vector<Item>& items, std::vector<const Item*>& out) {
  struct Entry {
    const Item* item;
    bool shared;  // a property value (may be reached again); else owned by one parent
  };
  std::vector<Entry> stack;
  std::unordered_set<const Item*> seen;  // shared items already expanded
  for (auto it = items.rbegin(); it != items.rend(); ++it) stack.push_back({&*it, false});
  while (!stack.empty() && out.size() < kMaxItemsVisited) {
    const Entry e = stack.back();
    stack.pop_back();
    if (e.shared && !seen.insert(e.item).second) continue;
    out.push_back(e.item);
    for (const auto& [key, values] : e.item->properties) {
      for (const Value& v : values) {
        if (v.kind == Value::Kind::kItem) stack.push_back({v.item.get(), true});
      }
    }
    for (const Item& c : e.item->children) stack.push_back({&c, false});
  }
}

// URLs are compared in their normal form (core::NormalUrlOr), so
// "http://Example.com" is "http://example.com/".
using core::NormalUrlOr;

bool Contains(const std::vector<Value>& values, const std::string& url) {
  return std::any_of(values.begin(), values.end(),
                     [&](const Value& v) { return NormalUrlOr(ValueText(v)) == url; });
}

// The page owner's card by the microformats wiki's "representative h-card
// parsing": a top-level card whose u-uid and u-url are the page URL, else
// one whose u-url is one of the page's rel=me links, else the only card
// whose u-url is the page URL; else the only card with no u-url. A card at
// another URL is never the owner, however few cards the page has: who
// "you" are must not change when someone else's card appears.
const Item* RepresentativeCard(const Document& doc, const std::string& page_url) {
  const std::string page = NormalUrlOr(page_url);
  std::vector<const Item*> cards;
  for (const Item& item : doc.items) {
    if (HasType(item, "h-card")) cards.push_back(&item);
  }
  for (const Item* c : cards) {
    if (Contains(Values(*c, "uid"), page) && Contains(Values(*c, "url"), page)) return c;
  }
  if (auto me = doc.rels.find("me"); me != doc.rels.end()) {
    std::vector<std::string> rel_me;
    for (const std::string& u : me->second) rel_me.push_back(NormalUrlOr(u));
    for (const Item* c : cards) {
      for (const Value& u : Values(*c, "url")) {
        if (std::find(rel_me.begin(), rel_me.end(), NormalUrlOr(ValueText(u))) != rel_me.end()) return c;
      }
    }
  }
  const Item* only = nullptr;
  for (const Item* c : cards) {
    if (!Contains(Values(*c, "url"), page)) continue;
    if (only) return nullptr;
    only = c;
  }
  if (only) return only;
  // Beyond the wiki: a card that names no URL at all is nobody else's
  // profile either, so the only such card is the owner's (a homepage with
  // `<h1 class="h-card">Ann</h1>`). Cards at other URLs never change that.
  for (const Item* c : cards) {
    if (!Values(*c, "url").empty()) continue;
    if (only) return nullptr;
    only = c;
  }
  return only;
}

class Mapper {
 public:
  explicit Mapper(FactSink& sink) : sink_(sink) {}

  void Run(const Document& doc) {
    const Item* rep = RepresentativeCard(doc, sink_.page_url());
    if (rep) Identity(*rep);
    for (const Item& item : doc.items) {
      if (&item != rep && HasType(item, "h-card")) CardContact(item, "contact");
      if (HasType(item, "h-card")) ChildCards(item, &item == rep);
    }
    std::vector<const Item*> all;
    CollectItems(doc.items, all);
    for (const Item* item : all) {
      if (HasType(*item, "h-event")) Event(*item, rep);
      if (HasType(*item, "h-entry") && !Values(*item, "rsvp").empty()) Rsvp(*item);
    }
    for (const Item* post : OwnPosts(doc)) PostTies(*post);
    Rels(doc);
  }

 private:
  void Add(std::string_view kind, const std::string& value, std::string_view prop) {
    sink_.AddIdentity(kind, value, "h-card", std::string(prop) + ": " + value);
  }

  void Identity(const Item& card) {
    for (const Value& v : Values(card, "name")) Add("name", ValueText(v), "p-name");
    for (const Value& v : Values(card, "nickname")) Add("name", ValueText(v), "p-nickname");
    if (Values(card, "name").empty()) {
      std::string given = First(card, "given-name"), family = First(card, "family-name");
      Add("name", given + (given.empty() || family.empty() ? "" : " ") + family, "p-given-name");
    }
    bool first_url = true;
    for (const Value& v : Values(card, "url")) {
      Add(first_url ? "url" : "profile", ValueText(v), "u-url");
      first_url = false;
    }
    for (const Value& v : Values(card, "email"))
      Add("email", StripScheme(ValueText(v), "mailto:"), "u-email");
    for (const Value& v : Values(card, "tel")) Add("phone", StripScheme(ValueText(v), "tel:"), "p-tel");
    for (const Value& v : Values(card, "org")) Add("employer", ValueText(v), "p-org");
    for (const Value& v : Values(card, "job-title")) Add("headline", ValueText(v), "p-job-title");
    for (const Value& v : Values(card, "role")) Add("headline", ValueText(v), "p-role");
    for (const Value& v : Values(card, "adr")) Add("address", ValueText(v), "p-adr");
    for (const Value& v : Values(card, "street-address")) Add("address", ValueText(v), "p-street-address");
    std::string place;
    for (std::string_view key : {"locality", "region", "country-name"}) {
      std::string part = First(card, key);
      if (!part.empty()) place += (place.empty() ? "" : ", ") + part;
    }
    Add("location", place, "p-locality");
    for (const Value& v : Values(card, "photo")) Add("photo", ValueText(v), "u-photo");
    for (const Value& v : Values(card, "bday")) Add("birthday", ValueText(v), "dt-bday");
    for (const Value& v : Values(card, "category")) {
      if (v.kind == Value::Kind::kItem && HasType(*v.item, "h-card")) CardContact(*v.item, "contact");
    }
  }

  // Cards nested in a card without a property (a team on a person's card,
  // the people of an organisation's card) are contacts; an organisation
  // (h-org) nested in the owner's card is an affiliation, in anyone else's
  // nothing.
  void ChildCards(const Item& card, bool owner) {
    std::vector<const Item*> stack{&card};
    while (!stack.empty()) {
      const Item* at = stack.back();
      stack.pop_back();
      for (const Item& c : at->children) {
        if (!HasType(c, "h-card")) continue;
        stack.push_back(&c);
        if (!HasType(c, "h-org")) {
          CardContact(c, "contact");
        } else if (owner && at == &card) {
          Add("group", First(c, "name"), "h-org");
        }
      }
    }
  }

  // The page's own posts: top-level h-entries and the entries of a
  // top-level h-feed. Entries quoted inside them (comments, replies,
  // citations) are someone else's.
  static std::vector<const Item*> OwnPosts(const Document& doc) {
    std::vector<const Item*> out;
    for (const Item& item : doc.items) {
      if (HasType(item, "h-entry")) out.push_back(&item);
      if (!HasType(item, "h-feed")) continue;
      for (const Item& c : item.children) {
        if (HasType(c, "h-entry")) out.push_back(&c);
      }
    }
    return out;
  }

  // People a post ties to its author: tagged in it (a p-category h-card),
  // invited (p-invitee), followed (u-follow-of); and those who responded.
  void PostTies(const Item& post) {
    for (const Value& v : Values(post, "category")) {
      if (v.kind == Value::Kind::kItem && HasType(*v.item, "h-card"))
        PersonContact(v, "tagged", "p-category");
    }
    for (const Value& v : Values(post, "invitee")) PersonContact(v, "invitee", "p-invitee");
    for (const Value& v : Values(post, "follow-of")) PersonContact(v, "follows", "u-follow-of");
    // Responses shown with the post (the IndieWeb's received comments,
    // likes and mentions): their authors interacted, nothing more.
    using Kind = model::InteractionKind;
    for (auto [prop, kind] : {std::pair{"comment", Kind::kComment}, std::pair{"like", Kind::kReaction},
                              std::pair{"repost", Kind::kReaction}, std::pair{"bookmark", Kind::kReaction},
                              std::pair{"mention", Kind::kMention}}) {
      for (const Value& v : Values(post, prop)) Responder(v, kind, prop);
    }
  }

  // The author of a response (its p-author card, else the response's own
  // name and URL when it is itself a card).
  void Responder(const Value& v, model::InteractionKind kind, std::string_view prop) {
    if (v.kind != Value::Kind::kItem) return;
    const Item* who = HasType(*v.item, "h-card") ? v.item.get() : nullptr;
    for (const Value& a : Values(*v.item, "author")) {
      if (a.kind == Value::Kind::kItem) {
        who = a.item.get();
        break;
      }
    }
    if (who == nullptr) return;
    model::Interaction i;
    i.name = First(*who, "name");
    i.url = First(*who, "url");
    i.kind = kind;
    i.evidence.push_back(sink_.MakeEvidence("h-entry", std::string(prop) + ": " + i.name + " " + i.url));
    sink_.AddInteraction(std::move(i));
  }

  // A contact from a property value: a nested card or citation by its name
  // and u-url, a plain value as a URL when it is one, else as a name.
  void PersonContact(const Value& v, std::string_view relation, std::string_view prop) {
    model::Contact c;
    if (v.kind == Value::Kind::kItem) {
      c.name = First(*v.item, "name");
      c.url = First(*v.item, "url");
    } else if (auto url = core::Url::Parse(ValueText(v)); url.ok()) {
      c.url = url.value().ToString();
    } else {
      c.name = ValueText(v);
    }
    if (c.name == c.url) c.name.clear();
    c.relation = std::string(relation);
    c.evidence.push_back(sink_.MakeEvidence("h-entry", std::string(prop) + ": " + c.name + " " + c.url));
    sink_.AddContact(std::move(c));
  }

  void CardContact(const Item& card, std::string_view relation) {
    model::Contact c;
    c.name = First(card, "name");
    c.url = First(card, "url");
    c.relation = std::string(relation);
    c.evidence.push_back(sink_.MakeEvidence("h-card", "h-card: " + c.name + " " + c.url));
    sink_.AddContact(std::move(c));
  }

  void Event(const Item& item, const Item* rep) {
    model::Event ev;
    ev.name = First(item, "name");
    ev.start = First(item, "start");
    ev.end = First(item, "end");
    ev.location = First(item, "location");
    ev.url = First(item, "url");
    if (rep) {
      std::string me = First(*rep, "url");
      std::string my_name = First(*rep, "name");
      for (auto [key, role] : {std::pair{"attendee", "attended"}, std::pair{"organizer", "organised"}}) {
        for (const Value& v : Values(item, key)) {
          // Objects ({value, alt}, {html, value}) have no url or name of their own.
          bool match = v.kind == Value::Kind::kItem
                           ? (!me.empty() && First(*v.item, "url") == me) ||
                                 (!my_name.empty() && First(*v.item, "name") == my_name)
                       : v.kind == Value::Kind::kString ? ValueText(v) == my_name
                                                        : false;
          if (match && ev.role.empty()) ev.role = role;
        }
      }
    }
    for (const Value& v : Values(item, "attendee")) {
      if (ev.attendees.size() >= model::kMaxAttendees) break;
      model::Attendee a;
      if (v.kind == Value::Kind::kItem) {
        a.name = First(*v.item, "name");
        a.url = First(*v.item, "url");
      } else {
        a.name = ValueText(v);
      }
      if (!a.name.empty() || !a.url.empty()) ev.attendees.push_back(std::move(a));
    }
    ev.evidence.push_back(sink_.MakeEvidence("h-event", "h-event: " + ev.name + " " + ev.start));
    sink_.AddEvent(std::move(ev));
  }

  void Rsvp(const Item& entry) {
    const std::string rsvp = core::AsciiLower(First(entry, "rsvp"));
    const std::vector<Value>& replies = Values(entry, "in-reply-to");
    model::Event ev;
    if (!replies.empty()) {
      const Value& target = replies[0];
      if (target.kind == Value::Kind::kItem) {
        ev.name = First(*target.item, "name");
        ev.url = First(*target.item, "url");
        ev.start = First(*target.item, "start");
        ev.end = First(*target.item, "end");
        ev.location = First(*target.item, "location");
      } else {
        ev.url = ValueText(target);
      }
    }
    if (ev.name.empty()) ev.name = ev.url;
    ev.role = "rsvp-" + rsvp;
    ev.evidence.push_back(sink_.MakeEvidence("h-entry", "p-rsvp: " + rsvp + " " + ev.url));
    sink_.AddEvent(std::move(ev));
  }

  void Rels(const Document& doc) {
    for (const auto& [url, entry] : doc.rel_urls) {
      std::string relation;
      bool me = false;
      for (const std::string& token : entry.rels) {
        if (token == "me") me = true;
        std::string_view x = XfnRelation(token);
        if (!x.empty() && (relation.empty() || relation == "met")) relation = std::string(x);
      }
      if (me) {
        sink_.AddIdentity("profile", url, "rel-me", "rel=\"me\" " + url);
        continue;  // XFN on a rel=me link describes the person, not a contact
      }
      if (relation.empty()) continue;
      auto text = entry.attributes.find("text");
      model::Contact c;
      c.name = text == entry.attributes.end() ? std::string() : text->second;
      c.url = url;
      c.relation = relation;
      std::string all;
      for (const std::string& r : entry.rels) all += (all.empty() ? "" : " ") + r;
      c.evidence.push_back(sink_.MakeEvidence("xfn", "rel=\"" + all + "\" " + url));
      sink_.AddContact(std::move(c));
    }
  }

  FactSink& sink_;
};

}  // namespace

void MapToFacts(const Document& doc, FactSink& sink) { Mapper(sink).Run(doc); }

}  // namespace telescreen::extract::mf2
