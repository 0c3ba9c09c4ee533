// Runs the telescreen binary as a user would, for end-to-end tests.
#pragma once

#include <string>
#include <vector>

namespace telescreen::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs TELESCREEN_BINARY with `args` in `cwd` (empty = current directory),
// with `env` ("NAME=value") added to the environment. XDG_DATA_HOME and
// XDG_CONFIG_HOME point into a fresh folder unless `env` sets them, so runs
// never read or write the real user's history. Waits for it to end.
RunResult RunTelescreen(const std::vector<std::string>& args, const std::string& cwd = "",
                        const std::vector<std::string>& env = {});

// Starts TELESCREEN_BINARY with `args` in `cwd` (empty = current
// directory), stdin from /dev/null and `out_path`/`err_path` (empty =
// /dev/null) as its output, and the environment plus `env` ("NAME=value",
// replacing a variable of that name; of two with one name, the later);
// returns its pid without waiting.
// Everything the child needs is built before fork(): the tests have server
// threads, and a child that allocated after fork could wait forever for a
// lock such a thread held at that moment.
int SpawnTelescreen(const std::vector<std::string>& args, const std::string& cwd,
                    const std::vector<std::string>& env, const std::string& out_path = "",
                    const std::string& err_path = "");

// A fresh empty directory under the system temp directory.
std::string MakeTempDir(const std::string& prefix);

}  // namespace telescreen::testing
