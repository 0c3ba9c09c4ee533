// vCard 3 and 4 (RFC 2426, RFC 6350): identity facts and contacts.
#pragma once

#include <string_view>

#include "extract/extractor.h"
#include "model/facts.h"

namespace telescreen::extract {

// Identity facts (FN, N, ORG, TITLE, EMAIL, TEL, ADR, URL, BDAY) from a
// vCard body. Malformed input yields what could be read plus a warning.
model::PageFacts ExtractVcard(std::string_view text, const PageInput& input);

}  // namespace telescreen::extract
