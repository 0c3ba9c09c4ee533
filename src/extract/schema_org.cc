// schema.org items -> identity, contacts and events.
#include "extract/schema_org.h"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/url.h"

namespace telescreen::extract {
namespace {

using json = nlohmann::json;

constexpr int kMaxDepth = 200;

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool IsHttp(std::string_view s) { return StartsWith(s, "http://") || StartsWith(s, "https://"); }

const std::string& Str(const json& v) { return v.get_ref<const std::string&>(); }

// `url` without its fragment, normalised ("#me" ids name the page's owner).
std::string SamePage(std::string_view url) {
  if (url.empty()) return {};
  auto parsed = core::Url::Parse(url.substr(0, url.find('#')));
  return parsed.ok() ? parsed.value().ToString() : std::string();
}

// Relations from a Person to another Person, and the Contact.relation each means.
constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kRelations = {{
    {"knows", "knows"},
    {"follows", "follows"},
    {"colleague", "colleague"},
    {"colleagues", "colleague"},
    {"spouse", "spouse"},
    {"relatedTo", "related"},
    {"sibling", "family"},
    {"siblings", "family"},
    {"parent", "family"},
    {"parents", "family"},
    {"children", "family"},
}};

// Event properties naming a participant, and the role they give the person
// (a performer or actor is on stage, which the roles call "spoke").
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kParticipants = {{
    {"attendee", "attended"},
    {"attendees", "attended"},
    {"performer", "spoke"},
    {"performers", "spoke"},
    {"organizer", "organised"},
    {"actor", "spoke"},
    {"contributor", "spoke"},
}};

class Mapper {
 public:
  Mapper(std::string_view via, FactSink& sink) : via_(via), sink_(sink) {}

  void Run(const json& items) {
    AddTop(items, 0);
    Index(items, 0);
    const json* main = FindMainPerson();
    if (main) {
      AddPerson(*main);
    } else {
      for (const json* p : top_) {
        if (HasType(*p, "Person") && !IsReferenced(*p)) AddContact(*p, "contact");
      }
    }
    AddEvents(main);
    AddResponses(main);
  }

 private:
  // Top-level items: array elements and @graph members.
  void AddTop(const json& v, int depth) {
    if (depth > 4) return;
    if (v.is_array()) {
      for (const auto& e : v) AddTop(e, depth + 1);
    } else if (v.is_object()) {
      if (v.contains("@type")) top_.push_back(&v);
      auto graph = v.find("@graph");
      if (graph != v.end()) AddTop(*graph, depth + 1);
    }
  }

  // Every object with an @id and content is indexed; every Event collected.
  void Index(const json& v, int depth) {
    if (depth > kMaxDepth) return;
    if (v.is_array()) {
      for (const auto& e : v) Index(e, depth + 1);
      return;
    }
    if (!v.is_object()) return;
    auto id = v.find("@id");
    if (id != v.end() && id->is_string() && !IsReference(v)) ids_.emplace(Str(*id), &v);
    if (IsEvent(v)) events_.push_back(&v);
    if (IsPost(v)) posts_.push_back(&v);
    for (const auto& [key, child] : v.items()) {
      if (key == "@context") continue;
      if (IsRelation(LocalName(key))) NoteReferences(child);
      Index(child, depth + 1);
    }
  }

  static bool IsRelation(std::string_view key) {
    return std::any_of(kRelations.begin(), kRelations.end(), [&](const auto& r) { return r.first == key; });
  }

  // Persons named as someone's contact (by @id or by IRI string) are not
  // the page's subject.
  void NoteReferences(const json& v) {
    if (v.is_array()) {
      for (const auto& e : v) {
        if (!e.is_array()) NoteReferences(e);
      }
    } else if (v.is_string()) {
      referenced_.insert(Str(v));
    } else if (v.is_object()) {
      auto id = v.find("@id");
      if (id != v.end() && id->is_string()) referenced_.insert(Str(*id));
    }
  }

  static bool IsReference(const json& v) {
    if (!v.is_object() || !v.contains("@id")) return false;
    for (const auto& [key, child] : v.items()) {
      if (key != "@id" && key != "@type") return false;
    }
    return true;
  }

  const json& Deref(const json& v) const {
    if (!IsReference(v)) return v;
    const json& id = v["@id"];
    if (!id.is_string()) return v;
    auto it = ids_.find(Str(id));
    return it == ids_.end() ? v : *it->second;
  }

  static std::vector<std::string_view> Types(const json& v) {
    std::vector<std::string_view> types;
    if (!v.is_object()) return types;
    auto t = v.find("@type");
    if (t == v.end()) return types;
    if (t->is_string()) types.push_back(LocalName(Str(*t)));
    if (t->is_array()) {
      for (const auto& e : *t) {
        if (e.is_string()) types.push_back(LocalName(Str(e)));
      }
    }
    return types;
  }

