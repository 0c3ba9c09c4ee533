#include "core/deflate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace telescreen::core {
namespace {

std::string Sample() {
  std::string s;
  for (int i = 0; i < 20000; ++i)
    s += "{\"page_url\":\"https://example.org/p/" + std::to_string(i % 97) + "\"},";
  return s;
}

TEST(DeflateTest, RoundTripsWhatIsWrittenInPieces) {
  const std::string text = Sample();
  Deflater d;
  for (std::size_t at = 0; at < text.size(); at += 777) d.Write(std::string_view(text).substr(at, 777));
  EXPECT_EQ(d.written(), text.size());
  const std::string packed = d.Finish();
  EXPECT_LT(packed.size(), text.size() / 10);
  auto whole = Inflate(packed, text.size());
  ASSERT_TRUE(whole.ok()) << whole.error().message;
  EXPECT_EQ(whole.value(), text);
  Inflater in(packed, text.size());
  std::string pieces;
  char buf[1000];
  while (std::size_t n = in.Read(buf, sizeof buf)) pieces.append(buf, n);
  EXPECT_TRUE(in.status().ok());
  EXPECT_EQ(pieces, text);
}

TEST(DeflateTest, DamagedTruncatedOrTooLargeIsAnError) {
  const std::string text = Sample();
  Deflater d;
  d.Write(text);
  const std::string packed = d.Finish();
  EXPECT_FALSE(Inflate(packed.substr(0, packed.size() / 2), text.size()).ok());
  EXPECT_FALSE(Inflate("plain text, not deflated", 1000).ok());
  EXPECT_FALSE(Inflate(packed, text.size() - 1).ok());
  EXPECT_FALSE(Inflate("", 10).ok());
  for (const std::string& bad :
       {packed.substr(0, packed.size() / 2), std::string("garbage"), std::string()}) {
    Inflater in(bad, text.size());
    char buf[4096];
    std::size_t total = 0;
    while (std::size_t n = in.Read(buf, sizeof buf)) total += n;
    EXPECT_FALSE(in.status().ok()) << bad.size();
    EXPECT_LT(total, text.size());
  }
  Inflater small(packed, 100);
  char buf[4096];
  while (small.Read(buf, sizeof buf) > 0) {
  }
  EXPECT_FALSE(small.status().ok());
}

// Bytes deflate cannot shrink much, so the stream spans several pieces.
std::string Noise(std::size_t n) {
  std::string s(n, '\0');
  std::uint32_t x = 2463534242u;
  for (char& c : s) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x & 0xff);
  }
  return s;
}

// An Inflater source over `packed` in pieces of `step` bytes.
std::function<std::string_view()> PiecesOf(const std::string& packed, std::size_t step) {
  auto at = std::make_shared<std::size_t>(0);
  return [&packed, step, at]() -> std::string_view {
    std::string_view rest = std::string_view(packed).substr(std::min(*at, packed.size()));
    std::string_view piece = rest.substr(0, step);
    *at += piece.size();
    return piece;
  };
}

TEST(DeflateTest, PiecesAreTheWholeStreamInOrder) {
  const std::string text = Noise(300 * 1024) + Sample();
  Deflater a;
  Deflater b;
  a.Write(text);
  b.Write(text);
  const std::string whole = a.Finish();
  const std::vector<std::string> pieces = b.FinishPieces();
  ASSERT_GT(pieces.size(), 3u);
  std::string joined;
  for (const auto& p : pieces) {
    EXPECT_FALSE(p.empty());
    EXPECT_LE(p.size(), 64u * 1024);
    joined += p;
  }
  EXPECT_EQ(joined, whole);
  EXPECT_EQ(Inflate(joined, text.size()).value(), text);
}

TEST(DeflateTest, InflatesAStreamHandedOverInPieces) {
  const std::string text = Noise(200 * 1024) + Sample();
  Deflater d;
  d.Write(text);
  const std::string packed = d.Finish();
  for (std::size_t step : {std::size_t{1}, std::size_t{1000}, std::size_t{64 * 1024}, packed.size()}) {
    Inflater in(PiecesOf(packed, step), text.size());
    std::string out;
    char buf[4096];
    while (std::size_t n = in.Read(buf, sizeof buf)) out.append(buf, n);
    EXPECT_TRUE(in.status().ok()) << step;
    EXPECT_EQ(out, text) << step;
  }
  // Cut short, the stream is an error, not a quiet end.
  const std::string half = packed.substr(0, packed.size() / 2);
  Inflater cut(PiecesOf(half, 1000), text.size());
  char buf[4096];
  while (cut.Read(buf, sizeof buf) > 0) {
  }
  EXPECT_FALSE(cut.status().ok());
}

}  // namespace
}  // namespace telescreen::core
