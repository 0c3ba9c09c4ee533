// Canonical mf2 JSON -> identity, contacts and events.
#include <algorithm>
#include <string>
#include <vector>

#include "extract/microformats.h"

namespace telescreen::extract {
namespace {

using json = nlohmann::json;

bool HasType(const json& item, std::string_view type) {
  const json* types = item.is_object() && item.contains("type") ? &item["type"] : nullptr;
  if (!types || !types->is_array()) return false;
  return std::any_of(types->begin(), types->end(),
                     [&](const json& t) { return t.is_string() && t.get_ref<const std::string&>() == type; });
}

const json* Props(const json& item) {
  if (!item.is_object()) return nullptr;
  auto it = item.find("properties");
  return it != item.end() && it->is_object() ? &*it : nullptr;
}

// The values of property `name` (empty array when absent).
const json& Values(const json& item, std::string_view name) {
  static const json kEmpty = json::array();
  const json* props = Props(item);
  if (!props) return kEmpty;
  auto it = props->find(name);
  return it != props->end() && it->is_array() ? *it : kEmpty;
}

std::string AdrText(const json& item);

// Plain text of one property value: strings as they are, nested items by
// their "value" (or name / formatted address), {value, alt} by value.
std::string ValueText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (!v.is_object()) return {};
  if (v.contains("type")) {
    if (HasType(v, "h-adr")) return AdrText(v);
    const json& names = Values(v, "name");
    if (!names.empty() && names[0].is_string()) return names[0].get<std::string>();
  }
  auto it = v.find("value");
  if (it != v.end() && it->is_string()) return it->get<std::string>();
  return {};
}

std::string First(const json& item, std::string_view name) {
  for (const json& v : Values(item, name)) {
    std::string t = ValueText(v);
    if (!t.empty()) return t;
  }
  return {};
}

std::string AdrText(const json& item) {
  std::string out;
  for (std::string_view key : {"street-address", "locality", "region", "postal-code", "country-name"}) {
    std::string part = First(item, key);
    if (part.empty()) continue;
    if (!out.empty()) out += ", ";
    out += part;
  }
  if (out.empty()) {
    const json& names = Values(item, "name");
    if (!names.empty() && names[0].is_string()) out = names[0].get<std::string>();
  }
  return out;
}

std::string StripScheme(std::string s, std::string_view scheme) {
  if (s.size() >= scheme.size() && std::equal(scheme.begin(), scheme.end(), s.begin(), [](char a, char b) {
        return a == std::tolower(static_cast<unsigned char>(b));
      })) {
    s.erase(0, scheme.size());
  }
  return s;
}

// Every item: top-level ones, children and nested property values.
void CollectItems(const json& items, std::vector<const json*>& out) {
  std::vector<const json*> stack;
  for (auto it = items.rbegin(); it != items.rend(); ++it) stack.push_back(&*it);
  while (!stack.empty() && out.size() < 100000) {
    const json* item = stack.back();
    stack.pop_back();
    if (!item->is_object() || !item->contains("type")) continue;
    out.push_back(item);
    if (const json* props = Props(*item)) {
      for (const auto& [key, values] : props->items()) {
        if (!values.is_array()) continue;
        for (const json& v : values) {
          if (v.is_object() && v.contains("type")) stack.push_back(&v);
        }
      }
    }
    auto children = item->find("children");
    if (children != item->end() && children->is_array()) {
      for (const json& c : *children) stack.push_back(&c);
    }
  }
}

bool Contains(const json& values, const std::string& url) {
  return std::any_of(values.begin(), values.end(), [&](const json& v) { return ValueText(v) == url; });
}

// The member `key` of `obj`, or an empty object/array stand-in.
const json& Member(const json& obj, const char* key) {
  static const json kNull;
  if (!obj.is_object()) return kNull;
  auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

const json* RepresentativeCard(const json& mf2, const std::string& page_url) {
  const json& items = Member(mf2, "items");
  const json& me = Member(Member(mf2, "rels"), "me");
  const json* rel_me = me.is_array() ? &me : nullptr;
  std::vector<const json*> cards;
  for (const json& item : items) {
    if (HasType(item, "h-card")) cards.push_back(&item);
  }
  for (const json* c : cards) {
    if (Contains(Values(*c, "uid"), page_url) && Contains(Values(*c, "url"), page_url)) return c;
  }
  if (rel_me) {
    for (const json* c : cards) {
      for (const json& u : Values(*c, "url")) {
        if (Contains(*rel_me, ValueText(u))) return c;
      }
    }
  }
  return cards.size() == 1 ? cards[0] : nullptr;
}

class Mapper {
 public:
  explicit Mapper(FactSink& sink) : sink_(sink) {}

  void Run(const json& mf2) {
    if (!Member(mf2, "items").is_array()) return;
    const json* rep = RepresentativeCard(mf2, sink_.page_url());
    if (rep) Identity(*rep);
    const json& items = Member(mf2, "items");
    for (const json& item : items) {
      if (&item != rep && HasType(item, "h-card")) CardContact(item, "contact");
    }
    if (rep && Member(*rep, "children").is_array()) {
      for (const json& c : Member(*rep, "children")) {
        if (HasType(c, "h-card")) CardContact(c, "contact");
      }
    }
    std::vector<const json*> all;
    CollectItems(items, all);
    for (const json* item : all) {
      if (HasType(*item, "h-event")) Event(*item, rep);
      if (HasType(*item, "h-entry") && !Values(*item, "rsvp").empty()) Rsvp(*item);
    }
    Rels(mf2);
  }

 private:
  void Add(std::string_view kind, const std::string& value, std::string_view prop) {
    sink_.AddIdentity(kind, value, "h-card", std::string(prop) + ": " + value);
  }

  void Identity(const json& card) {
    for (const json& v : Values(card, "name")) Add("name", ValueText(v), "p-name");
    for (const json& v : Values(card, "nickname")) Add("name", ValueText(v), "p-nickname");
    if (Values(card, "name").empty()) {
      std::string given = First(card, "given-name"), family = First(card, "family-name");
      Add("name", given + (given.empty() || family.empty() ? "" : " ") + family, "p-given-name");
    }
    bool first_url = true;
    for (const json& v : Values(card, "url")) {
      Add(first_url ? "url" : "profile", ValueText(v), "u-url");
      first_url = false;
    }
    for (const json& v : Values(card, "email")) Add("email", StripScheme(ValueText(v), "mailto:"), "u-email");
    for (const json& v : Values(card, "tel")) Add("phone", StripScheme(ValueText(v), "tel:"), "p-tel");
    for (const json& v : Values(card, "org")) Add("employer", ValueText(v), "p-org");
    for (const json& v : Values(card, "job-title")) Add("headline", ValueText(v), "p-job-title");
    for (const json& v : Values(card, "role")) Add("headline", ValueText(v), "p-role");
    for (const json& v : Values(card, "adr")) Add("address", ValueText(v), "p-adr");
    for (const json& v : Values(card, "street-address")) Add("address", ValueText(v), "p-street-address");
    std::string place;
    for (std::string_view key : {"locality", "region", "country-name"}) {
      std::string part = First(card, key);
      if (!part.empty()) place += (place.empty() ? "" : ", ") + part;
    }
    Add("location", place, "p-locality");
    for (const json& v : Values(card, "photo")) Add("photo", ValueText(v), "u-photo");
    for (const json& v : Values(card, "bday")) Add("birthday", ValueText(v), "dt-bday");
    for (const json& v : Values(card, "category")) {
      if (v.is_object() && HasType(v, "h-card")) CardContact(v, "contact");
    }
  }

  void CardContact(const json& card, std::string_view relation) {
    model::Contact c;
    c.name = First(card, "name");
    c.url = First(card, "url");
    c.relation = std::string(relation);
    c.evidence.push_back(sink_.MakeEvidence("h-card", "h-card: " + c.name + " " + c.url));
    sink_.AddContact(std::move(c));
  }

  void Event(const json& item, const json* rep) {
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
        for (const json& v : Values(item, key)) {
          bool match = v.is_object() ? (!me.empty() && First(v, "url") == me) ||
                                           (!my_name.empty() && First(v, "name") == my_name)
                                     : ValueText(v) == my_name;
          if (match && ev.role.empty()) ev.role = role;
        }
      }
    }
    ev.evidence.push_back(sink_.MakeEvidence("h-event", "h-event: " + ev.name + " " + ev.start));
    sink_.AddEvent(std::move(ev));
  }

