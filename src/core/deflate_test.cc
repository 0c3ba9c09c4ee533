#include "core/deflate.h"

#include <gtest/gtest.h>

#include <string>

namespace telescreen::core {
namespace {

std::string Sample() {
  std::string s;
  for (int i = 0; i < 20000; ++i) s += "{\"page_url\":\"https://example.org/p/" + std::to_string(i % 97) + "\"},";
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
  for (const std::string& bad : {packed.substr(0, packed.size() / 2), std::string("garbage"), std::string()}) {
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

}  // namespace
}  // namespace telescreen::core
