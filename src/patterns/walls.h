// Walls: how a site shows a stranger a sign-in page or a block instead of
// the page asked for. A walled page is a gap in what a scan saw, never the
// person's content. PatternSet::DetectWall runs the packs' own signals
// (WallRule) and then these generic ones.
#pragma once

#include <optional>

#include "patterns/pack.h"
#include "patterns/pattern_set.h"

namespace telescreen::patterns {

// Pages whose text outside their password forms is shorter than this are
// "little more than a login form".
inline constexpr std::size_t kMaxLoginPageTextBytes = 1500;

// The first of `pack`'s walls whose conditions all hold, or nullopt.
std::optional<WallVerdict> PackWall(const Pack& pack, const WallCheck& page);

// The generic signals: status 401 (login), 403, 429, 999 (blocked); a
// redirect the request did not ask for to a sign-in path; an HTML page that
// is little more than a form with a password field. kNone when none holds.
WallVerdict GenericWall(const WallCheck& page);

}  // namespace telescreen::patterns
