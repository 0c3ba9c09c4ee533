#include "cli/paths.h"

#include <cstdlib>

namespace telescreen::cli {
namespace {

// The spec says relative values are invalid and must be ignored.
std::string BaseDir(const char* variable, const char* fallback) {
  const char* v = std::getenv(variable);
  if (v && v[0] == '/') return v;
  const char* home = std::getenv("HOME");
  return std::string(home && home[0] ? home : ".") + "/" + fallback;
}

}  // namespace

std::string UserPatternsDir() { return BaseDir("XDG_CONFIG_HOME", ".config") + "/telescreen/patterns"; }

}  // namespace telescreen::cli
