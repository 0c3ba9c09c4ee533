#include "core/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

namespace telescreen::core {
namespace {

Error IoError(const std::string& path, const std::string& what) {
  return MakeError(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                   path + ": " + what + ": " + std::strerror(errno));
}

struct FdCloser {
  int fd = -1;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(path, "write failed");
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

}  // namespace

Result<std::string> ReadFile(const std::string& path, std::size_t max_bytes) {
  FdCloser f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) return IoError(path, errno == ENOENT ? "no such file" : "cannot open");
  struct stat st {};
  if (::fstat(f.fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    return MakeError(ErrorCode::kInvalidArgument, path + ": is a directory, not a file");
  }
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(f.fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(path, "read failed");
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > max_bytes) {
      return MakeError(ErrorCode::kInvalidArgument,
                       path + ": larger than the limit of " + std::to_string(max_bytes) + " bytes");
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

Status WriteFileAtomic(const std::string& path, std::string_view contents) {
  return WriteFileAtomicWith(path, [&](const FileSink& sink) { return sink(contents); });
}

Status WriteFileAtomicWith(const std::string& path, const std::function<Status(const FileSink&)>& produce) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return MakeError(ErrorCode::kIo, dir.string() + ": cannot create directory: " + ec.message());
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  std::string tmpl = (dir / (target.filename().string() + ".tmp.XXXXXX")).string();
  std::unique_ptr<char[]> name(new char[tmpl.size() + 1]);
  std::memcpy(name.get(), tmpl.c_str(), tmpl.size() + 1);
  int fd = ::mkostemp(name.get(), O_CLOEXEC);  // mode 0600
  if (fd < 0) return IoError(path, "cannot create temporary file");
  std::string tmp = name.get();
  FdCloser closer{fd};
  auto fail = [&](Error e) {
    ::unlink(tmp.c_str());
    return e;
  };
  if (::fchmod(fd, 0600) != 0) return fail(IoError(tmp, "chmod failed"));
  Status produced;
  try {
    produced = produce([&](std::string_view piece) { return WriteAll(fd, piece, tmp); });
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;  // out of memory while rendering: no half-written file is left
  }
  if (!produced.ok()) return fail(produced.error());
  if (::fsync(fd) != 0) return fail(IoError(tmp, "fsync failed"));
  closer.fd = -1;
  if (::close(fd) != 0) return fail(IoError(tmp, "close failed"));
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail(IoError(path, "rename failed"));
  FdCloser dirfd{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (dirfd.fd >= 0) ::fsync(dirfd.fd);  // make the rename durable
  return {};
}

}  // namespace telescreen::core
