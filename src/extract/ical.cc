// Minimal placeholder; see ical.h.
#include "extract/ical.h"

namespace telescreen::extract {

model::PageFacts ExtractIcal(std::string_view, const PageInput&) { return {}; }

}  // namespace telescreen::extract
