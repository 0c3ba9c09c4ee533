#include "cli/paths.h"

#include "core/xdg.h"

namespace telescreen::cli {

// Without any home directory the packs are looked for below the working
// directory, as the user would find them with `ls .config`.
std::string UserPatternsDir() {
  return core::XdgBaseDir(core::XdgDir::kConfig).value_or("./.config") + "/telescreen/patterns";
}

}  // namespace telescreen::cli
