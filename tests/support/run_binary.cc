#include "tests/support/run_binary.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace telescreen::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string MakeTempDir(const std::string& prefix) {
  std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  char* dir = ::mkdtemp(buf.data());
  return dir ? std::string(dir) : std::string();
}

int SpawnTelescreen(const std::vector<std::string>& args, const std::string& cwd,
                    const std::vector<std::string>& env, const std::string& out_path,
                    const std::string& err_path) {
  std::string binary = TELESCREEN_BINARY;
  std::vector<std::string> copies = args;
  std::vector<char*> argv;
  argv.push_back(binary.data());
  for (auto& a : copies) argv.push_back(a.data());
  argv.push_back(nullptr);
  // The environment: `env` (of two entries with one name, the later),
  // then ours without the names `env` sets.
  std::vector<std::string> vars;
  std::set<std::string> names;
  auto name_of = [](const std::string& v) { return v.substr(0, v.find('=')); };
  for (auto it = env.rbegin(); it != env.rend(); ++it) {
    if (names.insert(name_of(*it)).second) vars.push_back(*it);
  }
  for (char** e = environ; *e; ++e) {
    if (names.count(name_of(*e)) == 0) vars.emplace_back(*e);
  }
  std::vector<char*> envp;
  for (auto& v : vars) envp.push_back(v.data());
  envp.push_back(nullptr);
  const char* out_file = out_path.empty() ? "/dev/null" : out_path.c_str();
  const char* err_file = err_path.empty() ? "/dev/null" : err_path.c_str();
  pid_t pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls from here on.
    int out = ::open(out_file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int in = ::open("/dev/null", O_RDONLY);
    if (out < 0 || err < 0 || in < 0) ::_exit(126);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

RunResult RunTelescreen(const std::vector<std::string>& args, const std::string& cwd,
                        const std::vector<std::string>& env) {
  std::string dir = MakeTempDir("telescreen-run");
  std::string out_path = dir + "/out", err_path = dir + "/err";
  // Never touch the real user's history or pattern packs: each run gets
  // its own XDG folders unless the test names others.
  std::vector<std::string> all_env = {"XDG_DATA_HOME=" + dir + "/data", "XDG_CONFIG_HOME=" + dir + "/config"};
  all_env.insert(all_env.end(), env.begin(), env.end());  // the test's win
  pid_t pid = SpawnTelescreen(args, cwd, all_env, out_path, err_path);
  RunResult r;
  if (pid < 0) {
    r.err = "fork failed";
    std::filesystem::remove_all(dir);
    return r;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = Slurp(out_path);
  r.err = Slurp(err_path);
  std::filesystem::remove_all(dir);
  return r;
}

}  // namespace telescreen::testing
