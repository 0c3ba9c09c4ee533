#include "core/json_text.h"

#include <gtest/gtest.h>

#include <string>

namespace telescreen::core {
namespace {

TEST(JsonTextTest, StripsWrappersAndTakesComments) {
  auto v = ParseJsonLenient<nlohmann::json>("<!-- note --> <![CDATA[ {\"a\": 1 /* one */} ]]>", 10);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v.value()["a"], 1);
}

TEST(JsonTextTest, ToleratesRawControlCharactersInStrings) {
  auto v = ParseJsonLenient<nlohmann::json>("{\"a\": \"two\nlines\ttabbed\"}", 10);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v.value()["a"], "two lines tabbed");
}

TEST(JsonTextTest, ReportsWhyItIsNotJson) {
  auto deep = ParseJsonLenient<nlohmann::json>(std::string(11, '[') + std::string(11, ']'), 10);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code, ErrorCode::kParse);
  EXPECT_EQ(deep.error().message, "nested deeper than 10");
  EXPECT_TRUE(ParseJsonLenient<nlohmann::json>(std::string(10, '[') + std::string(10, ']'), 10).ok());
  auto broken = ParseJsonLenient<nlohmann::json>("{\"a\": ", 10);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().message, "not valid JSON");
  EXPECT_FALSE(ParseJsonLenient<nlohmann::json>("", 10).ok());
}

TEST(JsonTextTest, StringMemberIsEmptyUnlessAString) {
  const auto j = nlohmann::json::parse(R"({"a": "x", "n": 3, "o": {}})");
  EXPECT_EQ(StringMember(j, "a"), "x");
  EXPECT_EQ(StringMember(j, "n"), "");
  EXPECT_EQ(StringMember(j, "missing"), "");
  EXPECT_EQ(StringMember(nlohmann::json::array({"a"}), "a"), "");
  EXPECT_EQ(StringMember(nlohmann::json("a"), "a"), "");
}

TEST(JsonTextTest, OrderedJsonKeepsTheKeysInPageOrder) {
  auto v = ParseJsonLenient<nlohmann::ordered_json>("{\"z\": 1, \"a\": 2}", 10);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value().begin().key(), "z");
}

}  // namespace
}  // namespace telescreen::core
