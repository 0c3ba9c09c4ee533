// XDG base directories (XDG Base Directory Specification 0.8): where
// Telescreen keeps its history, user pattern packs and other per-user files.
#pragma once

#include <optional>
#include <string>

namespace telescreen::core {

enum class XdgDir {
  kData,    // $XDG_DATA_HOME, else ~/.local/share
  kConfig,  // $XDG_CONFIG_HOME, else ~/.config
  kState,   // $XDG_STATE_HOME, else ~/.local/state
  kCache,   // $XDG_CACHE_HOME, else ~/.cache
};

// The base directory `which`, as the variable spells it. The variable counts
// only when it holds an absolute path (the spec says a relative one is
// invalid and must be ignored); else the default below the home directory,
// which is $HOME when that is absolute, else the password database's entry
// for this user. nullopt when neither gives an absolute home.
std::optional<std::string> XdgBaseDir(XdgDir which);

}  // namespace telescreen::core
