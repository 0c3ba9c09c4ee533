// SharedString behaves like an immutable std::string whose copies share one
// buffer.
#include "core/shared_string.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace telescreen::core {
namespace {

TEST(SharedStringTest, EmptyByDefaultAndFromEmptyText) {
  SharedString a;
  SharedString b = std::string();
  EXPECT_TRUE(a.empty());
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(a.size(), 0u);
  EXPECT_STREQ(a.c_str(), "");
  EXPECT_EQ(a, "");
  EXPECT_EQ(a, b);
}

TEST(SharedStringTest, KeepsTheBytesIncludingNulAndUtf8) {
  std::string text("Caf\xC3\xA9\0tail", 10);
  SharedString s = text;
  EXPECT_EQ(s.size(), 10u);
  EXPECT_EQ(s.view(), std::string_view(text));
  EXPECT_EQ(s.str(), text);
  EXPECT_EQ(s.c_str()[10], '\0');  // NUL-terminated after the bytes
}

TEST(SharedStringTest, CopiesShareTheBufferAndOutliveTheOriginal) {
  SharedString copy;
  {
    SharedString original = std::string("https://a.example/profile/julia");
    copy = original;
    EXPECT_TRUE(copy.SharesWith(original));
    EXPECT_EQ(copy.data(), original.data());
  }
  EXPECT_EQ(copy, "https://a.example/profile/julia");
  SharedString moved = std::move(copy);
  EXPECT_EQ(moved, "https://a.example/profile/julia");
  const SharedString& same = moved;
  moved = same;  // self-assignment keeps the value
  EXPECT_EQ(moved, "https://a.example/profile/julia");
}

TEST(SharedStringTest, EqualTextFromTwoSourcesComparesEqual) {
  SharedString a = "h-card";
  SharedString b = std::string("h-card");
  EXPECT_FALSE(a.SharesWith(b));
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, std::string("h-card"));
  EXPECT_EQ(a, std::string_view("h-card"));
  EXPECT_NE(a, "h-entry");
  EXPECT_LT(a, SharedString("h-entry"));
  EXPECT_LT(SharedString("a"), std::string("b"));
}

TEST(SharedStringTest, WorksAsAKeyAndWithStrings) {
  std::map<SharedString, int> ordered{{"b", 2}, {"a", 1}};
  EXPECT_EQ(ordered.begin()->first, "a");
  std::unordered_set<SharedString> set{"x", "y", SharedString(std::string("x"))};
  EXPECT_EQ(set.size(), 2u);
  SharedString s = "json-ld";
  EXPECT_EQ("via " + s, "via json-ld");
  EXPECT_EQ(s + "!", "json-ld!");
  std::string out = "[";
  out += s;
  EXPECT_EQ(out, "[json-ld");
  EXPECT_TRUE(s.starts_with("json"));
  EXPECT_EQ(s.find("ld"), 5u);
  std::ostringstream os;
  os << s;
  EXPECT_EQ(os.str(), "json-ld");
}

TEST(SharedStringTest, CopiedAndDroppedOnManyThreads) {
  SharedString shared = "Bin morgen auf der re:publica";
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&shared] {
      for (int i = 0; i < 10000; ++i) {
        SharedString copy = shared;
        ASSERT_EQ(copy.size(), 29u);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(shared, "Bin morgen auf der re:publica");
}

}  // namespace
}  // namespace telescreen::core
