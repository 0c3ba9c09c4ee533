// Minimal placeholder; see vcard.h.
#include "extract/vcard.h"

namespace telescreen::extract {

model::PageFacts ExtractVcard(std::string_view, const PageInput&) { return {}; }

}  // namespace telescreen::extract
