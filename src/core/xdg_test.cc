#include "core/xdg.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace telescreen::core {
namespace {

// Sets an environment variable for one test and puts the old value back.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(XdgTest, AnAbsoluteVariableWins) {
  ScopedEnv data("XDG_DATA_HOME", "/data/xdg");
  ScopedEnv config("XDG_CONFIG_HOME", "/conf");
  ScopedEnv state("XDG_STATE_HOME", "/state");
  ScopedEnv cache("XDG_CACHE_HOME", "/cache");
  EXPECT_EQ(XdgBaseDir(XdgDir::kData), "/data/xdg");
  EXPECT_EQ(XdgBaseDir(XdgDir::kConfig), "/conf");
  EXPECT_EQ(XdgBaseDir(XdgDir::kState), "/state");
  EXPECT_EQ(XdgBaseDir(XdgDir::kCache), "/cache");
}

TEST(XdgTest, ARelativeOrEmptyVariableFallsBackBelowHome) {
  ScopedEnv home("HOME", "/home/ann");
  ScopedEnv data("XDG_DATA_HOME", "relative/ignored");
  ScopedEnv config("XDG_CONFIG_HOME", "");
  ScopedEnv state("XDG_STATE_HOME", nullptr);
  ScopedEnv cache("XDG_CACHE_HOME", nullptr);
  EXPECT_EQ(XdgBaseDir(XdgDir::kData), "/home/ann/.local/share");
  EXPECT_EQ(XdgBaseDir(XdgDir::kConfig), "/home/ann/.config");
  EXPECT_EQ(XdgBaseDir(XdgDir::kState), "/home/ann/.local/state");
  EXPECT_EQ(XdgBaseDir(XdgDir::kCache), "/home/ann/.cache");
}

TEST(XdgTest, WithoutAUsableHomeThePasswordEntryIsAsked) {
  ScopedEnv home("HOME", "not/absolute");
  ScopedEnv config("XDG_CONFIG_HOME", nullptr);
  const std::optional<std::string> dir = XdgBaseDir(XdgDir::kConfig);
  // A build user without a passwd entry gets nullopt; anyone else an
  // absolute path that never starts from the relative $HOME.
  if (dir) {
    EXPECT_EQ(dir->front(), '/');
    EXPECT_EQ(dir->find("not/absolute"), std::string::npos);
    EXPECT_NE(dir->find("/.config"), std::string::npos);
  }
}

}  // namespace
}  // namespace telescreen::core
