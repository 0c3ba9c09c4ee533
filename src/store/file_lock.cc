#include "store/file_lock.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

namespace telescreen::store {

using core::ErrorCode;
using core::MakeError;

namespace {

// The pid the holder wrote, or "" when unreadable (it may be writing it).
std::string ReadHolder(int fd) {
  char buf[32] = {};
  ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
  if (n <= 0) return {};
  std::string text(buf, static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char c : text) {
    if (c < '0' || c > '9') return {};
  }
  return text;
}

void WritePid(int fd) {
  std::string text = std::to_string(getpid()) + "\n";
  // Best effort: the pid is only for the message another process prints.
  if (ftruncate(fd, 0) == 0) {
    (void)!pwrite(fd, text.data(), text.size(), 0);
  }
}

}  // namespace

core::Result<FileLock> FileLock::Acquire(const std::string& path, std::chrono::milliseconds wait) {
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return MakeError(ErrorCode::kIo, path + ": cannot open lock file: " + std::strerror(errno));
  }
  FileLock lock(fd);  // closes fd on every error path below
  const auto deadline = std::chrono::steady_clock::now() + wait;
  const auto poll = std::chrono::milliseconds(50);
  for (;;) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
      WritePid(fd);
      return lock;
    }
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) {
      return MakeError(ErrorCode::kIo, path + ": cannot lock: " + std::strerror(errno));
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(poll);
  }
  // The pid is the holder's only if that process is alive: a foreign
  // holder (flock(1)) leaves the last telescreen's pid in the file.
  std::string holder = ReadHolder(fd);
  bool alive = !holder.empty() && holder.size() < 10 &&
               (kill(static_cast<pid_t>(std::stol(holder)), 0) == 0 || errno == EPERM);
  std::string who = alive ? "process " + holder : "another process";
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(wait).count();
  return MakeError(ErrorCode::kIo, path + ": history is locked by " + who +
                                       " (another telescreen scan?); gave up after " +
                                       std::to_string(seconds) + " s. Try again when it has finished.");
}

FileLock::~FileLock() {
  if (fd_ >= 0) {
    // Forget our pid while we still hold the lock, then release it.
    (void)!ftruncate(fd_, 0);
    close(fd_);
  }
}

}  // namespace telescreen::store