  static bool HasType(const json& v, std::string_view type) {
    auto types = Types(v);
    return std::find(types.begin(), types.end(), type) != types.end();
  }

  // Posts whose comments show who responded (schema.org CreativeWork kinds
  // that sites use for a person's posts).
  static bool IsPost(const json& v) {
    for (auto t : Types(v)) {
      if (t == "SocialMediaPosting" || t == "DiscussionForumPosting" || t == "BlogPosting") return true;
    }
    return false;
  }

  static bool IsEvent(const json& v) {
    for (auto t : Types(v)) {
      if (IsEventType(t)) return true;
    }
    // "additionalType": "https://schema.org/Event" on, say, a TouristAttraction.
    if (const json* extra = Get(v, "additionalType")) {
      if (extra->is_string()) return IsEventType(LocalName(Str(*extra)));
      if (extra->is_array()) {
        for (const auto& e : *extra) {
          if (e.is_string() && IsEventType(LocalName(Str(e)))) return true;
        }
      }
    }
    return false;
  }

  // The value of property `key`, matching "name", "schema:name" and full IRIs.
  static const json* Get(const json& obj, std::string_view key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    if (it != obj.end()) return &*it;
    for (auto i = obj.begin(); i != obj.end(); ++i) {
      if (i.key().size() > key.size() && LocalName(i.key()) == key) return &i.value();
    }
    return nullptr;
  }

  // Calls fn for each value of `key` (arrays flattened, references followed).
  template <typename Fn>
  void Each(const json& obj, std::string_view key, Fn fn) const {
    const json* v = Get(obj, key);
    if (!v) return;
    if (v->is_array()) {
      for (const auto& e : *v) {
        if (!e.is_array()) fn(Deref(e));
      }
    } else {
      fn(Deref(*v));
    }
  }

  std::string Text(const json& v, int depth = 0) const {
    if (depth > 4) return {};
    if (v.is_string()) return Str(v);
    if (v.is_number()) return v.dump();
    if (v.is_array()) return v.empty() ? std::string() : Text(Deref(v.front()), depth + 1);
    if (!v.is_object()) return {};
    if (auto it = v.find("@value"); it != v.end()) return Text(*it, depth + 1);
    if (const json* name = Get(v, "name")) return Text(*name, depth + 1);
    return {};
  }

  std::string First(const json& obj, std::string_view key) const {
    std::string out;
    Each(obj, key, [&](const json& v) {
      if (out.empty()) out = Text(v);
    });
    return out;
  }

  std::string UrlOf(const json& v) const {
    if (v.is_string()) return sink_.Resolve(Str(v));
    for (std::string_view key : {"url", "contentUrl"}) {
      std::string u = First(v, key);
      if (!u.empty()) return sink_.Resolve(u);
    }
    if (const json* id = Get(v, "@id"); id && id->is_string() && IsHttp(Str(*id))) return Str(*id);
    return {};
  }

  std::string PersonName(const json& p) const {
    std::string name = First(p, "name");
    if (!name.empty()) return name;
    std::string given = First(p, "givenName"), family = First(p, "familyName");
    if (!given.empty() && !family.empty()) return given + " " + family;
    return given.empty() ? family : given;
  }

  std::string AddressText(const json& v) const {
    if (v.is_string()) return Str(v);
    if (!v.is_object()) return {};
    std::string locality = First(v, "postalCode");
    std::string town = First(v, "addressLocality");
    if (!town.empty()) locality += (locality.empty() ? "" : " ") + town;
    std::string out;
    for (const std::string& part :
         {First(v, "streetAddress"), locality, First(v, "addressRegion"), First(v, "addressCountry")}) {
      if (part.empty()) continue;
      if (!out.empty()) out += ", ";
      out += part;
    }
    return out.empty() ? First(v, "name") : out;
  }

  std::string LocationText(const json& v) const {
    if (v.is_string()) return Str(v);
    if (HasType(v, "PostalAddress")) return AddressText(v);
    if (HasType(v, "VirtualLocation")) {
      std::string url = First(v, "url");
      return url.empty() ? First(v, "name") : url;
    }
    std::string name = First(v, "name");
    std::string address;
    Each(v, "address", [&](const json& a) {
      if (address.empty()) address = AddressText(a);
    });
    if (name.empty()) return address;
    if (address.empty() || address == name) return name;
    return name + ", " + address;
  }

  bool IsReferenced(const json& v) const {
    const json* id = Get(v, "@id");
    return id && id->is_string() && referenced_.count(Str(*id)) > 0;
  }

