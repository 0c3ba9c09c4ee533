#include "store/file_lock.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace telescreen::store {
namespace {

namespace fs = std::filesystem;

class FileLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "telescreen-lock-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/history.db.lock";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Contents() {
    std::ifstream in(path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::string dir_;
  std::string path_;
};

TEST_F(FileLockTest, ExclusiveWhileHeldAndReleasedAfter) {
  {
    auto first = FileLock::Acquire(path_, std::chrono::milliseconds(0));
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(Contents(), std::to_string(getpid()) + "\n");
    struct stat st {};
    ASSERT_EQ(stat(path_.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    auto second = FileLock::Acquire(path_, std::chrono::milliseconds(60));
    ASSERT_FALSE(second.ok());
    EXPECT_NE(second.error().message.find("locked by process " + std::to_string(getpid())), std::string::npos)
        << second.error().message;
  }
  EXPECT_EQ(Contents(), "");  // the pid is forgotten on release
  EXPECT_TRUE(FileLock::Acquire(path_, std::chrono::milliseconds(0)).ok());
}

TEST_F(FileLockTest, AStalePidIsNotBlamed) {
  // A dead process's pid in the file, and a foreign holder (like flock(1))
  // that does not write its own.
  pid_t dead = fork();
  if (dead == 0) _exit(0);
  ASSERT_GT(dead, 0);
  waitpid(dead, nullptr, 0);
  std::ofstream(path_) << dead << "\n";
  int fd = open(path_.c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(flock(fd, LOCK_EX), 0);
  auto blocked = FileLock::Acquire(path_, std::chrono::milliseconds(0));
  close(fd);
  ASSERT_FALSE(blocked.ok());
  EXPECT_NE(blocked.error().message.find("locked by another process"), std::string::npos)
      << blocked.error().message;
}

TEST_F(FileLockTest, TheLockDiesWithItsHolder) {
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t child = fork();
  if (child == 0) {
    auto lock = FileLock::Acquire(path_, std::chrono::milliseconds(0));
    char c = lock.ok() ? 'y' : 'n';
    (void)!write(ready[1], &c, 1);
    pause();  // hold it until killed
    _exit(0);
  }
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  EXPECT_FALSE(FileLock::Acquire(path_, std::chrono::milliseconds(0)).ok());
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  EXPECT_TRUE(FileLock::Acquire(path_, std::chrono::milliseconds(0)).ok());
  close(ready[0]);
  close(ready[1]);
}

TEST_F(FileLockTest, MissingDirectoryIsAClearError) {
  auto lock = FileLock::Acquire(dir_ + "/no/such/dir/x.lock", std::chrono::milliseconds(0));
  ASSERT_FALSE(lock.ok());
  EXPECT_NE(lock.error().message.find("cannot open lock file"), std::string::npos);
}

}  // namespace
}  // namespace telescreen::store
