#include "extract/activitypub.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace telescreen::extract {
namespace {

PageInput Input(std::string_view url) {
  PageInput input;
  input.url = core::Url::Parse(url).value();
  input.content_type = "application/activity+json";
  return input;
}

std::vector<std::string> Values(const model::PageFacts& facts, std::string_view kind) {
  std::vector<std::string> out;
  for (const auto& f : facts.identity) {
    if (f.kind == kind) out.push_back(f.value.str());
  }
  return out;
}

// Shaped like Mastodon 4's actor document.
constexpr char kActor[] = R"({
  "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
               {"PropertyValue": "schema:PropertyValue", "value": "schema:value"}],
  "id": "https://social.example/users/ann",
  "type": "Person",
  "following": "https://social.example/users/ann/following",
  "followers": "https://social.example/users/ann/followers",
  "inbox": "https://social.example/users/ann/inbox",
  "outbox": "https://social.example/users/ann/outbox",
  "preferredUsername": "ann",
  "name": "Ann Example",
  "summary": "<p>Researcher at Example Lab &amp; hiker.</p><p>Berlin</p>",
  "url": "https://social.example/@ann",
  "alsoKnownAs": ["https://old.example/users/ann"],
  "attachment": [
    {"type": "PropertyValue", "name": "Website",
     "value": "<a href=\"https://ann.example.org\" rel=\"nofollow noopener me\"><span class=\"invisible\">https://</span><span>ann.example.org</span></a>"},
    {"type": "PropertyValue", "name": "Location", "value": "Berlin, Germany"},
    {"type": "PropertyValue", "name": "Pronouns", "value": "she/her"}
  ],
  "icon": {"type": "Image", "mediaType": "image/png", "url": "https://files.social.example/ann.png"}
})";

TEST(ActivityPubTest, RecognisesActivityStreams) {
  EXPECT_TRUE(IsActivityStreams(kActor));
  EXPECT_FALSE(IsActivityStreams(R"({"@context": "https://schema.org", "@type": "Person"})"));
}

TEST(ActivityPubTest, ActorIdentityAndCollectionLinks) {
  auto facts = ExtractActivityPub(kActor, Input("https://social.example/users/ann"));
  EXPECT_EQ(Values(facts, "name"), (std::vector<std::string>{"Ann Example", "@ann@social.example"}));
  EXPECT_EQ(Values(facts, "profile"),
            (std::vector<std::string>{"https://social.example/@ann", "https://social.example/users/ann",
                                      "https://old.example/users/ann"}));
  EXPECT_EQ(Values(facts, "headline"),
            (std::vector<std::string>{"Researcher at Example Lab & hiker. Berlin", "Pronouns: she/her"}));
  EXPECT_EQ(Values(facts, "url"), std::vector<std::string>{"https://ann.example.org/"});
  EXPECT_EQ(Values(facts, "location"), std::vector<std::string>{"Berlin, Germany"});
  EXPECT_EQ(Values(facts, "photo"), std::vector<std::string>{"https://files.social.example/ann.png"});
  ASSERT_EQ(facts.links.size(), 2u);
  EXPECT_EQ(facts.links[0].url, "https://social.example/users/ann/followers");
  EXPECT_EQ(facts.links[0].kind, "contacts");
  EXPECT_EQ(facts.links[0].accept, "application/activity+json");
  EXPECT_EQ(facts.links[1].url, "https://social.example/users/ann/following");
  ASSERT_FALSE(facts.identity.empty());
  EXPECT_EQ(facts.identity[0].evidence.via, "activitypub");
  EXPECT_TRUE(facts.identity[0].evidence.machine_readable);
  EXPECT_TRUE(facts.warnings.empty());
}

TEST(ActivityPubTest, FollowersCollectionWithEmbeddedFirstPage) {
  constexpr char kCollection[] = R"({
    "@context": "https://www.w3.org/ns/activitystreams",
    "id": "https://social.example/users/ann/followers",
    "type": "OrderedCollection",
    "totalItems": 3,
    "first": {
      "id": "https://social.example/users/ann/followers?page=1",
      "type": "OrderedCollectionPage",
      "totalItems": 3,
      "next": "https://social.example/users/ann/followers?page=2",
      "partOf": "https://social.example/users/ann/followers",
      "orderedItems": ["https://other.example/users/bob", "https://social.example/users/carla",
                       "https://social.example/users/bob"]
    }
  })";
  auto facts = ExtractActivityPub(kCollection, Input("https://social.example/users/ann/followers"));
  ASSERT_EQ(facts.contacts.size(), 3u);
  EXPECT_EQ(facts.contacts[0].name, "bob@other.example");
  EXPECT_EQ(facts.contacts[0].url, "https://other.example/users/bob");
  EXPECT_EQ(facts.contacts[0].relation, "follower");
  EXPECT_EQ(facts.contacts[2].name, "bob@social.example");
  ASSERT_EQ(facts.links.size(), 1u);
  EXPECT_EQ(facts.links[0].url, "https://social.example/users/ann/followers?page=2");
  EXPECT_EQ(facts.links[0].kind, "next");
  EXPECT_EQ(facts.links[0].accept, "application/activity+json");
}

