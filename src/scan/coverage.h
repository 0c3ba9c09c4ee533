// Coverage: how much of each scan target the scan could see. A login wall,
// a block or a failed fetch is a gap in the view, never evidence that little
// is public; the scorer marks the score incomplete and the reports lead with
// these entries.
#pragma once

#include <string>
#include <vector>

#include "model/scan_result.h"

namespace telescreen::scan {

// One entry per target, in order. `page_targets` gives, per page, the target
// it was loaded for (saved files, HAR exports: every page of the file is the
// target's own); when it is empty (a crawl), a page is the target's own when
// it was requested at the target's URL, and belongs to the target whose site
// (host without "www.") it is on otherwise.
//
//   failed   no own page answered: the transport error or "HTTP 404";
//   walled   every own page that answered was a wall: its detail;
//   partial  an own page was read, another page of the target was walled or
//            failed: "2 of 9 pages not seen: <first cause>";
//   full     otherwise. Pages robots.txt disallowed were skipped on purpose
//            and are named in the detail without making the view partial,
//            unless the target itself was disallowed (then it failed).
std::vector<model::Coverage> ComputeCoverage(const std::vector<std::string>& targets,
                                             const std::vector<model::Page>& pages,
                                             const std::vector<std::string>& page_targets);

// An interrupted crawl left pages unfetched, and which target's site they
// were on is not known: every target seen in full becomes partial ("the scan
// was interrupted"), one never fetched says so in its detail.
void MarkInterrupted(std::vector<model::Coverage>* coverage);

}  // namespace telescreen::scan