  void Rsvp(const json& entry) {
    std::string rsvp = First(entry, "rsvp");
    for (char& ch : rsvp) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const json& replies = Values(entry, "in-reply-to");
    model::Event ev;
    if (!replies.empty()) {
      const json& target = replies[0];
      if (target.is_object() && target.contains("type")) {
        ev.name = First(target, "name");
        ev.url = First(target, "url");
        ev.start = First(target, "start");
        ev.end = First(target, "end");
        ev.location = First(target, "location");
      } else {
        ev.url = ValueText(target);
      }
    }
    if (ev.name.empty()) ev.name = ev.url;
    ev.role = "rsvp-" + rsvp;
    ev.evidence.push_back(sink_.MakeEvidence("h-entry", "p-rsvp: " + rsvp + " " + ev.url));
    sink_.AddEvent(std::move(ev));
  }

  void Rels(const json& mf2) {
    const json& rel_urls = Member(mf2, "rel-urls");
    if (!rel_urls.is_object()) return;
    for (const auto& [url, entry] : rel_urls.items()) {
      const json& rels = Member(entry, "rels");
      if (!rels.is_array()) continue;
      std::string relation;
      bool me = false;
      for (const json& r : rels) {
        if (!r.is_string()) continue;
        std::string_view token = r.get_ref<const std::string&>();
        if (token == "me") me = true;
        std::string_view x = XfnRelation(token);
        if (!x.empty() && (relation.empty() || relation == "met")) relation = std::string(x);
      }
      const json& text_value = Member(entry, "text");
      std::string text = text_value.is_string() ? text_value.get<std::string>() : std::string();
      if (me) {
        sink_.AddIdentity("profile", url, "rel-me", "rel=\"me\" " + url);
        continue;  // XFN on a rel=me link describes the person, not a contact
      }
      if (relation.empty()) continue;
      model::Contact c;
      c.name = text;
      c.url = url;
      c.relation = relation;
      std::string all;
      for (const json& r : rels) {
        if (r.is_string()) all += (all.empty() ? "" : " ") + r.get<std::string>();
      }
      c.evidence.push_back(sink_.MakeEvidence("xfn", "rel=\"" + all + "\" " + url));
      sink_.AddContact(std::move(c));
    }
  }

  FactSink& sink_;
};

}  // namespace

void MicroformatsToFacts(const nlohmann::json& mf2, FactSink& sink) { Mapper(sink).Run(mf2); }

}  // namespace telescreen::extract
