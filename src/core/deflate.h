// Deflate (zlib format) for large values that are written once and read
// rarely: a scan's record in the history. Streaming on the way in, so the
// whole uncompressed text never has to exist in memory at once.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace telescreen::core {

// Compresses what is written to it. Usage:
//   Deflater d;
//   d.Write("{\"a\":"); d.Write(...);
//   std::string packed = d.Finish();
// The compressed bytes so far are held in memory (a fraction of the input);
// the input is not.
class Deflater {
 public:
  Deflater();
  ~Deflater();
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  void Write(std::string_view bytes);
  // The whole zlib stream. The Deflater is spent afterwards.
  std::string Finish();
  // The same stream in pieces of at most 64 KB, in order, so that it is
  // never copied into one buffer (nor grown by doubling one).
  std::vector<std::string> FinishPieces();
  // Bytes written so far (uncompressed).
  std::size_t written() const { return written_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::size_t written_ = 0;
};

// Reads a zlib stream back in pieces, so that what it holds never has to
// be in memory whole. Usage:
//   Inflater in(packed, max_bytes);
//   char buf[65536];
//   while (std::size_t n = in.Read(buf, sizeof buf)) use(buf, n);
//   if (!in.status().ok()) ...  // damaged, truncated or over max_bytes
// `zlib` must outlive the Inflater.
class Inflater {
 public:
  Inflater(std::string_view zlib, std::size_t max_bytes);
  // The stream handed over a piece at a time by `next`, which returns an
  // empty view at its end. Each view (under 4 GB) must stay valid until the
  // next call.
  Inflater(std::function<std::string_view()> next, std::size_t max_bytes);
  ~Inflater();
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  // Up to `n` more bytes into `out`; 0 at the end or on an error.
  std::size_t Read(char* out, std::size_t n);
  // kParse once the stream proved damaged, truncated or too large.
  const Status& status() const { return status_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  Status status_;
};

// The bytes a zlib stream holds. kParse when it is damaged or truncated, or
// would inflate to more than `max_bytes`.
Result<std::string> Inflate(std::string_view zlib, std::size_t max_bytes);

}  // namespace telescreen::core
