// vCard 3 and 4 (RFC 2426, RFC 6350): identity facts and contacts.
#pragma once

#include <string_view>

#include "extract/extractor.h"
#include "model/facts.h"

namespace telescreen::extract {

// Identity facts (FN, N, ORG, TITLE, EMAIL, TEL, ADR, URL, BDAY) from a
// vCard body. Malformed input yields what could be read plus a warning.
//
// The first card is the person: FN (or N) and NICKNAME -> "name", ORG ->
// "employer", TITLE/ROLE -> "headline", EMAIL -> "email", TEL -> "phone",
// ADR -> "address", URL -> "url", X-SOCIALPROFILE/IMPP -> "profile",
// BDAY -> "birthday" (ISO 8601), PHOTO by URI -> "photo". A body with more
// cards is an address book: each further card becomes a Contact (relation
// "contact", url = its URL or mailto: address). vCard 2.1 quoted-printable
// and Latin-1 charsets are decoded.
//
// Bounds: input cut at 8 MiB (see content_line.h); at most 5,000 cards.
model::PageFacts ExtractVcard(std::string_view text, const PageInput& input);

}  // namespace telescreen::extract