  const json* FindMainPerson() const {
    for (const json* t : top_) {
      auto types = Types(*t);
      bool page = std::any_of(types.begin(), types.end(), [](std::string_view s) {
        return s == "ProfilePage" || s == "WebPage" || s == "AboutPage";
      });
      if (!page) continue;
      for (std::string_view key : {"mainEntity", "about"}) {
        const json* found = nullptr;
        Each(*t, key, [&](const json& e) {
          if (!found && HasType(e, "Person")) found = &e;
        });
        if (found) return found;
      }
    }
    // A top-level Person whose url or @id is the page itself: the page
    // says whose it is, however many other people it shows.
    const std::string page = SamePage(sink_.page_url());
    for (const json* t : top_) {
      if (page.empty() || !HasType(*t, "Person") || IsReferenced(*t)) continue;
      const json* id = Get(*t, "@id");
      if (SamePage(UrlOf(*t)) == page ||
          (id && id->is_string() && SamePage(sink_.Resolve(Str(*id))) == page)) {
        return t;
      }
    }
    // Else the only top-level Person that no other item points at. (A page
    // that names its owner neither way and adds a second Person loses its
    // owner: JSON-LD gives no better clue.)
    const json* only = nullptr;
    for (const json* t : top_) {
      if (!HasType(*t, "Person") || IsReferenced(*t)) continue;
      if (only) return nullptr;
      only = t;
    }
    return only;
  }

  void Identity(std::string_view kind, const std::string& value, std::string_view key) {
    sink_.AddIdentity(kind, value, via_, std::string(key) + ": " + value);
  }

  void AddPerson(const json& p) {
    Each(p, "name", [&](const json& v) { Identity("name", Text(v), "name"); });
    if (!Get(p, "name")) Identity("name", PersonName(p), "givenName familyName");
    Each(p, "alternateName", [&](const json& v) { Identity("name", Text(v), "alternateName"); });
    Each(p, "url", [&](const json& v) { Identity("url", UrlOf(v), "url"); });
    Each(p, "sameAs", [&](const json& v) { Identity("profile", UrlOf(v), "sameAs"); });
    Each(p, "worksFor", [&](const json& v) { Identity("employer", Text(v), "worksFor"); });
    for (std::string_view key : {"memberOf", "affiliation", "alumniOf"}) {
      Each(p, key, [&](const json& v) { Identity("group", Text(v), key); });
    }
    Each(p, "jobTitle", [&](const json& v) { Identity("headline", Text(v), "jobTitle"); });
    Each(p, "address", [&](const json& v) { Identity("address", AddressText(v), "address"); });
    for (std::string_view key : {"homeLocation", "workLocation"}) {
      Each(p, key, [&](const json& v) { Identity("location", LocationText(v), key); });
    }
    Each(p, "email", [&](const json& v) {
      std::string e = Text(v);
      if (StartsWith(e, "mailto:")) e.erase(0, 7);
      Identity("email", e, "email");
    });
    Each(p, "telephone", [&](const json& v) { Identity("phone", Text(v), "telephone"); });
    Each(p, "birthDate", [&](const json& v) { Identity("birthday", Text(v), "birthDate"); });
    Each(p, "image", [&](const json& v) { Identity("photo", UrlOf(v), "image"); });
    for (const auto& [key, relation] : kRelations) {
      Each(p, key, [&, relation = relation](const json& v) { AddContact(v, relation); });
    }
    Each(p, "performerIn", [&](const json& v) { person_roles_.emplace_back(&v, "spoke"); });
  }

  void AddContact(const json& v, std::string_view relation) {
    model::Contact c;
    if (v.is_string()) {
      if (IsHttp(Str(v)) || StartsWith(Str(v), "/")) {
        c.url = sink_.ResolveHttp(Str(v));
      } else {
        c.name = Str(v);
      }
    } else if (v.is_object()) {
      c.name = PersonName(v);
      c.url = UrlOf(v);
    }
    c.relation = std::string(relation);
    c.evidence.push_back(
        sink_.MakeEvidence(via_, std::string(relation) + ": " + (c.name.empty() ? c.url : c.name)));
    sink_.AddContact(std::move(c));
  }

  bool IsMain(const json& v, const json* main) const {
    if (!main) return false;
    if (&v == main) return true;
    const json* a = Get(v, "@id");
    const json* b = Get(*main, "@id");
    if (a && b && *a == *b) return true;
    std::string name = PersonName(v);
    return !name.empty() && name == PersonName(*main);
  }

