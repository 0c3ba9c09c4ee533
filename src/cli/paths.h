// XDG base directories (XDG Base Directory Specification 0.8).
#pragma once

#include <string>

namespace telescreen::cli {

// $XDG_CONFIG_HOME/telescreen/patterns, else ~/.config/telescreen/patterns.
std::string UserPatternsDir();

}  // namespace telescreen::cli
