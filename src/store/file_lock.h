// FileLock: an exclusive advisory lock (flock) on a file beside the history
// database, so two scans never interleave their read-previous / write-new
// steps. SQLite's own locking covers single statements and transactions;
// this covers the whole record operation and gives a clear message.
//
//   auto lock = FileLock::Acquire(db_path + ".lock", std::chrono::seconds(30));
//   if (!lock.ok()) return lock.error();   // names the holder's pid
//   ... write ...                          // released when `lock` goes away
#pragma once

#include <chrono>
#include <string>

#include "core/result.h"

namespace telescreen::store {

class FileLock {
 public:
  // Creates `path` (mode 0600) if needed and takes an exclusive lock on it,
  // retrying for up to `wait`. On success writes this process's pid into the
  // file so a waiting process can name the holder. Error (kIo) after `wait`:
  // "PATH is locked by process 1234 (another telescreen scan?) ...".
  // The lock is released when the FileLock is destroyed or the process dies
  // (flock locks die with their open file description).
  static core::Result<FileLock> Acquire(const std::string& path, std::chrono::milliseconds wait);

  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace telescreen::store