  std::string RoleOf(const json& event, const json* main) const {
    for (const auto& [e, role] : person_roles_) {
      if (e == &event) return std::string(role);
    }
    for (const auto& [key, role] : kParticipants) {
      bool found = false;
      Each(event, key, [&](const json& v) { found = found || IsMain(v, main); });
      if (found) return std::string(role);
    }
    return {};
  }

  void AddEvents(const json* main) {
    std::vector<const json*> seen;
    for (const json* e : events_) {
      if (std::find(seen.begin(), seen.end(), e) != seen.end()) continue;
      seen.push_back(e);
      model::Event ev;
      ev.name = First(*e, "name");
      ev.start = First(*e, "startDate");
      ev.end = First(*e, "endDate");
      Each(*e, "location", [&](const json& v) {
        if (ev.location.empty()) ev.location = LocationText(v);
      });
      std::string url = First(*e, "url");
      if (!url.empty()) ev.url = sink_.Resolve(url);
      ev.role = RoleOf(*e, main);
      ev.status = StatusOf(First(*e, "eventStatus"));
      for (std::string_view key : {"attendee", "attendees"}) {
        Each(*e, key, [&](const json& v) {
          if (ev.attendees.size() >= model::kMaxAttendees) return;
          model::Attendee a;
          if (v.is_object()) {
            a.name = PersonName(v);
            a.url = UrlOf(v);
          } else if (v.is_string()) {
            (IsHttp(Str(v)) ? a.url : a.name) = Str(v);
          }
          if (!a.name.empty() || !a.url.empty()) ev.attendees.push_back(std::move(a));
        });
      }
      ev.evidence.push_back(sink_.MakeEvidence(via_, ev.name + " " + ev.start));
      sink_.AddEvent(std::move(ev));
    }
  }

  // The authors of the comments on the person's own posts, as interactions:
  // posts whose author is the page's person, or, on a page about no
  // person, the page's own top-level posts (a post page).
  void AddResponses(const json* main) {
    for (const json* post : posts_) {
      bool own = false;
      if (main) {
        Each(*post, "author", [&](const json& a) { own = own || IsMain(a, main); });
      } else {
        own = std::find(top_.begin(), top_.end(), post) != top_.end();
      }
      if (!own) continue;
      Each(*post, "comment", [&](const json& comment) {
        Each(comment, "author", [&](const json& a) {
          model::Interaction i;
          if (a.is_string()) {
            (IsHttp(Str(a)) ? i.url : i.name) = Str(a);
          } else if (a.is_object()) {
            i.name = PersonName(a);
            i.url = UrlOf(a);
          }
          i.kind = model::InteractionKind::kComment;
          i.evidence.push_back(sink_.MakeEvidence(via_, "comment by " + (i.name.empty() ? i.url : i.name)));
          sink_.AddInteraction(std::move(i));
        });
      });
    }
  }

  std::string_view via_;
  FactSink& sink_;
  std::vector<const json*> top_;
  std::vector<const json*> events_;
  std::vector<const json*> posts_;
  std::unordered_map<std::string, const json*> ids_;
  std::unordered_set<std::string_view> referenced_;  // ids named by knows, follows, ...
  std::vector<std::pair<const json*, std::string_view>> person_roles_;
};

}  // namespace

std::string StatusOf(std::string_view event_status) {
  std::string_view s = LocalName(event_status);
  if (s == "EventCancelled") return "cancelled";
  if (s == "EventPostponed") return "postponed";
  if (s == "EventRescheduled") return "rescheduled";
  if (s == "EventMovedOnline") return "moved-online";
  return {};
}

std::string_view LocalName(std::string_view iri) {
  std::size_t cut = iri.find_last_of("/#:");
  return cut == std::string_view::npos ? iri : iri.substr(cut + 1);
}

bool IsEventType(std::string_view type) {
  static constexpr std::string_view kTypes[] = {
      "Event",          "BusinessEvent",   "ChildrensEvent", "ComedyEvent",
      "CourseInstance", "DanceEvent",      "DeliveryEvent",  "EducationEvent",
      "EventSeries",    "ExhibitionEvent", "Festival",       "FoodEvent",
      "Hackathon",      "LiteraryEvent",   "MusicEvent",     "PublicationEvent",
      "BroadcastEvent", "OnDemandEvent",   "SaleEvent",      "ScreeningEvent",
      "SocialEvent",    "SportsEvent",     "TheaterEvent",   "VisualArtsEvent"};
  return std::find(std::begin(kTypes), std::end(kTypes), type) != std::end(kTypes);
}

void ExtractSchemaOrg(const nlohmann::json& items, std::string_view via, FactSink& sink) {
  Mapper(via, sink).Run(items);
}

}  // namespace telescreen::extract