TEST(ActivityPubTest, FollowingPageWithEmbeddedActors) {
  constexpr char kPage[] = R"({
    "@context": "https://www.w3.org/ns/activitystreams",
    "id": "https://social.example/users/ann/following?page=2",
    "type": "OrderedCollectionPage",
    "partOf": "https://social.example/users/ann/following",
    "prev": "https://social.example/users/ann/following?page=1",
    "orderedItems": [
      {"type": "Person", "id": "https://x.example/users/dora", "name": "Dora D.",
       "url": "https://x.example/@dora"},
      {"type": "Person", "id": "https://y.example/u/eve", "preferredUsername": "eve"},
      42, null, {"type": "Person"}
    ]
  })";
  auto facts = ExtractActivityPub(kPage, Input("https://social.example/users/ann/following?page=2"));
  ASSERT_EQ(facts.contacts.size(), 2u);
  EXPECT_EQ(facts.contacts[0].name, "Dora D.");
  EXPECT_EQ(facts.contacts[0].url, "https://x.example/@dora");
  EXPECT_EQ(facts.contacts[0].relation, "following");
  EXPECT_EQ(facts.contacts[1].name, "eve@y.example");
  EXPECT_TRUE(facts.links.empty());
}

TEST(ActivityPubTest, FirstAsUrlIsANextLink) {
  constexpr char kCollection[] = R"({"@context": "https://www.w3.org/ns/activitystreams",
    "id": "https://social.example/users/ann/following", "type": "OrderedCollection",
    "totalItems": 120, "first": "https://social.example/users/ann/following?page=1"})";
  auto facts = ExtractActivityPub(kCollection, Input("https://social.example/users/ann/following"));
  EXPECT_TRUE(facts.contacts.empty());
  ASSERT_EQ(facts.links.size(), 1u);
  EXPECT_EQ(facts.links[0].kind, "next");
}

TEST(ActivityPubTest, BadDocumentsWarn) {
  const auto input = Input("https://social.example/x");
  for (std::string_view text :
       {"", "not json", "[1,2]", R"({"type": "Widget", "content": "hi"})", R"({"type": 7})"}) {
    auto facts = ExtractActivityPub(text, input);
    EXPECT_TRUE(facts.identity.empty() && facts.contacts.empty()) << text;
    EXPECT_EQ(facts.warnings.size(), 1u) << text;
  }
  // Objects and activities of the vocabulary are the pattern packs' to read.
  for (std::string_view text : {R"({"type": "Note", "content": "hi"})", R"({"type": "Event", "name": "x"})",
                                R"({"type": "Join", "object": "https://social.example/e/1"})"}) {
    EXPECT_TRUE(ExtractActivityPub(text, input).warnings.empty()) << text;
  }
  std::string deep(100000, '[');
  auto facts = ExtractActivityPub(deep, input);
  ASSERT_EQ(facts.warnings.size(), 1u);
  EXPECT_NE(facts.warnings[0].find("deeper"), std::string::npos);
}

}  // namespace
}  // namespace telescreen::extract
