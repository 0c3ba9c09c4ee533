// schema.org vocabulary -> facts. JSON-LD, microdata and RDFa all reduce
// their items to JSON-LD-shaped objects ({"@type": "Person", "name": ...})
// and hand them here, so the three syntaxes yield the same facts.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "extract/page_context.h"

namespace telescreen::extract {

// `items` is an array of top-level items (after @graph expansion is not
// required: @graph, nested arrays and @id references are handled here).
// The main person is ProfilePage.mainEntity, or else the only top-level
// Person; identity comes from it, contacts from its knows / follows /
// colleague, events from every Event (any subtype) anywhere in `items`.
// Several top-level Persons without a main entity become contacts
// (relation "contact"). REQUIRES: nesting depth of `items` below 200.
void ExtractSchemaOrg(const nlohmann::json& items, std::string_view via, FactSink& sink);

// Event.status for a schema.org eventStatus ("https://schema.org/EventCancelled"
// gives "cancelled"); "" for EventScheduled or anything unknown.
std::string StatusOf(std::string_view event_status);

// The local name of a type or property IRI: "http://schema.org/Person",
// "schema:Person" and "Person" all give "Person".
std::string_view LocalName(std::string_view iri);

// True iff `type` (a local name) is schema.org Event or one of its subtypes.
bool IsEventType(std::string_view type);

}  // namespace telescreen::extract
