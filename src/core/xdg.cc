#include "core/xdg.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace telescreen::core {
namespace {

struct XdgRule {
  const char* variable;
  const char* below_home;
};

XdgRule RuleFor(XdgDir which) {
  switch (which) {
    case XdgDir::kData:
      return {"XDG_DATA_HOME", "/.local/share"};
    case XdgDir::kConfig:
      return {"XDG_CONFIG_HOME", "/.config"};
    case XdgDir::kState:
      return {"XDG_STATE_HOME", "/.local/state"};
    case XdgDir::kCache:
      return {"XDG_CACHE_HOME", "/.cache"};
  }
  return {"XDG_DATA_HOME", "/.local/share"};
}

bool IsAbsolute(const char* path) { return path != nullptr && path[0] == '/'; }

}  // namespace

std::optional<std::string> XdgBaseDir(XdgDir which) {
  const XdgRule rule = RuleFor(which);
  if (const char* value = std::getenv(rule.variable); IsAbsolute(value)) return std::string(value);
  const char* home = std::getenv("HOME");
  if (!IsAbsolute(home)) {
    const passwd* pw = getpwuid(getuid());
    home = pw != nullptr ? pw->pw_dir : nullptr;
  }
  if (!IsAbsolute(home)) return std::nullopt;
  return std::string(home) + rule.below_home;
}

}  // namespace telescreen::core
