// ActivityPub: actor documents (identity, links to followers/following) and
// their OrderedCollection pages (contacts).
#pragma once

#include <string_view>

#include "extract/extractor.h"
#include "model/facts.h"

namespace telescreen::extract {

// True iff `json_text` looks like an ActivityStreams document (an @context
// naming https://www.w3.org/ns/activitystreams).
bool IsActivityStreams(std::string_view json_text);

// Facts from an actor, a collection or a collection page. Links to
// followers/following collections and to "first"/"next" pages come back in
// facts.links (kind "contacts" / "next") for the crawler to fetch with
// Accept: application/activity+json.
// Contacts from a followers collection get relation "follower", from a
// following collection "following" (decided by the id or partOf path).
//
// Bounds: documents over 4 MiB or nested deeper than 64 levels are not
// parsed (a warning says so); at most 5,000 contacts per document.
model::PageFacts ExtractActivityPub(std::string_view json_text, const PageInput& input);

}  // namespace telescreen::extract
