#include "core/deflate.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>

namespace telescreen::core {

struct Deflater::Impl {
  z_stream z{};
  std::vector<std::string> out;  // pieces of kChunk bytes but the last
  bool ok = false;
};

namespace {

constexpr std::size_t kChunk = 64 * 1024;

// Runs deflate over whatever input `z` holds, straight into the free end
// of the last piece of `out`, starting a new piece when it is full.
void Pump(z_stream& z, std::vector<std::string>& out, int flush) {
  do {
    if (out.empty() || out.back().size() == kChunk) {
      out.emplace_back();
      out.back().reserve(kChunk);
    }
    std::string& piece = out.back();
    const std::size_t used = piece.size();
    piece.resize(kChunk);
    z.next_out = reinterpret_cast<Bytef*>(piece.data() + used);
    z.avail_out = static_cast<uInt>(kChunk - used);
    const int rc = deflate(&z, flush);
    piece.resize(kChunk - z.avail_out);
    if (rc == Z_STREAM_ERROR) return;
  } while (z.avail_out == 0);
}

}  // namespace

Deflater::Deflater() : impl_(std::make_unique<Impl>()) {
  // zlib's fastest level: a 3,000-page scan's 10 MB of text deflate in half
  // the time of the default level (6), to 730 KB instead of 600 KB.
  impl_->ok = deflateInit(&impl_->z, Z_BEST_SPEED) == Z_OK;
}

Deflater::~Deflater() {
  if (impl_->ok) deflateEnd(&impl_->z);
}

void Deflater::Write(std::string_view bytes) {
  written_ += bytes.size();
  if (!impl_->ok) return;
  while (!bytes.empty()) {
    // avail_in is 32 bits wide: feed a large view in pieces.
    const std::size_t n = std::min<std::size_t>(bytes.size(), 1u << 30);
    impl_->z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    impl_->z.avail_in = static_cast<uInt>(n);
    Pump(impl_->z, impl_->out, Z_NO_FLUSH);
    bytes.remove_prefix(n);
  }
}

std::vector<std::string> Deflater::FinishPieces() {
  if (!impl_->ok) return {};
  impl_->z.next_in = nullptr;
  impl_->z.avail_in = 0;
  Pump(impl_->z, impl_->out, Z_FINISH);
  deflateEnd(&impl_->z);
  impl_->ok = false;
  if (!impl_->out.empty() && impl_->out.back().empty()) impl_->out.pop_back();
  return std::move(impl_->out);
}

std::string Deflater::Finish() {
  std::vector<std::string> pieces = FinishPieces();
  std::size_t total = 0;
  for (const auto& p : pieces) total += p.size();
  std::string whole;
  whole.reserve(total);
  for (const auto& p : pieces) whole += p;
  return whole;
}

struct Inflater::Impl {
  z_stream z{};
  std::function<std::string_view()> next;  // more input; null once it said "the end"
  bool open = false;
  bool done = false;
  std::size_t max_bytes = 0;
  std::size_t produced = 0;
};

Inflater::Inflater(std::string_view zlib, std::size_t max_bytes) : impl_(std::make_unique<Impl>()) {
  impl_->max_bytes = max_bytes;
  impl_->open = inflateInit(&impl_->z) == Z_OK;
  if (!impl_->open) {
    status_ = MakeError(ErrorCode::kInternal, "zlib: inflateInit failed");
    return;
  }
  impl_->z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zlib.data()));
  impl_->z.avail_in = static_cast<uInt>(std::min<std::size_t>(zlib.size(), UINT32_MAX));
}

Inflater::Inflater(std::function<std::string_view()> next, std::size_t max_bytes)
    : Inflater(std::string_view(), max_bytes) {
  impl_->next = std::move(next);
}

Inflater::~Inflater() {
  if (impl_->open) inflateEnd(&impl_->z);
}

std::size_t Inflater::Read(char* out, std::size_t n) {
  Impl& s = *impl_;
  if (!s.open || s.done || !status_.ok() || n == 0) return 0;
  s.z.next_out = reinterpret_cast<Bytef*>(out);
  s.z.avail_out = static_cast<uInt>(std::min<std::size_t>(n, UINT32_MAX));
  int rc = Z_OK;
  std::size_t got = 0;
  do {
    if (s.z.avail_in == 0 && s.next) {
      std::string_view piece = s.next();
      if (piece.empty()) {
        s.next = nullptr;
      } else {
        s.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
        s.z.avail_in = static_cast<uInt>(std::min<std::size_t>(piece.size(), UINT32_MAX));
      }
    }
    rc = inflate(&s.z, Z_NO_FLUSH);
    got = n - s.z.avail_out;
    // Nothing out yet because the piece ran dry: take the next one.
  } while (got == 0 && s.z.avail_in == 0 && s.next && (rc == Z_OK || rc == Z_BUF_ERROR));
  s.produced += got;
  if (rc == Z_STREAM_END) {
    s.done = true;
  } else if (rc != Z_OK || (got == 0 && s.z.avail_in == 0)) {
    status_ = MakeError(ErrorCode::kParse, "damaged or truncated compressed data");
    return 0;
  }
  if (s.produced > s.max_bytes) {
    status_ =
        MakeError(ErrorCode::kParse, "compressed data larger than " + std::to_string(s.max_bytes) + " bytes");
    return 0;
  }
  return got;
}

Result<std::string> Inflate(std::string_view zlib, std::size_t max_bytes) {
  Inflater in(zlib, max_bytes);
  std::string out;
  char buf[kChunk];
  while (std::size_t n = in.Read(buf, sizeof(buf))) out.append(buf, n);
  if (!in.status().ok()) return in.status().error();
  return out;
}

}  // namespace telescreen::core
