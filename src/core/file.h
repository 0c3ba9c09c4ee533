// Files: reading with a size cap, and crash-safe writes (temp file, fsync,
// rename) with owner-only permissions, because reports hold personal data.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace telescreen::core {

// Reads the whole file. Errors: kNotFound if it does not exist, kIo
// otherwise; messages lead with the path. Files longer than max_bytes are an
// error (kInvalidArgument).
Result<std::string> ReadFile(const std::string& path, std::size_t max_bytes = std::size_t{64} << 20);

// Writes `contents` to `path` so that a reader (or a crash) sees either the
// old file or the complete new one: writes "path.tmp.XXXXXX" in the same
// directory with mode 0600, fsyncs it, renames it over `path`, fsyncs the
// directory. Creates missing parent directories with mode 0700.
Status WriteFileAtomic(const std::string& path, std::string_view contents);

// Takes the next piece of a file being written; an error stops the writing.
using FileSink = std::function<Status(std::string_view piece)>;

// As WriteFileAtomic, but the contents come piece by piece: `produce` is
// called once with a sink to hand them to (so a large report need not be
// held in memory whole). If `produce` returns an error, or a write fails,
// the temporary file is removed, `path` is untouched and the error returned.
Status WriteFileAtomicWith(const std::string& path, const std::function<Status(const FileSink&)>& produce);

}  // namespace telescreen::core
